"""pyproject.toml and environment.yml list the same runtime dependencies."""

import re
import tomllib

import yaml

from .conftest import ROOT

CONDA_NAMES = {"pyyaml": "pyyaml"}  # PyPI name -> conda-forge name where they differ


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].strip().lower()


def test_pyproject_and_environment_agree():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = {_name(d) for d in pyproject["project"]["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert {CONDA_NAMES.get(n, n) for n in runtime} == conda


def test_python_versions_agree():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    py = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert py.replace("python", "") == pyproject["project"]["requires-python"]


def test_required_libraries_present():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    names = {_name(d) for d in pyproject["project"]["dependencies"]}
    for lib in ("jupyterlab", "pandas", "statsmodels", "seaborn", "papermill", "pyyaml"):
        assert lib in names, lib


#: Test and lint tools: the dev extra only, never installed by `make report` (issue 20.8).
DEV_ONLY = (
    "pytest",
    "nbval",
    "playwright",
    "hypothesis",
    "ruff",
    "xmlschema",
    "pytest-benchmark",
    "import-linter",
    "mypy",
)


def test_lean_runtime_dependencies():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = {_name(d) for d in pyproject["project"]["dependencies"]}
    dev = {_name(d) for d in pyproject["project"]["optional-dependencies"]["dev"]}
    for lib in DEV_ONLY:
        assert lib not in runtime, f"{lib} is a test tool: dev extra only"
        assert lib in dev, lib


def _make_dry_run(target: str) -> str:
    import shutil
    import subprocess

    import pytest

    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    res = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_make_report_installs_runtime_only():
    report = _make_dry_run("report")
    assert "pip install --quiet -e ." in report and "[dev]" not in report
    for target in ("test", "lint"):
        assert "pip install --quiet -e '.[dev]'" in _make_dry_run(target), target


def test_make_lab_runs_evaluation_lab():
    assert ".venv/bin/evaluation lab" in _make_dry_run("lab")


def test_a_run_needs_no_test_tool(tmp_path):
    """`make report` installs no test tool, so a run must not import one: run every notebook
    with the dev-only packages made unimportable (kernels inherit the block)."""
    import os
    import subprocess
    import sys

    block = tmp_path / "block"
    block.mkdir()
    blocked = ("pytest", "_pytest", "nbval", "playwright", "hypothesis", "xmlschema")
    # as if not installed: the path finder does not see them (find_spec gives None)
    (block / "sitecustomize.py").write_text(
        "import sys\n"
        "import importlib.machinery as m\n"
        f"BLOCKED = {set(blocked)!r}\n"
        "class PathFinder(m.PathFinder):\n"
        "    @classmethod\n"
        "    def find_spec(cls, name, path=None, target=None):\n"
        "        if name.split('.')[0] in BLOCKED:\n"
        "            return None\n"
        "        return m.PathFinder.find_spec(name, path, target)\n"
        "sys.meta_path[:] = [PathFinder if f is m.PathFinder else f for f in sys.meta_path]\n"
    )
    env = dict(os.environ, PYTHONPATH=str(block))
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluation.cli",
            "run",
            "--no-cache",
            "-q",
            "--output",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    check = subprocess.run(
        [sys.executable, "-c", "import pytest"], env=env, capture_output=True, text=True
    )
    assert "ModuleNotFoundError" in check.stderr, "the block works"
