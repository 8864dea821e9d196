"""The leak scan of files and folders, and of one string."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .findings import Leak, ScanError
from .register import Register
from .scanner import Scanner

__all__ = ["scan_for_leaks", "scan_text"]


def _files(paths: Iterable[str | Path]) -> list[tuple[Path | None, Path]]:
    """(folder given or None, file) for every file under ``paths``."""
    files: list[tuple[Path | None, Path]] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs.sort()
                files += [(p, Path(root) / n) for n in sorted(names)]
        elif p.is_file():
            files.append((None, p))
        elif not p.exists():
            raise ScanError(f"{p}: no such file or folder; nothing was scanned")
        else:
            raise ScanError(f"{p}: neither a file nor a folder")
    return files


def scan_for_leaks(
    paths: str | Path | Iterable[str | Path],
    identifiers: str | Path | Sequence[str] | Register | None = None,
    *,
    extra: Mapping[str, str | bytes] | None = None,
) -> list[Leak]:
    """Look through every file of a run (or any files) for personal data.

    Parameters
    ----------
    paths : path or iterable of paths
        Files, or folders (every file in them, recursively, whatever its name).
    identifiers : path, list of str, or None
        An identifier register (UTF-8, one name or other identifier per line,
        ``#`` comments) or the strings themselves.
    extra : mapping, optional
        More files to scan that are not on disk (name -> content), e.g. a page
        about to be written.

    Returns
    -------
    list of Leak
        Each with ``file``, ``location``, ``rule``, ``hint`` (masked: never the
        text found) and ``reason``. Rules:

        ``personnummer`` / ``samordningsnummer``
            YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDDNNNC, YYYYMMDD-NNNC,
            with any dash (``-``, en-dash, minus...) or a space as separator;
            the date must be a real calendar date (day + 60 for a
            co-ordination number) and the Luhn check digit valid.
            ``YYYYMMDD-HHMM`` of 2015 or later (the toolkit's own time stamps)
            is not a finding.
        ``phone``
            Swedish numbers with a trunk 0 or +46/0046, with spaces, no-break
            spaces, dashes, dots, slashes and brackets: ``070-123 45 67``,
            ``(08) 123 456 78``, ``+46 (0)70 123 45 67``, ``070.123 45 67``.
        ``email``
            Also written ``&#64;``, ``%40``, ``(at)``; not ``logo@2x.png``.
        ``identifier``
            A register entry, case-folded, accents and compatibility forms
            folded, any run of spaces or dashes equal, in the genitive
            (``Lindqvists``), as ``Lindqvist, Karin``, with HTML entities
            decoded and tags stripped.

    Raises
    ------
    ScanError
        A path that does not exist, a register that cannot be read, a file
        that cannot be parsed (a PDF when pypdf is not installed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.html").write_text("<p>Ring 070-123 45 67 om 811218-9876, 2019-2023: 1200</p>")
    >>> [(leak.location, leak.rule) for leak in scan_for_leaks(d)]
    [('line 1', 'phone'), ('line 1', 'personnummer')]
    """
    reg = Register.of(identifiers)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    scanner = Scanner(reg)
    for root, f in _files(paths):
        scanner.text(str(f), "file name", str(f.relative_to(root)) if root else f.name)
        try:
            data = f.read_bytes()
        except OSError as exc:
            raise ScanError(f"{f}: cannot be read ({exc.strerror})") from None
        scanner.file(str(f), data)
    for name, content in (extra or {}).items():
        scanner.file(name, content.encode("utf-8") if isinstance(content, str) else content)
    return scanner.leaks


def scan_text(
    text: str,
    identifiers: str | Path | Sequence[str] | Register | None = None,
    where: str = "text",
    markup: bool = True,
) -> list[Leak]:
    """Leaks in one string; with ``markup`` also in its visible text (tags stripped, entities decoded).

    Parameters
    ----------
    text : str
        The string.
    identifiers : path, list of str, or None
        As for :func:`scan_for_leaks`.
    where : str
        The ``file`` of the findings.
    markup : bool
        Read ``text`` as HTML too.

    Returns
    -------
    list of Leak

    Examples
    --------
    >>> [lk.rule for lk in scan_text("ring (08) 123 456 78 eller 811218 9876")]
    ['phone', 'personnummer']
    """
    scanner = Scanner(Register.of(identifiers))
    scanner.text(where, "", text, "html" if markup else "text")
    return scanner.leaks
