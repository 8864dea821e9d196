"""The city's safety survey, aggregated: ``survey/safety.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import Problem
from ._io import read_csv_text
from ._schema import MAX_PROBLEMS_PER_FILE, Field, FileSpec, check_frame, line_of

if TYPE_CHECKING:
    from .study_model import Study

__all__ = ["SAFETY", "load_survey"]

SAFETY = FileSpec(
    "survey/safety.csv",
    'Aggregated survey answers: how many of n respondents said "to a large extent".',
    (
        Field("year", "year", "survey year", "2021"),
        Field(
            "area",
            "code",
            "area the answers concern (study.yaml areas)",
            "site_area",
            vocabulary="areas",
        ),
        Field(
            "item",
            "code",
            "survey item (study.yaml survey_items, when the study lists them)",
            "feels_safe",
            vocabulary="survey_items",
        ),
        Field("n", "int", "respondents who answered the item", "412", min=1),
        Field("n_yes", "int", 'respondents answering "to a large extent"', "173", min=0),
    ),
    key=("year", "area", "item"),
)


def load_survey(
    path: str | Path, label: str = "survey/safety.csv", study: Study | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Load ``safety.csv``; ``n_yes > n`` is an error; ``study`` restricts the areas (and the items).

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> survey, problems = load_survey(resolve("data/example/survey/safety.csv"))
    >>> list(survey.columns), problems
    (['year', 'area', 'item', 'n', 'n_yes'], [])
    """
    df, problems = check_frame(read_csv_text(path, label), SAFETY.for_study(study), label)
    if df.empty:
        return df, problems
    bad = df["n"].notna() & df["n_yes"].notna() & (df["n_yes"] > df["n"])
    for idx in df.index[bad.fillna(False).to_numpy()][:MAX_PROBLEMS_PER_FILE]:
        problems.append(
            Problem(
                label,
                line_of(idx),
                "n_yes",
                f"{str(df.at[idx, 'n_yes'])} is larger than n = {str(df.at[idx, 'n'])}",
                "n_yes <= n",
            )
        )
    return df, problems
