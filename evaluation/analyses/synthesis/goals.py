"""The site's goals (``study.yaml``) assessed from the findings of the results bearing on each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import t
from ...results import Finding, Goal
from ..findings import STRENGTHS
from .questions import SAFETY, result_name

if TYPE_CHECKING:
    from ...sources.study import Goal as StudyGoal
    from ...sources.study import Study

__all__ = ["goals"]


def _g(key: str, language: str, **values: Any) -> str:
    return t(f"findings.goal.{key}", language, **values)


def goals(findings: list[Finding], language: str = "sv", study: Study | None = None) -> list[Goal]:
    """The site's goals (``study.yaml``) against the findings of the results bearing on each.

    The assessment follows the findings' directions: for results on safety
    (``its``, ``per_hectare``, ``survey_trend``), crime down and feeling safe
    up point to a safer site; for ``target_staying_rate_ratio``, the
    direction of the target group staying; for any other result, its
    direction and strength. A goal with no results is *not assessed by these
    data*; without a study there are no goals.

    Parameters
    ----------
    findings : list of Finding
        The synthesis' findings (:func:`~evaluation.analyses.synthesis.build_findings`).
    language : str
        The language of the goals' texts.
    study : Study, optional
        The study whose goals to assess.

    Examples
    --------
    >>> from evaluation.paths import EXAMPLE_DATA, resolve
    >>> from evaluation.sources.study import load_study
    >>> study = load_study(resolve(EXAMPLE_DATA))
    >>> [g.assessment for g in goals([], "en", study)][:1] == [t("findings.goal.not_assessed", "en")]
    True
    >>> goals([], "en")
    []
    """
    if study is None:
        return []
    return [_goal(goal, findings, language) for goal in study.goals]


def _goal(goal: StudyGoal, findings: list[Finding], language: str) -> Goal:
    """One goal: its name, the evidence (the findings' texts) and the assessment."""
    name = goal.text.get(language) or goal.text.get("en") or goal.id
    if not goal.results:
        return Goal(name, t("study.goal.no_results", language), _g("not_assessed", language))
    fs = [f for f in findings if result_name(f.measure) in goal.results]
    if not [f for f in fs if f.estimate is not None]:
        return Goal(name, _g("no_data", language), _g("not_assessed", language))
    evidence: list[str] = []
    parts: list[str] = []
    safety = [f for f in fs if result_name(f.measure) in SAFETY]
    if safety:
        ev, ass = _safety_assessment(safety, language)
        evidence.append(ev)
        parts.append(ass)
    stay = next((f for f in fs if f.measure == "target_staying_rate_ratio"), None)
    if stay is not None and stay.estimate is not None:
        evidence.append(stay.text)
        parts.append(_welcoming(stay, language))
    for f in fs:
        if result_name(f.measure) in (*SAFETY, "target_staying_rate_ratio") or f.estimate is None:
            continue
        evidence.append(f.text)
        if f.direction in ("increase", "decrease", "no_clear_change"):
            parts.append(
                t(
                    "study.goal.direction",
                    language,
                    direction=t(f"findings.direction.{f.direction}", language),
                    strength=t(f"findings.strength.{f.strength}", language),
                )
            )
    return Goal(
        name,
        " ".join(e for e in evidence if e) or _g("no_data", language),
        "; ".join(p for p in parts if p) or _g("not_assessed", language),
    )


def _welcoming(stay: Finding, language: str) -> str:
    """The assessment from the target group staying: more welcoming, less, or no clear change."""
    s = t(f"findings.strength.{stay.strength}", language)
    if stay.direction == "increase":
        return _g("welcoming_up", language, strength=s)
    if stay.direction == "decrease":
        return _g("welcoming_down", language, strength=s)
    return _g("no_clear", language)


def _safety_assessment(safety: list[Finding], language: str) -> tuple[str, str]:
    """Evidence and assessment of the findings on safety: crime down and feeling safe up agree."""
    clear = [
        f
        for f in safety
        if f.direction in ("increase", "decrease") and f.strength != "not_assessed"
    ]
    signs = {
        (-1 if f.source == "crime" else 1) * (1 if f.direction == "increase" else -1) for f in clear
    }
    best = _weakest([f.strength for f in clear])
    if not [f for f in safety if f.estimate is not None]:
        ass = _g("not_assessed", language)
    elif not clear:
        ass = _g("no_clear", language)
    elif signs == {1}:
        ass = _g("safer", language, strength=t(f"findings.strength.{best}", language))
    elif signs == {-1}:
        ass = _g("less_safe", language, strength=t(f"findings.strength.{best}", language))
    else:
        ass = _g("mixed", language)
    ev = " ".join(f.text for f in safety if f.estimate is not None and f.direction != "context")
    return ev, ass


def _weakest(strengths: list[str]) -> str:
    return max(strengths, key=STRENGTHS.index) if strengths else "not_assessed"
