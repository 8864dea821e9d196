"""Findings from results: the evidence-strength rule and every sentence that states a direction.

Every sentence of the report that says which way something went, how much,
or why, is built here from the results records (:mod:`evaluation.results`)
and the message catalogue (``messages/<language>/findings.yaml``), so that
it follows the data: the direction comes from :func:`evaluation.results.direction`
(the CI against the null), the strength of evidence from :func:`evidence_strength`,
and a sentence that names a cause appears only when the data show that cause.

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

from ..i18n import has, t
from ..results import (
    Check,
    CoIntervention,
    ConflictRate,
    CrimeResults,
    Estimate,
    ITSEntry,
    PerHectare,
    SiteResults,
    SurveyTrend,
    direction,
)

__all__ = [
    "STRENGTHS",
    "StrengthDecision",
    "evidence_strength",
    "strength_reason",
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

#: The ratings of :func:`evidence_strength`, strongest first.
STRENGTHS = ("strong", "moderate", "weak", "not_assessed")


@dataclass(frozen=True)
class StrengthDecision:
    """A rating and why: ``reasons`` are the rules that applied (first one decided).

    Reasons: ``no_estimate``, ``checks_failed``, ``ci_includes_null``,
    ``sources_disagree``, ``co_intervention``, ``not_robust``, ``single_source``.
    """

    strength: str
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


def and_list(items: Sequence[str], language: str) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the language.

    >>> and_list(["a", "b", "c"], "sv"), and_list(["a"], "en"), and_list([], "en")
    ('a, b och c', 'a', '')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return t("findings.and_list", language, first=", ".join(items[:-1]), last=items[-1])


def family_label(family: str | None, language: str) -> str:
    """A model family in words (``negbin``: negative binomial); unknown ones as given.

    >>> family_label("negbin", "sv"), family_label("tweedie", "en")
    ('negativ binomial', 'tweedie')
    """
    key = f"findings.family.{family}"
    return t(key, language) if family and has(key, language) else (family or "")


def covariate_label(name: str, language: str) -> str:
    """A model covariate in words (``zone``: zon), else its label from :func:`label`.

    >>> covariate_label("zone", "sv"), covariate_label("daypart", "en")
    ('zon', 'time of day')
    """
    key = f"findings.covariate.{name}"
    return t(key, language) if has(key, language) else label(name, language)


def label(code: str, language: str) -> str:
    """A code's label in the report's language (areas, crime categories, survey items)."""
    from ..labels import label as _label

    return _label(code, language)


def _period(first: str | None, last: str | None, language: str) -> str:
    return t("fmt.year_range", language, start=first or "?", end=last or "?")


def strength_reason(decision: StrengthDecision, language: str, period: str = "") -> str:
    """The sentence that says why a finding is rated below strong ('' when strong).

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


def target_group(target: dict | None, language: str) -> str:
    """The target group in words, from the parameters (``{"gender", "age_band"}``).

    >>> target_group({"gender": "female", "age_band": "13-18"}, "sv")
    'flickor 13–18 år'
    >>> target_group({"gender": "male", "age_band": "19-29"}, "en"), target_group(None, "en")
    ('boys aged 19–29', 'people of the target group')

    Without a target group (``None`` or no gender and age band) the words
    ``people of the target group``: never a group the run did not analyse.
    """
    target = target or {}
    gender, band = target.get("gender"), target.get("age_band")
    if not gender and not band:
        return t("context.unknown_group", language)
    key = f"context.who.{gender}"
    who = t(key, language) if gender and has(key, language) else t("context.who.other", language)
    if not band:
        return who
    return t("context.group", language, who=who, age=str(band).replace("-", "–"))


def group_values(target: dict | None, language: str) -> dict[str, str]:
    """The values messages about the target group take: ``group``, ``Group`` (capitalised), ``age``.

    >>> group_values({"gender": "female", "age_band": "19-29"}, "en")
    {'group': 'girls aged 19–29', 'Group': 'Girls aged 19–29', 'age': '19–29'}
    """
    group = target_group(target, language)
    age = str((target or {}).get("age_band") or "").replace("-", "–")
    return {"group": group, "Group": group[:1].upper() + group[1:], "age": age}


def site_co_interventions(site: SiteResults, language: str) -> str:
    """The calendar's co-interventions that overlap 01's observation period, in a sentence.

    >>> s = SiteResults(period={"first": "2022-05-18", "last": "2023-09-14"},
    ...     co_interventions=[CoIntervention("Kameror", "policing", "2019-03-01", "2025-12-31")])
    >>> site_co_interventions(s, "sv")[:80]
    'Kalendern anger samtidiga insatser under observationsperioden (2022-05-18–2023-0'
    >>> site_co_interventions(SiteResults(period={"first": "2022-05-18", "last": "2023-09-14"}), "en")
    'The calendar names no co-intervention during the observation period (2022-05-18–2023-09-14).'
    """
    first, last = site.period.get("first"), site.period.get("last")
    period = _period(first, last, language)
    events = [
        e for e in site.co_interventions if first and last and e.start <= last and e.end >= first
    ]
    if not events:
        return t("context.site_co_interventions_none", language, period=period)
    names = and_list(list(dict.fromkeys(e.name for e in events)), language)
    return t("context.site_co_interventions_some", language, period=period, names=names)


# ---------------------------------------------------------------- site (01)
def rate_ratio_sentence(est: Estimate | None, key: str, language: str, **values) -> str:
    """The sentence for one rate ratio of 01 in its direction.

    ``key`` names the message group ``findings.<key>`` with one message per
    direction (``increase``, ``decrease``, ``no_clear_change``) and
    ``missing``; the messages get ``x``, ``lo``, ``hi``, ``n``, ``family`` and
    ``values``.

    >>> rate_ratio_sentence(Estimate("rr", 0.55, 0.44, 0.7), "site.target_staying", "en", group="girls aged 13–18")
    'During activation fewer girls aged 13–18 stayed on the square per observed hour: about 0.55 times as many as without activation (95% CI 0.44–0.70).'
    """
    if est is None or not est.available:
        return t(f"findings.{key}.missing", language, **values)
    return t(
        f"findings.{key}.{direction(est)}",
        language,
        x=est.estimate,
        lo=est.ci_low,
        hi=est.ci_high,
        n=est.n,
        family=est.family or "",
        **values,
    )


def _rate_ci(rate: ConflictRate, language: str) -> str:
    key = "rate" if rate.ci_low is not None and rate.ci_high is not None else "rate_no_ci"
    return t(
        f"findings.site.method_conflict.{key}",
        language,
        rate=rate.rate,
        lo=rate.ci_low,
        hi=rate.ci_high,
    )


def method_conflict_sentence(site: SiteResults, language: str) -> str:
    """The method conflict as a rate per observed hour, activated against not, in its direction.

    Drug sales seen while the target group was staying, per observed hour,
    during activation (the compared states pooled) and without it, each with
    its 95% CI, and the rate ratio of the count model
    (``site.method_conflict_rate_ratio``) in its direction
    (:func:`rate_ratio_sentence`). Without the two rates the sentence says
    so; without the ratio it gives the rates only.

    >>> from evaluation.results import RateRatioEstimate
    >>> s = SiteResults(
    ...     method_conflict_activated=ConflictRate(180, 136.0, 102, 0.75, 0.60, 0.94),
    ...     method_conflict_rates={"none": ConflictRate(120, 92.0, 94, 1.02, 0.76, 1.38)},
    ...     method_conflict_rate_ratio=RateRatioEstimate("method_conflict_rate_ratio", 0.67, 0.48, 0.94),
    ...     target={"gender": "female", "age_band": "13-18"})
    >>> method_conflict_sentence(s, "en")
    'Drug sales seen while girls aged 13–18 were staying were less frequent per observed hour during activation: 0.75 (95% CI 0.60–0.94) per hour, against 1.02 (95% CI 0.76–1.38) without activation (rate ratio 0.67, 95% CI 0.48–0.94).'
    """
    group = target_group(site.target, language)
    act = site.method_conflict_activated
    none = site.method_conflict_rates.get(site.compared.get("reference", "none"))
    if act is None or none is None or act.rate is None or none.rate is None:
        return t("findings.site.method_conflict.no_rates", language, group=group)
    return rate_ratio_sentence(
        site.method_conflict_rate_ratio,
        "site.method_conflict",
        language,
        group=group,
        act=_rate_ci(act, language),
        none=_rate_ci(none, language),
    )


def site_reading(site: SiteResults, language: str) -> str:
    """The 01 "Reading" paragraph (markdown) for the target group staying (``site.target``).

    >>> from evaluation.results import RateRatioEstimate
    >>> s = SiteResults(target_staying_rate_ratio=RateRatioEstimate("r", 1.9, 1.5, 2.4, family="negbin", n=300), covariates=["zone"],
    ...                 target={"gender": "female", "age_band": "13-18"})
    >>> site_reading(s, "en")[:80]
    '**Reading.** During activation more girls aged 13–18 stayed on the square per ob'
    """
    est = site.target_staying_rate_ratio
    main = rate_ratio_sentence(
        est, "site.target_staying", language, group=target_group(site.target, language)
    )
    if est is not None and est.available:
        cov = and_list([covariate_label(c, language) for c in site.covariates], language) or t(
            "findings.nothing", language
        )
        main += " " + t(
            "findings.site.model_note",
            language,
            n=est.n_sessions if hasattr(est, "n_sessions") else est.n,
            family=family_label(est.family, language),
            covariates=cov,
        )
    return t("findings.reading", language, text=main)


# ---------------------------------------------------------------- crime (03)
def count_change(ph: PerHectare) -> Estimate | None:
    """The change in the count from the year before, with the CI of the per-hectare change rescaled.

    Count and per-hectare ratios differ by the (fixed) ratio of the areas, so
    the count ratio's CI is the per-hectare CI times ``hectares / hectares_before``.

    >>> e = count_change(PerHectare(2023, 90, 1.5, 60.0, 0.9, 2.16, 1.6, 2.9, 3.6, 100))
    >>> round(e.estimate, 2), round(e.ci_low, 3), round(e.ci_high, 3)
    (0.9, 0.667, 1.208)
    """
    if ph.change_total is None or ph.ci_low is None or not ph.hectares_before or not ph.hectares:
        return None
    k = ph.hectares / ph.hectares_before
    return Estimate("count_change", ph.change_total, ph.ci_low * k, ph.ci_high * k)


def _ph_estimate(ph: PerHectare) -> Estimate | None:
    if ph.change_per_hectare is None:
        return None
    return Estimate("per_hectare_change", ph.change_per_hectare, ph.ci_low, ph.ci_high)


def per_hectare_cause(ph: PerHectare) -> str | None:
    """``"area_shrank"`` or ``"area_grew"`` when that explains why count and rate moved apart, else ``None``.

    The cause is named only when the data show it: the count and the rate per
    hectare point different ways (by their CIs) **and** the area counted changed
    the way that makes them do so.

    >>> per_hectare_cause(PerHectare(2023, 90, 1.5, 60.0, 0.9, 2.16, 1.6, 2.9, 3.6, 100))
    'area_shrank'
    >>> per_hectare_cause(PerHectare(2023, 130, 3.6, 36.1, 1.3, 0.54, 0.42, 0.7, 1.5, 100))
    'area_grew'
    >>> per_hectare_cause(PerHectare(2023, 130, 3.6, 36.1, 1.3, 1.3, 1.05, 1.6, 3.6, 100)) is None
    True
    """
    c, h = count_change(ph), _ph_estimate(ph)
    if c is None or h is None or ph.hectares_before is None or ph.hectares is None:
        return None
    dc, dh = direction(c), direction(h)
    if dc == dh:
        return None
    if ph.hectares < ph.hectares_before and h.estimate > c.estimate:
        return "area_shrank"
    if ph.hectares > ph.hectares_before and h.estimate < c.estimate:
        return "area_grew"
    return None


def per_hectare_sentence(ph: PerHectare, category: str, language: str) -> str:
    """What happened to one category's count and rate per hectare in the last year, and why if shown.

    >>> print(per_hectare_sentence(PerHectare(2023, 130, 3.6, 36.1, 1.3, 0.54, 0.42, 0.7, 1.5, 100), "violence", "en"))
    In 2023 reported violent crime rose in number (a factor 1.30), while per hectare it fell (a factor 0.54, 95% CI 0.42–0.70); the area counted was 3.6 hectares, against 1.5 the year before. The two point different ways because the area counted grew: the crimes were spread over more hectares.
    """
    c, h = count_change(ph), _ph_estimate(ph)
    cat = label(category, language)
    if h is None:
        return t("findings.per_hectare.missing", language, category=cat, year=ph.year)
    dc = direction(c) if c is not None else "no_clear_change"
    dh = direction(h)
    text = t(
        "findings.per_hectare.apart" if dc != dh else "findings.per_hectare.together",
        language,
        year=ph.year,
        category=cat,
        count_verb=t(f"findings.verb.{dc}", language),
        ph_verb=t(f"findings.verb.{dh}", language),
        c=ph.change_total if ph.change_total is not None else float("nan"),
        h=h.estimate,
        lo=h.ci_low,
        hi=h.ci_high,
        ha=ph.hectares if ph.hectares is not None else float("nan"),
        ha_before=ph.hectares_before if ph.hectares_before is not None else float("nan"),
    )
    cause = per_hectare_cause(ph)
    if cause:
        text += " " + t(f"findings.per_hectare.{cause}", language)
    return text


def per_hectare_reading(crime: CrimeResults, language: str) -> str:
    """The 03 "Reading" paragraph on counts and rates per hectare (markdown), every category."""
    parts = [
        per_hectare_sentence(ph, cat, language)
        for cat in crime.categories
        if (ph := crime.per_hectare.get(cat)) is not None
    ]
    if not parts:
        return t("findings.reading", language, text=t("findings.per_hectare.none", language))
    if any(per_hectare_cause(crime.per_hectare[c]) for c in crime.per_hectare):
        parts.append(t("findings.per_hectare.which_question", language))
    return t("findings.reading", language, text=" ".join(parts))


def its_sentence(entry: ITSEntry, area: str, intervention: str, language: str) -> str:
    """The level change of one ITS in its direction (reported crime of one category).

    >>> e = ITSEntry(level_change=Estimate("x", 1.3, 1.1, 1.5), category="violence")
    >>> its_sentence(e, "site_a", "2019-06", "en")
    'Reported violent crime at site_a rose after 2019-06: about 1.30 times the earlier level (95% CI 1.10–1.50).'
    """
    cat, where = label(entry.category or "", language), label(area, language)
    est = entry.level_change
    if est is None or not est.available:
        return t("findings.its.missing", language, category=cat, area=where, why=entry.error or "")
    return t(
        f"findings.its.{direction(est)}",
        language,
        category=cat,
        area=where,
        intervention=intervention,
        x=est.estimate,
        lo=est.ci_low,
        hi=est.ci_high,
    )


def co_intervention_sentence(
    events: Sequence[CoIntervention], first: str | None, last: str | None, language: str
) -> str:
    """Which co-interventions started within the period analysed, and what that means.

    >>> co_intervention_sentence([], "2016-01", "2022-12", "en")
    'No co-intervention in the calendar started within the period analysed (2016-01–2022-12).'
    """
    period = _period(first, last, language)
    if not events:
        return t("findings.co_intervention.none", language, period=period)
    return t(
        "findings.co_intervention.some",
        language,
        names=and_list([e.name for e in events], language),
        period=period,
    )


def crime_reading(crime: CrimeResults, language: str) -> str:
    """The 03 "Reading" paragraph on the interrupted time series (markdown)."""
    from ..results import starts_within

    parts, spans = [], []
    for cat in crime.categories:
        entry = crime.its.get(cat)
        if entry is None:
            continue
        parts.append(its_sentence(entry, crime.area, crime.intervention, language))
        spans.append((entry.first_month, entry.last_month))
    if not parts:
        return t("findings.reading", language, text=t("findings.its.none", language))
    first = min((s[0] for s in spans if s[0]), default=None)
    last = max((s[1] for s in spans if s[1]), default=None)
    events = starts_within(crime.interventions, first, last)
    parts.append(co_intervention_sentence(events, first, last, language))
    if any(e.kind == "policing" for e in events):
        parts.append(t("findings.its.reported_depends_on_policing", language))
    return t("findings.reading", language, text=" ".join(parts))


def survey_sentence(trend: SurveyTrend, area: str, item: str, language: str) -> str:
    """The trend of the share answering yes to a survey item, in its direction.

    >>> s = SurveyTrend("s", 0.93, 0.9, 0.96, odds_ratio=0.93, years="2015-2023")
    >>> survey_sentence(s, "site_a", "safe_evening", "en")
    "At site_a the share answering 'safe in the evening' to a large extent fell over 2015-2023 (odds ratio per year 0.93, 95% CI 0.90–0.96)."
    """
    if not trend.available:
        return t("findings.survey.missing", language, area=label(area, language))
    return t(
        f"findings.survey.{direction(trend)}",
        language,
        area=label(area, language),
        item=label(item, language),
        years=trend.years or "",
        x=trend.estimate,
        lo=trend.ci_low,
        hi=trend.ci_high,
    )
