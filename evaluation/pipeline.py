"""Run the notebooks with papermill into a new run folder.

This is the only module that starts kernels (through papermill; on Linux they
are forked from a preloaded server, :mod:`evaluation.kernelpool`). A run:

1. finds ``notebooks/NN_*.ipynb`` (numeric order) and reads the parameters each
   declares (``papermill.inspect_notebook``); with ``only``, takes those notebooks
   and every notebook they need (``sergel.needs`` in their metadata);
2. layers the parameters (:mod:`evaluation.config`), checks every value against
   ``notebooks/params.schema.yaml`` before anything runs, and gives each notebook
   only the keys it declares, plus ``run_dir``;
3. executes each notebook into ``reports/<YYYYMMDD-HHMMSS>[-N]/`` (or
   ``--output``, never inside an input folder), or takes it from the cache
   (:mod:`evaluation.cache`);
4. renders each executed notebook to self-contained HTML (code hidden) and
   writes ``index.html`` and ``manifest.json``; points ``reports/latest`` at the
   run when it holds every notebook.

Each notebook ends ``ok``, ``incomplete`` (its results JSON lists key results it
could not compute, ``incomplete: [{"result", "why"}]``), ``failed`` or
``skipped`` (a notebook it needs failed); the run's status is the worst of them
(:func:`run_status`). A notebook that fails keeps its partly executed copy; the
error names the notebook, the cell and the exception, and the manifest records
it. The pipeline knows no notebook by name: the index summary is the
``summary`` of whichever results carry one.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from . import provenance
from .cache import CACHE_DIR, lookup, pre_key, restore, store
from .config import SCHEMA_FILE, load_params, load_schema, params_for, parse_override
from .errors import NotebookError, ParameterError
from .kernelpool import KernelPool, local_manager_class, preload_modules
from .kernelpool import available as pool_available
from .marker import MARKER, synthetic_status
from .paths import CODEBOOKS, NOTEBOOKS, REPORTS, project_root, resolve

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
]

KEY_PACKAGES = (
    "sergel-eval",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "pyyaml",
    "pandera",
    "krippendorff",
)
KERNEL = "python3"


def discover_notebooks(folder: str | Path | None = None) -> list[Path]:
    """The numbered notebooks ``NN_*.ipynb`` of ``folder`` in numeric order."""
    folder = Path(folder) if folder else project_root() / NOTEBOOKS
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def read_notebook_json(path: str | Path) -> dict:
    """A notebook as plain JSON (no nbformat import: it is slow to import and not needed to read metadata)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def declared_parameters(path: str | Path, cache_dir: Path | None = None) -> dict[str, Any]:
    """The parameters a notebook declares and their defaults (papermill's inspection).

    With ``cache_dir`` the answer is kept per notebook content hash, so that a
    warm run need not import papermill at all.
    """
    import ast

    path = Path(path)
    cached = None
    if cache_dir is not None:
        cached = cache_dir / "parameters" / f"{provenance.sha256(path)}.json"
        if cached.exists():
            return json.loads(cached.read_text(encoding="utf-8"))
    import papermill

    info = papermill.inspect_notebook(str(path))
    out = {}
    for name, spec in info.items():
        default = spec.get("default")
        try:  # papermill gives the default as source text
            out[name] = ast.literal_eval(default) if isinstance(default, str) else default
        except (ValueError, SyntaxError):
            out[name] = default
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(out), encoding="utf-8")
    return out


def notebook_needs(path: str | Path) -> list[str]:
    """The notebooks (stems) this one needs first: ``metadata.sergel.needs`` in the notebook."""
    return list(read_notebook_json(path).get("metadata", {}).get("sergel", {}).get("needs", []))


def select(notebooks: Sequence[Path], only: Iterable[str] | None) -> list[Path]:
    """The notebooks named in ``only`` (file name or stem), in numeric order."""
    if not only:
        return list(notebooks)
    wanted = {Path(o).name.removesuffix(".ipynb") for o in only}
    by_stem = {p.stem: p for p in notebooks}
    unknown = sorted(w for w in wanted if w not in by_stem)
    if unknown:
        raise ParameterError(
            f"--only: no notebook {', '.join(unknown)}; the notebooks are: {', '.join(by_stem)}"
        )
    return [p for p in notebooks if p.stem in wanted]


def with_needs(notebooks: Sequence[Path], chosen: Sequence[Path]) -> list[Path]:
    """``chosen`` plus every notebook they need, directly or not (``sergel.needs``), in
    numeric order: a partial run builds what it needs (from the cache when current)."""
    by_stem = {p.stem: p for p in notebooks}
    wanted: set[str] = set()
    todo = [p.stem for p in chosen]
    while todo:
        stem = todo.pop()
        if stem in wanted:
            continue
        wanted.add(stem)
        for dep in notebook_needs(by_stem[stem]):
            if dep not in by_stem:
                raise ParameterError(
                    f"{by_stem[stem].name} needs {dep}, which is not in {by_stem[stem].parent}"
                )
            todo.append(dep)
    return [p for p in notebooks if p.stem in wanted]


def new_run_dir(reports: Path, now: datetime | None = None, prefix: str = "") -> Path:
    """Create and return a fresh ``reports/[prefix]YYYYMMDD-HHMMSS[-N]`` folder."""
    reports.mkdir(parents=True, exist_ok=True)
    stamp = prefix + (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        cand = reports / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            cand.mkdir()
            return cand
        except FileExistsError:
            n += 1


def _cwd_relative_paths(overrides: Iterable[str], schema: dict | None) -> list[str]:
    """``-p key=value`` overrides with relative path values made absolute against the
    current folder (the values in params.yaml and --params files are taken from the root)."""
    out = []
    for text in overrides:
        key, value = parse_override(text)
        spec = (schema or {}).get(key, {})
        if spec.get("type") == "path" and isinstance(value, str) and value:
            text = f"{key}={json.dumps(str(Path(value).expanduser().resolve()))}"
        elif key == "data_dir" and schema is None and isinstance(value, str) and value:
            text = f"{key}={json.dumps(str(Path(value).expanduser().resolve()))}"
        out.append(text)
    return out


def _check_paths(params: dict[str, Any], schema: dict | None) -> None:
    """Make path parameters absolute (relative ones from the project root) and check that the
    folders and files they name exist; the message shows the absolute path tried."""
    kinds = {k: v.get("kind") for k, v in (schema or {}).items() if v.get("type") == "path"}
    if schema is None:
        kinds = {"data_dir": "dir"}
    for key, kind in kinds.items():
        value = params.get(key)
        if not isinstance(value, str) or not value:
            continue
        path = resolve(value)
        if kind == "dir" and not path.is_dir():
            raise ParameterError(f"{key} {value}: no such folder: {path}")
        if kind == "file" and not path.is_file():
            raise ParameterError(f"{key} {value}: no such file: {path}")
        params[key] = str(path)


def _refuse_output_in_inputs(
    output: Path, params: dict[str, Any], nb_dir: Path, root: Path
) -> None:
    """A run writes only into its own folder, never inside an input: not inside the data
    folder (nor ``data/``), the codebook's folder (nor ``codebooks/``) or the notebooks."""
    out = output.expanduser().resolve()
    inputs = {
        "the data folder": params.get("data_dir"),
        "the data sets folder": root / "data",
        "the codebook folder": Path(params["codebook"]).parent if params.get("codebook") else None,
        "the codebooks folder": root / CODEBOOKS,
        "the notebooks folder": nb_dir,
    }
    for what, folder in inputs.items():
        if not folder:
            continue
        folder = Path(folder).resolve()
        if out == folder or out.is_relative_to(folder):
            raise ParameterError(
                f"--output {output}: {out} is inside {what} {folder}; a run never writes into "
                "its inputs: give a folder elsewhere (e.g. under reports/)"
            )


def _prepare_output(output: str | Path) -> Path:
    out = Path(output).resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ParameterError(
            f"--output {output}: exists and is not empty; give a new or empty folder"
        )
    out.mkdir(parents=True, exist_ok=True)
    return out


def _point_latest(reports: Path, run_dir: Path) -> None:
    link = reports / "latest"
    tmp = reports / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_dir.name, target_is_directory=True)
    os.replace(tmp, link)


def _git_info(root: Path) -> dict[str, Any]:
    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20)

    try:
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return {"commit": None, "dirty": None}
        status = git("status", "--porcelain", "--untracked-files=no")
        return {"commit": head.stdout.strip(), "dirty": bool(status.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def _versions() -> dict[str, str | None]:
    out = {}
    for name in KEY_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _file_entry(path: str | Path, root: Path) -> dict[str, Any]:
    p = Path(path)
    try:
        shown = str(p.relative_to(root))
    except ValueError:
        shown = str(p)
    return {"path": shown, "sha256": provenance.sha256(p), "bytes": p.stat().st_size}


def _execute(
    nb: Path,
    out: Path,
    parameters: dict,
    cwd: Path,
    start_timeout: int = 120,
    retries: int = 2,
    pool: KernelPool | None = None,
):
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


def _normalise(executed: Path) -> None:
    """Merge consecutive stream outputs (their chunking depends on kernel timing), so that
    the same inputs give the same executed notebook and the same HTML."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged = []
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


def _use_pool(kernels: str) -> bool:
    """Whether a run forks its kernels from a :class:`~evaluation.kernelpool.KernelPool`."""
    if kernels not in ("auto", "preloaded", "fresh"):
        raise ParameterError(f"kernels={kernels!r}: expected 'auto', 'preloaded' or 'fresh'")
    if kernels == "preloaded" and not pool_available():
        raise ParameterError(
            "--kernels preloaded: forking preloaded kernels needs Linux (os.fork and "
            "os.pidfd_open); use --kernels fresh or auto"
        )
    return kernels != "fresh" and pool_available()


@dataclass
class RunResult:
    """What a run produced."""

    run_dir: Path
    manifest: dict
    failed: list[str] = field(default_factory=list)
    error: NotebookError | None = None
    latest: Path | None = None

    @property
    def index(self) -> Path:
        return self.run_dir / "index.html"

    @property
    def shown_index(self) -> Path:
        """The index page as the user should open it: through ``reports/latest`` when the
        run became the latest report, else in the run folder."""
        return self.latest / "index.html" if self.latest is not None else self.index

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def status(self) -> str:
        """``ok``, ``incomplete`` (every notebook ran, some without key results) or ``failed``
        (a notebook failed or was skipped)."""
        return run_status(self.manifest.get("notebooks", []))


def run_status(entries: Iterable[dict[str, Any]]) -> str:
    """The status of a run from its notebooks' statuses: ``failed`` if any failed or was
    skipped, else ``incomplete`` if any is, else ``ok``.

    >>> run_status([{"status": "ok"}, {"status": "incomplete"}])
    'incomplete'
    >>> run_status([{"status": "incomplete"}, {"status": "skipped"}])
    'failed'
    >>> run_status([{"status": "ok"}])
    'ok'
    """
    statuses = {e.get("status") for e in entries}
    if statuses & {"failed", "skipped", "running"}:
        return "failed"
    if "incomplete" in statuses:
        return "incomplete"
    return "ok"


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
) -> RunResult:
    """Execute the notebooks into a new run folder and render the report.

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

    Returns
    -------
    RunResult
        ``failed`` lists failed notebooks; ``error`` the first failure.
    """
    quiet = verbosity <= 0
    say = (lambda s: None) if (progress is None or quiet) else progress
    warn = progress or (lambda s: None)  # shown also with --quiet (problems only)
    detail = progress if (progress is not None and verbosity >= 2) else (lambda s: None)
    root = project_root()
    nb_dir = Path(notebooks_dir) if notebooks_dir else root / NOTEBOOKS
    all_nbs = discover_notebooks(nb_dir)
    if not all_nbs:
        raise ParameterError(f"no notebooks NN_*.ipynb in {nb_dir}")
    requested = select(all_nbs, only)
    chosen = with_needs(all_nbs, requested)
    complete = len(chosen) == len(all_nbs)
    use_pool = _use_pool(kernels)
    declared = {
        p.stem: declared_parameters(p, root / REPORTS / CACHE_DIR if cache else None)
        for p in all_nbs
    }
    defaults_file = nb_dir / "params.yaml"
    schema_file = nb_dir / SCHEMA_FILE
    schema = load_schema(schema_file) if schema_file.exists() else None
    over = _cwd_relative_paths(overrides, schema)
    if data is not None:
        over.append(f"data_dir={json.dumps(str(Path(data).resolve()))}")
    if params_file is not None:
        params_file = Path(params_file).resolve()
    params = load_params(defaults_file, params_file, over, declared, schema)
    _check_paths(params, schema)

    reports = root / REPORTS
    if output:
        _refuse_output_in_inputs(Path(output), params, nb_dir, root)
    run_dir = _prepare_output(output) if output else new_run_dir(reports)
    started = datetime.now().astimezone()
    manifest: dict[str, Any] = {
        "run_id": run_dir.name,
        "started": started.isoformat(timespec="seconds"),
        "finished": None,
        "git": _git_info(root),
        "parameters": params,
        "data_dir": params.get("data_dir"),
        # "synthetic" only while the files match the marker's fingerprint (a copy of the
        # example filled with real data keeps the marker file but is not synthetic)
        "synthetic": synthetic_status(params.get("data_dir")) == "synthetic",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "executable": sys.executable,
        "versions": _versions(),
        "notebooks": [],
        "inputs": [],
    }
    param_files = [
        p
        for p in (defaults_file, Path(params_file) if params_file else None)
        if p and Path(p).exists()
    ]
    result = RunResult(run_dir, manifest)
    say(f"run folder: {run_dir}")
    if not manifest["synthetic"] and synthetic_status(params.get("data_dir")) == "mismatch":
        warn(
            f"note: {Path(params['data_dir']) / MARKER} does not match the files of the data"
            " folder (copied from the example and changed?): the report does not call these"
            " data synthetic; delete the marker from a folder of real data"
        )
    needs = {p.stem: notebook_needs(p) for p in chosen}
    selected = {p.stem for p in chosen}
    extra = [p.stem for p in chosen if p not in requested]
    if extra:
        say(
            f"also {', '.join(extra)}: needed by the notebooks asked for "
            "(from the cache when current, otherwise run first)"
        )
    manifest["only"] = [p.stem for p in requested] if only else None
    manifest["complete"] = complete
    banner = "Syntetiska exempeldata / synthetic example data" if manifest["synthetic"] else None
    cache_root = reports / CACHE_DIR if cache else None
    lock = threading.Lock()
    entries: dict[str, dict[str, Any]] = {}
    pools: list[KernelPool] = []  # started at the first notebook that has to run
    pool_up: list[bool] = []  # whether its server did start

    def kernel_pool() -> KernelPool | None:
        if not use_pool:
            return None
        with lock:
            if not pools:
                pools.append(KernelPool(preload_modules(chosen), cwd=root).start())
                pool_up.append(pools[0].alive)
                if not pool_up[0]:
                    warn("kernel pool: the server did not start; using fresh kernels")
            return pools[0] if pool_up[0] else None

    def task(i: int, nb: Path) -> dict[str, Any]:
        nb_params = params_for(params, declared[nb.stem])
        if "run_dir" in declared[nb.stem]:
            nb_params["run_dir"] = str(run_dir)
        out_nb = run_dir / nb.name
        entry: dict[str, Any] = {
            "name": nb.stem,
            "notebook": str(out_nb),
            "parameters": nb_params,
            "status": "running",
            "needs": needs[nb.stem],
        }
        with lock:
            say(f"[{i}/{len(chosen)}] {nb.stem} ...")
        t0 = time.perf_counter()
        entry["start"] = datetime.now().astimezone().isoformat(timespec="seconds")
        key = None
        if cache_root is not None:
            deps = [run_dir / "results" / f"{d}.json" for d in needs[nb.stem]]
            key = pre_key(nb, nb_params, deps, extra={"banner": banner})
            hit, full = (None, key) if force else lookup(cache_root, nb.stem, key)
            if hit is not None:
                restore(hit, nb.stem, run_dir, nb_params.get("run_dir"))
                entry.update(status="ok", cached=True, cache_key=full)
                detail(f"      {nb.stem}: from the cache ({full[:16]})")
            else:
                detail(
                    f"      {nb.stem}: "
                    + (
                        "--force: executing"
                        if force
                        else "no cache entry for this source, parameters, code and inputs: executing"
                    )
                )
        if entry["status"] == "running":
            entry["cached"] = False
            detail(f"      {nb.stem}: parameters {json.dumps(nb_params, ensure_ascii=False)}")
            try:
                _execute(nb, out_nb, nb_params, nb_dir, pool=kernel_pool())
                _normalise(out_nb)
                entry["status"] = "ok"
            except Exception as exc:  # noqa: BLE001 - every failure is reported, none is hidden
                entry["status"] = "failed"
                err = _notebook_error(nb, out_nb, exc)
                entry["error"] = {
                    "cell": err.cell,
                    "exec_count": err.exec_count,
                    "ename": err.ename,
                    "evalue": err.evalue,
                }
                entry["_error"] = err
            if entry["status"] == "ok":
                from .report import render_html

                render_html(out_nb, run_dir / f"{nb.stem}.html", banner=banner)
        res_path = run_dir / "results" / f"{nb.stem}.json"
        entry["results"] = str(res_path.relative_to(run_dir)) if res_path.exists() else None
        res_data = _read_results_file(res_path)
        if entry["status"] == "ok":
            entry["incomplete"] = incomplete_results(res_data)
            if entry["incomplete"]:
                entry["status"] = "incomplete"
            if key is not None and not entry["cached"]:
                entry["cache_key"] = store(
                    cache_root,
                    nb.stem,
                    key,
                    run_dir,
                    res_data.get("inputs", []),
                    folders=folders_read(res_data, nb_params),
                )
        if out_nb.exists():
            from .report import notebook_title

            entry["title"], entry["summary"] = notebook_title(read_notebook_json(out_nb))

        if (run_dir / f"{nb.stem}.html").exists() and entry["status"] != "failed":
            entry["html"] = f"{nb.stem}.html"
        entry["seconds"] = round(time.perf_counter() - t0, 2)
        entry["end"] = datetime.now().astimezone().isoformat(timespec="seconds")
        with lock:
            shown = entry["status"].upper() if entry["status"] != "ok" else "ok"
            how = ", from the cache" if entry.get("cached") else ""
            say(f"      {nb.stem}: {shown} ({entry['seconds']:.1f} s{how})")
            for item in entry.get("incomplete", []):  # (with --quiet: in the final summary)
                say(f"      {nb.stem}: missing {item['result']}: {item['why']}")
        return entry

    n_jobs = max(1, int(jobs or os.cpu_count() or 1))
    order = {p.stem: k for k, p in enumerate(chosen, start=1)}
    pending = list(chosen)
    failed: set[str] = set()
    try:
        with ThreadPoolExecutor(max_workers=n_jobs) as executor:
            running: dict[Any, str] = {}
            while pending or running:
                for nb in list(pending):
                    deps = [d for d in needs[nb.stem] if d in selected]
                    if any(d in failed for d in deps):
                        pending.remove(nb)
                        failed.add(nb.stem)
                        entries[nb.stem] = {
                            "name": nb.stem,
                            "status": "skipped",
                            "cached": False,
                            "seconds": 0.0,
                            "needs": needs[nb.stem],
                            "reason": "a notebook it needs failed",
                        }
                        continue
                    if len(running) < n_jobs and all(
                        d in entries and entries[d]["status"] in ("ok", "incomplete") for d in deps
                    ):
                        pending.remove(nb)
                        running[executor.submit(task, order[nb.stem], nb)] = nb.stem
                if not running:
                    break
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for fut in done:
                    stem = running.pop(fut)
                    entry = fut.result()
                    entries[stem] = entry
                    if entry["status"] == "failed":
                        failed.add(stem)
                        result.failed.append(stem)
                        result.error = result.error or entry.pop("_error")
                        entry.pop("_error", None)
    finally:
        for kp in pools:
            kp.close()
    manifest["notebooks"] = [entries[p.stem] for p in chosen if p.stem in entries]
    manifest["jobs"] = n_jobs
    manifest["kernels"] = (
        ("preloaded" if pool_up[0] else "fresh")
        if pool_up
        else ("fresh" if not use_pool else "none started")
    )

    # inputs: what the notebooks report having read, plus the parameter files
    seen: dict[str, None] = {}
    for p in param_files:
        seen[str(Path(p).resolve())] = None
    for entry in manifest["notebooks"]:
        if entry.get("results"):
            data_ = json.loads((run_dir / entry["results"]).read_text(encoding="utf-8"))
            entry["inputs"] = data_.get("inputs", [])
            for f in entry["inputs"]:
                seen[f] = None
    manifest["inputs"] = [_file_entry(p, root) for p in seen if Path(p).exists()]

    from .leaks import release_check
    from .report import pages_to_be_written

    manifest["release"] = release_check(
        run_dir, params.get("data_dir"), pages=pages_to_be_written(run_dir, manifest)
    )
    manifest["finished"] = datetime.now().astimezone().isoformat(timespec="seconds")
    manifest["seconds"] = round(sum(e.get("seconds", 0) for e in manifest["notebooks"]), 2)
    manifest["status"] = run_status(manifest["notebooks"])
    summary = _summaries(run_dir, manifest["notebooks"])
    (run_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    from .report import write_index

    write_index(run_dir, manifest, summary)
    if not output and complete:  # a partial run (--only) never becomes reports/latest
        _point_latest(reports, run_dir)
        result.latest = reports / "latest"
    return result


def _read_results_file(path: Path) -> dict[str, Any]:
    """A results JSON as a dict; ``{}`` when absent or unreadable (the run status says so)."""
    try:
        data_ = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data_ if isinstance(data_, dict) else {}


def incomplete_results(results: dict[str, Any]) -> list[dict[str, str]]:
    """The key results a notebook could not compute: its results' ``incomplete`` list of
    ``{"result", "why"}`` (absent = none).

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
    (whose sub-folders decide which sources exist)."""
    folders: dict[str, None] = {}
    for f in results.get("listings", []) or []:
        folders[str(Path(f))] = None
    for f in results.get("inputs", []) or []:
        folders[str(Path(f).parent)] = None
    if nb_params.get("data_dir"):
        folders[str(Path(nb_params["data_dir"]))] = None
    return list(folders)


def _summaries(run_dir: Path, entries: list[dict[str, Any]]) -> list[str] | None:
    """The ``summary`` sentences of every results file that has them, in notebook order
    (the pipeline knows no notebook by name)."""
    out: list[str] = []
    for entry in entries:
        if not entry.get("results"):
            continue
        try:
            data_ = json.loads((run_dir / entry["results"]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        summary = data_.get("summary") if isinstance(data_, dict) else None
        if isinstance(summary, str):
            summary = [summary]
        if isinstance(summary, list):
            out += [str(s_) for s_ in summary if s_]
    return out or None


_RUN_NAME = re.compile(r"\d{8}-\d{6}(-\d+)?")


def clean_runs(reports: Path, keep: int, dry_run: bool = False) -> tuple[list[Path], list[Path]]:
    """Remove all but the ``keep`` newest run folders ``reports/YYYYMMDD-HHMMSS[-N]``.

    Never removes the run ``reports/latest`` points at, a run folder holding a file
    named ``KEEP``, the cache, or anything that is not a run folder. Returns
    (removed, kept) run folders, newest first.
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
        key=lambda d: tuple(int(x) for x in d.name.replace("-", " ").split()) + (0,) * 3,
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


def refresh_notebooks(
    notebooks_dir: str | Path | None = None, progress: Callable[[str], None] | None = print
) -> list[Path]:
    """Re-execute the committed notebooks in place on their defaults (the example data).

    Used by ``make notebooks``: the committed outputs are those of a run on
    ``data/example``, and nbval compares against them. Papermill's own
    metadata is stripped so that a refresh with no change gives no diff.
    Kernels are preloaded where possible (:mod:`evaluation.kernelpool`).
    """
    import nbformat

    say = progress or (lambda s: None)
    nb_dir = Path(notebooks_dir) if notebooks_dir else project_root() / NOTEBOOKS
    done = []
    scratch = new_run_dir(
        project_root() / REPORTS, prefix="refresh-"
    )  # executed copies; a failed one stays here
    notebooks = discover_notebooks(nb_dir)
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
            node = nbformat.read(str(tmp), as_version=4)
            node.metadata.pop("papermill", None)
            for cell in node.cells:
                cell.metadata.pop("papermill", None)
                cell.metadata.pop("execution", None)
            nbformat.write(node, str(nb))
            tmp.unlink()
            done.append(nb)
    finally:
        if pool is not None:
            pool.close()
    scratch.rmdir()
    return done
