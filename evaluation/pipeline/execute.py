"""Run one notebook: from the cache or through papermill, into the run folder.

:class:`NotebookRunner` does what a run does for each notebook, in this order:
look the notebook up in the cache (:mod:`evaluation.cache`); otherwise execute
it with papermill (retrying a kernel that did not start, never one that died
while running a cell) and render its HTML page; read its results JSON for the
key results it could not compute (``incomplete``); fill the cache. It returns
the notebook's manifest entry. A failure is recorded in the entry, never
raised: the schedule decides what else can still run.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..cache import lookup, pre_key, restore, store
from ..errors import NotebookError
from ..kernelpool import KernelPool, local_manager_class
from .plan import read_notebook_json

__all__ = ["Output", "NotebookRunner", "incomplete_results", "folders_read", "KERNEL"]

KERNEL = "python3"


def _quiet(text: str) -> None:
    """Print nothing (the progress function of a quiet run)."""


@dataclass
class Output:
    """Where a run's progress lines go, by how much the user asked to see.

    ``say``: one line per notebook (verbosity 1); ``warn``: problems, shown
    even when quiet; ``detail``: why each notebook ran (verbosity 2).

    Examples
    --------
    >>> lines = []
    >>> out = Output.for_verbosity(lines.append, 0)
    >>> out.say("shown at verbosity 1"); out.warn("a problem")
    >>> lines
    ['a problem']
    """

    say: Callable[[str], None] = _quiet
    warn: Callable[[str], None] = _quiet
    detail: Callable[[str], None] = _quiet
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def for_verbosity(cls, progress: Callable[[str], None] | None, verbosity: int) -> Output:
        """0: only problems; 1: one line per notebook; 2: also the reasons."""
        if progress is None:
            return cls()
        return cls(
            say=progress if verbosity > 0 else _quiet,
            warn=progress,
            detail=progress if verbosity >= 2 else _quiet,
        )


def _execute(
    nb: Path,
    out: Path,
    parameters: dict[str, Any],
    cwd: Path,
    start_timeout: int = 120,
    retries: int = 2,
    pool: KernelPool | None = None,
) -> Any:
    """papermill.execute_notebook with retries of a kernel that did not start (papermill #511).

    With ``pool`` the kernel is forked from the pool's preloaded server
    (:mod:`evaluation.kernelpool`) instead of started from scratch.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    if pool is not None:
        km_class = pool.kernel_manager_class
    else:
        from jupyter_client.manager import AsyncKernelManager

        km_class = local_manager_class(AsyncKernelManager)
    for attempt in range(retries + 1):
        try:
            return papermill.execute_notebook(
                str(nb),
                str(out),
                parameters=parameters,
                kernel_name=KERNEL,
                cwd=str(cwd),
                progress_bar=False,
                start_timeout=start_timeout,
                log_output=False,
                kernel_manager_class=km_class,
            )
        except PapermillExecutionError:
            raise
        except RuntimeError as exc:  # "Kernel didn't respond", ZMQ port races
            # retry a kernel that did not start, never one that died while running a cell
            if (
                attempt == retries
                or "kernel" not in str(exc).lower()
                or _last_started_cell(out) is not None
            ):
                raise
            time.sleep(1 + attempt)
    return None


def _normalise(executed: Path) -> None:
    """Merge consecutive stream outputs (their chunking depends on kernel timing), so that
    the same inputs give the same executed notebook and the same HTML."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged: list[Any] = []
        for out in cell.outputs:
            prev = merged[-1] if merged else None
            if (
                out.output_type == "stream"
                and prev is not None
                and prev.output_type == "stream"
                and prev.name == out.name
            ):
                prev.text += out.text
            else:
                merged.append(out)
        cell.outputs = merged
    nbformat.write(nb, str(executed))


def _last_started_cell(executed: Path) -> int | None:
    """Index (in the executed copy) of the last cell papermill started, or None when none did.

    Papermill saves the copy as each cell starts and ends, with the cell's
    ``start_time``; after a kernel death it is the cell that was running.
    """
    try:
        cells = read_notebook_json(executed).get("cells", [])
    except (OSError, ValueError):
        return None
    started = [
        i
        for i, c in enumerate(cells)
        if c.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    return started[-1] if started else None


def _notebook_error(nb: Path, out_nb: Path, exc: Exception) -> NotebookError:
    """A NotebookError naming the notebook, the cell (as in the source), the error and the kept copy."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return NotebookError(
            nb.name,
            str(out_nb),
            cell=_source_cell_index(out_nb, exc.cell_index),
            exec_count=exc.exec_count,
            ename=exc.ename,
            evalue=exc.evalue,
            source=exc.source,
        )
    running = _last_started_cell(out_nb)
    if running is not None:  # the kernel died (or the run broke off) while this cell ran
        source = read_notebook_json(out_nb)["cells"][running].get("source", "")
        return NotebookError(
            nb.name,
            str(out_nb),
            cell=_source_cell_index(out_nb, running),
            ename=type(exc).__name__,
            evalue=f"{str(exc)[:2000]} (the kernel process ended while this cell ran: out of "
            "memory, a crash in compiled code, or an explicit exit)",
            source="".join(source) if isinstance(source, list) else source,
        )
    return NotebookError(nb.name, str(out_nb), ename=type(exc).__name__, evalue=str(exc)[:2000])


def _source_cell_index(executed: Path, index: int) -> int:
    """The failing cell's index in the source notebook (papermill inserts an injected-parameters cell)."""
    import nbformat

    try:
        cells = nbformat.read(str(executed), as_version=4).cells
    except (OSError, ValueError):
        return index
    # papermill's error markers are added after the failure; the index refers to the notebook without them
    cells = [
        c for c in cells if "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])
    ]
    injected = [
        i
        for i, c in enumerate(cells)
        if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    ]
    return index - sum(1 for i in injected if i < index)


def _read_results_file(path: Path) -> dict[str, Any]:
    """A results JSON as a dict; ``{}`` when absent or unreadable (the run status says so)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def incomplete_results(results: dict[str, Any]) -> list[dict[str, str]]:
    """The key results a notebook could not compute: its results' ``incomplete`` list of
    ``{"result", "why"}`` (absent = none).

    Examples
    --------
    >>> incomplete_results({"incomplete": [{"result": "rr", "why": "one state only"}]})
    [{'result': 'rr', 'why': 'one state only'}]
    >>> incomplete_results({})
    []
    """
    items = results.get("incomplete") or []
    out = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            out.append({"result": str(item.get("result", "?")), "why": str(item.get("why", ""))})
        else:
            out.append({"result": str(item), "why": ""})
    return out


def folders_read(results: dict[str, Any], nb_params: dict[str, Any]) -> list[str]:
    """The folders whose listing a notebook's output depends on: every folder it listed
    (``listings`` in its results), the folder of every file it read, and its data folder
    (whose sub-folders decide which sources exist).

    Examples
    --------
    >>> folders_read({"inputs": ["/d/crime/reported.csv"], "listings": ["/d/x"]}, {"data_dir": "/d"})
    ['/d/x', '/d/crime', '/d']
    """
    folders: dict[str, None] = {}
    for f in results.get("listings", []) or []:
        folders[str(Path(f))] = None
    for f in results.get("inputs", []) or []:
        folders[str(Path(f).parent)] = None
    if nb_params.get("data_dir"):
        folders[str(Path(nb_params["data_dir"]))] = None
    return list(folders)


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class NotebookRunner:
    """Runs one notebook of a run into ``run_dir`` and returns its manifest entry.

    Parameters
    ----------
    run_dir, nb_dir : Path
        The run folder and the notebooks folder (the kernels' working directory).
    total : int
        How many notebooks the run has (for the progress lines ``[i/total]``).
    cache_root : Path, optional
        The cache (``reports/.cache``); None: neither use nor fill it.
    force : bool
        Execute even when the cache has a current entry.
    banner : str, optional
        The banner rendered into each HTML page (part of the cache key).
    pool : callable
        Returns the kernel pool to fork kernels from, or None for fresh kernels.
    output : Output
        Where progress goes.

    Examples
    --------
    Every notebook of a run goes through a runner; a notebook file that is not
    a notebook fails, and the failure is in the entry, not raised:

    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "00_bad.ipynb").write_text("{}")
    >>> runner = NotebookRunner(tmp / "run", tmp, total=1, cache_root=None)
    >>> (tmp / "run").mkdir()
    >>> entry = runner.run(1, tmp / "00_bad.ipynb", {}, [])
    >>> entry["status"], entry["error"]["ename"] is not None
    ('failed', True)
    """

    run_dir: Path
    nb_dir: Path
    total: int
    cache_root: Path | None
    force: bool = False
    banner: str | None = None
    pool: Callable[[], KernelPool | None] = lambda: None
    output: Output = field(default_factory=Output)

    def run(self, i: int, nb: Path, nb_params: dict[str, Any], needs: list[str]) -> dict[str, Any]:
        """Run notebook ``nb`` (number ``i`` of the run) with ``nb_params``; its entry."""
        entry: dict[str, Any] = {
            "name": nb.stem,
            "notebook": str(self.run_dir / nb.name),
            "parameters": nb_params,
            "status": "running",
            "needs": needs,
        }
        with self.output.lock:
            self.output.say(f"[{i}/{self.total}] {nb.stem} ...")
        t0 = time.perf_counter()
        entry["start"] = _now()
        key = self._from_cache(nb, nb_params, needs, entry)
        if entry["status"] == "running":
            entry["cached"] = False
            self._execute(nb, nb_params, entry)
        self._record_results(nb, nb_params, key, entry)
        entry["seconds"] = round(time.perf_counter() - t0, 2)
        entry["end"] = _now()
        self._report(nb, entry)
        return entry

    def _from_cache(
        self, nb: Path, nb_params: dict[str, Any], needs: list[str], entry: dict[str, Any]
    ) -> str | None:
        """Restore ``nb`` from the cache when current; the cache pre-key (None: no cache)."""
        if self.cache_root is None:
            return None
        deps = [self.run_dir / "results" / f"{d}.json" for d in needs]
        key = pre_key(nb, nb_params, deps, extra={"banner": self.banner})
        hit, full = (None, key) if self.force else lookup(self.cache_root, nb.stem, key)
        if hit is not None:
            restore(hit, nb.stem, self.run_dir, nb_params.get("run_dir"))
            entry.update(status="ok", cached=True, cache_key=full)
            self.output.detail(f"      {nb.stem}: from the cache ({full[:16]})")
        elif self.force:
            self.output.detail(f"      {nb.stem}: --force: executing")
        else:
            self.output.detail(
                f"      {nb.stem}: no cache entry for this source, parameters, code and "
                "inputs: executing"
            )
        return key

    def _execute(self, nb: Path, nb_params: dict[str, Any], entry: dict[str, Any]) -> None:
        """Execute ``nb`` with papermill and render its page; a failure goes into ``entry``."""
        out_nb = self.run_dir / nb.name
        self.output.detail(
            f"      {nb.stem}: parameters {json.dumps(nb_params, ensure_ascii=False)}"
        )
        try:
            _execute(nb, out_nb, nb_params, self.nb_dir, pool=self.pool())
            _normalise(out_nb)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none is hidden
            err = _notebook_error(nb, out_nb, exc)
            entry["status"] = "failed"
            entry["error"] = {
                "cell": err.cell,
                "exec_count": err.exec_count,
                "ename": err.ename,
                "evalue": err.evalue,
            }
            entry["_error"] = err
            return
        entry["status"] = "ok"
        from ..report import render_html

        render_html(out_nb, self.run_dir / f"{nb.stem}.html", banner=self.banner)

    def _record_results(
        self, nb: Path, nb_params: dict[str, Any], key: str | None, entry: dict[str, Any]
    ) -> None:
        """Results, incomplete key results, cache entry, title and page of a notebook."""
        res_path = self.run_dir / "results" / f"{nb.stem}.json"
        entry["results"] = str(res_path.relative_to(self.run_dir)) if res_path.exists() else None
        res_data = _read_results_file(res_path)
        if entry["status"] == "ok":
            entry["incomplete"] = incomplete_results(res_data)
            if entry["incomplete"]:
                entry["status"] = "incomplete"
            if key is not None and self.cache_root is not None and not entry["cached"]:
                entry["cache_key"] = store(
                    self.cache_root,
                    nb.stem,
                    key,
                    self.run_dir,
                    res_data.get("inputs", []),
                    folders=folders_read(res_data, nb_params),
                )
        out_nb = self.run_dir / nb.name
        if out_nb.exists():
            from ..report import notebook_title

            entry["title"], entry["summary"] = notebook_title(read_notebook_json(out_nb))
        if (self.run_dir / f"{nb.stem}.html").exists() and entry["status"] != "failed":
            entry["html"] = f"{nb.stem}.html"

    def _report(self, nb: Path, entry: dict[str, Any]) -> None:
        with self.output.lock:
            shown = entry["status"].upper() if entry["status"] != "ok" else "ok"
            how = ", from the cache" if entry.get("cached") else ""
            self.output.say(f"      {nb.stem}: {shown} ({entry['seconds']:.1f} s{how})")
            for item in entry.get("incomplete", []):  # (with --quiet: in the final summary)
                self.output.say(f"      {nb.stem}: missing {item['result']}: {item['why']}")
