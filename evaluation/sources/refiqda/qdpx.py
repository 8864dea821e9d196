"""Reading REFI-QDA projects (``.qdpx``): codebook, turn segments and codings.

A project is read in named steps: the archive is opened for bounded reading
(:class:`~.archive.QdpxArchive`), the project document parsed
(:func:`_project_root`), its users and codebook read, then each ``TextSource``
(:meth:`_Project.read_source`): its text, its turns, the line-break reading of
its positions, and the codings of each selection on each turn it overlaps.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import DataError, Problem
from ..codebook import Codebook
from ..focus_groups import MAX_TRANSCRIPT_LINES, parse_transcript
from ._xml import MAX_XML_BYTES, bare_guid, child, children, local, parse_xml, problem, short, slug
from .archive import QdpxArchive
from .positions import (
    Positions,
    line_break_reading,
    segments_of,
    selection_spans,
    turns_overlapped,
)
from .qdc import codebook_from
from .source_text import source_text

__all__ = ["read_qdpx", "read_qdpx_texts"]

_CODING_COLUMNS = [
    "group",
    "segment",
    "code",
    "coder",
    "start",
    "end",
    "selection",
    "doc_start",
    "doc_end",
]
#: Problems after which reading stops (at the end of a source).
_ENOUGH_PROBLEMS = 1000


def _project_root(arc: QdpxArchive, file: str) -> ET.Element:
    """The parsed ``project.qde`` (or the first ``.qde``) of the archive."""
    qde = sorted(n for n in arc.names if n.lower().endswith(".qde"))
    if not qde:
        raise problem(
            file, "no project.qde in the archive", "a REFI-QDA project (.qdpx) with project.qde"
        )
    name = "project.qde" if "project.qde" in qde else qde[0]
    if arc.size(name) > MAX_XML_BYTES:
        raise problem(
            f"{file}:{name}",
            f"the project document unpacks to {arc.size(name):,} bytes, more"
            f" than the limit of {MAX_XML_BYTES:,}",
            f"a project.qde of at most {MAX_XML_BYTES:,} bytes",
        )
    root = parse_xml(arc.read(name), f"{file}:{name}")
    if local(root.tag) != "Project":
        raise problem(
            f"{file}:{name}",
            f"root element is {local(root.tag)[:40]!r}",
            "Project (urn:QDA-XML:project:1.0)",
        )
    return root


def _users(root: ET.Element) -> dict[str, str | None]:
    """User GUID (bare) -> name."""
    users_el = child(root, "Users")
    return {
        bare_guid(u.get("guid")): (u.get("name") or u.get("id") or u.get("guid"))
        for u in (children(users_el, "User") if users_el is not None else [])
    }


class _Project:
    """What is read from a project's sources, source by source."""

    def __init__(self, arc: QdpxArchive, file: str, sdir: Path | None, root: ET.Element,
                 guid_to_id: dict[str, str]) -> None:  # fmt: skip
        self.arc, self.file, self.sdir = arc, file, sdir
        self.users = _users(root)
        self.guid_to_id = guid_to_id
        self.problems: list[Problem] = []
        self.group_count: Counter[str] = Counter()
        self.seg_frames: list[pd.DataFrame] = []
        self.rows: list[dict[str, Any]] = []
        self.assumptions: dict[str, str] = {}
        self.texts: dict[str, str] = {}

    def _group(self, src: ET.Element) -> str:
        """The group a source becomes: its name as an identifier, numbered when repeated."""
        label = src.get("name") or src.get("guid") or "source"
        group = slug(re.sub(r"\.(txt|docx?|rtf)$", "", label, flags=re.I))
        self.group_count[group] += 1
        if self.group_count[group] > 1:  # two sources with one name: number them by counting
            group = f"{group}_{self.group_count[group]}"
        return group

    def _text(self, src: ET.Element, sname: str) -> str:
        raw_text, where = source_text(src, self.arc, self.sdir, self.file)
        n_lines = raw_text.count("\n") + 1
        if n_lines > MAX_TRANSCRIPT_LINES:
            raise problem(
                where,
                f"source {sname} has {n_lines:,} lines, more than the limit of"
                f" {MAX_TRANSCRIPT_LINES:,}",
                f"sources of at most {MAX_TRANSCRIPT_LINES:,} lines",
            )
        return raw_text.replace("\r\n", "\n")

    def read_source(self, src: ET.Element) -> None:
        """Text, turns and codings of one ``TextSource``."""
        sname = short(src.get("name") or src.get("guid") or "?")
        text = self._text(src, sname)
        group = self._group(src)
        self.texts[group] = text
        seg = segments_of(text, group)
        self.seg_frames.append(seg)
        spans = selection_spans(
            children(src, "PlainTextSelection"), self.file, sname, self.problems
        )
        pos = Positions(text)
        choice = line_break_reading(pos, [(a, b) for _, _, a, b in spans])
        self.assumptions[group] = "one character" if choice == "one" else "two characters"
        n = pos.length[choice]
        turns = (seg["doc_start"].tolist(), seg["doc_end"].tolist(), seg["segment"].tolist())
        for s, guid, a, b in spans:
            if b > n:
                self.problems.append(
                    Problem(
                        self.file,
                        None,
                        f"PlainTextSelection {guid}",
                        f"source {sname}: startPosition={a} endPosition={b}: past the end of the"
                        f" text ({n} characters, line breaks counted as {self.assumptions[group]})",
                        f"positions between 0 and {n}",
                    )
                )
                continue
            self._selection(s, guid, (pos.map(a, choice), pos.map(b, choice)), group, sname, turns)

    def _selection(self, s: ET.Element, guid: str, span: tuple[int, int], group: str, sname: str,
                   turns: tuple[list, list, list]) -> None:  # fmt: skip
        """One coding row per code of the selection and turn it overlaps."""
        da, db = span
        starts, ends, segment = turns
        coder_guid = bare_guid(s.get("creatingUser"))
        over = turns_overlapped(starts, ends, da, db)
        for cod in children(s, "Coding"):
            ref = child(cod, "CodeRef")
            if ref is None:
                continue
            target = bare_guid(ref.get("targetGUID"))
            if target not in self.guid_to_id:
                self.problems.append(
                    Problem(
                        self.file,
                        None,
                        "CodeRef",
                        f"source {sname}, selection {guid}: coding refers to an unknown"
                        f" code {short(target, 50)}",
                        "a targetGUID of a Code in the CodeBook",
                    )
                )
                continue
            cg = bare_guid(cod.get("creatingUser")) or coder_guid
            coder = self.users.get(cg, cg or "unknown")
            for k in over:
                t0, t1 = starts[k], ends[k]
                self.rows.append(
                    {
                        "group": group,
                        "segment": int(segment[k]),
                        "code": self.guid_to_id[target],
                        "coder": str(coder),
                        "start": max(da, t0) - t0,
                        "end": min(db, t1) - t0,
                        "selection": guid,
                        "doc_start": da,
                        "doc_end": db,
                    }
                )

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``segments`` and ``codings`` of every source read."""
        segments = (
            pd.concat(self.seg_frames, ignore_index=True)
            if self.seg_frames
            else parse_transcript("", "")[0]
        )
        codings = pd.DataFrame(self.rows, columns=_CODING_COLUMNS)
        codings.attrs["line_breaks"] = self.assumptions
        return segments, codings


def _read_archive(
    arc: QdpxArchive, path: Path, file: str, language: str, sdir: Path | None
) -> tuple[Codebook, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    root = _project_root(arc, file)
    book = child(root, "CodeBook")
    cb, guid_to_id = codebook_from(
        child(book, "Codes") if book is not None else None,
        file,
        language,
        slug(root.get("name", path.stem)),
        root.get("name", path.stem),
    )
    project = _Project(arc, file, sdir, root, guid_to_id)
    sources = child(root, "Sources")
    for src in children(sources, "TextSource") if sources is not None else []:
        project.read_source(src)
        if len(project.problems) > _ENOUGH_PROBLEMS:
            break
    if project.problems:
        raise DataError(project.problems)
    segments, codings = project.frames()
    return cb, segments, codings, project.texts


def read_qdpx_texts(
    path: str | Path, language: str = "sv", sources_dir: str | Path | None = None
) -> tuple[Codebook, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """:func:`read_qdpx` plus the text of every source: ``(codebook, segments, codings, texts)``.

    ``texts`` maps each group to its source text (line breaks ``\\n``), the text that
    ``segments`` and the codings' positions refer to.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from evaluation.sources.refiqda import write_qdpx
    >>> from evaluation.sources.codebook import Code, Codebook
    >>> cb = Codebook("cb", "CB", "1", "sv", {"a": Code("a", {"sv": "A"})})
    >>> texts = pd.DataFrame({"group": ["g1"], "text": ["Hej hej.\\n\\nDå."]})
    >>> segs = pd.DataFrame({"group": ["g1", "g1"], "segment": [1, 2], "doc_start": [0, 10], "doc_end": [8, 13]})
    >>> cods = pd.DataFrame({"group": ["g1"], "segment": [2], "code": ["a"], "coder": ["Anna"]})
    >>> p = write_qdpx(pathlib.Path(tempfile.mkdtemp()) / "p.qdpx", cb, texts, segs, cods)
    >>> cb2, segments, codings, texts2 = read_qdpx_texts(p)
    >>> texts2, codings[["group", "segment", "code", "coder", "start", "end"]].values.tolist()
    ({'g1': 'Hej hej.\\n\\nDå.'}, [['g1', 2, 'a', 'Anna', 0, 3]])
    """
    path = Path(path)
    file = str(path)
    sdir = None
    if sources_dir is not None:
        sdir = Path(sources_dir).resolve()
        if not sdir.is_dir():
            raise problem(
                str(sources_dir), "the sources folder does not exist", "a folder of sources"
            )
    arc = QdpxArchive(path, file)
    try:
        return _read_archive(arc, path, file, language, sdir)
    finally:
        arc.close()


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

    Examples
    --------
    >>> import tempfile, pathlib
    >>> try:
    ...     read_qdpx(pathlib.Path(tempfile.mkdtemp()) / "none.qdpx")
    ... except DataError as e:
    ...     print(e.problems[0].message)
    file not found
    """
    cb, segments, codings, _ = read_qdpx_texts(path, language, sources_dir)
    return cb, segments, codings
