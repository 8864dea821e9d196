"""evaluation.notebook: the one setup call of every notebook (issue 17)."""

from __future__ import annotations

import re

import nbformat
import pytest

from evaluation import i18n
from evaluation.errors import ParameterError
from evaluation.notebook import setup, study_questions
from evaluation.sources.study import load_study, study_from_text

from .conftest import EXAMPLE, ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
ODENPLAN = ROOT / "data" / "example-odenplan"


@pytest.fixture(autouse=True)
def _forget_study():
    yield
    i18n.use_study(None)


def test_setup_takes_none_from_the_study_and_keeps_what_is_given():
    study = load_study(ODENPLAN)
    ds, s, p, pretty = setup(
        ODENPLAN, "en", area=None, comparison_areas=["stockholm"], intervention=None
    )
    assert s == study == ds.study
    assert p["area"] == study.site_area and p["comparison_areas"] == ["stockholm"]
    # study.yaml's study.intervention (data/example-odenplan/study.yaml)
    assert p["intervention"] == study.intervention == "2019-06"
    # the study's labels are used from now on (zones of the second study)
    zone = study.codes("zones")[0]
    assert i18n.label(zone, "sv") == study.label(zone, "sv")


def test_setup_without_data_loads_no_dataset():
    ds, study, p, _ = setup(EXAMPLE, "sv", data=False)
    assert ds is None and p == {} and study.site_name("sv")


def test_a_parameter_naming_an_unknown_code_is_a_parameter_error():
    with pytest.raises(ParameterError, match="area: 'nowhere' is not one of the study's areas"):
        setup(EXAMPLE, "sv", data=False, area="nowhere")


def test_an_intervention_neither_given_nor_in_the_study_says_where_to_give_it():
    text = (EXAMPLE / "study.yaml").read_text(encoding="utf-8")
    study = study_from_text(re.sub(r"\n  intervention: .*", "", text))
    assert study.intervention is None
    from evaluation.sources.study import study_defaults

    with pytest.raises(ParameterError, match="study.intervention in study.yaml"):
        study_defaults(study, intervention=None)
    assert study_defaults(study, intervention="2020-01")["intervention"] == "2020-01"


def test_study_questions_follow_the_results_each_notebook_computes():
    study = load_study(EXAMPLE)
    q01 = study_questions(study, "01", "en")
    for q in study.questions:
        from_01 = any(r.endswith("rate_ratio") or r == "co_presence" for r in q.results)
        assert (q.text["en"] in q01) == from_01, q.id
    assert study_questions(study, "03", "sv").startswith("\n\n**Studiens frågor")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_is_set_up_by_one_call(path):
    cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    first = next(c for c in cells if "parameters" not in c.metadata.get("tags", []))
    assert "from evaluation.notebook import setup" in first.source
    assert len(re.findall(r"\bsetup\(", first.source)) == 1
    source = "\n".join(c.source for c in cells)
    for repeated in ("notebook_setup(", "load_dataset(", "use_study(", "open_study(", "partial("):
        assert repeated not in source, f"{path.name}: {repeated} is setup()'s job"


def _package_calls(path):
    """(call text, function) of every call in a notebook's code cells to a function it
    imports from the package (``f(...)`` or ``module.f(...)``)."""
    import ast
    import importlib
    import types

    cells = nbformat.read(path, as_version=4).cells
    source = "\n".join(
        c.source
        for c in cells
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    )
    tree = ast.parse(source)
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("evaluation"):
            module = importlib.import_module(node.module)
            for a in node.names:
                obj = getattr(module, a.name, None)
                if obj is None:  # a submodule (from evaluation import plots)
                    obj = importlib.import_module(f"{node.module}.{a.name}")
                names[a.asname or a.name] = obj
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f, obj = node.func, None
        if isinstance(f, ast.Name):
            obj = names.get(f.id)
        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            module = names.get(f.value.id)
            obj = getattr(module, f.attr, None) if isinstance(module, types.ModuleType) else None
        if callable(obj):
            yield node, obj


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_pass_their_parameters_rather_than_rely_on_package_defaults(path):
    """notebooks/params.yaml is the one home of the defaults: a package function called
    with a parameter the notebook declares gets the notebook's value, never the default
    in its own signature (a third copy that could silently differ)."""
    import ast
    import inspect

    from evaluation.pipeline import declared_parameters

    declared = set(declared_parameters(path))
    missing = []
    for call, func in _package_calls(path):
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            continue
        try:
            sig = inspect.signature(func)
            bound = sig.bind_partial(*call.args, **{k.arg: k.value for k in call.keywords})
        except (TypeError, ValueError):
            continue
        for name, p in sig.parameters.items():
            has_default = p.default is not inspect.Parameter.empty and p.default is not None
            if name in declared and has_default and name not in bound.arguments:
                missing.append(f"{ast.unparse(call.func)}: {name} (default {p.default!r})")
    assert not missing, f"{path.name}: pass the parameter explicitly: " + "; ".join(missing)
