"""Loaders for every evidence source; each validates and returns tidy DataFrames.

The data contract is docs/data-contract.md; ``data/README.md`` is its data
dictionary, generated from the :class:`~evaluation.sources._schema.FileSpec`
objects below (``evaluation.sources.dictionary``).
"""

from .calendar import CALENDAR, activation_on, load_calendar
from .crime import AREAS, REPORTED, load_crime, missing_months
from .dataset import Dataset, load_dataset
from .focus_groups import CODINGS, PARTICIPANTS, load_focus_groups, parse_transcript
from .observations import COUNTS, INCIDENTS, SESSIONS, ZONES, load_observations, primary_sessions
from .survey import SAFETY, load_survey

#: Every CSV file of the data contract, in the order of the data dictionary.
FILE_SPECS = (
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

__all__ = [
    "Dataset",
    "load_dataset",
    "load_calendar",
    "activation_on",
    "load_observations",
    "primary_sessions",
    "load_focus_groups",
    "parse_transcript",
    "load_crime",
    "missing_months",
    "load_survey",
    "FILE_SPECS",
]
