"""Images and other binary files: the text chunks of a PNG (``tEXt``, ``zTXt``,
``iTXt``, ``eXIf``), and the printable runs of formats the scan does not parse
(JPEG comments and EXIF, fonts).
"""

from __future__ import annotations

import re
import struct
import zlib

from .findings import ScanError, Sink

__all__ = ["PNG_SIGNATURE", "read_png", "printable_runs"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The first eight bytes of every PNG file."""


def printable_runs(sink: Sink, file: str, location: str, data: bytes) -> None:
    """Scan the printable runs (six characters or more) of binary data as text.

    Parameters
    ----------
    sink : Sink
        Where the texts go (the scanner).
    file, location : str
        Where the data are, for the findings.
    data : bytes
        The binary data.

    Examples
    --------
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> s = Scanner(Register.of(["Karin Lindqvist"]))
    >>> printable_runs(s, "photo.jpg", "EXIF", b"\\xff\\xd8\\x00Artist: Karin Lindqvist\\x00")
    >>> [(lk.location, lk.rule) for lk in s.leaks]
    [('EXIF bytes 3', 'identifier')]
    """
    for m in re.finditer(rb"[\x20-\x7e\xa0-\xff]{6,}", data):
        sink.text(file, f"{location} bytes {m.start()}", m.group(0).decode("latin-1"))


def _itxt(body: bytes) -> tuple[bytes, str]:
    key, _, rest = body.partition(b"\0")
    flag = rest[0]  # rest[1]: compression method
    _lang, _, rest = rest[2:].partition(b"\0")
    tkey, _, val = rest.partition(b"\0")
    return key, tkey.decode("utf-8") + "\n" + (zlib.decompress(val) if flag else val).decode(
        "utf-8"
    )


def _chunk_text(name: str, body: bytes) -> tuple[bytes, str] | None:
    """(keyword, text) of a text chunk, ``None`` for any other chunk."""
    if name == "tEXt":
        key, _, val = body.partition(b"\0")
        return key, val.decode("latin-1")
    if name == "zTXt":
        key, _, rest = body.partition(b"\0")
        return key, zlib.decompress(rest[1:]).decode("latin-1")
    if name == "iTXt":
        return _itxt(body)
    return None


def _chunks(file: str, where: str, data: bytes):
    """(byte offset, chunk type, body) of every chunk up to ``IEND``; a truncated PNG is an error."""
    if data[:8] != PNG_SIGNATURE:
        raise ScanError(f"{file}: {where}not a PNG image (bad signature)")
    pos = 8
    while pos < len(data):
        if pos + 8 > len(data):
            raise ScanError(f"{file}: {where}PNG truncated at byte {pos}")
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise ScanError(f"{file}: {where}PNG chunk at byte {pos} truncated")
        name = ctype.decode("latin-1")
        yield pos, name, body
        pos += 12 + length
        if name == "IEND":
            break


def read_png(sink: Sink, file: str, location: str, data: bytes) -> None:
    """Scan the text chunks of a PNG image: ``tEXt``, ``zTXt`` and ``iTXt`` (keyword and text)
    and the printable runs of ``eXIf``.

    Raises
    ------
    ScanError
        Not a PNG, truncated, or a text chunk that cannot be decompressed or decoded.

    Examples
    --------
    >>> import struct, zlib
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> def chunk(kind, body):
    ...     return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    >>> png = PNG_SIGNATURE + chunk(b"zTXt", b"Comment\\0\\0" + zlib.compress(b"tel 070-123 45 67"))
    >>> s = Scanner(Register.of(None))
    >>> read_png(s, "fig.png", "", png + chunk(b"IEND", b""))
    >>> [(lk.location, lk.rule) for lk in s.leaks]
    [("PNG zTXt chunk 'Comment', line 2", 'phone')]
    """
    where = f"{location} " if location else ""
    for pos, name, body in _chunks(file, where, data):
        if name == "eXIf":
            printable_runs(sink, file, f"{where}PNG eXIf chunk", body)
            continue
        try:
            got = _chunk_text(name, body)
        except (zlib.error, UnicodeDecodeError, IndexError) as exc:
            raise ScanError(
                f"{file}: {where}PNG {name} chunk at byte {pos} cannot be read ({exc})"
            ) from None
        if got is not None:
            k = got[0].decode("latin-1")
            sink.text(file, f"{where}PNG {name} chunk '{k}'", k + "\n" + got[1])
