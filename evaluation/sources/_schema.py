"""Column specifications for the data contract, checked with pandera.

A :class:`Field` says what one CSV column holds. :func:`check_frame` parses the
text values (dates, times, numbers) itself, so that an unparsable value is
reported with its line and column, then validates the typed frame with a
pandera schema built from the fields (allowed values, minimums, emptiness,
uniqueness), collecting *every* failure (``lazy=True``) into :class:`Problem`
objects. The same fields generate the data dictionary (``data/README.md``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..errors import Problem

if TYPE_CHECKING:
    from .study_model import Study

__all__ = ["Field", "FileSpec", "check_frame", "line_of", "MAX_PROBLEMS_PER_FILE"]

_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M", "month": "%Y-%m"}
#: The exact written form of each kind (ISO 8601, zero-padded): ``2023-6-5`` is refused.
_STRICT = {
    "date": r"\d{4}-\d{2}-\d{2}",
    "time": r"\d{2}:\d{2}",
    "month": r"\d{4}-\d{2}",
    "year": r"\d{4}",
}
_FORM = {"date": "YYYY-MM-DD", "time": "HH:MM", "month": "YYYY-MM", "year": "YYYY"}
_EXPECT = {
    "date": "a date YYYY-MM-DD (e.g. 2023-06-05)",
    "time": "a time HH:MM (24-hour, e.g. 09:15)",
    "month": "a month YYYY-MM (e.g. 2023-06)",
    "int": "a whole number",
    "float": "a number (decimal point '.')",
    "year": "a year YYYY",
}


@dataclass(frozen=True)
class Field:
    """One column of a data file.

    ``kind`` is one of ``str``, ``code`` (a lower-case identifier), ``int``,
    ``float``, ``date``, ``time``, ``month``, ``year``.
    """

    name: str
    kind: str
    description: str
    example: str
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    required: bool = True
    optional_column: bool = False
    #: The study vocabulary (``study.yaml``) whose codes the column holds; ``extra``
    #: codes every study allows besides them (e.g. ``none``).
    vocabulary: str | None = None
    extra: tuple[str, ...] = ()

    def expected(self) -> str:
        if self.allowed is not None:
            return "one of " + ", ".join(self.allowed)
        base = _EXPECT.get(self.kind, "a value")
        if self.min is not None:
            base += f" >= {self.min:g}"
        return base


@dataclass(frozen=True)
class FileSpec:
    """A data file: its path inside the data folder, its fields and its key."""

    path: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def for_study(self, study: Study | None) -> FileSpec:
        """This spec with each vocabulary column restricted to the study's codes.

        ``study`` is a :class:`~evaluation.sources.study.Study` (``None``: the spec as it is,
        vocabulary columns then only need to be filled).
        """
        if study is None:
            return self
        fields = tuple(
            replace(f, allowed=tuple(f.extra) + study.codes(f.vocabulary))
            if f.vocabulary and f.vocabulary in study.vocabularies
            else f
            for f in self.fields
        )
        return replace(self, fields=fields)


#: Most problems listed for one file; the rest are counted in one more line. A hostile
#: file of a million bad rows must not make a million messages.
MAX_PROBLEMS_PER_FILE = 1000


class ProblemList(list):
    """A list of problems of one file that keeps the first :data:`MAX_PROBLEMS_PER_FILE`."""

    def __init__(self, label: str, items=()) -> None:
        super().__init__(items)
        self.label, self.skipped = label, 0

    @property
    def full(self) -> bool:
        return len(self) >= MAX_PROBLEMS_PER_FILE

    def room(self, items):
        """The first items (a sequence, an index or a frame) that still fit; the others are
        counted as skipped."""
        free = max(MAX_PROBLEMS_PER_FILE - len(self), 0)
        self.skipped += max(len(items) - free, 0)
        return items.iloc[:free] if isinstance(items, pd.DataFrame) else items[:free]

    def append(self, problem: Problem) -> None:
        if self.full:
            self.skipped += 1
        else:
            super().append(problem)

    def done(self) -> list[Problem]:
        """A plain list, with one line saying how many more problems there were."""
        out = list(self)
        if self.skipped:
            out.append(
                Problem(
                    self.label,
                    None,
                    None,
                    f"... and {self.skipped:,} more problems in this file (the first"
                    f" {MAX_PROBLEMS_PER_FILE:,} are listed)",
                    "a file with fewer errors",
                )
            )
        return out


def line_of(index) -> int:
    """The line in the file of a 0-based data row (header is line 1)."""
    return int(index) + 2


def _parse(raw: pd.Series, f: Field) -> tuple[pd.Series, pd.Series]:
    """Typed series and a mask of values that failed to parse."""
    text = raw.astype(str).str.strip()
    empty = text == ""
    if f.kind in _STRICT:
        text = text.where(text.str.fullmatch(_STRICT[f.kind]) | empty, "\x00")
    typed: pd.Series
    if f.kind in _FORMATS:
        typed = pd.to_datetime(text, format=_FORMATS[f.kind], errors="coerce")
    elif f.kind in ("int", "year"):
        num = pd.to_numeric(text, errors="coerce")
        whole = num.notna() & np.isfinite(num) & (num == np.floor(num))
        typed = num.where(whole).astype("Int64")
    elif f.kind == "float":
        typed = pd.to_numeric(text, errors="coerce").astype("float64")
    else:
        return text.astype(object).where(~empty, None), pd.Series(False, index=raw.index)
    bad = typed.isna() & ~empty
    return typed, bad


def _unreadable(value: object, f: Field) -> str:
    """Why a value of ``f`` cannot be read; for a date, time or month that is only not
    written in the strict form (``2023-6-5``), say so and show it written correctly."""
    text = str(value).strip()
    if f.kind in _FORMATS:
        try:
            fixed = pd.to_datetime(text, format=_FORMATS[f.kind]).strftime(_FORMATS[f.kind])
        except (ValueError, TypeError):
            fixed = None
        if fixed is not None and fixed != text:
            return (
                f"{value!r} is not written {_FORM[f.kind]} (ISO 8601, with leading zeros:"
                f" {fixed!r})"
            )
    return f"{value!r} cannot be read"


def _check_for(f: Field) -> list[pa.Check]:
    checks = []
    if f.allowed is not None:
        checks.append(pa.Check.isin(list(f.allowed), name="allowed"))
    if f.min is not None:
        checks.append(pa.Check.ge(f.min, name="min"))
    if f.kind == "code":
        checks.append(pa.Check.str_matches(r"^[a-z0-9][a-z0-9_]*$", name="code"))
    return checks


def _columns_missing(raw: pd.DataFrame, spec: FileSpec, label: str, problems: ProblemList) -> bool:
    """Report required columns that are missing (errors) and unknown ones (warnings)."""
    present = list(raw.columns)
    known = {f.name for f in spec.fields}
    missing = [f for f in spec.fields if f.name not in present and not f.optional_column]
    for f in missing:
        near = difflib.get_close_matches(f.name, [c for c in present if c not in known], n=1)
        hint = f" (found {near[0]!r}: misspelt?)" if near else ""
        problems.append(
            Problem(label, 1, f.name, f"column is missing{hint}", f"a column {f.name!r}")
        )
    for c in present:
        if c not in known:
            problems.append(
                Problem(
                    label,
                    1,
                    c,
                    "unknown column",
                    "only " + ", ".join(f.name for f in spec.fields),
                    severity="warning",
                )
            )
    return bool(missing)


def _typed(
    raw: pd.DataFrame, spec: FileSpec, label: str, problems: ProblemList
) -> tuple[pd.DataFrame, dict[str, pd.Series], dict[str, pa.Column]]:
    """The typed frame, the mask of unreadable values per column and the pandera columns."""
    typed: dict[str, pd.Series] = {}
    columns: dict[str, pa.Column] = {}
    flagged: dict[str, pd.Series] = {}
    for f in spec.fields:
        if f.name not in raw.columns:
            continue
        series, bad = _parse(raw[f.name], f)
        for idx in problems.room(raw.index[bad.to_numpy()]):
            problems.append(
                Problem(
                    label,
                    line_of(idx),
                    f.name,
                    _unreadable(raw.at[idx, f.name], f),
                    f.expected(),
                )
            )
        typed[f.name] = series
        flagged[f.name] = bad
        columns[f.name] = pa.Column(checks=_check_for(f), nullable=True)
    return pd.DataFrame(typed, index=raw.index), flagged, columns


def _empty_required(
    df: pd.DataFrame,
    spec: FileSpec,
    flagged: dict[str, pd.Series],
    label: str,
    problems: ProblemList,
) -> None:
    """Empty values where a value is required."""
    for f in spec.fields:
        if f.name in df and f.required:
            empty = df[f.name].isna() & ~flagged[f.name]
            for idx in problems.room(df.index[empty.to_numpy()]):
                problems.append(Problem(label, line_of(idx), f.name, "empty value", f.expected()))


def _failed_check(value: object, f: Field, check: str) -> tuple[str, str]:
    """Message and expectation for a value that fails a pandera check of field ``f``."""
    if check.startswith(("allowed", "code", "isin", "str_matches")):
        if f.allowed is None:
            return (
                f"{value!r} is not a lower-case identifier",
                "lower-case letters, digits and _ (snake_case)",
            )
        msg = f"{value!r} is not an allowed value"
        near = difflib.get_close_matches(str(value).lower(), f.allowed or (), n=1)
        if near:
            msg += f" (did you mean {near[0]!r}?)"
        return msg, f.expected()
    if check.startswith(("min", "greater_than_or_equal_to")):
        return f"{value} is below the minimum", f.expected()
    return f"{value!r} fails check {check}", f.expected()


def _schema_checks(
    raw: pd.DataFrame,
    df: pd.DataFrame,
    columns: dict[str, pa.Column],
    spec: FileSpec,
    label: str,
    problems: ProblemList,
) -> None:
    """Allowed values, identifiers and minimums (pandera), in file order."""
    schema = pa.DataFrameSchema(columns, strict=False, coerce=False)
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        # in file order, so that the problems listed (at most MAX_PROBLEMS_PER_FILE) are the first
        fc = fc.iloc[
            np.argsort(pd.to_numeric(fc["index"], errors="coerce").to_numpy(), kind="stable")
        ]
        for row in problems.room(fc).itertuples(index=False):
            col, idx = row.column, row.index
            if idx is None or (isinstance(idx, float) and np.isnan(idx)) or col not in df:
                continue
            msg, expected = _failed_check(raw.at[idx, col], spec.field(col), str(row.check))
            problems.append(Problem(label, line_of(idx), col, msg, expected))


def _duplicate_keys(
    raw: pd.DataFrame, df: pd.DataFrame, spec: FileSpec, label: str, problems: ProblemList
) -> None:
    """Rows whose key was seen before, each with the line of the key's first row.

    Vectorised: the duplicated rows, then (for the ones listed) the line of their key's
    first row, by a merge on the key columns.
    """
    if not spec.key or not all(k in df for k in spec.key):
        return
    keys = df[list(spec.key)]
    valid = keys.notna().all(axis=1)
    dup = keys.duplicated(keep="first") & valid
    if not dup.any():
        return
    shown = problems.room(df.index[dup.to_numpy()])
    firsts = keys[valid & ~dup].assign(_first=lambda d: d.index + 2)
    later = keys.loc[shown].assign(_row=shown)
    pairs = later.merge(firsts, on=list(spec.key), how="left")
    for idx, first in zip(pairs["_row"], pairs["_first"], strict=True):
        value = "/".join(str(raw.at[idx, k]).strip() for k in spec.key)
        problems.append(
            Problem(
                label,
                line_of(idx),
                ", ".join(spec.key),
                f"duplicate {value}: also on line {int(first)}",
                f"each {', '.join(spec.key)} once",
            )
        )


def check_frame(
    raw: pd.DataFrame, spec: FileSpec, label: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse and validate one file's text frame.

    Returns the typed frame (rows with problems kept, bad values as missing)
    and the list of problems. A missing required column stops the checks of
    that file (nothing else about it can be trusted).

    Examples
    --------
    >>> spec = FileSpec("t.csv", "A test file.", (Field("n", "int", "a count", "3", min=0),))
    >>> raw = pd.DataFrame({"n": ["3", "x", "-1"]})
    >>> df, problems = check_frame(raw, spec, "t.csv")
    >>> df["n"].tolist()
    [3, <NA>, -1]
    >>> for p in problems:
    ...     print(p)
    t.csv:3: n: 'x' cannot be read; expected a whole number >= 0
    t.csv:4: n: -1 is below the minimum; expected a whole number >= 0
    """
    # (popped: pandas deep-copies attrs on every operation)
    problems = ProblemList(label, raw.attrs.pop("problems", []))
    if _columns_missing(raw, spec, label, problems):
        return pd.DataFrame(), problems
    df, flagged, columns = _typed(raw, spec, label, problems)
    _empty_required(df, spec, flagged, label, problems)
    _schema_checks(raw, df, columns, spec, label, problems)
    _duplicate_keys(raw, df, spec, label, problems)
    return df, problems.done()


def unknown_reference(
    df: pd.DataFrame,
    column: str,
    allowed: Iterable,
    label: str,
    what: str,
) -> list[Problem]:
    """Problems for values of ``column`` that are not in ``allowed`` (a reference check)."""
    vals = df[column]
    bad = vals.notna() & ~vals.isin(list(allowed))
    out = ProblemList(label)
    for idx in out.room(df.index[bad.to_numpy()]):
        out.append(
            Problem(
                label,
                line_of(idx),
                column,
                f"{vals.loc[idx]!r} is not a known {what}",
                f"a {what} listed in the data",
            )
        )
    return out.done()
