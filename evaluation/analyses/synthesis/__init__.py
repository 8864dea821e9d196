"""04_synthesis: one evaluation across sources, from the results contract only.

The synthesis reads the other notebooks' results (:mod:`evaluation.results`),
turns each key estimate into a :class:`~evaluation.results.Finding` (its
direction from :func:`evaluation.results.direction`, its strength from
:func:`evaluation.analyses.findings.evidence_strength`, its sentence from the
message catalogue), and renders the summary, the evidence table and the goals
from exactly these findings. It never reads another module's prose, and names
no crime category or codebook code: those come from the results. The questions
(their order and texts) and the site's goals come from the study
(``study.yaml``, :mod:`evaluation.sources.study`): each finding answers the
first question whose ``results`` name its result (:func:`result_name`), and a
goal is assessed from the findings of its ``results`` (none: *not assessed by
these data*).

The parts, one concern each, in the order a run goes through them:

- :mod:`~evaluation.analyses.synthesis.inputs`: reading (or computing) the
  other notebooks' results and their typed records;
- :mod:`~evaluation.analyses.synthesis.questions`: the questions and the
  result each finding's measure is;
- :mod:`~evaluation.analyses.synthesis.drafts`: one draft finding per key result;
- :mod:`~evaluation.analyses.synthesis.grading`: the evidence rule applied
  across sources;
- :mod:`~evaluation.analyses.synthesis.summary` and
  :mod:`~evaluation.analyses.synthesis.goals`: the findings, the summary, the
  goals and the contract record;
- :mod:`~evaluation.analyses.synthesis.display`: the tables and texts notebook 04 shows.

Every public name is importable from ``evaluation.analyses.synthesis``.
"""

from __future__ import annotations

from .display import evidence_table, findings_check, goals_table, limitations, provenance_table
from .goals import goals
from .grading import robust_direction, sensitivity_name
from .inputs import (
    NOTEBOOKS,
    USES,
    SourceRecords,
    SynthesisInputs,
    collect_results,
    records,
    source_records,
)
from .questions import QUESTIONS, question_text, result_name
from .summary import MAX_SUMMARY, build_findings, plain_summary, summary_sentences, synthesise

__all__ = [
    "collect_results",
    "records",
    "source_records",
    "SourceRecords",
    "build_findings",
    "summary_sentences",
    "plain_summary",
    "goals",
    "synthesise",
    "evidence_table",
    "goals_table",
    "findings_check",
    "provenance_table",
    "limitations",
    "sensitivity_name",
    "robust_direction",
    "NOTEBOOKS",
    "USES",
    "MAX_SUMMARY",
    "QUESTIONS",
    "SynthesisInputs",
    "result_name",
    "question_text",
]
