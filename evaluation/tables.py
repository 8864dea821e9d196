"""Readable tables for the report: formatted numbers, human labels, no index."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .plots import label

__all__ = ["pretty", "fmt_ci"]


def fmt_ci(est, lo, hi, digits: int = 2) -> str:
    """``"1.23 (1.01-1.50)"``; ``"–"`` when missing.

    >>> fmt_ci(1.234, 1.01, 1.5)
    '1.23 (1.01–1.50)'
    """
    if est is None or (isinstance(est, float) and np.isnan(est)):
        return "–"
    return f"{est:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f})"


def pretty(
    df: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    digits: int | Mapping[str, int] = 2,
    percent: tuple[str, ...] = (),
    label_columns: tuple[str, ...] = (),
    language: str = "sv",
    caption: str | None = None,
):
    """A pandas Styler with formatted numbers, translated codes and renamed columns, index hidden.

    ``columns`` maps column -> heading (and selects/orders the columns);
    ``digits`` is one number or per column; ``percent`` columns get a ``%``;
    ``label_columns`` hold codes shown as human labels in ``language``.
    """
    d = df.copy()
    if columns:
        d = d[[c for c in columns if c in d]]
    for c in label_columns:
        if c in d:
            d[c] = d[c].map(lambda v: label(v, language))
    fmts = {}
    for c in d.columns:
        if pd.api.types.is_float_dtype(d[c]):
            nd = digits.get(c, 2) if isinstance(digits, Mapping) else digits
            fmts[c] = (lambda nd, pc: (lambda v: "–" if pd.isna(v) else f"{v:,.{nd}f}{' %' if pc else ''}".replace(",", "\u202f")))(nd, c in percent)
        elif pd.api.types.is_integer_dtype(d[c]):
            fmts[c] = lambda v: "–" if pd.isna(v) else f"{int(v):,}".replace(",", "\u202f")
    if columns:
        d = d.rename(columns=dict(columns))
        fmts = {columns.get(k, k): v for k, v in fmts.items()}
    sty = d.style.format(fmts, na_rep="–").hide(axis="index")
    if caption:
        sty = sty.set_caption(caption)
    return sty
