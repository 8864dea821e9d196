"""00_data_quality: is every source complete and consistent?"""

from __future__ import annotations

import pandas as pd

from ..sources import missing_months

__all__ = ["coverage", "warnings_table", "sessions_by_month", "crime_gaps"]


def coverage(ds) -> pd.DataFrame:
    """One row per source: present, rows, period covered, notes.

    Returns
    -------
    DataFrame
        ``source``, ``present``, ``rows``, ``from``, ``to``, ``notes``.
    """
    rows = []
    if ds.calendar is not None:
        c = ds.calendar
        rows.append(
            (
                "calendar",
                True,
                len(c),
                f"{c['start'].min():%Y-%m-%d}",
                f"{c['end'].max():%Y-%m-%d}",
                f"{(c['kind'] != 'policing').sum()} activation periods, {(c['kind'] == 'policing').sum()} co-interventions",
            )
        )
    else:
        rows.append(("calendar", False, 0, "", "", "missing"))
    if ds.observations is not None:
        s = ds.observations["sessions"]
        rows.append(
            (
                "observations",
                True,
                len(s),
                f"{s['date'].min():%Y-%m-%d}",
                f"{s['date'].max():%Y-%m-%d}",
                f"{s['zone'].nunique()} zones, {s['observer'].nunique()} observers, {s['minutes'].sum() / 60:.0f} hours",
            )
        )
    else:
        rows.append(("observations", False, 0, "", "", "missing"))
    if ds.focus_groups is not None:
        f = ds.focus_groups
        rows.append(
            (
                "focus_groups",
                True,
                len(f["segments"]),
                "",
                "",
                f"{f['segments']['group'].nunique()} groups, {len(f['participants'])} participants, {len(f['codings'])} codings",
            )
        )
    else:
        rows.append(("focus_groups", False, 0, "", "", "missing"))
    if ds.crime is not None:
        r = ds.crime["reported"]
        rows.append(
            (
                "crime",
                True,
                len(r),
                f"{r['month'].min():%Y-%m}",
                f"{r['month'].max():%Y-%m}",
                f"{r['area'].nunique()} areas, {r['category'].nunique()} categories",
            )
        )
    else:
        rows.append(("crime", False, 0, "", "", "missing"))
    if ds.survey is not None:
        s = ds.survey
        rows.append(
            (
                "survey",
                True,
                len(s),
                str(int(s["year"].min())),
                str(int(s["year"].max())),
                f"{s['area'].nunique()} areas, {s['item'].nunique()} items",
            )
        )
    else:
        rows.append(("survey", False, 0, "", "", "missing"))
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
