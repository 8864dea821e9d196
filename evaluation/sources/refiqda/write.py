"""Writing REFI-QDA files: codebooks (``.qdc``), projects (``.qdpx``) and imported folders.

GUIDs we write are stable: ``uuid5`` of the codebook id and code id (codes),
of the coder (users), of the group (sources) and of the span (selections), so
a re-export does not break the other tool's links.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ._description import describe
from ._xml import NOT_XML, NS_CODEBOOK, NS_PROJECT, code_guid, guid, slug, write_xml
from .checks import check_coders, check_xml_text

__all__ = ["write_qdc", "write_qdpx", "write_import_folder"]

_PALETTE = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]


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
        ET.SubElement(el, f"{{{ns}}}Description").text = describe(cb, c)
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
            {"guid": guid("set", cb.id, r), "name": cb.codes[r].name(cb.language)},
        )
        ET.SubElement(s, f"{{{ns}}}Description").text = f"All codes of the theme {r}"
        for cid in [r, *cb.descendants(r)]:
            ET.SubElement(s, f"{{{ns}}}MemberCode", {"targetGUID": code_guid(cb.id, cid)})


def write_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook as a REFI-QDA codebook file (``.qdc``).

    Codes carry stable GUIDs, their label in the codebook's language as
    ``name``, ``isCodable``, a ``color`` per theme and a ``Description`` with
    the definition, criteria, examples and our id; each top-level theme with
    sub-codes becomes a ``Set``.

    Raises :class:`~evaluation.errors.CodebookError` naming the code and field
    when a text holds a control character that XML cannot represent.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from evaluation.sources.codebook import Code
    >>> from evaluation.sources.refiqda import read_qdc
    >>> cb = Codebook("cb", "CB", "2", "sv", {"a": Code("a", {"sv": "A", "en": "A e"}, include="när")})
    >>> p = write_qdc(cb, pathlib.Path(tempfile.mkdtemp()) / "cb.qdc")
    >>> back = read_qdc(p)
    >>> back.version, back.codes["a"].label, back.codes["a"].include
    ('2', {'sv': 'A', 'en': 'A e'}, 'när')
    """
    check_xml_text(codebook)
    ns = NS_CODEBOOK
    root = ET.Element(
        f"{{{ns}}}CodeBook", {"origin": f"sergel-eval {codebook.id} {codebook.version}"}
    )
    _codes_element(root, ns, codebook)
    _sets_element(root, ns, codebook)
    out = Path(path)
    out.write_bytes(write_xml(root, ns))
    return out


def _spans(g: str, codings: pd.DataFrame, seg: pd.DataFrame) -> dict[tuple, list[str]]:
    """(start, end, coder) -> codes of the codings of group ``g``, positions in its text."""
    c = codings[codings["group"] == g]
    spans: dict[tuple, list[str]] = {}
    at: Any = seg.loc
    r: Any
    for r in c.itertuples():
        d0, d1 = at[(g, int(r.segment)), ["doc_start", "doc_end"]]
        has = (
            hasattr(r, "start")
            and pd.notna(getattr(r, "start", np.nan))
            and pd.notna(getattr(r, "end", np.nan))
        )
        a, b = (int(d0) + int(r.start), int(d0) + int(r.end)) if has else (int(d0), int(d1))
        spans.setdefault((a, b, r.coder), []).append(r.code)
    return spans


def _selections(src: ET.Element, ns: str, g: str, text: str, spans: dict[tuple, list[str]],
                user_guid: dict[str, str], codebook_id: str) -> None:  # fmt: skip
    """One ``PlainTextSelection`` per span and coder, one ``Coding`` per code on it."""
    for (a, b, coder), codes in sorted(spans.items()):
        sel = ET.SubElement(
            src,
            f"{{{ns}}}PlainTextSelection",
            {
                "guid": guid("selection", g, str(a), str(b), coder),
                "name": NOT_XML.sub(" ", text[a:b][:60]),
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
                    "guid": guid("coding", g, str(a), str(b), coder, code),
                    "creatingUser": user_guid[coder],
                },
            )
            ET.SubElement(cod, f"{{{ns}}}CodeRef", {"targetGUID": code_guid(codebook_id, code)})


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
    path : str or Path
        The archive to write.
    codebook : Codebook
    texts : DataFrame
        ``group``, ``text`` (the whole transcript, as loaded).
    segments : DataFrame
        ``group``, ``segment``, ``doc_start``, ``doc_end`` of every turn.
    codings : DataFrame
        ``group``, ``segment``, ``code``, ``coder`` and optional ``start``,
        ``end`` offsets within the turn (without them the whole utterance is
        the selection).
    project_name : str

    Returns
    -------
    Path
        ``path``.

    Notes
    -----
    Each source is ``sources/<guid>.txt`` (UTF-8, no BOM, ``\\n`` line
    breaks; positions count Unicode characters), referenced as
    ``internal://<guid>.txt``. Codings of one coder on one span share one
    ``PlainTextSelection``; coders are ``Users``.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> from evaluation.sources.codebook import Code
    >>> cb = Codebook("cb", "CB", "1", "sv", {"a": Code("a", {"sv": "A"})})
    >>> texts = pd.DataFrame({"group": ["g1"], "text": ["Hej."]})
    >>> segs = pd.DataFrame({"group": ["g1"], "segment": [1], "doc_start": [0], "doc_end": [4]})
    >>> cods = pd.DataFrame({"group": ["g1"], "segment": [1], "code": ["a"], "coder": ["anna"]})
    >>> p = write_qdpx(pathlib.Path(tempfile.mkdtemp()) / "p.qdpx", cb, texts, segs, cods)
    >>> zipfile.ZipFile(p).namelist()[0]
    'project.qde'
    """
    check_xml_text(codebook)
    ns = NS_PROJECT
    coders = sorted(str(c) for c in codings["coder"].dropna().unique())
    check_coders(coders)
    root = ET.Element(f"{{{ns}}}Project", {"name": project_name, "origin": "sergel-eval"})
    users = ET.SubElement(root, f"{{{ns}}}Users")
    user_guid = {c: guid("user", c) for c in coders}
    for c in coders:
        ET.SubElement(users, f"{{{ns}}}User", {"guid": user_guid[c], "name": c, "id": c})
    book = ET.SubElement(root, f"{{{ns}}}CodeBook")
    _codes_element(book, ns, codebook)
    sources = ET.SubElement(root, f"{{{ns}}}Sources")
    seg = segments.set_index(["group", "segment"])
    files: dict[str, bytes] = {}
    for g, text in zip(texts["group"], texts["text"], strict=True):
        sg = guid("source", g)
        files[f"sources/{sg}.txt"] = text.encode("utf-8")
        src = ET.SubElement(
            sources,
            f"{{{ns}}}TextSource",
            {"guid": sg, "name": f"{g}.txt", "plainTextPath": f"internal://{sg}.txt"},
        )
        _selections(src, ns, g, text, _spans(g, codings, seg), user_guid, codebook.id)
    _sets_element(root, ns, codebook)
    out = Path(path)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", write_xml(root, ns))
        for name, data in files.items():
            z.writestr(name, data)
    return out


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

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from evaluation.sources.codebook import Code
    >>> cb = Codebook("cb", "CB", "1", "sv", {"a": Code("a", {"sv": "A"})})
    >>> cods = pd.DataFrame({"group": ["g1"], "segment": [1], "code": ["a"], "coder": ["Anna"],
    ...                      "start": [0], "end": [4]})
    >>> out = write_import_folder(pathlib.Path(tempfile.mkdtemp()) / "imp", cb, cods, {"g1": "Hej."})
    >>> sorted(p.name for p in out.iterdir()), (out / "codings.csv").read_text().splitlines()[1]
    (['codebook.yaml', 'codings.csv', 'transcripts'], 'g1,1,a,anna,0,4')
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    codebook.write_yaml(out / "codebook.yaml")
    cols = ["group", "segment", "code", "coder", "start", "end"]
    table = codings[cols].copy()
    table["coder"] = [slug(str(c)) for c in table["coder"]]  # the data contract's coder ids
    table.to_csv(out / "codings.csv", index=False)
    (out / "transcripts").mkdir(exist_ok=True)
    for group, text in texts.items():
        (out / "transcripts" / f"{group}.txt").write_text(text, encoding="utf-8")
    return out
