"""The release gate of a run: scan the whole run folder, and the pages about to be
written into it, and fail closed on anything that stops the scan."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..paths import project_root
from .findings import Leak, ScanError
from .register import Register, read_register
from .scan import scan_for_leaks

__all__ = ["release_check"]


def _registers(data_dir: str | Path | None) -> list[tuple[Path, Path]]:
    """(register file, the folder it must stay inside): the data folder's and the private one."""
    registers = []
    if data_dir and os.path.lexists(Path(data_dir) / "identifiers.txt"):
        registers.append((Path(data_dir) / "identifiers.txt", Path(data_dir)))
    private = project_root() / "data" / "private" / "identifiers.txt"
    if os.path.lexists(private):
        registers.append((private, private.parent))
    return registers


def _read_registers(registers: list[tuple[Path, Path]], errors: list[str]) -> Register:
    reg = Register((), ())
    for r, bound in registers:
        try:
            reg = reg + read_register(r, bound)
        except ScanError as exc:
            errors.append(str(exc))
    return reg


def _pages(
    run_dir: Path, manifest: Mapping[str, Any] | None, pages: Mapping[str, str] | None
) -> dict[str, str]:
    """The files about to be written, by path; ``manifest.json`` from ``manifest`` unless given."""
    out = dict(pages or {})
    target = str(run_dir / "manifest.json")
    if manifest is not None and target not in out:
        provisional = dict(manifest, release={"releasable": False, "leaks": []})
        out[target] = json.dumps(provisional, indent=2, ensure_ascii=False)
    return out


def _scan(run_dir: Path, reg: Register, pages: dict[str, str], errors: list[str]) -> list[Leak]:
    try:
        return scan_for_leaks(run_dir, reg, extra=pages)
    except Exception as exc:  # fail closed, whatever went wrong
        errors.append(str(exc) if isinstance(exc, ScanError) else f"{type(exc).__name__}: {exc}")
        return []


def _findings(run_dir: Path, leaks: list[Leak], errors: list[str]) -> list[dict[str, str]]:
    """The leaks with paths relative to the run, then one ``scan-error`` finding per error."""

    def rel(f: str) -> str:
        try:
            return str(Path(f).relative_to(run_dir))
        except ValueError:
            return f

    found = [dict(asdict(lk), file=rel(lk.file)) for lk in leaks]
    found += [
        {
            "file": "",
            "location": "",
            "rule": "scan-error",
            "hint": "",
            "reason": e.replace(str(run_dir) + os.sep, ""),
        }
        for e in errors
    ]
    return found


def _described(run_dir: Path, pages: Mapping[str, str]) -> str:
    names = sorted(Path(p).name if Path(p).parent == run_dir else p for p in pages)
    if not names:
        return "every file of the run folder"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"every file of the run folder, {listed}"


def release_check(
    run_dir: str | Path,
    data_dir: str | Path | None = None,
    manifest: Mapping[str, Any] | None = None,
    pages: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Scan a whole run folder; the ``release`` entry of its manifest. Fails closed.

    Parameters
    ----------
    run_dir : str or Path
        The run folder: every file under it is scanned.
    data_dir : str or Path, optional
        The data folder; its ``identifiers.txt`` (the fictional register of
        the example) is the identifier register, with
        ``data/private/identifiers.txt`` of the project when present.
    manifest : mapping, optional
        The manifest about to be written: scanned as ``manifest.json`` will
        be written from it (unless ``pages`` holds that file already).
    pages : mapping of str to str, optional
        Files about to be written into the run (path -> text), scanned before
        they exist: the pipeline passes ``manifest.json`` and ``index.html``
        from :func:`evaluation.report.pages_to_be_written`.

    Returns
    -------
    dict
        ``releasable`` (bool), ``leaks`` (list of dicts: ``file`` relative to
        the run, ``location``, ``rule``, ``hint``, ``reason``), ``errors``,
        ``scanned``, ``identifier_registers``, ``n_identifiers``.

    Notes
    -----
    Anything that stops the scan (an unreadable register, a file that cannot
    be parsed, a PDF without pypdf installed) makes the run not releasable:
    the problem is listed in ``errors`` and as a finding with rule
    ``scan-error``, so a gate that only counts findings fails too.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> run = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (run / "01_site.html").write_text("<p>2019-2023: 1200 brott</p>")
    >>> rel = release_check(run, pages={str(run / "index.html"): "<p>Ring 070-123 45 67</p>"})
    >>> rel["releasable"], [(lk["file"], lk["rule"]) for lk in rel["leaks"]], rel["scanned"]
    (False, [('index.html', 'phone')], 'every file of the run folder, index.html')
    """
    run_dir = Path(run_dir)
    registers = _registers(data_dir)
    errors: list[str] = []
    reg = _read_registers(registers, errors)
    to_be_written = _pages(run_dir, manifest, pages)
    leaks = _scan(run_dir, reg, to_be_written, errors)
    found = _findings(run_dir, leaks, errors)
    return {
        "releasable": not found,
        "leaks": found,
        "errors": errors,
        "scanned": _described(run_dir, to_be_written),
        "identifier_registers": [str(r) for r, _ in registers],
        "n_identifiers": len(reg),
    }
