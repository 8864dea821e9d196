"""The text of a project's ``TextSource``: from the archive, or from a named folder only.

Only the archive is read, unless the caller names a folder of external sources
(``sources_dir``) for ``relative://`` and ``absolute://`` paths; such a path must
then resolve inside that folder (symbolic links resolved) and be a regular file.
Text is UTF-8, UTF-16 with a byte-order mark, else Windows-1252; undecodable
bytes are a :class:`~evaluation.errors.DataError` naming the offset and the
encodings tried.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

from ...errors import DataError, Problem
from ...textio import read_bytes
from ._xml import child, problem, short
from .archive import MAX_MEMBER_BYTES, QdpxArchive

__all__ = ["source_text", "decode_source"]


def decode_source(raw: bytes, where: str) -> str:
    """Text of a source: UTF-8, UTF-16 with a byte-order mark, else Windows-1252.

    Raises
    ------
    DataError
        Naming ``where``, the byte offset and the encodings tried.

    Examples
    --------
    >>> decode_source("Trygghet".encode("utf-16"), "s.txt"), decode_source(b"caf\\xe9", "s.txt")
    ('Trygghet', 'café')
    >>> try:
    ...     decode_source(b"\\x81", "s.txt")
    ... except DataError as e:
    ...     print(e.problems[0].message)
    byte 0x81 at offset 0 cannot be decoded (encodings tried: UTF-8, which fails at offset 0; Windows-1252)
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise problem(
                where,
                f"bytes at offset {exc.start} cannot be decoded (encodings tried: UTF-16,"
                " as its byte-order mark says)",
                "a plain-text source in UTF-8 or UTF-16",
            ) from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as first:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise problem(
                where,
                f"byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded (encodings"
                f" tried: UTF-8, which fails at offset {first.start}; Windows-1252)",
                "a plain-text source in UTF-8",
            ) from None


def _member(arc: QdpxArchive, file: str, *cands: str) -> tuple[bytes, str] | None:
    """The first of ``cands`` that the archive holds, read, and where it came from."""
    for cand in cands:
        if cand in arc.names:
            return arc.read(cand), f"{file}:{cand}"
    return None


def _external(
    scheme: str, rest: str, sources_dir: Path | None, file: str, sname: str, ptp: str
) -> tuple[bytes, str]:
    """Read a source outside the archive, only from inside ``sources_dir``."""
    if sources_dir is None:
        raise problem(
            file,
            f"source {sname} refers to {short(ptp)}, a file outside the archive; it was not read",
            "sources inside the .qdpx, or name a folder of external sources"
            " (read_qdpx(..., sources_dir=...) / --sources-dir)",
            "plainTextPath",
        )
    if scheme == "relative":
        target = sources_dir / rest.lstrip("/")
    else:
        target = Path(rest if rest.startswith("/") else "/" + rest)
    label = f"{file}: source {sname} ({short(ptp)})"
    try:
        raw = read_bytes(
            target, label, root=sources_dir, limit=MAX_MEMBER_BYTES, what="the sources folder"
        )
    except DataError as exc:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    "plainTextPath",
                    p.message,
                    f"a regular file inside the sources folder {sources_dir}",
                )
                for p in exc.problems
            ]
        ) from None
    return raw, label


def _by_path(
    ptp: str, arc: QdpxArchive, sources_dir: Path | None, file: str, sname: str
) -> tuple[bytes, str] | None:
    """The bytes a ``plainTextPath`` names (``None`` when the archive does not hold them)."""
    scheme, sep, rest = ptp.partition("://")
    if not sep:
        scheme, rest = "", ptp
    rest = rest.replace("\\", "/")
    base = PurePosixPath(rest).name
    if scheme == "internal":
        return _member(arc, file, f"sources/{rest.lstrip('/')}", rest.lstrip("/"))
    if scheme in ("relative", "absolute", "file"):
        found = _member(arc, file, f"sources/{base}") if base else None
        if found is None:
            found = _external(scheme, rest, sources_dir, file, sname, ptp)
        return found
    if scheme == "":
        return _member(arc, file, f"sources/{base}", rest) if base else None
    raise problem(
        file,
        f"source {sname} has plainTextPath {short(ptp)} with an unknown scheme",
        "internal://, relative:// or absolute://",
        "plainTextPath",
    )


def source_text(
    src: ET.Element, arc: QdpxArchive, sources_dir: Path | None, file: str
) -> tuple[str, str]:
    """The text of a ``TextSource`` element and where it came from (for messages).

    Only the archive is read, unless ``sources_dir`` names a folder for
    ``relative://`` and ``absolute://`` paths; the path must then resolve inside
    that folder (symbolic links resolved) and be a regular file.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile, xml.etree.ElementTree as ET
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.qdpx"
    >>> with zipfile.ZipFile(p, "w") as z:
    ...     z.writestr("sources/a.txt", "Hej")
    >>> arc = QdpxArchive(p, "p.qdpx")
    >>> source_text(ET.Element("TextSource", plainTextPath="internal://a.txt"), arc, None, "p.qdpx")
    ('Hej', 'p.qdpx:sources/a.txt')
    >>> arc.close()
    """
    sname = short(src.get("name") or src.get("guid") or "?")
    content = child(src, "PlainTextContent")
    if content is not None and content.text:
        return content.text.removeprefix("\ufeff"), f"{file}: source {sname}"
    ptp = (src.get("plainTextPath") or "").strip()
    if not ptp:
        raise problem(
            file,
            f"source {sname} has no plainTextPath or PlainTextContent",
            "a plain-text version of every text source",
            "TextSource",
        )
    found = _by_path(ptp, arc, sources_dir, file, sname)
    if found is None:
        raise problem(
            file,
            f"source {sname}: {short(ptp)} is not in the archive",
            "the source's text under sources/",
            "plainTextPath",
        )
    raw, where = found
    return decode_source(raw, where), where
