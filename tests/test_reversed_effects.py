"""End to end on a world with every planted effect reversed (`make-example-data --reverse-effects`).

The report must state the reversed directions - fewer girls during activation,
more drug sales, violence up after the intervention, the drug-scene area
growing - in both languages, and never claim the area shrank.
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import cli

# What each language says for the reversed world, and what it must never say.
SAYS = {
    "en": {
        "girls": "fewer girls",
        "sales": "drug sales per hour were higher",
        "violence": "violent crime at Sergels torg rose",
        "grew": "the area counted grew",
        "shrank": "shrank",
    },
    "sv": {
        "girls": "färre flickor",
        "sales": "narkotikaförsäljning per timme var högre",
        "violence": "våldsbrott vid Sergels torg ökade",
        "grew": "området som räknas växte",
        "shrank": "krympte",
    },
}


@pytest.fixture(scope="module")
def reversed_data(tmp_path_factory):
    out = tmp_path_factory.mktemp("reversed") / "data"
    res = cli("make-example-data", "--out", str(out), "--reverse-effects")
    assert res.returncode == 0, res.stderr
    assert "effects reversed" in res.stdout
    assert "effects: reversed" in (out / "SYNTHETIC").read_text()
    assert "EFFECTS REVERSED" in (out / "README.md").read_text()
    return out


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_report_states_the_reversed_directions(reversed_data, tmp_path, language):
    out = tmp_path / "out"
    res = cli(
        "run", "--no-cache", "--data", str(reversed_data), "--output", str(out),
        "-p", f"language={language}",
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    synth = json.loads((out / "results" / "04_synthesis.json").read_text())
    assert synth["schema"] == 1 and synth["language"] == language
    d = {f["measure"]: f["direction"] for f in synth["findings"]}
    assert d["target_staying_rate_ratio"] == "decrease"
    assert d["drug_sale_rate_ratio"] == "increase"
    assert d["its.violence.level_change"] == "increase"
    assert d["survey_trend.safe_evening.sergels_torg"] == "decrease"
    crime = next(f for f in synth["findings"] if f["measure"] == "its.violence.level_change")
    assert crime["strength"] != "strong"  # cameras started inside the series
    # issue 15: 03's results carry the sensitivity rows the synthesis rates robustness from
    rows = json.loads((out / "results" / "03_crime_and_safety.json").read_text())["sensitivity"]
    names = {row["estimate"] for row in rows}
    assert "violence.level_change" in names and any(n.startswith("survey_trend.") for n in names)

    says = SAYS[language]
    summary = " ".join(synth["summary"])
    for key in ("girls", "sales", "violence", "grew"):
        assert says[key] in summary, (key, summary)
    index = _text((out / "index.html").read_text())
    assert synth["summary"][0][:60] in index
    reading = _text((out / "03_crime_and_safety.html").read_text())
    assert says["grew"] in reading and says["violence"] in reading
    evidence = _text((out / "04_synthesis.html").read_text())
    assert says["girls"] in evidence
    for text in (summary, index, reading, evidence):
        assert says["shrank"] not in text
