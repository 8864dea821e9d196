"""The synthesis' findings, its summary sentences and the whole record of ``04_synthesis.json``.

Everything here is rendered from the rated findings
(:func:`~evaluation.analyses.synthesis.grading.rated_drafts`): the evidence
table's rows (:func:`build_findings`), the summary (:func:`summary_sentences`,
each sentence the text of a finding or derived from findings) and the
contract record (:func:`synthesise`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import t
from ...results import Finding, Incomplete, SynthesisResults
from .drafts import Draft
from .goals import goals
from .grading import rated_drafts
from .inputs import NOTEBOOKS

if TYPE_CHECKING:
    from ...sources.study import Study

__all__ = ["MAX_SUMMARY", "build_findings", "summary_sentences", "plain_summary", "synthesise"]

#: At most this many summary sentences.
MAX_SUMMARY = 8


def build_findings(
    results: dict[str, dict[str, Any] | None], language: str = "sv", study: Study | None = None
) -> list[Finding]:
    """Every finding of the synthesis, in the order of the study's questions.

    ``results`` maps notebook names to their results payloads (``None`` for a
    missing one). A missing source gives a finding with no estimate,
    direction ``no_clear_change`` and strength ``not_assessed``. ``study``
    (:class:`~evaluation.sources.study.Study`) gives the questions; without
    it, :data:`~evaluation.analyses.synthesis.questions.QUESTIONS`.

    Examples
    --------
    >>> f = build_findings({}, "en")[0]
    >>> f.question, f.measure, f.direction, f.strength
    ('girls', 'target_staying_rate_ratio', 'no_clear_change', 'not_assessed')
    """
    return [d.finding for d in rated_drafts(results, language, study)]


def summary_sentences(
    results: dict[str, dict[str, Any] | None], language: str = "sv", study: Study | None = None
) -> list[str]:
    """Five to eight plain sentences, each the text of one finding (or derived from findings).

    The method-conflict sentence appears only when more girls stayed during
    activation (an increase) and drug sales were seen during activation in
    sessions with girls staying; it gives that rate per observed hour
    (the method-conflict finding's, whose own sentence is in the evidence table).
    With no finding to tell, one sentence says so.

    Examples
    --------
    >>> len(summary_sentences({}, "en"))
    1
    """
    drafts = rated_drafts(results, language, study)
    out: list[str] = []
    for d in drafts:
        if d.summary:
            out.append(d.finding.text)
        rate = _conflict_remains(drafts)
        if d.finding.measure == "drug_sale_rate_ratio" and rate is not None:
            out.append(t("findings.site.conflict_remains", language, rate=rate))
    if not out:
        out.append(t("findings.none", language))
    return out[:MAX_SUMMARY]


#: The summary under its earlier name (benchmarks/run.py calls it).
plain_summary = summary_sentences


def _conflict_remains(drafts: list[Draft]) -> float | None:
    """Drug sales per observed hour with the target group there during activation, when the conflict remains.

    ``None`` unless more of the target group stayed during activation (an
    increase) and drug sales were seen during activation in sessions with
    the target group there.
    """
    girls = next((d for d in drafts if d.finding.measure == "target_staying_rate_ratio"), None)
    mc = next((d for d in drafts if d.finding.measure == "method_conflict_rate_ratio"), None)
    if girls and girls.finding.direction == "increase" and mc:
        return mc.conflict_rate
    return None


def synthesise(
    results: dict[str, dict[str, Any] | None], language: str = "sv", study: Study | None = None
) -> SynthesisResults:
    """The whole synthesis as its contract record (``results/04_synthesis.json``).

    ``study`` gives the questions and the goals (``study.yaml``).

    Examples
    --------
    >>> s = synthesise({}, "en")
    >>> s.language, len(s.incomplete), s.goals
    ('en', 4, [])
    """
    fs = build_findings(results, language, study)
    return SynthesisResults(
        incomplete=[Incomplete(nb, "no results") for nb in NOTEBOOKS if results.get(nb) is None],
        language=language,  # type: ignore[arg-type]  # "sv" or "en"
        findings=fs,
        summary=summary_sentences(results, language, study),
        goals=goals(fs, language, study),
    )
