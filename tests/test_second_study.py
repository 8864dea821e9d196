"""The second example study (Odenplan): reproducible, and a complete report that names
nothing of the first study (issue 16). End to end, not nbval."""

from __future__ import annotations

import json

import pytest

from evaluation.sources.study import load_study
from evaluation.synthetic_odenplan import make_odenplan_data

from .conftest import ROOT, cli

ODENPLAN = ROOT / "data" / "example-odenplan"


def _files(d):
    return {
        p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()
    }


def test_odenplan_example_is_reproducible_byte_for_byte(tmp_path):
    made = make_odenplan_data(tmp_path / "o")
    assert _files(made) == _files(ODENPLAN), (
        "regenerate: evaluation make-example-data --study odenplan --out data/example-odenplan --force"
    )


def test_odenplan_data_name_nothing_of_the_first_study():
    for rel, data in _files(ODENPLAN).items():
        # the project's own name (sergel-eval, e.g. as the example report's author) is not the site
        assert b"sergel" not in data.lower().replace(b"sergel-eval", b""), rel


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("odenplan") / "run"
    res = cli(
        "run", "--data", str(ODENPLAN), "--output", str(out), "--no-cache", "-q", timeout=1200
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return out


def test_odenplan_report_is_complete_and_names_no_sergel(report):
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    statuses = {nb["name"]: nb["status"] for nb in manifest["notebooks"]}
    assert len(statuses) == len(list((ROOT / "notebooks").glob("0*.ipynb"))), statuses
    assert set(statuses.values()) == {"ok"}, statuses
    for f in report.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".json", ".ipynb"):
            # the project's own name (sergel-eval, CSS classes) is lower case; the site never is
            assert "Sergel" not in f.read_text(encoding="utf-8"), f.name
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "<title>Odenplan – utvärdering av platsaktivering</title>" in index


def test_odenplan_report_follows_its_study(report):
    study = load_study(ODENPLAN)
    synthesis = (report / "04_synthesis.html").read_text(encoding="utf-8")
    for q in study.questions:
        assert q.text["sv"] in synthesis
    for g in study.goals:
        assert g.text["sv"] in synthesis
    # the goal no result bears on
    assert "Bedöms inte av dessa data" in synthesis
    focus = (report / "02_focus_groups.html").read_text(encoding="utf-8")
    assert "kvarterspolis" in focus
    crime = (report / "03_crime_and_safety.html").read_text(encoding="utf-8")
    assert "Sankt Eriksplan" in crime


def test_odenplan_planted_effect_is_recovered(report):
    # data/example-odenplan/README.md: rate ratio of activation, target group staying, 1.8
    site = json.loads((report / "results" / "01_site_observations.json").read_text())
    rr = site["target_staying_rate_ratio"]
    assert rr["ci_low"] <= 1.8 <= rr["ci_high"]
    # the renamed incident kind still feeds the dealing rate ratio (true value 0.6)
    dealing = site["drug_sale_rate_ratio"]
    assert dealing["estimate"] is not None and dealing["ci_low"] <= 0.6 <= dealing["ci_high"]
    focus = json.loads((report / "results" / "02_focus_groups.json").read_text())
    assert focus["method_conflict"]["code"] == "risk_av_aktivering"
