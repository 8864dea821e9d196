"""Grading the findings: the evidence rule applied knowing what the other sources say.

:func:`rated_drafts` drafts every finding (:mod:`~evaluation.analyses.synthesis.drafts`),
checks each direction against the sensitivity analyses (:func:`robust_direction`),
files it under the study's questions and rates it with
:func:`evaluation.analyses.findings.evidence_strength`: another source that
answers the same question the same way *corroborates* it, one pointing the
other way *contradicts* it. The sentence of a finding rated below strong
says why (:func:`evaluation.analyses.findings.strength_reason`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ...stats.sensitivity import SENSITIVITY_COLUMNS, direction_robust
from ..findings import evidence_strength, strength_reason
from .drafts import Draft, draft_findings
from .inputs import source_records
from .questions import QUESTIONS, result_name

if TYPE_CHECKING:
    from ...sources.study import Study

__all__ = ["sensitivity_name", "robust_direction", "rated_drafts"]


def sensitivity_name(measure: str) -> str:
    """The ``estimate`` name under which the results' ``sensitivity`` rows hold a measure.

    Examples
    --------
    >>> sensitivity_name("its.violence.level_change"), sensitivity_name("survey_trend.feels_safe.site_a")
    ('violence.level_change', 'survey_trend.site_a')
    >>> sensitivity_name("target_staying_rate_ratio")
    'target_staying_rate_ratio'
    """
    if measure.startswith("its."):
        return measure[4:]
    parts = measure.split(".")
    if parts[0] == "survey_trend" and len(parts) == 3:
        return f"survey_trend.{parts[2]}"
    return measure


def robust_direction(record: Any, measure: str) -> bool | None:
    """Whether ``measure``'s direction holds under the record's sensitivity rows.

    :func:`evaluation.stats.sensitivity.direction_robust` on the rows of
    ``record.sensitivity`` for this measure; ``None`` when there are none
    (no sensitivity analysis was run) or no direction to keep.

    Parameters
    ----------
    record : results record
        A record with a ``sensitivity`` list (e.g. :class:`~evaluation.results.SiteResults`).
    measure : str
        The finding's measure (:func:`sensitivity_name` finds its rows).

    Examples
    --------
    >>> from evaluation.results import Sensitivity, SiteResults
    >>> rows = [Sensitivity("target_staying_rate_ratio", "main", 1.9, 1.5, 2.4),
    ...         Sensitivity("target_staying_rate_ratio", "family=poisson", 0.9, 0.7, 1.1)]
    >>> robust_direction(SiteResults(sensitivity=rows), "target_staying_rate_ratio")
    False
    >>> robust_direction(SiteResults(), "target_staying_rate_ratio") is None
    True
    """
    name = sensitivity_name(measure)
    rows = [r for r in getattr(record, "sensitivity", None) or [] if r.estimate == name]
    if not rows:
        return None
    table = pd.DataFrame(
        [(r.estimate, r.variant, r.value, r.ci_low, r.ci_high) for r in rows],
        columns=SENSITIVITY_COLUMNS,
    ).astype({"value": float, "ci_low": float, "ci_high": float})
    return direction_robust(table)


def _agreement(dr: Draft, drafts: list[Draft]) -> tuple[bool, bool]:
    """Whether another source answering the same question corroborates or contradicts ``dr``.

    For crime and safety, crime down and feeling safe up both mean safer.
    """
    f = dr.finding
    others = [
        o
        for o in drafts
        if o is not dr
        and o.rated
        and o.finding.question == f.question
        and o.finding.source != f.source
        and o.finding.direction in ("increase", "decrease")
    ]
    if f.source in ("crime", "survey"):  # safer: crime down and feeling safe up agree
        others = [o for o in others if o.finding.source in ("crime", "survey")]
        return any(o.safer == dr.safer for o in others), any(o.safer == -dr.safer for o in others)
    same = any(o.finding.direction == f.direction for o in others)
    other_way = any(o.finding.direction != f.direction for o in others)
    return same, other_way


def _rate(drafts: list[Draft], language: str) -> None:
    """Apply the evidence rule to every estimate, knowing what the other sources say."""
    for dr in drafts:
        if not dr.rated:
            continue
        f = dr.finding
        same, other_way = _agreement(dr, drafts)
        dec = evidence_strength(f.direction, dr.checks, dr.co, same, other_way, dr.robust)
        f.strength = dec.strength
        why = strength_reason(dec, language, dr.period)
        if why:
            f.text = f"{f.text} {why}"


def _under_questions(drafts: list[Draft], study: Study) -> list[Draft]:
    """The drafts under the study's questions: each under the first that names its result."""
    kept = []
    for dr in drafts:
        r = result_name(dr.finding.measure)
        q = next((q.id for q in study.questions if r in q.results), None)
        if q is not None:
            dr.finding.question = q
            kept.append(dr)
    return kept


def rated_drafts(
    results: dict[str, dict[str, Any] | None], language: str, study: Study | None = None
) -> list[Draft]:
    """Every finding drafted, checked for robustness, filed under its question and rated.

    Parameters
    ----------
    results : dict
        Notebook name -> results payload (``None`` for a missing one).
    language : str
        The language of the sentences.
    study : Study, optional
        The study's questions (``study.yaml``); without it, :data:`QUESTIONS`.

    Returns
    -------
    list of Draft
        In the order of the questions.

    Examples
    --------
    >>> [d.finding.strength for d in rated_drafts({}, "en")][:3]
    ['not_assessed', 'not_assessed', 'not_assessed']
    """
    rec = source_records(results)
    drafts = draft_findings(rec, language)
    by_source = {"observations": rec.site, "crime": rec.crime, "survey": rec.crime}
    for dr in drafts:
        record = by_source.get(dr.finding.source)
        if dr.rated and record is not None:
            dr.robust = robust_direction(record, dr.finding.measure)
    order = {q: i for i, q in enumerate(QUESTIONS)}
    if study is not None:
        drafts = _under_questions(drafts, study)
        order = {q.id: i for i, q in enumerate(study.questions)}
    _rate(drafts, language)
    drafts.sort(key=lambda d: order.get(d.finding.question, len(order)))
    return drafts
