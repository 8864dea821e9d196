"""Rates with exposure and proportions, each with its confidence interval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

__all__ = [
    "poisson_ci",
    "wilson_ci",
    "rate_table",
    "share_table",
    "area_rates",
    "clustered_rate_table",
]

#: Fewer events than this in a group and its interval is the exact Poisson one.
MIN_EVENTS_ROBUST = 5


def poisson_ci(
    count: ArrayLike, exposure: ArrayLike = 1.0, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) confidence interval of a Poisson rate ``count / exposure``.

    Notes
    -----
    lower = chi2(a/2; 2k) / 2, upper = chi2(1 - a/2; 2k + 2) / 2, divided by
    the exposure; lower = 0 when k = 0 (Garwood 1936).

    References
    ----------
    Garwood F. Fiducial limits for the Poisson distribution. Biometrika 1936;28:437-442.

    Examples
    --------
    >>> lo, hi = poisson_ci(10, 2.0)
    >>> round(float(lo), 4), round(float(hi), 4)
    (2.3977, 9.195)
    """
    k = np.asarray(count, dtype=float)
    e = np.asarray(exposure, dtype=float)
    a = 1 - level
    lo = np.where(k > 0, stats.chi2.ppf(a / 2, 2 * k) / 2, 0.0)
    hi = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    return lo / e, hi / e


def wilson_ci(k: ArrayLike, n: ArrayLike, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``k / n`` (statsmodels).

    Examples
    --------
    >>> lo, hi = wilson_ci(81, 263)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.2553, 0.3662)
    """
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(np.asarray(k), np.asarray(n), alpha=1 - level, method="wilson")
    return np.asarray(lo), np.asarray(hi)


def _filter(counts: pd.DataFrame, target: Mapping[str, object] | None) -> pd.DataFrame:
    if not target:
        return counts
    mask = pd.Series(True, index=counts.index)
    for col, val in target.items():
        if col not in counts:
            raise KeyError(f"target: counts have no column {col!r}")
        vals = val if isinstance(val, (list, tuple, set)) else [val]
        mask &= counts[col].isin(list(vals))
    return counts[mask]


def session_totals(
    counts: pd.DataFrame,
    sessions: pd.DataFrame,
    target: Mapping[str, object] | None = None,
    name: str = "count",
) -> pd.DataFrame:
    """``sessions`` with a column ``name``: the target group's count in each session (0 if none)."""
    per = _filter(counts, target).groupby("session_id")["count"].sum()
    out = sessions.copy()
    out[name] = out["session_id"].map(per).fillna(0).astype(int)
    return out


def rate_table(
    counts: pd.DataFrame,
    sessions: pd.DataFrame,
    by: Sequence[str] = ("activation",),
    target: Mapping[str, object] | None = None,
    per_minutes: float = 60.0,
    level: float = 0.95,
) -> pd.DataFrame:
    """People per observation hour, by any grouping of the sessions.

    Parameters
    ----------
    counts : DataFrame
        ``session_id, gender, age_band, activity, count`` (observations/counts.csv).
    sessions : DataFrame
        One row per session with ``session_id``, ``minutes`` and the ``by``
        columns (e.g. activation, zone, daypart, weekend, month, weather).
    by : sequence of str
        Grouping columns of ``sessions``.
    target : mapping, optional
        Filter of the counts, e.g. ``{"gender": "female", "age_band": "13-18",
        "activity": "staying"}``; values may be lists. ``None``: everybody.
    per_minutes : float
        Rate unit (60: per hour).

    Returns
    -------
    DataFrame
        The ``by`` columns, then ``sessions`` (n), ``hours`` (exposure),
        ``count``, ``rate`` (per ``per_minutes``), ``ci_low``, ``ci_high``
        (exact Poisson).

    Notes
    -----
    The exact Poisson interval treats people as arriving independently; when
    sessions vary more than that (overdispersion) the interval is too narrow.
    The count model (:func:`~evaluation.stats.rate_ratio_model`) handles that.

    Examples
    --------
    >>> sessions = pd.DataFrame({"session_id": ["a", "b"], "minutes": [60, 30], "activation": ["art", "none"]})
    >>> counts = pd.DataFrame({"session_id": ["a", "b"], "gender": "female", "age_band": "13-18",
    ...                        "activity": "staying", "count": [6, 1]})
    >>> rate_table(counts, sessions, by=["activation"]).round(2)
      activation  sessions  hours  count  rate  ci_low  ci_high
    0        art         1    1.0      6   6.0    2.20    13.06
    1       none         1    0.5      1   2.0    0.05    11.14
    """
    s = session_totals(counts, sessions, target)
    g = s.groupby(list(by), observed=True, dropna=False)
    out = g.agg(
        sessions=("session_id", "size"), minutes=("minutes", "sum"), count=("count", "sum")
    ).reset_index()
    exposure = out["minutes"] / per_minutes
    out["hours"] = out["minutes"] / 60.0
    out["rate"] = out["count"] / exposure
    lo, hi = poisson_ci(out["count"], exposure, level)
    out["ci_low"], out["ci_high"] = lo, hi
    return out[[*by, "sessions", "hours", "count", "rate", "ci_low", "ci_high"]]


def share_table(
    counts: pd.DataFrame,
    sessions: pd.DataFrame,
    numerator: Mapping[str, object],
    denominator: Mapping[str, object] | None = None,
    by: Sequence[str] = ("activation",),
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of people in one group among another, with Wilson CIs.

    E.g. the target group among all visitors (``numerator={"gender": "female",
    "age_band": "13-18"}``), or staying among the target group
    (``numerator={..., "activity": "staying"}``, ``denominator={gender, age_band}``).
    The numerator filter must be a subset of the denominator filter.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n`` (denominator people), ``k`` (numerator
        people), ``share``, ``ci_low``, ``ci_high``.

    Notes
    -----
    Wilson's interval treats people as independent; people come in groups, so
    it is optimistic. Read it as a description, not a test.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b"], "activation": ["none", "art"]})
    >>> counts = pd.DataFrame({"session_id": ["a", "a", "b", "b"], "gender": ["female", "male"] * 2,
    ...                        "age_band": "13-18", "count": [2, 8, 6, 4]})
    >>> share_table(counts, s, {"gender": "female"}).round(3)
      activation   n  k  share  ci_low  ci_high
    0        art  10  6    0.6   0.313    0.832
    1       none  10  2    0.2   0.057    0.510
    """
    s = session_totals(counts, sessions, denominator, "n")
    s = s.merge(
        session_totals(counts, sessions, {**(denominator or {}), **numerator}, "k")[
            ["session_id", "k"]
        ],
        on="session_id",
    )
    out = s.groupby(list(by), observed=True).agg(n=("n", "sum"), k=("k", "sum")).reset_index()
    out["share"] = np.where(out["n"] > 0, out["k"] / out["n"].where(out["n"] > 0, 1), np.nan)
    lo, hi = wilson_ci(out["k"], out["n"].where(out["n"] > 0, 1), level)
    out["ci_low"] = np.where(out["n"] > 0, lo, np.nan)
    out["ci_high"] = np.where(out["n"] > 0, hi, np.nan)
    return out[[*by, "n", "k", "share", "ci_low", "ci_high"]]


def area_rates(
    reported: pd.DataFrame,
    areas: pd.DataFrame,
    area: str,
    category: str | Sequence[str] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Reported crimes per year in one area: total, per hectare, per 1,000 residents, change.

    Parameters
    ----------
    reported : DataFrame
        ``month`` (datetime), ``area``, ``category``, ``count``.
    areas : DataFrame
        ``area``, ``year``, ``hectares``, ``population``.
    area : str
    category : str, list or None
        One category, several (summed) or all.

    Returns
    -------
    DataFrame
        ``year``, ``months`` (months with data), ``count``, ``hectares``,
        ``per_hectare``, ``ph_ci_low``, ``ph_ci_high`` (exact Poisson),
        ``population``, ``per_1000``, ``change_total`` (ratio to the previous
        year), ``change_per_hectare``, ``chg_ci_low``, ``chg_ci_high`` (score
        interval of the ratio of the per-hectare rates, statsmodels
        ``confint_poisson_2indep``).

    References
    ----------
    Gu K, Ng HKT, Tang ML, Schucany WR. Testing the ratio of two Poisson
    rates. Biom J 2008;50:283-298.

    Notes
    -----
    The change interval is the score interval of the ratio of two Poisson
    rates (Gu et al. 2008; Wald statistic with the variance at the
    constrained maximum likelihood estimates). When the current year
    has no crimes the estimate is 0 and the interval is 0 to
    ``z^2 t_prev / (x_prev t_now)`` (the score equation then has this closed
    form); when the previous year has none the change is undefined (NaN).

    When the area shrinks, the count can fall while the rate per hectare
    rises: both are true, and they answer different questions (how many
    crimes, and how concentrated they are).

    Examples
    --------
    >>> rep = pd.DataFrame({"month": pd.to_datetime(["2021-01-01", "2021-02-01", "2022-01-01"]),
    ...                     "area": "site", "category": "theft", "count": [10, 20, 45]})
    >>> areas = pd.DataFrame({"area": "site", "year": [2021, 2022], "hectares": 5.0, "population": 800})
    >>> cols = ["year", "count", "per_hectare", "change_per_hectare", "chg_ci_low", "chg_ci_high"]
    >>> area_rates(rep, areas, "site", "theft")[cols].round(3)
       year  count  per_hectare  change_per_hectare  chg_ci_low  chg_ci_high
    0  2021     30          6.0                 NaN         NaN          NaN
    1  2022     45          9.0                 1.5       0.949        2.371
    """
    from statsmodels.stats.rates import confint_poisson_2indep

    r = reported[reported["area"] == area]
    if category is not None:
        cats = [category] if isinstance(category, str) else list(category)
        r = r[r["category"].isin(cats)]
    per_year = r.groupby(r["month"].dt.year).agg(
        count=("count", "sum"), months=("month", "nunique")
    )
    per_year.index.name = "year"
    a = areas[areas["area"] == area].set_index("year")
    out = per_year.reset_index()
    out["year"] = out["year"].astype(int)
    out["hectares"] = out["year"].map(a["hectares"].to_dict()).astype(float)
    out["per_hectare"] = out["count"] / out["hectares"]
    lo, hi = poisson_ci(out["count"], out["hectares"], level)
    out["ph_ci_low"], out["ph_ci_high"] = lo, hi
    pop = (
        out["year"].map(a["population"].astype("Float64").to_dict())
        if "population" in a
        else pd.Series(np.nan, index=out.index)
    )
    out["population"] = pd.to_numeric(pop, errors="coerce").astype(float)
    out["per_1000"] = out["count"] / out["population"] * 1000
    prev = out.shift(1)
    out["change_total"] = out["count"] / prev["count"]
    out["change_per_hectare"] = out["per_hectare"] / prev["per_hectare"]
    cl, ch = [], []
    prev_count = prev["count"].to_numpy(dtype=float)
    for i in range(len(out)):
        if i == 0 or prev_count[i] == 0 or np.isnan(prev_count[i]):
            cl.append(np.nan)
            ch.append(np.nan)
            continue
        low, high = confint_poisson_2indep(
            out.loc[i, "count"],
            out.loc[i, "hectares"],
            prev.loc[i, "count"],
            prev.loc[i, "hectares"],
            method="score",
            compare="ratio",
            alpha=1 - level,
        )
        if out.loc[i, "count"] == 0:
            # statsmodels' root search returns the upper limit twice when the current count
            # is 0; the score interval's lower limit is then 0 (the ratio's boundary)
            low = 0.0
        cl.append(float(low))
        ch.append(float(high))
    out["chg_ci_low"], out["chg_ci_high"] = cl, ch
    return out[
        [
            "year",
            "months",
            "count",
            "hectares",
            "per_hectare",
            "ph_ci_low",
            "ph_ci_high",
            "population",
            "per_1000",
            "change_total",
            "change_per_hectare",
            "chg_ci_low",
            "chg_ci_high",
        ]
    ]


def clustered_rate_table(
    df: pd.DataFrame,
    count: str,
    exposure: str,
    by: Sequence[str] = (),
    cluster: str | None = None,
    per: float = 60.0,
    level: float = 0.95,
    ci: str = "t",
) -> pd.DataFrame:
    """Event rates per unit of exposure by group, with intervals that allow for clustering.

    Parameters
    ----------
    df : DataFrame
        One row per unit (e.g. session) with the event ``count``, the
        ``exposure`` (e.g. minutes observed), the ``by`` columns and the
        ``cluster`` column.
    count, exposure : str
    by : sequence of str
        Grouping columns (``()``: one row for everything).
    cluster : str, optional
        Cluster ids (e.g. the date): units of one cluster are not
        independent. ``None``: every row its own cluster.
    per : float
        Rate unit in exposure units (60: per hour when exposure is minutes).
    level : float
    ci : {"t", "z"}
        t(G - 1) or normal quantiles for the cluster-robust interval.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``units``, ``clusters``, ``exposure`` (summed,
        in ``per`` units: hours), ``events``, ``rate``, ``ci_low``,
        ``ci_high``, ``ci_method``.

    Notes
    -----
    The rate is the ratio estimator R = sum(y) / sum(e). Its variance is the
    cluster-robust (linearisation) one, V = G/(G-1) sum_g (y_g - R e_g)^2 /
    (sum e)^2 with y_g, e_g the cluster totals: the CR1 sandwich of an
    intercept-only Poisson GLM with offset log(e), R ``sandwich::vcovCL(
    glm(y ~ 1, offset = log(e), family = poisson), cluster = ~g, type =
    "HC1")`` (with one parameter (n-1)/(n-k) is 1). The interval is
    R exp(-/+ q se / R) on the log scale, q from t(G - 1) (``ci="t"``) or
    the normal. With fewer than 5 events, or fewer than 2 clusters, a Wald
    interval is unreliable and the exact Poisson (Garwood) interval is used
    instead, which ignores the clustering (``ci_method`` says which).

    Examples
    --------
    >>> d = pd.DataFrame({"y": [0, 2, 1, 3, 0, 4], "minutes": [30, 60, 30, 60, 45, 60],
    ...                   "day": [1, 1, 2, 2, 3, 3]})
    >>> print(clustered_rate_table(d, "y", "minutes", cluster="day").round(3).to_string())
       units  clusters  exposure  events   rate  ci_low  ci_high            ci_method
    0      6         3      4.75      10  2.105   0.972    4.559  cluster-robust t(2)
    """
    from ._inference import check_ci

    check_ci(ci)
    for col in [count, exposure, *by] + ([cluster] if cluster else []):
        if col not in df:
            raise KeyError(f"no column {col!r}")
    d = df.copy()
    d["_y"] = pd.to_numeric(d[count]).astype(float)
    d["_e"] = pd.to_numeric(d[exposure]).astype(float) / per
    d["_g"] = d[cluster].astype(str) if cluster else np.arange(len(d)).astype(str)
    if cluster and d[cluster].isna().any():
        raise KeyError(f"cluster column {cluster!r} has missing values")
    groups = d.groupby(list(by), observed=True, dropna=False) if by else [((), d)]
    rows = []
    for key, g in groups:
        key = key if isinstance(key, tuple) else (key,)
        y, e = g["_y"].sum(), g["_e"].sum()
        tot = g.groupby("_g").agg(y=("_y", "sum"), e=("_e", "sum"))
        G = len(tot)
        rate = y / e if e > 0 else np.nan
        if y >= MIN_EVENTS_ROBUST and G >= 2:
            resid = tot["y"] - rate * tot["e"]
            se_log = float(np.sqrt(G / (G - 1) * (resid**2).sum()) / e / rate)
            dist = stats.norm if ci == "z" else stats.t(G - 1)
            q = dist.ppf(0.5 + level / 2)
            lo, hi = rate * np.exp(-q * se_log), rate * np.exp(q * se_log)
            method = "cluster-robust " + ("normal" if ci == "z" else f"t({G - 1})")
        else:
            lo, hi = poisson_ci(y, e, level)
            lo, hi = float(lo), float(hi)
            method = "exact Poisson (few events or clusters)"
        rows.append(
            {
                **dict(zip(by, key, strict=False)),
                "units": int(len(g)),
                "clusters": int(G),
                "exposure": float(e),
                "events": int(y) if float(y).is_integer() else float(y),
                "rate": rate,
                "ci_low": lo,
                "ci_high": hi,
                "ci_method": method,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            *by,
            "units",
            "clusters",
            "exposure",
            "events",
            "rate",
            "ci_low",
            "ci_high",
            "ci_method",
        ],
    )
