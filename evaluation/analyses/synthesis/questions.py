"""The questions the findings answer, and the result each finding's measure is.

A study's questions and goals (``study.yaml``) name the *results* they draw on
(``its``, ``dealing_rate_ratio``, ``method_conflict`` ...); :func:`result_name`
maps a finding's measure to that name, and :func:`question_text` gives a
question's text in the report's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...i18n import has, t

if TYPE_CHECKING:
    from ...sources.study import Study

__all__ = ["QUESTIONS", "SAFETY", "result_name", "question_text"]

#: The questions the findings are drafted under when there is no study (texts:
#: ``findings.question.<id>``); with a study, its questions (``study.yaml``) replace them.
QUESTIONS = ("girls", "method_conflict", "professionals", "crime_safety")

#: Measure of a finding -> the result it is (the names ``study.yaml`` questions and goals use).
_RESULTS = {
    "drug_sale_rate_ratio": "dealing_rate_ratio",
    "outreach_contact_rate_ratio": "outreach_rate_ratio",
    "method_conflict.turns": "method_conflict",
    "reliability_overall": "reliability",
}
#: Results that say whether the site became safer (crime down, feeling safe up).
SAFETY = ("its", "per_hectare", "survey_trend")


def result_name(measure: str) -> str:
    """The result (``study.yaml`` questions' and goals' ``results``) a finding's measure is.

    Parameters
    ----------
    measure : str
        A finding's ``measure`` (``its.violence.level_change``, ``drug_sale_rate_ratio`` ...).

    Returns
    -------
    str
        The result's name.

    Examples
    --------
    >>> result_name("its.violence.level_change"), result_name("drug_sale_rate_ratio")
    ('its', 'dealing_rate_ratio')
    """
    head = measure.split(".", 1)[0]
    if head in SAFETY:
        return head
    return _RESULTS.get(measure, _RESULTS.get(head, head))


def question_text(qid: str, language: str, study: Study | None = None) -> str:
    """The text of a question: the study's, else the catalogue's ``findings.question.<id>``, else the id.

    Parameters
    ----------
    qid : str
        The question's id.
    language : str
        The report's language.
    study : Study, optional
        The study (``study.yaml``) whose questions come first.

    Examples
    --------
    >>> question_text("no_such_question", "en")
    'no_such_question'
    >>> question_text("girls", "en") != "girls"
    True
    """
    q = study.question(qid) if study is not None else None
    if q is not None:
        return q.text.get(language) or q.text.get("en") or qid
    key = f"findings.question.{qid}"
    return t(key, language) if has(key, language) else qid
