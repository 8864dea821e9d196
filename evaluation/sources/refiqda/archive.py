"""Bounded reading of a ``.qdpx`` archive: a project may come from anyone.

Members are read within :data:`MAX_MEMBER_BYTES` / :data:`MAX_UNPACKED_BYTES`
(declared sizes checked first, reading stops there); encrypted members, unknown
compression methods and damaged members are a :class:`~evaluation.errors.DataError`
naming the archive and the member.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from ...textio import open_regular
from ._xml import problem

__all__ = [
    "QdpxArchive",
    "MAX_MEMBER_BYTES",
    "MAX_UNPACKED_BYTES",
    "MAX_MEMBERS",
    "MAX_ARCHIVE_BYTES",
]

#: Largest archive member read (bytes, unpacked): the declared size is checked before
#: reading and reading stops there.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: Largest total of the members read from one archive (bytes, unpacked).
MAX_UNPACKED_BYTES = 128 * 1024 * 1024
#: Largest ``.qdpx`` file (bytes, packed; members not read, such as media, cost nothing).
MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024
#: Most members an archive may list (each costs memory before anything is read).
MAX_MEMBERS = 50_000

_COMPRESSION = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflated",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
_COMPRESSION_NAMES = {
    9: "Deflate64",
    93: "Zstandard",
    95: "XZ",
    97: "WavPack",
    98: "PPMd",
    99: "AES",
}


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (at most 200 characters)."""
    return (str(exc).splitlines() or [""])[0][:200]


class QdpxArchive:
    """A ``.qdpx`` opened for bounded reading of its members.

    Parameters
    ----------
    path : Path
        The archive (a regular file of at most :data:`MAX_ARCHIVE_BYTES`).
    file : str
        How messages name it.

    Raises
    ------
    DataError
        When the file is not a zip archive or lists more than :data:`MAX_MEMBERS` members.

    Examples
    --------
    >>> import io, tempfile, pathlib, zipfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.qdpx"
    >>> with zipfile.ZipFile(p, "w") as z:
    ...     z.writestr("project.qde", "<Project/>")
    >>> arc = QdpxArchive(p, "p.qdpx")
    >>> sorted(arc.names), arc.read("project.qde"), arc.used
    (['project.qde'], b'<Project/>', 10)
    >>> arc.close()
    """

    def __init__(self, path: Path, file: str) -> None:
        self.file = file
        self.used = 0
        fh, _ = open_regular(path, file, limit=MAX_ARCHIVE_BYTES)
        try:
            n = self._members_listed(fh)
            if n is not None and n > MAX_MEMBERS:
                raise problem(
                    file,
                    f"the archive lists {n:,} members, more than the limit of {MAX_MEMBERS:,}",
                    f"a .qdpx of at most {MAX_MEMBERS:,} files",
                )
            self.zip = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            fh.close()
            raise problem(
                file,
                f"not a .qdpx archive ({type(exc).__name__}: {first_line(exc)})",
                "a zip file with project.qde",
            ) from None
        except BaseException:
            fh.close()
            raise
        self.names = set(self.zip.namelist())

    @staticmethod
    def _members_listed(fh: BinaryIO) -> int | None:
        """The number of members the end-of-archive record declares (before parsing them)."""
        try:
            rec = zipfile._EndRecData(fh)  # type: ignore[attr-defined]  # noqa: SLF001 - stable for decades, no public twin
        except Exception:  # noqa: BLE001 - let ZipFile report what is wrong
            return None
        return None if not rec else int(rec[zipfile._ECD_ENTRIES_TOTAL])  # type: ignore[attr-defined]  # noqa: SLF001

    def close(self) -> None:
        """Close the archive and its file."""
        fp = self.zip.fp
        self.zip.close()
        if fp is not None:
            fp.close()

    def size(self, name: str) -> int:
        """The unpacked size a member declares."""
        return self.zip.getinfo(name).file_size

    def _check(self, info: zipfile.ZipInfo, where: str) -> None:
        """Refuse a member that is encrypted, of an unknown compression or too large."""
        if info.flag_bits & 0x1:
            raise problem(
                where,
                "the member is encrypted (password-protected); it was not read",
                "an archive without a password (export the project again without one)",
            )
        if info.compress_type not in _COMPRESSION:
            kind = _COMPRESSION_NAMES.get(info.compress_type, "unknown")
            raise problem(
                where,
                f"the member uses compression method {info.compress_type} ({kind}), which"
                " cannot be read",
                "members stored or deflated (zip the project again with ordinary compression)",
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise problem(
                where,
                f"the member unpacks to {info.file_size:,} bytes, more than the limit of"
                f" {MAX_MEMBER_BYTES:,}",
                f"members of at most {MAX_MEMBER_BYTES:,} bytes",
            )
        # counted on declared sizes: reading never goes past them
        if self.used + info.file_size > MAX_UNPACKED_BYTES:
            raise problem(
                where,
                f"the archive unpacks to more than the limit of {MAX_UNPACKED_BYTES:,} bytes",
                f"at most {MAX_UNPACKED_BYTES:,} bytes unpacked in all",
            )

    def read(self, name: str) -> bytes:
        """One member's bytes, refused when encrypted, of an unknown compression, too large
        (declared or actual size), or damaged (bad CRC, truncated)."""
        where = f"{self.file}:{name}"
        info = self.zip.getinfo(name)
        self._check(info, where)
        try:
            with self.zip.open(info) as fh:
                # ZipExtFile stops at the declared size; reading one byte more proves it.
                data = fh.read(info.file_size + 1)
        except zipfile.BadZipFile as exc:
            raise problem(
                where,
                f"the member is damaged ({first_line(exc)})",
                "an intact archive (copy or export it again)",
            ) from None
        except (zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise problem(
                where,
                f"the member cannot be unpacked ({type(exc).__name__}: {first_line(exc)})",
                "an intact archive (copy or export it again)",
            ) from None
        if len(data) > info.file_size:  # pragma: no cover - zipfile truncates already
            raise problem(where, "the member is larger than it declares", "an intact archive")
        self.used += info.file_size
        return data
