"""Findings from results: the evidence-strength rule and every sentence that states a direction.

Every sentence of the report that says which way something went, how much,
or why, is built here from the results records (:mod:`evaluation.results`)
and the message catalogue (``messages/<language>/findings.yaml``), so that
it follows the data: the direction comes from :func:`evaluation.results.direction`
(the CI against the null; importable here as ``direction``), the strength
of evidence from :func:`evidence_strength`, and a sentence that names a
cause appears only when the data show that cause.

The parts, one concern each:

- :mod:`~evaluation.analyses.findings.rule`: the evidence rule
  (:func:`evidence_strength`, documented there once) and the sentence that
  says why a finding is rated below strong;
- :mod:`~evaluation.analyses.findings.words`: lists, labels of codes, model
  families and covariates, the target group;
- :mod:`~evaluation.analyses.findings.site`: sentences on 01's results;
- :mod:`~evaluation.analyses.findings.crime`: sentences on 03's results.

Every public name is importable from ``evaluation.analyses.findings``.
"""

from __future__ import annotations

from ...results import direction
from .crime import (
    co_intervention_sentence,
    count_change,
    crime_reading,
    its_sentence,
    per_hectare_cause,
    per_hectare_reading,
    per_hectare_sentence,
    survey_sentence,
)
from .rule import STRENGTHS, StrengthDecision, evidence_strength, strength_reason
from .site import method_conflict_sentence, rate_ratio_sentence, site_co_interventions, site_reading
from .words import and_list, covariate_label, family_label, group_values, label, target_group

__all__ = [
    "STRENGTHS",
    "StrengthDecision",
    "evidence_strength",
    "strength_reason",
    "direction",
    "and_list",
    "label",
    "family_label",
    "covariate_label",
    "rate_ratio_sentence",
    "method_conflict_sentence",
    "site_reading",
    "count_change",
    "per_hectare_cause",
    "per_hectare_sentence",
    "per_hectare_reading",
    "its_sentence",
    "co_intervention_sentence",
    "crime_reading",
    "survey_sentence",
    "target_group",
    "group_values",
    "site_co_interventions",
]
