"""README "Running on your own data", followed as a new user would (issue 16): ``new-study``,
fill in the scaffold's ``study.yaml`` in place for an invented square, a few rows of data,
``validate``, ``run``. The report is about the invented square only."""

from __future__ import annotations

import json
import shutil

import pytest

from evaluation.cli import main

from .conftest import cli

#: The scaffold's empty values -> what a new user types (an invented square, Kvarnbacksplan).
FILL = {
    'id: ""': "id: kvarnbacksplan",
    'title: {sv: "", en: ""}': "title: {sv: Platsaktivering av Kvarnbacksplan, en: Place activation of Kvarnbacksplan}",
    'site: {sv: "", en: ""}': "site: {sv: Kvarnbacksplan, en: Kvarnbacksplan}",
    'period: {start: "", end: ""}': "period: {start: 2020-01-01, end: 2023-12-31}",
    'intervention: ""': 'intervention: "2022-05"',
    "codebook: focus_groups/codebook.yaml": "codebook: null",  # no focus groups
    'gender: ""': "gender: male",
    'age_band: ""': 'age_band: "16-20"',
    'label: {sv: "", en: ""}': "label: {sv: pojkar 16–20 år, en: boys aged 16–20}",
    "zones: {}": "zones: {fontanen: {sv: Fontänen, en: the fountain}}",
    "activation_kinds: {}": "activation_kinds: {musik: {sv: musik, en: music}}",
    "roles: {}": "roles: {fritidsledare: {sv: fritidsledare, en: youth leader}}",
    "incident_kinds: {}": "incident_kinds: {langning: {sv: langning, en: dealing}}",
    "crime_categories: {}": "crime_categories: {misshandel: {sv: misshandel, en: assault}}",
    "age_bands: {}": 'age_bands: {"0-15": {sv: 0–15 år, en: aged 0–15}, "16-20": {sv: 16–20 år, en: aged 16–20}}',
    "areas: {}": "areas: {kvarnbacken: {sv: Kvarnbacken, en: Kvarnbacken}, ostra: {sv: Östra staden, en: the eastern town}}",
    'site: ""': "site: kvarnbacken",
    "comparisons: []": "comparisons: [ostra]",
    "survey_reference: null": "survey_reference: ostra",
    "survey_item: null": "survey_item: trygg_kvall",
    "questions: []": "questions:\n  - id: safer\n    text: {sv: Blev det tryggare?, en: Did it become safer?}\n"
    "    results: [its, survey_trend]",
    "goals: []": "goals:\n  - id: trygg\n    text: {sv: En trygg plats, en: A safe place}\n"
    "    results: [its]\n  - id: levande\n    text: {sv: En levande plats, en: A lively place}\n"
    "    results: []",
}


def fill_in(d):
    """The scaffold of ``d`` filled in: study.yaml edited in place; crime statistics, a survey
    and a calendar; no observations or focus groups (their folders deleted, as the
    scaffold's README says a source one does not have may be)."""
    text = (d / "study.yaml").read_text(encoding="utf-8")
    for empty, value in FILL.items():
        assert empty in text, f"the scaffold no longer has {empty!r}"
        text = text.replace(empty, value, 1)
    (d / "study.yaml").write_text(text, encoding="utf-8")
    shutil.rmtree(d / "observations")
    shutil.rmtree(d / "focus_groups")
    (d / "calendar.csv").write_text(
        "start,end,kind,name\n2022-05-01,2022-08-31,musik,Musik vid fontänen\n", encoding="utf-8"
    )
    rows = ["month,area,category,count"]
    for k, (y, m) in enumerate((y, m) for y in range(2020, 2024) for m in range(1, 13)):
        after = (y, m) >= (2022, 5)
        rows.append(f"{y}-{m:02d},kvarnbacken,misshandel,{(6 if after else 10) + k % 3}")
        rows.append(f"{y}-{m:02d},ostra,misshandel,{30 + k % 5}")
    (d / "crime" / "reported.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (d / "crime" / "areas.csv").write_text(
        "area,year,hectares,population\n"
        + "".join(f"kvarnbacken,{y},1.5,\nostra,{y},120,\n" for y in range(2020, 2024)),
        encoding="utf-8",
    )
    (d / "survey" / "safety.csv").write_text(
        "year,area,item,n,n_yes\n"
        + "".join(
            f"{y},kvarnbacken,trygg_kvall,200,{80 + 6 * i}\n{y},ostra,trygg_kvall,400,{200 + i}\n"
            for i, y in enumerate(range(2020, 2024))
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    d = tmp_path_factory.mktemp("new-user") / "kvarnbacksplan"
    assert main(["new-study", str(d)]) == 0
    fill_in(d)
    return d


def test_the_filled_in_scaffold_validates(filled, capsys):
    capsys.readouterr()
    code = main(["validate", "--data", str(filled)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "study.yaml: Kvarnbacksplan" in out


def test_the_filled_in_scaffold_runs_into_a_report_about_it(filled, tmp_path):
    out = tmp_path / "run"
    only = ("00_data_quality", "03_crime_and_safety", "06_methods_appendix")
    args = ("--data", str(filled), "--output", str(out), "--no-cache", "--only", *only)
    res = cli("run", *args)
    # the sources left out make the run incomplete (exit 3), as the scaffold's README says
    assert res.returncode == 3, res.stdout + res.stderr
    assert "00_data_quality: sources.observations: source missing" in res.stdout
    assert "--allow-incomplete" in res.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    statuses = {nb["name"]: nb["status"] for nb in manifest["notebooks"]}
    assert statuses == {**dict.fromkeys(only, "ok"), "00_data_quality": "incomplete"}
    crime = (out / "03_crime_and_safety.html").read_text(encoding="utf-8")
    # titles name the invented site (study.yaml), the intervention month is study.yaml's
    assert "<title>03 Brott och upplevd trygghet – Kvarnbacksplan</title>" in crime
    assert "Blev det tryggare?" in crime
    results = json.loads((out / "results" / "03_crime_and_safety.json").read_text())
    assert results["intervention"] == "2022-05" and results["survey_item"] == "trygg_kvall"
    for f in out.rglob("*.html"):
        text = f.read_text(encoding="utf-8")
        assert "Sergel" not in text and "Odenplan" not in text, f.name
