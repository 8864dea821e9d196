"""Codebooks: the YAML model of ``codebooks/*.yaml`` (and REFI-QDA ``.qdc``).

A codebook file has a header and a tree of codes::

    codebook: {id: focus_groups, title: ..., version: "1.0", language: sv}
    codes:
      - id: trygghet_risk
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

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import CodebookError, Problem
from ..sources._io import read_text
from ..yamlio import LineDict, load_yaml_text

__all__ = ["Code", "Codebook", "load_codebook", "CODE_FIELDS"]

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
        out = []
        for c in self.codes[code_id].children:
            out.append(c)
            out.extend(self.descendants(c))
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
        out = []

        def walk(cid):
            out.append(cid)
            for ch in self.codes[cid].children:
                walk(ch)

        for r in self.roots():
            walk(r)
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
        for cid in self.preorder():
            c = self.codes[cid]
            rows.append(
                {
                    "id": c.id,
                    "parent": c.parent or "",
                    "depth": self.depth(cid),
                    "path": self.path(cid),
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

        def node(cid):
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
            if c.children:
                d["children"] = [node(ch) for ch in c.children]
            return d

        head = {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "language": self.language,
        }
        if self.description:
            head["description"] = self.description
        return {"codebook": head, "codes": [node(r) for r in self.roots()]}

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


def _from_mapping(data, file: str) -> Codebook:
    problems: list[Problem] = []

    def err(line, col, msg, exp):
        problems.append(Problem(file, line, col, msg, exp))

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

    def visit(items, parent, where_line):
        if not isinstance(items, list):
            err(where_line, "children" if parent else "codes", "not a list", "a list of codes")
            return
        for item in items:
            line = getattr(item, "line", where_line)
            if not isinstance(item, dict):
                err(
                    line,
                    "codes",
                    f"{item!r} is not a code",
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
            import re

            if not re.match(r"^[a-z][a-z0-9_]*$", cid):
                err(kl.get("id", line), "id", f"{cid!r} is not a valid id", _ID_OK)
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
                    f"{item.get('parent')!r} contradicts the nesting under {parent!r}",
                    "no parent field inside children",
                )

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
                                f"code {cid!r}: {x!r} is not a text",
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
                visit(item["children"], cid, kl.get("children", line))

    visit(data["codes"], None, getattr(data, "key_lines", {}).get("codes"))
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
    # cycles in parent chains (flat form)
    for cid in order:
        seen, cur = {cid}, codes[cid].parent
        while cur is not None:
            if cur in seen:
                err(
                    codes[cid].line,
                    "parent",
                    f"the parents of {cid!r} form a cycle",
                    "a tree (no code its own ancestor)",
                )
                codes[cid].parent = None
                break
            seen.add(cur)
            cur = codes[cur].parent
    for cid in order:
        p = codes[cid].parent
        if p is not None and cid not in codes[p].children:
            codes[p].children.append(cid)
    if not codes and not problems:
        err(None, "codes", "the codebook has no codes", "at least one code")
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
    >>> row["id"], row["parent"], int(row["depth"])
    ('flickor_narvaro', '', 0)
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
        data = load_yaml_text(read_text(path), str(path))
    except DataError as exc:
        raise CodebookError(exc.problems) from None
    if not isinstance(data, LineDict):
        raise CodebookError(
            [Problem(str(path), None, None, "not a mapping", "codebook: ... and codes: ...")]
        )
    return _from_mapping(data, str(path))
