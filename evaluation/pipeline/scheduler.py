"""Schedule a run's notebooks: in parallel, each once the notebooks it needs are done.

A notebook whose needed notebook failed is ``skipped``; every notebook that
does not depend on a failure still runs (:func:`schedule`). Kernels come from
one :class:`LazyPool`, started when the first notebook has to execute (a run
served entirely from the cache starts none).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from ..kernelpool import KernelPool, preload_modules
from ..kernelpool import available as pool_available
from .execute import Output

__all__ = ["use_pool", "LazyPool", "schedule", "skipped_entry", "n_jobs"]

#: ``task(i, notebook) -> entry``: runs notebook number ``i`` and returns its manifest entry.
Task = Callable[[int, Path], dict[str, Any]]


def use_pool(kernels: str) -> bool:
    """Whether a run forks its kernels from a :class:`~evaluation.kernelpool.KernelPool`.

    Examples
    --------
    >>> use_pool("fresh")
    False
    >>> use_pool("warm")
    Traceback (most recent call last):
    ...
    evaluation.errors.ParameterError: kernels='warm': expected 'auto', 'preloaded' or 'fresh'
    """
    if kernels not in ("auto", "preloaded", "fresh"):
        raise ParameterError(f"kernels={kernels!r}: expected 'auto', 'preloaded' or 'fresh'")
    if kernels == "preloaded" and not pool_available():
        raise ParameterError(
            "--kernels preloaded: forking preloaded kernels needs Linux (os.fork and "
            "os.pidfd_open); use --kernels fresh or auto"
        )
    return kernels != "fresh" and pool_available()


class LazyPool:
    """The run's kernel pool, started at the first call (thread-safe); None when unused.

    Examples
    --------
    >>> pool = LazyPool(enabled=False, notebooks=[], cwd=Path("."), output=Output())
    >>> pool() is None, pool.kernels
    (True, 'fresh')
    >>> pool.close()
    """

    def __init__(self, enabled: bool, notebooks: Sequence[Path], cwd: Path, output: Output):
        self.enabled = enabled
        self.notebooks = list(notebooks)
        self.cwd = cwd
        self.output = output
        self._pool: KernelPool | None = None
        self._up: bool | None = None  # whether its server did start (None: not tried)

    def __call__(self) -> KernelPool | None:
        if not self.enabled:
            return None
        with self.output.lock:
            if self._pool is None:
                self._pool = KernelPool(preload_modules(self.notebooks), cwd=self.cwd).start()
                self._up = self._pool.alive
                if not self._up:
                    self.output.warn("kernel pool: the server did not start; using fresh kernels")
            return self._pool if self._up else None

    @property
    def kernels(self) -> str:
        """How the run's kernels started: ``preloaded``, ``fresh`` or ``none started``."""
        if self._up is not None:
            return "preloaded" if self._up else "fresh"
        return "fresh" if not self.enabled else "none started"

    def close(self) -> None:
        """Stop the pool's server, if it was started."""
        if self._pool is not None:
            self._pool.close()


def skipped_entry(stem: str, needs: list[str]) -> dict[str, Any]:
    """The manifest entry of a notebook not run because a notebook it needs failed.

    Examples
    --------
    >>> skipped_entry("04_synthesis", ["01_site_observations"])["status"]
    'skipped'
    """
    return {
        "name": stem,
        "status": "skipped",
        "cached": False,
        "seconds": 0.0,
        "needs": needs,
        "reason": "a notebook it needs failed",
    }


class _Schedule:
    """The state of one scheduling loop (see :func:`schedule`)."""

    def __init__(self, chosen: Sequence[Path], needs: dict[str, list[str]], jobs: int):
        self.pending = list(chosen)
        self.needs = needs
        self.jobs = jobs
        self.selected = {p.stem for p in chosen}
        self.order = {p.stem: k for k, p in enumerate(chosen, start=1)}
        self.entries: dict[str, dict[str, Any]] = {}
        self.failed: set[str] = set()
        self.failures: list[str] = []  # failed notebooks, in the order they ended
        self.running: dict[Future[dict[str, Any]], str] = {}

    def _deps(self, nb: Path) -> list[str]:
        return [d for d in self.needs[nb.stem] if d in self.selected]

    def _ready(self, deps: list[str]) -> bool:
        done = ("ok", "incomplete")
        return all(d in self.entries and self.entries[d]["status"] in done for d in deps)

    def submit_ready(self, executor: ThreadPoolExecutor, task: Task) -> None:
        """Skip what can no longer run; start what can, up to ``jobs`` at once."""
        for nb in list(self.pending):
            deps = self._deps(nb)
            if any(d in self.failed for d in deps):
                self.pending.remove(nb)
                self.failed.add(nb.stem)
                self.entries[nb.stem] = skipped_entry(nb.stem, self.needs[nb.stem])
            elif len(self.running) < self.jobs and self._ready(deps):
                self.pending.remove(nb)
                self.running[executor.submit(task, self.order[nb.stem], nb)] = nb.stem

    def collect(self) -> None:
        """Wait for at least one running notebook to end and record its entry."""
        done, _ = wait(list(self.running), return_when=FIRST_COMPLETED)
        for fut in done:
            stem = self.running.pop(fut)
            entry = fut.result()
            self.entries[stem] = entry
            if entry["status"] == "failed":
                self.failed.add(stem)
                self.failures.append(stem)


def schedule(
    chosen: Sequence[Path], needs: dict[str, list[str]], task: Task, jobs: int | None = None
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Run ``task`` for every notebook of ``chosen``, each after the notebooks it needs.

    Up to ``jobs`` notebooks run at once (default: the number of cores). A
    notebook starts when every notebook it needs (``needs``; only those in
    ``chosen`` count) ended ``ok`` or ``incomplete``; when one of them failed
    or was skipped, it is skipped. Independent notebooks go on after a failure.

    Returns
    -------
    entries : dict
        Notebook stem -> manifest entry (the task's, or :func:`skipped_entry`).
    failures : list of str
        The notebooks that failed, in the order they ended.

    Examples
    --------
    >>> nbs = [Path("00_a.ipynb"), Path("01_b.ipynb"), Path("02_c.ipynb")]
    >>> needs = {"00_a": [], "01_b": ["00_a"], "02_c": []}
    >>> def task(i, nb):
    ...     return {"name": nb.stem, "status": "failed" if nb.stem == "00_a" else "ok"}
    >>> entries, failures = schedule(nbs, needs, task, jobs=1)
    >>> {k: e["status"] for k, e in entries.items()}, failures
    ({'00_a': 'failed', '01_b': 'skipped', '02_c': 'ok'}, ['00_a'])
    """
    state = _Schedule(chosen, needs, n_jobs(jobs))
    with ThreadPoolExecutor(max_workers=state.jobs) as executor:
        while state.pending or state.running:
            state.submit_ready(executor, task)
            if not state.running:
                break
            state.collect()
    return state.entries, state.failures


def n_jobs(jobs: int | None) -> int:
    """How many notebooks run at once: ``jobs``, else the number of cores; at least 1.

    Examples
    --------
    >>> n_jobs(3), n_jobs(0) >= 1
    (3, True)
    """
    return max(1, int(jobs or os.cpu_count() or 1))
