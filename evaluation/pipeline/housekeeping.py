"""Housekeeping of reports and notebooks: remove old runs, refresh the committed notebooks."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..kernelpool import KernelPool, preload_modules
from ..kernelpool import available as pool_available
from ..paths import NOTEBOOKS, REPORTS, project_root
from .execute import _execute, _normalise, _notebook_error
from .plan import discover_notebooks, new_run_dir

__all__ = ["clean_runs", "refresh_notebooks"]

_RUN_NAME = re.compile(r"\d{8}-\d{6}(-\d+)?")


def _run_order(d: Path) -> tuple[int, ...]:
    return tuple(int(x) for x in d.name.replace("-", " ").split()) + (0,) * 3


def clean_runs(reports: Path, keep: int, dry_run: bool = False) -> tuple[list[Path], list[Path]]:
    """Remove all but the ``keep`` newest run folders ``reports/YYYYMMDD-HHMMSS[-N]``.

    Never removes the run ``reports/latest`` points at, a run folder holding a file
    named ``KEEP``, the cache, or anything that is not a run folder. Returns
    (removed, kept) run folders, newest first.

    Examples
    --------
    >>> import tempfile
    >>> reports = Path(tempfile.mkdtemp())
    >>> for name in ("20240101-100000", "20240102-100000", "20240103-100000", ".cache"):
    ...     (reports / name).mkdir()
    >>> (reports / "20240101-100000" / "KEEP").touch()
    >>> removed, kept = clean_runs(reports, keep=1)
    >>> [d.name for d in removed], [d.name for d in kept]
    (['20240102-100000'], ['20240103-100000', '20240101-100000'])
    """
    import shutil

    if not reports.is_dir():
        return [], []
    latest = reports / "latest"
    target = latest.resolve() if latest.is_symlink() or latest.exists() else None
    runs = sorted(
        (
            d
            for d in reports.iterdir()
            if d.is_dir() and not d.is_symlink() and _RUN_NAME.fullmatch(d.name)
        ),
        key=_run_order,
        reverse=True,
    )
    removed, kept = [], []
    for i, d in enumerate(runs):
        if i < keep or d.resolve() == target or (d / "KEEP").exists():
            kept.append(d)
            continue
        if not dry_run:
            shutil.rmtree(d)
        removed.append(d)
    return removed, kept


def _strip_papermill(executed: Path, target: Path) -> None:
    """Write the executed copy over the source notebook without papermill's metadata."""
    import nbformat

    node = nbformat.read(str(executed), as_version=4)
    node.metadata.pop("papermill", None)
    for cell in node.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(node, str(target))


def refresh_notebooks(
    notebooks_dir: str | Path | None = None, progress: Callable[[str], None] | None = print
) -> list[Path]:
    """Re-execute the committed notebooks in place on their defaults (the example data).

    Used by ``make notebooks``: the committed outputs are those of a run on
    ``data/example``, and nbval compares against them. Papermill's own
    metadata is stripped so that a refresh with no change gives no diff.
    Kernels are preloaded where possible (:mod:`evaluation.kernelpool`).

    Examples
    --------
    A folder without numbered notebooks has nothing to refresh (the real call
    executes every notebook: ``make notebooks``):

    >>> import tempfile
    >>> refresh_notebooks(tempfile.mkdtemp(), progress=None)
    []
    """
    say = progress or (lambda s: None)
    nb_dir = Path(notebooks_dir) if notebooks_dir else project_root() / NOTEBOOKS
    notebooks = discover_notebooks(nb_dir)
    if not notebooks:
        return []
    done = []
    # executed copies; a failed one stays here
    scratch = new_run_dir(project_root() / REPORTS, prefix="refresh-")
    pool = KernelPool(preload_modules(notebooks), cwd=project_root()) if pool_available() else None
    try:
        if pool is not None:
            pool.start()
        for nb in notebooks:
            say(f"refreshing {nb.name} ...")
            tmp = scratch / nb.name
            try:
                _execute(nb, tmp, {}, nb_dir, pool=pool)
            except Exception as exc:
                raise _notebook_error(nb, tmp, exc) from None
            _normalise(tmp)
            _strip_papermill(tmp, nb)
            tmp.unlink()
            done.append(nb)
    finally:
        if pool is not None:
            pool.close()
    scratch.rmdir()
    return done
