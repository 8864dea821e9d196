"""Sentences on 03's results (crime and safety): counts and rates per hectare, the time series, the survey.

A sentence that names a cause (the area counted shrank or grew) appears only
when the data show that cause (:func:`per_hectare_cause`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ...i18n import t
from ...results import (
    CoIntervention,
    CrimeResults,
    Estimate,
    ITSEntry,
    PerHectare,
    SurveyTrend,
    direction,
    starts_within,
)
from .words import and_list, label, period_text

__all__ = [
    "count_change",
    "per_hectare_cause",
    "per_hectare_sentence",
    "per_hectare_reading",
    "its_sentence",
    "co_intervention_sentence",
    "crime_reading",
    "survey_sentence",
]


def count_change(ph: PerHectare) -> Estimate | None:
    """The change in the count from the year before, with the CI of the per-hectare change rescaled.

    Count and per-hectare ratios differ by the (fixed) ratio of the areas, so
    the count ratio's CI is the per-hectare CI times ``hectares / hectares_before``.

    Examples
    --------
    >>> e = count_change(PerHectare(2023, 90, 1.5, 60.0, 0.9, 2.16, 1.6, 2.9, 3.6, 100))
    >>> round(e.estimate, 2), round(e.ci_low, 3), round(e.ci_high, 3)
    (0.9, 0.667, 1.208)
    """
    if ph.change_total is None or ph.ci_low is None or ph.ci_high is None:
        return None
    if not ph.hectares_before or not ph.hectares:
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

    Examples
    --------
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
    if direction(c) == direction(h):
        return None
    count, per_ha = ph.change_total, ph.change_per_hectare  # c's and h's estimates
    if count is None or per_ha is None:
        return None
    if ph.hectares < ph.hectares_before and per_ha > count:
        return "area_shrank"
    if ph.hectares > ph.hectares_before and per_ha < count:
        return "area_grew"
    return None


def per_hectare_sentence(ph: PerHectare, category: str, language: str) -> str:
    """What happened to one category's count and rate per hectare in the last year, and why if shown.

    Examples
    --------
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
    """The 03 "Reading" paragraph on counts and rates per hectare (markdown), every category.

    When a cause explains why count and rate moved apart, a sentence adds
    that which is the better measure depends on the question asked.

    Examples
    --------
    >>> per_hectare_reading(CrimeResults(), "en")
    '**Reading.** There are no yearly crime counts to compare.'
    """
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

    Examples
    --------
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

    Examples
    --------
    >>> co_intervention_sentence([], "2016-01", "2022-12", "en")
    'No co-intervention in the calendar started within the period analysed (2016-01–2022-12).'
    """
    period = period_text(first, last, language)
    if not events:
        return t("findings.co_intervention.none", language, period=period)
    return t(
        "findings.co_intervention.some",
        language,
        names=and_list([e.name for e in events], language),
        period=period,
    )


def crime_reading(crime: CrimeResults, language: str) -> str:
    """The 03 "Reading" paragraph on the interrupted time series (markdown).

    The level change of every category, then the co-interventions that
    started within the period the series span (and, for policing, that
    reported crime depends on it).

    Examples
    --------
    >>> e = ITSEntry(level_change=Estimate("x", 1.3, 1.1, 1.5), category="violence",
    ...              first_month="2016-01", last_month="2022-12")
    >>> c = CrimeResults(area="site_a", intervention="2019-06", categories=["violence"], its={"violence": e})
    >>> print(crime_reading(c, "en"))
    **Reading.** Reported violent crime at site_a rose after 2019-06: about 1.30 times the earlier level (95% CI 1.10–1.50). No co-intervention in the calendar started within the period analysed (2016-01–2022-12).
    """
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

    Examples
    --------
    The item is named by the study's label (``vocabularies.survey_items``):

    >>> from evaluation.i18n import use_study
    >>> class Study:
    ...     def labels(self, language):
    ...         return {"feels_safe": "safe in the evening"}
    >>> use_study(Study())
    >>> s = SurveyTrend("s", 0.93, 0.9, 0.96, odds_ratio=0.93, years="2015-2023")
    >>> survey_sentence(s, "site_a", "feels_safe", "en")
    "At site_a the share answering 'safe in the evening' to a large extent fell over 2015-2023 (odds ratio per year 0.93, 95% CI 0.90–0.96)."
    >>> use_study(None)
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
