"""The manifest of a run, its index page, its PDF and its release check.

:func:`start_manifest` records what a run is about to do (parameters,
versions, git commit); :func:`record_notebooks` adds what each notebook did
and the files they read; :func:`finish_run` prints ``report.pdf`` when asked,
then runs the release check (:func:`evaluation.leaks.release_check`) over
every file of the run folder, the PDF included, and writes ``manifest.json``
and ``index.html``. :func:`add_pdf` does the same for a finished run.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import provenance
from ..errors import EvaluationError
from ..marker import synthetic_status

__all__ = [
    "KEY_PACKAGES",
    "start_manifest",
    "record_notebooks",
    "run_status",
    "finish_run",
    "add_pdf",
    "PdfOutcome",
    "summaries",
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


def _git_info(root: Path) -> dict[str, Any]:
    def git(*args: str) -> subprocess.CompletedProcess[str]:
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
    out: dict[str, str | None] = {}
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


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def start_manifest(run_dir: Path, params: dict[str, Any], root: Path) -> dict[str, Any]:
    """The manifest of a run about to start: parameters, data, git commit, versions.

    ``synthetic`` is true only while the data folder's files match the
    fingerprint of its ``SYNTHETIC`` marker (a copy of the example filled
    with real data keeps the marker file but is not synthetic).

    Examples
    --------
    >>> from evaluation.paths import project_root
    >>> m = start_manifest(Path("reports/x"), {"data_dir": "data/example"}, project_root())
    >>> m["run_id"], m["synthetic"], m["notebooks"]
    ('x', True, [])
    """
    return {
        "run_id": run_dir.name,
        "started": _now(),
        "finished": None,
        "git": _git_info(root),
        "parameters": params,
        "data_dir": params.get("data_dir"),
        "synthetic": synthetic_status(params.get("data_dir")) == "synthetic",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "executable": sys.executable,
        "versions": _versions(),
        "notebooks": [],
        "inputs": [],
    }


def record_notebooks(
    manifest: dict[str, Any],
    run_dir: Path,
    entries: list[dict[str, Any]],
    param_files: Iterable[Path],
    root: Path,
) -> None:
    """Put the notebooks' entries into the manifest, with the files each read (its
    results' ``inputs``); the run's ``inputs`` are those plus the parameter files.

    Examples
    --------
    >>> import tempfile
    >>> run_dir = Path(tempfile.mkdtemp())
    >>> m = {}
    >>> record_notebooks(m, run_dir, [{"name": "00_a", "results": None}], [], run_dir)
    >>> m["notebooks"][0]["name"], m["inputs"]
    ('00_a', [])
    """
    seen: dict[str, None] = {str(Path(p).resolve()): None for p in param_files}
    for entry in entries:
        if entry.get("results"):
            data = json.loads((run_dir / entry["results"]).read_text(encoding="utf-8"))
            entry["inputs"] = data.get("inputs", [])
            for f in entry["inputs"]:
                seen[f] = None
    manifest["notebooks"] = entries
    manifest["inputs"] = [_file_entry(p, root) for p in seen if Path(p).exists()]


def run_status(entries: Iterable[dict[str, Any]]) -> str:
    """The status of a run from its notebooks' statuses: ``failed`` if any failed or was
    skipped, else ``incomplete`` if any is, else ``ok``.

    Examples
    --------
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


def summaries(run_dir: Path, entries: list[dict[str, Any]]) -> list[str] | None:
    """The ``summary`` sentences of every results file that has them, in notebook order
    (the pipeline knows no notebook by name).

    Examples
    --------
    >>> import tempfile
    >>> run_dir = Path(tempfile.mkdtemp())
    >>> _ = (run_dir / "a.json").write_text('{"summary": "One sentence."}')
    >>> summaries(run_dir, [{"results": "a.json"}, {"results": None}])
    ['One sentence.']
    """
    out: list[str] = []
    for entry in entries:
        if not entry.get("results"):
            continue
        try:
            data = json.loads((run_dir / entry["results"]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        summary = data.get("summary") if isinstance(data, dict) else None
        if isinstance(summary, str):
            summary = [summary]
        if isinstance(summary, list):
            out += [str(s) for s in summary if s]
    return out or None


def _write_pages(run_dir: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest.json`` and ``index.html`` of a run from ``manifest``."""
    from ..report import write_index

    (run_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_index(run_dir, manifest, summaries(run_dir, manifest.get("notebooks", [])))


@dataclass
class PdfOutcome:
    """The printed PDF of a run (``path``), or why there is none (``error``).

    Examples
    --------
    >>> PdfOutcome().printed, PdfOutcome(path=Path("report.pdf")).printed
    (False, True)
    """

    path: Path | None = None
    error: EvaluationError | None = None

    @property
    def printed(self) -> bool:
        """Whether ``report.pdf`` was written."""
        return self.path is not None


def _print_pdf(run_dir: Path, manifest: dict[str, Any]) -> PdfOutcome:
    """Print ``report.pdf`` from the run's pages as they stand before the release check.

    The pages are written first without a release verdict (the check comes
    after, and covers the PDF); the manifest gets a ``pdf`` entry: the file
    with its hash, or the error that stopped the printing.
    """
    from ..pdf import write_pdf

    _write_pages(run_dir, {k: v for k, v in manifest.items() if k != "release"})
    try:
        path = write_pdf(run_dir)
    except Exception as exc:  # noqa: BLE001 - the release check and the manifest still follow
        err = (
            exc
            if isinstance(exc, EvaluationError)
            else EvaluationError(f"the PDF could not be printed: {type(exc).__name__}: {exc}")
        )
        manifest["pdf"] = {"path": None, "error": str(err)}
        return PdfOutcome(error=err)
    manifest["pdf"] = _file_entry(path, run_dir)
    return PdfOutcome(path=path)


def _release_check(run_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    from ..leaks import release_check
    from ..report import pages_to_be_written

    return release_check(
        run_dir, manifest.get("data_dir"), pages=pages_to_be_written(run_dir, manifest)
    )


def _link_pdf(run_dir: Path, outcome: PdfOutcome, manifest: dict[str, Any]) -> None:
    """The index page (just rewritten) links the PDF again."""
    if outcome.path is None:
        return
    from ..pdf import _link_from_index

    _link_from_index(run_dir, outcome.path, manifest.get("parameters", {}).get("language", "sv"))


def finish_run(run_dir: Path, manifest: dict[str, Any], pdf: bool = False) -> PdfOutcome:
    """Print the PDF (with ``pdf``), check the run for release, write manifest and index.

    The order matters: ``report.pdf`` is printed *before* the release check, so
    that the check scans it with every other file of the run folder (and the
    manifest and index about to be written); the PDF's index page therefore
    shows no release verdict. The manifest lists the PDF (``pdf``: path,
    SHA-256, bytes). A PDF that cannot be printed (no Chromium) does not stop
    the run: the error is in the manifest and in the returned outcome.

    Examples
    --------
    >>> import tempfile
    >>> run_dir = Path(tempfile.mkdtemp())
    >>> m = {"run_id": run_dir.name, "parameters": {}, "notebooks": [], "inputs": []}
    >>> finish_run(run_dir, m).printed, m["status"], m["release"]["releasable"]
    (False, 'ok', True)
    >>> sorted(p.name for p in run_dir.iterdir())
    ['index.html', 'manifest.json']
    """
    outcome = _print_pdf(run_dir, manifest) if pdf else PdfOutcome()
    manifest["release"] = _release_check(run_dir, manifest)
    manifest["finished"] = _now()
    manifest["seconds"] = round(sum(e.get("seconds", 0) for e in manifest["notebooks"]), 2)
    manifest["status"] = run_status(manifest["notebooks"])
    _write_pages(run_dir, manifest)
    _link_pdf(run_dir, outcome, manifest)
    return outcome


def add_pdf(run_dir: str | Path) -> tuple[Path, dict[str, Any]]:
    """Print ``report.pdf`` of a finished run, check the run again for release (the PDF
    included) and update its manifest and index (``evaluation pdf RUN_DIR``).

    Returns the PDF and the new release entry; raises
    :class:`~evaluation.errors.EvaluationError` for a folder that is no run, or
    when the PDF cannot be printed (the manifest then records why, with a
    fresh release check).

    Examples
    --------
    >>> import tempfile
    >>> add_pdf(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    evaluation.errors.EvaluationError: ...: not a run folder (no manifest.json)
    """
    run_dir = Path(run_dir)
    mf = run_dir / "manifest.json"
    if not mf.is_file():
        raise EvaluationError(f"{run_dir}: not a run folder (no manifest.json)")
    manifest = json.loads(mf.read_text(encoding="utf-8"))
    outcome = _print_pdf(run_dir, manifest)
    manifest["release"] = _release_check(run_dir, manifest)
    _write_pages(run_dir, manifest)
    _link_pdf(run_dir, outcome, manifest)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.path is not None
    return outcome.path, manifest["release"]
