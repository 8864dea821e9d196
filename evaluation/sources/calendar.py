"""``calendar.csv``: when the square was activated, and the co-interventions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import Problem
from ._io import read_csv_text
from ._schema import MAX_PROBLEMS_PER_FILE, Field, FileSpec, check_frame, line_of
from .codes import CO_INTERVENTIONS

if TYPE_CHECKING:
    from .study_model import Study

__all__ = ["CALENDAR", "load_calendar", "activation_on"]

CALENDAR = FileSpec(
    "calendar.csv",
    "Activation periods and policing co-interventions; the single source of truth for "
    "when the site was activated.",
    (
        Field("start", "date", "first day of the period", "2019-06-01"),
        Field("end", "date", "last day of the period (inclusive)", "2019-09-30"),
        Field(
            "kind",
            "str",
            "what kind of period: a study.yaml activation kind or policing (a co-intervention)",
            "art",
            vocabulary="activation_kinds",
            extra=CO_INTERVENTIONS,
        ),
        Field("name", "str", "a human name for the period", "Summer art programme"),
    ),
)


def load_calendar(
    path: str | Path, label: str = "calendar.csv", study: Study | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Load and check ``calendar.csv``; returns the frame and its problems.

    ``study`` restricts the kinds to its activation kinds (and ``policing``).

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> cal, problems = load_calendar(resolve("data/example/calendar.csv"))
    >>> list(cal.columns), problems
    (['start', 'end', 'kind', 'name'], [])
    """
    df, problems = check_frame(read_csv_text(path, label), CALENDAR.for_study(study), label)
    if df.empty:
        return df, problems
    bad = df["end"].notna() & df["start"].notna() & (df["end"] < df["start"])
    for idx in df.index[bad.to_numpy()][:MAX_PROBLEMS_PER_FILE]:
        end: Any = df.at[idx, "end"]
        problems.append(
            Problem(
                label,
                line_of(idx),
                "end",
                f"{end:%Y-%m-%d} is before start",
                "end on or after start",
            )
        )
    return df, problems


def activation_on(calendar: pd.DataFrame, dates: pd.Series) -> pd.Series:
    """Which non-policing activation kinds cover each date (``""`` if none).

    Examples
    --------
    >>> cal = pd.DataFrame({"start": pd.to_datetime(["2020-06-01"]), "end": pd.to_datetime(["2020-08-31"]),
    ...                     "kind": ["art"], "name": ["x"]})
    >>> activation_on(cal, pd.Series(pd.to_datetime(["2020-07-01", "2020-09-01"]))).tolist()
    ['art', '']
    """
    out = pd.Series("", index=dates.index, dtype=object)
    for row in calendar[calendar["kind"] != "policing"].itertuples():
        inside = (dates >= row.start) & (dates <= row.end)
        out[inside] = out[inside].where(out[inside] == "", out[inside] + ",") + str(row.kind)
    return out
