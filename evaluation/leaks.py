"""The leak scan of a run: personal identity numbers, phone numbers, e-mail
addresses and register identifiers in every file a run writes.

Public through :mod:`evaluation.disclosure`. Standard library only, so that the
release check of a run served from the cache stays fast.

What is scanned
---------------
Every file under the given paths, by content type:

* HTML, Markdown, XML: the raw text (entities decoded, markup attributes
  dropped) *and* the visible text (tags stripped, inline tags joined so that a
  name split by ``<b>`` is whole again); ``data:`` URIs are decoded and
  scanned as the file they hold (PNG, SVG, text);
* notebooks (``.ipynb``) and JSON: every string, key and number of the decoded
  JSON (``\\u`` escapes resolved): sources, outputs of every MIME type
  (images decoded), tracebacks (ANSI colours removed), metadata, tags,
  papermill parameters;
* SVG: text, titles, metadata and non-geometry attributes;
* PNG: ``tEXt``, ``zTXt`` and ``iTXt`` chunks;
* zip archives (``.zip``, ``.xlsx``, ``.docx``...): every member, by its type;
* anything else that is text (CSV, TXT, log...) line by line; a binary file of
  an unknown type is an error, not a pass.

A path that does not exist, a register that cannot be read and a file that
cannot be parsed raise :class:`ScanError`: never "0 leaks".
"""

from __future__ import annotations

import base64
import binascii
import calendar
import html
import io
import json
import os
import re
import struct
import unicodedata
import zipfile
import zlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from .errors import DataError, EvaluationError

__all__ = [
    "Leak",
    "ScanError",
    "Register",
    "scan_for_leaks",
    "scan_text",
    "luhn_ok",
    "load_identifiers",
    "release_check",
]


class ScanError(EvaluationError):
    """The scan could not look at something it was asked to: a missing path, an
    unreadable identifier register or a file that cannot be parsed."""


@dataclass(frozen=True)
class Leak:
    """A possible leak: where it is, which rule matched and why (never the text itself).

    Attributes
    ----------
    file : str
        The file (for a zip member: ``archive.zip!member``).
    location : str
        Where in the file: ``line N``, ``cell i output k (text/html), line N``,
        ``$.key[2]``, ``PNG zTXt chunk 'Comment'``...
    rule : str
        ``personnummer``, ``samordningsnummer``, ``phone``, ``email`` or
        ``identifier``.
    hint : str
        A masked description of what matched.
    reason : str
        Why the rule matched (checks passed, the text form seen).
    """

    file: str
    location: str
    rule: str
    hint: str = ""
    reason: str = ""

    def __str__(self) -> str:
        s = f"{self.file}: {self.location}: {self.rule}"
        if self.hint:
            s += f" ({self.hint})"
        if self.reason:
            s += f" - {self.reason}"
        return s


def luhn_ok(digits: str) -> bool:
    """Luhn check of a 10-digit Swedish personal identity number (YYMMDDNNNC).

    >>> luhn_ok("8112189876")
    True
    >>> luhn_ok("8112189875")
    False
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(digits[:9]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(digits[9])


# ----------------------------------------------------------------------------- text forms
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = " \t\u00a0\u2007\u2009\u200a\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _plain(text: str) -> str:
    """Compatibility forms folded (NFKC), invisible characters dropped, ANSI colours removed."""
    text = _ANSI.sub("", text)
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


# personnummer: YYMMDD[-+ ]NNNC or YYYYMMDD[-]NNNC; separators of every kind of dash and space
_SEP = rf"(?:[{_SPACES}]?[-+{_DASHES}][{_SPACES}]?|[{_SPACES}])?"
_PNR = re.compile(rf"(?<![\d+/])(?<!\d[.,])(19|20)?(\d{{6}})({_SEP})(\d{{4}})(?![\w]|[.,]\d)")


def _real_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _pnr_check(century: str | None, yymmdd: str, sep: str, last4: str) -> tuple[str, str] | None:
    """(rule, reason) if this is a personal or co-ordination number, else ``None``."""
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    rule = "personnummer"
    if dd > 60:  # samordningsnummer: day + 60
        dd -= 60
        rule = "samordningsnummer"
    years = [int(century) * 100 + yy] if century else [1900 + yy, 2000 + yy]
    if not any(_real_date(y, mm, dd) for y in years):
        return None
    if not luhn_ok(yymmdd + last4):
        return None
    if not century:
        this_year = date.today().year % 100
        if not sep and 15 <= yy <= this_year:
            # a Unix time (1.5e9-1.8e9 s: 2017-2026) has this shape; the person would be
            # born 2015 or later, or be over 100: no one in the data
            return None
        y1, y2 = int(yymmdd[:4]), int(last4)
        if sep.strip() in ("-", "\u2013") and 1900 <= y1 <= y2 <= min(y1 + 50, 2099) and mm <= 12:
            return None  # YYYYMM-YYYY: a period ("201105-2012"), not a person
    if century:
        y = years[0]
        hh, mi = int(last4[:2]), int(last4[2:])
        today = date.today()
        if 2015 <= y <= today.year and hh < 24 and mi < 60 and "+" not in sep:
            # YYYYMMDD-HHMM / YYYYMMDDHHMM of the last years: the toolkit's run and
            # file time stamps, not a person (no one in the data was born after 2015)
            return None
    form = ("12 digits with century" if century else "10 digits") + (
        ", no separator"
        if not sep
        else ", separator '+'"
        if "+" in sep
        else ", dash separator"
        if sep.strip()
        else ", space separator"
    )
    what = "co-ordination number (day + 60)" if rule == "samordningsnummer" else "birth date"
    return rule, f"{form}; {what} is a real calendar date and the Luhn check digit is valid"


# phones: candidates are runs of digits and separators, validated in Python
_PH_SEP = rf"[{_SPACES}\-{_DASHES}./]"
_PHONE = re.compile(
    rf"(?<![\w.,+/@#=&\-{_DASHES}])(?<!\d:)"
    rf"(?:\(?(?:\+|00)[{_SPACES}]?46\)?(?:{_PH_SEP}{{0,2}}\(0\))?|\(0\d{{1,3}}\)|0(?=[1-9]))"
    rf"(?:\d|{_PH_SEP}{{1,3}}(?=[\d(])|[{_SPACES}]?\(0\)[{_SPACES}]?)*"
)
_TIME_OR_DATE = re.compile(
    rf"^(?:[0-2]\d[.:][0-5]\d{_PH_SEP}{{1,3}}[0-2]\d[.:][0-5]\d"  # 08.15-09.45
    rf"|[0-3]\d[./\-][01]\d[./\-](?:19|20)\d\d"  # 05.06.2019
    rf"|[0-3]\d[./\-][01]\d[./\-]\d\d)$"  # 05/06/19
)


def _national_ok(groups: list[str]) -> bool:
    """Digit groups of a number written with a trunk 0 that fit the Swedish number plan."""
    national = "".join(groups)
    n = len(national)
    if not national.startswith("0") or national.startswith("00"):
        return False
    if not (n == 10 if national.startswith("07") else 9 <= n <= 10):  # area code + 5-8 digits
        return False
    first = len(groups[0])
    if len(groups) == 1 or first in (3, 4) or first >= 7:
        return True
    return first == 2 and groups[0] == "08"  # 08 is the only two-digit area code


def _phone_numbers(text: str) -> Iterator[tuple[int, str]]:
    """(offset, reason) of every Swedish phone number in ``text``."""
    for m in _PHONE.finditer(text):
        s = m.group(0)
        end = len(s)
        while end and not s[end - 1].isdigit():
            end -= 1
        s = s[:end]
        after = text[m.start() + end : m.start() + end + 2]
        if after[:1].isalnum() or (after[:1] in ".," and after[1:2].isdigit()):
            continue
        if _TIME_OR_DATE.match(s):
            continue
        groups = [(g.start(), g.group()) for g in re.finditer(r"\d+", s)]
        sizes = [len(g) for _, g in groups]
        if sizes[:3] == [2, 2, 4] and groups[2][1][:2] in ("19", "20"):
            if 1 <= int(groups[0][1]) <= 31 and 1 <= int(groups[1][1]) <= 12:
                continue  # a date: 08/11 2023, 05.06.2019
        s = s[1:] if s.startswith("(+") or s.startswith("(00") else s  # "(+46) 70 ..."
        intl = s.startswith(("+", "00"))
        brackets = "(" in s
        if intl:
            digits = "".join(g for _, g in groups)
            digits = digits[2:] if s.startswith("00") else digits
            if not digits.startswith("46"):
                continue
            nsn = digits[2:]  # after 46
            nsn = nsn[1:] if nsn.startswith("0") else nsn
            if 8 <= len(nsn) <= 9 and (len(nsn) == 9 or not nsn.startswith("7")):
                yield (
                    m.start(),
                    "Swedish number written with the country code +46"
                    + (", (0) in brackets" if brackets else ""),
                )
            continue
        # several numbers in a row ("070-123 45 67 08-123 456 78"): a new one starts with 0
        numbers: list[list[tuple[int, str]]] = [[]]
        for g in groups:
            cur = numbers[-1]
            if cur and g[1].startswith("0") and _national_ok([x for _, x in cur]):
                numbers.append([g])
            else:
                cur.append(g)
        for num in numbers:
            parts = [x for _, x in num]
            if num and _national_ok(parts):
                national = "".join(parts)
                kind = "mobile" if national.startswith("07") else "landline"
                yield (
                    m.start() + num[0][0],
                    (
                        f"Swedish {kind} number, {len(national)} digits with a trunk 0"
                        + (", area code in brackets" if brackets else "")
                    ),
                )


_FILE_EXTENSIONS = {
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "tif", "tiff", "ico", "avif",
    "css", "js", "mjs", "map", "pdf", "html", "htm", "json", "csv", "txt", "md", "py",
    "ipynb", "yaml", "yml", "xml", "zip", "gz", "woff", "woff2", "ttf", "otf", "eot",
    "mp4", "webm", "mp3", "wav", "xlsx", "docx", "pptx", "parquet", "pkl", "whl",
}  # fmt: skip
_EMAIL = re.compile(
    r"(?<![\w.%+\-])([\w.%+\-]{1,64})"
    r"(?:@|\s?[\[(]at[\])]\s?|\s?[\[(]snabel-a[\])]\s?|%40)"
    r"((?:[\w\-]+(?:\.|\s?[\[(]dot[\])]\s?|\s?[\[(]punkt[\])]\s?))+([A-Za-z]{2,24}))(?![\w\-])",
    re.IGNORECASE,
)


_EMAIL_WORDS = re.compile(
    r"(?<![\w.])([\w.+\-]{1,64})\s+(?:at|snabel-a)\s+((?:[\w\-]+\s+(?:dot|punkt)\s+)+"
    r"(se|nu|com|org|net|eu|io|info|gov|edu|fi|no|dk|de|uk|fr|biz|me))(?![\w\-])",
    re.IGNORECASE,
)


_EMAIL_MARK = re.compile(r"@|%40|[\[(](?:at|snabel-a)[\])]|\s(?:dot|punkt)\s", re.IGNORECASE)


def _emails(text: str) -> Iterator[tuple[int, str]]:
    """E-mail addresses, looked for only around an '@' or an '(at)' (the text may be long)."""
    seen: set[int] = set()
    last_end = -1
    for mark in _EMAIL_MARK.finditer(text):
        lo = max(mark.start() - 120, last_end, 0)
        hi = min(mark.end() + 300, len(text))
        last_end = mark.start()
        # start the window at a boundary so that a local part is not cut in two
        while lo > 0 and (text[lo - 1].isalnum() or text[lo - 1] in "._%+-"):
            lo -= 1
        for off, why in _emails_in(text[lo:hi]):
            if lo + off not in seen:
                seen.add(lo + off)
                yield lo + off, why


def _emails_in(text: str) -> Iterator[tuple[int, str]]:
    for m in _EMAIL_WORDS.finditer(text):
        yield m.start(), "e-mail address spelled out ('at' ... 'dot' ... a top-level domain)"
    for m in _EMAIL.finditer(text):
        local, tld = m.group(1), m.group(3).lower()
        if tld in _FILE_EXTENSIONS:  # logo@2x.png, icon@3x.webp
            continue
        if local.strip(".") != local or ".." in local:
            continue
        sep = m.group(0)[len(local) : len(local) + 6]
        how = "'@'" if sep.startswith("@") else "'%40'" if sep.startswith("%40") else "'(at)'"
        yield (
            m.start(),
            f"e-mail address: local part, {how} and a domain ending in a top-level domain",
        )


# ----------------------------------------------------------------------------- names
def _fold_char(ch: str) -> str:
    """One character as the name matcher sees it: no accents, case-folded, one kind of dash/space."""
    if ch in _SPACES or ch in "\n\r\f\v_" or ch == "\u2028":
        return " "
    if ch in _DASHES:
        return "-"
    if ord(ch) in _INVISIBLE:
        return ""
    if ch in "\u2019\u02bc\u2032`\u00b4":
        return "'"
    d = unicodedata.normalize("NFKD", ch)
    d = "".join(c for c in d if not unicodedata.combining(c))
    return d.casefold()


def _fold(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each folded character, its offset in ``text`` (``None``: the same)."""
    if text.isascii():
        return text.lower().translate(_ASCII_SPACE), None
    out: list[str] = []
    where: list[int] = []
    for m in re.finditer(r"[\x00-\x7f]+|[^\x00-\x7f]", text):
        s = m.group(0)
        if s.isascii():
            out.append(s.lower().translate(_ASCII_SPACE))
            where.extend(range(m.start(), m.end()))
        else:
            f = _fold_char(s)
            out.append(f)
            where.extend([m.start()] * len(f))
    return "".join(out), where


_ASCII_SPACE = str.maketrans("\t\n\r\f\v_", "      ")  # file_names_like_this


@dataclass(frozen=True)
class Register:
    """Identifier strings and where each came from (``file line N``), compiled for matching."""

    entries: tuple[str, ...]
    origins: tuple[str, ...]

    @classmethod
    def of(cls, identifiers) -> Register:
        if isinstance(identifiers, Register):
            return identifiers
        if identifiers is None:
            return cls((), ())
        if isinstance(identifiers, (str, Path)):
            return _read_register(Path(identifiers))
        items = [str(s).strip() for s in identifiers]
        pairs = [(s, f"register entry {n}") for n, s in enumerate(items, 1) if s]
        return cls(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))

    def __add__(self, other: Register) -> Register:
        return Register(self.entries + other.entries, self.origins + other.origins)

    def __len__(self) -> int:
        return len(self.entries)

    def pattern(self) -> tuple[re.Pattern | None, dict[str, int]]:
        """One regular expression over folded text; the key of each variant -> entry number."""
        if not self.entries:
            return None, {}
        alts, keys = [], {}
        for n, entry in enumerate(self.entries):
            parts = [re.split(r"-+", p) for p in _fold(entry)[0].split()]
            parts = [[t for t in p if t] for p in parts]
            parts = [p for p in parts if p]
            if not parts:
                continue
            variants = [parts]
            if len(parts) >= 2:  # "Lindqvist, Karin" and "Lindqvist Karin"
                variants.append([parts[-1], *parts[:-1]])
            for v in variants:
                keys.setdefault(" ".join(" ".join(p) for p in v), n)
                alts.append(
                    r"(?:[ \-.]*,[ \-.]*|[ \-.]+)".join(
                        r"[ \-]+".join(re.escape(t) for t in p) for p in v
                    )
                )
        alts.sort(key=len, reverse=True)
        rx = re.compile(
            r"(?<![^\W_])(?:" + "|".join(alts) + r")(?:'s|:s|'|s)?(?![^\W_])", re.UNICODE
        )
        return rx, keys


def _read_register(p: Path, root: str | Path | None = None) -> Register:
    """Read a register file: a regular file inside ``root`` (default: its own folder), so a
    link out of the data folder, a FIFO or a device is refused without being read."""
    from .textio import read_bytes

    if not p.is_symlink() and not p.exists():
        raise ScanError(f"identifier register {p}: no such file; expected one name per line")
    bound = Path(root) if root is not None else p.parent
    try:
        raw = read_bytes(p, str(p), root=bound, what=f"the folder {bound}")
    except DataError as exc:
        q = exc.problems[0]
        raise ScanError(
            f"identifier register {p}: {q.message}; expected {q.expected or 'a regular file'}"
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScanError(
            f"identifier register {p}: line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8; "
            "expected a UTF-8 text file (re-save it as UTF-8, e.g. iconv -f latin1 -t utf-8)"
        ) from None
    entries, origins = [], []
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if s and not s.startswith("#"):
            if len(re.sub(r"\W", "", s)) < 2:
                raise ScanError(
                    f"identifier register {p}: line {n}: entry too short to match safely; "
                    "expected a name or identifier of at least two letters or digits"
                )
            entries.append(unicodedata.normalize("NFC", s))
            origins.append(f"register {p.name} line {n}")
    return Register(tuple(entries), tuple(origins))


def load_identifiers(
    identifiers: str | Path | Sequence[str] | None, root: str | Path | None = None
) -> list[str]:
    """Identifier strings from a register file (UTF-8, one per line, ``#`` comments) or a list.

    A file must be a regular file inside ``root`` (default: the file's own folder; for
    ``<data>/identifiers.txt`` the data folder), read through
    :func:`evaluation.textio.read_bytes`: a symbolic link out of that folder, a FIFO or
    a device is refused without being read.

    Raises :class:`ScanError` for a missing, refused or non-UTF-8 file.
    """
    if isinstance(identifiers, (str, Path)):
        return list(_read_register(Path(identifiers), root).entries)
    return list(Register.of(identifiers).entries)


# ----------------------------------------------------------------------------- one text
def _finds(text: str, register: Register, compiled) -> list[tuple[int, str, str, str]]:
    """(offset, rule, hint, reason) for every match in ``text``."""
    out = []
    plain = _plain(text)
    # offsets into ``plain`` are close enough to those of ``text`` for line numbers
    for m in _PNR.finditer(plain):
        got = _pnr_check(m.group(1), m.group(2), m.group(3), m.group(4))
        if got:
            rule, reason = got
            out.append((m.start(), rule, "a Swedish identity number", reason))
    for off, reason in _phone_numbers(plain):
        out.append((off, "phone", "a phone number", reason))
    for off, reason in _emails(plain):
        out.append((off, "email", "an e-mail address", reason))
    rx, keys = compiled
    if rx is not None:
        folded, where = _fold(text)
        for m in _name_matches(rx, keys, folded):
            key = re.sub(r"[\s\-,.]+", " ", m.group(0)).strip()
            key = re.sub(r"(?:'s|:s|'|s)$", "", key) if key not in keys else key
            n = keys.get(key)
            if n is None:
                n = next((k for v, k in keys.items() if key.startswith(v)), 0)
            forms = []
            if m.group(0) != _fold(register.entries[n])[0]:
                forms.append("matched after normalising case, accents, spaces and dashes")
            if "," in m.group(0):
                forms.append("written 'Last, First'")
            if re.search(r"(?:'s|:s|s)$", m.group(0)) and not key.endswith("s"):
                forms.append("genitive")
            reason = "name or identifier from the register" + (
                f" ({'; '.join(forms)})" if forms else ""
            )
            off = m.start() if where is None else where[m.start()]
            out.append((off, "identifier", register.origins[n], reason))
    return sorted(out)


def _name_matches(rx: re.Pattern, keys: dict[str, int], folded: str) -> Iterator[re.Match]:
    """Matches of the register's expression, tried only where a name's first token starts."""
    firsts = {m.group(0) for k in keys if (m := re.match(r"[^\W_]+", k))}
    if len(folded) < 5000:
        yield from rx.finditer(folded)
        return
    starts = sorted(
        m.start()
        for m in re.finditer(r"[^\W_]+", folded)
        if m.group(0) in firsts or m.group(0).rstrip("s") in firsts
    )
    last = -1
    for pos in starts:
        if pos < last:
            continue
        m = rx.match(folded, pos)
        if m:
            last = m.end()
            yield m


def scan_text(text: str, identifiers=None, where: str = "text", markup: bool = True) -> list[Leak]:
    """Leaks in one string; with ``markup`` also in its visible text (tags stripped, entities decoded).

    >>> [lk.rule for lk in scan_text("ring (08) 123 456 78 eller 811218 9876")]
    ['phone', 'personnummer']
    """
    scanner = _Scanner(Register.of(identifiers))
    scanner.text(where, "", text, "html" if markup else "text")
    return scanner.leaks


# ----------------------------------------------------------------------------- markup
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr", "ins", "del", "tspan", "textpath", "tref", "label", "nobr",
}  # fmt: skip
_TAG = re.compile(
    r"<!--.*?-->|<!\[CDATA\[|\]\]>|<(/?)([A-Za-z][\w:.-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|<[!?][^>]*>",
    re.S,
)
_TEXT_ATTR = re.compile(
    r"\s(?:alt|title|aria-label|aria-description|content|value|placeholder|label|summary|href|src)"
    r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')",
    re.I,
)
_BLOCK_CONTENT = re.compile(r"<(style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_DATA_URI = re.compile(
    r"data:([a-z]+/[a-z0-9+.\-]+)?((?:;[a-z\-]+=[^;,\"'\s]+)*)(;base64)?,([A-Za-z0-9+/=%\s\\.\-_~!*'()]+)",
    re.I,
)
_MARKUP_ATTR = re.compile(
    r"\s(?:id|class|style)\s*=\s*(\"[^\"]*\"|'[^']*')"  # markup, not content
)


def _visible(markup: str) -> tuple[str, list[int]]:
    """Text a reader sees: tags removed (inline ones joined, block ones a line break), entities decoded.

    Returns the text and, for every character, its offset in ``markup``.
    """
    out: list[str] = []
    where: list[int] = []
    pos = 0

    def emit(s: str, at: int) -> None:
        # decode entities piece by piece, keeping offsets approximately
        for m in re.finditer(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);?|[^&]+|&", s):
            piece = html.unescape(m.group(0)) if m.group(0).startswith("&") else m.group(0)
            out.append(piece)
            where.extend([at + m.start()] * len(piece) if len(piece) != len(m.group(0)) else
                         range(at + m.start(), at + m.end()))  # fmt: skip

    skip_until = None
    for m in _TAG.finditer(markup):
        if skip_until is None:
            emit(markup[pos : m.start()], pos)
        name = (m.group(2) or "").lower()
        closing = m.group(1) == "/"
        if skip_until is not None:
            if closing and name == skip_until:
                skip_until = None
        elif name in ("script", "style") and not closing and not m.group(0).endswith("/>"):
            skip_until = name
        elif name and name not in _INLINE:
            out.append("\n")
            where.append(m.start())
        pos = m.end()
    if skip_until is None:
        emit(markup[pos:], pos)
    return "".join(out), where


def _unquote(m: re.Match) -> str:
    from urllib.parse import unquote

    return unquote(m.group(0))


_ENCODINGS = [
    (re.compile(r"(?:%[0-9A-Fa-f]{2})+"), _unquote, "percent-encoding decoded"),
    (
        re.compile(r"\\u([0-9A-Fa-f]{4})"),
        lambda m: chr(int(m.group(1), 16)),
        "\\u escapes decoded",
    ),
]
_MULTILINE = re.compile(r"(?:source|text|data\.[\w.+-]+/[\w.+-]+)$")


class _Scanner:
    def __init__(self, register: Register):
        self.register = register
        self.compiled = register.pattern()
        self.leaks: list[Leak] = []
        self._seen: set = set()

    def add(self, file: str, location: str, rule: str, hint: str, reason: str) -> None:
        key = (file, location, rule, hint)
        if key not in self._seen:
            self._seen.add(key)
            self.leaks.append(Leak(file, location, rule, hint, reason))

    # -- text pieces ---------------------------------------------------------------
    def text(self, file: str, location: str, text: str, kind: str = "text", depth: int = 0) -> None:
        """Scan ``text``; ``kind`` ``html``/``md``/``xml`` also scans the visible text."""
        if not text:
            return
        if "\x1b" in text:
            text = _ANSI.sub("", text)
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        multiline = len(line_starts) > 1

        def loc(off: int) -> str:
            if not multiline:
                return location or "line 1"
            n = bisect_right(line_starts, off)
            return f"{location}, line {n}" if location else f"line {n}"

        raw = text
        if kind == "text" and re.search(r"<[A-Za-z/!]|&#?\w+;", text):
            kind = "html"  # markup in a CSV cell, a JSON string, a PNG comment: read it too
        if kind in ("html", "md", "xml"):
            self._data_uris(file, location, text)
            raw = _DATA_URI.sub(lambda m: " " * len(m.group(0)), raw)
            raw = _MARKUP_ATTR.sub(lambda m: " " * len(m.group(0)), raw)
            raw = _BLOCK_CONTENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), raw)
        elif kind == "text" and "data:" in text:
            self._data_uris(file, location, text)
            raw = _DATA_URI.sub(lambda m: " " * len(m.group(0)), raw)
        for off, rule, hint, reason in _finds(raw, self.register, self.compiled):
            self.add(file, loc(off), rule, hint, reason)
        if depth < 2:  # percent-encoded (URLs) and \\u-escaped (JSON inside text) forms
            for pattern, decode, how in _ENCODINGS:
                if pattern.search(raw):
                    decoded = pattern.sub(decode, raw)
                    for off, rule, hint, reason in _finds(decoded, self.register, self.compiled):
                        self.add(
                            file, loc(min(off, len(text) - 1)), rule, hint, f"{reason} [{how}]"
                        )
        if kind in ("html", "md", "xml") and depth < 2:
            for m in _TEXT_ATTR.finditer(raw):
                value = m.group(1) if m.group(1) is not None else m.group(2)
                if value and not value.startswith("data:"):
                    self.text(file, loc(m.start()), html.unescape(value), "html", depth + 1)
        if kind in ("html", "md", "xml"):
            vis, where = _visible(raw)
            for off, rule, hint, reason in _finds(vis, self.register, self.compiled):
                src = where[min(off, len(where) - 1)] if where else 0
                self.add(file, loc(src), rule, hint, reason + " [in the visible text]")
            if re.search(r"&#?\w+;", vis):  # double-escaped entities: decode once more
                again = html.unescape(vis)
                for off, rule, hint, reason in _finds(again, self.register, self.compiled):
                    src = where[min(off, len(where) - 1)] if where else 0
                    self.add(file, loc(src), rule, hint, reason + " [entities decoded twice]")

    def _data_uris(self, file: str, location: str, text: str) -> None:
        for m in _DATA_URI.finditer(text):
            mime = (m.group(1) or "text/plain").lower()
            payload = m.group(4)
            try:
                if m.group(3):
                    data = base64.b64decode(re.sub(r"[\s\\]", "", payload) + "==", validate=False)
                else:
                    from urllib.parse import unquote_to_bytes

                    data = unquote_to_bytes(payload)
            except (binascii.Error, ValueError) as exc:
                raise ScanError(f"{file}: {location}: undecodable data: URI ({exc})") from None
            self.blob(file, f"{location} data:{mime}".strip(), data, mime)

    # -- by type -------------------------------------------------------------------
    def blob(self, file: str, location: str, data: bytes, mime: str) -> None:
        if mime == "image/png" or data[:8] == b"\x89PNG\r\n\x1a\n":
            self.png(file, location, data)
        elif mime in ("image/jpeg", "image/gif", "image/webp", "font/woff", "font/woff2"):
            self.binary_strings(file, location, data)
        elif "svg" in mime or "xml" in mime:
            self.svg(file, location, _decode(data, file))
        elif mime.startswith("text/") or mime in ("application/json",):
            kind = "html" if "html" in mime else "text"
            self.text(file, location, _decode(data, file), kind)
        else:
            self.binary_strings(file, location, data)

    def binary_strings(self, file: str, location: str, data: bytes) -> None:
        """Printable runs of an image format we do not parse (JPEG comments, EXIF)."""
        for m in re.finditer(rb"[\x20-\x7e\xa0-\xff]{6,}", data):
            self.text(file, f"{location} bytes {m.start()}", m.group(0).decode("latin-1"))

    def png(self, file: str, location: str, data: bytes) -> None:
        where = f"{location} " if location else ""
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            raise ScanError(f"{file}: {where}not a PNG image (bad signature)")
        pos = 8
        while pos < len(data):
            if pos + 8 > len(data):
                raise ScanError(f"{file}: {where}PNG truncated at byte {pos}")
            length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
            body = data[pos + 8 : pos + 8 + length]
            if len(body) != length:
                raise ScanError(f"{file}: {where}PNG chunk at byte {pos} truncated")
            name = ctype.decode("latin-1")
            try:
                if name == "tEXt":
                    key, _, val = body.partition(b"\0")
                    text = val.decode("latin-1")
                elif name == "zTXt":
                    key, _, rest = body.partition(b"\0")
                    text = zlib.decompress(rest[1:]).decode("latin-1")
                elif name == "iTXt":
                    key, _, rest = body.partition(b"\0")
                    flag, _method = rest[0], rest[1]
                    _lang, _, rest = rest[2:].partition(b"\0")
                    tkey, _, val = rest.partition(b"\0")
                    text = (
                        tkey.decode("utf-8")
                        + "\n"
                        + (zlib.decompress(val) if flag else val).decode("utf-8")
                    )
                elif name == "eXIf":
                    self.binary_strings(file, f"{where}PNG eXIf chunk", body)
                    key = None
                else:
                    key = None
            except (zlib.error, UnicodeDecodeError, IndexError) as exc:
                raise ScanError(
                    f"{file}: {where}PNG {name} chunk at byte {pos} cannot be read ({exc})"
                ) from None
            if key is not None:
                k = key.decode("latin-1")
                self.text(file, f"{where}PNG {name} chunk '{k}'", k + "\n" + text)
            pos += 12 + length
            if name == "IEND":
                break

    def svg(self, file: str, location: str, text: str) -> None:
        import xml.etree.ElementTree as ET

        where = f"{location} " if location else ""
        try:
            root = ET.fromstring(text.encode("utf-8"))
        except ET.ParseError as exc:
            raise ScanError(f"{file}: {where}SVG/XML cannot be parsed ({exc})") from None
        geometry = {
            "d", "points", "transform", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r",
            "rx", "ry", "width", "height", "viewBox", "style", "id", "class", "clip-path",
            "fill", "stroke", "stroke-width", "opacity", "font-size", "font-family",
            "offset", "gradientTransform", "preserveAspectRatio", "version", "dx", "dy",
            "patternTransform", "stroke-dasharray", "stroke-linejoin", "stroke-linecap",
        }  # fmt: skip
        for n, el in enumerate(root.iter()):
            tag = el.tag.rsplit("}", 1)[-1]
            own = (el.text or "").strip()
            if tag in ("tspan", "textPath", "tref"):
                own = ""  # read with its <text>
            elif tag == "text" or tag == "title" or tag == "desc":
                own = "".join(el.itertext())
            if own:
                self.text(file, f"{where}<{tag}> element {n}", own, "text")
            if el.tail and el.tail.strip():
                self.text(file, f"{where}<{tag}> element {n} tail", el.tail, "text")
            for k, v in el.attrib.items():
                name = k.rsplit("}", 1)[-1]
                if name in geometry:
                    continue
                if name == "href" and v.startswith("data:"):
                    self._data_uris(file, f"{where}<{tag}> element {n}", v)
                    continue
                self.text(file, f"{where}<{tag}> element {n} @{name}", v, "text")

    def json_value(self, file: str, path: str, v, kind_of=None) -> None:
        """Every key, string and number of decoded JSON."""
        if isinstance(v, dict):
            for k, x in v.items():
                self.text(file, f"{path} (key)", str(k))
                self.json_value(file, f"{path}.{k}", x, kind_of)
        elif isinstance(v, list):
            if v and all(isinstance(x, str) for x in v) and _MULTILINE.search(path):
                self.json_value(file, path, "".join(v), kind_of)  # nbformat multiline strings
                return
            for i, x in enumerate(v):
                self.json_value(file, f"{path}[{i}]", x, kind_of)
        elif isinstance(v, str):
            kind = kind_of(path) if kind_of else "text"
            if kind == "png":
                try:
                    data = base64.b64decode(re.sub(r"\s", "", v), validate=True)
                except (binascii.Error, ValueError):
                    raise ScanError(f"{file}: {path}: image/png output is not base64") from None
                self.png(file, path, data)
            elif kind == "svg":
                self.svg(file, path, v)
            elif kind == "binary":
                try:
                    data = base64.b64decode(re.sub(r"\s", "", v))
                except (binascii.Error, ValueError):
                    data = v.encode()
                self.binary_strings(file, path, data)
            else:
                self.text(file, path, v, kind)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            s = str(v)
            if len(re.sub(r"\D", "", s)) >= 8:
                self.text(file, path, s)

    def notebook(self, file: str, nb) -> None:
        if not isinstance(nb, dict) or "cells" not in nb:
            raise ScanError(f"{file}: not a Jupyter notebook (no 'cells')")

        def kind_of(path: str) -> str:
            tail = path.rsplit(".", 1)[-1]
            # only an output's data holds images; metadata about them (alt text, size) is text
            data = re.search(r"(?:^|[ .])data\.(image/[\w.+-]+)$", path)
            if data and data.group(1) == "image/png":
                return "png"
            if data and data.group(1).startswith("image/svg"):
                return "svg"
            if data or re.search(r"(?:^|[ .])data\.application/pdf$", path):
                return "binary"
            if "text/html" in path or "text/markdown" in path or tail == "source":
                return "html"
            return "text"

        for i, cell in enumerate(nb.get("cells", [])):
            if not isinstance(cell, dict):
                raise ScanError(f"{file}: cell {i} is not an object")
            for k, v in cell.items():
                if k in ("id", "execution_count"):  # random ids and counters: no content
                    continue
                if k == "outputs" and isinstance(v, list):
                    for j, out in enumerate(v):
                        if isinstance(out, dict):
                            for ok, ov in out.items():
                                if ok == "traceback" and isinstance(ov, list):
                                    for t, line in enumerate(ov):
                                        self.text(
                                            file, f"cell {i} output {j} traceback[{t}]", str(line)
                                        )
                                elif ok == "data" and isinstance(ov, dict):
                                    for mime, val in ov.items():
                                        self.json_value(
                                            file, f"cell {i} output {j} data.{mime}", val, kind_of
                                        )
                                elif ok != "execution_count":
                                    self.json_value(file, f"cell {i} output {j} {ok}", ov, kind_of)
                        else:
                            self.json_value(file, f"cell {i} output {j}", out, kind_of)
                else:
                    self.json_value(file, f"cell {i} {k}", v, kind_of)
        for k, v in nb.items():
            if k != "cells":
                self.json_value(file, k, v, kind_of)

    # -- files ---------------------------------------------------------------------
    def file(self, name: str, data: bytes, depth: int = 0) -> None:
        suffix = Path(name.split("!")[-1]).suffix.lower()
        if data[:8] == b"\x89PNG\r\n\x1a\n" or suffix == ".png":
            self.png(name, "", data)
        elif data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06" or suffix == ".zip":
            self.zip(name, data, depth)
        elif suffix in (".ipynb", ".json", ".geojson", ".jsonl"):
            text = _decode(data, name)
            try:
                if suffix == ".jsonl":
                    values = [json.loads(ln) for ln in text.splitlines() if ln.strip()]
                else:
                    values = [json.loads(text)]
            except json.JSONDecodeError as exc:
                raise ScanError(
                    f"{name}: line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"
                ) from None
            if suffix == ".ipynb":
                self.notebook(name, values[0])
            else:
                for n, v in enumerate(values):
                    self.json_value(name, "$" if len(values) == 1 else f"line {n + 1}", v)
        elif suffix == ".svg" or suffix == ".svgz":
            if suffix == ".svgz":
                import gzip

                data = gzip.decompress(data)
            self.svg(name, "", _decode(data, name))
        elif suffix in (".html", ".htm", ".xhtml", ".md", ".markdown", ".xml", ".rels"):
            self.text(
                name, "", _decode(data, name), "xml" if suffix in (".xml", ".rels") else "html"
            )
        elif suffix in (".jpg", ".jpeg", ".gif", ".webp", ".ico", ".bmp", ".tif", ".tiff",
                        ".woff", ".woff2", ".ttf", ".otf"):  # fmt: skip
            self.binary_strings(name, "", data)
        elif suffix == ".pdf" or data[:5] == b"%PDF-":
            self.pdf(name, data)
        elif suffix in (".tar", ".tgz") or name.endswith(".tar.gz") or data[257:262] == b"ustar":
            self.tar(name, data, depth)
        elif suffix == ".gz":
            import gzip

            try:
                inner = gzip.decompress(data)
            except OSError as exc:
                raise ScanError(f"{name}: cannot be decompressed ({exc})") from None
            self.file(name[: -len(".gz")] + "!" + Path(name).stem, inner, depth + 1)
        elif b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ScanError(
                f"{name}: a binary file of a type the scan cannot read; "
                "expected text, HTML, notebooks, JSON, SVG, PNG or zip"
            )
        else:
            self.text(name, "", _decode(data, name))

    def pdf(self, name: str, data: bytes) -> None:
        """Printable strings of a PDF, its compressed (Flate) streams decompressed."""
        self.binary_strings(name, "", data)
        for n, m in enumerate(re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)):
            try:
                inner = zlib.decompress(m.group(1))
            except zlib.error:
                continue  # not Flate (images, fonts): their printable runs were read above
            self.binary_strings(name, f"stream {n}", inner)

    def tar(self, name: str, data: bytes, depth: int) -> None:
        import tarfile

        if depth > 3:
            raise ScanError(f"{name}: archives nested more than 3 deep")
        try:
            with tarfile.open(fileobj=io.BytesIO(data)) as tf:
                for member in tf.getmembers():
                    if member.isfile():
                        f = tf.extractfile(member)
                        self.file(f"{name}!{member.name}", f.read() if f else b"", depth + 1)
        except tarfile.TarError as exc:
            raise ScanError(f"{name}: tar archive cannot be read ({exc})") from None

    def zip(self, name: str, data: bytes, depth: int) -> None:
        if depth > 3:
            raise ScanError(f"{name}: zip archives nested more than 3 deep")
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for info in z.infolist():
                    if info.is_dir():
                        continue
                    self.file(f"{name}!{info.filename}", z.read(info), depth + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError) as exc:
            raise ScanError(f"{name}: zip archive cannot be read ({exc})") from None


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # a Latin-1 / Windows-1252 CSV: every byte is a character, so nothing is lost
        return data.decode("cp1252", errors="replace")


def _files(paths: Iterable[str | Path]) -> list[tuple[Path | None, Path]]:
    """(folder given or None, file) for every file under ``paths``."""
    files: list[tuple[Path | None, Path]] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, names in os.walk(p, followlinks=False):
                dirs.sort()
                files += [(p, Path(root) / n) for n in sorted(names)]
        elif p.is_file():
            files.append((None, p))
        elif not p.exists():
            raise ScanError(f"{p}: no such file or folder; nothing was scanned")
        else:
            raise ScanError(f"{p}: neither a file nor a folder")
    return files


def scan_for_leaks(
    paths: str | Path | Iterable[str | Path],
    identifiers: str | Path | Sequence[str] | Register | None = None,
    *,
    extra: dict[str, str | bytes] | None = None,
) -> list[Leak]:
    """Look through every file of a run (or any files) for personal data.

    Parameters
    ----------
    paths : path or iterable of paths
        Files, or folders (every file in them, recursively, whatever its name).
    identifiers : path, list of str, or None
        An identifier register (UTF-8, one name or other identifier per line,
        ``#`` comments) or the strings themselves.
    extra : dict, optional
        More files to scan that are not on disk (name -> content), e.g. a page
        about to be written.

    Returns
    -------
    list of Leak
        Each with ``file``, ``location``, ``rule``, ``hint`` (masked: never the
        text found) and ``reason``. Rules:

        ``personnummer`` / ``samordningsnummer``
            YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDDNNNC, YYYYMMDD-NNNC,
            with any dash (``-``, en-dash, minus...) or a space as separator;
            the date must be a real calendar date (day + 60 for a
            co-ordination number) and the Luhn check digit valid.
            ``YYYYMMDD-HHMM`` of 2015 or later (the toolkit's own time stamps)
            is not a finding.
        ``phone``
            Swedish numbers with a trunk 0 or +46/0046, with spaces, no-break
            spaces, dashes, dots, slashes and brackets: ``070-123 45 67``,
            ``(08) 123 456 78``, ``+46 (0)70 123 45 67``, ``070.123 45 67``.
        ``email``
            Also written ``&#64;``, ``%40``, ``(at)``; not ``logo@2x.png``.
        ``identifier``
            A register entry, case-folded, accents and compatibility forms
            folded, any run of spaces or dashes equal, in the genitive
            (``Lindqvists``), as ``Lindqvist, Karin``, with HTML entities
            decoded and tags stripped.

    Raises
    ------
    ScanError
        A path that does not exist, a register that cannot be read, a file
        that cannot be parsed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.html").write_text("<p>Ring 070-123 45 67 om 811218-9876, 2019-2023: 1200</p>")
    >>> [(leak.location, leak.rule) for leak in scan_for_leaks(d)]
    [('line 1', 'phone'), ('line 1', 'personnummer')]
    """
    reg = Register.of(identifiers)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    scanner = _Scanner(reg)
    for root, f in _files(paths):
        scanner.text(str(f), "file name", str(f.relative_to(root)) if root else f.name)
        try:
            data = f.read_bytes()
        except OSError as exc:
            raise ScanError(f"{f}: cannot be read ({exc.strerror})") from None
        scanner.file(str(f), data)
    for name, content in (extra or {}).items():
        scanner.file(name, content.encode("utf-8") if isinstance(content, str) else content)
    return scanner.leaks


# ----------------------------------------------------------------------------- release gate
def release_check(
    run_dir: str | Path,
    data_dir: str | Path | None = None,
    manifest: dict | None = None,
) -> dict:
    """Scan a whole run folder; the ``release`` entry of its manifest. Fails closed.

    Every file under ``run_dir`` is scanned. With ``manifest`` (the manifest
    about to be written), the ``manifest.json`` and ``index.html`` that will
    be written from it are scanned too, before they exist. The identifier
    register is ``<data_dir>/identifiers.txt`` (the fictional one of the
    example) and, when present, ``data/private/identifiers.txt``.

    Anything that stops the scan (an unreadable register, a file that cannot
    be parsed, the index page failing to render) makes the run not
    releasable: the problem is listed in ``errors`` and as a finding with
    rule ``scan-error``, so a gate that only counts findings fails too.
    """
    from .paths import project_root

    run_dir = Path(run_dir)
    registers = []  # (file, the folder it must stay inside)
    if data_dir and os.path.lexists(Path(data_dir) / "identifiers.txt"):
        registers.append((Path(data_dir) / "identifiers.txt", Path(data_dir)))
    private = project_root() / "data" / "private" / "identifiers.txt"
    if os.path.lexists(private):
        registers.append((private, private.parent))
    errors: list[str] = []
    reg = Register((), ())
    for r, bound in registers:
        try:
            reg = reg + _read_register(r, bound)
        except ScanError as exc:
            errors.append(str(exc))
    leaks: list[Leak] = []
    try:
        extra = _pages_to_be_written(run_dir, manifest) if manifest is not None else {}
        leaks = scan_for_leaks(run_dir, reg, extra=extra)
    except Exception as exc:  # fail closed, whatever went wrong
        errors.append(
            f"{type(exc).__name__}: {exc}" if not isinstance(exc, ScanError) else str(exc)
        )

    def rel(f: str) -> str:
        try:
            return str(Path(f).relative_to(run_dir))
        except ValueError:
            return f

    found = [dict(asdict(lk), file=rel(lk.file)) for lk in leaks]
    found += [
        {
            "file": "",
            "location": "",
            "rule": "scan-error",
            "hint": "",
            "reason": e.replace(str(run_dir) + os.sep, ""),
        }
        for e in errors
    ]
    return {
        "releasable": not found,
        "leaks": found,
        "errors": errors,
        "scanned": "every file of the run folder"
        + (", manifest.json and index.html" if manifest is not None else ""),
        "identifier_registers": [str(r) for r in registers],
        "n_identifiers": len(reg),
    }


def _pages_to_be_written(run_dir: Path, manifest: dict) -> dict[str, str]:
    """manifest.json and index.html as they will be written from ``manifest``."""
    import tempfile

    from .report import write_index

    provisional = dict(manifest)
    provisional["release"] = {"releasable": False, "leaks": []}
    out = {
        str(run_dir / "manifest.json"): json.dumps(provisional, indent=2, ensure_ascii=False),
    }
    summary = None
    synth = run_dir / "results" / "04_synthesis.json"
    if synth.exists():
        summary = json.loads(synth.read_text(encoding="utf-8")).get("summary")
    with tempfile.TemporaryDirectory() as tmp:
        page = write_index(Path(tmp), provisional, summary)
        out[str(run_dir / "index.html")] = Path(page).read_text(encoding="utf-8")
    return out
