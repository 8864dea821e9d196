"""Sentences on 01's results (site observations): rate ratios, the method conflict, the "Reading" paragraph."""

from __future__ import annotations

from typing import Any

from ...i18n import t
from ...results import ConflictRate, Estimate, SiteResults, direction
from .words import and_list, covariate_label, family_label, period_text, target_group

__all__ = [
    "rate_ratio_sentence",
    "method_conflict_sentence",
    "site_reading",
    "site_co_interventions",
]


def site_co_interventions(site: SiteResults, language: str) -> str:
    """The calendar's co-interventions that overlap 01's observation period, in a sentence.

    Examples
    --------
    >>> from evaluation.results import CoIntervention
    >>> s = SiteResults(period={"first": "2022-05-18", "last": "2023-09-14"},
    ...     co_interventions=[CoIntervention("Kameror", "policing", "2019-03-01", "2025-12-31")])
    >>> site_co_interventions(s, "sv")[:80]
    'Kalendern anger samtidiga insatser under observationsperioden (2022-05-18–2023-0'
    >>> site_co_interventions(SiteResults(period={"first": "2022-05-18", "last": "2023-09-14"}), "en")
    'The calendar names no co-intervention during the observation period (2022-05-18–2023-09-14).'
    """
    first, last = site.period.get("first"), site.period.get("last")
    period = period_text(first, last, language)
    events = [
        e for e in site.co_interventions if first and last and e.start <= last and e.end >= first
    ]
    if not events:
        return t("context.site_co_interventions_none", language, period=period)
    names = and_list(list(dict.fromkeys(e.name for e in events)), language)
    return t("context.site_co_interventions_some", language, period=period, names=names)


def rate_ratio_sentence(est: Estimate | None, key: str, language: str, **values: Any) -> str:
    """The sentence for one rate ratio of 01 in its direction.

    ``key`` names the message group ``findings.<key>`` with one message per
    direction (``increase``, ``decrease``, ``no_clear_change``) and
    ``missing``; the messages get ``x``, ``lo``, ``hi``, ``n``, ``family`` and
    ``values``.

    Examples
    --------
    >>> rate_ratio_sentence(Estimate("rr", 0.55, 0.44, 0.7), "site.target_staying", "en", group="girls aged 13–18")
    'During activation fewer girls aged 13–18 stayed at the site per observed hour: about 0.55 times as many as without activation (95% CI 0.44–0.70).'
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

    Examples
    --------
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

    Examples
    --------
    >>> from evaluation.results import RateRatioEstimate
    >>> s = SiteResults(target_staying_rate_ratio=RateRatioEstimate("r", 1.9, 1.5, 2.4, family="negbin", n=300), covariates=["zone"],
    ...                 target={"gender": "female", "age_band": "13-18"})
    >>> site_reading(s, "en")[:80]
    '**Reading.** During activation more girls aged 13–18 stayed at the site per obse'
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
