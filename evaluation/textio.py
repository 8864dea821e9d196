"""Reading input files: regular files only, bounded, confined, strict UTF-8 (stdlib only).

Used by the data loaders (:mod:`evaluation.sources`), the codebook and
REFI-QDA readers (:mod:`evaluation.coding`) and the YAML reader
(:mod:`evaluation.yamlio`: parameter files, codebooks). Input files are only
ever opened for reading; every file read is recorded for provenance.

Hostile folders are expected: a data folder copied from a shared drive may
hold a symbolic link to ``/etc/passwd`` or a private key, a FIFO that never
ends, a device such as ``/dev/zero``, or a folder where a file should be.
:func:`read_bytes` therefore

- opens without blocking and checks on the open file (``fstat``) that it is a
  *regular file* (no devices, FIFOs, sockets or folders);
- inside :func:`confine` (``load_dataset`` confines to the data folder) refuses
  a path that, after resolving symbolic links, lies outside the folder;
- refuses files larger than :data:`MAX_FILE_BYTES` (checked on the declared
  size, and while reading, in case the file grows);
- never puts any of the file's bytes into an error message.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from . import provenance
from .errors import DataError, Problem

__all__ = [
    "read_text",
    "read_bytes",
    "open_regular",
    "decode_utf8",
    "confine",
    "check_inside",
    "MAX_FILE_BYTES",
]

#: Largest input file read (bytes): a transcript set of 50 MB in one file still reads.
MAX_FILE_BYTES = 64 * 1024 * 1024

_ROOT: contextvars.ContextVar[Path | None] = contextvars.ContextVar("evaluation_root", default=None)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


@contextlib.contextmanager
def confine(root: str | Path, *, keep_outer: bool = True) -> Iterator[Path]:
    """Within this block, files are read only if they resolve inside ``root``.

    Symbolic links are resolved first, so a link inside the folder that points
    out of it is refused. With ``keep_outer`` (the default) an enclosing
    :func:`confine` stays in force (a loader called by ``load_dataset`` keeps
    the data folder as its bound).

    Parameters
    ----------
    root : str or Path
        The folder files must stay inside.
    keep_outer : bool
        Keep the bound of an enclosing block.

    Yields
    ------
    Path
        The folder in force (resolved).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> data = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (data / "a.csv").write_text("x\\n1\\n")
    >>> with confine(data):
    ...     read_text(data / "a.csv")
    ...     read_text("/etc/hostname")
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    /etc/hostname
      /etc/hostname: points outside the data folder; it was not read; expected a regular file inside the data folder (...)
    """
    resolved = Path(root).resolve()
    if keep_outer and _ROOT.get() is not None:
        yield _ROOT.get()  # type: ignore[misc]
        return
    token = _ROOT.set(resolved)
    try:
        yield resolved
    finally:
        _ROOT.reset(token)


def check_inside(path: str | Path, root: str | Path, label: str, what: str) -> Path:
    """The resolved ``path``; :class:`DataError` if it is not inside ``root``.

    Parameters
    ----------
    path, root : str or Path
        The file and the folder it must resolve inside (links followed).
    label : str
        How the file is named in the message.
    what : str
        How the folder is named in the message (``"the data folder"``).

    Returns
    -------
    Path

    Examples
    --------
    >>> check_inside("/tmp/data/../data/a.csv", "/tmp/data", "a.csv", "the data folder").as_posix()
    '/tmp/data/a.csv'
    >>> check_inside("/tmp/data/../a.csv", "/tmp/data", "a.csv", "the data folder")
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    a.csv
      a.csv: points outside the data folder; it was not read; expected a regular file inside the data folder (/tmp/data)
    """
    root_r = Path(root).resolve()
    try:
        target = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise DataError(
            [Problem(label, None, None, "a symbolic link that loops", f"a file inside {what}")]
        ) from None
    if target != root_r and root_r not in target.parents:
        link = " (a symbolic link)" if Path(path).is_symlink() else ""
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    None,
                    f"points outside {what}{link}; it was not read",
                    f"a regular file inside {what} ({root_r})",
                )
            ]
        )
    return target


def open_regular(
    path: str | Path,
    label: str | None = None,
    *,
    root: str | Path | None = None,
    limit: int = MAX_FILE_BYTES,
    what: str = "the data folder",
) -> tuple[BinaryIO, int]:
    """Open a regular file for reading: ``(binary file object, size in bytes)``.

    Opens without blocking (a FIFO cannot hang the call), then checks on the
    open file that it is a regular file of at most ``limit`` bytes and, when
    ``root`` (or an enclosing :func:`confine`) is given, that the path resolves
    inside it; ``what`` names that folder in messages. Raises
    :class:`DataError` otherwise. The caller closes the file.

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("x\\n1\\n")
    >>> fh, size = open_regular(d / "a.csv")
    >>> with fh:
    ...     size, fh.read()
    (4, b'x\\n1\\n')
    >>> os.mkfifo(d / "pipe.csv")
    >>> open_regular(d / "pipe.csv", "pipe.csv")
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    pipe.csv
      pipe.csv: is a FIFO (named pipe), not a regular file; it was not read; expected a regular file
    """
    path = Path(path)
    label = label or str(path)
    bound = root if root is not None else _ROOT.get()
    target = check_inside(path, bound, label, what) if bound is not None else path

    def refuse(message: str, expected: str = "a regular file") -> DataError:
        return DataError([Problem(label, None, None, message, expected)])

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(target, flags)
    except FileNotFoundError:
        raise refuse("file not found", "this file") from None
    except IsADirectoryError:
        raise refuse("is a folder", "a file") from None
    except PermissionError:
        raise refuse("permission denied", "a readable file") from None
    except OSError as exc:
        raise refuse(f"cannot be opened ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise refuse(f"is {_kind(st.st_mode)}, not a regular file; it was not read")
        if st.st_size > limit:
            raise refuse(
                f"is {st.st_size:,} bytes, more than the limit of {limit:,}",
                f"a file of at most {limit:,} bytes",
            )
        os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    provenance.record(target)
    return fh, st.st_size


def read_bytes(
    path: str | Path,
    label: str | None = None,
    *,
    root: str | Path | None = None,
    limit: int = MAX_FILE_BYTES,
    what: str = "the data folder",
) -> bytes:
    """The bytes of a regular file, bounded and (optionally) confined.

    Parameters
    ----------
    path : str or Path
    label : str, optional
        How the file is named in messages (default: the path).
    root : str or Path, optional
        The folder the file must resolve inside; default the folder of the
        enclosing :func:`confine`, if any.
    limit : int
        Largest size accepted, in bytes (checked on the size the file
        declares and again while reading, in case it grows).
    what : str
        How ``root`` is named in messages.

    Returns
    -------
    bytes

    Raises
    ------
    DataError
        The file is missing, not a regular file, outside ``root`` or too large.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_bytes(b"zone,count\\nplattan,12\\n")
    >>> read_bytes(f)
    b'zone,count\\nplattan,12\\n'
    >>> read_bytes(f, "a.csv", limit=10)
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    a.csv
      a.csv: is 22 bytes, more than the limit of 10; expected a file of at most 10 bytes
    """
    label = label or str(path)
    fh, _ = open_regular(path, label, root=root, limit=limit, what=what)
    with fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise DataError(
                [Problem(label, None, None, f"cannot be read ({exc.strerror})", "a readable file")]
            ) from None
    if len(data) > limit:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    None,
                    f"grew past the limit of {limit:,} bytes while being read",
                    f"a file of at most {limit:,} bytes",
                )
            ]
        )
    return data


def decode_utf8(raw: bytes, label: str) -> str:
    """Decode strict UTF-8 (a leading byte-order mark dropped), or a :class:`DataError`.

    The message names the byte offset, its line, the byte's value (never the
    surrounding content) and the encoding tried.

    Examples
    --------
    >>> decode_utf8("\\ufeffzon,antal\\nfontanen,12\\n".encode("utf-8"), "a.csv")
    'zon,antal\\nfontanen,12\\n'
    >>> decode_utf8("zon\\nNorrtorget, Storgatan, Åhléns\\n".encode("latin-1"), "a.csv")
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    a.csv
      a.csv:2: byte 0xc5 at offset 27 is not valid UTF-8 (encodings tried: UTF-8; saved as Latin-1 / Windows-1252?); expected UTF-8 text (re-save the file as UTF-8)
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(
            [
                Problem(
                    label,
                    line,
                    None,
                    f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not valid UTF-8"
                    " (encodings tried: UTF-8; saved as Latin-1 / Windows-1252?)",
                    "UTF-8 text (re-save the file as UTF-8)",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def read_text(
    path: str | Path,
    label: str | None = None,
    *,
    root: str | Path | None = None,
    limit: int = MAX_FILE_BYTES,
    what: str = "the data folder",
) -> str:
    """Read a file as UTF-8 (a leading byte-order mark is dropped).

    The file must be a regular file (see :func:`read_bytes`). Raises
    :class:`DataError` naming the line and byte offset of the first invalid
    sequence when the file is not UTF-8, or when it does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_text("zon\\nPlattan\\n", encoding="utf-8-sig")
    >>> read_text(f)
    'zon\\nPlattan\\n'
    >>> read_text(f.with_name("missing.csv"), "missing.csv")
    Traceback (most recent call last):
    ...
    evaluation.errors.DataError: 1 problem in the data:
    missing.csv
      missing.csv: file not found; expected this file
    """
    label = label or str(path)
    return decode_utf8(read_bytes(path, label, root=root, limit=limit, what=what), label)
