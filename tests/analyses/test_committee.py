"""The committee summary (issue 18 item 6): plain sentences that follow the findings."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from evaluation.analyses.committee import (
    CommitteeInputs,
    change_words,
    changed_sentence,
    committee_inputs,
    committee_markdown,
    committee_summary,
    lix,
)
from evaluation.results import Finding

from ..conftest import EXAMPLE


def _f(measure, est, lo, hi, direction, strength="moderate", q="girls", src="observations"):
    return Finding(q, src, measure, est, lo, hi, direction, strength, "synthesis text, not used")


PLANTED = [
    _f("target_staying_rate_ratio", 1.96, 1.58, 2.41, "increase"),
    _f("drug_sale_rate_ratio", 0.60, 0.46, 0.78, "decrease", q="method_conflict"),
    _f("co_presence", 42.0, None, None, "context", "not_assessed", q="method_conflict"),
    _f("its.violence.level_change", 0.70, 0.55, 0.91, "decrease", q="crime_safety", src="crime"),
    _f("survey_trend.safe_evening.sergels_torg", 1.09, 1.03, 1.14, "increase", "weak",
       q="crime_safety", src="survey"),
]  # fmt: skip


def _reverse(f: Finding) -> Finding:
    if f.direction not in ("increase", "decrease") or f.estimate is None:
        return f
    d = {"increase": "decrease", "decrease": "increase"}[f.direction]
    return replace(
        f, estimate=1 / f.estimate, ci_low=1 / f.ci_high, ci_high=1 / f.ci_low, direction=d
    )


@pytest.fixture(scope="module")
def example_inputs():
    return {lang: committee_inputs("", str(EXAMPLE), language=lang) for lang in ("sv", "en")}


def test_change_words():
    # the ratio in everyday words: 0.70 is 30 % fewer, 1.25 is 25 % more, from 1.95 "times"
    assert change_words(0.70, "decrease", "en") == "about 30% fewer"
    assert change_words(1.25, "increase", "en") == "about 25% more"
    assert change_words(2.44, "increase", "sv") == "ungefär 2,4 gånger så många"


def test_sentences_follow_the_direction():
    group = "flickor 13–18 år"
    up = changed_sentence(PLANTED[0], "sv", group=group)
    down = changed_sentence(_reverse(PLANTED[0]), "sv", group=group)
    assert "stannade fler flickor 13–18 år" in up and "färre" not in up
    assert "stannade färre flickor 13–18 år" in down and "ungefär 49\xa0% färre" in down
    # the range in words, one decimal (1/2.41 = 0.41, 1/1.58 = 0.63)
    assert "troligen mellan 0,4 och 0,6 gånger" in down
    flat = changed_sentence(
        _f("target_staying_rate_ratio", 1.1, 0.8, 1.5, "no_clear_change", "weak"), "en"
    )
    assert flat.startswith("We see no clear difference") and flat.endswith("This is uncertain.")
    its = changed_sentence(PLANTED[3], "en", area="Plaza X")
    assert "reports of violent crime at Plaza X went down: about 30% fewer" in its
    assert changed_sentence(PLANTED[2], "sv") is None  # context: not a sentence of its own


def test_missing_estimate_is_said_to_be_missing():
    gone = [_f("target_staying_rate_ratio", None, None, None, "no_clear_change", "not_assessed")]
    s = committee_summary(CommitteeInputs(gone), "sv")
    assert any("Vi kunde inte räkna ut" in c for c in s.changed)
    assert any("platsobservationer" in c for c in s.cannot_say)
    assert not any("troligt" in c or "säkra på" in c for c in s.changed)


def test_next_steps_follow_the_findings():
    conflict = committee_summary(CommitteeInputs(PLANTED, group="flickor 13–18 år"), "sv")
    assert any(s.startswith("Planera aktiviteterna") for s in conflict.next_steps)
    rev = committee_summary(CommitteeInputs([_reverse(f) for f in PLANTED]), "sv")
    assert not any(s.startswith("Planera aktiviteterna") for s in rev.next_steps)
    assert any(s.startswith("Ta reda på varför färre") for s in rev.next_steps)
    strong = [replace(f, strength="strong") for f in PLANTED]
    sure = committee_summary(CommitteeInputs(strong), "en")
    assert not any(s.startswith("Keep observing") for s in sure.next_steps)
    assert any(s.startswith("Fortsätt att observera") for s in conflict.next_steps)  # one weak
    timing = committee_summary(CommitteeInputs(PLANTED, co_interventions=["Cameras"]), "en")
    assert any("Cameras" in s for s in timing.cannot_say)
    assert any(s.startswith("Do not start the next activation") for s in timing.next_steps)
    assert not any(s.startswith("Do not start") for s in sure.next_steps)


def test_strength_counts():
    s = committee_summary(CommitteeInputs(PLANTED), "en")
    assert "Of the 4 results above, 0 are fairly sure, 3 likely and 1 uncertain." in s.how_sure


@pytest.mark.parametrize("language", ["sv", "en"])
def test_example_summary_is_plain(example_inputs, language):
    md = committee_markdown(committee_summary(example_inputs[language], language))
    text = re.sub(r"^#+ .*$", "", md, flags=re.M)
    # the CI is explained once, in words, and not named again
    ci_word = {"sv": "konfidensintervall", "en": "confidence interval"}[language]
    assert md.count(ci_word) == 1
    jargon = {
        "sv": ["KI", "kvot", "oddskvot", "p-värde", "Poisson", "signifikan", "koefficient", "95"],
        "en": ["CI", "ratio", "odds", "p-value", "Poisson", "significan", "coefficient", "95"],
    }[language]
    for word in jargon:
        assert not re.search(rf"\b{word}", text), word
    # klarspråk: LIX (Björnsson 1968) below 40 is "easy" (plain-language texts); short sentences
    assert lix(text) < 40
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.replace("- ", "")) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 30
    assert sum(len(s.split()) for s in sentences) / len(sentences) <= 16


def test_example_inputs(example_inputs):
    sv = example_inputs["sv"]
    assert sv.group == "flickor 13–18 år" and sv.area == "Sergels torg" and sv.synthetic
    assert sv.co_interventions  # the calendar's policing
    assert "Helt och rent" in sv.goals_not_measured
    assert "Whole and clean" in example_inputs["en"].goals_not_measured


def test_lix_counts_long_words_and_sentences():
    # LIX = words/sentences + 100 * long words (> 6 letters)/words (Björnsson 1968)
    assert lix("Kort. Stannade.") == pytest.approx(1 + 100 * 1 / 2)
    assert lix("") == 0.0


def test_missing_sources_as_the_synthesis_writes_them():
    """synthesis._missing: measures without a category or area ("its", "survey_trend")."""
    from evaluation.analyses.synthesis import synthesise

    findings = synthesise({}, "sv").findings  # every source missing
    s = committee_summary(CommitteeInputs(findings), "sv")
    # without an area the summary says "the site" (committee.default_area)
    assert any("anmälda brott vid platsen" in c for c in s.changed), s.changed
    assert any("Det saknas uppgifter från källan brottsstatistik" in c for c in s.cannot_say)
    assert committee_markdown(s)
