"""The exception hierarchy of sergel-eval.

Callers catch by type; every error carries *where* (file, line or row, column)
and *what was expected*, so that a researcher can fix the input without reading
a traceback.

>>> from evaluation.errors import DataError, Problem
>>> err = DataError([Problem("sessions.csv", 3, "end", "'09:00' is not after start '10:00'",
...                          "end later than start")])
>>> print(err)
1 problem in the data:
sessions.csv
  sessions.csv:3: end: '09:00' is not after start '10:00'; expected end later than start

The hierarchy (catch :class:`EvaluationError` for all of them)::

    EvaluationError
    ├── DataError (also a ValueError): input data against the data contract
    │   └── CodebookError
    ├── ParameterError (also a ValueError): run parameters
    ├── ModelError: a model that cannot be fitted to these data
    ├── NotebookError: a notebook that failed during a run
    └── ReleaseError: a run the release gate refuses

>>> issubclass(CodebookError, DataError), issubclass(DataError, ValueError)
(True, True)
>>> all(issubclass(e, EvaluationError) for e in (ParameterError, ModelError, ReleaseError))
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

__all__ = [
    "EvaluationError",
    "Problem",
    "DataError",
    "CodebookError",
    "ParameterError",
    "NotebookError",
    "ModelError",
    "ReleaseError",
]


class EvaluationError(Exception):
    """Base class of every error raised on purpose by sergel-eval.

    Examples
    --------
    >>> try:
    ...     raise ModelError("the negative binomial fit did not converge")
    ... except EvaluationError as exc:
    ...     print(type(exc).__name__, exc)
    ModelError the negative binomial fit did not converge
    """


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    Attributes
    ----------
    file : str
        Path of the file (as given, or relative to the data folder).
    line : int or None
        Line in the file, the header counted as line 1; ``None`` for a
        whole-file problem.
    column : str or None
        Column (CSV) or key (YAML) concerned.
    message : str
        What was wrong.
    expected : str or None
        What was expected instead.
    severity : str
        ``"error"`` or ``"warning"``.

    Examples
    --------
    >>> p = Problem("zones.csv", 4, "zone", "'fontän' is not a zone", "one of fontanen, trappan")
    >>> print(p)
    zones.csv:4: zone: 'fontän' is not a zone; expected one of fontanen, trappan
    >>> p.to_dict()["line"]
    4
    """

    file: str
    line: int | None
    column: str | None
    message: str
    expected: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        col = f" {self.column}:" if self.column else ""
        exp = f"; expected {self.expected}" if self.expected else ""
        return f"{where}:{col} {self.message}{exp}"

    def to_dict(self) -> dict:
        return asdict(self)


def _group(problems: Iterable[Problem]) -> str:
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    out = []
    for file, items in by_file.items():
        out.append(file)
        out.extend(f"  {p}" for p in sorted(items, key=lambda p: (p.line or 0, p.column or "")))
    return "\n".join(out)


class DataError(EvaluationError, ValueError):
    """Input data that do not follow the data contract (``data/README.md``).

    Holds every problem found, not only the first; ``str(err)`` lists them
    grouped per file as ``file:line: column: what was wrong; expected ...``.

    Parameters
    ----------
    problems : list of Problem, or str
        The problems; a plain message is turned into one whole-file problem
        using ``file``, ``line``, ``column`` and ``expected``.

    Examples
    --------
    >>> err = DataError("no header row", file="sessions.csv", expected="a CSV header")
    >>> err.file, err.line, len(err.problems)
    ('sessions.csv', None, 1)
    >>> print(err)
    1 problem in the data:
    sessions.csv
      sessions.csv: no header row; expected a CSV header
    """

    def __init__(
        self,
        problems: list[Problem] | str,
        *,
        file: str = "<input>",
        line: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        if isinstance(problems, str):
            problems = [Problem(str(file), line, column, problems, expected)]
        self.problems: list[Problem] = list(problems)
        super().__init__(str(self))

    @property
    def file(self) -> str | None:
        return self.problems[0].file if self.problems else None

    @property
    def line(self) -> int | None:
        return self.problems[0].line if self.problems else None

    @property
    def column(self) -> str | None:
        return self.problems[0].column if self.problems else None

    def __str__(self) -> str:
        n = len(self.problems)
        return f"{n} problem{'s' if n != 1 else ''} in the data:\n" + _group(self.problems)


class CodebookError(DataError):
    """A codebook (YAML or REFI-QDA) that is not valid.

    Examples
    --------
    >>> isinstance(CodebookError("code 'x' has no label", file="cb.yaml"), DataError)
    True
    """


class ParameterError(EvaluationError, ValueError):
    """A run parameter that is unknown, or whose value is not allowed.

    Examples
    --------
    >>> str(ParameterError("min_cell: -1 is not allowed; expected a whole number >= 1"))
    'min_cell: -1 is not allowed; expected a whole number >= 1'
    """


class ModelError(EvaluationError):
    """A statistical model that cannot be fitted to these data, with the reason.

    Examples
    --------
    >>> str(ModelError("interrupted time series: 3 months before the start; expected at least 12"))
    'interrupted time series: 3 months before the start; expected at least 12'
    """


class NotebookError(EvaluationError):
    """A notebook that failed during a run.

    Attributes
    ----------
    notebook : str
        The notebook's file name.
    cell : int or None
        Index of the failing cell in the source notebook (0-based), and
        ``exec_count`` its execution count in the kept copy.
    ename, evalue : str
        The exception's type name and message inside the kernel.
    partial : str
        Path of the partly executed copy, which is kept.

    Examples
    --------
    >>> err = NotebookError("01_site.ipynb", "reports/x/01_site.ipynb", cell=4, exec_count=3,
    ...                     ename="KeyError", evalue="'zone'", source="# rates\\nrates = fit(ds)")
    >>> print(err)
    notebook 01_site.ipynb failed in cell 4 (execution count [3]): KeyError: 'zone'
      the cell starts: rates = fit(ds)
    the partly executed notebook is kept at reports/x/01_site.ipynb
    """

    def __init__(
        self,
        notebook: str,
        partial: str,
        *,
        cell: int | None = None,
        exec_count: int | None = None,
        ename: str = "",
        evalue: str = "",
        source: str = "",
    ) -> None:
        self.notebook, self.partial, self.cell = notebook, partial, cell
        self.exec_count, self.ename, self.evalue, self.source = exec_count, ename, evalue, source
        where = f"cell {cell}" if cell is not None else "start-up"
        if exec_count is not None:
            where += f" (execution count [{exec_count}])"
        first = next(
            (
                ln.strip()
                for ln in source.splitlines()
                if ln.strip() and not ln.strip().startswith("#")
            ),
            "",
        )
        code = f"\n  the cell starts: {first[:120]}" if first else ""
        super().__init__(
            f"notebook {notebook} failed in {where}: {ename}: {evalue}{code}\n"
            f"the partly executed notebook is kept at {partial}"
        )


class ReleaseError(EvaluationError):
    """A run that the release gate refuses (the leak scan found something).

    Examples
    --------
    >>> str(ReleaseError("2 possible leaks: the report is not for release"))
    '2 possible leaks: the report is not for release'
    """
