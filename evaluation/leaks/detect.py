"""Every rule over one piece of text: personnummer, phone numbers, e-mail
addresses and the register's identifiers."""

from __future__ import annotations

from .emails import find_emails
from .names import Compiled, find_names
from .personnummer import find_personnummer
from .phones import find_phones
from .register import Register
from .textforms import plain

__all__ = ["find_all"]

Finding = tuple[int, str, str, str]  # (offset, rule, hint, reason)


def find_all(text: str, register: Register, compiled: Compiled | None = None) -> list[Finding]:
    """(offset, rule, hint, reason) for every match in ``text``, in order of offset.

    Numbers and addresses are looked for in :func:`~evaluation.leaks.textforms.plain`
    text (its offsets are close enough to those of ``text`` for line numbers);
    names in folded text, with offsets mapped back.

    Examples
    --------
    >>> [(off, rule) for off, rule, _, _ in find_all("Karin Lindqvist, 070-123 45 67",
    ...                                               Register.of(["Karin Lindqvist"]))]
    [(0, 'identifier'), (17, 'phone')]
    """
    out: list[Finding] = []
    text_plain = plain(text)
    for off, rule, reason in find_personnummer(text_plain):
        out.append((off, rule, "a Swedish identity number", reason))
    for off, reason in find_phones(text_plain):
        out.append((off, "phone", "a phone number", reason))
    for off, reason in find_emails(text_plain):
        out.append((off, "email", "an e-mail address", reason))
    for off, origin, reason in find_names(text, register, compiled):
        out.append((off, "identifier", origin, reason))
    return sorted(out)
