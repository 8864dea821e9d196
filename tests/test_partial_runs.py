"""Partial runs (--only) build what they need and never become reports/latest."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    proj = tmp_path_factory.mktemp("proj")
    for name in ("notebooks", "codebooks"):
        shutil.copytree(ROOT / name, proj / name)
    shutil.copytree(ROOT / "data" / "example", proj / "data" / "example")
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    return proj


def _run(project, monkeypatch, **kw):
    from evaluation.pipeline import run

    monkeypatch.setenv("SERGEL_EVAL_ROOT", str(project))
    monkeypatch.chdir(project)
    return run(progress=None, **kw)


def test_only_synthesis_builds_its_inputs(project, monkeypatch):
    latest = project / "reports" / "latest"
    # nothing cached: the notebooks the committee summary (05, which needs the synthesis)
    # needs run first; with the appendix (06, which needs none) every notebook runs
    first = _run(project, monkeypatch, only=["05_committee_summary", "06_methods_appendix"])
    names = [n["name"] for n in first.manifest["notebooks"]]
    assert names == [p.stem for p in sorted((project / "notebooks").glob("0*.ipynb"))]
    assert first.manifest["only"] == ["05_committee_summary", "06_methods_appendix"]
    assert first.manifest["complete"] is True
    synth = json.loads((first.run_dir / "results" / "04_synthesis.json").read_text())
    assert synth.get("summary"), "a synthesis with its inputs has a summary"
    for dep in ("00_data_quality", "01_site_observations", "02_focus_groups"):
        assert (first.run_dir / "results" / f"{dep}.json").exists()
    # the index summary comes from the results that carry one (no notebook named in the code)
    index = (first.run_dir / "index.html").read_text(encoding="utf-8")
    assert any(sentence[:40] in index for sentence in synth["summary"])
    assert latest.resolve() == first.run_dir.resolve(), "every notebook ran: a complete report"

    # a one-notebook run does not repoint reports/latest
    one = _run(project, monkeypatch, only=["01_site_observations"])
    assert [n["name"] for n in one.manifest["notebooks"]] == ["01_site_observations"]
    assert one.manifest["complete"] is False
    assert latest.resolve() == first.run_dir.resolve(), "--only must not move reports/latest"

    # inputs current: the needed notebooks come from the cache
    warm = _run(project, monkeypatch, only=["04_synthesis"], output=project / "warm4")
    assert all(n["cached"] for n in warm.manifest["notebooks"])
    # a changed input re-runs what read it, before the synthesis
    crime = project / "data" / "example" / "crime" / "reported.csv"
    original = crime.read_bytes()
    crime.write_bytes(original + b"\n")
    try:
        again = _run(project, monkeypatch, only=["04_synthesis"], output=project / "again")
    finally:
        crime.write_bytes(original)
    st = {n["name"]: n for n in again.manifest["notebooks"]}
    assert st["03_crime_and_safety"]["cached"] is False
    assert st["04_synthesis"]["cached"] is False
    assert (project / "again" / "results" / "03_crime_and_safety.json").exists()


def test_a_file_added_to_a_folder_reruns_what_read_it(project, monkeypatch):
    """The cache key holds the listing of every folder a notebook read from (issue 14.4)."""
    warm = _run(project, monkeypatch, only=["02_focus_groups"], output=project / "warm")
    assert warm.manifest["notebooks"][0]["cached"] is True
    extra = project / "data" / "example" / "focus_groups" / "transcripts" / "NOTES.md"
    extra.write_text("notes of the moderator, not a transcript\n", encoding="utf-8")
    try:
        added = _run(project, monkeypatch, only=["02_focus_groups"], output=project / "added")
        assert added.manifest["notebooks"][0]["cached"] is False
    finally:
        extra.unlink()
    back = _run(project, monkeypatch, only=["02_focus_groups"], output=project / "back")
    assert back.manifest["notebooks"][0]["cached"] is True


@pytest.mark.parametrize(
    "where", ["data/example/out", "data/other", "notebooks/out", "codebooks/x", "data/example"]
)
def test_output_inside_inputs_refused(tmp_path, where):
    from .conftest import cli

    target = ROOT / where
    existed = target.exists()
    res = cli("run", "--only", "00_data_quality", "--output", where, "--no-cache")
    assert res.returncode == 2, res.stdout + res.stderr
    assert "a run never writes into its inputs" in res.stderr and str(target) in res.stderr
    assert target.exists() == existed


def test_output_inside_a_given_data_folder_refused(data_copy, tmp_path):
    from .conftest import cli, tree_hashes

    before = tree_hashes(data_copy)
    res = cli("run", "--data", str(data_copy), "--output", str(data_copy / "run"))
    assert res.returncode == 2 and "inside the data folder" in res.stderr
    assert tree_hashes(data_copy) == before and not (data_copy / "run").exists()
