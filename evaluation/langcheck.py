"""Is a rendered report page written in one language? A check for the report's HTML.

A report in Swedish must not contain English sentences and one in English no
Swedish sentences (proper names and quoted transcript text excepted), its
years are never grouped (``2016``, not ``2 016``) and a Swedish report writes
decimals with a comma. :func:`problems` reads a page's visible text and
names every block that breaks one of these rules.

How text from the other language is recognised
----------------------------------------------
The page's visible text is cut into blocks (paragraphs, list items, table
cells, headings, captions, lines of printed output). Text in
``<blockquote>`` (quoted transcripts), ``<code>`` (file names, parameter
values, technical messages), elements marked ``translate="no"`` (names from
the data, such as the calendar's event names), ``<script>``, ``<style>``
and images is not read, and known proper names (:data:`PROPER_NAMES`) are removed first.
A block is from the other language when

* it holds at least two of that language's function words
  (:data:`STOPWORDS`: words such as *the, of, which* or *och, att, som* that
  every sentence needs and the other language does not have) and no more of
  the page's own, or one of them and none of its own in a block of three or
  more words; or
* it holds two or more words that only the other language's catalogue
  uses (e.g. *activation, periods* in "18 activation periods") and no word
  or function word of the page's own language; or
* it is, word for word, a message of the other language's catalogue that
  differs from every message of the page's language (a heading, a label or a
  legend entry: short texts with no function word in them).

>>> problems('<html lang="sv"><p>Det här är en mening på svenska.</p></html>', "sv")
[]
>>> problems('<html lang="sv"><p>This is the summary of the report.</p></html>', "sv")
['English text: This is the summary of the report.']
>>> problems('<html lang="sv"><p>År 2 016 var kvoten 1.25.</p></html>', "sv")
['year with a separator: 2 016', 'decimal point in Swedish: År 2 016 var kvoten 1.25.']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "STOPWORDS",
    "PROPER_NAMES",
    "text_blocks",
    "problems",
    "foreign_blocks",
    "use_names",
    "study_names",
]

#: Function words of each language that the other language does not use (words
#: that are also words of the other language, e.g. "by", "men", "till", are left out).
STOPWORDS = {
    "en": frozenset(
        """the and of is are was were with this that these those which from when where
        have has been be it its there their they than only each every what how who would
        could should can will or to on at as an between because into more most less about
        also but does do did while whether both either if then so such any all our we you
        there's isn't aren't don't doesn't""".split()
    ),
    "sv": frozenset(
        """och att det som är för med på av inte när eller ett från efter över mellan
        också varje vilka vilken vilket hur vad än sig detta denna dessa kan ska blev
        finns utan samma bara hade sina deras där här under då eftersom medan båda
        alla någon några ingen inga vi ni jag hon han""".split()
    )
    - {"under"},
}

#: Names that are the same in every language and are not counted as words of one.
#: The study's own names (its site, and labels the same in both languages) come from
#: ``study.yaml``: ``use_names(study_names(study))`` before checking its report.
PROPER_NAMES = (
    "Stockholm",
    "Krippendorff",
    "Cohen",
    "Jaccard",
    "Poisson",
    "Wilson",
    "Pearson",
    "Durbin-Watson",
    "Durbin–Watson",
    "Ljung-Box",
    "Ljung–Box",
    "Cameron-Trivedi",
    "Cameron–Trivedi",
    "Newey-West",
    "Newey–West",
    "SHA-256",
    "manifest.json",
)

_LANGUAGE_NAMES = {"sv": "Swedish", "en": "English"}
_BLOCK = {
    "p",
    "li",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "caption",
    "div",
    "pre",
    "title",
    "tr",
    "table",
    "ul",
    "ol",
    "br",
    "nav",
    "figcaption",
    "dt",
    "dd",
}
_SKIP = {"script", "style", "code", "blockquote", "svg", "head-meta", "kbd", "samp"}
_VOID = {"br", "img", "meta", "link", "hr", "input", "col", "source", "wbr"}
_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü']+")


Block = tuple[str, str, str]  # (tag, text, column heading)


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.lang: str | None = None
        self._buf: list[str] = []
        self._skip = 0
        self._stack: list[str] = []
        self._tag = "body"
        self._headers: list[str] = []
        self._col = -1
        self._in_head_row = False
        self._skipped: list[str] = []  # open elements whose text is not read

    def _flush(self) -> None:
        # collapse ASCII white space only: a no-break space (a thousands separator) stays visible
        text = re.sub(r"[ \t\n\r\f\v]+", " ", "".join(self._buf)).strip()
        if text:
            head = ""
            if self._tag == "td" and 0 <= self._col < len(self._headers):
                head = self._headers[self._col]
            self.blocks.append((self._tag, text, head))
            if self._tag == "th" and self._in_head_row:
                self._headers.append(text)
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if self._skip or tag in _SKIP or dict(attrs).get("translate") == "no":
            if tag not in _VOID:  # everything inside a skipped element is skipped too
                self._skipped.append(tag)
                self._skip += 1
            return
        if tag in _BLOCK and not self._skip:
            self._flush()
            if tag in ("td", "th", "pre", "li", "p", "caption", "title", "div") or tag[:1] == "h":
                self._tag = tag
        if tag == "table":
            self._headers, self._col = [], -1
        elif tag == "tr":
            self._col = -1
            self._in_head_row = not self._headers
        elif tag in ("td", "th"):
            self._col += 1
            if tag == "td":
                self._in_head_row = False

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag in self._skipped:  # close up to the matching element (tolerates unclosed tags)
                while self._skipped and self._skipped.pop() != tag:
                    pass
                self._skip = len(self._skipped)
            return
        if tag in _BLOCK and not self._skip:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._tag == "pre" and "\n" in data:  # printed output: one block per line
            lines = data.split("\n")
            for ln in lines[:-1]:
                self._buf.append(ln)
                self._flush()
            self._buf.append(lines[-1])
            return
        self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def text_blocks(page: str) -> tuple[str | None, list[Block]]:
    """The ``lang`` attribute and the visible text blocks of an HTML page.

    Returns ``(lang, [(tag, text, column_heading), ...])``: ``tag`` is the
    enclosing block element, ``column_heading`` the heading of a table
    cell's column (else ``""``).

    Examples
    --------
    >>> text_blocks('<html lang="en"><p>A <code>x</code> b</p><blockquote>citat</blockquote></html>')
    ('en', [('p', 'A b', '')])
    """
    p = _Blocks()
    p.feed(page)
    p.close()
    return p.lang, p.blocks


_STUDY_NAMES: list[str] = []


def use_names(names: Iterable[str]) -> None:
    """Also treat these names (a study's site and proper names) as the same in every language.

    Replaces the names given before; ``use_names([])`` forgets them.

    Examples
    --------
    >>> page = '<html lang="en"><p>Visits to Hus och Hem på Torget</p></html>'
    >>> problems(page, "en")
    ['Swedish text: Visits to Hus och Hem på Torget']
    >>> use_names(["Hus och Hem på Torget"])  # a site's name, the same in both languages
    >>> problems(page, "en")
    []
    >>> use_names([])
    """
    _STUDY_NAMES[:] = sorted(set(names), key=len, reverse=True)


def study_names(study: Any) -> list[str]:
    """A study's proper names: its site's names and every label that is the same in sv and en.

    Parameters
    ----------
    study : Study
        Anything with ``site`` (language -> name) and ``vocabularies``
        (vocabulary -> code -> language -> label), as
        :class:`evaluation.sources.study.Study`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> class Study:
    ...     site = {"sv": "Norrtorget", "en": "Norrtorget"}
    ...     vocabularies = {"zone": {"fontan": {"sv": "Fontänen", "en": "The fountain"},
    ...                              "ica": {"sv": "ICA Karlaplan", "en": "ICA Karlaplan"}}}
    >>> study_names(Study())
    ['ICA Karlaplan', 'Norrtorget']
    """
    out = {study.site.get("sv", ""), study.site.get("en", "")}
    for vocab in study.vocabularies.values():
        for texts in vocab.values():
            if texts.get("sv") and texts.get("sv") == texts.get("en"):
                out.add(texts["sv"])
    return sorted(n for n in out if n)


def _strip_names(text: str) -> str:
    for name in (*_STUDY_NAMES, *PROPER_NAMES):
        text = text.replace(name, " ")
    return text


_IDENTIFIER = re.compile(r"\S*_\S*")
#: hex digests (``d541fa36a20be7dd…``): their letters are not words ("be", "a")
_DIGEST = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b")


def _words(text: str) -> list[str]:
    """The words of a text, proper names, snake_case identifiers (data codes) and hex digests left out.

    >>> _words("sha256 d541fa36a20be7dd… of the file")
    ['sha', 'of', 'the', 'file']
    """
    text = _DIGEST.sub(" ", _IDENTIFIER.sub(" ", _strip_names(text)))
    return [w.lower() for w in _WORD.findall(text)]


@functools.cache
def _catalogue_only(other: str, language: str) -> set[str]:
    """Texts of ``other``'s catalogue (without fields) that no message of ``language`` has."""
    from . import i18n

    own = {v.strip().lower() for v in i18n.catalogue(language).values()}
    out = set()
    for v in i18n.catalogue(other).values():
        v = v.strip()
        if "{" in v or len(_WORD.findall(_strip_names(v))) == 0 or len(v) < 4:
            continue
        if v.lower() not in own:
            out.add(v.lower())
    return out


@functools.cache
def _vocabulary(language: str) -> frozenset[str]:
    """Every word (3 letters or more) of the messages of ``language``."""
    from . import i18n

    return frozenset(
        w
        for v in i18n.catalogue(language).values()
        for w in _words(v.replace("{", " ").replace("}", " "))
        if len(w) >= 3
    )


def _only(other: str, language: str) -> frozenset[str]:
    """Words of ``other``'s catalogue that ``language``'s catalogue never uses."""
    return _vocabulary(other) - _vocabulary(language)


def foreign_blocks(blocks: Iterable[Block], language: str) -> list[str]:
    """The text blocks that are written in the other language (see the module's notes).

    Parameters
    ----------
    blocks : iterable of (tag, text, column heading)
        As :func:`text_blocks` returns them.
    language : str
        The page's language.

    Returns
    -------
    list of str
        ``"<Language> text: <the block>"`` for each block from the other language.

    Examples
    --------
    >>> foreign_blocks([("p", "Antalet besök ökade under perioden.", ""),
    ...                 ("p", "The number of visits increased.", "")], "sv")
    ['English text: The number of visits increased.']
    """
    from . import i18n

    others = [lang for lang in i18n.LANGUAGES if lang != language]
    found = []
    for _tag, text, _head in blocks:
        words = _words(text)
        own = sum(w in STOPWORDS[language] for w in words)
        for other in others:
            foreign = sum(w in STOPWORDS[other] for w in words)
            # a whole block, or one side of a bilingual "Innehåll / Contents", is a message
            parts = {text.strip().lower()} | {p.strip().lower() for p in text.split(" / ")}
            exact = bool(parts & _catalogue_only(other, language))
            # words only the other catalogue uses ("activation", "periods"), none of our own
            vocab = sum(w in _only(other, language) for w in words)
            own_vocab = sum(w in _only(language, other) for w in words)
            if (
                (foreign >= 2 and foreign >= own)
                or (foreign >= 1 and own == 0 and len(words) >= 3)
                or (vocab >= 2 and own_vocab == 0 and own == 0)
                or exact
            ):
                found.append(f"{_LANGUAGE_NAMES[other]} text: {text}")
                break
    return found


_NUMBER_ONLY = re.compile(r"^[\s\d\u00a0\u202f.,–−-]+$")
_GROUPED_YEAR = {
    "sv": re.compile(r"(?<![\d.,])(?:1[\u00a0\u202f ]9\d\d|2[\u00a0\u202f ]0\d\d)(?![\d])"),
    "en": re.compile(r"(?<![\d.,])(?:1[\u00a0\u202f ,]9\d\d|2[\u00a0\u202f ,]0\d\d)(?![\d])"),
}
_POINT_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d+(?!\d|\.\d)")
_COMMA_DECIMAL = re.compile(r"(?<![\d,])\d+,(?:\d{1,2}|\d{4,})(?![\d,])")
#: a figure's number in the report (notebook.figure, "Figur 3.2"): numbering, not a decimal
_FIGURE_NUMBER = re.compile(r"\b(?:Figur|Figure) \d+\.\d+\b")


def problems(page: str, language: str) -> list[str]:
    """Every place where an HTML page of a ``language`` report breaks the language rules.

    The rules: ``<html lang>`` is the language; no block of text from the
    other language; no year written with a separator; in Swedish no decimal
    point, in English no decimal comma. Returns one line per problem (empty:
    the page is fine).

    Parameters
    ----------
    page : str
        The page's HTML.
    language : str
        The report's language (``sv`` or ``en``).

    Returns
    -------
    list of str

    Examples
    --------
    >>> problems('<html lang="en"><p>The rate ratio was 1,25 in 2 016.</p></html>', "en")
    ['year with a separator: 2 016', 'decimal comma in English: The rate ratio was 1,25 in 2 016.']
    """
    lang, blocks = text_blocks(page)
    out = []
    if lang != language:
        out.append(f"<html lang> is {lang!r}, not {language!r}")
    out += foreign_blocks(blocks, language)
    for _tag, text, head in blocks:
        year_column = any(w in head.lower() for w in ("år", "year", "från", "till", "from", "to"))
        if not _NUMBER_ONLY.match(text) or year_column or _tag != "td":
            for m in _GROUPED_YEAR[language].finditer(text):
                out.append(f"year with a separator: {m.group(0)}")
        if language == "sv" and _POINT_DECIMAL.search(_strip_names(_FIGURE_NUMBER.sub(" ", text))):
            out.append(f"decimal point in Swedish: {text}")
        if language == "en" and _COMMA_DECIMAL.search(text):
            out.append(f"decimal comma in English: {text}")
    return out
