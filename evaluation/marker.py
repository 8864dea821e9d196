"""The ``SYNTHETIC`` marker of a generated data folder, and whether it still holds.

:func:`evaluation.synthetic.make_example_data` writes a file ``SYNTHETIC`` into
the folder it generates: a note, the seed and a *fingerprint*, the SHA-256 of
every other file of the folder as generated. A report calls its data
"synthetic example data" only when the marker is there **and** the files still
match the fingerprint (:func:`synthetic_status`). A folder copied from
``data/example`` and then filled with real data keeps the marker file, but no
longer matches: the report then does not call the data synthetic, and the run
warns that the marker does not match (delete the marker from real data).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

__all__ = ["MARKER", "data_fingerprint", "write_marker", "synthetic_status"]

#: The marker file's name, at the top of a data folder.
MARKER = "SYNTHETIC"

_LINE = re.compile(r"^fingerprint:\s*sha256:([0-9a-f]{64})\s*$", re.M)


def _files(folder: Path) -> list[tuple[str, Path]]:
    """Regular files under ``folder`` (relative POSIX path, path), without following links,
    skipping the marker itself and hidden files and folders (``.ipynb_checkpoints``)."""
    out: list[tuple[str, Path]] = []
    stack = [(folder, "")]
    while stack:
        here, rel = stack.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for e in entries:
            name = f"{rel}{e.name}"
            if e.name.startswith(".") or name == MARKER:
                continue
            if e.is_dir(follow_symlinks=False):
                stack.append((Path(e.path), name + "/"))
            elif e.is_symlink():
                out.append((name, Path(e.path)))  # a link: its target is not read
            elif e.is_file(follow_symlinks=False):
                out.append((name, Path(e.path)))
    return sorted(out)


def data_fingerprint(folder: str | Path) -> str:
    """SHA-256 over the names and contents of the files of a data folder (``sha256:<hex>``).

    Every regular file counts except the marker and hidden files; line endings
    are normalised (``\\r\\n`` as ``\\n``), so a checkout that converts them still
    matches. A symbolic link counts by its name only (it is never followed), so
    it changes the fingerprint without anything outside the folder being read.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("x\\n")
    >>> before = data_fingerprint(d)
    >>> _ = (d / "a.csv").write_text("y\\n")
    >>> data_fingerprint(d) != before
    True
    """
    h = hashlib.sha256()
    for name, path in _files(Path(folder)):
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                h.update(b"<not a regular file>\0")
                continue
            data = path.read_bytes()
        except OSError:
            h.update(b"<unreadable>\0")
            continue
        data = data.replace(b"\r\n", b"\n")
        h.update(str(len(data)).encode() + b"\0" + data)
    return "sha256:" + h.hexdigest()


def write_marker(folder: str | Path, note: str) -> Path:
    """Write ``folder/SYNTHETIC``: ``note`` and the fingerprint of the folder's other files.

    Call it last, after every other file of the generated folder is written.

    Parameters
    ----------
    folder : str or Path
        The generated data folder.
    note : str
        What the data are (the marker's first lines).

    Returns
    -------
    Path
        The marker file.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "sessions.csv").write_text("session,zone\\n")
    >>> print(write_marker(d, "SYNTHETIC EXAMPLE DATA").read_text()[:43])
    SYNTHETIC EXAMPLE DATA
    fingerprint: sha256:
    """
    folder = Path(folder)
    text = note.rstrip("\n") + f"\nfingerprint: {data_fingerprint(folder)}\n"
    path = folder / MARKER
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def synthetic_status(folder: str | Path | None) -> str:
    """Whether a data folder holds generated data as generated.

    Returns
    -------
    str
        ``"synthetic"``: the marker is there and the files match its fingerprint;
        ``"mismatch"``: a marker is there but the files do not match (or it has no
        fingerprint: copied and changed, or written by hand); ``"none"``: no marker.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "calendar.csv").write_text("start,end,kind,name\\n")
    >>> synthetic_status(d)
    'none'
    >>> _ = write_marker(d, "SYNTHETIC EXAMPLE DATA")
    >>> synthetic_status(d)
    'synthetic'
    >>> _ = (d / "calendar.csv").write_text("start,end,kind,name\\n2020-01-01,2020-02-01,art,x\\n")
    >>> synthetic_status(d)
    'mismatch'
    """
    if not folder:
        return "none"
    marker = Path(folder) / MARKER
    try:
        st = os.lstat(marker)
    except OSError:
        return "none"
    if not stat.S_ISREG(st.st_mode) or st.st_size > 64 * 1024:
        return "mismatch"
    try:
        text = marker.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "mismatch"
    m = _LINE.search(text)
    if m is None:
        return "mismatch"
    return "synthetic" if data_fingerprint(folder) == "sha256:" + m.group(1) else "mismatch"
