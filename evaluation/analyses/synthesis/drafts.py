"""Draft findings from the typed records: one :class:`~evaluation.results.Finding` per key result.

Each key estimate of 01 (site), 02 (focus groups) and 03 (crime and safety)
becomes a finding with its direction (:func:`evaluation.results.direction`)
and its sentence (:mod:`evaluation.analyses.findings`), held in a
:class:`Draft` with what the evidence rule will need to rate it (its model
checks, the co-interventions starting within its period, what its direction
means for safety). A missing source gives findings that say so. Rating is
:mod:`evaluation.analyses.synthesis.grading`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ...i18n import t
from ...results import (
    Check,
    CoIntervention,
    CrimeResults,
    Estimate,
    Finding,
    FocusResults,
    SiteResults,
    direction,
    starts_within,
)
from ..findings import (
    and_list,
    its_sentence,
    label,
    method_conflict_sentence,
    per_hectare_sentence,
    rate_ratio_sentence,
    survey_sentence,
    target_group,
)
from .inputs import SourceRecords

__all__ = ["Draft", "draft_findings"]


@dataclass
class Draft:
    """A finding while it is being rated: what the strength rule needs besides the finding.

    Attributes
    ----------
    finding : Finding
        The finding (its strength is set when rated).
    rated : bool
        An estimate that the evidence rule rates.
    safer : int
        +1 / -1: what the direction means for safety (crime question); 0 otherwise.
    checks : list of Check
        The estimate's model checks.
    co : list of CoIntervention
        Co-interventions starting within the period the estimate compares.
    period : str
        That period, in words.
    summary : bool
        Whether the finding's sentence goes into the summary.
    robust : bool or None
        The direction holds under the sensitivity analyses (``None``: none run).
    conflict_rate : float or None
        Drug sales per hour seen during activation with the target group there.

    Examples
    --------
    >>> f = Finding("q", "crime", "its.x.level_change", 0.7, 0.5, 0.9, "decrease", "not_assessed", "...")
    >>> Draft(f, rated=True, safer=1).summary
    True
    """

    finding: Finding
    rated: bool = False
    safer: int = 0
    checks: list[Check] = field(default_factory=list)
    co: list[CoIntervention] = field(default_factory=list)
    period: str = ""
    summary: bool = True
    robust: bool | None = None
    conflict_rate: float | None = None


def draft_findings(rec: SourceRecords, language: str) -> list[Draft]:
    """Every draft finding of 01, 02 and 03, in that order (a missing source says so).

    Parameters
    ----------
    rec : SourceRecords
        The typed records (:func:`~evaluation.analyses.synthesis.inputs.source_records`).
    language : str
        The language of the sentences.

    Examples
    --------
    >>> drafts = draft_findings(SourceRecords(), "en")
    >>> [(d.finding.source, d.finding.strength) for d in drafts][:2]
    [('observations', 'not_assessed'), ('observations', 'not_assessed')]
    """
    return (
        _site_findings(rec.site, language)
        + _focus_findings(rec.focus, language)
        + _crime_findings(rec.crime, language)
    )


def _missing(q: str, src: str, measure: str, language: str) -> Finding:
    return Finding(
        q,
        src,
        measure,
        None,
        None,
        None,
        "no_clear_change",
        "not_assessed",
        t("findings.source_missing", language, source=t(f"findings.source.{src}", language)),
    )


def _missing_draft(q: str, src: str, measure: str, language: str) -> Draft:
    return Draft(_missing(q, src, measure, language), summary=False)


def _estimate_finding(
    q: str,
    src: str,
    est: Estimate | None,
    text: str,
    co: Sequence[CoIntervention] = (),
    period: str = "",
    safer_sign: int = 0,
) -> Draft:
    d = direction(est) if est is not None and est.available else None
    f = Finding(
        q,
        src,
        est.measure if est is not None else "",
        est.estimate if est is not None else None,
        est.ci_low if est is not None else None,
        est.ci_high if est is not None else None,
        d or "no_clear_change",
        "not_assessed",
        text,
    )
    sign = 0
    if d in ("increase", "decrease") and safer_sign:
        sign = safer_sign * (1 if d == "increase" else -1)
    checks = list(est.checks) if est is not None else []
    return Draft(f, d is not None, sign, checks, list(co), period)


# ----------------------------------------------------------------- 01 (site)
def _site_findings(site: SiteResults | None, language: str) -> list[Draft]:
    if site is None:
        return [
            _missing_draft(q, "observations", m, language)
            for q, m in (
                ("girls", "target_staying_rate_ratio"),
                ("method_conflict", "drug_sale_rate_ratio"),
                ("method_conflict", "method_conflict_rate_ratio"),
            )
        ]
    out = []
    co = starts_within(site.co_interventions, site.period.get("first"), site.period.get("last"))
    group = target_group(site.target, language)
    period = t(
        "fmt.year_range",
        language,
        start=site.period.get("first", "?"),
        end=site.period.get("last", "?"),
    )
    for q, key, msg in (
        ("girls", "target_staying_rate_ratio", "site.target_staying"),
        ("method_conflict", "drug_sale_rate_ratio", "site.drug_sale"),
        ("professionals", "outreach_contact_rate_ratio", "site.outreach_contact"),
    ):
        est = getattr(site, key)
        text = rate_ratio_sentence(est, msg, language, group=group)
        dr = _estimate_finding(q, "observations", est, text, co, period)
        dr.finding.measure = key
        dr.summary = q != "professionals"
        out.append(dr)
    out.append(_method_conflict_rate(site, co, period, language))
    return out


def _method_conflict_rate(
    site: SiteResults, co: list[CoIntervention], period: str, language: str
) -> Draft:
    """The method conflict: drug sales seen while the target group was staying, per observed hour."""
    act = site.method_conflict_activated
    dr = _estimate_finding(
        "method_conflict",
        "observations",
        site.method_conflict_rate_ratio,
        method_conflict_sentence(site, language),
        co,
        period,
    )
    dr.finding.measure = "method_conflict_rate_ratio"
    if act is not None and act.co_presence_sales > 0 and act.rate is not None:
        dr.conflict_rate = act.rate
    # in the summary through the method-conflict sentence (see summary_sentences), which
    # keeps the summary within MAX_SUMMARY with every source in it
    dr.summary = False
    return dr


# --------------------------------------------------------- 02 (focus groups)
def _focus_findings(focus: FocusResults | None, language: str) -> list[Draft]:
    if focus is None:
        return [
            _missing_draft("method_conflict", "focus_groups", "method_conflict", language),
            _missing_draft("professionals", "focus_groups", "themes", language),
        ]
    out = [_focus_method_conflict(focus, language)]
    if focus.themes:
        items = [
            t("findings.focus.theme_item", language, label=th.labels.get(language) or th.label, share=th.share_of_turns)
            for th in focus.themes
        ]  # fmt: skip
        f = Finding(
            "professionals", "focus_groups", "themes", None, None, None, "context", "not_assessed",
            t("findings.focus.themes", language, themes="; ".join(items)),
        )  # fmt: skip
        out.append(Draft(f, summary=False))
    reliability = _focus_reliability(focus, language)
    if reliability is not None:
        out.append(reliability)
    return out


def _focus_method_conflict(focus: FocusResults, language: str) -> Draft:
    """The method-conflict code as the professionals raised it: by every role, by some, or not at all."""
    mc = focus.method_conflict
    if mc is None:
        return _missing_draft("method_conflict", "focus_groups", "method_conflict", language)
    name = mc.labels.get(language) or mc.label or mc.code or ""
    raised = [r for r, s in mc.share_by_role.items() if s > 0]
    roles = and_list([label(r, language) for r in raised], language)
    kind: Literal["context", "concern"]
    if mc.turns == 0:
        text, kind = t("findings.focus.method_conflict_none", language, label=name), "context"
    else:
        which = "all" if focus.roles and set(raised) >= set(focus.roles) else "some"
        text = t(
            f"findings.focus.method_conflict_{which}",
            language,
            label=name,
            turns=mc.turns,
            roles=roles,
        )
        kind = "concern"
    f = Finding(
        "method_conflict", "focus_groups", "method_conflict.turns", float(mc.turns), None, None,
        kind, "not_assessed", text,
    )  # fmt: skip
    return Draft(f, summary=mc.turns > 0)


def _focus_reliability(focus: FocusResults, language: str) -> Draft | None:
    """The coding's reliability (Krippendorff's alpha), naming the codes flagged unreliable."""
    rel = focus.reliability_overall
    if not rel or rel.get("krippendorff_alpha") is None:
        return None
    alpha = rel["krippendorff_alpha"]
    text = t(
        "findings.focus." + ("reliable" if alpha >= 0.8 else "unreliable"),
        language,
        alpha=alpha,
    )
    weak = [
        f"«{v.get('label', c)}»"
        for c, v in focus.reliability_by_code.items()
        if v.get("flag") == "unreliable"
    ]
    if weak:
        text += " " + t("findings.focus.weak_codes", language, codes=and_list(weak, language))
    f = Finding(
        "professionals", "focus_groups", "reliability_overall", alpha, None, None,
        "context", "not_assessed", text,
    )  # fmt: skip
    return Draft(f, summary=False)


# --------------------------------------------------------------- 03 (crime)
def _crime_findings(crime: CrimeResults | None, language: str) -> list[Draft]:
    if crime is None:
        return [
            _missing_draft("crime_safety", "crime", "its", language),
            _missing_draft("crime_safety", "survey", "survey_trend", language),
        ]
    out = []
    if not any(crime.its.get(cat) for cat in crime.categories):
        out.append(_missing_draft("crime_safety", "crime", "its", language))
    out += _its_findings(crime, language)
    out += _per_hectare_findings(crime, language)
    out.append(_survey_finding(crime, language))
    return out


def _its_findings(crime: CrimeResults, language: str) -> list[Draft]:
    """The level change of each category's interrupted time series (crime down is safer)."""
    out = []
    for cat in crime.categories:
        entry = crime.its.get(cat)
        if entry is None:
            continue
        est = entry.level_change
        co = starts_within(crime.interventions, entry.first_month, entry.last_month)
        text = its_sentence(entry, crime.area, crime.intervention, language)
        period = t(
            "fmt.year_range", language, start=entry.first_month or "?", end=entry.last_month or "?"
        )
        dr = _estimate_finding("crime_safety", "crime", est, text, co, period, safer_sign=-1)
        if est is None:
            dr.finding.measure = f"its.{cat}.level_change"
        out.append(dr)
    return out


def _per_hectare_findings(crime: CrimeResults, language: str) -> list[Draft]:
    """The last year's change per hectare of each category (context, not rated)."""
    out = []
    for cat in crime.categories:
        ph = crime.per_hectare.get(cat)
        if ph is None or ph.change_per_hectare is None:
            continue
        f = Finding(
            "crime_safety", "crime", f"per_hectare.{cat}.change_per_hectare", ph.change_per_hectare,
            ph.ci_low, ph.ci_high, "context", "not_assessed",
            per_hectare_sentence(ph, cat, language),
        )  # fmt: skip
        out.append(Draft(f, summary=cat == crime.categories[0]))
    return out


def _survey_finding(crime: CrimeResults, language: str) -> Draft:
    """The survey's trend in the area (feeling safe up is safer)."""
    trend = crime.survey_trend.get(crime.area)
    if trend is None:
        return _missing_draft("crime_safety", "survey", "survey_trend", language)
    years = (trend.years or "").replace("–", "-").split("-")
    co = starts_within(crime.interventions, years[0] or None, years[-1] or None) if years else []
    text = survey_sentence(trend, crime.area, crime.survey_item or "", language)
    return _estimate_finding("crime_safety", "survey", trend, text, co, trend.years or "", +1)
