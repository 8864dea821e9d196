"""Parameter layering: defaults, --params file, -p overrides, and their errors."""

import pytest

from evaluation.config import load_params, params_for, parse_override
from evaluation.errors import ParameterError

DECLARED = {
    "01": {"data_dir": "x", "seed": 1, "family": "auto"},
    "03": {"data_dir": "x", "intervention": "2019-06", "run_dir": ""},
}


@pytest.fixture
def defaults(tmp_path):
    p = tmp_path / "params.yaml"
    p.write_text("data_dir: data/example\nseed: 1\nfamily: auto\n")
    return p


def test_layers_later_wins(defaults, tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("seed: 2\nintervention: '2020-06'\n")
    params = load_params(defaults, user, ["seed=3", "family=negbin"], DECLARED)
    assert params == {
        "data_dir": "data/example",
        "seed": 3,
        "family": "negbin",
        "intervention": "2020-06",
    }


def test_values_are_yaml_scalars():
    assert parse_override("seed=7") == ("seed", 7)
    assert parse_override("hac_lags=null") == ("hac_lags", None)
    assert parse_override("x=1.5") == ("x", 1.5)
    assert parse_override("flag=true") == ("flag", True)
    assert parse_override("name=a=b") == ("name", "a=b")


def test_unknown_key_lists_declared(defaults):
    with pytest.raises(ParameterError) as exc:
        load_params(defaults, None, ["sed=3"], DECLARED)
    msg = str(exc.value)
    assert "sed (from -p)" in msg
    assert "data_dir, family, intervention, seed" in msg
    assert "run_dir" not in msg.split("declared parameters are:")[1]


def test_unknown_key_in_params_file_names_file(defaults, tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("colour: red\n")
    with pytest.raises(ParameterError, match="colour \\(from .*mine.yaml\\)"):
        load_params(defaults, user, [], DECLARED)


def test_reserved_key_refused(defaults):
    with pytest.raises(ParameterError, match="run_dir"):
        load_params(defaults, None, ["run_dir=/tmp"], DECLARED)


def test_bad_override_and_missing_file(defaults, tmp_path):
    with pytest.raises(ParameterError, match="key=value"):
        load_params(defaults, None, ["novalue"], DECLARED)
    with pytest.raises(ParameterError, match="no such file"):
        load_params(defaults, tmp_path / "absent.yaml", [], DECLARED)


def test_params_file_must_be_mapping(defaults, tmp_path):
    user = tmp_path / "list.yaml"
    user.write_text("- a\n- b\n")
    with pytest.raises(ParameterError, match="mapping"):
        load_params(defaults, user, [], DECLARED)


def test_each_notebook_gets_only_its_keys():
    params = {"data_dir": "d", "seed": 3, "intervention": "2019-06"}
    assert params_for(params, DECLARED["01"]) == {"data_dir": "d", "seed": 3}
    assert params_for(params, DECLARED["03"]) == {"data_dir": "d", "intervention": "2019-06"}


def test_project_defaults_are_all_declared(root):
    """Every key of notebooks/params.yaml is declared by a notebook, with the same default."""
    from evaluation.pipeline import declared_parameters, discover_notebooks

    declared = {p.stem: declared_parameters(p) for p in discover_notebooks(root / "notebooks")}
    params = load_params(root / "notebooks" / "params.yaml", None, [], declared)
    for key, value in params.items():
        defaults = {nb: d[key] for nb, d in declared.items() if key in d}
        assert defaults, key
        for nb, default in defaults.items():
            assert default == value, f"{nb}: {key} default {default!r} != params.yaml {value!r}"


# ----------------------------------------------------------------------------- hostile values
#: A "billion laughs" as one flow-style value: 9 ** 9 values once its aliases are expanded.
BOMB = (
    "[&a [x,x,x,x,x,x,x,x,x]"
    + "".join(
        f", &{n} [" + ",".join([f"*{p}"] * 9) + "]"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]"
)


def test_alias_bomb_in_an_override_is_refused():
    with pytest.raises(ParameterError, match=r"-p covariates: .*aliases"):
        parse_override("covariates=" + BOMB)


def test_override_mapping_is_a_plain_dict_and_shown_in_messages():
    from evaluation.config import check_value

    key, value = parse_override("x={a: 1}")
    assert type(value) is dict
    assert check_value(key, value, {"type": "integer"}).startswith("x = {a: 1} is not allowed")


def _tiny_project(tmp_path, schema: bool = True):
    """A project of one one-cell notebook (parameters x and data_dir)."""
    import shutil

    import nbformat

    from .conftest import ROOT

    proj = tmp_path / "proj"
    (proj / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny"),
        nbformat.v4.new_code_cell("x = 1\ny = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(x)"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, proj / "notebooks" / "00_tiny.ipynb")
    (proj / "notebooks" / "params.yaml").write_text("x: 2\n")
    if schema:
        (proj / "notebooks" / "params.schema.yaml").write_text(
            "x: {type: integer, minimum: 0}\ny: {type: integer}\n"
        )
    return proj


BAD_PARAMETERS = [
    ("value", ["-p", "x=-1"], None, "not allowed"),
    ("bomb", ["-p", "x=" + BOMB], None, "aliases"),
    ("bad-yaml-file", ["--params", "{p}"], "x: [1,\n", "parameter file"),
    ("bomb-file", ["--params", "{p}"], "x: " + BOMB + "\n", "aliases"),
]


CASES = [(c, True) for c in BAD_PARAMETERS] + [(c, False) for c in BAD_PARAMETERS if c[0] == "bomb"]


@pytest.mark.parametrize(
    ("case", "schema"),
    CASES,
    ids=[c[0] + ("" if schema else "-no-schema") for c, schema in CASES],
)
def test_bad_parameters_stop_before_any_run_folder(tmp_path, case, schema):
    """Every parameter is checked before the run folder is made: exit 2, fast, with the
    problem named, and no (empty) run folder left in reports/."""
    import time

    from .conftest import cli

    name, args, file_text, words = case
    proj = _tiny_project(tmp_path, schema)
    pfile = tmp_path / "mine.yaml"
    if file_text is not None:
        pfile.write_text(file_text)
    args = [a.replace("{p}", str(pfile)) for a in args]
    t0 = time.perf_counter()
    res = cli("run", "--no-cache", *args, env={"SERGEL_EVAL_ROOT": str(proj)}, cwd=proj, timeout=60)
    assert time.perf_counter() - t0 < 30
    assert res.returncode == 2, res.stdout + res.stderr
    assert words in res.stderr and "Traceback" not in res.stderr
    reports = proj / "reports"
    left = [p.name for p in reports.iterdir() if p.name != ".cache"] if reports.exists() else []
    assert left == [], f"run folder left behind: {left}"
