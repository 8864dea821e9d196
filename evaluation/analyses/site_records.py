"""01's results records: each rate ratio as a :class:`~evaluation.results.RateRatioEstimate`
with its named checks, a conflict rate as a :class:`~evaluation.results.ConflictRate`, and
the calendar's co-interventions (shared with 03)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..results import Check, CoIntervention, ConflictRate, RateRatioEstimate, as_json
from ..stats._family import DISPERSION_THRESHOLD as _FAMILY_THRESHOLD
from ..stats.counts import RateRatioResult

__all__ = [
    "DISPERSION_THRESHOLD",
    "MIN_CLUSTERS",
    "model_checks",
    "effect_entry",
    "effect_record",
    "conflict_rate",
    "co_interventions",
]


#: Pearson chi2/df above which a Poisson model with model-based errors is overdispersed:
#: the family rule's threshold (one number for the count model, the ITS and this check)
DISPERSION_THRESHOLD = _FAMILY_THRESHOLD
#: fewest clusters for cluster-robust errors to be trusted (Cameron & Miller 2015)
MIN_CLUSTERS = 20


def model_checks(res: RateRatioResult) -> list[Check]:
    """The named checks of a rate-ratio model, each passed or not.

    - ``overdispersion``: the variance is allowed for: a negative binomial or
      quasi-Poisson family, cluster-robust errors, or a Poisson fit with Pearson
      chi2/df <= 1.2 (the family rule's threshold);
    - ``clusters`` (with cluster-robust errors only): at least 20 clusters,
      below which such errors are too small (Cameron & Miller 2015).

    References
    ----------
    Cameron AC, Miller DL. A practitioner's guide to cluster-robust
    inference. J Hum Resour. 2015;50(2):317-372.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> res = NS(family="poisson", fit={"dispersion": 1.1, "cov_type": "cluster-robust (CR1)", "n_clusters": 12})
    >>> [(c.name, c.passed) for c in model_checks(res)]
    [('overdispersion', True), ('clusters', False)]
    """
    f = res.fit
    disp = f.get("dispersion")
    out = [
        Check(
            "overdispersion",
            bool(
                res.family in ("negbin", "quasipoisson")
                or str(f.get("cov_type", "")).startswith("cluster-robust")
                or (disp is not None and disp <= DISPERSION_THRESHOLD)
            ),
            None if disp is None else float(disp),
            DISPERSION_THRESHOLD,
        )
    ]
    if f.get("n_clusters"):
        out.append(
            Check(
                "clusters",
                int(f["n_clusters"]) >= MIN_CLUSTERS,
                float(f["n_clusters"]),
                float(MIN_CLUSTERS),
            )
        )
    return out


def effect_entry(
    res: RateRatioResult | None,
    term: str,
    n: int,
    error: str | None = None,
    measure: str = "rate_ratio",
) -> dict:
    """The results-JSON entry of one rate ratio (contract of 01_site_observations.json).

    An :class:`evaluation.results.RateRatioEstimate`: ``estimate``, ``ci_low``,
    ``ci_high``, ``p_value``, ``family``, ``n_sessions`` (issue 5), with
    ``measure``, ``scale`` (ratio), ``null_value`` (1), ``n``, ``checks``,
    ``notes``, ``dispersion``, ``n_clusters`` and ``error`` (why it could not
    be estimated, else ``None``).

    Examples
    --------
    >>> e = effect_entry(None, "activated", 40, error="only one activation state observed")
    >>> e["estimate"], e["n_sessions"], e["error"]
    (None, 40, 'only one activation state observed')
    """
    return as_json(effect_record(res, term, n, error, measure))


def effect_record(
    res: RateRatioResult | None,
    term: str,
    n: int,
    error: str | None = None,
    measure: str = "rate_ratio",
) -> RateRatioEstimate:
    """The :class:`~evaluation.results.RateRatioEstimate` of one model term.

    ``res`` ``None`` (the model could not be fitted) gives an estimate with
    ``error`` (and the same text in ``notes``).

    Examples
    --------
    >>> import numpy as np
    >>> from evaluation.stats import rate_ratio_model
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"activated": np.repeat([0, 1], 100), "minutes": 60.0})
    >>> d["y"] = rng.poisson(2.0 * np.where(d.activated == 1, 1.5, 1.0))
    >>> res = rate_ratio_model(d, "y", "minutes", "activated", family="poisson")
    >>> r = effect_record(res, "activated", 200)
    >>> round(r.estimate, 2), r.family, [c.name for c in r.checks]
    (1.6, 'poisson', ['overdispersion'])
    """
    if res is None:
        return RateRatioEstimate(
            measure, None, n=n, n_sessions=n, error=error, notes=[error] if error else []
        )
    rr, lo, hi, p = res.table.loc[term, ["rate_ratio", "ci_low", "ci_high", "p_value"]].to_numpy(
        dtype=float
    )
    return RateRatioEstimate(
        measure,
        float(rr),
        float(lo),
        float(hi),
        float(p),
        family=res.family,
        n=n,
        checks=model_checks(res),
        n_sessions=n,
        dispersion=float(res.fit["dispersion"]),
        n_clusters=res.fit["n_clusters"],
    )


def conflict_rate(row: pd.Series | dict[str, Any]) -> ConflictRate:
    """One row of :func:`~evaluation.analyses.conflict.method_conflict_rates` as a record.

    Examples
    --------
    >>> from evaluation.analyses.conflict import method_conflict_rates
    >>> per = pd.DataFrame({"activation": ["art", "none"], "minutes": [60, 30], "date": ["d1", "d2"],
    ...                     "target_staying": [2, 1], "drug_sale": [3, 0]})
    >>> r = conflict_rate(method_conflict_rates(per, ["activation"], cluster=None).iloc[0])
    >>> r.sessions, r.hours, r.co_presence_sales, r.rate, r.ci_method
    (1, 1.0, 3, 3.0, 'exact Poisson (few events or clusters)')
    """

    def num(v: Any) -> float | None:
        return None if pd.isna(v) else float(v)

    return ConflictRate(
        sessions=int(row["sessions"]),
        hours=float(row["hours"]),
        co_presence_sales=int(row["co_presence_sales"]),
        rate=num(row["rate"]),
        ci_low=num(row["ci_low"]),
        ci_high=num(row["ci_high"]),
        ci_method=None if pd.isna(row["ci_method"]) else str(row["ci_method"]),
        sales=int(row["sales"]),
        hours_target_present=num(row["hours_target_present"]),
    )


def co_interventions(calendar: pd.DataFrame | None, kind: str = "policing") -> list[CoIntervention]:
    """The calendar's co-interventions (rows of ``kind``, e.g. cameras, police operations).

    Examples
    --------
    >>> cal = pd.DataFrame({"name": ["cameras", "art"], "kind": ["policing", "art"],
    ...                     "start": pd.to_datetime(["2019-03-01", "2019-06-01"]),
    ...                     "end": pd.to_datetime(["2019-12-31", "2019-08-31"])})
    >>> co_interventions(cal)
    [CoIntervention(name='cameras', kind='policing', start='2019-03-01', end='2019-12-31')]
    """
    if calendar is None:
        return []
    c = calendar[calendar["kind"] == kind]
    return [
        CoIntervention(
            str(r["name"]), str(r["kind"]), f"{r['start']:%Y-%m-%d}", f"{r['end']:%Y-%m-%d}"
        )
        for r in c.to_dict("records")
    ]
