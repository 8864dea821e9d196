"""Reading REFI-QDA codebooks: a ``.qdc`` file, or the ``CodeBook`` of a project."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from ...errors import CodebookError, DataError, Problem
from ...textio import read_bytes
from ..codebook import MAX_CODE_DEPTH, MAX_CODES, Code, Codebook
from ._description import parse_description
from ._xml import MAX_XML_BYTES, bare_guid, child, children, local, parse_xml, slug

__all__ = ["read_qdc"]


def _too_many(codes_el: ET.Element, file: str) -> None:
    """Refuse more than :data:`MAX_CODES` codes before any is built."""
    n_codes = sum(1 for el in codes_el.iter() if local(el.tag) == "Code")
    if n_codes > MAX_CODES:
        raise CodebookError(
            [
                Problem(
                    file,
                    None,
                    "Code",
                    f"{n_codes:,} codes, more than the limit of {MAX_CODES:,}",
                    f"a codebook of at most {MAX_CODES:,} codes",
                )
            ]
        )


class _CodeTree:
    """The ``Code`` elements of a ``Codes`` element, read into :class:`Code` objects.

    Depth first with a stack of (iterator over Code children, parent code id, level):
    codes are read in document order, a parent before its children, at any depth,
    without recursion; nesting past :data:`MAX_CODE_DEPTH` is refused. Codes with the
    same name get ``_2``, ``_3``, ... by counting (linear in the number of codes).
    """

    def __init__(self, file: str, language: str) -> None:
        self.file, self.language = file, language
        self.codes: dict[str, Code] = {}
        self.guid_to_id: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.next_suffix: dict[str, int] = {}
        self.stack: list[tuple[Iterator[ET.Element], str | None, int]] = []
        self.too_deep: str | None = None

    def push(self, el: ET.Element, parent: str | None, level: int) -> None:
        kids = children(el, "Code")
        if kids and level >= MAX_CODE_DEPTH:
            self.too_deep = self.too_deep or parent
        elif kids:
            self.stack.append((iter(kids), parent, level))

    def walk(self, codes_el: ET.Element) -> None:
        self.push(codes_el, None, 0)
        while self.stack:
            kids, parent, level = self.stack[-1]
            c = next(kids, None)
            if c is None:
                self.stack.pop()
                continue
            cid = self.add(c, parent)
            if cid is not None:
                self.push(c, cid, level + 1)

    def _unique(self, cid: str) -> str:
        if cid not in self.codes:
            return cid
        base = cid
        k = self.next_suffix.get(base, 2)
        while f"{base}_{k}" in self.codes:
            k += 1
        self.next_suffix[base] = k + 1
        return f"{base}_{k}"

    def _refused(self, guid: str, name: str) -> bool:
        """A code without guid or name, or with a guid seen before (a problem noted)."""
        if not guid or not name:
            self.problems.append(
                Problem(
                    self.file,
                    None,
                    "Code",
                    f"a code without {'guid' if not guid else 'name'}"
                    + (f" (guid {guid})" if guid else ""),
                    "guid and name on every Code",
                )
            )
            return True
        if guid in self.guid_to_id:
            self.problems.append(
                Problem(
                    self.file,
                    None,
                    "Code",
                    f"two codes have the guid {guid}",
                    "a unique guid per Code",
                )
            )
            return True
        return False

    def add(self, c: ET.Element, parent: str | None) -> str | None:
        """Read one ``Code`` element; its id, or ``None`` when it is refused."""
        guid = bare_guid(c.get("guid"))
        name = c.get("name") or ""
        if self._refused(guid, name):
            return None
        d_el = child(c, "Description")
        desc = parse_description((d_el.text or "") if d_el is not None else "")
        cid = self._unique(desc.get("id") or slug(name))
        language = self.language
        self.codes[cid] = Code(
            id=cid,
            label={language: name, **desc["label"]},
            definition=desc["definition"],
            include=desc.get("include", ""),
            exclude=desc.get("exclude", ""),
            examples=desc.get("examples", []),
            keywords=desc.get("keywords", []),
            parent=parent,
            color=c.get("color"),
            codable=c.get("isCodable", "true").strip().lower() in ("true", "1"),
            texts={k: {language: desc.get(k, ""), **v} for k, v in desc["texts"].items()},
        )
        self.guid_to_id[guid] = cid
        if parent is not None:
            self.codes[parent].children.append(cid)
        return cid

    def check(self) -> None:
        if self.too_deep is not None:
            self.problems.append(
                Problem(
                    self.file,
                    None,
                    "Code",
                    f"codes nested more than {MAX_CODE_DEPTH} levels deep (under {self.too_deep!r})",
                    f"at most {MAX_CODE_DEPTH} levels of codes",
                )
            )
        if self.problems:
            raise CodebookError(self.problems)
        if not self.codes:
            raise CodebookError(
                [
                    Problem(
                        self.file,
                        None,
                        "Codes",
                        "no codes found",
                        "a CodeBook with Codes/Code elements",
                    )
                ]
            )


def codebook_from(
    codes_el: ET.Element | None,
    file: str,
    language: str = "sv",
    cb_id: str = "imported",
    title: str = "",
) -> tuple[Codebook, dict[str, str]]:
    """Codebook of a ``Codes`` element and a map GUID (lower-case) -> code id.

    The tree is walked without recursion and refused past
    :data:`~evaluation.sources.codebook.MAX_CODE_DEPTH` levels; codes with the
    same name get ``_2``, ``_3``, ... by counting (linear in the number of codes).
    """
    tree = _CodeTree(file, language)
    if codes_el is not None:
        _too_many(codes_el, file)
        tree.walk(codes_el)
    tree.check()
    return Codebook(
        id=cb_id,
        title=title or cb_id,
        version="imported",
        language=language,
        codes=tree.codes,
        source=file,
    ), tree.guid_to_id


def read_qdc(path: str | Path, language: str = "sv") -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) into a :class:`~evaluation.sources.codebook.Codebook`.

    Codes written by us get their id, labels and criteria back from the
    ``Description``; codes from other tools get an id made from their name
    (ASCII, snake_case, made unique) and the description as definition.

    Raises :class:`~evaluation.errors.CodebookError` for a file that is
    missing, not a regular file, larger than :data:`MAX_XML_BYTES`, not
    well-formed XML, declares a DTD, or nests codes deeper than
    :data:`~evaluation.sources.codebook.MAX_CODE_DEPTH`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "other.qdc"
    >>> _ = p.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
    ...     '<Code guid="{A1}" name="Trygghet" isCodable="false">'
    ...     '<Code guid="a2" name="Rädsla"/></Code></Codes></CodeBook>', encoding="utf-8")
    >>> cb = read_qdc(p)
    >>> cb.ids, cb.path("radsla"), cb.codes["trygghet"].codable
    (['trygghet', 'radsla'], 'trygghet/radsla', False)
    """
    path = Path(path)
    try:
        data = read_bytes(path, str(path), limit=MAX_XML_BYTES)
        root = parse_xml(data, str(path))
    except CodebookError:
        raise
    except DataError as exc:
        raise CodebookError(exc.problems) from None
    if local(root.tag) != "CodeBook":
        raise CodebookError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"root element is {local(root.tag)[:40]!r}",
                    "CodeBook (urn:QDA-XML:codebook:1.0)",
                )
            ]
        )
    origin = root.get("origin", "")
    m = re.match(r"sergel-eval (\S+) (\S+)", origin)
    cb, _ = codebook_from(
        child(root, "Codes"),
        str(path),
        language,
        m.group(1) if m else path.stem,
        m.group(1) if m else path.stem,
    )
    if m:
        cb.version = m.group(2)
    return cb
