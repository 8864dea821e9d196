"""Checks before writing REFI-QDA files: every text must be representable in XML."""

from __future__ import annotations

from collections.abc import Iterable

from ...errors import CodebookError, DataError, Problem
from ..codebook import Code, Codebook
from ._xml import NOT_XML

__all__ = ["check_xml_text", "check_coders"]

_PRINTABLE = "printable text (remove the control character)"


def _code_fields(cid: str, c: Code) -> dict[str, str]:
    fields = {f"label.{lang}": v for lang, v in c.label.items()}
    fields.update(
        definition=c.definition,
        include=c.include,
        exclude=c.exclude,
        examples=" ".join(c.examples),
        keywords=" ".join(c.keywords),
        color=c.color or "",
        id=cid,
    )
    return fields


def check_xml_text(cb: Codebook) -> None:
    """Refuse a codebook whose texts hold characters XML cannot represent (names the code).

    Raises
    ------
    CodebookError
        One problem per field with a control character: code, field and character.

    Examples
    --------
    >>> cb = Codebook("c", "C", "1", "sv", {"a": Code("a", {"sv": "bell\\x07"})})
    >>> try:
    ...     check_xml_text(cb)
    ... except CodebookError as e:
    ...     print(e.problems[0])
    c: label.sv: code 'a': control character U+0007 cannot be written to a REFI-QDA file; expected printable text (remove the control character)
    """
    problems = []
    where = cb.source or cb.id
    for k, v in (("codebook.id", cb.id), ("codebook.version", cb.version)):
        m = NOT_XML.search(v or "")
        if m:
            problems.append(
                Problem(
                    where,
                    None,
                    k,
                    f"control character U+{ord(m.group()):04X} cannot be written to XML",
                    _PRINTABLE,
                )
            )
    for cid, c in cb.codes.items():
        for k, v in _code_fields(cid, c).items():
            m = NOT_XML.search(v or "")
            if m:
                problems.append(
                    Problem(
                        where,
                        c.line,
                        k,
                        f"code {cid!r}: control character U+{ord(m.group()):04X} cannot be"
                        " written to a REFI-QDA file",
                        _PRINTABLE,
                    )
                )
    if problems:
        raise CodebookError(problems)


def check_coders(coders: Iterable[str]) -> None:
    """Refuse a coder name with a control character (the first one found).

    Examples
    --------
    >>> check_coders(["anna", "bo"])
    >>> try:
    ...     check_coders(["an\\x00na"])
    ... except DataError as e:
    ...     print(e.problems[0].message)
    coder 'an\\x00na' holds a control character
    """
    for c in coders:
        if NOT_XML.search(c):
            raise DataError(
                [
                    Problem(
                        "codings",
                        None,
                        "coder",
                        f"coder {c!r} holds a control character",
                        "printable text",
                    )
                ]
            )
