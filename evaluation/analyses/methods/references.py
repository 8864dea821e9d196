"""The report's reference list: a CSL-JSON file read and checked, each item rendered author-year.

:func:`load_references` reads the reference list (``evaluation/references.json``
by default) and :func:`format_reference` renders an item (author-year style);
:func:`reference_markdown` lists them, each marked with its own language.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from ...errors import DataError, Problem
from ...i18n import t
from ...safehtml import inert_markdown
from ...textio import read_text

__all__ = [
    "REFERENCES",
    "load_references",
    "format_reference",
    "reference_list",
    "reference_markdown",
]

#: The reference list of the report (CSL-JSON), shipped with the package.
REFERENCES = Path(__file__).resolve().parent.parent.parent / "references.json"
#: Largest reference list read (bytes).
MAX_REFERENCES_BYTES = 1024 * 1024


def _m(key: str, language: str, **values: Any) -> str:
    return t(f"methods.{key}", language, **values)


def load_references(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The reference list: a CSL-JSON array of items (default :data:`REFERENCES`).

    Every item needs ``id``, ``type`` and ``title``, and an ``author`` list;
    a missing or malformed one is a :class:`~evaluation.errors.DataError`
    naming the file, the item and the field.

    Examples
    --------
    >>> items = load_references()
    >>> all({"id", "type", "title", "author"} <= set(it) for it in items)
    True
    """
    p = Path(path) if path is not None else REFERENCES
    raw = read_text(p, str(p), limit=MAX_REFERENCES_BYTES)
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DataError(
            [Problem(str(p), exc.lineno, None, f"not valid JSON ({exc.msg})", "a CSL-JSON array")]
        ) from None
    if not isinstance(items, list):
        raise DataError([Problem(str(p), None, None, "not an array", "a CSL-JSON array of items")])
    seen: set[str] = set()
    for i, it in enumerate(items):
        _check_item(it, i, str(p), seen)
    return items


def _check_item(it: Any, i: int, file: str, seen: set[str]) -> None:
    """One CSL-JSON item: an object with ``id`` (unique), ``type``, ``title`` and an ``author`` list."""
    where = f"item {i + 1}" + (
        f" ({it.get('id')})" if isinstance(it, dict) and it.get("id") else ""
    )
    if not isinstance(it, dict):
        raise DataError([Problem(file, None, where, "not an object", "a CSL-JSON item")])
    for key in ("id", "type", "title"):
        if not isinstance(it.get(key), str) or not it[key].strip():
            raise DataError([Problem(file, None, f"{where}: {key}", "missing", "a text")])
    if it["id"] in seen:
        raise DataError([Problem(file, None, f"{where}: id", "defined twice", "a unique id")])
    seen.add(it["id"])
    authors = it.get("author")
    if (
        not isinstance(authors, list)
        or not authors
        or not all(isinstance(a, dict) and (a.get("family") or a.get("literal")) for a in authors)
    ):
        raise DataError(
            [Problem(file, None, f"{where}: author", "missing or malformed", "a list of {family, given} or {literal}")]
        )  # fmt: skip


def _name(a: dict[str, Any]) -> str:
    if a.get("literal"):
        return str(a["literal"])
    initials = " ".join(p[0] + "." for p in str(a.get("given", "")).replace(".", " ").split() if p)
    return f"{a['family']}, {initials}" if initials else str(a["family"])


def _year(item: dict[str, Any], language: str) -> str:
    try:
        return str(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError):
        return _m("ref.no_date", language)


def _sort_key(item: dict[str, Any], language: str) -> tuple[str, str]:
    """First author's family name (or literal name), then year."""
    a = (item.get("author") or [{}])[0]
    return (str(a.get("family") or a.get("literal") or "").lower(), _year(item, language))


def format_reference(item: dict[str, Any], language: str = "sv") -> str:
    """One CSL-JSON item as an author-year reference in Markdown (title of a book in italics).

    Examples
    --------
    >>> item = {"id": "w", "type": "article-journal", "title": "Probable inference",
    ...         "author": [{"family": "Wilson", "given": "Edwin B."}], "issued": {"date-parts": [[1927]]},
    ...         "container-title": "JASA", "volume": "22", "issue": "158", "page": "209-212",
    ...         "DOI": "10.1080/01621459.1927.10502953"}
    >>> format_reference(item, "en")
    'Wilson, E. B. (1927). Probable inference. *JASA*, 22(158), 209–212. doi:10.1080/01621459.1927.10502953'
    """
    names = [_name(a) for a in item.get("author", [])]
    if len(names) > 1:
        who = ", ".join(names[:-1]) + " & " + names[-1]
    else:
        who = names[0] if names else ""
    out = f"{who} ({_year(item, language)}). "
    title = item["title"].rstrip(".")
    if item.get("container-title"):
        out += _in_container(item, title)
    else:
        out += _book(item, title, names, language)
    if item.get("DOI"):  # as text, not a link: the page shows no link a reader cannot tell apart
        out += f" doi:{item['DOI']}"
    return out


def _in_container(item: dict[str, Any], title: str) -> str:
    """An article or chapter: title, the journal or book in italics, volume(issue), pages."""
    out = f"{title}. *{item['container-title']}*"
    if item.get("volume"):
        out += f", {item['volume']}"
        if item.get("issue"):
            out += f"({item['issue']})"
    if item.get("page"):
        out += f", {item['page'].replace('-', '–')}"
    return out + "."


def _book(item: dict[str, Any], title: str, names: list[str], language: str) -> str:
    """A book or report: the title in italics, edition, genre, place and publisher."""
    out = f"*{title}*"
    if item.get("edition"):
        out += " " + _m("ref.edition", language, n=item["edition"])
    out += "."
    if item.get("genre"):
        out += f" [{item['genre']}]."
    place = item.get("publisher-place")
    pub = item.get("publisher")
    if pub and pub not in names:
        out += f" {place + ': ' if place else ''}{pub}."
    elif place:
        out += f" {place}."
    return out


def reference_list(items: list[dict[str, Any]], language: str = "sv") -> list[str]:
    """Every item formatted, sorted by first author and year.

    Examples
    --------
    >>> items = [{"title": "B", "author": [{"family": "Ö"}]}, {"title": "A", "author": [{"family": "Ek"}]}]
    >>> [r.split(" ")[0] for r in reference_list(items, "en")]
    ['Ek', 'Ö']
    """
    return [
        format_reference(it, language)
        for it in sorted(items, key=lambda it: _sort_key(it, language))
    ]


def _item_lang(it: dict[str, Any]) -> str:
    code = str(it.get("language") or "en").split("-")[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else "en"


def reference_markdown(items: list[dict[str, Any]], language: str = "sv") -> str:
    """The reference list as a Markdown list, each reference marked with its own language.

    A reference is written in the language of the work cited (an English
    title in a Swedish report): each item is wrapped in ``<span lang="..."
    translate="no">`` from its CSL ``language`` (default English), so screen
    readers pronounce it in that language and the report's language check
    does not read it as text of the report. The text comes from a file: it is
    made inert (:func:`evaluation.safehtml.inert_markdown`) before wrapping.

    Examples
    --------
    >>> item = {"id": "b", "type": "book", "title": "Läsbarhet", "language": "sv",
    ...         "author": [{"family": "Björnsson", "given": "Carl-Hugo"}], "issued": {"date-parts": [[1968]]}}
    >>> print(reference_markdown([item], "en"))
    - <span lang="sv" translate="no">Björnsson, C. (1968). *Läsbarhet*.</span>
    """
    return "\n".join(
        f'- <span lang="{html.escape(_item_lang(it))}" translate="no">'
        f"{inert_markdown(format_reference(it, language))}</span>"
        for it in sorted(items, key=lambda it: _sort_key(it, language))
    )
