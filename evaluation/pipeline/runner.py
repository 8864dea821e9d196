"""``run``: plan, schedule, run each notebook, write the manifest (see :mod:`evaluation.pipeline`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache import CACHE_DIR
from ..errors import EvaluationError, NotebookError
from ..marker import MARKER, synthetic_status
from ..paths import REPORTS
from .execute import NotebookRunner, Output
from .manifest import finish_run, record_notebooks, run_status, start_manifest
from .plan import RunPlan, make_run_dir, plan_run
from .scheduler import LazyPool, n_jobs, schedule, use_pool

__all__ = ["run", "RunResult"]

#: The banner of every page of a report made from the synthetic example data.
SYNTHETIC_BANNER = "Syntetiska exempeldata / synthetic example data"


@dataclass
class RunResult:
    """What a run produced.

    Attributes
    ----------
    run_dir : Path
        The run folder.
    manifest : dict
        Its ``manifest.json``.
    failed : list of str
        The notebooks that failed, in the order they ended.
    error : NotebookError, optional
        The first failure.
    latest : Path, optional
        ``reports/latest`` when the run became the latest report.
    pdf : Path, optional
        ``report.pdf`` when the run printed one (``pdf=True``).
    pdf_error : EvaluationError, optional
        Why the PDF asked for could not be printed.

    Examples
    --------
    >>> r = RunResult(Path("reports/x"), {"notebooks": [{"status": "incomplete"}]})
    >>> r.ok, r.status, r.shown_index.as_posix()
    (True, 'incomplete', 'reports/x/index.html')
    """

    run_dir: Path
    manifest: dict[str, Any]
    failed: list[str] = field(default_factory=list)
    error: NotebookError | None = None
    latest: Path | None = None
    pdf: Path | None = None
    pdf_error: EvaluationError | None = None

    @property
    def index(self) -> Path:
        """The run's ``index.html``."""
        return self.run_dir / "index.html"

    @property
    def shown_index(self) -> Path:
        """The index page as the user should open it: through ``reports/latest`` when the
        run became the latest report, else in the run folder."""
        return self.latest / "index.html" if self.latest is not None else self.index

    @property
    def ok(self) -> bool:
        """Whether no notebook failed."""
        return not self.failed

    @property
    def status(self) -> str:
        """``ok``, ``incomplete`` (every notebook ran, some without key results) or ``failed``
        (a notebook failed or was skipped)."""
        return run_status(self.manifest.get("notebooks", []))


def _point_latest(reports: Path, run_dir: Path) -> None:
    link = reports / "latest"
    tmp = reports / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_dir.name, target_is_directory=True)
    os.replace(tmp, link)


def _announce(plan: RunPlan, run_dir: Path, manifest: dict[str, Any], out: Output) -> None:
    """The first lines of a run: its folder, a marker that does not match, what --only added."""
    out.say(f"run folder: {run_dir}")
    data_dir = plan.params.get("data_dir")
    if not manifest["synthetic"] and synthetic_status(data_dir) == "mismatch":
        out.warn(
            f"note: {Path(str(data_dir)) / MARKER} does not match the files of the data"
            " folder (copied from the example and changed?): the report does not call these"
            " data synthetic; delete the marker from a folder of real data"
        )
    extra = [p.stem for p in plan.chosen if p not in plan.requested]
    if extra:
        out.say(
            f"also {', '.join(extra)}: needed by the notebooks asked for "
            "(from the cache when current, otherwise run first)"
        )


def run(
    params_file: str | Path | None = None,
    overrides: Iterable[str] = (),
    only: Iterable[str] | None = None,
    output: str | Path | None = None,
    data: str | Path | None = None,
    release: bool = False,
    notebooks_dir: str | Path | None = None,
    progress: Callable[[str], None] | None = print,
    jobs: int | None = None,
    force: bool = False,
    cache: bool = True,
    kernels: str = "auto",
    verbosity: int = 1,
    pdf: bool = False,
) -> RunResult:
    """Execute the notebooks into a new run folder and render the report.

    A notebook that fails does not stop the run: the notebooks that need it
    (directly or not) are ``skipped``, every other notebook still runs, and
    the index, the manifest and the release check are written as always.

    Parameters
    ----------
    params_file : path, optional
        YAML parameters over ``notebooks/params.yaml``.
    overrides : iterable of ``"key=value"``
        Applied last; values are YAML scalars.
    only : iterable of str, optional
        Notebook file names or stems to run.
    output : path, optional
        The run folder (created; must be new or empty). Default:
        ``reports/<YYYYMMDD-HHMMSS>[-N]`` and ``reports/latest`` points at it.
    data : path, optional
        A data folder for every notebook (sets ``data_dir``).
    release : bool
        Ask for a releasable report: the caller exits non-zero when the leak
        scan finds anything (see ``evaluation run --release``).
    notebooks_dir : path, optional
        The notebooks (default ``notebooks/`` of the project).
    progress : callable, optional
        Receives each progress line (default ``print``; None: silent).
    jobs : int, optional
        Notebooks run at the same time (default: the number of cores); a
        notebook starts when the notebooks it needs (``sergel.needs`` in its
        metadata) are done. The output is the same as a sequential run.
    force : bool
        Re-execute every notebook, ignoring the cache.
    cache : bool
        Use and fill the cache in ``reports/.cache`` (see :mod:`evaluation.cache`).
    kernels : {"auto", "preloaded", "fresh"}
        ``preloaded``: each notebook's kernel is forked from one process that
        has imported the stack once (:mod:`evaluation.kernelpool`; Linux only);
        ``fresh``: every kernel starts from scratch; ``auto``: preloaded where
        possible. The outputs are the same either way.
    verbosity : int
        0: only problems (a kernel-pool fallback) go to ``progress``; 1 (default):
        one line per notebook; 2: also why each notebook ran or came from the cache.
    pdf : bool
        Also print ``report.pdf`` (:mod:`evaluation.pdf`), before the release
        check so that the check covers it; the manifest lists it.

    Returns
    -------
    RunResult
        ``failed`` lists failed notebooks; ``error`` the first failure;
        ``pdf``/``pdf_error`` the PDF or why it could not be printed.

    Examples
    --------
    The planning, the schedule and the manifest are separate steps
    (:func:`~evaluation.pipeline.plan_run`, :func:`~evaluation.pipeline.schedule`,
    :func:`~evaluation.pipeline.finish_run`); a wrong parameter stops a run
    before any kernel starts:

    >>> run(overrides=["language=fi"], progress=None)
    Traceback (most recent call last):
    ...
    evaluation.errors.ParameterError: ...language...
    """
    out = Output.for_verbosity(progress, verbosity)
    pooled = use_pool(kernels)
    plan = plan_run(params_file, overrides, only, data, notebooks_dir, cache)
    run_dir = make_run_dir(plan, output)
    manifest = start_manifest(run_dir, plan.params, plan.root)
    _announce(plan, run_dir, manifest, out)
    manifest["only"] = [p.stem for p in plan.requested] if plan.partial else None
    manifest["complete"] = plan.complete
    pool = LazyPool(pooled, plan.chosen, plan.root, out)
    runner = NotebookRunner(
        run_dir,
        plan.nb_dir,
        total=len(plan.chosen),
        cache_root=plan.root / REPORTS / CACHE_DIR if cache else None,
        force=force,
        banner=SYNTHETIC_BANNER if manifest["synthetic"] else None,
        pool=pool,
        output=out,
    )

    def task(i: int, nb: Path) -> dict[str, Any]:
        return runner.run(i, nb, plan.notebook_parameters(nb, run_dir), plan.needs[nb.stem])

    try:
        entries, failures = schedule(plan.chosen, plan.needs, task, jobs)
    finally:
        pool.close()
    result = RunResult(run_dir, manifest, failed=failures)
    for stem in failures:
        err = entries[stem].pop("_error", None)
        result.error = result.error or err
    ordered = [entries[p.stem] for p in plan.chosen if p.stem in entries]
    record_notebooks(manifest, run_dir, ordered, plan.param_files, plan.root)
    manifest["jobs"] = n_jobs(jobs)
    manifest["kernels"] = pool.kernels
    outcome = finish_run(run_dir, manifest, pdf=pdf)
    result.pdf, result.pdf_error = outcome.path, outcome.error
    if not output and plan.complete:  # a partial run (--only) never becomes reports/latest
        reports = plan.root / REPORTS
        _point_latest(reports, run_dir)
        result.latest = reports / "latest"
    return result
