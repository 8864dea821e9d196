"""Small pieces of wording shared by every layer that writes prose (base layer, next to i18n).

Examples
--------
>>> from evaluation.wording import and_list
>>> and_list(["polis", "fältassistent"], "sv")
'polis och fältassistent'
"""

from __future__ import annotations

from collections.abc import Sequence

from .i18n import t

__all__ = ["and_list"]


def and_list(items: Sequence[str], language: str) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the language.

    Parameters
    ----------
    items : sequence of str
        The items, in order (each is turned into text).
    language : str
        ``"sv"`` or ``"en"`` (the catalogue key ``findings.and_list``).

    Returns
    -------
    str
        The items joined with commas and the language's "and"; ``""`` for none.

    Examples
    --------
    >>> and_list(["a", "b", "c"], "sv"), and_list(["a"], "en"), and_list([], "en")
    ('a, b och c', 'a', '')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return t("findings.and_list", language, first=", ".join(items[:-1]), last=items[-1])
