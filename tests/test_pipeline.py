"""The runner end to end: parameters, run folders, manifest, HTML, failures, release gate."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT, cli, tree_hashes


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    """A run of 00_data_quality and 01_site_observations into a new folder."""
    out = tmp_path_factory.mktemp("run") / "r"
    before = tree_hashes(ROOT / "notebooks")
    data_before = tree_hashes(ROOT / "data" / "example")
    latest = (
        (ROOT / "reports" / "latest").resolve() if (ROOT / "reports" / "latest").exists() else None
    )
    res = cli(
        "run",
        "--only",
        "00_data_quality",
        "01_site_observations.ipynb",
        "--output",
        str(out),
        "-p",
        "min_cell=10",
        "--no-cache",
    )
    return res, out, before, data_before, latest


def test_run_succeeds_and_writes_only_its_folder(one_run):
    res, out, before, data_before, latest = one_run
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"report: {out / 'index.html'}" in res.stdout
    assert "[1/2] 00_data_quality" in res.stdout and "[2/2] 01_site_observations" in res.stdout
    assert tree_hashes(ROOT / "notebooks") == before, "a run must never write into notebooks/"
    assert tree_hashes(ROOT / "data" / "example") == data_before, "inputs are never modified"
    now = (
        (ROOT / "reports" / "latest").resolve() if (ROOT / "reports" / "latest").exists() else None
    )
    assert now == latest, "--output runs do not move reports/latest"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "00_data_quality.ipynb",
            "00_data_quality.html",
            "01_site_observations.ipynb",
            "01_site_observations.html",
            "index.html",
            "manifest.json",
            "results",
        ]
    )


def test_manifest_contents(one_run):
    _, out, *_ = one_run
    m = json.loads((out / "manifest.json").read_text())
    assert set(m) >= {
        "run_id",
        "started",
        "finished",
        "git",
        "parameters",
        "versions",
        "python",
        "notebooks",
        "inputs",
        "release",
    }
    assert set(m["git"]) == {"commit", "dirty"}
    assert m["parameters"]["min_cell"] == 10 and m["parameters"]["count_family"] == "auto"
    nb = {n["name"]: n for n in m["notebooks"]}
    assert nb["01_site_observations"]["parameters"]["min_cell"] == 10
    assert "min_cell" not in nb["00_data_quality"]["parameters"], (
        "a notebook gets only the keys it declares"
    )
    assert nb["00_data_quality"]["parameters"]["run_dir"] == str(out)
    assert all(
        n["status"] == "ok" and n["seconds"] > 0 and n["start"] and n["end"] for n in m["notebooks"]
    )
    paths = {i["path"] for i in m["inputs"]}
    assert "data/example/observations/counts.csv" in paths and "notebooks/params.yaml" in paths
    counts = next(i for i in m["inputs"] if i["path"] == "data/example/observations/counts.csv")
    import hashlib

    assert counts["sha256"] == hashlib.sha256((ROOT / counts["path"]).read_bytes()).hexdigest()
    assert m["versions"]["pandas"] and m["versions"]["statsmodels"] and m["versions"]["papermill"]
    assert m["release"]["releasable"] is True and m["synthetic"] is True


def test_results_json_contract(one_run):
    _, out, *_ = one_run
    r = json.loads((out / "results" / "01_site_observations.json").read_text())
    for key in ("target_staying_rate_ratio", "drug_sale_rate_ratio"):
        assert set(r[key]) >= {"estimate", "ci_low", "ci_high", "p_value", "family", "n_sessions"}
        assert r[key]["ci_low"] < r[key]["estimate"] < r[key]["ci_high"]
    # issue 15: the key estimates' sensitivity rows travel with the results (01 and 03)
    names = {row["estimate"] for row in r["sensitivity"]}
    assert {"target_staying_rate_ratio", "drug_sale_rate_ratio"} <= names


def test_html_is_self_contained_with_code_hidden(one_run):
    _, out, *_ = one_run
    html = (out / "01_site_observations.html").read_text()
    assert not re.search(r"<script[^>]+src=", html) and not re.search(
        r'<link[^>]+href="https?:', html
    )
    assert "https://cdn" not in html and "cdnjs" not in html
    assert (
        "hl-ipython3" not in html
        and "analyse_site(" not in html
        and "jp-CodeMirrorEditor" not in html.split("</style>")[-1]
    ), "code must be hidden"
    # the run's default language is Swedish (notebooks/params.yaml): title from the sv catalogue,
    # naming the site of the data folder's study.yaml
    from evaluation.i18n import t
    from evaluation.sources.study import load_study

    site = load_study(ROOT / "data" / "example").site_name("sv")
    title = t("nb01.intro", "sv", group="", site=site, questions="").splitlines()[0].lstrip("# ")
    assert title.startswith("01 Platsobservationer") and site in title
    assert f"<title>{title}</title>" in html and 'class="sergel-toc"' in html
    assert "data:image/png;base64," in html
    index = (out / "index.html").read_text()
    assert "01_site_observations.html" in index and 'class="banner synthetic"' in index


def test_existing_output_refused(tmp_path):
    (tmp_path / "x").write_text("keep me")
    res = cli("run", "--only", "00_data_quality", "--output", str(tmp_path))
    assert res.returncode == 2 and "not empty" in res.stderr
    assert (tmp_path / "x").read_text() == "keep me"


def test_unknown_parameter_lists_declared():
    res = cli("run", "-p", "famly=poisson")
    assert res.returncode == 2
    assert (
        "famly (from -p)" in res.stderr
        and "count_family" in res.stderr.split("declared parameters are:")[1]
    )


def test_unknown_notebook():
    res = cli("run", "--only", "99_nothing")
    assert res.returncode == 2 and "00_data_quality" in res.stderr


@pytest.fixture
def failing_project(tmp_path):
    proj = tmp_path / "proj"
    (proj / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Fails\n\nA notebook that fails on purpose."),
        nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print('before')"),
        nbformat.v4.new_code_cell("raise ValueError('planted failure')"),
        nbformat.v4.new_code_cell("print('never')"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, proj / "notebooks" / "00_fails.ipynb")
    (proj / "notebooks" / "params.yaml").write_text("x: 2\n")
    return proj


def test_failing_notebook(failing_project):
    before = tree_hashes(failing_project / "notebooks")
    res = cli(
        "run", "--no-cache", env={"SERGEL_EVAL_ROOT": str(failing_project)}, cwd=failing_project
    )
    assert res.returncode == 1
    assert "notebook 00_fails.ipynb failed in cell 3" in res.stderr
    assert "ValueError: planted failure" in res.stderr
    m = re.search(r"partly executed notebook is kept at (\S+)", res.stderr)
    partial = Path(m.group(1))
    assert partial.exists()
    nb = nbformat.read(partial, as_version=4)
    assert any(
        "before" in "".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells
    )
    run_dir = partial.parent
    man = json.loads((run_dir / "manifest.json").read_text())
    assert (
        man["notebooks"][0]["status"] == "failed"
        and man["notebooks"][0]["error"]["ename"] == "ValueError"
    )
    assert tree_hashes(failing_project / "notebooks") == before
    assert (failing_project / "reports" / "latest").resolve() == run_dir.resolve()


@pytest.mark.parametrize("kernels", ["auto", "fresh"])
def test_kernel_that_dies_is_reported_not_retried(failing_project, kernels):
    # the kernel process ends in the middle of cell 3 (as after running out of memory)
    path = failing_project / "notebooks" / "00_fails.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[3].source = "import os\nos._exit(3)"
    nbformat.write(nb, path)
    res = cli(
        "run",
        "--no-cache",
        "--kernels",
        kernels,
        env={"SERGEL_EVAL_ROOT": str(failing_project)},
        cwd=failing_project,
        timeout=120,  # a kernel death must not hang the run
    )
    assert res.returncode == 1
    assert "notebook 00_fails.ipynb failed in cell 3" in res.stderr
    assert "DeadKernelError" in res.stderr and "the kernel process ended" in res.stderr
    assert "the cell starts: import os" in res.stderr
    assert res.stderr.count("Kernel died while waiting") == 1  # no retries of a running notebook
    m = re.search(r"partly executed notebook is kept at (\S+)", res.stderr)
    assert Path(m.group(1)).exists()


def test_release_gate_names_the_leak(data_copy, tmp_path):
    t = data_copy / "focus_groups" / "transcripts" / "fg2_ungdomsjour.txt"
    text = t.read_text(encoding="utf-8")
    # a name from the register and a valid personal identity number, planted in a turn
    text = text.replace("] UJ1: ", "] UJ1: Karin Lindqvist sa det, hennes nummer 811218-9876. ", 1)
    t.write_text(text, encoding="utf-8")
    out = tmp_path / "rel"
    res = cli(
        "run",
        "--release",
        "--no-cache",
        "--only",
        "02_focus_groups",
        "--data",
        str(data_copy),
        "--output",
        str(out),
    )
    assert res.returncode == 1, res.stdout + res.stderr
    assert "NOT FOR RELEASE" in res.stdout and "02_focus_groups" in res.stdout
    assert "identifier" in res.stdout and "personnummer" in res.stdout
    assert "Lindqvist" not in res.stdout + res.stderr
    m = json.loads((out / "manifest.json").read_text())
    assert m["release"]["releasable"] is False
    # the index is in the run's language (Swedish by default): the release banner by its class
    assert 'class="banner notrelease"' in (out / "index.html").read_text()
