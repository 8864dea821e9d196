"""Codebooks: the YAML model of ``codebooks/*.yaml`` (and REFI-QDA ``.qdc``).

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
The code's plain fields hold the text in the codebook's language (what
REFI-QDA exchange carries); :meth:`Code.text` gives any language's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import CodebookError, Problem
from ..yamlio import LineDict, load_yaml_file

__all__ = ["Code", "Codebook", "load_codebook", "CODE_FIELDS", "MAX_CODE_DEPTH", "MAX_CODES"]

CODE_FIELDS = (
    "id",
    "label",
    "definition",
    "include",
    "exclude",
    "examples",
    "keywords",
    "children",
    "parent",
    "color",
    "codable",
)
HEADER_FIELDS = ("id", "title", "version", "language", "description")
#: Code fields that may hold one text per language, like ``label``.
_TEXT_FIELDS = ("definition", "include", "exclude")
#: The report's languages (columns of :meth:`Codebook.to_frame`).
_LANGUAGES = ("sv", "en")
_ID_OK = "lower-case letters, digits and _ (snake_case), starting with a letter"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

#: Deepest nesting of codes (YAML children or parent chains; REFI-QDA Code elements).
MAX_CODE_DEPTH = 50
#: Most codes in one codebook (a flat codebook of 100,000 codes reads well within it).
MAX_CODES = 200_000
#: Most problems listed for one codebook (the rest are counted).
MAX_PROBLEMS = 1000


@dataclass
class Code:
    """One code of a codebook."""

    id: str
    label: dict[str, str]
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    color: str | None = None
    codable: bool = True
    line: int | None = None
    #: per-language texts of ``definition``, ``include``, ``exclude`` (field -> language -> text)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)

    def name(self, language: str = "sv") -> str:
        """The label in ``language``, falling back to any label, then the id."""
        return self.label.get(language) or next(iter(self.label.values()), self.id)

    def text(self, name: str, language: str) -> str:
        """``definition``, ``include`` or ``exclude`` in ``language``, else the plain text.

        >>> c = Code("x", {"sv": "X"}, definition="Prat om X", texts={"definition": {"sv": "Prat om X", "en": "Talk about X"}})
        >>> c.text("definition", "en"), c.text("definition", "sv"), c.text("include", "en")
        ('Talk about X', 'Prat om X', '')
        """
        return self.texts.get(name, {}).get(language) or getattr(self, name)


@dataclass
class Codebook:
    """A tree of codes with its header (``id``, ``title``, ``version``, ``language``)."""

    id: str
    title: str
    version: str
    language: str
    codes: dict[str, Code]
    description: str = ""
    source: str = ""

    # -- tree -------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return list(self.codes)

    def roots(self) -> list[str]:
        return [c.id for c in self.codes.values() if c.parent is None]

    def ancestors(self, code_id: str) -> list[str]:
        """Parent, grandparent, ... of a code (nearest first)."""
        out, cur = [], self.codes[code_id].parent
        while cur is not None:
            out.append(cur)
            cur = self.codes[cur].parent
        return out

    def descendants(self, code_id: str) -> list[str]:
        """Every code below ``code_id``, in tree order (iterative: any depth)."""
        out: list[str] = []
        stack = list(reversed(self.codes[code_id].children))
        while stack:
            cid = stack.pop()
            out.append(cid)
            stack.extend(reversed(self.codes[cid].children))
        return out

    def depth(self, code_id: str) -> int:
        return len(self.ancestors(code_id))

    def path(self, code_id: str) -> str:
        return "/".join([*reversed(self.ancestors(code_id)), code_id])

    def top(self, code_id: str) -> str:
        """The top-level theme a code belongs to."""
        anc = self.ancestors(code_id)
        return anc[-1] if anc else code_id

    def preorder(self) -> list[str]:
        """Every code in tree order (a parent before its children; iterative)."""
        out: list[str] = []
        for r in self.roots():
            out.append(r)
            out.extend(self.descendants(r))
        return out

    # -- tables -----------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """One row per code, in tree order.

        Returns
        -------
        DataFrame
            Columns ``id``, ``parent`` (``""`` for a top-level code),
            ``depth`` (0 for top level), ``path``, ``label_sv``, ``label_en``,
            ``definition``, ``include``, ``exclude`` (in the codebook's
            language), ``definition_sv``, ``definition_en``, ``include_sv``,
            ... (per language, the plain text where a language has none),
            ``examples`` (joined with `` | ``), ``keywords`` (joined with
            ``, ``), ``codable``.
        """
        rows = []
        paths: dict[str, str] = {}
        depths: dict[str, int] = {}
        for cid in self.preorder():  # parents come first: depth and path in linear time
            c = self.codes[cid]
            depths[cid] = depths[c.parent] + 1 if c.parent is not None else 0
            paths[cid] = f"{paths[c.parent]}/{cid}" if c.parent is not None else cid
            rows.append(
                {
                    "id": c.id,
                    "parent": c.parent or "",
                    "depth": depths[cid],
                    "path": paths[cid],
                    "label_sv": c.label.get("sv", ""),
                    "label_en": c.label.get("en", ""),
                    "definition": c.definition,
                    "include": c.include,
                    "exclude": c.exclude,
                    **{f"{k}_{lang}": c.text(k, lang) for k in _TEXT_FIELDS for lang in _LANGUAGES},
                    "examples": " | ".join(c.examples),
                    "keywords": ", ".join(c.keywords),
                    "codable": c.codable,
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "id",
                "parent",
                "depth",
                "path",
                "label_sv",
                "label_en",
                "definition",
                "include",
                "exclude",
                *[f"{k}_{lang}" for k in _TEXT_FIELDS for lang in _LANGUAGES],
                "examples",
                "keywords",
                "codable",
            ],
        )

    def to_dict(self) -> dict:
        """The YAML structure (nested ``children``), for :meth:`write_yaml`."""

        def node(cid: str) -> dict:
            c = self.codes[cid]
            d: dict = {"id": c.id, "label": dict(c.label)}
            for k in _TEXT_FIELDS:
                if len(c.texts.get(k, {})) > 1:
                    d[k] = dict(c.texts[k])
                elif getattr(c, k):
                    d[k] = getattr(c, k)
            if c.examples:
                d["examples"] = list(c.examples)
            if c.keywords:
                d["keywords"] = list(c.keywords)
            if c.color:
                d["color"] = c.color
            if not c.codable:
                d["codable"] = False
            return d

        built = {cid: node(cid) for cid in self.preorder()}
        for cid, d in built.items():  # attach children without recursion
            kids = self.codes[cid].children
            if kids:
                d["children"] = [built[k] for k in kids]

        head = {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "language": self.language,
        }
        if self.description:
            head["description"] = self.description
        return {"codebook": head, "codes": [built[r] for r in self.roots()]}

    def write_yaml(self, path: str | Path) -> None:
        import yaml

        Path(path).write_text(
            yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )


def _text(v) -> str:
    if v is None:
        return ""
    return str(v).strip()


_END = object()


def _short(v, n: int = 60) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 3] + "..."


def _code_texts(item, cid: str, kl, line, head, err) -> tuple[dict, dict]:
    """A code's definition/include/exclude: one text, or one per language (``{sv, en}``).

    Returns the texts per field and language, and the plain text of each field in
    the codebook's own language (or the first language given).
    """
    texts: dict[str, dict[str, str]] = {}
    plain: dict[str, str] = {}
    for k in _TEXT_FIELDS:
        v = item.get(k)
        if isinstance(v, dict):
            texts[k] = {str(lang): _text(x) for lang, x in v.items() if _text(x)}
            for lang, x in v.items():
                if not isinstance(x, str | int | float) or isinstance(x, bool):
                    err(
                        kl.get(k, line),
                        f"{k}.{lang}",
                        f"code {cid!r}: {_short(x)} is not a text",
                        f"{k}: {{sv: ..., en: ...}} or one text",
                    )
            main = _text(head.get("language")) or "sv"
            plain[k] = texts[k].get(main) or next(iter(texts[k].values()), "")
        elif isinstance(v, list):
            err(
                kl.get(k, line),
                k,
                f"code {cid!r}: a list",
                f"{k}: one text or {{sv: ..., en: ...}}",
            )
            plain[k] = ""
        else:
            plain[k] = _text(v)
    return texts, plain


def _from_mapping(data, file: str) -> Codebook:
    problems: list[Problem] = []

    more = [0]

    def err(line, col, msg, exp):
        if len(problems) < MAX_PROBLEMS:
            problems.append(Problem(file, line, col, msg, exp))
        else:
            more[0] += 1

    if not isinstance(data, dict) or "codes" not in data:
        raise CodebookError(
            [Problem(file, None, None, "no 'codes' list", "a mapping with 'codebook' and 'codes'")]
        )
    head = data.get("codebook") or {}
    hl = getattr(head, "key_lines", {})
    if not isinstance(head, dict):
        err(
            getattr(data, "key_lines", {}).get("codebook"),
            "codebook",
            "not a mapping",
            "codebook: {id, title, version, language}",
        )
        head = {}
    for k in head:
        if k not in HEADER_FIELDS:
            err(hl.get(k), f"codebook.{k}", "unknown field", "one of " + ", ".join(HEADER_FIELDS))
    for k in ("id", "title", "version", "language"):
        if not _text(head.get(k)):
            err(getattr(head, "line", None) or 1, f"codebook.{k}", "missing or empty", f"a {k}")

    codes: dict[str, Code] = {}
    order: list[str] = []
    # Depth first with an explicit stack of (iterator over a list of codes, parent, level),
    # so codes come in file order (a parent before its children) at any depth without
    # recursion; nesting past MAX_CODE_DEPTH is reported, not walked.
    stack: list[tuple] = []

    def push(items, parent, where_line, level) -> None:
        if not isinstance(items, list):
            err(where_line, "children" if parent else "codes", "not a list", "a list of codes")
        elif level >= MAX_CODE_DEPTH:
            err(
                where_line,
                "children",
                f"codes nested more than {MAX_CODE_DEPTH} levels deep (under {parent!r})",
                f"at most {MAX_CODE_DEPTH} levels of codes",
            )
        else:
            stack.append((iter(items), parent, where_line, level))

    push(data["codes"], None, getattr(data, "key_lines", {}).get("codes"), 0)
    while stack:
        items, parent, where_line, level = stack[-1]
        item = next(items, _END)
        if item is _END:
            stack.pop()
            continue
        if len(order) >= MAX_CODES:
            err(getattr(item, "line", where_line), "codes", f"more than {MAX_CODES:,} codes",
                f"a codebook of at most {MAX_CODES:,} codes")  # fmt: skip
            break
        line = getattr(item, "line", where_line)
        if not isinstance(item, dict):
            err(
                line,
                "codes",
                f"{_short(item)} is not a code",
                "a mapping with id, label, definition, ...",
            )
            continue
        kl = getattr(item, "key_lines", {})
        for k in item:
            if k not in CODE_FIELDS:
                err(kl.get(k, line), k, "unknown field", "one of " + ", ".join(CODE_FIELDS))
        cid = _text(item.get("id"))
        if not cid:
            err(line, "id", "code without id", "an id")
            continue
        if not _ID_RE.match(cid):
            err(kl.get("id", line), "id", f"{_short(cid)} is not a valid id", _ID_OK)
        label = item.get("label")
        if isinstance(label, str):
            label = {_text(head.get("language")) or "sv": label}
        if not isinstance(label, dict) or not any(_text(v) for v in label.values()):
            err(
                kl.get("label", line),
                "label",
                f"code {cid!r} has an empty label",
                "label: {sv: ..., en: ...}",
            )
            label = {}
        else:
            for lang, v in label.items():
                if not _text(v):
                    err(
                        kl.get("label", line),
                        f"label.{lang}",
                        f"code {cid!r} has an empty {lang} label",
                        "a non-empty label",
                    )
        if cid in codes:
            err(
                kl.get("id", line),
                "id",
                f"duplicate code id {cid!r} (first on line {codes[cid].line})",
                "ids unique across the whole tree",
            )
            continue
        p = parent if parent is not None else (_text(item.get("parent")) or None)
        if parent is not None and item.get("parent") not in (None, parent):
            err(
                kl.get("parent", line),
                "parent",
                f"{_short(item.get('parent'))} contradicts the nesting under {parent!r}",
                "no parent field inside children",
            )

        texts, plain = _code_texts(item, cid, kl, line, head, err)

        def lst(k, item=item):
            v = item.get(k) or []
            return [str(x) for x in v] if isinstance(v, list) else [str(v)]

        codes[cid] = Code(
            id=cid,
            label={str(k): _text(v) for k, v in (label or {}).items()},
            definition=plain["definition"],
            include=plain["include"],
            exclude=plain["exclude"],
            examples=lst("examples"),
            keywords=lst("keywords"),
            parent=p,
            color=_text(item.get("color")) or None,
            codable=bool(item.get("codable", True)),
            line=line,
            texts=texts,
        )
        order.append(cid)
        if "children" in item and item["children"] is not None:
            push(item["children"], cid, kl.get("children", line), level + 1)

    for cid in order:
        p = codes[cid].parent
        if p is not None and p not in codes:
            err(
                codes[cid].line,
                "parent",
                f"{p!r} (parent of {cid!r}) is not a code",
                "the id of another code",
            )
            codes[cid].parent = None
    # Cycles and depth of parent chains (flat form), in linear time: each code's depth is
    # computed once, following its chain up to a code whose depth is known.
    depth: dict[str, int] = {}
    for cid in order:
        chain, cur, on_chain = [], cid, set()
        while cur is not None and cur not in depth and cur not in on_chain:
            chain.append(cur)
            on_chain.add(cur)
            cur = codes[cur].parent
        if cur is not None and cur in on_chain:  # a loop: cut it where it closes
            err(
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
    too_deep = [cid for cid in order if depth.get(cid, 0) >= MAX_CODE_DEPTH]
    if too_deep:
        cid = too_deep[0]
        err(
            codes[cid].line,
            "parent",
            f"{len(too_deep)} code(s) nested more than {MAX_CODE_DEPTH} levels deep"
            f" (first: {cid!r})",
            f"at most {MAX_CODE_DEPTH} levels of codes",
        )
    child_sets: dict[str, set[str]] = {cid: set(codes[cid].children) for cid in order}
    for cid in order:
        p = codes[cid].parent
        if p is not None and cid not in child_sets[p]:
            child_sets[p].add(cid)
            codes[p].children.append(cid)
    if not codes and not problems:
        err(None, "codes", "the codebook has no codes", "at least one code")
    if more[0]:
        problems.append(
            Problem(file, None, None, f"... and {more[0]:,} more problems", "a valid codebook")
        )
    if problems:
        raise CodebookError(problems)
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
    """Build and validate a :class:`Codebook` from the YAML structure."""
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
        from .refiqda import read_qdc

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
    from ..errors import DataError

    try:
        data = load_yaml_file(path)
    except DataError as exc:
        raise CodebookError(exc.problems) from None
    if not isinstance(data, LineDict):
        raise CodebookError(
            [Problem(str(path), None, None, "not a mapping", "codebook: ... and codes: ...")]
        )
    return _from_mapping(data, str(path))
