"""Text forms the detectors see: dashes, spaces and invisible characters of every kind
folded into one, compatibility forms (NFKC) and accents folded, bytes decoded.

Every detector of :mod:`evaluation.leaks` works on these forms, so that a
personnummer written with an en-dash or in full-width digits, or a name with a
no-break space or in decomposed Unicode, is the same text as the plain one.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["DASHES", "SPACES", "plain", "fold", "decode"]

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
"""Every dash and minus a personnummer, phone number or name may be written with."""
SPACES = " \t\u00a0\u2007\u2009\u200a\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
"""Every space, no-break and thin spaces included."""
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
"""Soft hyphens, zero-width characters and byte-order marks: dropped (a ``str.translate`` table)."""
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
"""ANSI colour and terminal codes (notebook tracebacks)."""
_ASCII_SPACE = str.maketrans("\t\n\r\f\v_", "      ")  # file_names_like_this


def plain(text: str) -> str:
    """Compatibility forms folded (NFKC), invisible characters dropped, ANSI colours removed.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text the number detectors read (offsets stay close to those of ``text``).

    Examples
    --------
    >>> plain("\\uff18\\uff11\\u00ad1218\\x1b[1m-9876\\x1b[0m")
    '811218-9876'
    """
    text = ANSI.sub("", text)
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE)


def _fold_char(ch: str) -> str:
    """One character as the name matcher sees it: no accents, case-folded, one kind of dash/space."""
    if ch in SPACES or ch in "\n\r\f\v_" or ch == "\u2028":
        return " "
    if ch in DASHES:
        return "-"
    if ord(ch) in INVISIBLE:
        return ""
    if ch in "\u2019\u02bc\u2032`\u00b4":
        return "'"
    d = unicodedata.normalize("NFKD", ch)
    d = "".join(c for c in d if not unicodedata.combining(c))
    return d.casefold()


def fold(text: str) -> tuple[str, list[int] | None]:
    """The text as the name matcher sees it, and where each of its characters came from.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    folded : str
        Lower case, accents removed, every space (and ``_``) one space, every dash ``-``.
    where : list of int or None
        For each character of ``folded``, its offset in ``text``; ``None`` when
        the offsets are the same (an ASCII text).

    Examples
    --------
    >>> fold("A\\u030asa\\u00a0\\u00d6berg")
    ('asa oberg', [0, 2, 3, 4, 5, 6, 7, 8, 9])
    >>> fold("Karin_Lindqvist")
    ('karin lindqvist', None)
    """
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


def decode(data: bytes) -> str:
    """Bytes of a text file as text: UTF-16 by its byte-order mark, else UTF-8, else Windows-1252.

    A Latin-1 / Windows-1252 file (a CSV from a spreadsheet) is read byte for
    byte, so nothing in it escapes the scan.

    Examples
    --------
    >>> decode("Åsa Öberg".encode("utf-8")), decode("Åsa Öberg".encode("latin-1"))
    ('Åsa Öberg', 'Åsa Öberg')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
