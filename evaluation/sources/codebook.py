"""The codebook model: a tree of codes with its header (plain dataclasses).

A codebook file (``codebooks/*.yaml`` or REFI-QDA ``.qdc``) is read by
:func:`evaluation.sources.codebook_reader.load_codebook` (YAML) and
:func:`evaluation.sources.refiqda.read_qdc` (QDC) into the :class:`Codebook`
defined here. The model does no checking and reads no file: it is what the
readers build and what the analyses (:mod:`evaluation.coding`) use.

The plain fields ``definition``, ``include`` and ``exclude`` of a
:class:`Code` hold the text in the codebook's language (what REFI-QDA exchange
carries); :meth:`Code.text` gives any language's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "Code",
    "Codebook",
    "CODE_FIELDS",
    "HEADER_FIELDS",
    "TEXT_FIELDS",
    "MAX_CODE_DEPTH",
    "MAX_CODES",
]

#: The fields a code may have in a YAML codebook.
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
#: The fields of a YAML codebook's ``codebook:`` header.
HEADER_FIELDS = ("id", "title", "version", "language", "description")
#: Code fields that may hold one text per language, like ``label``.
TEXT_FIELDS = ("definition", "include", "exclude")
#: The report's languages (columns of :meth:`Codebook.to_frame`).
LANGUAGES = ("sv", "en")

#: Deepest nesting of codes (YAML children or parent chains; REFI-QDA Code elements).
MAX_CODE_DEPTH = 50
#: Most codes in one codebook (a flat codebook of 100,000 codes reads well within it).
MAX_CODES = 200_000

_FRAME_COLUMNS = [
    "id",
    "parent",
    "depth",
    "path",
    "label_sv",
    "label_en",
    "definition",
    "include",
    "exclude",
    *[f"{k}_{lang}" for k in TEXT_FIELDS for lang in LANGUAGES],
    "examples",
    "keywords",
    "codable",
]


@dataclass
class Code:
    """One code of a codebook.

    Attributes
    ----------
    id : str
        snake_case identifier, unique in the codebook.
    label : dict
        Language -> label.
    definition, include, exclude : str
        Texts in the codebook's language.
    examples, keywords : list of str
    parent : str or None
        The parent code's id (``None`` at top level).
    children : list of str
        The sub-codes' ids, in order.
    color : str or None
    codable : bool
        ``False`` for a category that only groups codes.
    line : int or None
        Line of the code in its file (for messages).
    texts : dict
        Per-language texts of ``definition``, ``include``, ``exclude``
        (field -> language -> text).

    Examples
    --------
    >>> c = Code("x", {"sv": "X-kod", "en": "X code"})
    >>> c.name("en"), c.name("de"), c.codable
    ('X code', 'X-kod', True)
    """

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
        """The label in ``language``, falling back to any label, then the id.

        Examples
        --------
        >>> Code("x", {"en": "X"}).name("sv"), Code("x", {}).name("sv")
        ('X', 'x')
        """
        return self.label.get(language) or next(iter(self.label.values()), self.id)

    def text(self, name: str, language: str) -> str:
        """``definition``, ``include`` or ``exclude`` in ``language``, else the plain text.

        Examples
        --------
        >>> c = Code("x", {"sv": "X"}, definition="Prat om X", texts={"definition": {"sv": "Prat om X", "en": "Talk about X"}})
        >>> c.text("definition", "en"), c.text("definition", "sv"), c.text("include", "en")
        ('Talk about X', 'Prat om X', '')
        """
        return self.texts.get(name, {}).get(language) or getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        """The code's YAML mapping, without ``children`` (:meth:`Codebook.to_dict` nests them).

        Examples
        --------
        >>> Code("x", {"sv": "X"}, definition="d", codable=False).to_dict()
        {'id': 'x', 'label': {'sv': 'X'}, 'definition': 'd', 'codable': False}
        """
        d: dict[str, Any] = {"id": self.id, "label": dict(self.label)}
        for k in TEXT_FIELDS:
            if len(self.texts.get(k, {})) > 1:
                d[k] = dict(self.texts[k])
            elif getattr(self, k):
                d[k] = getattr(self, k)
        if self.examples:
            d["examples"] = list(self.examples)
        if self.keywords:
            d["keywords"] = list(self.keywords)
        if self.color:
            d["color"] = self.color
        if not self.codable:
            d["codable"] = False
        return d


@dataclass
class Codebook:
    """A tree of codes with its header (``id``, ``title``, ``version``, ``language``).

    Attributes
    ----------
    id, title, version, language, description : str
        The header.
    codes : dict
        Code id -> :class:`Code`, in tree order (a parent before its children).
    source : str
        The file it was read from (for messages).

    Examples
    --------
    >>> cb = Codebook("cb", "A codebook", "1", "sv", {
    ...     "a": Code("a", {"sv": "A"}, children=["a1"]),
    ...     "a1": Code("a1", {"sv": "A1"}, parent="a"),
    ...     "b": Code("b", {"sv": "B"})})
    >>> cb.roots(), cb.path("a1"), cb.top("a1"), cb.preorder()
    (['a', 'b'], 'a/a1', 'a', ['a', 'a1', 'b'])
    """

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
        """Every code id, in tree order."""
        return list(self.codes)

    def roots(self) -> list[str]:
        """The top-level codes (themes).

        Examples
        --------
        >>> Codebook("c", "C", "1", "sv", {"a": Code("a", {})}).roots()
        ['a']
        """
        return [c.id for c in self.codes.values() if c.parent is None]

    def ancestors(self, code_id: str) -> list[str]:
        """Parent, grandparent, ... of a code (nearest first).

        Examples
        --------
        >>> cb = Codebook("c", "C", "1", "sv", {"a": Code("a", {}, children=["b"]),
        ...     "b": Code("b", {}, parent="a", children=["c"]), "c": Code("c", {}, parent="b")})
        >>> cb.ancestors("c"), cb.depth("c")
        (['b', 'a'], 2)
        """
        out, cur = [], self.codes[code_id].parent
        while cur is not None:
            out.append(cur)
            cur = self.codes[cur].parent
        return out

    def descendants(self, code_id: str) -> list[str]:
        """Every code below ``code_id``, in tree order (iterative: any depth).

        Examples
        --------
        >>> cb = Codebook("c", "C", "1", "sv", {"a": Code("a", {}, children=["b"]),
        ...     "b": Code("b", {}, parent="a")})
        >>> cb.descendants("a"), cb.descendants("b")
        (['b'], [])
        """
        out: list[str] = []
        stack = list(reversed(self.codes[code_id].children))
        while stack:
            cid = stack.pop()
            out.append(cid)
            stack.extend(reversed(self.codes[cid].children))
        return out

    def depth(self, code_id: str) -> int:
        """Levels above a code (0 for a top-level code).

        Examples
        --------
        >>> Codebook("c", "C", "1", "sv", {"a": Code("a", {})}).depth("a")
        0
        """
        return len(self.ancestors(code_id))

    def path(self, code_id: str) -> str:
        """The ids from the top-level theme down to the code, joined with ``/``.

        Examples
        --------
        >>> cb = Codebook("c", "C", "1", "sv", {"a": Code("a", {}, children=["b"]),
        ...     "b": Code("b", {}, parent="a")})
        >>> cb.path("b")
        'a/b'
        """
        return "/".join([*reversed(self.ancestors(code_id)), code_id])

    def top(self, code_id: str) -> str:
        """The top-level theme a code belongs to.

        Examples
        --------
        >>> cb = Codebook("c", "C", "1", "sv", {"a": Code("a", {}, children=["b"]),
        ...     "b": Code("b", {}, parent="a")})
        >>> cb.top("b"), cb.top("a")
        ('a', 'a')
        """
        anc = self.ancestors(code_id)
        return anc[-1] if anc else code_id

    def preorder(self) -> list[str]:
        """Every code in tree order (a parent before its children; iterative).

        Examples
        --------
        >>> cb = Codebook("c", "C", "1", "sv", {"b": Code("b", {}, parent="a"),
        ...     "a": Code("a", {}, children=["b"])})
        >>> cb.preorder()
        ['a', 'b']
        """
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

        Examples
        --------
        >>> cb = Codebook("c", "C", "1", "sv", {"a": Code("a", {"sv": "A"}, children=["b"]),
        ...     "b": Code("b", {"sv": "B"}, parent="a", keywords=["x", "y"])})
        >>> cb.to_frame()[["id", "parent", "depth", "path", "keywords"]].values.tolist()
        [['a', '', 0, 'a', ''], ['b', 'a', 1, 'a/b', 'x, y']]
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
                    **{f"{k}_{lang}": c.text(k, lang) for k in TEXT_FIELDS for lang in LANGUAGES},
                    "examples": " | ".join(c.examples),
                    "keywords": ", ".join(c.keywords),
                    "codable": c.codable,
                }
            )
        return pd.DataFrame(rows, columns=_FRAME_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """The YAML structure (nested ``children``), for :meth:`write_yaml`.

        Examples
        --------
        >>> cb = Codebook("c", "C", "1", "sv", {"a": Code("a", {"sv": "A"}, children=["b"]),
        ...     "b": Code("b", {"sv": "B"}, parent="a")})
        >>> cb.to_dict()["codes"]
        [{'id': 'a', 'label': {'sv': 'A'}, 'children': [{'id': 'b', 'label': {'sv': 'B'}}]}]
        """
        built = {cid: self.codes[cid].to_dict() for cid in self.preorder()}
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
        """Write :meth:`to_dict` as a YAML codebook (UTF-8) to ``path``.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "cb.yaml"
        >>> Codebook("c", "C", "1", "sv", {"a": Code("a", {"sv": "A"})}).write_yaml(p)
        >>> p.read_text(encoding="utf-8").splitlines()[0]
        'codebook:'
        """
        import yaml

        Path(path).write_text(
            yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
