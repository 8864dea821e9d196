"""The parameters of the precision simulation: from a pilot data folder or stated defaults.

:func:`design_from_pilot` runs the site analysis
(:func:`evaluation.analyses.site.analyse_site`) on a pilot folder and keeps
what the simulation of :mod:`evaluation.fieldwork.precision` needs: the
analysed sessions (their covariates are drawn for the planned sessions), the
fitted log-rate model without activation, the overdispersion and the family
the analysis chose. Without a pilot, :data:`DEFAULTS` give a pool of sessions
and a model of the same shape.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analyses.site import DEFAULT_COVARIATES
from ..errors import DataError, ModelError, ParameterError, Problem

__all__ = ["DEFAULTS", "TARGET", "OUTCOMES", "Design", "design_from_pilot"]

#: Kept importable for earlier callers only: the planner takes the target group from the
#: pilot folder's ``study.yaml`` (as the analysis does) or from ``target``, never from here.
TARGET = {"gender": "female", "age_band": "13-18", "activity": "staying"}
#: The two outcomes: name -> description.
OUTCOMES = {
    "target_staying": "target group staying, people per hour",
    "drug_sale": "observed drug sales per hour",
}
#: Stated defaults when there is no pilot: per outcome the rate per hour without
#: activation (at the mean temperature, in sunny weather), NB2 overdispersion and the
#: rate ratio to plan for; the session layout; and the covariates of the analysis'
#: default model (weather shares and rate ratios, temperature mean, sd and rate ratio
#: per degree, number of observers, who count alike).
DEFAULTS: dict[str, Any] = {
    "target_staying": {"rate_per_hour": 2.0, "alpha": 0.2, "rate_ratio": 1.5},
    "drug_sale": {"rate_per_hour": 0.8, "alpha": 0.2, "rate_ratio": 0.7},
    "minutes": 45.0,
    "activated_share": 0.5,
    "sessions_per_date": 2.0,
    "weather": {"sunny": 0.5, "cloudy": 0.35, "rain": 0.15},
    "weather_rate_ratio": {"sunny": 1.0, "cloudy": 0.85, "rain": 0.6},
    "temperature_c": {"mean": 17.0, "sd": 4.0, "rate_ratio_per_degree": 1.03},
    "observers": 4,
}
#: Sessions in the pool that stands in for a pilot when there is none.
_DEFAULT_POOL = 2000


@dataclass
class Design:
    """What the simulation needs: sessions to draw from, the model and its parameters.

    Attributes
    ----------
    sessions : DataFrame
        Sessions whose covariates the planned sessions are drawn from: the
        covariate columns, ``activated`` (0/1), ``minutes`` and ``date`` (and
        the cluster column); the pilot's analysed sessions or a default pool.
    covariates : list of str
        The covariates of the analysis' model (those it could use on the pilot).
    params : dict
        ``{outcome: {model term: coefficient}}``: the log-rate model without
        the activation term (patsy names: ``Intercept``, ``C(zone)[T.stairs]``,
        ``temperature_c``, ...); a level without a term is the reference (0).
    alpha : dict
        ``{outcome: NB2 overdispersion}`` of the simulated counts (0: Poisson).
    rate_ratio : dict
        ``{outcome: rate ratio of activation}`` to plan for.
    family : dict
        ``{outcome: family}`` the analysis chose on the pilot (``"negbin"``,
        ``"poisson"`` or ``"quasipoisson"``; the stated defaults: ``"negbin"``).
    family_rule : str
        The ``family`` argument of the estimator for every simulated data set
        (``"auto"``, as the analysis' ``count_family`` default).
    cluster : str or None
        The cluster column of the cluster-robust errors (``"date"``).
    schedule : DataFrame or None
        A planned schedule (``zone, start, end, activation, date``).
    source : str
        Where the parameters came from (for the output).

    Examples
    --------
    >>> d = design_from_pilot(None)
    >>> d.source, d.covariates, d.zones
    ('stated defaults', ['zone', 'weather', 'temperature_c', 'observer'], ['zone'])
    >>> round(d.activated_share, 1)
    0.5
    """

    sessions: pd.DataFrame
    covariates: list[str]
    params: dict[str, dict[str, float]]
    alpha: dict[str, float]
    rate_ratio: dict[str, float]
    family: dict[str, str] = field(default_factory=dict)
    family_rule: str = "auto"
    cluster: str | None = "date"
    schedule: pd.DataFrame | None = None
    source: str = "stated defaults"

    @property
    def zones(self) -> list[str]:
        """The zones of the sessions drawn from (sorted)."""
        return sorted(self.sessions["zone"].astype(str).unique())

    @property
    def activated_share(self) -> float:
        """Share of activated sessions among those drawn from."""
        return float(self.sessions["activated"].mean())

    @property
    def block(self) -> str:
        """The column whose values are drawn as wholes (the cluster, else the date)."""
        return self.cluster or "date"


def _check_rate_ratio(rate_ratio: Mapping[str, float] | None) -> dict[str, float]:
    rr = dict(rate_ratio or {})
    unknown = sorted(set(rr) - set(OUTCOMES))
    if unknown:
        raise ParameterError(
            f"rate_ratio: unknown outcome {unknown[0]!r}; expected {', '.join(OUTCOMES)}"
        )
    return rr


def _default_pool(zones: Sequence[str], covariates: Sequence[str], cluster: str | None) -> Design:
    """The stated defaults as a pool of sessions and a log-rate model."""
    supported = {"zone", "weather", "temperature_c", "observer"}
    other = [c for c in covariates if c not in supported]
    if other or cluster not in (None, "date"):
        raise ParameterError(
            f"precision: no stated defaults for {', '.join(other or [str(cluster)])}; "
            "give a pilot data folder (--pilot) or leave them out"
        )
    rng = np.random.default_rng(0)
    n = _DEFAULT_POOL
    per_date = DEFAULTS["sessions_per_date"]
    date = (np.arange(n) // per_date).astype(int)
    activated = (rng.random(date.max() + 1) < DEFAULTS["activated_share"]).astype(int)[date]
    weather, temp = DEFAULTS["weather"], DEFAULTS["temperature_c"]
    pool = pd.DataFrame(
        {
            "zone": rng.choice(list(zones), size=n),
            "weather": rng.choice(list(weather), size=n, p=list(weather.values())),
            "temperature_c": rng.normal(temp["mean"], temp["sd"], size=n).round(1),
            "observer": rng.choice([f"observer_{k + 1}" for k in range(DEFAULTS["observers"])], n),
            "activated": activated,
            "minutes": float(DEFAULTS["minutes"]),
            "date": date.astype(str),
        }
    )
    per_degree = math.log(temp["rate_ratio_per_degree"])
    params = {}
    for o in OUTCOMES:
        p = {"Intercept": math.log(DEFAULTS[o]["rate_per_hour"] / 60.0) - per_degree * temp["mean"]}
        if "temperature_c" in covariates:
            p["temperature_c"] = per_degree
        if "weather" in covariates:
            p.update(
                {
                    f"C(weather)[T.{w}]": math.log(r)
                    for w, r in DEFAULTS["weather_rate_ratio"].items()
                }
            )
        params[o] = p
    return Design(
        sessions=pool,
        covariates=list(covariates),
        params=params,
        alpha={o: DEFAULTS[o]["alpha"] for o in OUTCOMES},
        rate_ratio={o: DEFAULTS[o]["rate_ratio"] for o in OUTCOMES},
        family=dict.fromkeys(OUTCOMES, "negbin"),
        cluster=cluster,
    )


def _pilot_site(pilot: str | Path, target: Mapping[str, object] | None, **model: Any) -> Any:
    """The site analysis of the pilot folder, with the model options of the plan."""
    from ..analyses.site import analyse_site
    from ..sources import load_dataset

    ds = load_dataset(pilot)
    if ds.observations is None:
        raise DataError(
            [
                Problem(
                    str(pilot),
                    None,
                    None,
                    "no observations/ folder",
                    "a pilot data folder with observations",
                )
            ]
        )
    tg = dict(target or {})
    return analyse_site(
        ds,
        target_gender=tg.get("gender"),  # type: ignore[arg-type]
        target_age_band=tg.get("age_band"),  # type: ignore[arg-type]
        **model,
    )


def _nb_alpha(res: Any) -> float:
    """NB2 alpha by maximum likelihood for a model the analysis fitted as (quasi-)Poisson.

    Falls back on the Cameron-Trivedi estimate of the analysis' family check.
    """
    import statsmodels.formula.api as smf

    d = res.data
    offset = np.log(d[res.exposure].astype(float).to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in ("newton", "bfgs"):
            try:
                fit = smf.negativebinomial(res.formula, d, offset=offset, loglike_method="nb2").fit(
                    disp=0, method=method, maxiter=300
                )
            except (ValueError, np.linalg.LinAlgError):
                continue
            a = float(fit.params["alpha"])
            if np.isfinite(a) and fit.mle_retvals.get("converged", False):
                return max(a, 0.0)
    ct = float(res.fit.get("ct_alpha", 0.0))
    return max(ct, 0.0) if np.isfinite(ct) else 0.0


def _design_from_site(site: Any, pilot: str | Path, family: str, cluster: str | None) -> Design:
    per = site.per_session
    covariates = list(site.record.covariates)
    params, alpha, family_of, est = {}, {}, {}, {}
    for o in OUTCOMES:
        res = site.models.get(o)
        if res is None:
            raise ModelError(
                f"precision: the pilot {pilot} gives no {o} model: {site.model_errors.get(o)}"
            )
        params[o] = {k: float(v) for k, v in res.result.params.items() if k != "activated"}
        family_of[o] = res.family
        alpha[o] = float(res.fit["alpha"]) if res.family == "negbin" else _nb_alpha(res)
        est[o] = float(res.table.loc["activated", "rate_ratio"])
    keep = list(dict.fromkeys([*covariates, "activated", "minutes", "date", cluster or "date"]))
    return Design(
        sessions=per[keep].reset_index(drop=True),
        covariates=covariates,
        params=params,
        alpha=alpha,
        rate_ratio=est,
        family=family_of,
        family_rule=family,
        cluster=cluster,
        source=f"pilot {pilot} ({len(per)} sessions)",
    )


def design_from_pilot(
    pilot: str | Path | None = None,
    *,
    target: Mapping[str, object] | None = None,
    rate_ratio: Mapping[str, float] | None = None,
    schedule: pd.DataFrame | None = None,
    covariates: Sequence[str] = DEFAULT_COVARIATES,
    family: str = "auto",
    cluster: str | None = "date",
) -> Design:
    """The simulation's parameters from a pilot data folder, or the stated defaults.

    Parameters
    ----------
    pilot : path, optional
        A data folder (validated with :func:`evaluation.sources.load_dataset`),
        analysed with :func:`evaluation.analyses.site.analyse_site`.
    target : mapping, optional
        ``gender`` and ``age_band`` of the target group (staying); by default
        the pilot folder's ``study.yaml`` target group.
    rate_ratio : mapping, optional
        ``{outcome: rate ratio}`` to plan for; by default the pilot's
        estimate (or :data:`DEFAULTS` without a pilot).
    schedule : DataFrame, optional
        The planned sessions (:func:`~.schedule.make_schedule`).
    covariates, family, cluster
        The analysis' model options (``covariates``, ``count_family`` and
        ``cluster`` in notebooks/params.yaml); the defaults are the analysis'.

    Returns
    -------
    Design

    Raises
    ------
    DataError
        The pilot folder is invalid or has no observations.
    ModelError
        The pilot has too few data for the model (e.g. one activation state only).
    ParameterError
        An unknown outcome in ``rate_ratio``; without a pilot, a covariate
        with no stated default.

    Examples
    --------
    >>> d = design_from_pilot(rate_ratio={"drug_sale": 0.5})
    >>> d.rate_ratio, d.alpha["drug_sale"]
    ({'target_staying': 1.5, 'drug_sale': 0.5}, 0.2)
    >>> design_from_pilot(covariates=["zone", "daypart"])
    Traceback (most recent call last):
    ...
    evaluation.errors.ParameterError: precision: no stated defaults for daypart; give a pilot data folder (--pilot) or leave them out
    """
    rr = _check_rate_ratio(rate_ratio)
    if pilot is None:
        zones = sorted(schedule["zone"].astype(str).unique()) if schedule is not None else ["zone"]
        design = _default_pool(zones, list(covariates), cluster)
        design.family_rule = family
    else:
        site = _pilot_site(pilot, target, covariates=covariates, family=family, cluster=cluster)
        design = _design_from_site(site, pilot, family, cluster)
    design.rate_ratio.update(rr)
    design.schedule = schedule
    return design
