"""Run status from the results contract: ok | incomplete | failed, exit codes 0 / 3 / 1."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from .conftest import ROOT, cli


def _notebook(path, results: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {path.stem}\n\nA tiny notebook."),
        nbformat.v4.new_code_cell('run_dir = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "from evaluation.report import write_results\n"
            f'write_results(run_dir, "{path.stem}", {results})'
        ),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path):
    proj = tmp_path / "proj"
    (proj / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    _notebook(
        proj / "notebooks" / "00_fine.ipynb",
        '{"schema": 1, "notebook": "00_fine", "incomplete": []}',
    )
    _notebook(proj / "notebooks" / "01_old.ipynb", '{"x": 1}')  # no 'incomplete': ok
    _notebook(
        proj / "notebooks" / "02_partial.ipynb",
        '{"schema": 1, "notebook": "02_partial", "summary": ["One sentence."], '
        '"incomplete": [{"result": "target_staying_rate_ratio", '
        '"why": "only one activation state in the data"}]}',
    )
    return proj


def test_incomplete_exits_3_and_says_what_and_why(project):
    env = {"SERGEL_EVAL_ROOT": str(project)}
    res = cli("run", "--output", str(project / "out"), env=env, cwd=project)
    assert res.returncode == 3, res.stdout + res.stderr
    out = res.stdout + res.stderr
    assert "02_partial: INCOMPLETE" in out
    assert "target_staying_rate_ratio: only one activation state in the data" in out
    assert "--allow-incomplete" in res.stderr
    m = json.loads((project / "out" / "manifest.json").read_text())
    st = {n["name"]: n["status"] for n in m["notebooks"]}
    assert st == {"00_fine": "ok", "01_old": "ok", "02_partial": "incomplete"}
    assert m["status"] == "incomplete"
    part = next(n for n in m["notebooks"] if n["name"] == "02_partial")
    assert part["incomplete"] == [
        {"result": "target_staying_rate_ratio", "why": "only one activation state in the data"}
    ]
    index = (project / "out" / "index.html").read_text()
    assert "incomplete" in index and "only one activation state in the data" in index
    assert "One sentence." in index  # the summary of whichever results carry one

    res = cli("run", "--allow-incomplete", "--output", str(project / "out2"), env=env, cwd=project)
    assert res.returncode == 0, res.stdout + res.stderr
    # from the cache: still incomplete, still said
    m = json.loads((project / "out2" / "manifest.json").read_text())
    assert m["status"] == "incomplete" and all(n["cached"] for n in m["notebooks"])
    assert "target_staying_rate_ratio" in res.stdout


def test_all_ok_exits_0_and_quiet_prints_little(project):
    (project / "notebooks" / "02_partial.ipynb").unlink()
    env = {"SERGEL_EVAL_ROOT": str(project)}
    res = cli("run", "-q", "--no-cache", "--output", str(project / "q"), env=env, cwd=project)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip().splitlines() == [f"report: {project / 'q' / 'index.html'}"]
    assert json.loads((project / "q" / "manifest.json").read_text())["status"] == "ok"
    res = cli("run", "-v", "--output", str(project / "v"), env=env, cwd=project)
    assert res.returncode == 0
    assert "no cache entry" in res.stdout and "parameters {" in res.stdout
    res = cli("run", "-v", "--output", str(project / "v2"), env=env, cwd=project)
    assert "from the cache (" in res.stdout


def test_exit_codes_documented():
    res = cli("run", "--help")
    assert res.returncode == 0
    for code in ("0 ", "1 ", "2 ", "3 "):
        assert f"\n  {code} " in res.stdout
    assert "--allow-incomplete" in res.stdout and "--quiet" in res.stdout
    readme = (ROOT / "README.md").read_text()
    assert "--allow-incomplete" in readme and "| 3 |" in readme


def test_default_run_prints_the_latest_path(project):
    """`make report` ends with reports/latest/index.html, as the README says (issue 20.9)."""
    (project / "notebooks" / "02_partial.ipynb").unlink()
    env = {"SERGEL_EVAL_ROOT": str(project)}
    res = cli("run", env=env, cwd=project)
    assert res.returncode == 0, res.stdout + res.stderr
    latest = project / "reports" / "latest"
    assert f"report: {latest / 'index.html'}" in res.stdout
    assert (latest / "index.html").exists()
    # a partial run names its own folder and leaves latest alone
    before = latest.resolve()
    res = cli("run", "--only", "00_fine", env=env, cwd=project)
    assert res.returncode == 0 and "reports/latest" not in res.stdout
    assert latest.resolve() == before
