"""Disclosure control: small-cell suppression and the leak scan of a run.

The data concern minors and named professionals. Published tables of people
counts go through :func:`suppress_small_counts`, audited against an intruder
who knows what the labels mean (:func:`cell_bounds`); every other output built
from the same counts (figures, rate tables with CIs, results JSON) goes
through :func:`hide_small_counts` and, where it repeats a table's cells,
:func:`hide_where_suppressed`, with the report's ``min_cell``. Every executed notebook and
HTML page of a run goes through :func:`scan_for_leaks` before the run is
called releasable (``manifest.json``: ``release``). The leak scan lives in
:mod:`evaluation.leaks` (it needs neither numpy nor pandas, so a cached run
does not import them) and is re-exported here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .leaks import Leak, load_identifiers, luhn_ok, release_check, scan_for_leaks

__all__ = [
    "suppress_small_counts",
    "suppressed",
    "hide_small_counts",
    "hide_where_suppressed",
    "suppression_mask",
    "cell_bounds",
    "default_protection",
    "Leak",
    "scan_for_leaks",
    "luhn_ok",
    "load_identifiers",
    "release_check",
]

SECONDARY = "x"


# --------------------------------------------------------------------------- suppression
_BIG = 10**7  # "no upper bound" for the audit's integer program


def _with_margins(values: np.ndarray) -> np.ndarray:
    """The table with its row totals (last column), column totals (last row) and grand total."""
    r, c = values.shape
    full = np.zeros((r + 1, c + 1))
    full[:r, :c] = values
    full[:r, c] = values.sum(axis=1)
    full[r, :c] = values.sum(axis=0)
    full[r, c] = values.sum()
    return full


def default_protection(min_count: int) -> int:
    """The documented protection interval: ``min_count - 2``, the width of a ``"<k"`` label's range 1..k-1.

    >>> default_protection(5)
    3
    """
    return max(int(min_count) - 2, 0)


Cell = tuple[int, int]


def _cell_kinds(full: np.ndarray, idx: list[Cell], k: int, margins: bool) -> list[str]:
    """What each suppressed cell's label says: ``primary`` ("<k": 1..k-1), ``x_body`` (a body
    "x": 0 or >= k) or ``x_total`` (a hidden total: any whole number >= 0)."""
    n_r, n_c = full.shape
    body_r, body_c = (n_r - 1, n_c - 1) if margins else (n_r, n_c)
    kinds = []
    for cell in idx:
        in_body = cell[0] < body_r and cell[1] < body_c
        v = full[cell]
        kinds.append("primary" if in_body and 0 < v < k else "x_body" if in_body else "x_total")
    return kinds


class _Audit:
    """The intruder's integer program: one variable per suppressed cell, then one binary per
    body ``"x"`` cell (0 if the cell is 0, 1 if it is >= k)."""

    def __init__(self, full: np.ndarray, idx: list[Cell], min_count: int, margins: bool) -> None:
        self.k = int(min_count)
        self.idx = idx
        self.kinds = _cell_kinds(full, idx, self.k, margins)
        self.xs = [i for i, kind in enumerate(self.kinds) if kind == "x_body" and self.k > 1]
        self.nv = len(idx) + len(self.xs)
        self.rows: list[np.ndarray] = []
        self.lo: list[float] = []
        self.hi: list[float] = []
        if margins:
            self._add_totals(full)
        self._add_zero_or_k()
        self._bounds()
        from scipy.optimize import Bounds, LinearConstraint

        self.cons = [LinearConstraint(np.array(self.rows), self.lo, self.hi)] if self.rows else []
        self.var_bounds = Bounds(self.lb, self.ub)

    def _add(self, coef: np.ndarray, lo: float, hi: float) -> None:
        self.rows.append(coef)
        self.lo.append(lo)
        self.hi.append(hi)

    def _add_totals(self, full: np.ndarray) -> None:
        """Each row and column adds up to its total (the last cell of the line)."""
        pos = {cell: i for i, cell in enumerate(self.idx)}
        for line in _lines(*full.shape):  # sum of the first cells = the last (the total)
            coef = np.zeros(self.nv)
            rhs = 0.0
            for m, cell in enumerate(line):
                sign = -1.0 if m == len(line) - 1 else 1.0
                if cell in pos:
                    coef[pos[cell]] += sign
                else:
                    rhs -= sign * full[cell]
            if coef.any():
                self._add(coef, rhs, rhs)

    def _add_zero_or_k(self) -> None:
        """A body "x" is 0 or >= k (big-M): y - k z >= 0 and y - BIG z <= 0."""
        for b, i in enumerate(self.xs):
            z = len(self.idx) + b
            c1 = np.zeros(self.nv)
            c1[i], c1[z] = 1.0, -float(self.k)
            self._add(c1, 0.0, np.inf)
            c2 = np.zeros(self.nv)
            c2[i], c2[z] = 1.0, -float(_BIG)
            self._add(c2, -np.inf, 0.0)

    def _bounds(self) -> None:
        k, n_x = self.k, len(self.xs)
        self.lb = np.array([1.0 if kd == "primary" else 0.0 for kd in self.kinds] + [0.0] * n_x)
        self.ub = np.array(
            [float(k - 1) if kd == "primary" else float(_BIG) for kd in self.kinds] + [1.0] * n_x
        )

    def solve(self, i: int, sense: float) -> float:
        """The smallest (``sense`` 1) or largest (-1) value cell ``i`` can take."""
        from scipy.optimize import milp

        c = np.zeros(self.nv)
        c[i] = sense
        res = milp(c, constraints=self.cons, integrality=np.ones(self.nv), bounds=self.var_bounds)
        if res.status != 0:
            raise RuntimeError(f"disclosure audit: integer program failed ({res.message})")
        return float(round(sense * res.fun))

    def bounds(self) -> np.ndarray:
        """[low, high] of every suppressed cell; ``inf`` for no upper bound."""
        out = np.zeros((len(self.idx), 2))
        for i in range(len(self.idx)):
            out[i, 0] = self.solve(i, 1.0)
            top = self.solve(i, -1.0)
            out[i, 1] = np.inf if top >= _BIG / 2 else top
        return out

    def first_narrow(self, truth: np.ndarray, protection: int) -> Cell | None:
        """The first cell narrower than ``protection`` ("<k" cells first), or ``None``."""
        k = self.k
        order = sorted(range(len(self.idx)), key=lambda i: self.kinds[i] != "primary")
        for i in order:
            v = truth[self.idx[i]]
            # a "<k" cell cannot be wider than its label: it must keep all of 1..k-1
            width = min(protection, k - 2) if self.kinds[i] == "primary" else protection
            hi = self.solve(i, -1.0)
            if hi >= _BIG / 2 or hi - v >= width:
                continue
            if hi - self.solve(i, 1.0) < width:
                return self.idx[i]
        return None


def cell_bounds(
    full: np.ndarray,
    mask: np.ndarray,
    min_count: int,
    margins: bool = True,
    only: tuple[np.ndarray, int] | None = None,
) -> np.ndarray | Cell | None:
    """Feasible [low, high] of every suppressed cell, as an intruder who knows the labels finds them.

    ``full`` is the table with its totals in the last row and column (see
    :func:`suppression_mask`; with ``margins=False`` the body alone); ``mask``
    marks the suppressed cells, totals included. What the intruder knows:
    every published cell and total; that each row and column adds up to its
    total; that every cell is a whole number; that a body cell shown ``"<k"``
    lies in 1..k-1; and, because of that label, that a body cell shown
    ``"x"`` is 0 or at least k (it would have been ``"<k"`` otherwise). A
    suppressed total is any whole number >= 0. Bounds come from an integer
    program per cell (scipy's HiGHS ``milp``, big-M for the "0 or >= k"
    disjunction).

    Parameters
    ----------
    full : ndarray
        The true table (with totals when ``margins``).
    mask : ndarray of bool
        The suppressed cells, same shape.
    min_count : int
        The suppression threshold k.
    margins : bool
        Whether ``full`` has totals (and the rows and columns add up to them).
    only : (ndarray, int), optional
        ``(truth, protection)``: instead of all bounds, the first cell whose
        range is narrower than ``protection`` (``None`` if there is none).

    Returns
    -------
    ndarray or tuple or None
        An array of shape (n_suppressed, 2) in row-major order of the mask;
        ``inf`` for no upper bound. With ``only``: a cell or ``None``.

    Examples
    --------
    A label-blind choice of cells gives them back: the "<5" and the "x" of
    the first row add up to 6, and an "x" body cell is 0 or at least 5.

    >>> full = np.array([[1, 5, 6], [10, 12, 22], [11, 17, 28]])
    >>> mask = np.array([[True, True, False], [True, True, False], [False, False, False]])
    >>> cell_bounds(full, mask, 5)
    array([[ 1.,  1.],
           [ 5.,  5.],
           [10., 10.],
           [12., 12.]])
    >>> b = cell_bounds(full, suppression_mask(full[:2, :2]), 5)  # cells chosen knowing the labels
    >>> bool((b[:, 1] - b[:, 0] >= default_protection(5)).all())
    True
    """
    idx = [(int(a), int(b)) for a, b in np.argwhere(mask)]
    if not idx:
        return None if only is not None else np.zeros((0, 2))
    audit = _Audit(full, idx, min_count, margins)
    if only is not None:  # the first cell narrower than ``only[1]``, or None (see _protected)
        return audit.first_narrow(only[0], only[1])
    return audit.bounds()


def _protected(
    full: np.ndarray, mask: np.ndarray, min_count: int, protection: int, margins: bool = True
) -> list[Cell]:
    """The first suppressed cell whose feasible range is narrower than ``protection`` (or none).

    Uses the true table (always feasible) to skip half the integer programs:
    a cell whose maximum is ``protection`` above its true value is protected.
    """
    idx = [(int(a), int(b)) for a, b in np.argwhere(mask)]
    if not idx:
        return []
    weak = _Audit(full, idx, min_count, margins).first_narrow(full, protection)
    return [] if weak is None else [weak]


def _lines(n_r: int, n_c: int) -> list[list[Cell]]:
    """Every row, then every column, of a table with totals: the total is each line's last cell."""
    return [[(i, j) for j in range(n_c)] for i in range(n_r)] + [
        [(i, j) for i in range(n_r)] for j in range(n_c)
    ]


def _counts(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError("expected a 2-D table of counts")
    if np.isnan(v).any() or (v < 0).any() or (v != np.floor(v)).any():
        raise ValueError("counts must be whole numbers >= 0 with no missing values")
    return v


def _add_partner(full: np.ndarray, mask: np.ndarray, line: list[Cell]) -> bool:
    """Suppress one more cell of a line: smallest non-zero cell, else its total, else a zero."""
    free = [c for c in line if not mask[c]]
    if not free:
        return False
    cells, total = [c for c in free if c != line[-1]], line[-1] if line[-1] in free else None
    nonzero = sorted((full[c], c) for c in cells if full[c] > 0)
    choice = nonzero[0][1] if nonzero else total if total is not None else cells[0]
    mask[choice] = True
    return True


def _secondary(full: np.ndarray, mask: np.ndarray, min_count: int, protection: int) -> np.ndarray:
    """Add secondary cells to ``mask`` until every suppressed cell is protected."""
    lines = _lines(*full.shape)
    for _ in range(full.size + 1):
        changed = False
        for line in lines:  # a line with one hidden cell gives it back by subtraction
            if sum(mask[c] for c in line) == 1:
                changed |= _add_partner(full, mask, line)
        if changed:
            continue
        weak = _protected(full, mask, min_count, protection)
        if not weak:
            return mask
        cell = weak[0]
        if not any(_add_partner(full, mask, line) for line in lines if cell in line):
            break
    mask[:] = True  # nothing left that protects: hide everything
    return mask


def suppression_mask(
    values: np.ndarray, min_count: int = 5, margins: bool = True, protection: int | None = None
) -> np.ndarray:
    """Boolean mask of the cells to suppress, primary and secondary.

    Primary: cells with 1 <= value < ``min_count``. With ``margins`` the mask
    has the shape of the table *with* its totals (an extra last row and
    column): secondary cells, totals included when nothing else will do, are
    added until every suppressed cell's feasible range, computed by
    :func:`cell_bounds` with everything the labels reveal, is at least
    ``protection`` wide (default :func:`default_protection`), and every
    ``"<k"`` cell can still be anything in 1..k-1 (its label's range, which
    no wider protection can exceed). Without margins, the body only.

    Parameters
    ----------
    values : array-like
        A 2-D table of people counts (whole numbers >= 0).
    min_count : int
        The suppression threshold.
    margins : bool
        Whether totals are published (the mask then covers them too).
    protection : int, optional
        Smallest width of a suppressed cell's feasible range.

    Returns
    -------
    ndarray of bool

    Raises
    ------
    ValueError
        Not a 2-D table of whole numbers >= 0.

    Examples
    --------
    >>> suppression_mask(np.array([[1, 5], [10, 12]])).astype(int)
    array([[1, 1, 1],
           [1, 1, 1],
           [0, 0, 0]])
    >>> suppression_mask(np.array([[1, 5], [10, 12]]), margins=False)
    array([[ True, False],
           [False, False]])
    """
    v = _counts(values)
    p = default_protection(min_count) if protection is None else int(protection)
    primary = (v > 0) & (v < min_count)
    if not margins:
        return primary
    full = _with_margins(v)
    n_r, n_c = full.shape
    mask = np.zeros(full.shape, dtype=bool)
    mask[: n_r - 1, : n_c - 1] = primary
    if not primary.any():
        return mask
    return _secondary(full, mask, min_count, p)


def suppress_small_counts(
    table: pd.DataFrame | pd.Series,
    min_count: int = 5,
    margins: bool = True,
    total_label: str = "Total",
    protection: int | None = None,
) -> pd.DataFrame:
    """Publishable version of a table of people counts.

    Parameters
    ----------
    table : DataFrame or Series
        Counts (whole numbers >= 0); rows and columns are categories.
    min_count : int
        Cells with 1 .. ``min_count``-1 people are shown as ``"<min_count"``.
    margins : bool
        Add row and column totals. Secondary suppression (shown ``"x"``; a
        total too when nothing else will do) then guarantees the protection
        interval below.
    total_label : str
        Label of the total row and column.
    protection : int, optional
        Smallest width (high - low) of the range in which a reader who knows
        what the labels mean can place any suppressed ``"x"`` cell. Default
        ``min_count - 2``. Whatever the value, a ``"<5"`` cell can be
        anything from 1 to 4, as its label says, and nothing narrower.

    Returns
    -------
    DataFrame
        Object dtype: published counts as ``int``, ``"<min_count"`` for
        primary and ``"x"`` for secondary suppression, plus totals when
        ``margins``. A plain DataFrame (``astype``, ``map``, ``concat``,
        ``to_csv``, ``to_excel`` work); ``attrs["suppression"]`` is a small
        dict of plain values: ``min_count``, ``protection`` and ``cells``
        (``[row, column]`` positions of the suppressed cells). Use
        :func:`suppressed` for a boolean mask.

    Notes
    -----
    Zeros are published: they reveal no person. What a label says is part of
    the audit: ``"<5"`` means 1..4, so a body ``"x"`` means 0 or at least 5.
    A hidden total always reads ``"x"`` and means only "a whole number >= 0"
    (it may be 1..4: labelling small totals ``"<5"`` would let the labels
    alone pin a table such as ``[[1, 1], [1, 1]]``).
    Secondary cells are chosen smallest-first within the row or column that
    needs one, and the result is audited by integer programming
    (:func:`cell_bounds`). The test suite checks the protection interval with
    an independent integer program over 500 random tables.

    Examples
    --------
    >>> t = pd.DataFrame({"art": [12, 3, 20], "none": [9, 8, 15]}, index=["zone_a", "zone_b", "zone_c"])
    >>> suppress_small_counts(t)
           art none  Total
    zone_a       x    x     21
    zone_b      <5    x     11
    zone_c      20   15     35
    Total       35   32     67
    >>> suppress_small_counts(t).astype(str).iloc[1, 0]
    '<5'
    """
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    values = frame.to_numpy(dtype=float)
    p = default_protection(min_count) if protection is None else int(protection)
    mask = suppression_mask(values, min_count=min_count, margins=margins, protection=p)
    full = _with_margins(values) if margins else values
    n_r, n_c = values.shape
    out = pd.DataFrame(
        index=[*frame.index, total_label] if margins else list(frame.index),
        columns=[*frame.columns, total_label] if margins else list(frame.columns),
        dtype=object,
    )
    for i in range(full.shape[0]):
        for j in range(full.shape[1]):
            v = full[i, j]
            if mask[i, j]:
                out.iat[i, j] = (
                    f"<{min_count}" if (i < n_r and j < n_c and 0 < v < min_count) else SECONDARY
                )
            else:
                out.iat[i, j] = int(v)
    out.index.name, out.columns.name = frame.index.name, frame.columns.name
    out.attrs["suppression"] = {
        "min_count": int(min_count),
        "protection": p,
        "cells": [[int(i), int(j)] for i, j in np.argwhere(mask)],
    }
    return out


def suppressed(published: pd.DataFrame) -> pd.DataFrame:
    """Boolean frame: ``True`` where :func:`suppress_small_counts` hid the cell.

    >>> int(suppressed(suppress_small_counts(pd.DataFrame({"a": [3, 10], "b": [8, 7]}))).to_numpy().sum())
    4
    """
    return published.map(lambda v: isinstance(v, str))


def hide_small_counts(
    frame: pd.DataFrame,
    min_count: int = 5,
    count: str = "count",
    dependent: tuple[str, ...] = ("rate", "ci_low", "ci_high"),
) -> pd.DataFrame:
    """Any other output built from people counts, with the rows of 1..``min_count``-1 people hidden.

    A table that suppresses a count protects nothing if a figure, a rate
    table with exact CIs per cell or the results JSON publishes the same
    count (or a rate and exposure it can be computed back from). Every output
    built from the same counts goes through this function with the report's
    ``min_cell``: ``count`` and the ``dependent`` columns (rate, CI) become
    missing in those rows and a boolean column ``suppressed`` says which.

    Examples
    --------
    >>> r = pd.DataFrame({"zone": ["a", "b", "c"], "count": [12, 3, 0], "rate": [1.2, 0.3, 0.0],
    ...                   "ci_low": [0.6, 0.06, 0.0], "ci_high": [2.1, 0.9, 0.4]})
    >>> hide_small_counts(r)
      zone  count  rate  ci_low  ci_high  suppressed
    0    a   12.0   1.2     0.6      2.1       False
    1    b    NaN   NaN     NaN      NaN        True
    2    c    0.0   0.0     0.0      0.4       False
    """
    out = frame.copy()
    small = (out[count] > 0) & (out[count] < min_count)
    for c in (count, *dependent):
        if c in out:
            out[c] = out[c].astype(float).where(~small)
    out["suppressed"] = small.to_numpy()
    return out


def hide_where_suppressed(
    frame: pd.DataFrame,
    published: pd.DataFrame,
    row: str | None,
    column: str | None,
    count: str = "count",
    dependent: tuple[str, ...] = ("rate", "ci_low", "ci_high"),
    total_label: str = "Total",
) -> pd.DataFrame:
    """Hide the rows of another output whose count a published table suppressed.

    ``frame`` has one row per cell of ``published`` (a result of
    :func:`suppress_small_counts` built from the same counts): ``frame[row]``
    names the table's row and ``frame[column]`` its column; ``None`` means the
    table's total row (or column), e.g. a rate table by activation state is
    the total row of a zone x activation table; ``column="*"`` means any cell
    of the row (an output that splits the row differently, e.g. zone x
    activated or not, gives back any hidden cell of it by subtraction from
    the row total). Rows whose cell the table
    shows as ``"<k"`` or ``"x"`` get ``count`` and the ``dependent`` columns
    set to missing, and ``suppressed`` True (also rows already hidden by
    :func:`hide_small_counts`). Without this, a figure or a rate table gives
    back the secondary cells that protect the small ones.

    Examples
    --------
    >>> t = pd.DataFrame({"art": [12, 3, 20], "none": [9, 8, 15]}, index=["zone_a", "zone_b", "zone_c"])
    >>> pub = suppress_small_counts(t)
    >>> rates = pd.DataFrame({"zone": ["zone_a", "zone_b", "zone_c"], "count": [9, 8, 15], "rate": [0.9, 0.8, 1.5]})
    >>> hide_where_suppressed(rates, pub, row="zone", column=None)["suppressed"].tolist()
    [False, False, False]
    >>> rates["activation"] = "none"
    >>> hide_where_suppressed(rates, pub, row="zone", column="activation")["suppressed"].tolist()
    [True, True, False]
    >>> hide_where_suppressed(rates, pub, row="zone", column="*")["count"].tolist()
    [nan, nan, 15.0]
    """
    hidden = suppressed(published)
    out = frame.copy()

    def is_hidden(r) -> bool:
        key_r = total_label if row is None else r[row]
        key_c = total_label if column is None else r[column] if column != "*" else None
        try:
            if key_c is None:
                return bool(hidden.loc[key_r].any())
            return bool(hidden.loc[key_r, key_c])
        except KeyError:
            return False  # a cell the table does not show (e.g. an empty category)

    mask = np.array([is_hidden(r) for _, r in out.iterrows()], dtype=bool)
    for c in (count, *dependent):
        if c in out:
            out[c] = out[c].astype(float).where(~mask)
    prior = out["suppressed"].to_numpy(dtype=bool) if "suppressed" in out else False
    out["suppressed"] = mask | prior
    return out
