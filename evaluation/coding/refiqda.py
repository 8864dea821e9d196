"""REFI-QDA exchange: codebooks (``.qdc``) and projects (``.qdpx``).

Follows QDA-XML 1.0 (REFI, 2019): codebook namespace ``urn:QDA-XML:codebook:1.0``,
project namespace ``urn:QDA-XML:project:1.0``; a ``.qdpx`` is a zip holding
``project.qde`` and ``sources/``. Exports validate against the standard's
``Project.xsd`` (tested).

Written with the standard library's ``xml.etree`` (parsing through ``defusedxml``,
which refuses DTDs and entities) rather than ``pyrefiqda``
(models generated from the XSDs): import must accept what real tools write,
which often is not schema-valid (bare file names as paths, empty ``<Sets/>``,
byte-order marks, upper-case GUIDs, line breaks counted as two characters), a
strict schema-bound parser rejects exactly those files, and ``pyrefiqda``
extracts archives into the working directory and brings four further
dependencies (pydantic, xsdata, xsdata-pydantic, lxml) for a few hundred lines.

GUIDs we write are stable: ``uuid5`` of the codebook id and code id (codes),
of the coder (users), of the group (sources) and of the span (selections), so
a re-export does not break the other tool's links.

Import treats a project as possibly hostile (it comes from other people): only
the archive is read unless the caller names a folder of external sources
(``sources_dir``), members are read within :data:`MAX_MEMBER_BYTES` /
:data:`MAX_UNPACKED_BYTES` (declared sizes checked first), XML is parsed without
DTDs or entities, code trees are walked without recursion, and every defect is a
:class:`~evaluation.errors.DataError` naming the archive, member, source or
selection.

Our own fields that QDA-XML has no place for (the code id, the English label,
include/exclude, examples, keywords) travel in the code's ``Description`` as
labelled lines (``Include: ...``), which other tools show as text and which
:func:`read_qdc` reads back, so YAML -> QDC -> YAML keeps ids, labels,
hierarchy and definitions.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections import Counter
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..errors import CodebookError, DataError, Problem
from ..sources.focus_groups import MAX_TRANSCRIPT_LINES
from ..textio import open_regular, read_bytes
from .codebook import MAX_CODE_DEPTH, MAX_CODES, Code, Codebook

__all__ = [
    "read_qdc",
    "write_qdc",
    "read_qdpx",
    "read_qdpx_texts",
    "write_qdpx",
    "write_import_folder",
    "code_guid",
    "NS_CODEBOOK",
    "NS_PROJECT",
    "MAX_MEMBER_BYTES",
    "MAX_UNPACKED_BYTES",
    "MAX_MEMBERS",
    "MAX_ARCHIVE_BYTES",
    "MAX_XML_BYTES",
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
#: Largest ``project.qde`` / ``.qdc`` document (bytes).
MAX_XML_BYTES = 32 * 1024 * 1024

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
NS_PROJECT = "urn:QDA-XML:project:1.0"
_NAMESPACE = uuid.UUID("6f1d4f0e-5b5e-4c1e-9d1a-5e2a6e7a0c31")  # sergel-eval's uuid5 namespace
_PALETTE = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]
_FIELDS = (
    ("Include", "include"),
    ("Exclude", "exclude"),
    ("Examples", "examples"),
    ("Keywords", "keywords"),
)
_OURS = "sergel-eval:"


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(parts)))


def code_guid(codebook_id: str, code_id: str) -> str:
    """The stable GUID of a code: uuid5 of the codebook id and the code id.

    >>> code_guid("focus_groups", "samverkan") == code_guid("focus_groups", "samverkan")
    True
    """
    return _guid("code", codebook_id, code_id)


# ----------------------------------------------------------------------------- codebook
def _description(cb: Codebook, c: Code) -> str:
    lines = [c.definition] if c.definition else []
    for title, attr in _FIELDS:
        v = getattr(c, attr)
        if v:
            lines.append(f"{title}: {' | '.join(v) if isinstance(v, list) else v}")
    for attr, texts in c.texts.items():  # other languages' definition/include/exclude
        for lang, v in texts.items():
            if lang != cb.language and v:
                lines.append(f"{attr.capitalize()} ({lang}): {v}")
    extra = f"{_OURS} id={c.id}"
    for lang, lab in c.label.items():
        if lang != cb.language:
            extra += f"; label_{lang}={lab}"
    lines.append(extra)
    return "\n".join(lines)


# Characters XML 1.0 cannot hold (C0 controls except tab and line breaks, lone surrogates,
# U+FFFE/U+FFFF): a label with one of them would give a file no tool can open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_xml_text(cb: Codebook) -> None:
    """Refuse a codebook whose texts hold characters XML cannot represent (names the code)."""
    problems = []
    where = cb.source or cb.id
    for k, v in (("codebook.id", cb.id), ("codebook.version", cb.version)):
        m = _NOT_XML.search(v or "")
        if m:
            problems.append(
                Problem(
                    where,
                    None,
                    k,
                    f"control character U+{ord(m.group()):04X} cannot be written to XML",
                    "printable text (remove the control character)",
                )
            )
    for cid, c in cb.codes.items():
        fields = {f"label.{lang}": v for lang, v in c.label.items()}
        fields.update(
            definition=c.definition,
            include=c.include,
            exclude=c.exclude,
            examples=" ".join(c.examples),
            keywords=" ".join(c.keywords),
            color=c.color or "",
            id=cid,
        )
        for k, v in fields.items():
            m = _NOT_XML.search(v or "")
            if m:
                problems.append(
                    Problem(
                        where,
                        c.line,
                        k,
                        f"code {cid!r}: control character U+{ord(m.group()):04X} cannot be"
                        " written to a REFI-QDA file",
                        "printable text (remove the control character)",
                    )
                )
    if problems:
        raise CodebookError(problems)


def _codes_element(parent: ET.Element, ns: str, cb: Codebook) -> None:
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")
    roots = cb.roots()
    top = {r: k for k, r in enumerate(roots)}
    # iterative: (element to add into, code id, its top-level theme)
    stack = [(codes, r, r) for r in reversed(roots)]
    while stack:
        into, cid, theme = stack.pop()
        c = cb.codes[cid]
        colour = c.color or _PALETTE[top[theme] % len(_PALETTE)]
        el = ET.SubElement(
            into,
            f"{{{ns}}}Code",
            {
                "guid": code_guid(cb.id, cid),
                "name": c.name(cb.language),
                "isCodable": "true" if c.codable else "false",
                "color": colour,
            },
        )
        ET.SubElement(el, f"{{{ns}}}Description").text = _description(cb, c)
        stack.extend((el, ch, theme) for ch in reversed(c.children))


def _sets_element(parent: ET.Element, ns: str, cb: Codebook) -> None:
    themes = [r for r in cb.roots() if cb.codes[r].children]
    if not themes:
        return
    sets = ET.SubElement(parent, f"{{{ns}}}Sets")
    for r in themes:
        s = ET.SubElement(
            sets,
            f"{{{ns}}}Set",
            {"guid": _guid("set", cb.id, r), "name": cb.codes[r].name(cb.language)},
        )
        ET.SubElement(s, f"{{{ns}}}Description").text = f"All codes of the theme {r}"
        for cid in [r, *cb.descendants(r)]:
            ET.SubElement(s, f"{{{ns}}}MemberCode", {"targetGUID": code_guid(cb.id, cid)})


def _write_xml(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook as a REFI-QDA codebook file (``.qdc``).

    Codes carry stable GUIDs, their label in the codebook's language as
    ``name``, ``isCodable``, a ``color`` per theme and a ``Description`` with
    the definition, criteria, examples and our id; each top-level theme with
    sub-codes becomes a ``Set``.

    Raises :class:`~evaluation.errors.CodebookError` naming the code and field
    when a text holds a control character that XML cannot represent.
    """
    _check_xml_text(codebook)
    ns = NS_CODEBOOK
    root = ET.Element(
        f"{{{ns}}}CodeBook", {"origin": f"sergel-eval {codebook.id} {codebook.version}"}
    )
    _codes_element(root, ns, codebook)
    _sets_element(root, ns, codebook)
    out = Path(path)
    out.write_bytes(_write_xml(root, ns))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    if not s or not s[0].isalpha():
        s = "code_" + s
    return s


def _parse_description(text: str) -> dict:
    out: dict = {"definition": [], "label": {}, "texts": {}}
    for line in (text or "").splitlines():
        m = re.match(r"^(Include|Exclude|Examples|Keywords):\s*(.*)$", line)
        other = re.match(r"^(Definition|Include|Exclude) \(([a-z]{2})\):\s*(.*)$", line)
        if other:  # a text in another language than the codebook's
            out["texts"].setdefault(other.group(1).lower(), {})[other.group(2)] = other.group(
                3
            ).strip()
        elif m:
            key = dict(_FIELDS)[m.group(1)]
            out[key] = (
                [
                    x.strip()
                    for x in re.split(r"\s\|\s|,\s" if key == "keywords" else r"\s\|\s", m.group(2))
                    if x.strip()
                ]
                if key in ("examples", "keywords")
                else m.group(2).strip()
            )
        elif line.startswith(_OURS):
            for part in line[len(_OURS) :].split(";"):
                k, _, v = part.strip().partition("=")
                if k == "id":
                    out["id"] = v.strip()
                elif k.startswith("label_"):
                    out["label"][k[6:]] = v.strip()
        else:
            out["definition"].append(line)
    out["definition"] = "\n".join(out["definition"]).strip()
    return out


def _codebook_from(
    codes_el: ET.Element | None,
    file: str,
    language: str = "sv",
    cb_id: str = "imported",
    title: str = "",
) -> tuple[Codebook, dict[str, str]]:
    """Codebook and a map GUID (lower-case) -> code id.

    The tree is walked without recursion and refused past
    :data:`~evaluation.coding.codebook.MAX_CODE_DEPTH` levels; codes with the
    same name get ``_2``, ``_3``, ... by counting (linear in the number of codes).
    """
    codes: dict[str, Code] = {}
    guid_to_id: dict[str, str] = {}
    problems: list[Problem] = []
    next_suffix: dict[str, int] = {}
    # Depth first with a stack of (iterator over Code children, parent code id, level):
    # codes are read in document order, a parent before its children, at any depth.
    stack: list[tuple] = []
    too_deep = None

    def push(el: ET.Element, parent: str | None, level: int) -> None:
        nonlocal too_deep
        kids = _children(el, "Code")
        if kids and level >= MAX_CODE_DEPTH:
            too_deep = too_deep or parent
        elif kids:
            stack.append((iter(kids), parent, level))

    if codes_el is not None:
        n_codes = sum(1 for el in codes_el.iter() if _local(el.tag) == "Code")
        if n_codes > MAX_CODES:  # refused before any is built
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
        push(codes_el, None, 0)
    while stack:
        kids, parent, level = stack[-1]
        c = next(kids, None)
        if c is None:
            stack.pop()
            continue
        guid = (c.get("guid") or "").strip("{}").lower()
        name = c.get("name") or ""
        if not guid or not name:
            problems.append(
                Problem(
                    file,
                    None,
                    "Code",
                    f"a code without {'guid' if not guid else 'name'}"
                    + (f" (guid {guid})" if guid else ""),
                    "guid and name on every Code",
                )
            )
            continue
        if guid in guid_to_id:
            problems.append(
                Problem(
                    file,
                    None,
                    "Code",
                    f"two codes have the guid {guid}",
                    "a unique guid per Code",
                )
            )
            continue
        d_el = _child(c, "Description")
        desc = _parse_description((d_el.text or "") if d_el is not None else "")
        cid = desc.get("id") or _slug(name)
        if cid in codes:
            base = cid
            k = next_suffix.get(base, 2)
            while f"{base}_{k}" in codes:
                k += 1
            cid = f"{base}_{k}"
            next_suffix[base] = k + 1
        codable = c.get("isCodable", "true").strip().lower() in ("true", "1")
        codes[cid] = Code(
            id=cid,
            label={language: name, **desc["label"]},
            definition=desc["definition"],
            include=desc.get("include", ""),
            exclude=desc.get("exclude", ""),
            examples=desc.get("examples", []),
            keywords=desc.get("keywords", []),
            parent=parent,
            color=c.get("color"),
            codable=codable,
            texts={k: {language: desc.get(k, ""), **v} for k, v in desc["texts"].items()},
        )
        guid_to_id[guid] = cid
        if parent is not None:
            codes[parent].children.append(cid)
        push(c, cid, level + 1)
    if too_deep is not None:
        problems.append(
            Problem(
                file,
                None,
                "Code",
                f"codes nested more than {MAX_CODE_DEPTH} levels deep (under {too_deep!r})",
                f"at most {MAX_CODE_DEPTH} levels of codes",
            )
        )
    if problems:
        raise CodebookError(problems)
    if not codes:
        raise CodebookError(
            [Problem(file, None, "Codes", "no codes found", "a CodeBook with Codes/Code elements")]
        )
    return Codebook(
        id=cb_id,
        title=title or cb_id,
        version="imported",
        language=language,
        codes=codes,
        source=file,
    ), guid_to_id


def _parse_xml(data: bytes, file: str) -> ET.Element:
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


def read_qdc(path: str | Path, language: str = "sv") -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) into a :class:`Codebook`.

    Codes written by us get their id, labels and criteria back from the
    ``Description``; codes from other tools get an id made from their name
    (ASCII, snake_case, made unique) and the description as definition.

    Raises :class:`~evaluation.errors.CodebookError` for a file that is
    missing, not a regular file, larger than :data:`MAX_XML_BYTES`, not
    well-formed XML, declares a DTD, or nests codes deeper than
    :data:`~evaluation.coding.codebook.MAX_CODE_DEPTH`.
    """
    path = Path(path)
    try:
        data = read_bytes(path, str(path), limit=MAX_XML_BYTES)
        root = _parse_xml(data, str(path))
    except CodebookError:
        raise
    except DataError as exc:
        raise CodebookError(exc.problems) from None
    if _local(root.tag) != "CodeBook":
        raise CodebookError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"root element is {_local(root.tag)[:40]!r}",
                    "CodeBook (urn:QDA-XML:codebook:1.0)",
                )
            ]
        )
    origin = root.get("origin", "")
    m = re.match(r"sergel-eval (\S+) (\S+)", origin)
    cb, _ = _codebook_from(
        _child(root, "Codes"),
        str(path),
        language,
        m.group(1) if m else path.stem,
        m.group(1) if m else path.stem,
    )
    if m:
        cb.version = m.group(2)
    return cb


# ----------------------------------------------------------------------------- projects
def write_qdpx(
    path: str | Path,
    codebook: Codebook,
    texts: pd.DataFrame,
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    project_name: str = "sergel-eval",
) -> Path:
    """Write a REFI-QDA project (``.qdpx``): codebook, transcripts and codings.

    Parameters
    ----------
    texts : DataFrame
        ``group``, ``text`` (the whole transcript, as loaded).
    segments : DataFrame
        ``group``, ``segment``, ``doc_start``, ``doc_end`` of every turn.
    codings : DataFrame
        ``group``, ``segment``, ``code``, ``coder`` and optional ``start``,
        ``end`` offsets within the turn (without them the whole utterance is
        the selection).

    Each source is ``sources/<guid>.txt`` (UTF-8, no BOM, ``\\n`` line
    breaks; positions count Unicode characters), referenced as
    ``internal://<guid>.txt``. Codings of one coder on one span share one
    ``PlainTextSelection``; coders are ``Users``.
    """
    _check_xml_text(codebook)
    ns = NS_PROJECT
    coders = sorted(str(c) for c in codings["coder"].dropna().unique())
    for c in coders:
        if _NOT_XML.search(c):
            raise DataError(
                [
                    Problem(
                        "codings",
                        None,
                        "coder",
                        f"coder {c!r} holds a control character",
                        "printable text",
                    )
                ]
            )
    root = ET.Element(f"{{{ns}}}Project", {"name": project_name, "origin": "sergel-eval"})
    users = ET.SubElement(root, f"{{{ns}}}Users")
    user_guid = {c: _guid("user", c) for c in coders}
    for c in coders:
        ET.SubElement(users, f"{{{ns}}}User", {"guid": user_guid[c], "name": c, "id": c})
    book = ET.SubElement(root, f"{{{ns}}}CodeBook")
    _codes_element(book, ns, codebook)
    sources = ET.SubElement(root, f"{{{ns}}}Sources")
    seg = segments.set_index(["group", "segment"])
    files: dict[str, bytes] = {}
    for g, text in zip(texts["group"], texts["text"], strict=True):
        sg = _guid("source", g)
        files[f"sources/{sg}.txt"] = text.encode("utf-8")
        src = ET.SubElement(
            sources,
            f"{{{ns}}}TextSource",
            {"guid": sg, "name": f"{g}.txt", "plainTextPath": f"internal://{sg}.txt"},
        )
        c = codings[codings["group"] == g]
        spans: dict[tuple, list[str]] = {}
        for r in c.itertuples():
            d0, d1 = seg.loc[(g, int(r.segment)), ["doc_start", "doc_end"]]
            has = (
                hasattr(r, "start")
                and pd.notna(getattr(r, "start", np.nan))
                and pd.notna(getattr(r, "end", np.nan))
            )
            a, b = (int(d0) + int(r.start), int(d0) + int(r.end)) if has else (int(d0), int(d1))
            spans.setdefault((a, b, r.coder), []).append(r.code)
        for (a, b, coder), codes in sorted(spans.items()):
            sel = ET.SubElement(
                src,
                f"{{{ns}}}PlainTextSelection",
                {
                    "guid": _guid("selection", g, str(a), str(b), coder),
                    "name": _NOT_XML.sub(" ", text[a:b][:60]),
                    "startPosition": str(a),
                    "endPosition": str(b),
                    "creatingUser": user_guid[coder],
                },
            )
            for code in dict.fromkeys(codes):
                cod = ET.SubElement(
                    sel,
                    f"{{{ns}}}Coding",
                    {
                        "guid": _guid("coding", g, str(a), str(b), coder, code),
                        "creatingUser": user_guid[coder],
                    },
                )
                ET.SubElement(cod, f"{{{ns}}}CodeRef", {"targetGUID": code_guid(codebook.id, code)})
    _sets_element(root, ns, codebook)
    out = Path(path)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", _write_xml(root, ns))
        for name, data in files.items():
            z.writestr(name, data)
    return out


# ----------------------------------------------------------------------------- reading
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


def _problem(file: str, message: str, expected: str, column: str | None = None) -> DataError:
    return DataError([Problem(file, None, column, message, expected)])


class _Archive:
    """A ``.qdpx`` opened for bounded reading of its members."""

    def __init__(self, path: Path, file: str) -> None:
        self.file = file
        self.used = 0
        fh, _ = open_regular(path, file, limit=MAX_ARCHIVE_BYTES)
        try:
            n = self._members_listed(fh)
            if n is not None and n > MAX_MEMBERS:
                raise _problem(
                    file,
                    f"the archive lists {n:,} members, more than the limit of {MAX_MEMBERS:,}",
                    f"a .qdpx of at most {MAX_MEMBERS:,} files",
                )
            self.zip = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
            fh.close()
            raise _problem(
                file,
                f"not a .qdpx archive ({type(exc).__name__}: {_first_line(exc)})",
                "a zip file with project.qde",
            ) from None
        except BaseException:
            fh.close()
            raise
        self.names = set(self.zip.namelist())

    @staticmethod
    def _members_listed(fh) -> int | None:
        """The number of members the end-of-archive record declares (before parsing them)."""
        try:
            rec = zipfile._EndRecData(fh)  # noqa: SLF001 - stable for decades, no public twin
        except Exception:  # noqa: BLE001 - let ZipFile report what is wrong
            return None
        return None if not rec else int(rec[zipfile._ECD_ENTRIES_TOTAL])  # noqa: SLF001

    def close(self) -> None:
        fp = self.zip.fp
        self.zip.close()
        if fp is not None:
            fp.close()

    def read(self, name: str) -> bytes:
        """One member's bytes, refused when encrypted, of an unknown compression, too large
        (declared or actual size), or damaged (bad CRC, truncated)."""
        where = f"{self.file}:{name}"
        info = self.zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise _problem(
                where,
                "the member is encrypted (password-protected); it was not read",
                "an archive without a password (export the project again without one)",
            )
        if info.compress_type not in _COMPRESSION:
            kind = _COMPRESSION_NAMES.get(info.compress_type, "unknown")
            raise _problem(
                where,
                f"the member uses compression method {info.compress_type} ({kind}), which"
                " cannot be read",
                "members stored or deflated (zip the project again with ordinary compression)",
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise _problem(
                where,
                f"the member unpacks to {info.file_size:,} bytes, more than the limit of"
                f" {MAX_MEMBER_BYTES:,}",
                f"members of at most {MAX_MEMBER_BYTES:,} bytes",
            )
        # counted on declared sizes: reading never goes past them
        if self.used + info.file_size > MAX_UNPACKED_BYTES:
            raise _problem(
                where,
                f"the archive unpacks to more than the limit of {MAX_UNPACKED_BYTES:,} bytes",
                f"at most {MAX_UNPACKED_BYTES:,} bytes unpacked in all",
            )
        try:
            with self.zip.open(info) as fh:
                # ZipExtFile stops at the declared size; reading one byte more proves it.
                data = fh.read(info.file_size + 1)
        except zipfile.BadZipFile as exc:
            raise _problem(
                where,
                f"the member is damaged ({_first_line(exc)})",
                "an intact archive (copy or export it again)",
            ) from None
        except (zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise _problem(
                where,
                f"the member cannot be unpacked ({type(exc).__name__}: {_first_line(exc)})",
                "an intact archive (copy or export it again)",
            ) from None
        if len(data) > info.file_size:  # pragma: no cover - zipfile truncates already
            raise _problem(where, "the member is larger than it declares", "an intact archive")
        self.used += info.file_size
        return data


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:200]


def _decode(raw: bytes, where: str) -> str:
    """Text of a source: UTF-8, UTF-16 with a byte-order mark, else Windows-1252."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise _problem(
                where,
                f"bytes at offset {exc.start} cannot be decoded (encodings tried: UTF-16,"
                " as its byte-order mark says)",
                "a plain-text source in UTF-8 or UTF-16",
            ) from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as first:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise _problem(
                where,
                f"byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded (encodings"
                f" tried: UTF-8, which fails at offset {first.start}; Windows-1252)",
                "a plain-text source in UTF-8",
            ) from None


def _source_text(
    src: ET.Element, arc: _Archive, sources_dir: Path | None, file: str
) -> tuple[str, str]:
    """The text of a ``TextSource`` and where it came from (for messages).

    Only the archive is read, unless ``sources_dir`` names a folder for
    ``relative://`` and ``absolute://`` paths; the path must then resolve inside
    that folder (symbolic links resolved) and be a regular file.
    """
    sname = _short(src.get("name") or src.get("guid") or "?")
    content = _child(src, "PlainTextContent")
    if content is not None and content.text:
        return content.text.removeprefix("\ufeff"), f"{file}: source {sname}"
    ptp = (src.get("plainTextPath") or "").strip()
    if not ptp:
        raise _problem(
            file,
            f"source {sname} has no plainTextPath or PlainTextContent",
            "a plain-text version of every text source",
            "TextSource",
        )

    def member(*cands: str) -> tuple[bytes, str] | None:
        for cand in cands:
            if cand in arc.names:
                return arc.read(cand), f"{file}:{cand}"
        return None

    scheme, sep, rest = ptp.partition("://")
    if not sep:
        scheme, rest = "", ptp
    rest = rest.replace("\\", "/")
    base = PurePosixPath(rest).name
    found = None
    if scheme == "internal":
        found = member(f"sources/{rest.lstrip('/')}", rest.lstrip("/"))
    elif scheme in ("relative", "absolute", "file"):
        found = member(f"sources/{base}") if base else None
        if found is None:
            found = _external(scheme, rest, sources_dir, file, sname, ptp)
    elif scheme == "":
        found = member(f"sources/{base}", rest) if base else None
    else:
        raise _problem(
            file,
            f"source {sname} has plainTextPath {_short(ptp)} with an unknown scheme",
            "internal://, relative:// or absolute://",
            "plainTextPath",
        )
    if found is None:
        raise _problem(
            file,
            f"source {sname}: {_short(ptp)} is not in the archive",
            "the source's text under sources/",
            "plainTextPath",
        )
    raw, where = found
    return _decode(raw, where), where


def _external(
    scheme: str, rest: str, sources_dir: Path | None, file: str, sname: str, ptp: str
) -> tuple[bytes, str]:
    """Read a source outside the archive, only from inside ``sources_dir``."""
    if sources_dir is None:
        raise _problem(
            file,
            f"source {sname} refers to {_short(ptp)}, a file outside the archive; it was not read",
            "sources inside the .qdpx, or name a folder of external sources"
            " (read_qdpx(..., sources_dir=...) / --sources-dir)",
            "plainTextPath",
        )
    if scheme == "relative":
        target = sources_dir / rest.lstrip("/")
    else:
        target = Path(rest if rest.startswith("/") else "/" + rest)
    label = f"{file}: source {sname} ({_short(ptp)})"
    try:
        raw = read_bytes(
            target, label, root=sources_dir, limit=MAX_MEMBER_BYTES, what="the sources folder"
        )
    except DataError as exc:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    "plainTextPath",
                    p.message,
                    f"a regular file inside the sources folder {sources_dir}",
                )
                for p in exc.problems
            ]
        ) from None
    return raw, label


def _short(v, n: int = 80) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 4] + "...'"


def _paragraphs(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, line)`` of each paragraph (a run of non-blank lines), in linear time."""
    out = []
    pos, line_no, start, first, end = 0, 1, None, 0, 0
    for ln in text.split("\n"):
        if ln.strip():
            if start is None:
                start, first = pos, line_no
            end = pos + len(ln)
        elif start is not None:
            out.append((start, end, first))
            start = None
        pos += len(ln) + 1
        line_no += 1
    if start is not None:
        out.append((start, end, first))
    return out


class _Positions:
    """Map a tool's character positions to positions in the text with ``\\n`` line breaks.

    ``"one"``: a line break counts as one character (the identity); ``"two"``: it counts
    as two (``\\r\\n``, as Windows tools count), and a position between the two characters
    maps to the break. Uses the sorted line-break offsets and bisection: O(log n) per
    position, no table the size of the text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        # end of each break in the "two" count: breaks[m] + m + 1
        self.two_end = [b + m + 1 for m, b in enumerate(self.breaks)]
        self.length = {"one": len(text), "two": len(text) + len(self.breaks)}

    def map(self, p: int, mode: str) -> int:
        if mode == "one":
            return p
        c = bisect.bisect_left(self.two_end, p)
        if c < len(self.two_end) and self.two_end[c] == p:
            return self.breaks[c]
        return p - c

    def score(self, spans: list[tuple[int, int]], mode: str) -> float:
        """Share of span boundaries on word boundaries; -1 if a span does not fit."""
        n, text, ok = self.length[mode], self.text, 0
        for a, b in spans:
            if b > n:
                return -1.0
            s, e = self.map(a, mode), self.map(b, mode)
            ok += (s == 0 or not text[s - 1].isalnum()) + (e >= len(text) or not text[e].isalnum())
        return ok / max(2 * len(spans), 1)


def _segments_of(text: str, group: str) -> pd.DataFrame:
    from ..sources.focus_groups import parse_transcript

    seg, problems = parse_transcript(text, group)
    if problems or seg.empty:  # not our turn format: paragraphs are the segments
        paras = _paragraphs(text)
        seg = pd.DataFrame(
            {
                "group": group,
                "segment": range(1, len(paras) + 1),
                "segment_id": [f"{group}:{i}" for i in range(1, len(paras) + 1)],
                "line": [ln for _, _, ln in paras],
                "time": "",
                "speaker": "",
                "text": [text[a:b] for a, b, _ in paras],
                "doc_start": [a for a, _, _ in paras],
                "doc_end": [b for _, b, _ in paras],
            }
        )
    return seg


def _selection_spans(
    sels: list[ET.Element], file: str, sname: str, problems: list[Problem]
) -> list[tuple[ET.Element, str, int, int]]:
    """``(selection, guid, start, end)`` of each well-formed selection; problems for the rest."""
    out = []
    for s in sels:
        guid = (s.get("guid") or "").strip("{}").lower() or "(no guid)"
        raw = (s.get("startPosition"), s.get("endPosition"))
        where = f"PlainTextSelection {guid}"
        try:
            a, b = int(raw[0]), int(raw[1])  # type: ignore[arg-type]
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    file,
                    None,
                    where,
                    f"source {sname}: startPosition={_short(raw[0], 30)}"
                    f" endPosition={_short(raw[1], 30)} are not whole numbers",
                    "character positions 0 <= startPosition <= endPosition",
                )
            )
            continue
        why = (
            "a negative position"
            if a < 0 or b < 0
            else "startPosition is after endPosition"
            if a > b
            else ""
        )
        if why:
            problems.append(
                Problem(
                    file,
                    None,
                    where,
                    f"source {sname}: startPosition={a} endPosition={b}: {why}",
                    "character positions 0 <= startPosition <= endPosition",
                )
            )
            continue
        out.append((s, guid, a, b))
    return out


def read_qdpx_texts(
    path: str | Path, language: str = "sv", sources_dir: str | Path | None = None
) -> tuple[Codebook, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """:func:`read_qdpx` plus the text of every source: ``(codebook, segments, codings, texts)``.

    ``texts`` maps each group to its source text (line breaks ``\\n``), the text that
    ``segments`` and the codings' positions refer to.
    """
    path = Path(path)
    file = str(path)
    sdir = None
    if sources_dir is not None:
        sdir = Path(sources_dir).resolve()
        if not sdir.is_dir():
            raise _problem(
                str(sources_dir), "the sources folder does not exist", "a folder of sources"
            )
    arc = _Archive(path, file)
    try:
        return _read_archive(arc, path, file, language, sdir)
    finally:
        arc.close()


def _read_archive(
    arc: _Archive, path: Path, file: str, language: str, sdir: Path | None
) -> tuple[Codebook, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    qde = sorted(n for n in arc.names if n.lower().endswith(".qde"))
    if not qde:
        raise _problem(
            file, "no project.qde in the archive", "a REFI-QDA project (.qdpx) with project.qde"
        )
    name = "project.qde" if "project.qde" in qde else qde[0]
    if arc.zip.getinfo(name).file_size > MAX_XML_BYTES:
        raise _problem(
            f"{file}:{name}",
            f"the project document unpacks to {arc.zip.getinfo(name).file_size:,} bytes, more"
            f" than the limit of {MAX_XML_BYTES:,}",
            f"a project.qde of at most {MAX_XML_BYTES:,} bytes",
        )
    root = _parse_xml(arc.read(name), f"{file}:{name}")
    if _local(root.tag) != "Project":
        raise _problem(
            f"{file}:{name}",
            f"root element is {_local(root.tag)[:40]!r}",
            "Project (urn:QDA-XML:project:1.0)",
        )
    users_el = _child(root, "Users")
    users = {
        (u.get("guid") or "").strip("{}").lower(): (u.get("name") or u.get("id") or u.get("guid"))
        for u in (_children(users_el, "User") if users_el is not None else [])
    }
    book = _child(root, "CodeBook")
    cb, guid_to_id = _codebook_from(
        _child(book, "Codes") if book is not None else None,
        file,
        language,
        _slug(root.get("name", path.stem)),
        root.get("name", path.stem),
    )
    seg_frames, rows, assumptions, texts = [], [], {}, {}
    problems: list[Problem] = []
    group_count: Counter = Counter()
    sources = _child(root, "Sources")
    for src in _children(sources, "TextSource") if sources is not None else []:
        sname = _short(src.get("name") or src.get("guid") or "?")
        raw_text, where = _source_text(src, arc, sdir, file)
        n_lines = raw_text.count("\n") + 1
        if n_lines > MAX_TRANSCRIPT_LINES:
            raise _problem(
                where,
                f"source {sname} has {n_lines:,} lines, more than the limit of"
                f" {MAX_TRANSCRIPT_LINES:,}",
                f"sources of at most {MAX_TRANSCRIPT_LINES:,} lines",
            )
        text = raw_text.replace("\r\n", "\n")
        label = src.get("name") or src.get("guid") or "source"
        group = _slug(re.sub(r"\.(txt|docx?|rtf)$", "", label, flags=re.I))
        group_count[group] += 1
        if group_count[group] > 1:  # two sources with one name: number them by counting
            group = f"{group}_{group_count[group]}"
        texts[group] = text
        seg = _segments_of(text, group)
        seg_frames.append(seg)
        spans = _selection_spans(_children(src, "PlainTextSelection"), file, sname, problems)
        pos = _Positions(text)
        plain = [(a, b) for _, _, a, b in spans]
        scores = {k: pos.score(plain, k) for k in ("one", "two")}
        choice = "one" if scores["one"] >= scores["two"] else "two"
        assumptions[group] = "one character" if choice == "one" else "two characters"
        n = pos.length[choice]
        starts = seg["doc_start"].tolist()
        ends = seg["doc_end"].tolist()
        for s, guid, a, b in spans:
            if b > n:
                problems.append(
                    Problem(
                        file,
                        None,
                        f"PlainTextSelection {guid}",
                        f"source {sname}: startPosition={a} endPosition={b}: past the end of the"
                        f" text ({n} characters, line breaks counted as {assumptions[group]})",
                        f"positions between 0 and {n}",
                    )
                )
                continue
            da, db = pos.map(a, choice), pos.map(b, choice)
            coder_guid = (s.get("creatingUser") or "").strip("{}").lower()
            # turns the selection overlaps, by bisection on the (sorted) turn ends
            if db > da:
                i = bisect.bisect_right(ends, da)
                over = []
                while i < len(starts) and starts[i] < db:
                    over.append(i)
                    i += 1
            else:
                i = bisect.bisect_left(ends, da)
                over = []
                while i < len(starts) and starts[i] <= da:
                    over.append(i)
                    i += 1
            for cod in _children(s, "Coding"):
                ref = _child(cod, "CodeRef")
                if ref is None:
                    continue
                target = (ref.get("targetGUID") or "").strip("{}").lower()
                if target not in guid_to_id:
                    problems.append(
                        Problem(
                            file,
                            None,
                            "CodeRef",
                            f"source {sname}, selection {guid}: coding refers to an unknown"
                            f" code {_short(target, 50)}",
                            "a targetGUID of a Code in the CodeBook",
                        )
                    )
                    continue
                cg = (cod.get("creatingUser") or "").strip("{}").lower() or coder_guid
                coder = users.get(cg, cg or "unknown")
                for k in over:
                    t0, t1 = starts[k], ends[k]
                    rows.append(
                        {
                            "group": group,
                            "segment": int(seg["segment"].iat[k]),
                            "code": guid_to_id[target],
                            "coder": str(coder),
                            "start": max(da, t0) - t0,
                            "end": min(db, t1) - t0,
                            "selection": guid,
                            "doc_start": da,
                            "doc_end": db,
                        }
                    )
        if len(problems) > 1000:
            break
    if problems:
        raise DataError(problems)
    from ..sources.focus_groups import parse_transcript

    segments = (
        pd.concat(seg_frames, ignore_index=True) if seg_frames else parse_transcript("", "")[0]
    )
    codings = pd.DataFrame(
        rows,
        columns=[
            "group",
            "segment",
            "code",
            "coder",
            "start",
            "end",
            "selection",
            "doc_start",
            "doc_end",
        ],
    )
    codings.attrs["line_breaks"] = assumptions
    return cb, segments, codings, texts


def read_qdpx(
    path: str | Path, language: str = "sv", sources_dir: str | Path | None = None
) -> tuple[Codebook, pd.DataFrame, pd.DataFrame]:
    """Read a REFI-QDA project (``.qdpx``): codebook, turn segments and codings.

    Accepts what real tools write: upper- or lower-case GUIDs (braces
    allowed), ``plainTextPath`` as ``internal://``, ``relative://``,
    ``absolute://`` or a bare file name, sources with a byte-order mark,
    ``.docx`` twins and stray files in ``sources/``, missing optional
    attributes, categories (``isCodable="false"``), an empty ``<Sets/>``, and
    positions that count a line break as one character or as two (decided per
    source from the text and the offsets: the reading that puts selection
    boundaries on word boundaries, or the only one that fits; the assumption
    is in ``codings.attrs["line_breaks"]``).

    Only the archive is read. A ``relative://`` or ``absolute://`` source is
    taken from the archive's ``sources/`` folder by its file name; a source
    that is only outside the archive is read when ``sources_dir`` names a
    folder, and then only if its path (``relative://`` against
    ``sources_dir``, not the file's ``basePath``; ``absolute://`` as written)
    resolves, symbolic links followed, to a regular file inside that folder.

    Parameters
    ----------
    path : str or Path
    language : str
        Language of the code names (the codebook's ``language``).
    sources_dir : str or Path, optional
        The folder external sources may be read from.

    Returns
    -------
    codebook : Codebook
    segments : DataFrame
        As :func:`evaluation.sources.parse_transcript` (one row per turn) for
        transcripts in our turn format, otherwise one row per paragraph with
        an empty speaker.
    codings : DataFrame
        One row per coding (selection x code) and turn it overlaps: ``group``,
        ``segment``, ``code``, ``coder``, ``start``, ``end`` (within the turn),
        ``selection`` (GUID), ``doc_start``, ``doc_end``.

    Raises
    ------
    DataError
        Naming the archive (and member, source or selection GUID) and what
        is wrong: not a zip, encrypted or damaged members (bad CRC), an
        unknown compression method, no ``project.qde``, a member or a total
        unpacked size past :data:`MAX_MEMBER_BYTES` / :data:`MAX_UNPACKED_BYTES`,
        a DTD, codes nested past ``MAX_CODE_DEPTH``, a source outside the
        archive (or outside ``sources_dir``), undecodable text (byte offset and
        the encodings tried), selection positions that are negative, reversed
        or past the end of the text (selection GUID, source and positions),
        codings of unknown codes. :class:`~evaluation.errors.CodebookError` for
        a bad codebook.
    """
    cb, segments, codings, _ = read_qdpx_texts(path, language, sources_dir)
    return cb, segments, codings


def write_import_folder(
    folder: str | Path, codebook: Codebook, codings: pd.DataFrame, texts: dict[str, str]
) -> Path:
    """Write an imported project as ``codebook.yaml``, ``codings.csv`` and ``transcripts/``.

    ``codings.csv`` has the columns of ``focus_groups/codings.csv`` (``group``,
    ``segment``, ``code``, ``coder``, ``start``, ``end``); ``transcripts/<group>.txt``
    holds each source's text (UTF-8, ``\\n`` line breaks). Coder names become
    identifiers as the data contract wants them (``Anna`` -> ``anna``). The caller decides whether
    ``folder`` may be written (``evaluation codebook import`` refuses an existing,
    non-empty folder unless ``--force``).
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    codebook.write_yaml(out / "codebook.yaml")
    cols = ["group", "segment", "code", "coder", "start", "end"]
    table = codings[cols].copy()
    table["coder"] = [_slug(str(c)) for c in table["coder"]]  # the data contract's coder ids
    table.to_csv(out / "codings.csv", index=False)
    (out / "transcripts").mkdir(exist_ok=True)
    for group, text in texts.items():
        (out / "transcripts" / f"{group}.txt").write_text(text, encoding="utf-8")
    return out
