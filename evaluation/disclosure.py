"""Disclosure control: small-cell suppression and the leak scan of a run.

The data concern minors and named professionals. Published tables of people
counts go through :func:`suppress_small_counts`; every executed notebook and
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
    "suppression_mask",
    "cell_bounds",
    "Leak",
    "scan_for_leaks",
    "luhn_ok",
    "load_identifiers",
    "release_check",
]

SECONDARY = "x"


# --------------------------------------------------------------------------- suppression
def _with_margins(values: np.ndarray) -> np.ndarray:
    """The table with its row totals (last column), column totals (last row) and grand total."""
    r, c = values.shape
    full = np.zeros((r + 1, c + 1))
    full[:r, :c] = values
    full[:r, c] = values.sum(axis=1)
    full[r, :c] = values.sum(axis=0)
    full[r, c] = values.sum()
    return full


def cell_bounds(full: np.ndarray, mask: np.ndarray, min_count: int) -> np.ndarray:
    """Feasible [low, high] of every suppressed cell of a table *with margins*.

    ``full`` is the table with its totals in the last row and column (see
    :func:`suppression_mask`); ``mask`` marks the suppressed cells, totals
    included. What an intruder knows: every published cell and total, that
    each row and column adds up to its total, that a primary cell (shown
    ``<k``) lies in 1..k-1 and that any other suppressed cell is >= 0. Bounds
    are found by linear programming (scipy's HiGHS). Returns an array of
    shape (n_suppressed, 2) in row-major order of the mask.
    """
    from scipy.optimize import linprog

    idx = [tuple(x) for x in np.argwhere(mask)]
    if not idx:
        return np.zeros((0, 2))
    pos = {cell: k for k, cell in enumerate(idx)}
    n_r, n_c = full.shape
    A, b = [], []
    lines = [[(i, j) for j in range(n_c)] for i in range(n_r)] + [
        [(i, j) for i in range(n_r)] for j in range(n_c)
    ]
    for line in lines:  # sum of the first cells = the last (the total)
        coef = np.zeros(len(idx))
        rhs = 0.0
        for k, cell in enumerate(line):
            sign = -1.0 if k == len(line) - 1 else 1.0
            if cell in pos:
                coef[pos[cell]] += sign
            else:
                rhs -= sign * full[cell]
        if coef.any():
            A.append(coef)
            b.append(rhs)
    body = (slice(0, n_r - 1), slice(0, n_c - 1))
    is_body = np.zeros_like(mask)
    is_body[body] = True
    bounds = [
        (1, min_count - 1) if is_body[c] and 0 < full[c] < min_count else (0, None) for c in idx
    ]
    out = np.zeros((len(idx), 2))
    for k in range(len(idx)):
        cvec = np.zeros(len(idx))
        cvec[k] = 1.0
        lo = linprog(
            cvec, A_eq=np.array(A) if A else None, b_eq=b or None, bounds=bounds, method="highs"
        )
        hi = linprog(
            -cvec, A_eq=np.array(A) if A else None, b_eq=b or None, bounds=bounds, method="highs"
        )
        out[k, 0] = lo.fun if lo.status == 0 else -np.inf
        out[k, 1] = -hi.fun if hi.status == 0 else np.inf
    return out


def suppression_mask(values: np.ndarray, min_count: int = 5, margins: bool = True) -> np.ndarray:
    """Boolean mask of the cells to suppress, primary and secondary.

    Primary: cells with 1 <= value < ``min_count``. With ``margins`` the mask
    has the shape of the table *with* its totals (an extra last row and
    column): secondary cells, totals included when nothing else will do, are
    added until no suppressed cell is determined by what is published,
    checked exactly by :func:`cell_bounds`. Without margins, the body only.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError("expected a 2-D table of counts")
    if np.isnan(v).any() or (v < 0).any() or (v != np.floor(v)).any():
        raise ValueError("counts must be whole numbers >= 0 with no missing values")
    primary = (v > 0) & (v < min_count)
    if not margins:
        return primary
    full = _with_margins(v)
    n_r, n_c = full.shape
    mask = np.zeros(full.shape, dtype=bool)
    mask[: n_r - 1, : n_c - 1] = primary
    if not primary.any():
        return mask
    lines = [[(i, j) for j in range(n_c)] for i in range(n_r)] + [
        [(i, j) for i in range(n_r)] for j in range(n_c)
    ]

    def add_partner(line) -> bool:
        """Suppress one more cell of a line: smallest non-zero cell, else its total, else a zero."""
        free = [c for c in line if not mask[c]]
        if not free:
            return False
        cells, total = [c for c in free if c != line[-1]], line[-1] if line[-1] in free else None
        nonzero = sorted((full[c], c) for c in cells if full[c] > 0)
        choice = nonzero[0][1] if nonzero else total if total is not None else cells[0]
        mask[choice] = True
        return True

    for _ in range(full.size + 1):
        changed = False
        for line in lines:  # a line with one hidden cell gives it back by subtraction
            if sum(mask[c] for c in line) == 1:
                changed |= add_partner(line)
        if changed:
            continue
        idx = [tuple(x) for x in np.argwhere(mask)]
        bounds = cell_bounds(full, mask, min_count)
        pinned = [idx[k] for k in range(len(idx)) if np.isclose(bounds[k, 0], bounds[k, 1])]
        if not pinned:
            return mask
        cell = pinned[0]
        if not any(add_partner(line) for line in lines if cell in line):
            mask[:] = True  # nothing left to hide: hide everything
            return mask
    return mask


def suppress_small_counts(
    table: pd.DataFrame | pd.Series,
    min_count: int = 5,
    margins: bool = True,
    total_label: str = "Total",
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
        total too when nothing else will do) then guarantees that no
        suppressed cell can be recovered from what is published.
    total_label : str
        Label of the total row and column.

    Returns
    -------
    DataFrame
        Object dtype: published counts as ``int``, ``"<5"`` for primary and
        ``"x"`` for secondary suppression, plus totals when ``margins``.
        ``result.attrs["suppressed"]`` holds the boolean mask (with margins:
        the shape of the result).

    Notes
    -----
    Zeros are published: they reveal no person. Secondary cells are chosen
    smallest-first within the row or column that needs one, and the result is
    audited by linear programming (:func:`cell_bounds`): every suppressed cell
    has a feasible range wider than one value. The test suite checks this
    with an independent integer program over random tables (hypothesis).

    Examples
    --------
    >>> t = pd.DataFrame({"art": [12, 3, 20], "none": [9, 8, 15]}, index=["plattan", "trapporna", "kulturhuset"])
    >>> suppress_small_counts(t)
                art none  Total
    plattan       x    x     21
    trapporna    <5    x     11
    kulturhuset  20   15     35
    Total        35   32     67
    """
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    values = frame.to_numpy(dtype=float)
    mask = suppression_mask(values, min_count=min_count, margins=margins)
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
    out.attrs["suppressed"] = mask
    return out
