"""The design matrix of an interrupted time series: periods, checks of the series, terms."""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ...errors import ModelError

__all__ = ["ITSWarning", "MIN_PERIODS", "ITSDesign", "its_design"]

MIN_PERIODS = 8


class ITSWarning(UserWarning):
    """A problem with an ITS series that does not stop the fit (e.g. missing months).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("2 period(s) missing inside the series", ITSWarning)
    >>> w[0].category.__name__
    'ITSWarning'
    """


def _to_periods(values: pd.Series) -> tuple[np.ndarray, str]:
    """Integer period numbers and the kind of time axis ('month' or 'index')."""
    if isinstance(values.dtype, pd.PeriodDtype):
        p = values.dt.asfreq("M")
    elif pd.api.types.is_datetime64_any_dtype(values):
        p = values.dt.to_period("M")
    elif pd.api.types.is_integer_dtype(values):
        return values.to_numpy(dtype=int), "index"
    else:
        try:
            p = pd.PeriodIndex(values.astype(str), freq="M").to_series(index=values.index)
        except (ValueError, TypeError) as exc:
            raise ModelError(
                f"time column: cannot read {values.iloc[0]!r} as a month ({exc}); expected periods, dates or 'YYYY-MM'"
            ) from None
    return np.array([x.ordinal for x in p], dtype=int), "month"


def _period_of(value: object, kind: str) -> int:
    if kind == "index":
        return int(value)  # type: ignore[call-overload]
    try:
        return int(pd.Period(value, freq="M").ordinal)  # type: ignore[arg-type]
    except (ValueError, TypeError) as exc:
        raise ModelError(
            f"intervention {value!r}: not a month ({exc}); expected e.g. '2019-06'"
        ) from None


def _period_name(ordinal: int, kind: str) -> str:
    return str(pd.Period(ordinal=ordinal, freq="M")) if kind == "month" else str(ordinal)


def _fourier(month_of_year: np.ndarray, harmonics: int) -> dict[str, np.ndarray]:
    out = {}
    for k in range(1, harmonics + 1):
        out[f"sin{k}"] = np.sin(2 * np.pi * k * month_of_year / 12)
        out[f"cos{k}"] = np.cos(2 * np.pi * k * month_of_year / 12)
    return out


@dataclass
class ITSDesign:
    """The data of an interrupted time series, ready to fit.

    Attributes
    ----------
    data : DataFrame
        Every row, sorted by series and period, with the model's terms (the
        columns ``columns``) and ``_y``, ``_per`` (period number), ``_label``,
        ``_offset``, ``_in_fit`` (False for transition periods) and, for a
        comparative ITS, ``treated``.
    columns : list of str
        The terms of the design matrix, in order.
    kind : str
        ``"month"`` or ``"index"`` (integer periods).
    t0 : int
        The intervention's period number.
    comparative : bool
        Two series (treated and comparison).
    missing : list of str
        Messages naming the periods missing inside a series.

    Examples
    --------
    >>> d = pd.DataFrame({"m": pd.period_range("2019-01", periods=20, freq="M"), "y": range(20)})
    >>> des = its_design(d, "m", "y", "2019-11")
    >>> des.columns, des.exog.shape, des.t0 == pd.Period("2019-11", freq="M").ordinal
    (['const', 'time', 'post', 'post_time'], (20, 4), True)
    """

    data: pd.DataFrame
    columns: list[str]
    kind: str
    t0: int
    comparative: bool = False
    missing: list[str] = field(default_factory=list)

    @property
    def fit_data(self) -> pd.DataFrame:
        """The rows in the fit (transition periods left out)."""
        return self.data[self.data["_in_fit"]]

    @property
    def exog(self) -> pd.DataFrame:
        """Design matrix of the rows in the fit."""
        return self.fit_data[self.columns].astype(float)

    @property
    def endog(self) -> np.ndarray:
        """Counts of the rows in the fit."""
        return self.fit_data["_y"].to_numpy()

    @property
    def offset(self) -> np.ndarray:
        """log(exposure) of the rows in the fit (0 without exposure)."""
        return self.fit_data["_offset"].to_numpy()

    def treated_rows(self) -> pd.DataFrame:
        """The rows of the treated series (every row of a single ITS)."""
        if not self.comparative:
            return self.data
        return self.data[self.data["treated"] == 1]


def _check_arguments(
    df: pd.DataFrame,
    columns: list[str],
    seasonality: str | None,
    control: object,
    group: str | None,
) -> None:
    if seasonality not in (None, "month", "fourier"):
        raise ModelError(f"seasonality {seasonality!r}: expected None, 'month' or 'fourier'")
    for col in columns:
        if col not in df:
            raise ModelError(f"no column {col!r} in the data")
    if (control is None) != (group is None):
        raise ModelError(
            "a comparative ITS needs both group (the series column) and control (the comparison series)"
        )


def _read_outcome(d: pd.DataFrame, outcome: str) -> None:
    y = pd.to_numeric(d[outcome], errors="coerce")
    if y.isna().any() or (y < 0).any() or (y != np.floor(y)).any():
        raise ModelError(f"outcome {outcome!r} must be counts (whole numbers >= 0) in every period")
    d["_y"] = y.astype(float)


def _mark_treated(d: pd.DataFrame, group: str, control: object) -> None:
    levels = list(pd.unique(d[group]))
    if control not in levels:
        raise ModelError(
            f"control {control!r} is not a value of {group!r} (values: {', '.join(map(str, levels))})"
        )
    if len(levels) != 2:
        raise ModelError(
            f"a comparative ITS needs exactly two series in {group!r}; found {len(levels)}"
        )
    d["treated"] = (d[group] != control).astype(float)


def _check_one_series(
    g: pd.DataFrame, d: pd.DataFrame, t0: int, intervention: object, transition: int, kind: str
) -> str | None:
    """Refuse a series too short around the intervention; name the periods missing inside it."""
    lo, hi = int(g["_per"].min()), int(g["_per"].max())
    if not (lo < t0 <= hi):
        raise ModelError(
            f"intervention {intervention} is outside the series ({d.loc[g.index[0], '_label']} to {d.loc[g.index[-1], '_label']})"
            if lo < hi
            else "the series has one period"
        )
    n_pre, n_post = int((g["_per"] < t0).sum()), int((g["_per"] >= t0 + transition).sum())
    if n_pre < MIN_PERIODS or n_post < MIN_PERIODS:
        raise ModelError(
            f"too short a series: {n_pre} periods before and {n_post} after the intervention (transition excluded); at least {MIN_PERIODS} on each side are needed"
        )
    missing = sorted(set(range(lo, hi + 1)) - set(g["_per"]))
    if not missing:
        return None
    names = [_period_name(m, kind) for m in missing]
    return f"{len(missing)} period(s) missing inside the series: {', '.join(names[:12])}{' ...' if len(names) > 12 else ''}"


def _check_series(
    d: pd.DataFrame,
    series_cols: list[str],
    t0: int,
    intervention: object,
    transition: int,
    kind: str,
) -> list[str]:
    groups: list[tuple[Hashable, pd.DataFrame]] = (
        list(d.groupby(series_cols)) if series_cols else [((), d)]
    )
    msgs = []
    for _key, g in groups:
        msg = _check_one_series(g, d, t0, intervention, transition, kind)
        if msg:
            msgs.append(msg)
            warnings.warn(msg, ITSWarning, stacklevel=4)
    return msgs


def _offset(d: pd.DataFrame, exposure: str | None) -> None:
    if exposure is None:
        d["_offset"] = 0.0
        return
    e = pd.to_numeric(d[exposure], errors="coerce")
    if e.isna().any() or (e <= 0).any():
        raise ModelError(
            f"exposure {exposure!r} must be > 0 in every period ({int((e.isna() | (e <= 0)).sum())} are not)"
        )
    d["_offset"] = np.log(e.astype(float))


def _segment_terms(
    d: pd.DataFrame, t0: int, start: int, transition: int, slope_change: bool, comparative: bool
) -> list[str]:
    d["time"] = (d["_per"] - start).astype(float)
    d["post"] = (d["_per"] >= t0).astype(float)
    d["post_time"] = (d["_per"] - t0).clip(lower=0).astype(float) * d["post"]
    d["_in_fit"] = ~((d["_per"] >= t0) & (d["_per"] < t0 + transition))
    cols = ["const", "time", "post"] + (["post_time"] if slope_change else [])
    d["const"] = 1.0
    if comparative:
        d["treated_time"] = d["treated"] * d["time"]
        d["treated_post"] = d["treated"] * d["post"]
        cols += ["treated", "treated_time", "treated_post"]
        if slope_change:
            d["treated_post_time"] = d["treated"] * d["post_time"]
            cols.append("treated_post_time")
    return cols


def _seasonal_terms(
    d: pd.DataFrame, kind: str, seasonality: str | None, harmonics: int
) -> list[str]:
    moy = ((d["_per"] % 12) + 1) if kind == "month" else ((d["_per"] - 1) % 12 + 1)
    cols = []
    if seasonality == "fourier":
        for name, v in _fourier(moy.to_numpy(), harmonics).items():
            d[name] = v
            cols.append(name)
    elif seasonality == "month":
        for m in range(2, 13):
            d[f"m{m:02d}"] = (moy == m).astype(float)
            cols.append(f"m{m:02d}")
    return cols


def its_design(
    df: pd.DataFrame,
    time: str,
    outcome: str,
    intervention: object,
    exposure: str | None = None,
    seasonality: str | None = None,
    harmonics: int = 2,
    slope_change: bool = True,
    transition: int = 0,
    control: object = None,
    group: str | None = None,
) -> ITSDesign:
    """Check an ITS's data and build its design matrix (the parameters of
    :func:`~evaluation.stats.its.interrupted_time_series`).

    Returns
    -------
    ITSDesign

    Raises
    ------
    ModelError
        A missing column, non-count outcomes, a bad time column, an
        intervention outside a series, fewer than :data:`MIN_PERIODS` periods
        on a side, zero or missing exposure, a singular design.

    Warns
    -----
    ITSWarning
        Periods missing inside a series.

    Examples
    --------
    >>> d = pd.DataFrame({"t": list(range(36)) * 2, "area": ["a"] * 36 + ["b"] * 36, "y": 5})
    >>> des = its_design(d, "t", "y", 18, seasonality="month", group="area", control="b")
    >>> des.comparative, des.kind, len(des.columns)
    (True, 'index', 19)
    """
    extra = [c for c in (exposure, group) if c]
    _check_arguments(df, [time, outcome, *extra], seasonality, control, group)
    d = df.copy()
    _read_outcome(d, outcome)
    per, kind = _to_periods(d[time])
    d["_per"] = per
    d["_label"] = [str(pd.Period(ordinal=p, freq="M")) for p in per] if kind == "month" else per
    t0 = _period_of(intervention, kind)
    if group is not None:
        _mark_treated(d, group, control)
    series_cols = ["treated"] if group is not None else []
    if d.duplicated(["_per", *series_cols]).any():
        raise ModelError(
            "more than one row for a period"
            + (" within a series" if group else "")
            + "; aggregate first"
        )
    start = int(d["_per"].min())
    msgs = _check_series(d, series_cols, t0, intervention, transition, kind)
    _offset(d, exposure)
    d = d.sort_values([*series_cols, "_per"]).reset_index(drop=True)
    cols = _segment_terms(d, t0, start, transition, slope_change, group is not None)
    cols += _seasonal_terms(d, kind, seasonality, harmonics)
    design = ITSDesign(d, cols, kind, t0, group is not None, msgs)
    X = design.exog.to_numpy()
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise ModelError(
            "the design is singular (e.g. an intervention at the very edge, or constant seasonal terms)"
        )
    return design
