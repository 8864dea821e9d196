"""00_data_quality: is every source complete and consistent?"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from ..i18n import t
from ..results import Incomplete, QualityResults
from ..sources import missing_months
from ..sources.order import order_index

__all__ = ["coverage", "warnings_table", "sessions_by_month", "crime_gaps", "quality_results"]


def _calendar(c: pd.DataFrame, language: str) -> tuple[Any, ...]:
    policing = int((c["kind"] == "policing").sum())
    return (
        len(c),
        f"{c['start'].min():%Y-%m-%d}",
        f"{c['end'].max():%Y-%m-%d}",
        t("nb00.note_calendar", language, activation=len(c) - policing, co_interventions=policing),
    )


def _observations(o: dict, language: str) -> tuple[Any, ...]:
    s = o["sessions"]
    return (
        len(s),
        f"{s['date'].min():%Y-%m-%d}",
        f"{s['date'].max():%Y-%m-%d}",
        t(
            "nb00.note_observations",
            language,
            zones=int(s["zone"].nunique()),
            observers=int(s["observer"].nunique()),
            hours=float(s["minutes"].sum() / 60),
        ),
    )


def _focus_groups(f: dict, language: str) -> tuple[Any, ...]:
    return (
        len(f["segments"]),
        "",
        "",
        t(
            "nb00.note_focus_groups",
            language,
            groups=int(f["segments"]["group"].nunique()),
            participants=len(f["participants"]),
            codings=len(f["codings"]),
        ),
    )


def _crime(c: dict, language: str) -> tuple[Any, ...]:
    r = c["reported"]
    return (
        len(r),
        f"{r['month'].min():%Y-%m}",
        f"{r['month'].max():%Y-%m}",
        t(
            "nb00.note_crime",
            language,
            areas=int(r["area"].nunique()),
            categories=int(r["category"].nunique()),
        ),
    )


def _survey(s: pd.DataFrame, language: str) -> tuple[Any, ...]:
    return (
        len(s),
        str(int(s["year"].min())),
        str(int(s["year"].max())),
        t(
            "nb00.note_survey",
            language,
            areas=int(s["area"].nunique()),
            items=int(s["item"].nunique()),
        ),
    )


#: per source (in the order shown): its rows, first and last date, and a one-line note
_SUMMARIES: dict[str, Callable[[Any, str], tuple[Any, ...]]] = {
    "calendar": _calendar,
    "observations": _observations,
    "focus_groups": _focus_groups,
    "crime": _crime,
    "survey": _survey,
}


def coverage(ds: Any, language: str = "en") -> pd.DataFrame:
    """One row per source: present, rows, period covered, notes.

    Parameters
    ----------
    ds : Dataset
    language : {"sv", "en"}
        The language of the notes (catalogue ``nb00.note_*``).

    Returns
    -------
    DataFrame
        ``source``, ``present``, ``rows``, ``from``, ``to``, ``notes``; a missing
        source has ``present`` false, 0 rows and the note ``missing`` (in ``language``).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> survey = pd.DataFrame({"year": [2019, 2021], "area": "city", "item": "feels_safe"})
    >>> ds = NS(calendar=None, observations=None, focus_groups=None, crime=None, survey=survey)
    >>> coverage(ds)[["source", "present", "rows", "from", "to"]].tail(2)
      source  present  rows  from    to
    3  crime    False     0
    4 survey     True     2  2019  2021
    """
    rows = [
        (name, True, *summarise(data, language))
        if (data := getattr(ds, name)) is not None
        else (name, False, 0, "", "", t("nb00.note_missing", language))
        for name, summarise in _SUMMARIES.items()
    ]
    return pd.DataFrame(rows, columns=["source", "present", "rows", "from", "to", "notes"])


def warnings_table(ds: Any) -> pd.DataFrame:
    """The loader's warnings: ``file``, ``line``, ``column``, ``message``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> w = NS(file="crime/reported.csv", line=4, column="count", message="empty month")
    >>> warnings_table(NS(warnings=[w]))
                     file  line column      message
    0  crime/reported.csv     4  count  empty month
    """
    return pd.DataFrame(
        [
            {"file": w.file, "line": w.line, "column": w.column, "message": w.message}
            for w in ds.warnings
        ],
        columns=["file", "line", "column", "message"],
    )


def sessions_by_month(ds: Any) -> pd.DataFrame:
    """Observation sessions per month and activation state (a wide table).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c"], "activation": ["none", "art", "none"],
    ...                   "date": pd.to_datetime(["2022-05-30", "2022-06-01", "2022-06-02"])})
    >>> sessions_by_month(NS(observations={"sessions": s})).to_numpy().tolist()
    [[0, 1], [1, 1]]
    """
    s = ds.observations["sessions"]
    table = s.assign(month=s["date"].dt.strftime("%Y-%m")).pivot_table(
        index="month", columns="activation", values="session_id", aggfunc="count", fill_value=0
    )
    return order_index(table, "activation_kinds", getattr(ds, "study", None), axis=1)


def crime_gaps(ds: Any) -> pd.DataFrame:
    """Months missing inside each crime series (``area``, ``category``, ``month``).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> rep = pd.DataFrame({"month": pd.to_datetime(["2020-01-01", "2020-03-01"]), "area": "site",
    ...                     "category": "theft", "count": [3, 4]})
    >>> len(crime_gaps(NS(crime={"reported": rep})))
    1
    """
    return missing_months(ds.crime["reported"])


def quality_results(ds: Any) -> QualityResults:
    """The record of ``results/00_data_quality.json``: sources present, warnings, rows per source.

    A source that is absent is listed in ``incomplete``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> survey = pd.DataFrame({"year": [2019, 2021], "area": "city", "item": "feels_safe"})
    >>> ds = NS(calendar=None, observations=None, focus_groups=None, crime=None, survey=survey,
    ...         sources=["survey"], warnings=[])
    >>> r = quality_results(ds)
    >>> r.rows["survey"], [i.result for i in r.incomplete][:2]
    (2, ['sources.calendar', 'sources.observations'])
    """
    cov = coverage(ds)
    return QualityResults(
        incomplete=[
            Incomplete(f"sources.{r['source']}", "source missing")
            for r in cov.to_dict("records")
            if not r["present"]
        ],
        sources=list(ds.sources),
        warnings=len(ds.warnings),
        rows={str(r["source"]): int(r["rows"]) for r in cov.to_dict("records")},
    )
