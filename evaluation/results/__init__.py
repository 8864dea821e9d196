"""The results contract: what one notebook hands on to the next (``results/<notebook>.json``).

Every notebook of a run writes its key results as one JSON file, and the
synthesis and the pipeline read only these files, through this package:

- an **envelope** shared by every file: ``"schema": 1``, ``"notebook"``,
  ``"incomplete"`` (key results that could not be computed, each
  ``{"result": <key>, "why": <text>}``; empty when complete) and
  ``"sensitivity"`` (``{"estimate", "variant", "value", "ci_low",
  "ci_high"}`` rows; empty unless a sensitivity analysis filled it);
- typed records for the content: an :class:`Estimate` for every estimate with
  a confidence interval, and one result class per analysis
  (:class:`SiteResults`, :class:`FocusResults`, :class:`CrimeResults`,
  :class:`QualityResults`, :class:`SynthesisResults`).

:func:`read_results` validates a file against the envelope and raises
:class:`evaluation.errors.DataError` (naming the file and the key) for another
schema version or a malformed file; :func:`parse` turns a validated payload
into its typed record. Keys named as contract by earlier issues keep their
names and fields; new ones are only ever added.

The parts, one concern each: :mod:`~evaluation.results.records` (an estimate,
its checks, the envelope's rows, :func:`direction`),
:mod:`~evaluation.results.notebooks` (one result class per notebook),
:mod:`~evaluation.results.codec` (records to JSON and back) and
:mod:`~evaluation.results.files` (the envelope, writing and validated reading).
Every public name is importable from ``evaluation.results``.

>>> e = Estimate("rr", 1.8, 1.4, 2.3)
>>> direction(e), direction(Estimate("rr", 0.7, 0.5, 1.1))
('increase', 'no_clear_change')
>>> Estimate.from_dict(e.to_dict()) == e
True
"""

from __future__ import annotations

from .codec import as_json
from .files import SCHEMA, envelope, parse, read_results, write_results
from .notebooks import (
    RESULT_CLASSES,
    ConflictRate,
    CoPresence,
    CrimeResults,
    Finding,
    FocusResults,
    Goal,
    ITSEntry,
    MethodConflict,
    PerHectare,
    QualityResults,
    RateRatioEstimate,
    SiteResults,
    SurveyTrend,
    SynthesisResults,
    Theme,
)
from .records import (
    DIRECTIONS,
    SCALES,
    Check,
    CoIntervention,
    Estimate,
    Incomplete,
    Sensitivity,
    direction,
    starts_within,
)

__all__ = [
    "SCHEMA",
    "SCALES",
    "DIRECTIONS",
    "Check",
    "Estimate",
    "Incomplete",
    "Sensitivity",
    "CoIntervention",
    "RateRatioEstimate",
    "CoPresence",
    "ConflictRate",
    "SiteResults",
    "Theme",
    "MethodConflict",
    "FocusResults",
    "ITSEntry",
    "PerHectare",
    "SurveyTrend",
    "CrimeResults",
    "QualityResults",
    "Finding",
    "Goal",
    "SynthesisResults",
    "RESULT_CLASSES",
    "direction",
    "as_json",
    "starts_within",
    "envelope",
    "write_results",
    "read_results",
    "parse",
]
