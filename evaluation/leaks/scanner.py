"""The scanner: runs every rule over a text and its decoded forms, sends each file
to the reader of its type, and keeps the findings (one per place, rule and hint).
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote_to_bytes

from .archives import read_gzip, read_tar, read_zip
from .detect import find_all
from .findings import Leak, ScanError
from .images import PNG_SIGNATURE, printable_runs, read_png
from .markup import DATA_URI, ENCODINGS, TEXT_ATTR, blank_markup, visible
from .notebooks import read_json_value, read_notebook
from .pdf import read_pdf
from .register import Register
from .svg import read_svg
from .textforms import ANSI, decode

__all__ = ["Scanner"]

_MARKUP_KINDS = ("html", "md", "xml")
_BINARY_MIME = ("image/jpeg", "image/gif", "image/webp", "font/woff", "font/woff2")
_JSON = (".ipynb", ".json", ".geojson", ".jsonl")
_PAGES = (".html", ".htm", ".xhtml", ".md", ".markdown", ".xml", ".rels")
_OPAQUE = (".jpg", ".jpeg", ".gif", ".webp", ".ico", ".bmp", ".tif", ".tiff",
           ".woff", ".woff2", ".ttf", ".otf")  # fmt: skip


def _line_locator(location: str, text: str) -> Callable[[int], str]:
    """Offset in ``text`` -> ``location, line N`` (just ``location`` for a one-line text)."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    if len(line_starts) == 1:
        return lambda off: location or "line 1"

    def loc(off: int) -> str:
        n = bisect_right(line_starts, off)
        return f"{location}, line {n}" if location else f"line {n}"

    return loc


def _file_kind(name: str, data: bytes) -> str:
    """The reader a file goes to, by its signature or its name."""
    suffix = Path(name.split("!")[-1]).suffix.lower()
    tests: list[tuple[bool, str]] = [
        (data[:8] == PNG_SIGNATURE or suffix == ".png", "png"),
        (data[:4] in (b"PK\x03\x04", b"PK\x05\x06") or suffix == ".zip", "zip"),
        (suffix in _JSON, "json"),
        (suffix in (".svg", ".svgz"), "svg"),
        (suffix in _PAGES, "page"),
        (suffix in _OPAQUE, "opaque"),
        (suffix == ".pdf" or data[:5] == b"%PDF-", "pdf"),
        (
            suffix in (".tar", ".tgz") or name.endswith(".tar.gz") or data[257:262] == b"ustar",
            "tar",
        ),
        (suffix == ".gz", "gz"),
        (b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")), "binary"),
    ]
    return next((kind for hit, kind in tests if hit), "text")


class Scanner:
    """Scans texts and files and keeps what it finds in :attr:`leaks` (implements
    :class:`~evaluation.leaks.findings.Sink` for the readers of each file type).

    Parameters
    ----------
    register : Register
        The identifiers to look for (with numbers and addresses, always).

    Examples
    --------
    >>> s = Scanner(Register.of(["Karin Lindqvist"]))
    >>> s.text("page.html", "", "<p>Kar<b>in</b> Lindqvist</p>", "html")
    >>> s.file("notes.txt", "ring 070-123 45 67".encode())
    >>> [(lk.file, lk.rule) for lk in s.leaks]
    [('page.html', 'identifier'), ('notes.txt', 'phone')]
    """

    def __init__(self, register: Register) -> None:
        self.register = register
        self.compiled = register.pattern()
        self.leaks: list[Leak] = []
        self._seen: set[tuple[str, str, str, str]] = set()

    def add(self, file: str, location: str, rule: str, hint: str, reason: str) -> None:
        """Keep a finding, unless the same place, rule and hint were found already."""
        key = (file, location, rule, hint)
        if key not in self._seen:
            self._seen.add(key)
            self.leaks.append(Leak(file, location, rule, hint, reason))

    def _run(self, file: str, loc: Callable[[int], str], text: str, how: str = "") -> None:
        for off, rule, hint, reason in find_all(text, self.register, self.compiled):
            self.add(file, loc(off), rule, hint, reason + how)

    # -- text pieces ---------------------------------------------------------------
    def text(self, file: str, location: str, text: str, kind: str = "text", depth: int = 0) -> None:
        """Scan ``text``; ``kind`` ``html``/``md``/``xml`` also scans the visible text."""
        if not text:
            return
        if "\x1b" in text:
            text = ANSI.sub("", text)
        loc = _line_locator(location, text)
        if kind == "text" and re.search(r"<[A-Za-z/!]|&#?\w+;", text):
            kind = "html"  # markup in a CSV cell, a JSON string, a PNG comment: read it too
        raw = text
        if kind in _MARKUP_KINDS:
            self.data_uris(file, location, text)
            raw = blank_markup(text)
        elif "data:" in text:
            self.data_uris(file, location, text)
            raw = DATA_URI.sub(lambda m: " " * len(m.group(0)), raw)
        self._run(file, loc, raw)
        if depth < 2:
            self._encoded(file, loc, raw, len(text))
        if kind in _MARKUP_KINDS:
            if depth < 2:
                self._attributes(file, loc, raw, depth)
            self._visible(file, loc, raw)

    def _encoded(self, file: str, loc: Callable[[int], str], raw: str, n: int) -> None:
        """Percent-encoded (URLs) and \\u-escaped (JSON inside text) forms, decoded."""
        for pattern, decode_match, how in ENCODINGS:
            if pattern.search(raw):
                decoded = pattern.sub(decode_match, raw)
                self._run(file, lambda off: loc(min(off, n - 1)), decoded, f" [{how}]")

    def _attributes(self, file: str, loc: Callable[[int], str], raw: str, depth: int) -> None:
        """Alt texts, titles and links, entities decoded, as text of their own."""
        for m in TEXT_ATTR.finditer(raw):
            value = m.group(1) if m.group(1) is not None else m.group(2)
            if value and not value.startswith("data:"):
                self.text(file, loc(m.start()), html.unescape(value), "html", depth + 1)

    def _visible(self, file: str, loc: Callable[[int], str], raw: str) -> None:
        """The visible text (tags stripped, entities decoded, twice if they were escaped twice)."""
        vis, where = visible(raw)

        def src(off: int) -> str:
            return loc(where[min(off, len(where) - 1)] if where else 0)

        self._run(file, src, vis, " [in the visible text]")
        if re.search(r"&#?\w+;", vis):  # double-escaped entities: decode once more
            self._run(file, src, html.unescape(vis), " [entities decoded twice]")

    def data_uris(self, file: str, location: str, text: str) -> None:
        """Scan every ``data:`` URI in ``text`` as the file it holds."""
        for m in DATA_URI.finditer(text):
            mime = (m.group(1) or "text/plain").lower()
            payload = m.group(4)
            try:
                if m.group(3):
                    data = base64.b64decode(re.sub(r"[\s\\]", "", payload) + "==", validate=False)
                else:
                    data = unquote_to_bytes(payload)
            except (binascii.Error, ValueError) as exc:
                raise ScanError(f"{file}: {location}: undecodable data: URI ({exc})") from None
            self.blob(file, f"{location} data:{mime}".strip(), data, mime)

    def blob(self, file: str, location: str, data: bytes, mime: str) -> None:
        """Scan embedded data (a ``data:`` URI) by its MIME type."""
        if mime == "image/png" or data[:8] == PNG_SIGNATURE:
            read_png(self, file, location, data)
        elif mime in _BINARY_MIME:
            printable_runs(self, file, location, data)
        elif "svg" in mime or "xml" in mime:
            read_svg(self, file, location, decode(data))
        elif mime.startswith("text/") or mime in ("application/json",):
            self.text(file, location, decode(data), "html" if "html" in mime else "text")
        else:
            printable_runs(self, file, location, data)

    # -- files ---------------------------------------------------------------------
    def file(self, name: str, data: bytes, depth: int = 0) -> None:
        """Scan the content of a file by its type (signature first, then name)."""
        kind = _file_kind(name, data)
        suffix = Path(name.split("!")[-1]).suffix.lower()
        if kind == "png":
            read_png(self, name, "", data)
        elif kind == "zip":
            read_zip(self, name, data, depth)
        elif kind == "json":
            self._json(name, data, suffix)
        elif kind == "svg":
            self._svg(name, data, suffix)
        elif kind == "page":
            self.text(name, "", decode(data), "xml" if suffix in (".xml", ".rels") else "html")
        elif kind == "opaque":
            printable_runs(self, name, "", data)
        elif kind == "pdf":
            read_pdf(self, name, data)
        elif kind == "tar":
            read_tar(self, name, data, depth)
        elif kind == "gz":
            read_gzip(self, name, data, depth)
        elif kind == "binary":
            raise ScanError(
                f"{name}: a binary file of a type the scan cannot read; "
                "expected text, HTML, notebooks, JSON, SVG, PNG, PDF or zip"
            )
        else:
            self.text(name, "", decode(data))

    def _json(self, name: str, data: bytes, suffix: str) -> None:
        text = decode(data)
        try:
            if suffix == ".jsonl":
                values = [json.loads(ln) for ln in text.splitlines() if ln.strip()]
            else:
                values = [json.loads(text)]
        except json.JSONDecodeError as exc:
            raise ScanError(
                f"{name}: line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"
            ) from None
        if suffix == ".ipynb":
            read_notebook(self, name, values[0])
            return
        for n, v in enumerate(values):
            read_json_value(self, name, "$" if len(values) == 1 else f"line {n + 1}", v)

    def _svg(self, name: str, data: bytes, suffix: str) -> None:
        if suffix == ".svgz":
            import gzip

            try:
                data = gzip.decompress(data)
            except OSError as exc:
                raise ScanError(f"{name}: cannot be decompressed ({exc})") from None
        read_svg(self, name, "", decode(data))
