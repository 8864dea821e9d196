"""Reading codebooks: YAML (``codebooks/*.yaml``) and, through :mod:`.refiqda`, REFI-QDA ``.qdc``.

A codebook file has a header and a tree of codes::

    codebook: {id: focus_groups, title: ..., version: "1.0", language: sv}
    codes:
      - id: safety_risk
        label: {sv: Trygghet och risk, en: Safety and risk}
        definition: {sv: ..., en: ...}   # or one plain text, in the codebook's language
        include: ...
        exclude: ...
        examples: [...]
        keywords: [...]        # optional, for suggested auto-coding only
        children: [...]        # sub-codes, same fields

Instead of nesting, a code may name its ``parent`` (a flat list); both forms
give the same tree, and a ``parent`` chain that loops is an error.

``definition``, ``include`` and ``exclude`` are one text (in the codebook's
``language``) or, like ``label``, one text per language (``{sv: ..., en: ...}``).
The result is the plain model of :mod:`evaluation.sources.codebook`.

Reading is done in named steps: the header (:func:`_header`), the tree of
codes walked without recursion (:class:`_Walk`, one code at a time by
:func:`_read_code`), then the parents named in the flat form
(:func:`_resolve_parents`), cycles and depth of parent chains
(:func:`_cut_cycles`) and the children lists (:func:`_attach_children`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import CodebookError, DataError, Problem
from ..yamlio import LineDict, load_yaml_file
from .codebook import (
    CODE_FIELDS,
    HEADER_FIELDS,
    MAX_CODE_DEPTH,
    MAX_CODES,
    TEXT_FIELDS,
    Code,
    Codebook,
)

__all__ = ["load_codebook", "codebook_from_dict", "MAX_PROBLEMS"]

_ID_OK = "lower-case letters, digits and _ (snake_case), starting with a letter"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

#: Most problems listed for one codebook (the rest are counted).
MAX_PROBLEMS = 1000

_END = object()


def _text(v: Any) -> str:
    if v is None:
        return ""
    return str(v).strip()


def _short(v: Any, n: int = 60) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 3] + "..."


def _key_lines(node: Any) -> dict[str, int]:
    return getattr(node, "key_lines", {})


class _Problems:
    """The problems found in one codebook, at most :data:`MAX_PROBLEMS` listed."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []
        self.more = 0

    def err(self, line: int | None, col: str | None, msg: str, exp: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(self.file, line, col, msg, exp))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.more:
            self.items.append(
                Problem(
                    self.file,
                    None,
                    None,
                    f"... and {self.more:,} more problems",
                    "a valid codebook",
                )
            )
        if self.items:
            raise CodebookError(self.items)


def _header(data: dict, pr: _Problems) -> dict:
    """The ``codebook:`` header, its fields checked."""
    head = data.get("codebook") or {}
    hl = _key_lines(head)
    if not isinstance(head, dict):
        pr.err(
            _key_lines(data).get("codebook"),
            "codebook",
            "not a mapping",
            "codebook: {id, title, version, language}",
        )
        head = {}
    for k in head:
        if k not in HEADER_FIELDS:
            pr.err(
                hl.get(k), f"codebook.{k}", "unknown field", "one of " + ", ".join(HEADER_FIELDS)
            )
    for k in ("id", "title", "version", "language"):
        if not _text(head.get(k)):
            pr.err(getattr(head, "line", None) or 1, f"codebook.{k}", "missing or empty", f"a {k}")
    return head


def _code_texts(
    item: dict, cid: str, kl: dict, line: int | None, head: dict, pr: _Problems
) -> tuple[dict, dict]:
    """A code's definition/include/exclude: one text, or one per language (``{sv, en}``).

    Returns the texts per field and language, and the plain text of each field in
    the codebook's own language (or the first language given).
    """
    texts: dict[str, dict[str, str]] = {}
    plain: dict[str, str] = {}
    for k in TEXT_FIELDS:
        v = item.get(k)
        if isinstance(v, dict):
            texts[k] = {str(lang): _text(x) for lang, x in v.items() if _text(x)}
            for lang, x in v.items():
                if not isinstance(x, str | int | float) or isinstance(x, bool):
                    pr.err(
                        kl.get(k, line),
                        f"{k}.{lang}",
                        f"code {cid!r}: {_short(x)} is not a text",
                        f"{k}: {{sv: ..., en: ...}} or one text",
                    )
            main = _text(head.get("language")) or "sv"
            plain[k] = texts[k].get(main) or next(iter(texts[k].values()), "")
        elif isinstance(v, list):
            pr.err(
                kl.get(k, line),
                k,
                f"code {cid!r}: a list",
                f"{k}: one text or {{sv: ..., en: ...}}",
            )
            plain[k] = ""
        else:
            plain[k] = _text(v)
    return texts, plain


def _label(item: dict, cid: str, kl: dict, line: int | None, head: dict, pr: _Problems) -> dict:
    """A code's ``label`` (one text in the codebook's language, or one per language)."""
    label = item.get("label")
    if isinstance(label, str):
        label = {_text(head.get("language")) or "sv": label}
    if not isinstance(label, dict) or not any(_text(v) for v in label.values()):
        pr.err(
            kl.get("label", line),
            "label",
            f"code {cid!r} has an empty label",
            "label: {sv: ..., en: ...}",
        )
        return {}
    for lang, v in label.items():
        if not _text(v):
            pr.err(
                kl.get("label", line),
                f"label.{lang}",
                f"code {cid!r} has an empty {lang} label",
                "a non-empty label",
            )
    return label


def _code_id(item: dict, kl: dict, line: int | None, pr: _Problems) -> str:
    """The code's id (``""`` when it has none); unknown fields and bad ids are reported."""
    for k in item:
        if k not in CODE_FIELDS:
            pr.err(kl.get(k, line), k, "unknown field", "one of " + ", ".join(CODE_FIELDS))
    cid = _text(item.get("id"))
    if not cid:
        pr.err(line, "id", "code without id", "an id")
    elif not _ID_RE.match(cid):
        pr.err(kl.get("id", line), "id", f"{_short(cid)} is not a valid id", _ID_OK)
    return cid


def _list_field(item: dict, k: str) -> list[str]:
    v = item.get(k) or []
    return [str(x) for x in v] if isinstance(v, list) else [str(v)]


def _read_code(
    item: Any,
    parent: str | None,
    where_line: int | None,
    codes: dict[str, Code],
    head: dict,
    pr: _Problems,
) -> Code | None:
    """One code of the tree (``None`` when it cannot be kept: no mapping, no id, a duplicate)."""
    line = getattr(item, "line", where_line)
    if not isinstance(item, dict):
        pr.err(
            line,
            "codes",
            f"{_short(item)} is not a code",
            "a mapping with id, label, definition, ...",
        )
        return None
    kl = _key_lines(item)
    cid = _code_id(item, kl, line, pr)
    if not cid:
        return None
    label = _label(item, cid, kl, line, head, pr)
    if cid in codes:
        pr.err(
            kl.get("id", line),
            "id",
            f"duplicate code id {cid!r} (first on line {codes[cid].line})",
            "ids unique across the whole tree",
        )
        return None
    if parent is not None and item.get("parent") not in (None, parent):
        pr.err(
            kl.get("parent", line),
            "parent",
            f"{_short(item.get('parent'))} contradicts the nesting under {parent!r}",
            "no parent field inside children",
        )
    texts, plain = _code_texts(item, cid, kl, line, head, pr)
    return Code(
        id=cid,
        label={str(k): _text(v) for k, v in label.items()},
        definition=plain["definition"],
        include=plain["include"],
        exclude=plain["exclude"],
        examples=_list_field(item, "examples"),
        keywords=_list_field(item, "keywords"),
        parent=parent if parent is not None else (_text(item.get("parent")) or None),
        color=_text(item.get("color")) or None,
        codable=bool(item.get("codable", True)),
        line=line,
        texts=texts,
    )


class _Walk:
    """The tree of codes, depth first with an explicit stack.

    The stack holds (iterator over a list of codes, parent, line, level), so codes
    come in file order (a parent before its children) at any depth without
    recursion; nesting past :data:`MAX_CODE_DEPTH` is reported, not walked.
    """

    def __init__(self, head: dict, pr: _Problems) -> None:
        self.head, self.pr = head, pr
        self.stack: list[tuple[Iterator[Any], str | None, int | None, int]] = []
        self.codes: dict[str, Code] = {}
        self.order: list[str] = []

    def push(self, items: Any, parent: str | None, where_line: int | None, level: int) -> None:
        if not isinstance(items, list):
            self.pr.err(
                where_line, "children" if parent else "codes", "not a list", "a list of codes"
            )
        elif level >= MAX_CODE_DEPTH:
            self.pr.err(
                where_line,
                "children",
                f"codes nested more than {MAX_CODE_DEPTH} levels deep (under {parent!r})",
                f"at most {MAX_CODE_DEPTH} levels of codes",
            )
        else:
            self.stack.append((iter(items), parent, where_line, level))

    def run(self, data: dict) -> None:
        self.push(data["codes"], None, _key_lines(data).get("codes"), 0)
        while self.stack:
            items, parent, where_line, level = self.stack[-1]
            item: Any = next(items, _END)
            if item is _END:
                self.stack.pop()
                continue
            if len(self.order) >= MAX_CODES:
                self.pr.err(getattr(item, "line", where_line), "codes", f"more than {MAX_CODES:,} codes",
                            f"a codebook of at most {MAX_CODES:,} codes")  # fmt: skip
                break
            code = _read_code(item, parent, where_line, self.codes, self.head, self.pr)
            if code is None:
                continue
            self.codes[code.id] = code
            self.order.append(code.id)
            if item.get("children") is not None:
                self.push(
                    item["children"],
                    code.id,
                    _key_lines(item).get("children", code.line),
                    level + 1,
                )


def _resolve_parents(codes: dict[str, Code], order: list[str], pr: _Problems) -> None:
    """A ``parent`` that is not a code is reported and dropped."""
    for cid in order:
        p = codes[cid].parent
        if p is not None and p not in codes:
            pr.err(
                codes[cid].line,
                "parent",
                f"{p!r} (parent of {cid!r}) is not a code",
                "the id of another code",
            )
            codes[cid].parent = None


def _cut_cycles(codes: dict[str, Code], order: list[str], pr: _Problems) -> dict[str, int]:
    """Depth of every code; a loop of parents is reported and cut where it closes.

    Linear time: each code's depth is computed once, following its chain up to a
    code whose depth is known.
    """
    depth: dict[str, int] = {}
    for cid in order:
        chain: list[str] = []
        on_chain: set[str] = set()
        cur: str | None = cid
        while cur is not None and cur not in depth and cur not in on_chain:
            chain.append(cur)
            on_chain.add(cur)
            cur = codes[cur].parent
        if cur is not None and cur in on_chain:  # a loop: cut it where it closes
            pr.err(
                codes[cur].line,
                "parent",
                f"the parents of {cur!r} form a cycle",
                "a tree (no code its own ancestor)",
            )
            codes[cur].parent = None
            depth[cur] = 0
            chain = chain[: chain.index(cur)]
            cur = codes[chain[-1]].parent if chain else None
        base = depth[cur] if cur is not None else -1
        for c in reversed(chain):
            base += 1
            depth[c] = base
    return depth


def _check_depth(
    codes: dict[str, Code], order: list[str], depth: dict[str, int], pr: _Problems
) -> None:
    too_deep = [cid for cid in order if depth.get(cid, 0) >= MAX_CODE_DEPTH]
    if too_deep:
        cid = too_deep[0]
        pr.err(
            codes[cid].line,
            "parent",
            f"{len(too_deep)} code(s) nested more than {MAX_CODE_DEPTH} levels deep"
            f" (first: {cid!r})",
            f"at most {MAX_CODE_DEPTH} levels of codes",
        )


def _attach_children(codes: dict[str, Code], order: list[str]) -> None:
    """Add each code to its parent's ``children`` (the flat form names only parents)."""
    child_sets: dict[str, set[str]] = {cid: set(codes[cid].children) for cid in order}
    for cid in order:
        p = codes[cid].parent
        if p is not None and cid not in child_sets[p]:
            child_sets[p].add(cid)
            codes[p].children.append(cid)


def _from_mapping(data: Any, file: str) -> Codebook:
    """Check the parsed YAML of a codebook and build it, step by step."""
    pr = _Problems(file)
    if not isinstance(data, dict) or "codes" not in data:
        raise CodebookError(
            [Problem(file, None, None, "no 'codes' list", "a mapping with 'codebook' and 'codes'")]
        )
    head = _header(data, pr)
    walk = _Walk(head, pr)
    walk.run(data)
    codes, order = walk.codes, walk.order
    _resolve_parents(codes, order, pr)
    _check_depth(codes, order, _cut_cycles(codes, order, pr), pr)
    _attach_children(codes, order)
    if not codes and not pr.items:
        pr.err(None, "codes", "the codebook has no codes", "at least one code")
    pr.raise_if_any()
    return Codebook(
        id=_text(head.get("id")),
        title=_text(head.get("title")),
        version=_text(head.get("version")),
        language=_text(head.get("language")),
        description=_text(head.get("description")),
        codes={cid: codes[cid] for cid in order},
        source=file,
    )


def codebook_from_dict(data: dict, file: str = "<codebook>") -> Codebook:
    """Build and validate a :class:`~evaluation.sources.codebook.Codebook` from the YAML structure.

    Raises
    ------
    CodebookError
        Listing every problem (line, field, what was expected).

    Examples
    --------
    >>> cb = codebook_from_dict({"codebook": {"id": "c", "title": "C", "version": "1", "language": "sv"},
    ...     "codes": [{"id": "a", "label": "A", "children": [{"id": "b", "label": "B"}]}]})
    >>> cb.path("b"), cb.codes["a"].label
    ('a/b', {'sv': 'A'})
    >>> try:
    ...     codebook_from_dict({"codes": []})
    ... except CodebookError as e:
    ...     print(e.problems[0])
    <codebook>:1: codebook.id: missing or empty; expected a id
    """
    return _from_mapping(data, file)


def load_codebook(path: str | Path) -> Codebook:
    """Load a codebook from YAML (``.yaml``/``.yml``) or REFI-QDA (``.qdc``).

    Raises :class:`~evaluation.errors.CodebookError` listing every problem
    (file, line, field, what was expected): duplicate ids or YAML keys, empty
    labels, unknown fields, parent cycles, unsafe YAML tags.

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> cb = load_codebook(resolve("codebooks/focus_groups.yaml"))
    >>> row = cb.to_frame().iloc[0]
    >>> row["id"] == cb.roots()[0], row["parent"], int(row["depth"])
    (True, '', 0)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        from .refiqda.qdc import read_qdc

        return read_qdc(path)
    if suffix not in (".yaml", ".yml"):
        raise CodebookError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"unknown codebook format {suffix!r}",
                    ".yaml, .yml or .qdc",
                )
            ]
        )
    try:
        data = load_yaml_file(path)
    except DataError as exc:
        raise CodebookError(exc.problems) from None
    if not isinstance(data, LineDict):
        raise CodebookError(
            [Problem(str(path), None, None, "not a mapping", "codebook: ... and codes: ...")]
        )
    return _from_mapping(data, str(path))
