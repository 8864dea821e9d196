"""Reading input files: strict UTF-8, CSV as text, provenance recorded.

Input files are only ever opened for reading.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .. import provenance
from ..errors import DataError, Problem

__all__ = ["read_text", "read_csv_text"]


def read_text(path: str | Path, label: str | None = None) -> str:
    """Read a file as UTF-8 (a leading byte-order mark is dropped).

    Raises :class:`DataError` naming the line and byte of the first invalid
    sequence when the file is not UTF-8, or when it does not exist.
    """
    path = Path(path)
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(label, None, None, "file not found", "this file")]) from None
    except IsADirectoryError:
        raise DataError([Problem(label, None, None, "is a folder", "a file")]) from None
    provenance.record(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    label,
                    line,
                    None,
                    f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not valid UTF-8"
                    " (saved as Latin-1 / Windows-1252?)",
                    "UTF-8 text (re-save the file as UTF-8)",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


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
