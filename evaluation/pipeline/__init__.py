"""Run the notebooks with papermill into a new run folder.

This is the only package that starts kernels (through papermill; on Linux they
are forked from a preloaded server, :mod:`evaluation.kernelpool`). A run
(:func:`run`) has four steps, one module each:

1. **plan** (:mod:`~evaluation.pipeline.plan`): find ``notebooks/NN_*.ipynb``
   (numeric order) and the parameters each declares (``papermill.inspect_notebook``);
   with ``only``, take those notebooks and every notebook they need
   (``sergel.needs`` in their metadata); layer the parameters
   (:mod:`evaluation.config`) and check every value against
   ``notebooks/params.schema.yaml`` before anything runs; create the run folder
   ``reports/<YYYYMMDD-HHMMSS>[-N]/`` (or ``--output``, never inside an input folder);
2. **schedule** (:mod:`~evaluation.pipeline.scheduler`): run up to ``jobs``
   notebooks at once, each when the notebooks it needs are done;
3. **run one notebook** (:mod:`~evaluation.pipeline.execute`): take it from the
   cache (:mod:`evaluation.cache`) or execute it, giving it only the keys it
   declares plus ``run_dir``, and render it to self-contained HTML (code hidden);
4. **manifest** (:mod:`~evaluation.pipeline.manifest`): with ``pdf``, print
   ``report.pdf``; then the release check over every file of the run folder
   (the PDF included); write ``manifest.json`` and ``index.html``; point
   ``reports/latest`` at the run when it holds every notebook.

Each notebook ends ``ok``, ``incomplete`` (its results JSON lists key results it
could not compute, ``incomplete: [{"result", "why"}]``), ``failed`` or
``skipped`` (a notebook it needs failed); the run's status is the worst of them
(:func:`run_status`). A failure does not stop the run: the notebooks that need
the failed one are skipped and every independent notebook still runs. A
notebook that fails keeps its partly executed copy; the error names the
notebook, the cell and the exception, and the manifest records it. The
pipeline knows no notebook by name: the index summary is the ``summary`` of
whichever results carry one.

Examples
--------
>>> from evaluation.pipeline import plan_run
>>> [nb.stem for nb in plan_run(only=["00_data_quality"], cache=False).chosen]
['00_data_quality']
"""

from __future__ import annotations

from .execute import KERNEL, NotebookRunner, Output, folders_read, incomplete_results
from .housekeeping import clean_runs, refresh_notebooks
from .manifest import (
    KEY_PACKAGES,
    PdfOutcome,
    add_pdf,
    finish_run,
    record_notebooks,
    run_status,
    start_manifest,
    summaries,
)
from .plan import (
    RunPlan,
    declared_parameters,
    discover_notebooks,
    make_run_dir,
    new_run_dir,
    notebook_needs,
    plan_run,
    read_notebook_json,
    select,
    with_needs,
)
from .runner import RunResult, run
from .scheduler import LazyPool, schedule, use_pool

__all__ = [
    "discover_notebooks",
    "declared_parameters",
    "notebook_needs",
    "with_needs",
    "new_run_dir",
    "run",
    "RunResult",
    "run_status",
    "incomplete_results",
    "refresh_notebooks",
    "clean_runs",
    "KEY_PACKAGES",
    "add_pdf",
    "plan_run",
    "RunPlan",
    "make_run_dir",
    "schedule",
    "use_pool",
    "LazyPool",
    "NotebookRunner",
    "Output",
    "start_manifest",
    "record_notebooks",
    "finish_run",
    "PdfOutcome",
    "summaries",
    "folders_read",
    "read_notebook_json",
    "select",
    "KERNEL",
]
