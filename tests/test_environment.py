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
    for lib in ("jupyterlab", "pandas", "statsmodels", "seaborn", "papermill", "nbval", "pyyaml"):
        assert lib in names, lib
