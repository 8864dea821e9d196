"""Reading input files: regular files only, strict UTF-8, CSV as text, provenance recorded.

Input files are only ever opened for reading (:mod:`evaluation.textio`).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..textio import confine, decode_utf8, read_bytes, read_text

__all__ = ["read_text", "read_csv_text", "confined", "MAX_CSV_BYTES", "MAX_CSV_FIELD"]

#: Largest CSV file read (bytes): a data file of this toolkit is a few MB at most; larger
#: ones cost seconds and hundreds of MB per million rows.
MAX_CSV_BYTES = 16 * 1024 * 1024
#: Longest value in one CSV cell (characters); a missing closing quote otherwise
#: swallows the rest of the file into one value.
MAX_CSV_FIELD = 1_000_000

_DECIMAL_COMMA = re.compile(r"(?:^|;)\s*-?\d+,\d+\s*(?:;|$)", re.M)
_SAVE_AS = (
    "comma-separated values with '.' as decimal mark, in UTF-8: save from LibreOffice"
    " Calc as 'Text CSV' with field delimiter ',', or set the list separator to ',' and"
    " the decimal symbol to '.' in Windows' regional settings before saving from Excel"
    " as 'CSV UTF-8'"
)


def confined(fn):
    """Decorate a loader whose first argument is a folder: it reads only inside it.

    Within ``load_dataset`` the data folder stays the bound (see
    :func:`evaluation.textio.confine`).
    """

    @functools.wraps(fn)
    def wrapper(folder, *args, **kwargs):
        with confine(folder):
            return fn(folder, *args, **kwargs)

    return wrapper


def _excel_hint(text: str, label: str) -> DataError | None:
    """A :class:`DataError` if the file looks like a CSV saved by Excel with Swedish settings."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if ";" not in first or first.count(";") <= first.count(","):
        return None
    decimal = bool(_DECIMAL_COMMA.search(text, 0, 200_000))
    what = "';' between values" + (" and ',' as decimal mark" if decimal else "")
    return DataError(
        [
            Problem(
                label,
                1,
                None,
                f"the file uses {what}: it looks like a CSV saved by Excel with Swedish"
                " (or other European) settings",
                _SAVE_AS,
            )
        ]
    )


def _fast_csv(text: str) -> pd.DataFrame | None:
    """pandas' C parser for the plain case, ``None`` otherwise.

    Plain: no quotes and no carriage returns (so one record per line and the index is
    the line minus 2), a header first, no repeated column, and no line with more values
    than the header (pandas would silently take the extra value as an index).
    """
    if '"' in text or "\r" in text:
        return None
    lines = text.split("\n")
    header = [v.strip() for v in lines[0].split(",")]
    if not lines[0].strip() or len(set(header)) != len(header):
        return None
    commas = len(header) - 1
    if any(ln.count(",") > commas for ln in lines):
        return None
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, ValueError):  # pragma: no cover - the slow path reports
        return None
    df.columns = header
    return df[(df != "").any(axis=1)] if len(df.columns) else df


def read_csv_text(path: str | Path, label: str | None = None) -> pd.DataFrame:
    """Read a CSV file with every value as a string.

    Empty cells are ``""``; the index is the line of each record in the file
    minus 2 (the header is line 1), so :func:`~evaluation.sources._schema.line_of`
    gives the line. Blank lines are dropped but keep their place in the
    numbering; a row with fewer values than the header is padded with ``""``.

    Row-level problems do not hide the file's other errors: a row with more
    values than the header is left out and reported with its line in
    ``df.attrs["problems"]`` (which
    :func:`~evaluation.sources._schema.check_frame` adds to its own).

    Raises :class:`DataError` for a file that is empty, not UTF-8, not a
    regular file, or that looks like a CSV saved by Excel with Swedish
    settings (``;`` between values, decimal commas): the message says so and
    how to save it instead.
    """
    label = label or str(path)
    text = _decoded(read_bytes(path, label, limit=MAX_CSV_BYTES), label)
    if not text.strip():
        raise DataError([Problem(label, None, None, "the file is empty", "a header row")])
    hint = _excel_hint(text, label)
    if hint is not None:
        raise hint
    fast = _fast_csv(text)
    if fast is not None:
        return fast
    header, rows, index, problems = _records(text, label)
    _rename_repeated(header, label, problems)
    df = pd.DataFrame(rows, columns=header, index=pd.Index(index, dtype="int64"), dtype=str)
    if problems:  # check_frame takes them (pandas copies attrs on every operation)
        df.attrs["problems"] = problems
    return df


def _decoded(raw: bytes, label: str) -> str:
    """The text of a CSV file (UTF-8); undecodable bytes in a Swedish-Excel file say so."""
    try:
        return decode_utf8(raw, label)
    except DataError as exc:
        hint = _excel_hint(raw[:200_000].decode("cp1252", "replace"), label)
        if hint is not None:
            p = exc.problems[0]
            raise DataError(
                [
                    Problem(
                        label,
                        p.line,
                        None,
                        p.message + "; the file also uses ';' between values, as Excel with"
                        " Swedish settings saves CSV",
                        _SAVE_AS,
                    )
                ]
            ) from None
        raise


def _too_many_values(label: str, line: int, n: int, width: int) -> Problem:
    return Problem(
        label,
        line,
        None,
        f"{n} values, the header has {width} (a comma inside a value that is not quoted?)",
        f'{width} comma-separated values; put a value that holds a comma in double quotes ("a, b")',
    )


def _records(text: str, label: str) -> tuple[list[str], list[list[str]], list[int], list[Problem]]:
    """Header, rows (padded to the header), their index (line - 2) and the rows refused.

    Raises :class:`DataError` for a file that the ``csv`` module cannot read or that
    has no header.
    """
    problems: list[Problem] = []
    rows: list[list[str]] = []
    index: list[int] = []
    header: list[str] | None = None
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    last = 0
    try:
        for record in reader:
            start, last = last + 1, reader.line_num
            if not record or not "".join(record).strip():
                continue
            if header is None:
                header = [v.strip() for v in record]
            elif len(record) > len(header):
                problems.append(_too_many_values(label, start, len(record), len(header)))
            else:
                rows.append(record + [""] * (len(header) - len(record)))
                index.append(start - 2)
    except csv.Error as exc:
        raise DataError(
            [
                Problem(
                    label,
                    reader.line_num,
                    None,
                    f"not a readable CSV file ({exc})",
                    "comma-separated values (is a closing double quote missing?)",
                )
            ]
        ) from None
    finally:
        csv.field_size_limit(old_limit)
    if header is None:
        raise DataError([Problem(label, None, None, "the file is empty", "a header row")])
    return header, rows, index, problems


def _rename_repeated(header: list[str], label: str, problems: list[Problem]) -> None:
    """A column named twice is reported; the second gets its position as suffix (``name.3``)."""
    seen: dict[str, int] = {}
    for k, name in enumerate(header):
        if name in seen:
            problems.append(
                Problem(
                    label,
                    1,
                    name,
                    f"the column appears twice (columns {seen[name] + 1} and {k + 1})",
                    "each column once",
                )
            )
            header[k] = f"{name}.{k + 1}"
        else:
            seen[name] = k
