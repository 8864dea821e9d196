"""Loaders for every evidence source; each validates and returns tidy DataFrames.

The data contract is docs/data-contract.md; ``data/README.md`` is its data
dictionary, generated from the :class:`~evaluation.sources._schema.FileSpec`
objects (:data:`FILE_SPECS`, ``evaluation.sources.dictionary``).

Besides the CSV sources, this layer reads the other input formats: ``study.yaml``
(:mod:`.study`), codebooks (:mod:`.codebook` is the plain model,
:mod:`.codebook_reader` reads YAML) and REFI-QDA exchange files (:mod:`.refiqda`).

The names below are imported on first use (PEP 562), so that importing one
module of the package (the codebook model, say) does not load pandas' schema
checks (pandera) and every loader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names for type checkers; at run time see __getattr__
    from .calendar import CALENDAR, activation_on, load_calendar  # noqa: F401
    from .crime import AREAS, REPORTED, load_crime, missing_months  # noqa: F401
    from .dataset import Dataset, load_dataset  # noqa: F401
    from .files import FILE_SPECS  # noqa: F401
    from .focus_groups import CODINGS, PARTICIPANTS, load_focus_groups, parse_transcript  # noqa: F401
    from .observations import (  # noqa: F401
        COUNTS,
        INCIDENTS,
        SESSIONS,
        ZONES,
        load_observations,
        primary_sessions,
    )
    from .survey import SAFETY, load_survey  # noqa: F401

#: Public name -> the module of this package that defines it.
_LAZY = {
    "CALENDAR": "calendar",
    "activation_on": "calendar",
    "load_calendar": "calendar",
    "AREAS": "crime",
    "REPORTED": "crime",
    "load_crime": "crime",
    "missing_months": "crime",
    "Dataset": "dataset",
    "load_dataset": "dataset",
    "FILE_SPECS": "files",
    "CODINGS": "focus_groups",
    "PARTICIPANTS": "focus_groups",
    "load_focus_groups": "focus_groups",
    "parse_transcript": "focus_groups",
    "COUNTS": "observations",
    "INCIDENTS": "observations",
    "SESSIONS": "observations",
    "ZONES": "observations",
    "load_observations": "observations",
    "primary_sessions": "observations",
    "SAFETY": "survey",
    "load_survey": "survey",
}

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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
