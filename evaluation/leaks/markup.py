"""HTML, Markdown and XML as the scan reads them: the visible text (tags stripped,
inline tags joined so that a name split by ``<b>`` is whole again, entities
decoded), text-bearing attributes, ``data:`` URIs, and the raw text with markup
attributes and style sheets blanked out (offsets kept).
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

__all__ = ["visible", "blank_markup", "DATA_URI", "TEXT_ATTR", "ENCODINGS"]

_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr", "ins", "del", "tspan", "textpath", "tref", "label", "nobr",
}  # fmt: skip
_TAG = re.compile(
    r"<!--.*?-->|<!\[CDATA\[|\]\]>|<(/?)([A-Za-z][\w:.-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|<[!?][^>]*>",
    re.S,
)
TEXT_ATTR = re.compile(
    r"\s(?:alt|title|aria-label|aria-description|content|value|placeholder|label|summary|href|src)"
    r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')",
    re.I,
)
"""Attributes whose value a reader sees or follows (alt text, titles, links)."""
_BLOCK_CONTENT = re.compile(r"<(style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
DATA_URI = re.compile(
    r"data:([a-z]+/[a-z0-9+.\-]+)?((?:;[a-z\-]+=[^;,\"'\s]+)*)(;base64)?,([A-Za-z0-9+/=%\s\\.\-_~!*'()]+)",
    re.I,
)
"""A ``data:`` URI: groups MIME type, parameters, ``;base64`` and the payload."""
_MARKUP_ATTR = re.compile(
    r"\s(?:id|class|style)\s*=\s*(\"[^\"]*\"|'[^']*')"  # markup, not content
)
_ENTITY_OR_TEXT = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);?|[^&]+|&")

ENCODINGS = [
    (
        re.compile(r"(?:%[0-9A-Fa-f]{2})+"),
        lambda m: unquote(m.group(0)),
        "percent-encoding decoded",
    ),
    (
        re.compile(r"\\u([0-9A-Fa-f]{4})"),
        lambda m: chr(int(m.group(1), 16)),
        "\\u escapes decoded",
    ),
]
"""Encoded forms decoded and scanned again: (pattern, replacement, how), for URLs and
JSON inside text."""


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def blank_markup(text: str) -> str:
    """Markup that is not content blanked out, offsets kept: ``data:`` URIs, ``id``/``class``/
    ``style`` attributes and ``<style>`` sheets.

    Examples
    --------
    >>> blank_markup('<p class="x-08-123">Hej</p>')
    '<p              >Hej</p>'
    """
    text = DATA_URI.sub(_spaces, text)
    text = _MARKUP_ATTR.sub(_spaces, text)
    return _BLOCK_CONTENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


class _Visible:
    """The visible text being built, with the offset in the markup of each character."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.where: list[int] = []

    def emit(self, s: str, at: int) -> None:
        """Text between tags, its entities decoded piece by piece (offsets kept approximately)."""
        for m in _ENTITY_OR_TEXT.finditer(s):
            raw = m.group(0)
            piece = html.unescape(raw) if raw.startswith("&") else raw
            self.out.append(piece)
            if len(piece) != len(raw):
                self.where.extend([at + m.start()] * len(piece))
            else:
                self.where.extend(range(at + m.start(), at + m.end()))

    def newline(self, at: int) -> None:
        self.out.append("\n")
        self.where.append(at)


def visible(markup: str) -> tuple[str, list[int]]:
    """Text a reader sees: tags removed (inline ones joined, block ones a line break), entities decoded.

    ``<script>`` and ``<style>`` contents are left out.

    Parameters
    ----------
    markup : str
        HTML, Markdown with HTML in it, XML or SVG.

    Returns
    -------
    text : str
        The visible text.
    where : list of int
        For every character of ``text``, its offset in ``markup``.

    Examples
    --------
    >>> visible("<p>Kar<span>in</span> &#76;indqvist</p><p>x</p>")[0]
    '\\nKarin Lindqvist\\n\\nx\\n'
    """
    text = _Visible()
    pos = 0
    skip_until: str | None = None
    for m in _TAG.finditer(markup):
        if skip_until is None:
            text.emit(markup[pos : m.start()], pos)
        name = (m.group(2) or "").lower()
        closing = m.group(1) == "/"
        if skip_until is not None:
            if closing and name == skip_until:
                skip_until = None
        elif name in ("script", "style") and not closing and not m.group(0).endswith("/>"):
            skip_until = name
        elif name and name not in _INLINE:
            text.newline(m.start())
        pos = m.end()
    if skip_until is None:
        text.emit(markup[pos:], pos)
    return "".join(text.out), text.where
