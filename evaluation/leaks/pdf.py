"""PDF files (``report.pdf`` of ``evaluation run --pdf``): the text of every page,
the document information, annotations (link targets, comments) and outline, read
with pypdf; and, as before, the printable runs of the raw file and of its
decompressed streams.

pypdf is an optional dependency (the ``pdf`` extra). A PDF that cannot be read
— pypdf missing, an encrypted or broken file — is a :class:`ScanError`: the scan
fails closed rather than pass a file it could not look into.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

from .findings import ScanError, Sink
from .images import printable_runs

__all__ = ["read_pdf", "PYPDF_MISSING"]

PYPDF_MISSING = (
    "a PDF, and reading its text needs pypdf, which is not installed; install it with "
    "pip install 'sergel-eval[pdf]' (or pip install pypdf), then scan again"
)
"""The message of the scan error for a PDF when pypdf is not installed."""


#: an entry of a cross-reference table: a 10-digit byte offset, a 5-digit generation and
#: n/f (PDF 32000-1, 7.5.4); its digits are the file's structure, not its text, and a
#: 10-digit offset can look like a personnummer
_XREF_ENTRY = re.compile(rb"(?m)^\d{10} \d{5} [nf](?: \r| \n|\r\n)")


def _raw_strings(sink: Sink, name: str, data: bytes) -> None:
    """Printable strings of the file (cross-reference tables left out), its compressed
    (Flate) streams decompressed."""
    printable_runs(sink, name, "", _XREF_ENTRY.sub(lambda m: b" " * len(m.group(0)), data))
    for n, m in enumerate(re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)):
        try:
            inner = zlib.decompress(m.group(1))
        except zlib.error:
            continue  # not Flate (images, fonts): their printable runs were read above
        printable_runs(sink, name, f"stream {n}", inner)


def _reader(name: str, data: bytes) -> Any:
    try:
        import pypdf
    except ImportError:
        raise ScanError(f"{name}: {PYPDF_MISSING}") from None
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ScanError(f"{name}: an encrypted PDF; expected a PDF the scan can read")
    return reader


def _annotations(sink: Sink, name: str, n: int, page: Any) -> None:
    """Comments and link targets of the annotations of page ``n``."""
    for k, ref in enumerate(page.get("/Annots") or []):
        annot = ref.get_object()
        for key in ("/Contents", "/T", "/TU"):
            if key in annot:
                sink.text(name, f"page {n} annotation {k} {key[1:]}", str(annot[key]))
        action = annot.get("/A")
        action = action.get_object() if action is not None else None
        if action is not None and "/URI" in action:
            sink.text(name, f"page {n} annotation {k} link", str(action["/URI"]))


def _outline(sink: Sink, name: str, items: Any, path: str = "outline") -> None:
    for i, item in enumerate(items):
        if isinstance(item, list):
            _outline(sink, name, item, f"{path}[{i}]")
        else:
            sink.text(name, f"{path}[{i}]", str(getattr(item, "title", "") or ""))


def _text(sink: Sink, name: str, data: bytes) -> None:
    """Page text, document information, annotations and outline, through pypdf."""
    reader = _reader(name, data)
    for key, value in (reader.metadata or {}).items():
        sink.text(name, f"document information {key}", str(value))
    for n, page in enumerate(reader.pages, 1):
        sink.text(name, f"page {n}", page.extract_text() or "")
        _annotations(sink, name, n, page)
    _outline(sink, name, reader.outline)


def read_pdf(sink: Sink, name: str, data: bytes) -> None:
    """Scan a PDF: its text through pypdf, and the printable runs of its bytes and streams.

    Parameters
    ----------
    sink : Sink
        Where the texts go (the scanner).
    name : str
        The file, for the findings.
    data : bytes
        The PDF.

    Raises
    ------
    ScanError
        pypdf is not installed (:data:`PYPDF_MISSING`), or the PDF cannot be
        read (broken, encrypted).

    Examples
    --------
    >>> import io, pypdf
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> w = pypdf.PdfWriter()
    >>> _ = w.add_blank_page(width=200, height=200)
    >>> w.add_metadata({"/Author": "Karin Lindqvist"})
    >>> buf = io.BytesIO()
    >>> _ = w.write(buf)
    >>> s = Scanner(Register.of(["Karin Lindqvist"]))
    >>> read_pdf(s, "report.pdf", buf.getvalue())
    >>> [(lk.location, lk.rule) for lk in s.leaks if "information" in lk.location]
    [('document information /Author', 'identifier')]
    """
    _raw_strings(sink, name, data)
    try:
        _text(sink, name, data)
    except ScanError:
        raise
    except Exception as exc:  # a broken PDF, whatever pypdf raises: fail closed
        raise ScanError(f"{name}: PDF cannot be read ({type(exc).__name__}: {exc})") from None
