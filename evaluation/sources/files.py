"""The CSV files of the data contract, in the order of the data dictionary, and which may be empty."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ._schema import FileSpec
from .calendar import CALENDAR
from .crime import AREAS, REPORTED
from .focus_groups import CODINGS, PARTICIPANTS
from .observations import COUNTS, INCIDENTS, SESSIONS, ZONES
from .survey import SAFETY

__all__ = ["FILE_SPECS", "MAY_BE_EMPTY", "empty_files"]

#: Every CSV file of the data contract, in the order of the data dictionary.
FILE_SPECS: tuple[FileSpec, ...] = (
    CALENDAR,
    ZONES,
    SESSIONS,
    COUNTS,
    INCIDENTS,
    PARTICIPANTS,
    CODINGS,
    REPORTED,
    AREAS,
    SAFETY,
)

#: Files that may hold only their header (no incident seen, no coding yet).
MAY_BE_EMPTY = ("observations/incidents.csv", "focus_groups/codings.csv")


def empty_files(root: Path, present: list[str]) -> list[Problem]:
    """Data files of ``root`` that have a header but no rows yet.

    Errors, except for the files that may be empty (:data:`MAY_BE_EMPTY`); links
    and other non-regular files are left to the loaders. ``present``: the
    sources loaded.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "calendar.csv").write_text("start,end,kind,name\\n", encoding="utf-8")
    >>> print(empty_files(root, ["calendar"])[0])
    calendar.csv: no rows yet (only the header); expected at least one row like '2019-06-01,2019-09-30,art,Summer art programme', or no such file if the source is not part of the study
    """
    probs = []
    for spec in FILE_SPECS:
        p = root / spec.path
        if spec.path in MAY_BE_EMPTY or not p.is_file() or p.is_symlink():
            continue
        with p.open("rb") as fh:
            lines = [ln for _, ln in zip(range(2), fh, strict=False) if ln.strip()]
        if len(lines) == 1:
            example = ",".join(f.example for f in spec.fields)
            probs.append(
                Problem(
                    spec.path,
                    None,
                    None,
                    "no rows yet (only the header)",
                    f"at least one row like {example!r}, or no such file if the source is"
                    " not part of the study",
                )
            )
    return probs
