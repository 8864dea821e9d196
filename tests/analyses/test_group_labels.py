"""Labels that name the target group follow the parameters and the study (issue 20.3).

With ``target_age_band=19-29`` (or a study whose target group is not girls
13–18) no label, heading or sentence may still say "girls 13–18".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evaluation import load_dataset
from evaluation.analyses import findings as F
from evaluation.analyses.committee import changed_sentence
from evaluation.analyses.site import analyse_site
from evaluation.analyses.synthesis import synthesise
from evaluation.i18n import catalogue, t, use_study
from evaluation.sources.study import open_study

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "example"
BOYS = {"gender": "male", "age_band": "19-29"}
#: What must not appear when the target group is boys 19-29.
WRONG = re.compile(r"13|girl|flick", re.IGNORECASE)


@pytest.fixture(scope="module")
def boys_site():
    study, _ = open_study(EXAMPLE)
    try:
        site = analyse_site(load_dataset(EXAMPLE), "male", "19-29", None, ["zone"], "auto", "date")
        yield study, site
    finally:
        use_study(None)


def _texts(study, site, language):
    rec = site.record
    who = F.group_values(BOYS, language)
    out = [
        F.target_group(BOYS, language),
        F.site_reading(rec, language),
        F.method_conflict_sentence(rec, language),
        t("nb02.method", language),
        t("findings.notebook.limitations_text", language, co_interventions=""),
        *(t(k, language, **who) for k in catalogue_keys("context.heading.", language)),
        *(t(k, language, **who) for k in catalogue_keys("sensitivity.table_conflict.", language)),
    ]
    syn = synthesise({"01_site_observations": site.results}, language, study=study)
    out += list(syn.summary)
    for f in syn.findings:
        out.append(changed_sentence(f, language, group=F.target_group(BOYS, language)) or "")
    return out


def catalogue_keys(prefix: str, language: str) -> list[str]:
    return [k for k in catalogue(language) if k.startswith(prefix)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_label_says_girls_13_18_for_boys_19_29(boys_site, language):
    study, site = boys_site
    texts = _texts(study, site, language)
    group = F.target_group(BOYS, language)
    assert any(group in s for s in texts[1:])  # the group is named where it should be
    bad = [s for s in texts if WRONG.search(s.replace("2013", ""))]
    assert not bad, bad


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_message_names_girls_13_18_literally(language):
    # the catalogue may name genders (context.who, labels, fieldwork choices) and
    # keep "girls" in key names, never the example study's target group in a text
    allowed = re.compile(
        r"(^|\.)(who|labels?)\.(female|male)$|^fieldwork\..*\.(female|male)$|^label\.(female|male)$"
    )
    bad = {
        k: v
        for k, v in catalogue(language).items()
        if isinstance(v, str)
        and re.search(r"13[–-]18|girls|flickor", v, re.IGNORECASE)
        and not allowed.search(k)
    }
    assert not bad, bad


@pytest.mark.parametrize("language", ["sv", "en"])
def test_without_a_target_group_the_words_do_not_guess_one(language):
    for target in (None, {}):
        words = F.target_group(target, language)
        assert not WRONG.search(words), words
        assert words == t("context.unknown_group", language)
