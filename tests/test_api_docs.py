"""Every public function and class of the package documents itself with a runnable example.

Issue 17: "every public function has a numpydoc docstring with a runnable Examples
section (doctests run in make test)". pytest's ``--doctest-modules`` runs the
examples; this test makes sure there is one to run. Public means: listed in the
module's ``__all__`` (a module without ``__all__`` fails: it must say what is
public) and defined in that module (re-exports are checked where they live).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import evaluation


def _public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(evaluation.__path__, "evaluation."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts):
            continue
        names.append(info.name)
    return sorted(names)


MODULES = _public_modules()


def _public_objects(modname: str) -> list[tuple[str, object]]:
    mod = importlib.import_module(modname)
    out = []
    for name in getattr(mod, "__all__", ()):
        obj = getattr(mod, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) != modname:
            continue  # a re-export: checked in the module that defines it
        out.append((name, obj))
    return out


def test_the_walk_finds_the_package():
    # a walk that found nothing would make the checks below pass vacuously
    assert len(MODULES) > 40
    assert "evaluation.stats.rates" in MODULES


@pytest.mark.parametrize("modname", MODULES)
def test_module_declares_what_is_public(modname):
    mod = importlib.import_module(modname)
    if not inspect.getsourcefile(mod):  # pragma: no cover - namespace packages
        return
    assert hasattr(mod, "__all__"), f"{modname} has no __all__: list its public names"
    missing = [n for n in mod.__all__ if not hasattr(mod, n)]
    assert not missing, f"{modname}.__all__ names what the module lacks: {missing}"


@pytest.mark.parametrize("modname", MODULES)
def test_every_public_callable_has_a_runnable_example(modname):
    lacking = []
    for name, obj in _public_objects(modname):
        doc = inspect.getdoc(obj) or ""
        if "Examples" not in doc or ">>>" not in doc:
            lacking.append(name)
    assert not lacking, (
        f"{modname}: public names without an 'Examples' section with a >>> line: "
        + ", ".join(lacking)
    )


#: issue 17: "no module in evaluation/ over 500 lines"
MAX_LINES = 500


def test_no_module_over_500_lines():
    root = evaluation.__path__[0]
    import pathlib

    files = sorted(pathlib.Path(root).rglob("*.py"))
    assert len(files) > 40  # the walk found the package
    long = {
        str(f.relative_to(root)): n
        for f in files
        if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
