"""What every part of REFI-QDA exchange shares: namespaces, GUIDs, element lookup, parsing."""

from __future__ import annotations

import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from typing import Any

from ...errors import DataError, Problem

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
#: Largest ``project.qde`` / ``.qdc`` document (bytes).
MAX_XML_BYTES = 32 * 1024 * 1024

_NAMESPACE = uuid.UUID("6f1d4f0e-5b5e-4c1e-9d1a-5e2a6e7a0c31")  # sergel-eval's uuid5 namespace

# Characters XML 1.0 cannot hold (C0 controls except tab and line breaks, lone surrogates,
# U+FFFE/U+FFFF): a label with one of them would give a file no tool can open.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def guid(*parts: str) -> str:
    """A stable GUID: uuid5 of the parts in sergel-eval's namespace."""
    return str(uuid.uuid5(_NAMESPACE, ":".join(parts)))


def code_guid(codebook_id: str, code_id: str) -> str:
    """The stable GUID of a code: uuid5 of the codebook id and the code id.

    Examples
    --------
    >>> code_guid("focus_groups", "samverkan") == code_guid("focus_groups", "samverkan")
    True
    >>> code_guid("focus_groups", "samverkan") == code_guid("other", "samverkan")
    False
    """
    return guid("code", codebook_id, code_id)


def bare_guid(value: str | None) -> str:
    """A GUID as we compare them: braces dropped, lower case (``""`` for none)."""
    return (value or "").strip("{}").lower()


def local(tag: str) -> str:
    """An element's tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def children(el: ET.Element, name: str) -> list[ET.Element]:
    """The child elements of ``el`` named ``name`` (any namespace)."""
    return [c for c in el if local(c.tag) == name]


def child(el: ET.Element, name: str) -> ET.Element | None:
    """The first child element of ``el`` named ``name``, or ``None``."""
    found = children(el, name)
    return found[0] if found else None


def slug(name: str) -> str:
    """An identifier made from a name: ASCII, lower-case, ``_`` between words, starting with a letter."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    if not s or not s[0].isalpha():
        s = "code_" + s
    return s


def short(v: Any, n: int = 80) -> str:
    """``repr(v)``, cut to ``n`` characters for messages."""
    r = repr(v)
    return r if len(r) <= n else r[: n - 4] + "...'"


def problem(file: str, message: str, expected: str, column: str | None = None) -> DataError:
    """A :class:`DataError` of one whole-file problem."""
    return DataError([Problem(file, None, column, message, expected)])


def parse_xml(data: bytes, file: str) -> ET.Element:
    """Parse QDA-XML with ``defusedxml``: no DTD, no entities, no external references."""
    import defusedxml
    import defusedxml.ElementTree as DET

    try:
        return DET.fromstring(data, forbid_dtd=True)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise DataError(
            [Problem(file, line, None, f"not well-formed XML ({exc})", "a QDA-XML file")]
        ) from None
    except defusedxml.DefusedXmlException as exc:
        raise DataError(
            [
                Problem(
                    file,
                    None,
                    None,
                    f"the XML declares a DTD, entities or external references ({type(exc).__name__});"
                    " it was not read",
                    "QDA-XML without a DOCTYPE (no REFI-QDA tool writes one)",
                )
            ]
        ) from None


def write_xml(root: ET.Element, ns: str) -> bytes:
    """The document of ``root``, indented, with an XML declaration (UTF-8)."""
    ET.register_namespace("", ns)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
