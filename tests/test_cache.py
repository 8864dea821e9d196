"""Parallel runs on preloaded kernels equal sequential runs on fresh kernels; the cache
reuses only what is unchanged."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project (notebooks, codebooks, data) so that runs and cache stay in tmp."""
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


def _outputs(nb_path) -> list[str]:
    """The text and image outputs of an executed notebook, without timings."""
    nb = nbformat.read(str(nb_path), as_version=4)
    out = []
    for c in nb.cells:
        if "injected-parameters" in c.metadata.get("tags", []):
            continue
        for o in c.get("outputs", []):
            out.append(
                json.dumps({k: v for k, v in o.items() if k != "execution_count"}, sort_keys=True)
            )
    return out


def test_parallel_equals_sequential_and_cache(project, monkeypatch, tmp_path):
    from evaluation.kernelpool import available

    seq = _run(project, monkeypatch, output=tmp_path / "seq", jobs=1, cache=False, kernels="fresh")
    par = _run(project, monkeypatch, output=tmp_path / "par", jobs=2, force=True)
    assert seq.ok and par.ok
    assert seq.manifest["kernels"] == "fresh"
    assert par.manifest["kernels"] == ("preloaded" if available() else "fresh")
    for nb in sorted((tmp_path / "seq").glob("*.ipynb")):
        assert _outputs(nb) == _outputs(tmp_path / "par" / nb.name), nb.name
        res = nb.stem + ".json"
        assert (tmp_path / "seq" / "results" / res).read_text() == (
            tmp_path / "par" / "results" / res
        ).read_text()
    html = [p.name for p in (tmp_path / "seq").glob("*.html")]
    for name in html:
        if name == "index.html":
            continue
        strip = lambda t: re.sub(r'data:image/png;base64,[^"]+', "IMG", t)  # noqa: E731
        assert strip((tmp_path / "seq" / name).read_text()) == strip(
            (tmp_path / "par" / name).read_text()
        ), name
    assert par.manifest["jobs"] == 2 and all(n["status"] == "ok" for n in par.manifest["notebooks"])

    # warm: nothing changed -> everything from the cache
    warm = _run(project, monkeypatch, output=tmp_path / "warm", jobs=2)
    assert [(n["status"], n["cached"]) for n in warm.manifest["notebooks"]] == [("ok", True)] * 7
    assert all(n.get("cache_key") for n in warm.manifest["notebooks"])
    assert json.loads(
        (tmp_path / "warm" / "results" / "01_site_observations.json").read_text()
    ) == json.loads((tmp_path / "par" / "results" / "01_site_observations.json").read_text())
    injected = [
        c
        for c in nbformat.read(
            str(tmp_path / "warm" / "01_site_observations.ipynb"), as_version=4
        ).cells
        if "injected-parameters" in c.metadata.get("tags", [])
    ]
    assert f"run_dir = {str(tmp_path / 'warm')!r}" in injected[0].source

    # one changed input byte re-runs every notebook that read it, and whatever needs it
    survey = project / "data" / "example" / "survey" / "safety.csv"
    original = survey.read_bytes()
    survey.write_bytes(original + b"\n")
    try:
        changed = _run(project, monkeypatch, output=tmp_path / "changed", jobs=2)
    finally:
        survey.write_bytes(original)
    status = {n["name"]: n["cached"] for n in changed.manifest["notebooks"]}
    assert not status["00_data_quality"] and not status["03_crime_and_safety"]
    assert not status["04_synthesis"]  # it hashes the inputs in its provenance table

    # a changed parameter re-runs the notebooks that declare it, and the synthesis after them
    param = _run(project, monkeypatch, output=tmp_path / "param", jobs=2, overrides=["min_cell=7"])
    status = {n["name"]: n["cached"] for n in param.manifest["notebooks"]}
    assert (
        status["00_data_quality"]
        and not status["01_site_observations"]
        and not status["02_focus_groups"]
    )

    # --force re-runs everything
    forced = _run(
        project,
        monkeypatch,
        output=tmp_path / "forced",
        jobs=2,
        force=True,
        only=["00_data_quality"],
    )
    assert [(n["status"], n["cached"]) for n in forced.manifest["notebooks"]] == [("ok", False)]


def test_failed_dependency_skips_dependents(project, monkeypatch, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(project / "data" / "example", bad)
    shutil.rmtree(bad / "crime")
    (bad / "crime").mkdir()  # present but empty: an error for every notebook that loads data
    res = _run(project, monkeypatch, output=tmp_path / "out", jobs=2, data=bad, cache=False)
    status = {n["name"]: n["status"] for n in res.manifest["notebooks"]}
    assert status["04_synthesis"] == "skipped" and "failed" in status.values()
    assert not res.ok and res.error is not None


def test_folder_listing_is_part_of_the_key(tmp_path):
    """Adding or removing a file in a folder a notebook read from invalidates its entry."""
    from evaluation.cache import lookup, store

    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text("a")
    run_dir = tmp_path / "run"
    (run_dir / "results").mkdir(parents=True)
    (run_dir / "nb.ipynb").write_text('{"cells": []}')
    (run_dir / "results" / "nb.json").write_text("{}")
    cache = tmp_path / "cache"
    full = store(cache, "nb", "k", run_dir, [str(data / "a.txt")], folders=[str(data)])
    assert lookup(cache, "nb", "k") == (cache / "nb" / "k" / full, full)
    (data / "b.txt").write_text("b")
    assert lookup(cache, "nb", "k")[0] is None, "a file was added"
    (data / "b.txt").unlink()
    assert lookup(cache, "nb", "k")[0] is not None
    (data / "a.txt").unlink()
    assert lookup(cache, "nb", "k")[0] is None, "a file was removed"


def test_restore_hard_links(tmp_path):
    """Cached pages and results are linked into a new run folder, not copied (issue 20.8)."""
    import os

    from evaluation.cache import restore

    entry = tmp_path / "entry"
    entry.mkdir()
    (entry / "nb.ipynb").write_text('{"cells": [], "metadata": {}}')
    (entry / "nb.html").write_text("<html></html>")
    (entry / "nb.json").write_text("{}")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    restore(entry, "nb", run_dir, str(run_dir))
    assert os.stat(run_dir / "nb.html").st_ino == os.stat(entry / "nb.html").st_ino
    assert os.stat(run_dir / "results" / "nb.json").st_ino == os.stat(entry / "nb.json").st_ino
