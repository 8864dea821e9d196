"""Strict UTF-8 reading of input files (standard library only).

Used by the data loaders (:mod:`evaluation.sources`) and by the YAML reader
(:mod:`evaluation.yamlio`: parameter files, codebooks). Input files are only
ever opened for reading; every file read is recorded for provenance.
"""

from __future__ import annotations

from pathlib import Path

from . import provenance
from .errors import DataError, Problem

__all__ = ["read_text"]


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
