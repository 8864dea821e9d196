"""The synthesis reads only the results contract; its findings, summary and goals follow the data."""

from __future__ import annotations

import pytest

from evaluation.analyses.synthesis import (
    build_findings,
    evidence_table,
    findings_check,
    goals,
    robust_direction,
    summary_sentences,
    synthesise,
)
from evaluation.results import (
    SCHEMA,
    Check,
    CoIntervention,
    ConflictRate,
    CoPresence,
    CrimeResults,
    Estimate,
    FocusResults,
    ITSEntry,
    MethodConflict,
    PerHectare,
    RateRatioEstimate,
    Sensitivity,
    SiteResults,
    SurveyTrend,
    Theme,
    as_json,
    envelope,
)
from evaluation.sources.study import load_study

from ..conftest import EXAMPLE

#: The example's study.yaml: its questions and goals.
STUDY = load_study(EXAMPLE)

CAM = CoIntervention("Kameror", "policing", "2019-03-01", "2025-12-31")
OK = [Check("overdispersion", True)]


def site(
    rr=(1.9, 1.5, 2.4),
    sales=(0.6, 0.45, 0.8),
    co=(),
    conflict=(0.67, 0.48, 0.94),
    act_sales=102,
    rates=True,
):
    """01's results; ``conflict`` the method-conflict rate ratio (``None``: not fitted)."""
    act = ConflictRate(180, 136.0, act_sales, act_sales / 136.0, 0.6, 0.94, "cluster-robust t(99)")
    return SiteResults(
        target_staying_rate_ratio=RateRatioEstimate("target_staying_rate_ratio", *rr, checks=OK),
        drug_sale_rate_ratio=RateRatioEstimate("drug_sale_rate_ratio", *sales, checks=OK),
        outreach_contact_rate_ratio=RateRatioEstimate("o", 1.0, 0.8, 1.2),
        co_presence={"none": CoPresence(100, 10.0), "art": CoPresence(100, 20.0)},
        period={"first": "2022-05-16", "last": "2023-09-15"},
        co_interventions=list(co),
        covariates=["zone"],
        target={"gender": "female", "age_band": "13-18"},
        method_conflict_rates={"none": ConflictRate(120, 92.0, 94, 1.02, 0.76, 1.38)}
        if rates
        else {},
        method_conflict_activated=act if rates else None,
        method_conflict_rate_ratio=RateRatioEstimate(
            "method_conflict_rate_ratio", *conflict, checks=OK
        )
        if conflict
        else RateRatioEstimate("method_conflict_rate_ratio", None, error="separation"),
    )


def crime(level=(0.7, 0.55, 0.9), survey=(1.08, 1.03, 1.13), co=(CAM,), cats=("robbery",)):
    return CrimeResults(
        area="plattan",
        intervention="2019-06",
        categories=list(cats),
        its={
            c: ITSEntry(
                level_change=Estimate(f"its.{c}.level_change", *level, checks=OK),
                category=c,
                first_month="2016-01",
                last_month="2022-12",
            )
            for c in cats
        },
        per_hectare={
            c: PerHectare(2023, 139, 3.6, 38.6, 1.39, 0.58, 0.47, 0.70, 1.5, 100) for c in cats
        },
        survey_trend={
            "plattan": SurveyTrend("survey_trend.safe.plattan", *survey, years="2015-2023")
        },
        survey_item="safe_evening",
        interventions=list(co),
    )


def focus(turns=12):
    return FocusResults(
        themes=[Theme("a", "A", 40.0, {"sv": "A-sv", "en": "A-en"})],
        method_conflict=MethodConflict(
            turns, {"r1": 5.0, "r2": 0.0}, "kod", "Konflikt", {"sv": "Konflikt", "en": "Conflict"}
        ),
        roles=["r1", "r2"],
        reliability_overall={"krippendorff_alpha": 0.85},
    )


def payloads(s=None, f=None, c=None):
    out = {"00_data_quality": envelope("00_data_quality", {"sources": []})}
    for nb, rec in (
        ("01_site_observations", s),
        ("02_focus_groups", f),
        ("03_crime_and_safety", c),
    ):
        out[nb] = None if rec is None else envelope(nb, as_json(rec))
    return out


def by_measure(findings):
    return {f.measure: f for f in findings}


def test_directions_and_strength_follow_the_results():
    fs = by_measure(build_findings(payloads(site(), focus(), crime()), "en"))
    assert fs["target_staying_rate_ratio"].direction == "increase"
    assert fs["target_staying_rate_ratio"].strength == "moderate"  # one source only
    assert fs["drug_sale_rate_ratio"].direction == "decrease"
    crime_f = fs["its.robbery.level_change"]
    # crime down and feeling safe up agree, but the cameras started inside the series
    assert crime_f.direction == "decrease" and crime_f.strength == "moderate"
    assert "Kameror started within the period analysed" in crime_f.text
    assert fs["survey_trend.safe.plattan"].direction == "increase"


def test_without_a_co_intervention_agreeing_sources_are_strong():
    fs = by_measure(build_findings(payloads(site(), focus(), crime(co=())), "en"))
    assert fs["its.robbery.level_change"].strength == "strong"
    assert fs["survey_trend.safe.plattan"].strength == "strong"


def test_reversed_results_give_reversed_findings_and_summary():
    p = payloads(
        site(rr=(0.55, 0.44, 0.7), sales=(1.7, 1.3, 2.2)),
        focus(),
        crime(level=(1.3, 1.1, 1.5), survey=(0.93, 0.9, 0.96)),
    )
    fs = by_measure(build_findings(p, "en"))
    assert fs["target_staying_rate_ratio"].direction == "decrease"
    assert fs["drug_sale_rate_ratio"].direction == "increase"
    assert fs["its.robbery.level_change"].direction == "increase"
    assert fs["survey_trend.safe.plattan"].direction == "decrease"
    for language, shrank in (("en", "shrank"), ("sv", "krympte")):
        text = " ".join(summary_sentences(p, language))
        assert shrank not in text
        assert "method conflict remains" not in text and "metodkonflikten kvar" not in text
    en = " ".join(summary_sentences(p, "en"))
    assert "fewer girls" in en and "rose after 2019-06" in en and "area counted grew" in en
    safe = goals(build_findings(p, "en", STUDY), "en", STUDY)[1]
    assert "less safe" in safe.assessment


def test_method_conflict_sentence_only_when_more_girls_stay_where_dealing_is_seen():
    more = summary_sentences(payloads(site(), focus(), crime()), "en")
    assert any("method conflict remains" in s for s in more)
    flat = summary_sentences(payloads(site(rr=(1.1, 0.9, 1.3)), focus(), crime()), "en")
    assert not any("method conflict remains" in s for s in flat)


def test_categories_and_codes_come_from_the_results():
    fs = build_findings(payloads(site(), focus(), crime(cats=("theft", "robbery"))), "en")
    measures = [f.measure for f in fs]
    assert "its.theft.level_change" in measures and "its.robbery.level_change" in measures
    assert not any("violence" in m for m in measures)
    mc = next(f for f in fs if f.measure == "method_conflict.turns")
    # not every role raised it: the text does not say "every role"
    assert mc.direction == "concern" and "every role" not in mc.text and "Conflict" in mc.text


def test_missing_sources_are_not_assessed_and_said_so():
    fs = build_findings(payloads(None, None, None), "sv")
    assert fs and all(f.strength == "not_assessed" and f.estimate is None for f in fs)
    assert all("källan saknas" in f.text for f in fs)
    assert summary_sentences(payloads(None, None, None), "en") == [
        "There were no results to summarise."
    ]


def test_synthesis_contract_and_evidence_table():
    rec = synthesise(payloads(site(), focus(), crime()), "sv", study=STUDY)
    p = envelope("04_synthesis", rec)
    assert p["schema"] == SCHEMA and p["language"] == "sv"
    assert set(p) >= {"schema", "language", "findings", "summary", "goals", "incomplete"}
    for f in p["findings"]:
        assert list(f) == [
            "question", "source", "measure", "estimate", "ci_low", "ci_high",
            "direction", "strength", "text",
        ]  # fmt: skip
        assert f["direction"] in ("increase", "decrease", "no_clear_change", "context", "concern")
        assert f["strength"] in ("strong", "moderate", "weak", "not_assessed")
    assert [list(g) for g in p["goals"]] == [["goal", "evidence", "assessment"]] * len(STUDY.goals)
    # a goal no result bears on is said to be not assessed by these data
    unassessed = [g for g, sg in zip(p["goals"], STUDY.goals, strict=True) if not sg.results]
    assert unassessed and all("Bedöms inte av dessa data" in g["evidence"] for g in unassessed)
    assert 1 <= len(p["summary"]) <= 8
    # every summary sentence is a finding's text or the derived method-conflict sentence
    texts = {f["text"] for f in p["findings"]}
    assert all(s in texts or "metodkonflikten" in s for s in p["summary"])
    table = evidence_table(rec.findings, "sv")
    assert list(table["finding"]) == [f.text for f in rec.findings]
    assert "ökning" in set(table["direction"]) and "måttlig" in set(table["strength"])
    codes = evidence_table(rec.findings, "sv", labels=False)
    assert set(codes["direction"]) <= {
        "increase",
        "decrease",
        "no_clear_change",
        "context",
        "concern",
        "missing",  # a finding without estimate (here the outreach rate ratio, CI missing)
    }


@pytest.mark.parametrize(
    "conflict, expected",
    [
        ((0.67, 0.48, 0.94), "decrease"),
        ((1.5, 1.2, 1.9), "increase"),
        ((1.0, 0.7, 1.4), "no_clear_change"),
    ],
)
def test_method_conflict_rate_finding_follows_the_rate_ratio(conflict, expected):
    """Issue 15.6: the method conflict per observed hour, not a share of sessions."""
    for language in ("en", "sv"):
        fs = by_measure(
            build_findings(payloads(site(conflict=conflict), focus(), crime()), language)
        )
        assert "co_presence" not in fs
        mc = fs["method_conflict_rate_ratio"]
        assert (mc.question, mc.source) == ("method_conflict", "observations")
        assert (mc.estimate, mc.ci_low, mc.ci_high) == conflict
        assert mc.direction == expected
        assert mc.strength == ("weak" if expected == "no_clear_change" else "moderate")
    fs_en = by_measure(build_findings(payloads(site(conflict=conflict), focus(), crime()), "en"))
    text = fs_en["method_conflict_rate_ratio"].text
    assert "per observed hour" in text and "0.75 (95% CI 0.60–0.94)" in text
    assert "1.02 (95% CI 0.76–1.38) without activation" in text
    words = {
        "decrease": "less frequent",
        "increase": "more frequent",
        "no_clear_change": "no clear change",
    }
    assert words[expected] in text
    assert "% with activation" not in text  # no share of sessions


def test_method_conflict_without_a_fitted_ratio_or_without_rates():
    fs = by_measure(build_findings(payloads(site(conflict=None), focus(), crime()), "en"))
    mc = fs["method_conflict_rate_ratio"]
    assert mc.estimate is None and mc.strength == "not_assessed"
    assert "could not be estimated" in mc.text and "0.75" in mc.text
    fs = by_measure(build_findings(payloads(site(rates=False), focus(), crime()), "sv"))
    assert "kunde inte jämföras per observationstimme" in fs["method_conflict_rate_ratio"].text
    fs = by_measure(build_findings(payloads(None, focus(), crime()), "en"))
    assert fs["method_conflict_rate_ratio"].strength == "not_assessed"


def test_method_conflict_remains_needs_dealing_where_the_target_group_is():
    """The summary's method-conflict sentence gives the rate; no sales with girls there: no sentence."""
    more = summary_sentences(payloads(site(act_sales=102), focus(), crime()), "en")
    (line,) = [s for s in more if "method conflict remains" in s]
    assert "0.75 drug sales per observed hour" in line
    none = summary_sentences(payloads(site(act_sales=0), focus(), crime()), "en")
    assert not any("method conflict remains" in s for s in none)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_findings_check_lists_every_finding(language):
    fs = build_findings(payloads(site(), focus(), crime()), language)
    lines = findings_check(fs).splitlines()
    assert len(lines) == len(fs)
    assert "girls / observations / target_staying_rate_ratio: increase, moderate" in lines


def test_limitations_name_the_co_interventions_of_the_data():
    from evaluation.analyses.synthesis import limitations

    with_cam = limitations(payloads(site(), focus(), crime()), "en")
    assert "The calendar names Kameror" in with_cam
    without = limitations(payloads(site(), focus(), crime(co=())), "sv")
    assert "Kalendern anger ingen samtidig insats" in without and "Kameror" not in without


def test_results_from_another_schema_give_a_clear_error(tmp_path):
    import json

    from evaluation.analyses.synthesis import collect_results
    from evaluation.errors import DataError

    (tmp_path / "01_site_observations.json").write_text(json.dumps({"target": {}}))
    with pytest.raises(DataError, match="schema"):
        collect_results(str(tmp_path), "unused")


def _sens(name, main, other):
    """Sensitivity rows of one estimate: the main fit and one variant (values with CIs)."""
    return [
        Sensitivity(name, "main", main, main * 0.8, main * 1.2),
        Sensitivity(name, "family=negbin", other, other * 0.8, other * 1.2),
        Sensitivity(name, "placebo=2017-01", 0.5, 0.3, 0.9),  # placebos do not count
    ]


def test_a_direction_not_robust_to_the_sensitivity_analyses_is_marked():
    c = crime(co=())
    c.sensitivity = _sens("robbery.level_change", 0.7, 1.1)  # a variant on the other side of 1
    c.sensitivity += _sens("survey_trend.plattan", 1.08, 1.05)
    fs = by_measure(build_findings(payloads(site(), focus(), c), "en"))
    crime_f = fs["its.robbery.level_change"]
    assert crime_f.direction == "decrease" and crime_f.strength == "moderate"
    assert "does not hold in every sensitivity analysis" in crime_f.text
    assert fs["survey_trend.safe.plattan"].strength == "strong"  # its variants agree
    sv = by_measure(build_findings(payloads(site(), focus(), c), "sv"))
    assert "känslighetsanalyser" in sv["its.robbery.level_change"].text


def test_robust_direction_reads_the_records_rows():
    s = site()
    assert robust_direction(s, "target_staying_rate_ratio") is None  # no rows: not run
    s.sensitivity = _sens("target_staying_rate_ratio", 1.9, 1.6)
    assert robust_direction(s, "target_staying_rate_ratio") is True
    s.sensitivity = _sens("target_staying_rate_ratio", 1.9, 0.9)
    assert robust_direction(s, "target_staying_rate_ratio") is False
