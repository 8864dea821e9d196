"""Precision before fieldwork: the expected CI width of a planned schedule, by simulation.

:func:`expected_precision` answers "with N sessions laid out like this, how
wide will the 95% confidence intervals of the two headline rate ratios be?"
for the target group's staying rate ratio and the drug-sale rate ratio
(activated vs not, per observed minute). It simulates many data sets shaped
like the input of the site analysis (:func:`evaluation.analyses.site.analyse_site`:
one row per primary session with its covariates, ``activated``, ``minutes`` and
``date``) and fits each with the estimator that analysis calls,
:func:`evaluation.stats.rate_ratio_model`, with the same right-hand side
(:func:`evaluation.analyses.site.model_formula` of the same covariates, by
default :data:`~evaluation.analyses.site.DEFAULT_COVARIATES`: zone, weather,
temperature, observer), the same family rule and cluster-robust errors by
date. :func:`sessions_for_width` turns a wanted CI width into a number of sessions.

Notes
-----
The simulation model, per planned session *i*:
``y_i ~ NegBin2(mu_i, alpha)`` (Poisson when ``alpha`` = 0), with
``log mu_i = log minutes_i + x_i'b + log(RR) activated_i``, ``x_i`` the
session's covariates. Where each part comes from:

- **from a pilot data folder**: the site analysis itself is run on the pilot
  (same covariates, family rule and clusters). Its fitted model gives ``b``
  (intercept, zone, weather, temperature and observer effects) and, where it
  chose the negative binomial, ``alpha``; where it chose Poisson or
  quasi-Poisson, ``alpha`` is the NB2 maximum likelihood estimate of the same
  model (small counts hide overdispersion from the family rule but not from
  the cluster-robust errors). The planned sessions are drawn from the
  pilot's sessions a whole date at a time, so that the covariates keep their
  joint distribution, including how the season, the weather and the
  observers coincide with activation (which widens the adjusted intervals),
  and the dates keep their number of sessions;
- **from a schedule** (:func:`~.schedule.make_schedule`): the zones, lengths,
  activation states and dates of the planned sessions; the other covariates
  (weather, temperature, observer, ...) of each session are those of a pilot
  (or default) session in the same activation state, drawn at random;
- **stated defaults** (:data:`DEFAULTS`) without a pilot: weather, temperature
  and observers drawn independently of activation, so the intervals are
  those of a study in which nothing coincides with activation.

The width is ``ci_high - ci_low`` on the rate-ratio scale, at the assumed
rate ratio; ``ci_ratio`` = ``ci_high / ci_low`` does not depend on it.
Everything about the real data that the model leaves out (time of day,
weekday, ...) enters through the pilot's overdispersion.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analyses.site import covariate_term, model_formula
from ..errors import ModelError, ParameterError
from ..sources.observations import session_minutes
from ..stats import rate_ratio_model
from .design import DEFAULTS, OUTCOMES, TARGET, Design, _check_rate_ratio, design_from_pilot

__all__ = [
    "DEFAULTS",
    "TARGET",
    "OUTCOMES",
    "Design",
    "design_from_pilot",
    "expected_precision",
    "sessions_for_width",
]


def _linear_predictor(lay: pd.DataFrame, covariates: Sequence[str], params: Mapping[str, float]):
    """``x_i'b`` of every session from the model terms (a level without a term: 0)."""
    eta = np.full(len(lay), float(params.get("Intercept", 0.0)))
    for c in covariates:
        term = covariate_term(lay, c)
        if term == c:
            eta += float(params.get(c, 0.0)) * lay[c].astype(float).to_numpy()
        else:
            eta += np.array([params.get(f"{term}[T.{v}]", 0.0) for v in lay[c]], dtype=float)
    return eta


def _draw_blocks(design: Design, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` sessions drawn from the pool a whole date (cluster) at a time, relabelled."""
    pool = design.sessions
    groups = list(pool.groupby(design.block, sort=True).indices.values())
    mean_size = len(pool) / len(groups)
    picks = rng.integers(len(groups), size=int(2 * n / mean_size) + 10)
    rows = np.concatenate([groups[k] for k in picks])
    labels = np.concatenate([np.full(len(groups[k]), j) for j, k in enumerate(picks)])
    while len(rows) < n:  # only when the draw was very unlucky
        k = int(rng.integers(len(groups)))
        rows = np.append(rows, groups[k])
        labels = np.append(labels, np.full(len(groups[k]), labels.max() + 1))
    lay = pool.iloc[rows[:n]].reset_index(drop=True)
    lay[design.block] = labels[:n].astype(str)
    return lay


def _from_schedule(design: Design, rng: np.random.Generator) -> pd.DataFrame:
    """The schedule's sessions, with the other covariates of pool sessions in the same state."""
    s = design.schedule
    assert s is not None
    mins = session_minutes(s["start"].astype(str).str[:5], s["end"].astype(str).str[:5])
    lay = pd.DataFrame(
        {
            "zone": s["zone"].astype(str).to_numpy(),
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
    pool = design.sessions
    pos = np.zeros(len(lay), dtype=int)
    for state in (0, 1):
        where = np.flatnonzero(lay["activated"].to_numpy() == state)
        same = np.flatnonzero(pool["activated"].to_numpy() == state)
        same = same if len(same) else np.arange(len(pool))
        pos[where] = rng.choice(same, size=len(where))
    for c in design.covariates + [design.block]:
        if c not in lay:
            lay[c] = pool[c].iloc[pos].to_numpy()
    return lay


def _layout(design: Design, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """One simulated data set's sessions (without the outcomes)."""
    if design.schedule is not None:
        return _from_schedule(design, rng)
    return _draw_blocks(design, n, rng)


def _fit(lay: pd.DataFrame, outcome: str, design: Design, level: float) -> tuple | None:
    """The analysis' estimator on one simulated data set: (ci_low, ci_high, family)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = rate_ratio_model(
                lay,
                outcome,
                "minutes",
                model_formula(lay, design.covariates),
                family=design.family_rule,
                cluster=design.cluster,
                level=level,
            )
    except ModelError:
        return None
    lo, hi = res.table.loc["activated", ["ci_low", "ci_high"]].to_numpy(dtype=float)
    return float(lo), float(hi), res.family


def _simulate(design: Design, n: int, n_sim: int, seed: int, level: float) -> dict[str, list]:
    rng = np.random.default_rng(seed)
    out: dict[str, list] = {o: [] for o in OUTCOMES}
    for _ in range(n_sim):
        lay = _layout(design, n, rng)
        if lay["activated"].nunique() < 2:
            continue
        for o in OUTCOMES:
            eta = _linear_predictor(lay, design.covariates, design.params[o])
            mu = lay["minutes"].to_numpy(float) * np.exp(
                eta + math.log(design.rate_ratio[o]) * lay["activated"].to_numpy()
            )
            a = design.alpha[o]
            lam = rng.gamma(1 / a, mu * a) if a > 0 else mu
            got = _fit(lay.assign(**{o: rng.poisson(lam)}), o, design, level)
            if got is not None:
                out[o].append(got)
    return out


def _base_rate(design: Design, outcome: str) -> float:
    """Mean rate per hour without activation over the sessions drawn from."""
    pool = design.sessions
    eta = _linear_predictor(pool, design.covariates, design.params[outcome])
    return float(np.exp(eta).mean() * 60)


def _summary(design: Design, outcome: str, n: int, fits: list) -> dict[str, Any]:
    lo = np.array([f[0] for f in fits], dtype=float)
    hi = np.array([f[1] for f in fits], dtype=float)
    width = hi - lo if len(fits) else np.array([np.nan])
    families = pd.Series([f[2] for f in fits], dtype=object)
    return {
        "outcome": outcome,
        "sessions": int(n),
        "rate_ratio": design.rate_ratio[outcome],
        "alpha": design.alpha[outcome],
        "rate_per_hour": _base_rate(design, outcome),
        "ci_width": float(np.mean(width)),
        "ci_width_p10": float(np.percentile(width, 10)),
        "ci_width_p90": float(np.percentile(width, 90)),
        "ci_ratio": float(np.mean(hi / lo)) if len(fits) else np.nan,
        "half_log_width": float(np.mean(np.log(hi / lo) / 2)) if len(fits) else np.nan,
        "n_sim": len(fits),
        "family": str(families.mode().iloc[0]) if len(fits) else "",
        "covariates": ", ".join(design.covariates),
        "source": design.source,
    }


def _planned_sessions(design: Design, sessions: int | None, n_sim: int) -> int:
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
    return int(n)


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
        Pilot data folder for the covariates, effects and overdispersion.
    schedule : DataFrame, optional
        The planned schedule (zones, times, activation states, dates).
    design : Design, optional
        Instead of ``pilot`` (from :func:`design_from_pilot`, e.g. with other
        model options).
    rate_ratio : mapping, optional
        ``{"target_staying": ..., "drug_sale": ...}`` to plan for.
    target : mapping, optional
        The target group (default: as :func:`design_from_pilot`).
    n_sim : int
        Simulated data sets.
    seed : int
        Seed of the simulation.
    level : float
        Confidence level.

    Returns
    -------
    DataFrame
        One row per outcome: ``outcome``, ``sessions``, ``rate_ratio``
        (assumed), ``alpha``, ``rate_per_hour`` (mean base rate without
        activation), ``ci_width`` (mean of ``ci_high - ci_low``),
        ``ci_width_p10``, ``ci_width_p90``, ``ci_ratio`` (mean
        ``ci_high / ci_low``), ``half_log_width`` (mean of
        ``log(ci_high / ci_low) / 2``), ``n_sim`` (fits that succeeded),
        ``family`` (the one the estimator chose most often), ``covariates``,
        ``source``.

    Examples
    --------
    >>> p = expected_precision(200, n_sim=10, seed=3)
    >>> p[["outcome", "sessions", "rate_ratio", "n_sim"]]
              outcome  sessions  rate_ratio  n_sim
    0  target_staying       200         1.5     10
    1       drug_sale       200         0.7     10
    >>> bool((p["ci_width"] > 0).all()), p["covariates"].iloc[0]
    (True, 'zone, weather, temperature_c, observer')
    """
    if design is None:
        design = design_from_pilot(pilot, target=target, rate_ratio=rate_ratio, schedule=schedule)
    else:  # a copy: the caller's design stays as it was
        rr = {**design.rate_ratio, **_check_rate_ratio(rate_ratio)}
        design = replace(design, rate_ratio=rr, schedule=design.schedule)
    if schedule is not None:
        design = replace(design, schedule=schedule)
    n = _planned_sessions(design, sessions, n_sim)
    sims = _simulate(design, n, n_sim, seed, level)
    return pd.DataFrame([_summary(design, o, n, fits) for o, fits in sims.items()])


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
        One of :data:`OUTCOMES`.

    Returns
    -------
    int

    Examples
    --------
    >>> p = pd.DataFrame({"outcome": ["target_staying"], "sessions": [100],
    ...                   "rate_ratio": [1.5], "half_log_width": [0.4]})
    >>> sessions_for_width(p, 0.6)
    406
    """
    if width <= 0:
        raise ParameterError("precision: the wanted CI width must be positive")
    t = precision.set_index("outcome")
    if outcome not in t.index:
        raise ParameterError(
            f"precision: no row for outcome {outcome!r}; expected one of {list(t.index)}"
        )
    rr, n, half = t.loc[outcome, ["rate_ratio", "sessions", "half_log_width"]].to_numpy(dtype=float)
    h = math.asinh(width / (2 * rr))
    return int(math.ceil(n * (half / h) ** 2))
