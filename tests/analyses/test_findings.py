"""The evidence rule and the prose functions: every direction, size and cause follows the data."""

from __future__ import annotations

import pytest

from evaluation.analyses.findings import (
    count_change,
    crime_reading,
    evidence_strength,
    its_sentence,
    per_hectare_cause,
    per_hectare_reading,
    per_hectare_sentence,
    rate_ratio_sentence,
    site_reading,
    strength_reason,
    survey_sentence,
)
from evaluation.results import (
    Check,
    CoIntervention,
    CrimeResults,
    Estimate,
    ITSEntry,
    PerHectare,
    RateRatioEstimate,
    SiteResults,
    SurveyTrend,
)

OK = [Check("overdispersion", True), Check("autocorrelation", True)]
FAILED = [Check("overdispersion", True), Check("autocorrelation", False)]
CAM = [CoIntervention("Kameror", "policing", "2019-03-01", "2025-12-31")]


# The table of cases of the evidence rule (evaluation/analyses/findings/rule.py docstring, rules 1-7):
# direction, checks, co-interventions, corroborated, contradicted -> strength, first reason
@pytest.mark.parametrize(
    "d, checks, co, corr, contra, strength, reason",
    [
        (None, OK, [], True, False, "not_assessed", "no_estimate"),
        (None, FAILED, CAM, False, True, "not_assessed", "no_estimate"),
        ("increase", FAILED, [], True, False, "weak", "checks_failed"),
        ("decrease", FAILED, CAM, True, False, "weak", "checks_failed"),
        ("no_clear_change", OK, [], True, False, "weak", "ci_includes_null"),
        ("no_clear_change", OK, CAM, False, False, "weak", "ci_includes_null"),
        ("increase", OK, [], False, True, "weak", "sources_disagree"),
        ("increase", OK, [], True, True, "weak", "sources_disagree"),
        ("decrease", OK, CAM, True, False, "moderate", "co_intervention"),  # the crime case
        ("decrease", OK, CAM, False, False, "moderate", "co_intervention"),
        ("increase", OK, [], False, False, "moderate", "single_source"),
        ("increase", [], [], False, False, "moderate", "single_source"),
        ("increase", OK, [], True, False, "strong", None),
        ("decrease", [], [], True, False, "strong", None),
    ],
)
def test_evidence_rule_table(d, checks, co, corr, contra, strength, reason):
    dec = evidence_strength(d, checks, co, corroborated=corr, contradicted=contra)
    assert dec.strength == strength
    assert (dec.reasons[0] if dec.reasons else None) == reason


# Rule 6 (issue 15): a direction that does not hold under the sensitivity analyses.
# direction, checks, co-interventions, corroborated, robust -> strength, reasons
@pytest.mark.parametrize(
    "d, checks, co, corr, robust, strength, reasons",
    [
        ("increase", OK, [], True, False, "moderate", ("not_robust",)),
        ("increase", OK, [], False, False, "moderate", ("not_robust", "single_source")),
        ("decrease", OK, CAM, True, False, "moderate", ("co_intervention", "not_robust")),
        ("increase", FAILED, [], True, False, "weak", ("checks_failed",)),
        ("no_clear_change", OK, [], True, None, "weak", ("ci_includes_null",)),
        ("increase", OK, [], True, True, "strong", ()),
        ("increase", OK, [], True, None, "strong", ()),  # no sensitivity analysis run
    ],
)
def test_evidence_rule_robustness(d, checks, co, corr, robust, strength, reasons):
    dec = evidence_strength(d, checks, co, corroborated=corr, robust=robust)
    assert (dec.strength, dec.reasons) == (strength, reasons)


def test_not_robust_is_said_in_both_languages():
    dec = evidence_strength("increase", OK, [], True, robust=False)
    assert "sensitivity" in strength_reason(dec, "en")
    assert "känslighetsanalyser" in strength_reason(dec, "sv")


def test_a_co_intervention_caps_below_strong_and_the_text_says_why():
    dec = evidence_strength("decrease", OK, CAM, corroborated=True)
    assert dec.strength == "moderate" and dec.co_interventions == ("Kameror",)
    en = strength_reason(dec, "en", "2016-01–2022-12")
    sv = strength_reason(dec, "sv", "2016-01–2022-12")
    assert "Kameror" in en and "cannot be credited" in en and "not strong" in en
    assert "Kameror" in sv and "kan inte tillskrivas" in sv
    assert strength_reason(evidence_strength("increase", OK, [], True), "en") == ""
    failed = strength_reason(evidence_strength("increase", FAILED), "en")
    assert "autocorrelation" in failed and "weak" in failed


@pytest.mark.parametrize(
    "est, lo, hi, en, sv",
    [
        (1.9, 1.5, 2.4, "more girls", "fler flickor"),
        (0.55, 0.44, 0.7, "fewer girls", "färre flickor"),
        (1.1, 0.9, 1.3, "no clear change", "ingen tydlig förändring"),
        (None, None, None, "could not be estimated", "kunde inte skattas"),
    ],
)
def test_site_sentence_follows_the_direction(est, lo, hi, en, sv):
    e = Estimate("r", est, lo, hi)
    assert en in rate_ratio_sentence(e, "site.target_staying", "en", group="girls aged 13–18")
    assert sv in rate_ratio_sentence(e, "site.target_staying", "sv", group="flickor 13–18 år")


def test_site_reading_numbers_in_the_language():
    s = SiteResults(
        target_staying_rate_ratio=RateRatioEstimate(
            "t", 0.55, 0.44, 0.7, family="negbin", n=300, n_sessions=300
        ),
        covariates=["zone"],
    )
    sv, en = site_reading(s, "sv"), site_reading(s, "en")
    assert sv.startswith("**Läsning.**") and "0,55" in sv and "färre" in sv and "300" in sv
    assert en.startswith("**Reading.**") and "0.55" in en and "fewer" in en


# PerHectare(year, count, hectares, per_hectare, change_total, change_per_hectare,
#            ci_low, ci_high, hectares_before, count_before)
SHRANK = PerHectare(2023, 103, 1.5, 68.7, 0.91, 2.19, 1.68, 2.85, 3.6, 113)  # the example
GREW = PerHectare(2023, 139, 3.6, 38.6, 1.39, 0.58, 0.47, 0.70, 1.5, 100)  # reversed
SAME_AREA_UP = PerHectare(2023, 130, 3.6, 36.1, 1.3, 1.3, 1.05, 1.6, 3.6, 100)
SHRANK_BOTH_UP = PerHectare(2023, 200, 1.5, 133.3, 2.0, 4.8, 3.9, 5.9, 3.6, 100)
GREW_BOTH_DOWN = PerHectare(2023, 40, 3.6, 11.1, 0.4, 0.17, 0.12, 0.24, 1.5, 100)


@pytest.mark.parametrize(
    "ph, cause",
    [
        (SHRANK, "area_shrank"),
        (GREW, "area_grew"),
        (SAME_AREA_UP, None),
        (SHRANK_BOTH_UP, None),  # the area shrank, but count and rate moved together
        (GREW_BOTH_DOWN, None),
        (PerHectare(2023, 10, 1.0, 10.0), None),  # no previous year
    ],
)
def test_per_hectare_cause_only_when_the_data_show_it(ph, cause):
    assert per_hectare_cause(ph) == cause


def test_count_change_ci_is_the_per_hectare_ci_rescaled():
    c = count_change(SHRANK)
    assert c.estimate == 0.91
    # 1.68 * 1.5 / 3.6 and 2.85 * 1.5 / 3.6 (hand-computed), tolerance 1e-9
    assert c.ci_low == pytest.approx(0.7, abs=1e-9)
    assert c.ci_high == pytest.approx(1.1875, abs=1e-9)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_per_hectare_sentence_never_claims_the_area_shrank_when_it_grew(language):
    shrank = {"sv": "krympte", "en": "shrank"}[language]
    grew = {"sv": "växte", "en": "grew"}[language]
    assert shrank in per_hectare_sentence(SHRANK, "violence", language)
    for ph in (GREW, SAME_AREA_UP, SHRANK_BOTH_UP, GREW_BOTH_DOWN):
        assert shrank not in per_hectare_sentence(ph, "violence", language)
    assert grew in per_hectare_sentence(GREW, "violence", language)
    assert grew not in per_hectare_sentence(GREW_BOTH_DOWN, "violence", language)


def test_per_hectare_sentence_states_each_direction():
    en = per_hectare_sentence(GREW, "violence", "en")
    assert "rose in number" in en and "per hectare it fell" in en
    sv = per_hectare_sentence(SHRANK, "violence", "sv")
    assert "förändrades inte tydligt antalet" in sv and "per hektar ökade" in sv and "2,19" in sv
    assert "2 023" not in sv and "2\xa0023" not in sv  # years never separated


def _crime(level, co=(), categories=("robbery",)):
    return CrimeResults(
        area="plattan",
        intervention="2020-01",
        categories=list(categories),
        its={
            c: ITSEntry(
                level_change=Estimate(f"its.{c}.level_change", *level),
                category=c,
                first_month="2017-01",
                last_month="2022-12",
            )
            for c in categories
        },
        interventions=list(co),
    )


def test_crime_reading_takes_categories_and_co_interventions_from_the_results():
    r = crime_reading(_crime((1.4, 1.2, 1.6), CAM), "en")
    assert "Reported robbery at plattan rose after 2020-01" in r
    assert "Kameror started within the period analysed (2017-01–2022-12)" in r
    assert "police activity" in r
    quiet = crime_reading(_crime((0.7, 0.6, 0.8)), "en")
    assert "fell after 2020-01" in quiet
    assert "No co-intervention in the calendar started" in quiet
    assert "police activity" not in quiet
    later = [CoIntervention("Later", "policing", "2024-01-01", "2024-12-31")]
    assert "Later" not in crime_reading(_crime((0.7, 0.6, 0.8), later), "sv")


@pytest.mark.parametrize(
    "level, en, sv",
    [
        ((1.3, 1.1, 1.5), "rose", "ökade"),
        ((0.7, 0.55, 0.9), "fell", "minskade"),
        ((1.1, 0.9, 1.3), "no clear change", "ingen tydlig förändring"),
    ],
)
def test_its_sentence_follows_the_ci(level, en, sv):
    e = ITSEntry(level_change=Estimate("x", *level), category="violence")
    assert en in its_sentence(e, "sergels_torg", "2019-06", "en")
    assert sv in its_sentence(e, "sergels_torg", "2019-06", "sv")
    missing = ITSEntry(error="too few months", category="violence")
    assert "too few months" in its_sentence(missing, "sergels_torg", "2019-06", "en")


def test_per_hectare_reading_asks_which_question_only_when_they_moved_apart():
    c = CrimeResults(categories=["violence"], per_hectare={"violence": SAME_AREA_UP})
    assert "which question" not in per_hectare_reading(c, "en")
    assert "depends on the question" not in per_hectare_reading(c, "en")
    c.per_hectare["violence"] = GREW
    assert "depends on the question asked" in per_hectare_reading(c, "en")


@pytest.mark.parametrize(
    "ci, en", [((0.9, 0.96), "fell"), ((1.02, 1.1), "rose"), ((0.95, 1.05), "no clear trend")]
)
def test_survey_sentence_direction(ci, en):
    s = SurveyTrend("s", sum(ci) / 2, *ci, years="2015-2023")
    assert en in survey_sentence(s, "sergels_torg", "safe_evening", "en")
