"""SVG and other XML: the text of every element (a ``<text>`` with its ``<tspan>`` pieces
joined), titles, descriptions, metadata, and every attribute that is not geometry
or style; embedded ``data:`` images are scanned as what they hold.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .findings import ScanError, Sink

__all__ = ["read_svg"]

_GEOMETRY = {
    "d", "points", "transform", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r",
    "rx", "ry", "width", "height", "viewBox", "style", "id", "class", "clip-path",
    "fill", "stroke", "stroke-width", "opacity", "font-size", "font-family",
    "offset", "gradientTransform", "preserveAspectRatio", "version", "dx", "dy",
    "patternTransform", "stroke-dasharray", "stroke-linejoin", "stroke-linecap",
}  # fmt: skip


def _own_text(el: ET.Element, tag: str) -> str:
    """The text an element holds itself (a ``<tspan>``'s is read with its ``<text>``)."""
    if tag in ("tspan", "textPath", "tref"):
        return ""
    if tag in ("text", "title", "desc"):
        return "".join(el.itertext())
    return (el.text or "").strip()


def _attributes(sink: Sink, file: str, at: str, el: ET.Element) -> None:
    for k, v in el.attrib.items():
        name = k.rsplit("}", 1)[-1]
        if name in _GEOMETRY:
            continue
        if name == "href" and v.startswith("data:"):
            sink.data_uris(file, at, v)
            continue
        sink.text(file, f"{at} @{name}", v, "text")


def read_svg(sink: Sink, file: str, location: str, text: str) -> None:
    """Scan an SVG (or any XML) document, element by element.

    Parameters
    ----------
    sink : Sink
        Where the texts go (the scanner).
    file, location : str
        Where the document is, for the findings.
    text : str
        The document.

    Raises
    ------
    ScanError
        The document cannot be parsed.

    Examples
    --------
    >>> from evaluation.leaks.scanner import Scanner
    >>> from evaluation.leaks.register import Register
    >>> s = Scanner(Register.of(["Karin Lindqvist"]))
    >>> read_svg(s, "fig.svg", "", '<svg><text>Kar<tspan>in</tspan> Lindqvist</text></svg>')
    >>> [(lk.location, lk.rule) for lk in s.leaks]
    [('<text> element 1', 'identifier')]
    """
    where = f"{location} " if location else ""
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise ScanError(f"{file}: {where}SVG/XML cannot be parsed ({exc})") from None
    for n, el in enumerate(root.iter()):
        tag = el.tag.rsplit("}", 1)[-1]
        own = _own_text(el, tag)
        if own:
            sink.text(file, f"{where}<{tag}> element {n}", own, "text")
        if el.tail and el.tail.strip():
            sink.text(file, f"{where}<{tag}> element {n} tail", el.tail, "text")
        _attributes(sink, file, f"{where}<{tag}> element {n}", el)
