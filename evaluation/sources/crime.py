"""Reported crime: ``crime/reported.csv`` and ``crime/areas.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import Problem
from ._io import confined, read_csv_text
from ._schema import Field, FileSpec, check_frame, line_of, unknown_reference

if TYPE_CHECKING:
    from .study_model import Study

__all__ = ["REPORTED", "AREAS", "load_crime", "missing_months"]

REPORTED = FileSpec(
    "crime/reported.csv",
    "Crimes reported to the police per month, area and category.",
    (
        Field("month", "month", "calendar month", "2019-06"),
        Field("area", "code", "area (see areas.csv)", "site_area", vocabulary="areas"),
        Field(
            "category",
            "str",
            "crime category (study.yaml crime_categories)",
            "violence",
            vocabulary="crime_categories",
        ),
        Field("count", "int", "number of reported crimes", "14", min=0),
    ),
    key=("month", "area", "category"),
)
AREAS = FileSpec(
    "crime/areas.csv",
    "Size of each area per year (the site's area may be redrawn from year to year) and its population.",
    (
        Field(
            "area", "code", "area identifier (study.yaml areas)", "site_area", vocabulary="areas"
        ),
        Field("year", "year", "calendar year", "2023"),
        Field("hectares", "float", "area in hectares that year", "1.9", min=0),
        Field("population", "int", "residents that year (may be empty)", "", min=0, required=False),
    ),
    key=("area", "year"),
)


def missing_months(reported: pd.DataFrame) -> pd.DataFrame:
    """Months absent from each area x category series, between its first and last month.

    Returns a DataFrame with columns ``area``, ``category``, ``month`` (``YYYY-MM``).

    Examples
    --------
    >>> rep = pd.DataFrame({"area": "a", "category": "theft", "month": pd.to_datetime(["2020-01-01", "2020-04-01"])})
    >>> missing_months(rep).values.tolist()
    [['a', 'theft', '2020-02'], ['a', 'theft', '2020-03']]
    """
    rows = []
    for (area, cat), g in reported.groupby(["area", "category"], observed=True):
        months = pd.PeriodIndex(g["month"].dt.to_period("M"))
        full = pd.period_range(months.min(), months.max(), freq="M")
        for m in full.difference(months):
            rows.append((area, cat, str(m)))
    return pd.DataFrame(rows, columns=["area", "category", "month"])


@confined
def load_crime(
    folder: str | Path, prefix: str = "crime", study: Study | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Load ``reported.csv`` and ``areas.csv`` and cross-check them.

    Every (area, year) with reported crimes needs a row in ``areas.csv`` with
    its hectares. Months missing inside a series are warnings.

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> crime, problems = load_crime(resolve("data/example/crime"))
    >>> sorted(crime), problems
    (['areas', 'reported'], [])
    """
    folder = Path(folder)
    problems: list[Problem] = []
    out: dict[str, pd.DataFrame] = {}
    for name, spec in (("reported", REPORTED), ("areas", AREAS)):
        label = f"{prefix}/{name}.csv"
        df, probs = check_frame(
            read_csv_text(folder / f"{name}.csv", label), spec.for_study(study), label
        )
        out[name], problems = df, problems + probs
    rep, areas = out["reported"], out["areas"]
    if rep.empty or areas.empty:
        return out, problems
    label = f"{prefix}/reported.csv"
    problems += unknown_reference(
        rep, "area", areas["area"].dropna().unique(), label, "area (areas.csv)"
    )
    known = set(zip(areas["area"], areas["year"].astype("Int64"), strict=True))
    ok = rep["month"].notna() & rep["area"].isin(areas["area"])
    years = rep["month"].dt.year
    reported_once: set = set()
    sel = ok.to_numpy()
    for idx, area, year in zip(
        rep.index[sel], rep["area"].to_numpy()[sel], years.to_numpy()[sel], strict=True
    ):
        key = (area, int(year))
        if key not in known and key not in reported_once:
            reported_once.add(key)
            problems.append(
                Problem(
                    label,
                    line_of(idx),
                    "area",
                    f"{key[0]!r} has crimes in {key[1]} but no hectares for that year",
                    f"a row {key[0]},{key[1]},<hectares> in {prefix}/areas.csv",
                )
            )
    if rep["month"].notna().all():
        for row in missing_months(rep).itertuples():
            problems.append(
                Problem(
                    label,
                    None,
                    "month",
                    f"{row.month} is missing from the series {row.area}/{row.category}",
                    "one row per month (0 when nothing was reported)",
                    severity="warning",
                )
            )
    return out, problems
