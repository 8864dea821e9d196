"""What the leak scan reports: a :class:`Leak` per finding, :class:`ScanError` when it cannot look.

Also the small interface (:class:`Sink`) through which the readers of each file
type hand the texts they find back to the scanner, so that a reader needs no
import of the scanner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..errors import EvaluationError

__all__ = ["Leak", "ScanError", "Sink"]


class ScanError(EvaluationError):
    """The scan could not look at something it was asked to: a missing path, an
    unreadable identifier register or a file that cannot be parsed.

    Never "0 leaks": the command line exits 2 and the release check fails closed.

    Examples
    --------
    >>> from evaluation.leaks import scan_for_leaks
    >>> try:
    ...     scan_for_leaks("/no/such/folder")
    ... except ScanError as exc:
    ...     print(exc)
    /no/such/folder: no such file or folder; nothing was scanned
    """


@dataclass(frozen=True)
class Leak:
    """A possible leak: where it is, which rule matched and why (never the text itself).

    Attributes
    ----------
    file : str
        The file (for a zip member: ``archive.zip!member``).
    location : str
        Where in the file: ``line N``, ``cell i output k (text/html), line N``,
        ``$.key[2]``, ``PNG zTXt chunk 'Comment'``...
    rule : str
        ``personnummer``, ``samordningsnummer``, ``phone``, ``email`` or
        ``identifier``.
    hint : str
        A masked description of what matched.
    reason : str
        Why the rule matched (checks passed, the text form seen).

    Examples
    --------
    >>> print(Leak("index.html", "line 3", "phone", "a phone number", "Swedish mobile number"))
    index.html: line 3: phone (a phone number) - Swedish mobile number
    """

    file: str
    location: str
    rule: str
    hint: str = ""
    reason: str = ""

    def __str__(self) -> str:
        s = f"{self.file}: {self.location}: {self.rule}"
        if self.hint:
            s += f" ({self.hint})"
        if self.reason:
            s += f" - {self.reason}"
        return s


class Sink(Protocol):
    """Where a reader of one file type sends what it finds (implemented by the scanner).

    Examples
    --------
    >>> class Printer:
    ...     def text(self, file, location, text, kind="text", depth=0):
    ...         print(file, location, repr(text))
    ...     def file(self, name, data, depth=0):
    ...         print(name, len(data), "bytes")
    ...     def data_uris(self, file, location, text):
    ...         pass
    >>> from evaluation.leaks.images import printable_runs
    >>> printable_runs(Printer(), "a.jpg", "", b"\\x00\\x01 Karin Lindqvist \\x00")
    a.jpg  bytes 2 ' Karin Lindqvist '
    """

    def text(self, file: str, location: str, text: str, kind: str = "text", depth: int = 0) -> None:
        """Scan one piece of text (``kind`` ``html``/``md``/``xml``: its visible text too)."""

    def file(self, name: str, data: bytes, depth: int = 0) -> None:
        """Scan the content of one file (an archive member, a decompressed file), by its type."""

    def data_uris(self, file: str, location: str, text: str) -> None:
        """Scan the ``data:`` URIs in ``text`` as the files they hold."""
