"""The benchmark's floors still run (``make bench`` is not part of ``make test``,
so without this its code could rot unseen)."""

import importlib.util

import pytest

from .conftest import EXAMPLE, ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_floor_runs_every_notebook_cell_in_one_process(bench):
    # raises (CalledProcessError) when a cell fails or no figure or table was rendered
    bench.floor_notebooks(ROOT, EXAMPLE)


def test_floor_of_the_analysis_functions_runs(bench):
    bench.floor_analyses(EXAMPLE)
