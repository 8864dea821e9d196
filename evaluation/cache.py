"""A content-addressed cache of executed notebooks.

A notebook is re-executed only when something it depends on changed:

- its source (the ``.ipynb`` bytes);
- its parameters (``run_dir`` excluded);
- the package's code (every file under ``evaluation/``);
- the results of the notebooks it needs (their JSON in this run);
- anything else the caller passes (e.g. the banner rendered into the HTML);
- the input files it read last time (SHA-256 of each, re-hashed on every lookup);
- the listing (names, one level) of every folder it read from or enumerated last
  time, so that adding or removing a file (a new transcript, a new source folder)
  re-runs it.

The first five make the *pre-key*; an entry under it records the inputs read
and their hashes and the folder listings, and the final key adds those. A
changed input byte or folder listing changes a hash, so the notebook runs again.
Entries live in ``reports/.cache/`` (ignored by git): the executed notebook, its
HTML and its results JSON. Restoring an entry into a run folder hard-links the
HTML and the results (a copy where links are impossible); the executed notebook
is rewritten, because it names its run folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import provenance

__all__ = [
    "package_hash",
    "pre_key",
    "listing_hash",
    "lookup",
    "store",
    "restore",
    "link_or_copy",
    "CACHE_DIR",
]

CACHE_DIR = ".cache"
_PKG_HASH: str | None = None


def package_hash() -> str:
    """SHA-256 over the package's own files (code and templates), computed once per process.

    Examples
    --------
    >>> len(package_hash()), package_hash() == package_hash()
    (64, True)
    """
    global _PKG_HASH
    if _PKG_HASH is None:
        h = hashlib.sha256()
        root = Path(__file__).parent
        for p in sorted(root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(root)).encode())
                h.update(p.read_bytes())
        _PKG_HASH = h.hexdigest()
    return _PKG_HASH


def listing_hash(folder: str | Path) -> str:
    """SHA-256 of a folder's listing: the sorted names of its entries (one level; folders
    marked with ``/``). ``"<missing>"`` for a folder that does not exist.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> before = listing_hash(d)
    >>> _ = (d / "new.txt").write_text("x")
    >>> listing_hash(d) != before
    True
    """
    folder = Path(folder)
    try:
        names = sorted(
            e.name + ("/" if e.is_dir(follow_symlinks=False) else "") for e in os.scandir(folder)
        )
    except (FileNotFoundError, NotADirectoryError):
        return "<missing>"
    return hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def pre_key(
    notebook: Path,
    params: dict[str, Any],
    dependency_results: list[Path],
    extra: dict[str, Any] | None = None,
) -> str:
    """Hash of the notebook source, its parameters, the package code, the results it needs
    and ``extra`` (anything else its output depends on).

    ``run_dir`` is not part of the key: the same notebook in another run folder
    is the same entry.

    Examples
    --------
    >>> import tempfile
    >>> nb = Path(tempfile.mkdtemp()) / "00_a.ipynb"
    >>> _ = nb.write_text("{}")
    >>> pre_key(nb, {"seed": 1, "run_dir": "a"}, []) == pre_key(nb, {"seed": 1, "run_dir": "b"}, [])
    True
    >>> pre_key(nb, {"seed": 1}, []) == pre_key(nb, {"seed": 2}, [])
    False
    """
    h = hashlib.sha256()
    h.update(notebook.read_bytes())
    h.update(
        json.dumps(
            {k: v for k, v in params.items() if k != "run_dir"}, sort_keys=True, default=str
        ).encode()
    )
    h.update(package_hash().encode())
    for p in dependency_results:
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    if extra:
        h.update(json.dumps(extra, sort_keys=True, default=str).encode())
    return h.hexdigest()


def _full_key(key: str, hashed: list, listed: list | None = None) -> str:
    h = hashlib.sha256(key.encode())
    for path, digest in hashed:
        h.update(f"{path}:{digest}".encode())
    for path, digest in listed or []:
        h.update(f"{path}/:{digest}".encode())
    return h.hexdigest()


def lookup(cache_root: Path, stem: str, key: str) -> tuple[Path | None, str]:
    """A cached entry under the pre-key whose recorded inputs are all unchanged, and its full key.

    Several entries can live under one pre-key (e.g. the same notebook run on
    two versions of a data file); each is checked by re-hashing its inputs.

    Examples
    --------
    A changed input makes the entry stale (:func:`store` made it):

    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> (tmp / "run" / "results").mkdir(parents=True)
    >>> _ = (tmp / "run" / "results" / "00_a.json").write_text("{}")
    >>> data = tmp / "data.csv"
    >>> _ = data.write_text("1")
    >>> full = store(tmp / "cache", "00_a", "k", tmp / "run", [str(data)])
    >>> lookup(tmp / "cache", "00_a", "k")[1] == full
    True
    >>> _ = data.write_text("2")
    >>> lookup(tmp / "cache", "00_a", "k")
    (None, 'k')
    """
    base = cache_root / stem / key
    if not base.is_dir():
        return None, key
    for d in sorted(base.iterdir()):
        meta = d / "entry.json"
        if not meta.exists():
            continue
        entry = json.loads(meta.read_text(encoding="utf-8"))
        if all(
            Path(p).exists() and provenance.sha256(p) == digest for p, digest in entry["inputs"]
        ) and all(listing_hash(f) == digest for f, digest in entry.get("folders", [])):
            return d, d.name
    return None, key


def store(
    cache_root: Path,
    stem: str,
    key: str,
    run_dir: Path,
    inputs: list[str],
    folders: Sequence[str] = (),
) -> str:
    """Copy a notebook's executed copy, HTML and results into the cache; return the full key.

    ``inputs`` are the files it read, ``folders`` those whose listing it depends on.

    Examples
    --------
    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> (tmp / "run").mkdir()
    >>> _ = (tmp / "run" / "00_a.html").write_text("<p>page</p>")
    >>> full = store(tmp / "cache", "00_a", "prekey", tmp / "run", [], folders=[str(tmp)])
    >>> sorted(p.name for p in (tmp / "cache" / "00_a" / "prekey" / full).iterdir())
    ['00_a.html', 'entry.json']
    """
    hashed = [(p, provenance.sha256(p)) for p in inputs if Path(p).exists()]
    listed = [(f, listing_hash(f)) for f in folders]
    full = _full_key(key, hashed, listed)
    d = cache_root / stem / key / full
    tmp = d.with_name(d.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for src in (
        run_dir / f"{stem}.ipynb",
        run_dir / f"{stem}.html",
        run_dir / "results" / f"{stem}.json",
    ):
        if src.exists():
            shutil.copy2(src, tmp / src.name)
    (tmp / "entry.json").write_text(
        json.dumps({"stem": stem, "inputs": hashed, "folders": listed}, indent=1),
        encoding="utf-8",
    )
    if d.exists():
        shutil.rmtree(d)
    tmp.rename(d)
    return full


def restore(entry: Path, stem: str, run_dir: Path, run_dir_param: str | None) -> None:
    """Copy a cached entry into a run folder, pointing its injected ``run_dir`` at this run.

    Examples
    --------
    >>> import json, tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> (tmp / "entry").mkdir(); (tmp / "run").mkdir()
    >>> cell = {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]},
    ...         "source": "run_dir = '/old/run'\\nseed = 1"}
    >>> _ = (tmp / "entry" / "00_a.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> restore(tmp / "entry", "00_a", tmp / "run", "/new/run")
    >>> json.loads((tmp / "run" / "00_a.ipynb").read_text())["cells"][0]["source"]
    "seed = 1\\nrun_dir = '/new/run'"
    """
    nb = json.loads((entry / f"{stem}.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []) and run_dir_param:
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            lines = [ln for ln in src.splitlines() if not ln.startswith("run_dir = ")]
            lines.append(f"run_dir = {run_dir_param!r}")
            cell["source"] = "\n".join(lines)
    (run_dir / f"{stem}.ipynb").write_text(
        json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if (entry / f"{stem}.html").exists():
        link_or_copy(entry / f"{stem}.html", run_dir / f"{stem}.html")
    if (entry / f"{stem}.json").exists():
        (run_dir / "results").mkdir(exist_ok=True)
        link_or_copy(entry / f"{stem}.json", run_dir / "results" / f"{stem}.json")


def link_or_copy(src: Path, dst: Path) -> str:
    """Hard-link ``src`` to ``dst`` (no extra space; cache entries are never changed in
    place: :func:`store` writes a new folder), or copy where a link is impossible (another
    file system). Returns ``"link"`` or ``"copy"``.

    Examples
    --------
    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "a.html").write_text("page")
    >>> link_or_copy(tmp / "a.html", tmp / "b.html"), (tmp / "b.html").read_text()
    ('link', 'page')
    """
    try:
        os.link(src, dst)
        return "link"
    except OSError:
        shutil.copy2(src, dst)
        return "copy"
