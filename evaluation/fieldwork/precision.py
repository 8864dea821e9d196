"""Precision before fieldwork: the expected CI width of a planned schedule, by simulation.

:func:`expected_precision` answers "with N sessions laid out like this, how
wide will the 95% confidence intervals of the two headline rate ratios be?"
for the target group's staying rate ratio and the drug-sale rate ratio
(activated vs not, per observed minute). It simulates many data sets of the
planned size and fits each with the model the analyses use
(:func:`evaluation.stats.rate_ratio_model`: a count GLM with offset
log(minutes), ``activated + C(zone)``, cluster-robust errors by date).
:func:`sessions_for_width` turns a wanted CI width into a number of sessions.

Notes
-----
The simulation model, per planned session *i*:
``y_i ~ NegBin2(mu_i, alpha)``, ``mu_i = minutes_i * rate_zone(i) * RR**activated_i``
(Poisson when ``alpha`` = 0). Where the parameters come from:

- **from a pilot data folder**: the same model fitted to the pilot's primary
  sessions (double observations counted once) gives the base rate of each
  zone without activation and the rate ratio; ``alpha`` is the NB2 maximum
  likelihood estimate, also where the analyses' automatic choice is Poisson
  (small counts hide overdispersion from that choice but not from the
  cluster-robust errors); the simulated data sets are fitted with the
  family the analyses chose for the pilot; the planned sessions take
  the pilot's mix of zones, session lengths, activated share and sessions
  per date, unless a schedule is given;
- **from a schedule** (:func:`~.schedule.make_schedule`): the zones, lengths,
  activation states and dates of the planned sessions;
- **stated defaults** (:data:`DEFAULTS`) for whatever neither gives.

The width is ``ci_high - ci_low`` on the rate-ratio scale, at the assumed
rate ratio; ``ci_ratio`` = ``ci_high / ci_low`` does not depend on it.
Everything about the real data that the model leaves out (time of day,
weather, ...) enters through the pilot's overdispersion. The analyses'
default model also adjusts for weather, temperature and observer
(``covariates`` in notebooks/params.yaml); where these coincide with
activation, as in the example data, its intervals are wider than the ones
planned here (on the example generator ``ci_ratio`` about 1.66 instead of
1.54 for the target group and 2.13 instead of 1.80 for drug sales, at 300
sessions).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError, Problem
from ..sources.observations import session_minutes

__all__ = [
    "DEFAULTS",
    "TARGET",
    "OUTCOMES",
    "Design",
    "design_from_pilot",
    "expected_precision",
    "sessions_for_width",
]

#: The target group of the headline rate ratio when the pilot folder has no study
#: definition (a folder's ``study.yaml`` names its own target group).
TARGET = {"gender": "female", "age_band": "13-18", "activity": "staying"}
#: The two outcomes: name -> description.
OUTCOMES = {
    "target_staying": "target group staying, people per hour",
    "drug_sale": "observed drug sales per hour",
}
#: Stated defaults when there is no pilot: rate per hour without activation,
#: NB2 overdispersion, the rate ratio to plan for; and the session layout.
DEFAULTS = {
    "target_staying": {"rate_per_hour": 2.0, "alpha": 0.2, "rate_ratio": 1.5},
    "drug_sale": {"rate_per_hour": 0.8, "alpha": 0.2, "rate_ratio": 0.7},
    "minutes": 45.0,
    "activated_share": 0.5,
    "sessions_per_date": 2.0,
}


@dataclass
class Design:
    """What the simulation needs: the planned layout and each outcome's parameters.

    Attributes
    ----------
    zones : list of str
        Zone codes; ``rates[outcome][zone]`` is the rate per minute without activation.
    rates : dict
        ``{outcome: {zone: rate per minute}}``.
    alpha : dict
        ``{outcome: NB2 overdispersion}`` of the simulated counts (0: Poisson).
    family : dict
        ``{outcome: "negbin" or "poisson"}``: the family the analyses chose
        for the pilot, used to fit the simulated data sets.
    rate_ratio : dict
        ``{outcome: rate ratio of activation}``.
    zone_share, minutes, activated_share, sessions_per_date
        Layout of planned sessions when no schedule is given: zone
        probabilities, the session lengths to draw from, the activated share
        and the mean sessions per date.
    schedule : DataFrame or None
        A planned schedule (``zone, start, end, activation, date``) instead.
    source : str
        Where the parameters came from (for the output).
    """

    zones: list[str]
    rates: dict[str, dict[str, float]]
    alpha: dict[str, float]
    family: dict[str, str]
    rate_ratio: dict[str, float]
    zone_share: dict[str, float]
    minutes: list[float]
    activated_share: float
    sessions_per_date: float
    schedule: pd.DataFrame | None = None
    source: str = "defaults"


def _pilot_frame(pilot: str | Path, target: Mapping[str, object] | None) -> pd.DataFrame:
    from ..sources import load_dataset, primary_sessions
    from ..sources.study import incident_kind
    from ..stats.rates import session_totals

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
    o = ds.observations
    study = getattr(ds, "study", None)
    if target is None:
        target = (
            {
                "gender": study.target_gender,
                "age_band": study.target_age_band,
                "activity": "staying",
            }
            if study is not None
            else TARGET
        )
    s = primary_sessions(o["sessions"])
    d = session_totals(o["counts"], s, dict(target), "target_staying")
    inc = o["incidents"]
    # the study's code for drug dealing (study.yaml analysis.dealing)
    dealing = incident_kind(study, "drug_sale")
    sales = inc[inc["kind"] == dealing].groupby("session_id")["count"].sum()
    d["drug_sale"] = d["session_id"].map(sales).fillna(0).astype(int)
    return d


def design_from_pilot(
    pilot: str | Path | None = None,
    *,
    target: Mapping[str, object] | None = None,
    rate_ratio: Mapping[str, float] | None = None,
    schedule: pd.DataFrame | None = None,
) -> Design:
    """The simulation's parameters from a pilot data folder, or the stated defaults.

    Parameters
    ----------
    pilot : path, optional
        A data folder (validated with :func:`evaluation.sources.load_dataset`).
    target : mapping, optional
        The target group (filter of ``counts.csv``); by default the pilot
        folder's ``study.yaml`` target group, staying (:data:`TARGET`
        without a study definition).
    rate_ratio : mapping, optional
        ``{outcome: rate ratio}`` to plan for; by default the pilot's
        estimate (or :data:`DEFAULTS` without a pilot).
    schedule : DataFrame, optional
        The planned sessions (:func:`~.schedule.make_schedule`).

    Raises
    ------
    DataError
        The pilot folder is invalid or has no observations.
    ModelError
        The pilot has too few data for the model (e.g. one activation state only).
    """
    from ..stats import rate_ratio_model

    rr = dict(rate_ratio or {})
    for k in rr:
        if k not in OUTCOMES:
            raise ParameterError(
                f"rate_ratio: unknown outcome {k!r}; expected {', '.join(OUTCOMES)}"
            )
    if pilot is None:
        zones = sorted(schedule["zone"].unique()) if schedule is not None else ["zone"]
        return Design(
            zones=zones,
            rates={o: dict.fromkeys(zones, DEFAULTS[o]["rate_per_hour"] / 60.0) for o in OUTCOMES},
            alpha={o: DEFAULTS[o]["alpha"] for o in OUTCOMES},
            family=dict.fromkeys(OUTCOMES, "negbin"),
            rate_ratio={o: rr.get(o, DEFAULTS[o]["rate_ratio"]) for o in OUTCOMES},
            zone_share=dict.fromkeys(zones, 1 / len(zones)),
            minutes=[DEFAULTS["minutes"]],
            activated_share=DEFAULTS["activated_share"],
            sessions_per_date=DEFAULTS["sessions_per_date"],
            schedule=schedule,
            source="stated defaults",
        )
    d = _pilot_frame(pilot, target)
    zones = sorted(d["zone"].unique())
    rates, alpha, est, family = {}, {}, {}, {}
    for o in OUTCOMES:
        res = rate_ratio_model(d, o, "minutes", "activated + C(zone)", cluster="date")
        p = res.result.params
        base = p["Intercept"]
        rates[o] = {z: float(np.exp(base + p.get(f"C(zone)[T.{z}]", 0.0))) for z in zones}
        family[o] = res.family
        alpha[o] = float(res.fit["alpha"]) if res.family == "negbin" else _nb_alpha(d, o, res.fit)
        est[o] = float(res.table.loc["activated", "rate_ratio"])
    share = d["zone"].value_counts(normalize=True)
    return Design(
        zones=zones,
        rates=rates,
        alpha=alpha,
        family=family,
        rate_ratio={o: rr.get(o, est[o]) for o in OUTCOMES},
        zone_share={z: float(share[z]) for z in zones},
        minutes=d["minutes"].astype(float).tolist(),
        activated_share=float(d["activated"].mean()),
        sessions_per_date=float(len(d) / d["date"].nunique()),
        schedule=schedule,
        source=f"pilot {pilot} ({len(d)} sessions)",
    )


def _nb_alpha(d: pd.DataFrame, outcome: str, fit: dict) -> float:
    """NB2 alpha by maximum likelihood even where the analyses chose Poisson.

    Small counts hide overdispersion from the automatic choice, but the
    cluster-robust errors of the analysis still feel it; the simulation must
    generate it too. Falls back on the Cameron-Trivedi estimate.
    """
    import warnings

    import statsmodels.formula.api as smf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in ("newton", "bfgs"):
            try:
                res = smf.negativebinomial(
                    f"{outcome} ~ activated + C(zone)",
                    d,
                    offset=np.log(d["minutes"].astype(float)),
                    loglike_method="nb2",
                ).fit(disp=0, method=method, maxiter=300)
            except (ValueError, np.linalg.LinAlgError):
                continue
            a = float(res.params["alpha"])
            if np.isfinite(a) and res.mle_retvals.get("converged", False):
                return max(a, 0.0)
    ct = fit.get("ct_alpha", 0.0)
    return max(float(ct), 0.0) if np.isfinite(ct) else 0.0


def _layout(design: Design, n: int, rng: np.random.Generator) -> pd.DataFrame:
    if design.schedule is not None:
        s = design.schedule
        mins = session_minutes(s["start"].astype(str).str[:5], s["end"].astype(str).str[:5])
        lay = pd.DataFrame(
            {
                "zone": s["zone"].to_numpy(),
                "minutes": np.asarray(mins, dtype=float),
                "activated": (s["activation"] != "none").astype(int).to_numpy(),
                "date": s["date"].astype(str).to_numpy(),
            }
        )
        missing = sorted(set(lay["zone"]) - set(design.zones))
        if missing:
            raise ParameterError(
                f"the schedule has zone(s) {', '.join(missing)} that the pilot has no rate for"
            )
        return lay
    zones = list(design.zone_share)
    lay = pd.DataFrame(
        {
            "zone": rng.choice(zones, size=n, p=list(design.zone_share.values())),
            "minutes": rng.choice(np.asarray(design.minutes, dtype=float), size=n),
            "activated": (rng.random(n) < design.activated_share).astype(int),
        }
    )
    n_dates = max(2, round(n / design.sessions_per_date))
    lay["date"] = rng.integers(0, n_dates, size=n).astype(str)
    return lay


def _simulate(design: Design, n: int, n_sim: int, seed: int, level: float) -> dict[str, np.ndarray]:
    import warnings

    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    out = {o: np.full((n_sim, 3), np.nan) for o in OUTCOMES}
    for k in range(n_sim):
        lay = _layout(design, n, rng)
        if lay["activated"].nunique() < 2:
            continue
        zones = sorted(lay["zone"].unique())
        X = np.column_stack(
            [np.ones(len(lay)), lay["activated"].to_numpy()]
            + [(lay["zone"] == z).to_numpy(float) for z in zones[1:]]
        )
        offset = np.log(lay["minutes"].to_numpy())
        groups = pd.factorize(lay["date"])[0]
        for o in OUTCOMES:
            rate = lay["zone"].map(design.rates[o]).to_numpy()
            mu = (
                lay["minutes"].to_numpy()
                * rate
                * design.rate_ratio[o] ** lay["activated"].to_numpy()
            )
            a = design.alpha[o]
            lam = rng.gamma(1 / a, mu * a) if a > 0 else mu
            y = rng.poisson(lam)
            if y.sum() == 0 or y[lay["activated"].to_numpy() == 1].sum() == 0:
                continue
            fam = (
                sm.families.NegativeBinomial(alpha=a)
                if a > 0 and design.family[o] == "negbin"
                else sm.families.Poisson()
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    res = sm.GLM(y, X, family=fam, offset=offset).fit(
                        cov_type="cluster", cov_kwds={"groups": groups}
                    )
                except (ValueError, np.linalg.LinAlgError):
                    continue
            b, se = res.params[1], res.bse[1]
            if not (np.isfinite(b) and np.isfinite(se)):
                continue
            z = _z(level)
            out[o][k] = (b, math.exp(b - z * se), math.exp(b + z * se))
    return out


def _z(level: float) -> float:
    from scipy import stats

    return float(stats.norm.ppf(0.5 + level / 2))


def expected_precision(
    sessions: int | None = None,
    *,
    pilot: str | Path | None = None,
    schedule: pd.DataFrame | None = None,
    design: Design | None = None,
    rate_ratio: Mapping[str, float] | None = None,
    target: Mapping[str, object] | None = None,
    n_sim: int = 200,
    seed: int = 1,
    level: float = 0.95,
) -> pd.DataFrame:
    """Expected CI widths of the two headline rate ratios for a planned number of sessions.

    Parameters
    ----------
    sessions : int, optional
        Planned sessions (a double observation counts once); the schedule's
        length when a schedule is given.
    pilot : path, optional
        Pilot data folder for the overdispersion, base rates and layout.
    schedule : DataFrame, optional
        The planned schedule (zones, times, activation states, dates).
    design : Design, optional
        Instead of ``pilot`` (from :func:`design_from_pilot`).
    rate_ratio : mapping, optional
        ``{"target_staying": ..., "drug_sale": ...}`` to plan for.
    target : mapping, optional
        The target group (default: as :func:`design_from_pilot`).
    n_sim : int
        Simulated data sets.
    seed : int
    level : float

    Returns
    -------
    DataFrame
        One row per outcome: ``outcome``, ``sessions``, ``rate_ratio``
        (assumed), ``alpha``, ``rate_per_hour`` (mean base rate without
        activation), ``ci_width`` (mean of ``ci_high - ci_low``),
        ``ci_width_p10``, ``ci_width_p90``, ``ci_ratio`` (mean
        ``ci_high / ci_low``), ``half_log_width`` (mean of
        ``log(ci_high / ci_low) / 2``), ``n_sim`` (fits that succeeded),
        ``source``.

    Examples
    --------
    >>> p = expected_precision(200, n_sim=40, seed=3)
    >>> p[["outcome", "sessions", "rate_ratio"]]
              outcome  sessions  rate_ratio
    0  target_staying       200         1.5
    1       drug_sale       200         0.7
    >>> bool((p["ci_width"] > 0).all())
    True
    """
    if design is None:
        design = design_from_pilot(pilot, target=target, rate_ratio=rate_ratio, schedule=schedule)
    elif rate_ratio:
        design.rate_ratio.update(rate_ratio)
    if schedule is not None:
        design.schedule = schedule
    n = len(design.schedule) if design.schedule is not None else sessions
    if n is None or n < 4:
        raise ParameterError("precision: give at least 4 planned sessions (or a schedule)")
    if n_sim < 10:
        raise ParameterError("precision: n_sim must be at least 10")
    if design.schedule is not None and (design.schedule["activation"] == "none").nunique() < 2:
        raise ParameterError(
            "precision: the schedule has sessions in one activation state only (all 'none' or "
            "all activated), so no rate ratio of activation can be estimated from it"
        )
    sims = _simulate(design, int(n), n_sim, seed, level)
    rows = []
    for o, arr in sims.items():
        ok = arr[np.isfinite(arr).all(axis=1)]
        width = ok[:, 2] - ok[:, 1] if len(ok) else np.array([np.nan])
        rows.append(
            {
                "outcome": o,
                "sessions": int(n),
                "rate_ratio": design.rate_ratio[o],
                "alpha": design.alpha[o],
                "rate_per_hour": float(
                    sum(design.rates[o][z] * w for z, w in design.zone_share.items()) * 60
                ),
                "ci_width": float(np.mean(width)),
                "ci_width_p10": float(np.percentile(width, 10)),
                "ci_width_p90": float(np.percentile(width, 90)),
                "ci_ratio": float(np.mean(ok[:, 2] / ok[:, 1])) if len(ok) else np.nan,
                "half_log_width": float(np.mean(np.log(ok[:, 2] / ok[:, 1]) / 2))
                if len(ok)
                else np.nan,
                "n_sim": len(ok),
                "source": design.source,
            }
        )
    return pd.DataFrame(rows)


def sessions_for_width(
    precision: pd.DataFrame, width: float, outcome: str = "target_staying"
) -> int:
    """Sessions needed for an expected CI width, scaling a simulated result.

    The half-width of the log CI shrinks as 1/sqrt(sessions); a width ``w``
    at rate ratio ``r`` needs a half log-width of ``asinh(w / (2 r))``.

    Parameters
    ----------
    precision : DataFrame
        From :func:`expected_precision`.
    width : float
        Wanted ``ci_high - ci_low``.
    outcome : str

    Examples
    --------
    >>> p = pd.DataFrame({"outcome": ["target_staying"], "sessions": [100],
    ...                   "rate_ratio": [1.5], "half_log_width": [0.4]})
    >>> sessions_for_width(p, 0.6)
    406
    """
    if width <= 0:
        raise ParameterError("precision: the wanted CI width must be positive")
    row = precision.set_index("outcome").loc[outcome]
    h = math.asinh(width / (2 * row["rate_ratio"]))
    return int(math.ceil(row["sessions"] * (row["half_log_width"] / h) ** 2))
