"""Archives: every member of a zip (``.zip``, ``.xlsx``, ``.docx``...), tar or gzip
file is scanned as the file it is, up to three archives deep.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

from .findings import ScanError, Sink

__all__ = ["read_zip", "read_tar", "read_gzip", "MAX_DEPTH"]

MAX_DEPTH = 3
"""Archives nested deeper than this are an error (a zip bomb of nested archives)."""


def read_zip(sink: Sink, name: str, data: bytes, depth: int = 0) -> None:
    """Scan every member of a zip archive as ``archive!member``.

    Raises
    ------
    ScanError
        Not a readable zip, or nested more than :data:`MAX_DEPTH` deep.

    Examples
    --------
    >>> import io, zipfile
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("sheet.csv", "namn;telefon\\nx;070-123 45 67\\n")
    >>> s = Scanner(Register.of(None))
    >>> read_zip(s, "tables.xlsx", buf.getvalue())
    >>> [(lk.file, lk.location, lk.rule) for lk in s.leaks]
    [('tables.xlsx!sheet.csv', 'line 2', 'phone')]
    """
    if depth > MAX_DEPTH:
        raise ScanError(f"{name}: zip archives nested more than {MAX_DEPTH} deep")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                if not info.is_dir():
                    sink.file(f"{name}!{info.filename}", z.read(info), depth + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError) as exc:
        raise ScanError(f"{name}: zip archive cannot be read ({exc})") from None


def read_tar(sink: Sink, name: str, data: bytes, depth: int = 0) -> None:
    """Scan every regular file of a tar archive (plain or compressed) as ``archive!member``.

    Raises
    ------
    ScanError
        Not a readable tar archive, or nested more than :data:`MAX_DEPTH` deep.

    Examples
    --------
    >>> import io, tarfile
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> buf, text = io.BytesIO(), b"pnr 811218-9876"
    >>> with tarfile.open(fileobj=buf, mode="w") as tf:
    ...     info = tarfile.TarInfo("notes/a.txt"); info.size = len(text)
    ...     tf.addfile(info, io.BytesIO(text))
    >>> s = Scanner(Register.of(None))
    >>> read_tar(s, "backup.tar", buf.getvalue())
    >>> [(lk.file, lk.rule) for lk in s.leaks]
    [('backup.tar!notes/a.txt', 'personnummer')]
    """
    if depth > MAX_DEPTH:
        raise ScanError(f"{name}: archives nested more than {MAX_DEPTH} deep")
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            for member in tf.getmembers():
                if member.isfile():
                    f = tf.extractfile(member)
                    sink.file(f"{name}!{member.name}", f.read() if f else b"", depth + 1)
    except tarfile.TarError as exc:
        raise ScanError(f"{name}: tar archive cannot be read ({exc})") from None


def read_gzip(sink: Sink, name: str, data: bytes, depth: int = 0) -> None:
    """Scan the file a ``.gz`` holds, as ``name!stem``.

    Raises
    ------
    ScanError
        The data cannot be decompressed.

    Examples
    --------
    >>> import gzip
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> s = Scanner(Register.of(None))
    >>> read_gzip(s, "log.txt.gz", gzip.compress(b"mail anna.b@example.se"))
    >>> [(lk.file, lk.rule) for lk in s.leaks]
    [('log.txt!log.txt', 'email')]
    """
    try:
        inner = gzip.decompress(data)
    except OSError as exc:
        raise ScanError(f"{name}: cannot be decompressed ({exc})") from None
    sink.file(name[: -len(".gz")] + "!" + Path(name).stem, inner, depth + 1)
