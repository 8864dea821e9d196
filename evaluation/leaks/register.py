"""The identifier register: names and other identifiers that must not appear in a
report, read from a UTF-8 file (one per line, ``#`` comments) or given as a list,
and compiled into one pattern over folded text (:func:`~evaluation.leaks.textforms.fold`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from ..textio import read_bytes
from .findings import ScanError
from .textforms import fold

__all__ = ["Register", "load_identifiers", "read_register"]


@dataclass(frozen=True)
class Register:
    """Identifier strings and where each came from (``file line N``), compiled for matching.

    Attributes
    ----------
    entries : tuple of str
        The names and identifiers.
    origins : tuple of str
        For each entry, where it came from (``register identifiers.txt line 3``);
        a finding names this, never the entry itself.

    Examples
    --------
    >>> reg = Register.of(["Karin Lindqvist", "Åsa Öberg"])
    >>> len(reg), reg.origins[1]
    (2, 'register entry 2')
    >>> rx, keys = reg.pattern()
    >>> bool(rx.search("lindqvist, karin")), keys["lindqvist karin"]
    (True, 0)
    """

    entries: tuple[str, ...]
    origins: tuple[str, ...]

    @classmethod
    def of(cls, identifiers: Register | str | Path | Iterable[str] | None) -> Register:
        """A register from a register, a file path, a list of strings or ``None`` (empty).

        Examples
        --------
        >>> Register.of(None).entries, Register.of(["  Karin Lindqvist ", ""]).entries
        ((), ('Karin Lindqvist',))
        """
        if isinstance(identifiers, Register):
            return identifiers
        if identifiers is None:
            return cls((), ())
        if isinstance(identifiers, (str, Path)):
            return read_register(Path(identifiers))
        items = [str(s).strip() for s in identifiers]
        pairs = [(s, f"register entry {n}") for n, s in enumerate(items, 1) if s]
        return cls(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))

    def __add__(self, other: Register) -> Register:
        return Register(self.entries + other.entries, self.origins + other.origins)

    def __len__(self) -> int:
        return len(self.entries)

    def pattern(self) -> tuple[re.Pattern[str] | None, dict[str, int]]:
        """One regular expression over folded text, and the key of each variant -> entry number.

        Every entry is matched with any run of spaces or dashes between its
        tokens, as ``Last, First`` and ``Last First``, and in the genitive
        (``-s``, ``'s``, ``:s``).

        Examples
        --------
        >>> rx, keys = Register.of(["Anna-Karin Svensson"]).pattern()
        >>> sorted(keys)
        ['anna karin svensson', 'svensson anna karin']
        >>> rx.search("anna - karin  svenssons").group(0)
        'anna - karin  svenssons'
        """
        if not self.entries:
            return None, {}
        alts: list[str] = []
        keys: dict[str, int] = {}
        for n, entry in enumerate(self.entries):
            for v in _variants(entry):
                keys.setdefault(" ".join(" ".join(p) for p in v), n)
                alts.append(
                    r"(?:[ \-.]*,[ \-.]*|[ \-.]+)".join(
                        r"[ \-]+".join(re.escape(t) for t in p) for p in v
                    )
                )
        alts.sort(key=len, reverse=True)
        rx = re.compile(
            r"(?<![^\W_])(?:" + "|".join(alts) + r")(?:'s|:s|'|s)?(?![^\W_])", re.UNICODE
        )
        return rx, keys


def _variants(entry: str) -> list[list[list[str]]]:
    """The entry's words (each a list of its hyphen parts), as written and last word first."""
    parts = [re.split(r"-+", p) for p in fold(entry)[0].split()]
    parts = [p for p in ([t for t in p if t] for p in parts) if p]
    if not parts:
        return []
    if len(parts) >= 2:  # "Lindqvist, Karin" and "Lindqvist Karin"
        return [parts, [parts[-1], *parts[:-1]]]
    return [parts]


def _read_raw(p: Path, bound: Path) -> bytes:
    """The register's bytes: a regular file inside ``bound``, or a :class:`ScanError`."""
    if not p.is_symlink() and not p.exists():
        raise ScanError(f"identifier register {p}: no such file; expected one name per line")
    try:
        return read_bytes(p, str(p), root=bound, what=f"the folder {bound}")
    except DataError as exc:
        q = exc.problems[0]
        raise ScanError(
            f"identifier register {p}: {q.message}; expected {q.expected or 'a regular file'}"
        ) from None


def _utf8(p: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScanError(
            f"identifier register {p}: line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8; "
            "expected a UTF-8 text file (re-save it as UTF-8, e.g. iconv -f latin1 -t utf-8)"
        ) from None


def read_register(p: Path, root: str | Path | None = None) -> Register:
    """Read a register file: a regular file inside ``root`` (default: its own folder).

    A link out of the data folder, a FIFO or a device is refused without
    being read.

    Parameters
    ----------
    p : Path
        The register file (UTF-8, one entry per line, ``#`` comments).
    root : str or Path, optional
        The folder the file must stay inside.

    Returns
    -------
    Register
        Entries in Unicode NFC, each with its file and line.

    Raises
    ------
    ScanError
        A missing, refused or non-UTF-8 file, or an entry shorter than two
        letters or digits (it would match everywhere).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "identifiers.txt"
    >>> _ = f.write_text("# staff\\nKarin Lindqvist\\n", encoding="utf-8")
    >>> read_register(f).origins
    ('register identifiers.txt line 2',)
    """
    bound = Path(root) if root is not None else p.parent
    text = _utf8(p, _read_raw(p, bound))
    entries, origins = [], []
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s and not s.startswith("#"):
            if len(re.sub(r"\W", "", s)) < 2:
                raise ScanError(
                    f"identifier register {p}: line {n}: entry too short to match safely; "
                    "expected a name or identifier of at least two letters or digits"
                )
            entries.append(unicodedata.normalize("NFC", s))
            origins.append(f"register {p.name} line {n}")
    return Register(tuple(entries), tuple(origins))


def load_identifiers(
    identifiers: str | Path | Sequence[str] | None, root: str | Path | None = None
) -> list[str]:
    """Identifier strings from a register file (UTF-8, one per line, ``#`` comments) or a list.

    A file must be a regular file inside ``root`` (default: the file's own folder; for
    ``<data>/identifiers.txt`` the data folder), read through
    :func:`evaluation.textio.read_bytes`: a symbolic link out of that folder, a FIFO or
    a device is refused without being read.

    Parameters
    ----------
    identifiers : str, Path, list of str or None
        A register file or the strings themselves.
    root : str or Path, optional
        The folder a register file must stay inside.

    Returns
    -------
    list of str

    Raises
    ------
    ScanError
        A missing, refused or non-UTF-8 file.

    Examples
    --------
    >>> load_identifiers(["Karin Lindqvist", " ", "Johan Berggren"])
    ['Karin Lindqvist', 'Johan Berggren']
    >>> load_identifiers("/no/such/identifiers.txt")
    Traceback (most recent call last):
    ...
    evaluation.leaks.findings.ScanError: identifier register /no/such/identifiers.txt: no such file; expected one name per line
    """
    if isinstance(identifiers, (str, Path)):
        return list(read_register(Path(identifiers), root).entries)
    return list(Register.of(identifiers).entries)
