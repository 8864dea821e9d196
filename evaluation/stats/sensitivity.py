"""Sensitivity analyses: one key estimate refitted under reasonable alternative specifications.

Each function returns a tidy DataFrame with one row per variant and the
columns of :data:`SENSITIVITY_COLUMNS`:

``estimate``
    Name of the estimate (e.g. ``"level_change"`` or a results-JSON key).
``variant``
    The specification, as ``"main"`` or ``"<what>=<value>"`` (e.g.
    ``"family=negbin"``, ``"placebo=2017-06"``, ``"activation=art"``).
``value``
    The estimate (a rate ratio); NaN when the variant could not be fitted
    (the reason is in ``DataFrame.attrs["errors"]``, by variant).
``ci_low``, ``ci_high``
    Its confidence interval.

The rows are the material for a robustness judgement, not a search for the
best-looking model: the main specification stays the one reported.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ModelError
from .counts import rate_ratio_model
from .its import MIN_PERIODS, ITSResult, ITSWarning, interrupted_time_series
from .its._design import _period_of, _to_periods

__all__ = [
    "SENSITIVITY_COLUMNS",
    "its_sensitivity",
    "rate_ratio_sensitivity",
    "placebo_dates",
    "direction_robust",
]

SENSITIVITY_COLUMNS = ["estimate", "variant", "value", "ci_low", "ci_high"]
FAMILIES = ("poisson", "quasipoisson", "negbin")


def _frame(rows: list[dict], errors: dict[str, str]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
    for col in ("value", "ci_low", "ci_high"):
        out[col] = out[col].astype(float)
    out.attrs["errors"] = errors
    return out


def _estimate(table: pd.DataFrame, row: str) -> dict[str, float]:
    """``value``, ``ci_low``, ``ci_high`` of one row of a rate-ratio table (KeyError if absent)."""
    value, lo, hi = table.loc[row, ["rate_ratio", "ci_low", "ci_high"]].to_numpy(dtype=float)
    return {"value": float(value), "ci_low": float(lo), "ci_high": float(hi)}


def _label(value, kind: str) -> str:
    return str(pd.Period(ordinal=int(value), freq="M")) if kind == "month" else str(int(value))


def placebo_dates(df: pd.DataFrame, time: str, intervention: Any, n: int = 3) -> list[str]:
    """``n`` in-time placebo intervention dates, evenly spread over the pre-period.

    Each leaves at least :data:`~evaluation.stats.its.MIN_PERIODS` periods of
    the pre-period on either side, so that the placebo ITS (fitted on the
    pre-period only) can be estimated. Empty when the pre-period is too short.

    Examples
    --------
    >>> d = pd.DataFrame({"m": pd.period_range("2015-01", "2019-12", freq="M").astype(str)})
    >>> placebo_dates(d, "m", "2019-06")
    ['2016-06', '2017-03', '2018-01']
    """
    per, kind = _to_periods(df[time])
    t0 = _period_of(intervention, kind)
    pre = np.unique(per[per < t0])
    if len(pre) < 2 * MIN_PERIODS:
        return []
    lo, hi = pre.min() + MIN_PERIODS, pre.max() - MIN_PERIODS + 1
    if hi < lo:
        return []
    cands = (
        np.unique(np.round(np.linspace(lo, hi, n + 2)[1:-1]).astype(int))
        if n > 0
        else np.array([], dtype=int)
    )
    return [_label(c, kind) for c in cands]


def its_sensitivity(
    df: pd.DataFrame,
    time: str,
    outcome: str,
    intervention: Any,
    *,
    effects: Sequence[str] = ("level_change",),
    estimate: str | None = None,
    family: str = "auto",
    seasonality: str | None = "fourier",
    transition: int = 0,
    its_end: Any = None,
    alternative_ends: Sequence = (),
    transitions: Sequence[int] = (3,),
    families: Sequence[str] = FAMILIES,
    placebos: Sequence | int = 3,
    level: float = 0.95,
    ci: str = "t",
    **kw: Any,
) -> pd.DataFrame:
    """Sensitivity of an interrupted time series' effects to its specification.

    Parameters
    ----------
    df, time, outcome, intervention
        As :func:`~evaluation.stats.interrupted_time_series`.
    effects : sequence of str
        Rows of ``ITSResult.effects`` to report (``level_change``,
        ``slope_change``, ...).
    estimate : str, optional
        Prefix of the ``estimate`` column (e.g. ``"violence"`` gives
        ``"violence.level_change"``); default: the effect name alone.
    family, seasonality, transition
        The main specification.
    its_end : optional
        Last period of the main specification (inclusive); ``None``: all.
    alternative_ends : sequence
        Other last periods (``None`` in the list: the whole series).
    transitions : sequence of int
        Transition (phase-in) lengths to try, periods left out from the
        intervention on.
    families : sequence of str
        Families to try besides the main one.
    placebos : int or sequence
        In-time placebos: the number of dates spread over the pre-period
        (:func:`placebo_dates`) or the dates themselves. Each placebo ITS is
        fitted on the pre-period only (the real intervention's data left
        out), so a placebo effect away from 1 points to trend or seasonal
        misfit rather than to the intervention.
    level, ci
        As :func:`~evaluation.stats.interrupted_time_series`.
    **kw
        Other arguments of :func:`~evaluation.stats.interrupted_time_series`
        (``exposure``, ``harmonics``, ``slope_change``, ``hac_lags``,
        ``group``, ``control``), kept in every variant.

    Returns
    -------
    DataFrame
        :data:`SENSITIVITY_COLUMNS`. Variants: ``main``; ``family=<f>``
        (the families other than the one the main fit used);
        ``seasonality=<none|fourier|month>`` (the alternative to the main);
        ``transition=<k>``; ``its_end=<period|none>``; ``placebo=<period>``
        (placebo rows report the level change at the placebo date whatever
        ``effects`` says).

    Notes
    -----
    A variant that cannot be fitted (e.g. too short a series after a
    transition) gives NaN and its reason in ``attrs["errors"]``. ITS
    warnings (missing months) are silenced here: the main fit reports them.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> m = pd.period_range("2015-01", periods=72, freq="M").astype(str)
    >>> y = rng.poisson(50 * np.where(np.arange(72) >= 48, 0.7, 1.0))
    >>> d = pd.DataFrame({"month": m, "y": y})
    >>> s = its_sensitivity(d, "month", "y", "2019-01", seasonality=None, placebos=2)
    >>> s["variant"].tolist()
    ['main', 'family=quasipoisson', 'family=negbin', 'seasonality=fourier', 'transition=3', 'placebo=2016-08', 'placebo=2017-06']
    >>> bool((s.loc[s.variant == "main", "ci_high"] < 1).all())
    True
    """
    per, kind = _to_periods(df[time])
    base = {
        "intervention": intervention,
        "family": family,
        "seasonality": seasonality,
        "transition": transition,
        "level": level,
        "ci": ci,
        **kw,
    }

    def cut(end):
        return df if end is None else df[per <= _period_of(end, kind)]

    main_df = cut(its_end)
    rows: list[dict] = []
    errors: dict[str, str] = {}

    def run(variant: str, data: pd.DataFrame, names: Sequence[str], **changes):
        res = _fit_its_variant(data, time, outcome, {**base, **changes}, variant, errors)
        rows.extend(_effect_rows(res, variant, names, estimate))
        return res

    main = run("main", main_df, effects)
    variants = _its_spec_variants(
        main.family if main is not None else family,
        families,
        seasonality,
        transition,
        transitions,
    )
    for variant, changes in variants:
        run(variant, main_df, effects, **changes)
    for end in [e for e in alternative_ends if e != its_end]:
        run(f"its_end={end if end is not None else 'none'}", cut(end), effects)
    dates = (
        placebo_dates(main_df, time, intervention, placebos)
        if isinstance(placebos, int)
        else list(placebos)
    )
    pre = main_df[_to_periods(main_df[time])[0] < _period_of(intervention, kind)]
    for date in dates:
        run(f"placebo={date}", pre, ["level_change"], intervention=date, transition=0)
    return _frame(rows, errors)


def _fit_its_variant(
    data: pd.DataFrame, time: str, outcome: str, args: dict, variant: str, errors: dict[str, str]
) -> ITSResult | None:
    """The ITS of one variant, or None with the reason in ``errors[variant]``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ITSWarning)
            return interrupted_time_series(data, time, outcome, **args)
    except ModelError as exc:
        errors[variant] = str(exc)
        return None


def _effect_rows(
    res: ITSResult | None, variant: str, names: Sequence[str], estimate: str | None
) -> list[dict]:
    """One sensitivity row per effect (NaN where the fit failed or lacks the effect)."""
    rows = []
    for name in names:
        est = f"{estimate}.{name}" if estimate else name
        if res is None or name not in res.effects.index:
            rows.append({"estimate": est, "variant": variant, "value": np.nan})
            continue
        rows.append({"estimate": est, "variant": variant, **_estimate(res.effects, name)})
    return rows


def _its_spec_variants(
    main_family: str,
    families: Sequence[str],
    seasonality: str | None,
    transition: int,
    transitions: Sequence[int],
) -> list[tuple[str, dict]]:
    """The variants of the specification on the main data: (name, changed arguments)."""
    out: list[tuple[str, dict]] = [
        (f"family={fam}", {"family": fam}) for fam in families if fam != main_family
    ]
    out += [
        (f"seasonality={seas or 'none'}", {"seasonality": seas})
        for seas in (None, "fourier")
        if seas != seasonality
    ]
    out += [(f"transition={k}", {"transition": int(k)}) for k in transitions if k != transition]
    return out


def rate_ratio_sensitivity(
    df: pd.DataFrame,
    outcome: str,
    exposure: str,
    term: str,
    *,
    covariate_sets: Mapping[str, str] | Sequence[str] = ("",),
    estimate: str | None = None,
    family: str = "auto",
    families: Sequence[str] = FAMILIES,
    cluster: str | None = None,
    kind_column: str | None = None,
    reference: str = "none",
    kinds: Sequence[str] | None = None,
    level: float = 0.95,
    ci: str = "t",
) -> pd.DataFrame:
    """Sensitivity of a rate ratio to covariates, family, clustering and what "activation" means.

    Parameters
    ----------
    df, outcome, exposure
        As :func:`~evaluation.stats.rate_ratio_model`.
    term : str
        The 0/1 term whose rate ratio is the estimate (e.g. ``"activated"``).
    covariate_sets : mapping or sequence of str
        Right-hand-side additions after ``term`` (patsy, e.g.
        ``"C(zone)"``, ``"C(zone) + C(daypart)"``, ``""`` for none); the
        first is the main specification. A mapping names them
        (``{"zone": "C(zone)"}``).
    estimate : str, optional
        The ``estimate`` column (default: ``term``).
    family, families
        Main family and the families to try besides it.
    cluster : str, optional
        Cluster column of the main specification; the variant without
        clusters is added (and with clusters when the main has none and
        ``cluster`` is None: nothing to add).
    kind_column, reference, kinds : optional
        Compare each kind separately: for each value ``k`` of
        ``kind_column`` other than ``reference`` (or those in ``kinds``),
        the rows with ``reference`` or ``k`` only, ``term`` then meaning
        "``k`` rather than ``reference``" (variant ``"<kind_column>=<k>"``).
    level, ci
        As :func:`~evaluation.stats.rate_ratio_model`.

    Returns
    -------
    DataFrame
        :data:`SENSITIVITY_COLUMNS`. Variants: ``main``,
        ``covariates=<name>``, ``family=<f>`` (other than the main fit's),
        ``clusters=none``,
        ``<kind_column>=<k>``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"activation": rng.choice(["none", "art", "event"], 300),
    ...                   "zone": rng.choice(["a", "b"], 300), "minutes": 60.0})
    >>> d["activated"] = (d["activation"] != "none").astype(int)
    >>> d["y"] = rng.poisson(2.0 * np.where(d["activation"] == "art", 1.5, 1.0))
    >>> s = rate_ratio_sensitivity(d, "y", "minutes", "activated",
    ...     covariate_sets={"zone": "C(zone)", "none": ""}, kind_column="activation")
    >>> s["variant"].tolist()
    ['main', 'covariates=none', 'family=quasipoisson', 'family=negbin', 'activation=art', 'activation=event']
    >>> s.set_index("variant").loc[["activation=art", "activation=event"], "value"].round(2).tolist()
    [1.6, 1.14]
    """
    sets = (
        dict(covariate_sets)
        if isinstance(covariate_sets, Mapping)
        else {c if c else "none": c for c in covariate_sets}
    )
    if not sets:
        raise ModelError('covariate_sets: give at least one ("" for none)')
    names = list(sets)
    est = estimate or term
    rows: list[dict] = []
    errors: dict[str, str] = {}

    def rhs(extra: str) -> str:
        return term + (f" + {extra}" if extra else "")

    def run(variant: str, data: pd.DataFrame, extra: str, **kw):
        args = {"family": family, "cluster": cluster, "level": level, "ci": ci, **kw}
        res = None
        try:
            res = rate_ratio_model(data, outcome, exposure, rhs(extra), **args)
            rows.append({"estimate": est, "variant": variant, **_estimate(res.table, term)})
        except (ModelError, KeyError) as exc:
            errors[variant] = str(exc)
            rows.append({"estimate": est, "variant": variant, "value": np.nan})
        return res

    main = sets[names[0]]
    main_res = run("main", df, main)
    main_family = main_res.family if main_res is not None else family
    for name in names[1:]:
        run(f"covariates={name}", df, sets[name])
    for fam in families:
        if fam != main_family:
            run(f"family={fam}", df, main, family=fam)
    if cluster is not None:
        run("clusters=none", df, main, cluster=None)
    if kind_column is not None:
        if kind_column not in df:
            raise ModelError(f"no column {kind_column!r} for the kinds")
        present = [k for k in pd.unique(df[kind_column].dropna()) if k != reference]
        for k in kinds if kinds is not None else sorted(present, key=str):
            sub = df[df[kind_column].isin([reference, k])].copy()
            sub[term] = (sub[kind_column] == k).astype(int)
            run(f"{kind_column}={k}", sub, main)
    return _frame(rows, errors)


def direction_robust(table: pd.DataFrame, estimate: str | None = None) -> bool | None:
    """Whether an estimate's direction holds across its variants (placebos excluded).

    The rule: the main estimate's interval excludes 1 and every other
    fitted variant (not a placebo) has its point estimate on the same side
    of 1. ``None`` when the main interval includes 1 (no direction to keep)
    or the main fit failed.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": "x", "variant": ["main", "family=negbin", "placebo=2017-01"],
    ...                   "value": [0.8, 0.9, 1.3], "ci_low": [0.7, 0.75, 0.9], "ci_high": [0.9, 1.05, 1.8]})
    >>> direction_robust(t)
    True
    """
    t = table if estimate is None else table[table["estimate"] == estimate]
    main = t[t["variant"] == "main"]
    if main.empty or not np.isfinite(main["value"].iloc[0]):
        return None
    lo, hi, v = main["ci_low"].iloc[0], main["ci_high"].iloc[0], main["value"].iloc[0]
    if lo <= 1 <= hi:
        return None
    others = t[(t["variant"] != "main") & ~t["variant"].str.startswith("placebo=")]
    vals = others["value"].dropna()
    return bool(((vals > 1) == (v > 1)).all())
