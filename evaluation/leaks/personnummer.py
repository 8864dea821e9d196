"""Swedish personal identity numbers (personnummer) and co-ordination numbers
(samordningsnummer): found by shape, kept only when the date is real and the
Luhn check digit valid, and not when the shape is one of the toolkit's own
time stamps or a period of years.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date

from .textforms import DASHES, SPACES

__all__ = ["luhn_ok", "check_personnummer", "find_personnummer"]


def luhn_ok(digits: str) -> bool:
    """Luhn check of a 10-digit Swedish personal identity number (YYMMDDNNNC).

    Parameters
    ----------
    digits : str
        Ten digits, no separator.

    Returns
    -------
    bool
        ``True`` when the last digit is the Luhn check digit of the first nine.

    Examples
    --------
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


# YYMMDD[-+ ]NNNC or YYYYMMDD[-]NNNC; separators of every kind of dash and space
_SEP = rf"(?:[{SPACES}]?[-+{DASHES}][{SPACES}]?|[{SPACES}])?"
_PNR = re.compile(rf"(?<![\d+/])(?<!\d[.,])(19|20)?(\d{{6}})({_SEP})(\d{{4}})(?![\w]|[.,]\d)")


def _real_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _birth_date(century: str | None, yymmdd: str) -> str | None:
    """The rule whose date part this is (day + 60: a co-ordination number), or ``None``."""
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    rule = "personnummer"
    if dd > 60:  # samordningsnummer: day + 60
        dd -= 60
        rule = "samordningsnummer"
    years = [int(century) * 100 + yy] if century else [1900 + yy, 2000 + yy]
    return rule if any(_real_date(y, mm, dd) for y in years) else None


def _unix_time_or_period(yymmdd: str, sep: str, last4: str) -> bool:
    """Ten digits without a century that are a Unix time or a period of years, not a person."""
    yy, mm = int(yymmdd[:2]), int(yymmdd[2:4])
    if not sep and 15 <= yy <= date.today().year % 100:
        # a Unix time (1.5e9-1.8e9 s: 2017-2026) has this shape; the person would be
        # born 2015 or later, or be over 100: no one in the data
        return True
    y1, y2 = int(yymmdd[:4]), int(last4)
    # YYYYMM-YYYY: a period ("201105-2012"), not a person
    return sep.strip() in ("-", "\u2013") and 1900 <= y1 <= y2 <= min(y1 + 50, 2099) and mm <= 12


def _toolkit_timestamp(century: str, yymmdd: str, sep: str, last4: str) -> bool:
    """YYYYMMDD-HHMM / YYYYMMDDHHMM of the last years: the toolkit's run and file time stamps
    (no one in the data was born after 2015)."""
    y = int(century) * 100 + int(yymmdd[:2])
    hh, mi = int(last4[:2]), int(last4[2:])
    return 2015 <= y <= date.today().year and hh < 24 and mi < 60 and "+" not in sep


def _form(century: str | None, sep: str) -> str:
    """How the number is written, in words."""
    digits = "12 digits with century" if century else "10 digits"
    if not sep:
        return digits + ", no separator"
    if "+" in sep:
        return digits + ", separator '+'"
    return digits + (", dash separator" if sep.strip() else ", space separator")


def check_personnummer(
    century: str | None, yymmdd: str, sep: str, last4: str
) -> tuple[str, str] | None:
    """Whether the parts of a number of the right shape are a personal or co-ordination number.

    Parameters
    ----------
    century : str or None
        ``"19"`` or ``"20"`` for the 12-digit form, else ``None``.
    yymmdd : str
        The six digits of the date part.
    sep : str
        The separator as written (``""``, ``"-"``, ``"+"``, a dash or a space).
    last4 : str
        The birth number and check digit.

    Returns
    -------
    (rule, reason) or None
        ``rule`` ``personnummer`` or ``samordningsnummer`` and why it matched;
        ``None`` for a date that does not exist, a wrong check digit, a time
        stamp of the toolkit or a period of years.

    Examples
    --------
    >>> check_personnummer(None, "811218", "-", "9876")[0]
    'personnummer'
    >>> check_personnummer(None, "811278", "-", "9876") is None  # day 78 - 60: no check digit match
    True
    >>> check_personnummer("20", "240101", "-", "1230") is None  # a run folder's time stamp
    True
    """
    rule = _birth_date(century, yymmdd)
    if rule is None or not luhn_ok(yymmdd + last4):
        return None
    if century is None and _unix_time_or_period(yymmdd, sep, last4):
        return None
    if century is not None and _toolkit_timestamp(century, yymmdd, sep, last4):
        return None
    what = "co-ordination number (day + 60)" if rule == "samordningsnummer" else "birth date"
    return rule, (
        f"{_form(century, sep)}; {what} is a real calendar date and the Luhn check digit is valid"
    )


def find_personnummer(text: str) -> Iterator[tuple[int, str, str]]:
    """Every personal or co-ordination number in ``text`` (already :func:`~evaluation.leaks.textforms.plain`).

    Parameters
    ----------
    text : str
        The text to search.

    Yields
    ------
    (offset, rule, reason)
        Where the number starts, ``personnummer`` or ``samordningsnummer``, and why.

    Examples
    --------
    >>> [(off, rule) for off, rule, _ in find_personnummer("pnr 811218 9876, 2019-2023: 1200")]
    [(4, 'personnummer')]
    """
    for m in _PNR.finditer(text):
        got = check_personnummer(m.group(1), m.group(2), m.group(3), m.group(4))
        if got:
            yield m.start(), got[0], got[1]
