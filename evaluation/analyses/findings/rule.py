"""The evidence-strength rule: how strong the evidence of one estimate is, and why it is not stronger.

The evidence rule
-----------------
:func:`evidence_strength` rates one estimate; the first rule that applies wins:

1. **not_assessed** - there is no estimate (source missing, model not fitted).
2. **weak** - a model check failed (the estimate may be wrong).
3. **weak** - the 95% CI includes no change.
4. **weak** - another source points the other way.
5. **moderate** - a co-intervention started within the period analysed
   (e.g. cameras or police operations starting inside an interrupted time
   series): the change cannot be credited to the activation alone.
6. **moderate** - the direction is not robust to the sensitivity analyses:
   some reasonable alternative specification (another family, covariate
   set, series end, transition, activation kind ...; placebos excluded)
   puts the estimate on the other side of no change
   (:func:`evaluation.stats.sensitivity.direction_robust` is false).
7. **moderate** - no other source points the same way (one source only).
8. **strong** - the CI excludes no change, every model check passed, no
   co-intervention started within the period, the direction holds under
   every sensitivity variant (or none was run), and another source agrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ...i18n import t
from ...results import Check, CoIntervention
from .words import and_list

__all__ = ["STRENGTHS", "Strength", "StrengthDecision", "evidence_strength", "strength_reason"]

#: The ratings of :func:`evidence_strength`, strongest first.
STRENGTHS = ("strong", "moderate", "weak", "not_assessed")

Strength = Literal["strong", "moderate", "weak", "not_assessed"]


@dataclass(frozen=True)
class StrengthDecision:
    """A rating and why: ``reasons`` are the rules that applied (first one decided).

    Reasons: ``no_estimate``, ``checks_failed``, ``ci_includes_null``,
    ``sources_disagree``, ``co_intervention``, ``not_robust``, ``single_source``.
    ``failed_checks`` and ``co_interventions`` name the checks that failed
    and the co-interventions that started within the period.

    Examples
    --------
    >>> StrengthDecision("moderate", ("single_source",)).reasons
    ('single_source',)
    """

    strength: Strength
    reasons: tuple[str, ...] = ()
    failed_checks: tuple[str, ...] = ()
    co_interventions: tuple[str, ...] = ()


def evidence_strength(
    direction: str | None,
    checks: Sequence[Check] = (),
    co_interventions: Sequence[CoIntervention] = (),
    corroborated: bool = False,
    contradicted: bool = False,
    robust: bool | None = None,
) -> StrengthDecision:
    """Strength of the evidence of one estimate, by the rule in this module's docstring.

    Parameters
    ----------
    direction : {"increase", "decrease", "no_clear_change"} or None
        :func:`evaluation.results.direction` of the estimate; ``None`` when
        there is no estimate.
    checks : list of Check
        The estimate's model checks.
    co_interventions : list of CoIntervention
        Those that started within the period the estimate compares
        (:func:`evaluation.results.starts_within`).
    corroborated, contradicted : bool
        Whether another source points the same way / the other way.
    robust : bool or None
        Whether the direction holds under the sensitivity analyses
        (:func:`evaluation.stats.sensitivity.direction_robust`); ``None``
        when none were run or there is no direction to keep.

    Examples
    --------
    >>> evidence_strength("increase", corroborated=True).strength
    'strong'
    >>> cam = CoIntervention("cameras", "policing", "2019-03-01", "2025-12-31")
    >>> d = evidence_strength("decrease", co_interventions=[cam], corroborated=True)
    >>> d.strength, d.reasons, d.co_interventions
    ('moderate', ('co_intervention',), ('cameras',))
    >>> evidence_strength("increase", [Check("autocorrelation", False)]).strength
    'weak'
    >>> evidence_strength("increase", corroborated=True, robust=False).reasons
    ('not_robust',)
    """
    failed = tuple(c.name for c in checks if not c.passed)
    names = tuple(dict.fromkeys(c.name for c in co_interventions))
    if direction is None:
        return StrengthDecision("not_assessed", ("no_estimate",))
    reasons: list[str] = []
    if failed:
        reasons.append("checks_failed")
    if direction == "no_clear_change":
        reasons.append("ci_includes_null")
    if contradicted and direction != "no_clear_change":
        reasons.append("sources_disagree")
    if reasons:
        return StrengthDecision("weak", tuple(reasons), failed, names)
    if names:
        reasons.append("co_intervention")
    if robust is False:
        reasons.append("not_robust")
    if not corroborated:
        reasons.append("single_source")
    if reasons:
        return StrengthDecision("moderate", tuple(reasons), failed, names)
    return StrengthDecision("strong")


def strength_reason(decision: StrengthDecision, language: str, period: str = "") -> str:
    """The sentence that says why a finding is rated below strong ('' when strong).

    The first reason of :func:`evidence_strength`'s rule that applied decides the sentence.

    Examples
    --------
    >>> d = evidence_strength("decrease", co_interventions=[CoIntervention("X", "policing", "2019-03-01", "2025-12-31")])
    >>> strength_reason(d, "en", "2016-01–2022-12")
    'X started within the period analysed (2016-01–2022-12), so the change cannot be credited to the activation alone (evidence moderate, not strong).'
    """
    r = decision.reasons
    if not r:
        return ""
    if "no_estimate" in r:
        return ""
    if "checks_failed" in r:
        return t(
            "findings.reason.checks_failed",
            language,
            checks=and_list(
                [t(f"findings.check.{c}", language) for c in decision.failed_checks], language
            ),
        )
    if "ci_includes_null" in r:
        return t("findings.reason.ci_includes_null", language)
    if "sources_disagree" in r:
        return t("findings.reason.sources_disagree", language)
    if "co_intervention" in r:
        return t(
            "findings.reason.co_intervention",
            language,
            names=and_list(list(decision.co_interventions), language),
            period=period,
        )
    if "not_robust" in r:
        return t("sensitivity.reason.not_robust", language)
    return t("findings.reason.single_source", language)
