"""REFI-QDA exchange: codebooks (``.qdc``) and projects (``.qdpx``).

Follows QDA-XML 1.0 (REFI, 2019): codebook namespace ``urn:QDA-XML:codebook:1.0``,
project namespace ``urn:QDA-XML:project:1.0``; a ``.qdpx`` is a zip holding
``project.qde`` and ``sources/``. Exports validate against the standard's
``Project.xsd`` (tested).

Written with the standard library's ``xml.etree`` rather than ``pyrefiqda``
(models generated from the XSDs): import must accept what real tools write,
which often is not schema-valid (bare file names as paths, empty ``<Sets/>``,
byte-order marks, upper-case GUIDs, line breaks counted as two characters), a
strict schema-bound parser rejects exactly those files, and ``pyrefiqda``
extracts archives into the working directory and brings four further
dependencies (pydantic, xsdata, xsdata-pydantic, lxml) for a few hundred lines.

GUIDs we write are stable: ``uuid5`` of the codebook id and code id (codes),
of the coder (users), of the group (sources) and of the span (selections), so
a re-export does not break the other tool's links.

Our own fields that QDA-XML has no place for (the code id, the English label,
include/exclude, examples, keywords) travel in the code's ``Description`` as
labelled lines (``Include: ...``), which other tools show as text and which
:func:`read_qdc` reads back, so YAML -> QDC -> YAML keeps ids, labels,
hierarchy and definitions.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..errors import CodebookError, DataError, Problem
from .codebook import Code, Codebook

__all__ = [
    "read_qdc",
    "write_qdc",
    "read_qdpx",
    "write_qdpx",
    "code_guid",
    "NS_CODEBOOK",
    "NS_PROJECT",
]

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


def _codes_element(parent: ET.Element, ns: str, cb: Codebook) -> None:
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")
    top = {r: k for k, r in enumerate(cb.roots())}

    def add(into: ET.Element, cid: str) -> None:
        c = cb.codes[cid]
        colour = c.color or _PALETTE[top[cb.top(cid)] % len(_PALETTE)]
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
        for ch in c.children:
            add(el, ch)

    for r in cb.roots():
        add(codes, r)


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
    """
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
    """Codebook and a map GUID (lower-case) -> code id."""
    codes: dict[str, Code] = {}
    guid_to_id: dict[str, str] = {}
    problems: list[Problem] = []

    def walk(el: ET.Element, parent: str | None) -> None:
        for c in _children(el, "Code"):
            guid = (c.get("guid") or "").strip("{}").lower()
            name = c.get("name") or ""
            if not guid or not name:
                problems.append(
                    Problem(
                        file,
                        None,
                        "Code",
                        f"a code without {'guid' if not guid else 'name'}",
                        "guid and name on every Code",
                    )
                )
                continue
            desc = _parse_description(
                (_child(c, "Description").text or "")
                if _child(c, "Description") is not None
                else ""
            )
            cid = desc.get("id") or _slug(name)
            base, k = cid, 2
            while cid in codes:
                cid, k = f"{base}_{k}", k + 1
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
            walk(c, cid)

    if codes_el is not None:
        walk(codes_el, None)
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
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise DataError(
            [Problem(file, line, None, f"not well-formed XML ({exc})", "a QDA-XML file")]
        ) from None


def read_qdc(path: str | Path, language: str = "sv") -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) into a :class:`Codebook`.

    Codes written by us get their id, labels and criteria back from the
    ``Description``; codes from other tools get an id made from their name
    (ASCII, snake_case, made unique) and the description as definition.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(
            [Problem(str(path), None, None, "file not found", "a .qdc file")]
        ) from None
    root = _parse_xml(data, str(path))
    if _local(root.tag) != "CodeBook":
        raise CodebookError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"root element is {_local(root.tag)!r}",
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
    ns = NS_PROJECT
    coders = sorted(codings["coder"].dropna().unique())
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
                    "name": text[a:b][:60],
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


def _source_text(src: ET.Element, z: zipfile.ZipFile, base_path: str | None, file: str) -> str:
    content = _child(src, "PlainTextContent")
    if content is not None and content.text:
        return content.text.removeprefix("\ufeff")
    ptp = src.get("plainTextPath")
    if not ptp:
        raise DataError(
            [
                Problem(
                    file,
                    None,
                    "TextSource",
                    f"source {src.get('name')!r} has no plainTextPath or PlainTextContent",
                    "a plain-text version of every text source",
                )
            ]
        )
    names = set(z.namelist())
    raw = None
    if ptp.startswith("internal://"):
        rel = ptp[len("internal://") :]
        for cand in (f"sources/{rel}", rel):
            if cand in names:
                raw = z.read(cand)
                break
    elif ptp.startswith("relative://"):
        rel = ptp[len("relative://") :]
        name = PurePosixPath(rel).name
        if f"sources/{name}" in names:
            raw = z.read(f"sources/{name}")
        elif base_path:
            p = Path(base_path.replace("file://", "")) / rel
            raw = p.read_bytes() if p.exists() else None
    elif ptp.startswith("absolute://"):
        p = Path(ptp[len("absolute://") :])
        raw = (
            p.read_bytes()
            if p.exists()
            else (z.read(f"sources/{p.name}") if f"sources/{p.name}" in names else None)
        )
    else:  # a bare file name
        name = PurePosixPath(ptp).name
        raw = (
            z.read(f"sources/{name}")
            if f"sources/{name}" in names
            else (z.read(name) if name in names else None)
        )
    if raw is None:
        raise DataError(
            [
                Problem(
                    file,
                    None,
                    "plainTextPath",
                    f"{ptp!r} is not in the archive",
                    "the source's text under sources/",
                )
            ]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = (
            raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("cp1252")
        )
    return text.removeprefix("\ufeff")


def _offset_maps(text: str) -> dict[str, np.ndarray]:
    """Maps from a tool's positions to positions in the text with ``\\n`` line breaks.

    ``one``: a line break is one character; ``two``: a line break counts as two
    (``\\r\\n`` as Windows tools count). The returned text has ``\\r\\n``
    folded to ``\\n``.
    """
    norm = text.replace("\r\n", "\n")
    n = len(norm)
    breaks_before = np.concatenate([[0], np.cumsum([ch == "\n" for ch in norm])])
    one = np.arange(n + 1)
    # position in the "two" count of normalized index i is i + breaks_before[i]
    two_pos = one + breaks_before
    two = np.full(two_pos[-1] + 1, -1)
    two[two_pos] = one
    for i in range(1, len(two)):  # a position inside a two-character break maps to the break
        if two[i] < 0:
            two[i] = two[i - 1]
    return {"one": one, "two": two}


def _score(text: str, spans: list[tuple[int, int]], mapping: np.ndarray) -> float:
    ok = 0
    for a, b in spans:
        if b >= len(mapping) or a < 0:
            return -1.0
        s, e = mapping[a], mapping[b]
        ok += (s == 0 or not text[s - 1].isalnum()) + (e >= len(text) or not text[e].isalnum())
    return ok / max(2 * len(spans), 1)


def read_qdpx(
    path: str | Path, language: str = "sv"
) -> tuple[Codebook, pd.DataFrame, pd.DataFrame]:
    """Read a REFI-QDA project (``.qdpx``): codebook, turn segments and codings.

    Accepts what real tools write: upper- or lower-case GUIDs (braces
    allowed), ``plainTextPath`` as ``internal://``, ``relative://`` (against
    ``basePath``), ``absolute://`` or a bare file name, sources with a
    byte-order mark, ``.docx`` twins and stray files in ``sources/``, missing
    optional attributes, categories (``isCodable="false"``), an empty
    ``<Sets/>``, and positions that count a line break as one character or as
    two (decided per source from the text and the offsets: the reading that
    puts selection boundaries on word boundaries, or the only one that fits;
    the assumption is in ``codings.attrs["line_breaks"]``).

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
    """
    from ..sources.focus_groups import parse_transcript

    path = Path(path)
    file = str(path)
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, FileNotFoundError) as exc:
        raise DataError(
            [
                Problem(
                    file, None, None, f"not a .qdpx archive ({exc})", "a zip file with project.qde"
                )
            ]
        ) from None
    with z:
        qde = [n for n in z.namelist() if n.lower().endswith(".qde")]
        if not qde:
            raise DataError(
                [Problem(file, None, None, "no .qde file in the archive", "project.qde")]
            )
        root = _parse_xml(z.read(qde[0]), f"{file}:{qde[0]}")
        users = {
            (u.get("guid") or "").strip("{}").lower(): (
                u.get("name") or u.get("id") or u.get("guid")
            )
            for u in _children(_child(root, "Users") or ET.Element("x"), "User")
        }
        book = _child(root, "CodeBook")
        cb, guid_to_id = _codebook_from(
            _child(book, "Codes") if book is not None else None,
            file,
            language,
            _slug(root.get("name", path.stem)),
            root.get("name", path.stem),
        )
        seg_frames, rows, assumptions = [], [], {}
        sources = _child(root, "Sources")
        for src in _children(sources, "TextSource") if sources is not None else []:
            raw_text = _source_text(src, z, root.get("basePath"), file)
            text = raw_text.replace("\r\n", "\n")
            group = (
                _slug(
                    re.sub(
                        r"\.(txt|docx?|rtf)$", "", src.get("name") or src.get("guid"), flags=re.I
                    )
                )
                if src.get("name")
                else _slug(src.get("guid"))
            )
            seg, problems = parse_transcript(text, group)
            if problems or seg.empty:  # not our turn format: paragraphs are the segments
                paras = [
                    (m.start(), m.end()) for m in re.finditer(r"[^\n](?:[^\n]|\n(?!\s*\n))*", text)
                ]
                seg = pd.DataFrame(
                    {
                        "group": group,
                        "segment": range(1, len(paras) + 1),
                        "segment_id": [f"{group}:{i}" for i in range(1, len(paras) + 1)],
                        "line": [text[:a].count("\n") + 1 for a, _ in paras],
                        "time": "",
                        "speaker": "",
                        "text": [text[a:b] for a, b in paras],
                        "doc_start": [a for a, _ in paras],
                        "doc_end": [b for _, b in paras],
                    }
                )
            seg_frames.append(seg)
            sels = _children(src, "PlainTextSelection")
            spans = [(int(s.get("startPosition")), int(s.get("endPosition"))) for s in sels]
            maps = _offset_maps(raw_text)
            scores = {k: _score(text, spans, m) for k, m in maps.items()}
            choice = "one" if scores["one"] >= scores["two"] else "two"
            assumptions[group] = "one character" if choice == "one" else "two characters"
            mp = maps[choice]
            for s, (a, b) in zip(sels, spans, strict=True):
                da, db = int(mp[min(a, len(mp) - 1)]), int(mp[min(b, len(mp) - 1)])
                coder_guid = (s.get("creatingUser") or "").strip("{}").lower()
                for cod in _children(s, "Coding"):
                    ref = _child(cod, "CodeRef")
                    if ref is None:
                        continue
                    target = (ref.get("targetGUID") or "").strip("{}").lower()
                    if target not in guid_to_id:
                        raise DataError(
                            [
                                Problem(
                                    file,
                                    None,
                                    "CodeRef",
                                    f"coding refers to an unknown code {target}",
                                    "a targetGUID of a Code in the CodeBook",
                                )
                            ]
                        )
                    cg = (cod.get("creatingUser") or "").strip("{}").lower() or coder_guid
                    coder = users.get(cg, cg or "unknown")
                    over = (
                        seg[(seg["doc_start"] < db) & (seg["doc_end"] > da)]
                        if db > da
                        else seg[(seg["doc_start"] <= da) & (seg["doc_end"] >= da)]
                    )
                    for t in over.itertuples():
                        rows.append(
                            {
                                "group": group,
                                "segment": int(t.segment),
                                "code": guid_to_id[target],
                                "coder": str(coder),
                                "start": max(da, t.doc_start) - t.doc_start,
                                "end": min(db, t.doc_end) - t.doc_start,
                                "selection": (s.get("guid") or "").strip("{}").lower(),
                                "doc_start": da,
                                "doc_end": db,
                            }
                        )
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
    return cb, segments, codings
