"""Small-cell suppression of a table of people counts: primary cells shown ``"<k"``,
secondary cells ``"x"`` until the audit (:mod:`.audit`) finds every hidden cell protected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .audit import Cell, _lines, _protected, default_protection, with_margins

__all__ = ["suppress_small_counts", "suppressed", "suppression_mask", "SECONDARY"]

SECONDARY = "x"
"""The label of a secondary (and of a hidden total) cell."""


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
    full = with_margins(v)
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
    full = with_margins(values) if margins else values
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

    Examples
    --------
    >>> int(suppressed(suppress_small_counts(pd.DataFrame({"a": [3, 10], "b": [8, 7]}))).to_numpy().sum())
    4
    """
    return published.map(lambda v: isinstance(v, str))
