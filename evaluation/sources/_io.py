"""Reading input files: strict UTF-8, CSV as text, provenance recorded.

Input files are only ever opened for reading.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..textio import read_text

__all__ = ["read_text", "read_csv_text"]


def read_csv_text(path: str | Path, label: str | None = None) -> pd.DataFrame:
    """Read a CSV file with every value as a string.

    Empty cells are ``""``; the index is the 0-based data row, so the line in
    the file is ``index + 2`` (the header is line 1). Blank lines are dropped
    but keep their place in the numbering.
    """
    label = label or str(path)
    text = read_text(path, label)
    if not text.strip():
        raise DataError([Problem(label, None, None, "the file is empty", "a header row")])
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except pd.errors.ParserError as exc:
        raise DataError(
            [
                Problem(
                    label, None, None, f"not a readable CSV file ({exc})", "comma-separated values"
                )
            ]
        ) from None
    df.columns = [str(c).strip() for c in df.columns]
    if len(df.columns):
        blank = (df == "").all(axis=1)
        df = df[~blank]
    return df
