"""Every other output built from the same people counts (figures, rate tables with CIs,
results JSON): the rows a table suppresses, or that hold 1..k-1 people, hidden there too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .suppression import suppressed

__all__ = ["hide_small_counts", "hide_where_suppressed"]


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
    >>> from evaluation.disclosure import suppress_small_counts
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
