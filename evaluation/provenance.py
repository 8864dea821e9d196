"""Which input files a process read: paths, sizes and SHA-256.

Every loader in :mod:`evaluation.sources` and :mod:`evaluation.coding` calls
:func:`record` for each file it reads; a notebook writes :func:`files_read`
into its results JSON, and the run's ``manifest.json`` lists them (the cache
of later runs keys on the same hashes).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["record", "files_read", "sha256", "reset"]

_READ: dict[str, None] = {}


def sha256(path: str | Path) -> str:
    """SHA-256 hex digest of a file, read in blocks.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = f.write_bytes(b"abc")
    >>> sha256(f)[:16]
    'ba7816bf8f01cfea'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record(path: str | Path) -> None:
    """Note that ``path`` was read by this process (the path is resolved; the file is not opened).

    Examples
    --------
    >>> reset()
    >>> record("/tmp/../tmp/sessions.csv")
    >>> files_read()
    ['/tmp/sessions.csv']
    """
    _READ[str(Path(path).resolve())] = None


def files_read() -> list[str]:
    """Absolute paths of the files recorded so far, in the order first read.

    Returns
    -------
    list of str

    Examples
    --------
    >>> reset()
    >>> for name in ("/tmp/b.csv", "/tmp/a.csv", "/tmp/b.csv"):
    ...     record(name)
    >>> files_read()
    ['/tmp/b.csv', '/tmp/a.csv']
    """
    return list(_READ)


def reset() -> None:
    """Forget the files recorded so far (used by tests).

    Examples
    --------
    >>> record("/tmp/x.csv")
    >>> reset()
    >>> files_read()
    []
    """
    _READ.clear()
