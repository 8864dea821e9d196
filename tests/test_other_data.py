"""The notebooks on data folders other than the example: another sample, an unfittable
model, and sources that are missing altogether."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from evaluation.synthetic import make_example_data

from .conftest import ROOT


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "evaluation.cli", "run", "--no-cache", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )


def test_site_notebook_on_another_data_folder(tmp_path):
    data = make_example_data(tmp_path / "other", seed=7, scale=2)
    res = run(
        "--only", "01_site_observations", "--data", str(data), "--output", str(tmp_path / "out")
    )
    assert res.returncode == 0, res.stdout + res.stderr
    r = json.loads((tmp_path / "out" / "results" / "01_site_observations.json").read_text())
    e = r["target_staying_rate_ratio"]
    assert e["n_sessions"] > 500 and e["ci_low"] < e["estimate"] < e["ci_high"]
    assert (
        e["ci_low"] <= 1.8 <= e["ci_high"] or abs(e["estimate"] - 1.8) < 0.5
    )  # the planted effect, roughly


def test_unfittable_model_is_explained_not_crashed(tmp_path, data_copy):
    s = data_copy / "observations" / "sessions.csv"
    lines = s.read_text().split("\n")
    header = lines[0].split(",")
    k = header.index("activation")
    out = [lines[0]]
    for ln in lines[1:]:
        if ln:
            cells = ln.split(",")
            cells[k] = "none"
            ln = ",".join(cells)
        out.append(ln)
    s.write_text("\n".join(out))
    res = run(
        "--only",
        "01_site_observations",
        "--data",
        str(data_copy),
        "--output",
        str(tmp_path / "out"),
    )
    # issue 20: the notebook ran but its key results are missing: incomplete, exit 3,
    # saying which result and why
    assert res.returncode == 3, res.stdout + res.stderr
    out = res.stdout + res.stderr
    assert "01_site_observations: INCOMPLETE" in out
    assert "target_staying_rate_ratio: " in out and "only one value" in out
    m = json.loads((tmp_path / "out" / "manifest.json").read_text())
    (entry,) = m["notebooks"]
    assert entry["status"] == "incomplete" and m["status"] == "incomplete"
    missing = {i["result"] for i in entry["incomplete"]}
    assert {"target_staying_rate_ratio", "drug_sale_rate_ratio"} <= missing
    r = json.loads((tmp_path / "out" / "results" / "01_site_observations.json").read_text())
    assert r["target_staying_rate_ratio"]["estimate"] is None
    assert "only one value" in r["target_staying_rate_ratio"]["error"]
    html = (tmp_path / "out" / "01_site_observations.html").read_text()
    # the default report language is Swedish: the message of nb01.model_failed
    assert "Modellen kunde inte anpassas" in html


@pytest.mark.parametrize("removed", [["crime", "survey"], ["observations"], ["focus_groups"]])
def test_report_when_sources_are_missing(tmp_path, removed):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "example", data)
    for name in removed:
        shutil.rmtree(data / name)
    # the report still completes: --allow-incomplete accepts the missing results (exit 0)
    res = run("--allow-incomplete", "--data", str(data), "--output", str(tmp_path / "out"))
    assert res.returncode == 0, res.stdout + res.stderr
    m = json.loads((tmp_path / "out" / "manifest.json").read_text())
    status = {n["name"]: n["status"] for n in m["notebooks"]}
    # the notebooks of the missing sources, 00 (which lists them) and the synthesis that
    # lacks their results are incomplete; the others ok; nothing failed
    hit = {
        "crime": {"03_crime_and_safety"},
        "survey": {"03_crime_and_safety"},
        "observations": {"01_site_observations"},
        "focus_groups": {"02_focus_groups"},
    }
    expected_incomplete = set().union(*(hit[name] for name in removed)) | {
        "00_data_quality",  # lists the missing sources
        "04_synthesis",
    }
    assert {n for n, st in status.items() if st == "incomplete"} == expected_incomplete, status
    assert {n for n, st in status.items() if st != "incomplete"} == set(
        status
    ) - expected_incomplete
    assert all(st in ("ok", "incomplete") for st in status.values()), status
    assert m["status"] == "incomplete"
    for n in m["notebooks"]:
        if n["name"] in expected_incomplete - {"04_synthesis"}:
            assert any("source missing" in i["why"] for i in n["incomplete"]), n
    synth = (tmp_path / "out" / "04_synthesis.html").read_text()
    assert "källan saknas" in synth  # the report's default language is Swedish
