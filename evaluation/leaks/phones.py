"""Swedish phone numbers: candidates are runs of digits and separators found by a
loose pattern, then checked in Python against the Swedish number plan (trunk 0,
area codes, +46 / 0046), with times, dates and digit strings that are not
numbers left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .textforms import DASHES, SPACES

__all__ = ["find_phones"]

_PH_SEP = rf"[{SPACES}\-{DASHES}./]"
_PHONE = re.compile(
    rf"(?<![\w.,+/@#=&\-{DASHES}])(?<!\d:)"
    rf"(?:\(?(?:\+|00)[{SPACES}]?46\)?(?:{_PH_SEP}{{0,2}}\(0\))?|\(0\d{{1,3}}\)|0(?=[1-9]))"
    rf"(?:\d|{_PH_SEP}{{1,3}}(?=[\d(])|[{SPACES}]?\(0\)[{SPACES}]?)*"
)
_TIME_OR_DATE = re.compile(
    rf"^(?:[0-2]\d[.:][0-5]\d{_PH_SEP}{{1,3}}[0-2]\d[.:][0-5]\d"  # 08.15-09.45
    rf"|[0-3]\d[./\-][01]\d[./\-](?:19|20)\d\d"  # 05.06.2019
    rf"|[0-3]\d[./\-][01]\d[./\-]\d\d)$"  # 05/06/19
)

Group = tuple[int, str]  # (offset in the candidate, digits)


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


def _candidate(text: str, m: re.Match[str]) -> str | None:
    """The match without trailing separators, or ``None`` when it is not a number on its own
    (digits or a decimal go on, or it is a time or a date)."""
    s = m.group(0)
    end = len(s)
    while end and not s[end - 1].isdigit():
        end -= 1
    s = s[:end]
    after = text[m.start() + end : m.start() + end + 2]
    if after[:1].isalnum() or (after[:1] in ".," and after[1:2].isdigit()):
        return None
    return None if _TIME_OR_DATE.match(s) else s


def _is_date(groups: list[Group]) -> bool:
    """DD MM YYYY: 08/11 2023, 05.06.2019."""
    if [len(g) for _, g in groups[:3]] != [2, 2, 4] or groups[2][1][:2] not in ("19", "20"):
        return False
    return 1 <= int(groups[0][1]) <= 31 and 1 <= int(groups[1][1]) <= 12


def _international(s: str, groups: list[Group]) -> str | None:
    """Why a number written with +46 / 0046 is a Swedish number, or ``None``."""
    digits = "".join(g for _, g in groups)
    digits = digits[2:] if s.startswith("00") else digits
    if not digits.startswith("46"):
        return None
    nsn = digits[2:]  # after 46
    nsn = nsn[1:] if nsn.startswith("0") else nsn
    if 8 <= len(nsn) <= 9 and (len(nsn) == 9 or not nsn.startswith("7")):
        return "Swedish number written with the country code +46" + (
            ", (0) in brackets" if "(" in s else ""
        )
    return None


def _numbers_in_a_row(groups: list[Group]) -> list[list[Group]]:
    """Several numbers in a row ("070-123 45 67 08-123 456 78"): a new one starts with 0."""
    numbers: list[list[Group]] = [[]]
    for g in groups:
        cur = numbers[-1]
        if cur and g[1].startswith("0") and _national_ok([x for _, x in cur]):
            numbers.append([g])
        else:
            cur.append(g)
    return numbers


def _national(s: str, groups: list[Group]) -> Iterator[tuple[int, str]]:
    """(offset in ``s``, reason) of each number written with a trunk 0."""
    for num in _numbers_in_a_row(groups):
        parts = [x for _, x in num]
        if num and _national_ok(parts):
            national = "".join(parts)
            kind = "mobile" if national.startswith("07") else "landline"
            yield (
                num[0][0],
                f"Swedish {kind} number, {len(national)} digits with a trunk 0"
                + (", area code in brackets" if "(" in s else ""),
            )


def find_phones(text: str) -> Iterator[tuple[int, str]]:
    """Every Swedish phone number in ``text`` (already :func:`~evaluation.leaks.textforms.plain`).

    Parameters
    ----------
    text : str
        The text to search.

    Yields
    ------
    (offset, reason)
        Where the number starts and why it is one.

    Examples
    --------
    >>> [off for off, _ in find_phones("ring (08) 123 456 78 kl. 08.15-09.45, +46 70 123 45 67")]
    [6, 38]
    """
    for m in _PHONE.finditer(text):
        s = _candidate(text, m)
        if s is None:
            continue
        groups = [(g.start(), g.group()) for g in re.finditer(r"\d+", s)]
        if _is_date(groups):
            continue
        s = s[1:] if s.startswith(("(+", "(00")) else s  # "(+46) 70 ..."
        if s.startswith(("+", "00")):
            reason = _international(s, groups)
            if reason:
                yield m.start(), reason
            continue
        for off, reason in _national(s, groups):
            yield m.start() + off, reason
