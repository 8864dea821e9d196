"""00_data_quality: is every source complete and consistent?"""

from __future__ import annotations

import pandas as pd

from ..results import Incomplete, QualityResults
from ..sources import missing_months

__all__ = ["coverage", "warnings_table", "sessions_by_month", "crime_gaps", "quality_results"]


def _calendar(c: pd.DataFrame) -> tuple:
    policing = (c["kind"] == "policing").sum()
    return (
        len(c),
        f"{c['start'].min():%Y-%m-%d}",
        f"{c['end'].max():%Y-%m-%d}",
        f"{len(c) - policing} activation periods, {policing} co-interventions",
    )


def _observations(o: dict) -> tuple:
    s = o["sessions"]
    return (
        len(s),
        f"{s['date'].min():%Y-%m-%d}",
        f"{s['date'].max():%Y-%m-%d}",
        f"{s['zone'].nunique()} zones, {s['observer'].nunique()} observers, "
        f"{s['minutes'].sum() / 60:.0f} hours",
    )


def _focus_groups(f: dict) -> tuple:
    return (
        len(f["segments"]),
        "",
        "",
        f"{f['segments']['group'].nunique()} groups, {len(f['participants'])} participants, "
        f"{len(f['codings'])} codings",
    )


def _crime(c: dict) -> tuple:
    r = c["reported"]
    return (
        len(r),
        f"{r['month'].min():%Y-%m}",
        f"{r['month'].max():%Y-%m}",
        f"{r['area'].nunique()} areas, {r['category'].nunique()} categories",
    )


def _survey(s: pd.DataFrame) -> tuple:
    return (
        len(s),
        str(int(s["year"].min())),
        str(int(s["year"].max())),
        f"{s['area'].nunique()} areas, {s['item'].nunique()} items",
    )


#: per source (in the order shown): its rows, first and last date, and a one-line note
_SUMMARIES = {
    "calendar": _calendar,
    "observations": _observations,
    "focus_groups": _focus_groups,
    "crime": _crime,
    "survey": _survey,
}


def coverage(ds) -> pd.DataFrame:
    """One row per source: present, rows, period covered, notes.

    Returns
    -------
    DataFrame
        ``source``, ``present``, ``rows``, ``from``, ``to``, ``notes``; a missing
        source has ``present`` false, 0 rows and the note ``missing``.
    """
    rows = [
        (name, True, *summarise(data))
        if (data := getattr(ds, name)) is not None
        else (name, False, 0, "", "", "missing")
        for name, summarise in _SUMMARIES.items()
    ]
    return pd.DataFrame(rows, columns=["source", "present", "rows", "from", "to", "notes"])


def warnings_table(ds) -> pd.DataFrame:
    """The loader's warnings: ``file``, ``line``, ``column``, ``message``."""
    return pd.DataFrame(
        [
            {"file": w.file, "line": w.line, "column": w.column, "message": w.message}
            for w in ds.warnings
        ],
        columns=["file", "line", "column", "message"],
    )


def sessions_by_month(ds) -> pd.DataFrame:
    """Observation sessions per month and activation state (a wide table)."""
    s = ds.observations["sessions"]
    return s.assign(month=s["date"].dt.strftime("%Y-%m")).pivot_table(
        index="month", columns="activation", values="session_id", aggfunc="count", fill_value=0
    )


def crime_gaps(ds) -> pd.DataFrame:
    """Months missing inside each crime series (``area``, ``category``, ``month``)."""
    return missing_months(ds.crime["reported"])


def quality_results(ds) -> QualityResults:
    """The record of ``results/00_data_quality.json``: sources present, warnings, rows per source.

    A source that is absent is listed in ``incomplete``.
    """
    cov = coverage(ds)
    return QualityResults(
        incomplete=[
            Incomplete(f"sources.{r.source}", "source missing")
            for r in cov.itertuples()
            if not r.present
        ],
        sources=list(ds.sources),
        warnings=len(ds.warnings),
        rows={r.source: int(r.rows) for r in cov.itertuples()},
    )
