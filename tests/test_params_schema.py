"""One meaning per parameter: notebooks/params.yaml, params.schema.yaml and the notebooks'
parameters cells agree, and every value is checked before any notebook starts."""

from __future__ import annotations

import json

import pytest

from evaluation.config import check_params, check_value, load_params, load_schema
from evaluation.errors import ParameterError
from evaluation.pipeline import declared_parameters, discover_notebooks
from evaluation.yamlio import load_yaml_file

from .conftest import ROOT, cli

NB = ROOT / "notebooks"


@pytest.fixture(scope="module")
def schema():
    return load_schema(NB / "params.schema.yaml")


@pytest.fixture(scope="module")
def declared():
    return {p.stem: declared_parameters(p) for p in discover_notebooks(NB)}


def test_params_yaml_schema_and_cells_have_the_same_keys(schema, declared):
    defaults = load_yaml_file(NB / "params.yaml")
    in_cells = {k for d in declared.values() for k in d} - {"run_dir"}
    assert set(defaults) == set(schema) == in_cells


def test_cells_hold_the_params_yaml_values(declared):
    """The one source of truth: a notebook run by hand (JupyterLab) uses params.yaml's values."""
    defaults = load_yaml_file(NB / "params.yaml")
    for nb, params in declared.items():
        for key, value in params.items():
            if key != "run_dir":
                assert value == defaults[key], (
                    f"{nb}: {key} = {value!r}, params.yaml {defaults[key]!r}"
                )


def test_defaults_pass_the_schema(schema):
    check_params(load_yaml_file(NB / "params.yaml"), schema)


def test_parameters_cells_say_evaluation_run_overrides_them():
    for path in discover_notebooks(NB):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        (cell,) = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        src = "".join(cell["source"])
        assert "`evaluation run` overrides these values from notebooks/params.yaml" in src, path


def test_one_key_one_meaning(declared):
    # 'family' meant the count model in 01 and the ITS in 03 (which also allows quasipoisson)
    assert all("family" not in d for d in declared.values())
    assert "count_family" in declared["01_site_observations"]
    assert "its_family" in declared["03_crime_and_safety"]


@pytest.mark.parametrize(
    "key, value, ok",
    [
        ("min_cell", 5, True),
        ("min_cell", "five", False),
        ("min_cell", 0, False),
        ("min_cell", 5.5, False),
        ("min_cell", True, False),
        ("count_family", "negbin", True),
        ("count_family", "quasipoisson", False),
        ("its_family", "quasipoisson", True),
        ("its_family", "bogus", False),
        ("language", "de", False),
        ("target_age_band", "teens", False),
        ("activation_states", ["art"], True),
        ("activation_states", [], False),
        ("activation_states", ["art", "art"], False),
        ("activation_states", "art", False),
        ("covariates", [], True),
        ("covariates", ["zone", "colour"], False),
        ("intervention", "2020-06", True),
        ("intervention", "2020-13", False),
        ("intervention", "2020-6", False),
        ("its_end", None, True),
        ("hac_lags", None, True),
        ("hac_lags", -1, False),
        ("cluster", None, True),
        ("seasonality", "weekly", False),
        ("data_dir", "", False),
        ("results_dir", "", True),
    ],
)
def test_check_value_table(schema, key, value, ok):
    msg = check_value(key, value, schema[key])
    assert (msg is None) == ok, msg
    if not ok:
        assert msg.startswith(f"{key} = ") and "expected" in msg


def test_every_wrong_value_named_with_its_origin(schema, declared, tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("language: de\n")
    with pytest.raises(ParameterError) as exc:
        load_params(
            NB / "params.yaml", user, ["min_cell=five", "its_family=bogus"], declared, schema
        )
    msg = str(exc.value)
    assert "min_cell = 'five' is not allowed; expected a whole number >= 1 (from -p)" in msg
    assert (
        "its_family = 'bogus' is not allowed; expected one of auto, poisson, quasipoisson, negbin"
        in msg
    )
    assert f"language = 'de' is not allowed; expected one of sv, en (from {user})" in msg


@pytest.mark.parametrize(
    "arg, expect",
    [
        ("min_cell=five", "min_cell = 'five' is not allowed; expected a whole number >= 1"),
        ("its_family=bogus", "its_family = 'bogus' is not allowed; expected one of auto, poisson"),
        ("count_family=quasipoisson", "count_family = 'quasipoisson' is not allowed"),
        ("family=quasipoisson", "family (from -p)"),
    ],
)
def test_cli_refuses_a_wrong_value_before_any_notebook(tmp_path, arg, expect):
    out = tmp_path / "never"
    res = cli("run", "-p", arg, "--output", str(out), "--no-cache")
    assert res.returncode == 2, res.stdout + res.stderr
    assert expect in res.stderr
    assert "Traceback" not in res.stderr
    assert not out.exists(), "nothing runs, no run folder"


def test_missing_data_folder_names_the_absolute_path(tmp_path):
    res = cli("run", "--data", "nowhere/at/all", cwd=tmp_path)
    assert res.returncode == 2
    assert str(tmp_path / "nowhere" / "at" / "all") in res.stderr
