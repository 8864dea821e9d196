"""Inter-coder reliability: Cohen's kappa, Krippendorff's alpha, a per-code table."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

if TYPE_CHECKING:
    from ..sources.codebook import Codebook

__all__ = ["cohen_kappa", "krippendorff_alpha", "intercoder_reliability", "THRESHOLDS"]

#: Krippendorff's (2004) conventions: alpha >= 0.8 reliable; 0.667 <= alpha < 0.8 tentative.
THRESHOLDS = (0.667, 0.8)


def cohen_kappa(a: Sequence, b: Sequence) -> float:
    """Cohen's kappa of two coders' labels for the same units.

    Pairs where either label is missing are dropped. Numeric labels are
    compared by value, whatever their type (``1``, ``1.0`` and ``np.int64(1)``
    are one category, so a list with ``None`` agrees with a float array with
    ``nan``); text labels are compared as written.

    Notes
    -----
    kappa = (p_o - p_e) / (1 - p_e), p_o the observed agreement and p_e the
    agreement expected from the two coders' marginal distributions. Computed
    with statsmodels (``cohens_kappa`` on the confusion table).

    References
    ----------
    Cohen J. A coefficient of agreement for nominal scales. Educ Psychol Meas 1960;20:37-46.

    Examples
    --------
    >>> a = ["yes"] * 25 + ["no"] * 25
    >>> b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    >>> round(cohen_kappa(a, b), 3)
    0.4
    """
    from statsmodels.stats.inter_rater import cohens_kappa

    a_arr, b_arr = np.asarray(a), np.asarray(b)
    if a_arr.shape != b_arr.shape:
        raise ValueError(
            f"a and b must have the same length ({a_arr.shape[0]} and {b_arr.shape[0]})"
        )
    a_arr, b_arr = a_arr.astype(object), b_arr.astype(object)
    ok = ~(pd.isna(a_arr) | pd.isna(b_arr))
    a_arr, b_arr = a_arr[ok], b_arr[ok]
    if len(a_arr) == 0:
        return float("nan")
    both = np.array([_label_key(v) for v in np.concatenate([a_arr, b_arr])], dtype=object)
    cats, inv = np.unique(both.astype(str), return_inverse=True)
    if len(cats) == 1:
        return float("nan")  # no variation: kappa undefined
    k = len(cats)
    table = np.bincount(inv[: len(a_arr)] * k + inv[len(a_arr) :], minlength=k * k).reshape(k, k)
    return float(cohens_kappa(table, return_results=False))


def _label_key(value) -> str:
    """One text key per label, so that 1, 1.0 and np.int64(1) are the same category.

    Numbers (not text) are compared by value: an integer-valued float is
    written as an integer. Text is compared as written ("1" and "1.0" differ).
    """
    if isinstance(value, (bool, np.bool_)):
        return f"b:{bool(value)}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        return f"n:{int(x)}" if x.is_integer() else f"n:{x!r}"
    return f"s:{value}"


def _binary_kappa(x: np.ndarray, y: np.ndarray) -> float:
    """Cohen's kappa of two 0/1 arrays (no missing values), from the 2x2 table directly."""
    n = len(x)
    if n == 0:
        return float("nan")
    px, py = x.mean(), y.mean()
    po = float((x == y).mean())
    pe = px * py + (1 - px) * (1 - py)
    if pe == 1:
        return float("nan")
    return float((po - pe) / (1 - pe))


def krippendorff_alpha(data: npt.ArrayLike, level: str = "nominal") -> float:
    """Krippendorff's alpha for coders x units data with NaN for missing values.

    Parameters
    ----------
    data : array-like, shape (coders, units)
        Numeric values (categories as numbers); ``NaN`` where a coder did not
        code a unit.
    level : {"nominal", "ordinal", "interval", "ratio"}

    Notes
    -----
    alpha = 1 - D_o / D_e, observed over expected disagreement from the
    coincidence matrix of pairable values. Computed by the ``krippendorff``
    package (Castro 2017).

    References
    ----------
    Krippendorff K. Computing Krippendorff's alpha-reliability. 2011.
    https://repository.upenn.edu/asc_papers/43

    Examples
    --------
    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(data, "nominal"), 3)
    0.743
    """
    import krippendorff

    if level not in ("nominal", "ordinal", "interval", "ratio"):
        raise ValueError(f"level {level!r}: expected nominal, ordinal, interval or ratio")
    arr = np.asarray(data, dtype=float)
    if arr.ndim != 2:
        raise ValueError("data must be 2-D: coders x units")
    pairable = np.sum(~np.isnan(arr), axis=0) >= 2
    vals = arr[:, pairable]
    vals = vals[~np.isnan(vals)]
    if pairable.sum() == 0 or len(vals) == 0 or vals.min() == vals.max():
        return float("nan")  # nothing pairable, or no variation
    if level == "interval":
        return _interval_alpha(arr)
    return float(krippendorff.alpha(reliability_data=arr, level_of_measurement=cast(Any, level)))


def _interval_alpha(arr: np.ndarray) -> float:
    """Krippendorff's alpha, interval level, in O(values) memory and time.

    alpha = 1 - (n - 1) * sum_u [sum_{i != j in u} (x_i - x_j)^2 / (m_u - 1)]
                        / sum_{i != j} (x_i - x_j)^2
    over the pairable values (units with m_u >= 2 values, n of them in all);
    both sums over ordered pairs. Within a unit, sum_{i != j} (x_i - x_j)^2 =
    2 m_u SS_u, and over all values 2 n SS, so no pair table is needed (the
    ``krippendorff`` package builds a units x V x V array, V distinct values,
    which does not fit in memory for counts).
    """
    m = np.sum(~np.isnan(arr), axis=0)
    x = arr[:, m >= 2]
    m = m[m >= 2]
    n = int(m.sum())
    if n == 0:
        return float("nan")
    means = np.nanmean(x, axis=0)
    ss_u = np.nansum((x - means) ** 2, axis=0)
    within = np.sum(2 * m * ss_u / (m - 1))
    vals = x[~np.isnan(x)]
    total = 2 * n * np.sum((vals - vals.mean()) ** 2)
    if total == 0:
        return float("nan")
    return float(1 - (n - 1) * within / total)


def _flag(alpha: float) -> str:
    if np.isnan(alpha):
        return "not estimable"
    if alpha >= THRESHOLDS[1]:
        return "reliable"
    if alpha >= THRESHOLDS[0]:
        return "tentative"
    return "unreliable"


def intercoder_reliability(
    codings: pd.DataFrame,
    segments: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
    coders: Sequence[str] | None = None,
    rollup: bool = True,
    include_moderator: bool = False,
) -> pd.DataFrame:
    """Per-code reliability over the segments coded by two or more coders.

    Parameters
    ----------
    codings : DataFrame
        ``group, segment, code, coder`` (focus_groups/codings.csv).
    segments : DataFrame, optional
        ``group, segment, speaker`` of every turn; the units are all turns of
        the double-coded groups (a turn no coder used a code on counts as an
        agreement on "absent"). Without it, only turns that received any code
        are units (agreement on absence is then under-counted).
    codebook : Codebook, optional
        Gives the code order, and with ``rollup`` the parent themes (a theme
        is present in a turn when it or any sub-code is).
    coders : sequence of str, optional
        The coders to compare (default: all).
    include_moderator : bool
        Count moderator turns as units (default no: they are never coded).

    Returns
    -------
    DataFrame
        One row per code and a last row ``code = "(all codes)"``, columns
        ``code``, ``level`` (``code``, ``theme`` or ``overall``), ``n_units``,
        ``n_coders``, ``n_present`` (units where any coder used the code),
        ``percent_agreement``, ``cohen_kappa`` (mean over coder pairs),
        ``krippendorff_alpha`` (nominal, binary presence), ``flag``
        (``reliable`` >= 0.8, ``tentative`` >= 0.667, ``unreliable``, or
        ``not estimable``).

    Notes
    -----
    Each (unit, code) is a binary judgement: did the coder apply the code to
    the turn (anywhere in it)? The overall row pools every (unit, code).

    Examples
    --------
    >>> codings = pd.DataFrame({"group": "g1", "segment": [1, 2, 3, 1, 2, 4], "code": "x",
    ...                         "coder": ["al", "al", "al", "bo", "bo", "bo"]})
    >>> intercoder_reliability(codings)[["code", "level", "n_units", "percent_agreement", "flag"]].values.tolist()
    [['x', 'code', 4, 50.0, 'unreliable'], ['(all codes)', 'overall', 4, 50.0, 'unreliable']]
    """
    c = codings.copy()
    if coders is not None:
        c = c[c["coder"].isin(coders)]
    per_group = c.groupby("group")["coder"].nunique()
    groups = per_group[per_group >= 2].index.tolist()
    c = c[c["group"].isin(groups)]
    if not groups:
        return pd.DataFrame(columns=_COLUMNS)
    coder_list = sorted(c["coder"].unique())
    units = _units(c, groups, segments, include_moderator)
    base, keyed = _base_matrix(c, coder_list, units)
    codes = list(codebook.preorder()) if codebook is not None else sorted(c["code"].unique())
    applied = {code: _applied(code, keyed, base, codebook, rollup) for code in codes}
    rows = []
    for code in codes:
        lvl = "theme" if (codebook is not None and codebook.codes[code].children) else "code"
        rows.append(_reliability_row(code, lvl, applied[code]))
    leaf = (
        [cd for cd in codes if not (codebook is not None and codebook.codes[cd].children)]
        if codebook is not None
        else codes
    )
    pooled = (
        np.concatenate([applied[cd] for cd in leaf], axis=1)
        if leaf
        else np.zeros((len(coder_list), 0))
    )
    rows.append(_reliability_row("(all codes)", "overall", pooled))
    return pd.DataFrame(rows, columns=_COLUMNS)


_COLUMNS = [
    "code",
    "level",
    "n_units",
    "n_coders",
    "n_present",
    "percent_agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "flag",
]


def _units(
    c: pd.DataFrame, groups: list, segments: pd.DataFrame | None, include_moderator: bool
) -> list[tuple[Any, int]]:
    """The units: every turn of the double-coded groups, or (without segments) every coded turn."""
    if segments is not None:
        u = segments[segments["group"].isin(groups)]
        if not include_moderator and "speaker" in u:
            u = u[u["speaker"] != "MOD"]
        return list(zip(u["group"], u["segment"].astype(int), strict=True))
    return sorted(set(zip(c["group"], c["segment"].astype(int), strict=True)))


def _base_matrix(
    c: pd.DataFrame, coder_list: list, units: list[tuple[Any, int]]
) -> tuple[np.ndarray, pd.DataFrame]:
    """Coders x units: 0 where the coder coded the unit's group (absent unless coded), NaN
    elsewhere; and the codings with their unit and coder positions (``_unit``, ``_coder``)."""
    uidx = pd.Series(
        range(len(units)),
        index=pd.MultiIndex.from_tuples(units, names=["group", "segment"]),
        dtype=int,
    )
    unit_groups = np.array([g for g, _ in units], dtype=object)
    base = np.full((len(coder_list), len(units)), np.nan)
    for k, coder in enumerate(coder_list):
        coded = np.isin(unit_groups, list(c.loc[c["coder"] == coder, "group"].unique()))
        base[k, coded] = 0.0
    cpos = {coder: k for k, coder in enumerate(coder_list)}
    keyed = c.assign(segment=c["segment"].astype(int))
    loc = uidx.reindex(pd.MultiIndex.from_frame(keyed[["group", "segment"]])).to_numpy()
    keyed = keyed.assign(_unit=loc, _coder=keyed["coder"].map(cpos)).dropna(subset=["_unit"])
    return base, keyed


def _applied(
    code: str, keyed: pd.DataFrame, base: np.ndarray, codebook: Codebook | None, rollup: bool
) -> np.ndarray:
    """Coders x units: 1 where the coder used ``code`` (or, rolled up, a sub-code) on the unit."""
    members = {code}
    if rollup and codebook is not None:
        members |= set(codebook.descendants(code))
    sub = keyed[keyed["code"].isin(members)]
    mat = base.copy()
    mat[sub["_coder"].to_numpy(dtype=int), sub["_unit"].to_numpy(dtype=int)] = 1.0
    return mat


def _reliability_row(name: str, level: str, mat: np.ndarray) -> dict[str, Any]:
    """Agreement, mean pairwise kappa and alpha of one coders x units presence matrix."""
    both = np.sum(~np.isnan(mat), axis=0) >= 2
    m = mat[:, both]
    agree = (np.nanmax(m, axis=0) == np.nanmin(m, axis=0)) if m.size else np.array([])
    kappas = []
    for i, j in combinations(range(m.shape[0]), 2):
        ok = ~np.isnan(m[i]) & ~np.isnan(m[j])
        if ok.sum():
            kappas.append(_binary_kappa(m[i, ok], m[j, ok]))
    kappas = [k for k in kappas if not np.isnan(k)]
    alpha = krippendorff_alpha(m, "nominal") if m.size else float("nan")
    return {
        "code": name,
        "level": level,
        "n_units": int(both.sum()),
        "n_coders": int(m.shape[0]),
        "n_present": int(np.nansum(np.nanmax(m, axis=0))) if m.size else 0,
        "percent_agreement": float(agree.mean() * 100) if len(agree) else float("nan"),
        "cohen_kappa": float(np.mean(kappas)) if kappas else float("nan"),
        "krippendorff_alpha": alpha,
        "flag": _flag(alpha),
    }
