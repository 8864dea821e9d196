"""Names and other identifiers of the register in a text: matched on folded text
(case, accents, compatibility forms, spaces and dashes), in the genitive and as
``Last, First``; each finding says which register line matched and in what form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .register import Register
from .textforms import fold

__all__ = ["find_names"]

Compiled = tuple[re.Pattern[str] | None, dict[str, int]]


def _matches(rx: re.Pattern[str], keys: dict[str, int], folded: str) -> Iterator[re.Match[str]]:
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


def _entry(keys: dict[str, int], matched: str) -> tuple[int, str]:
    """The register entry a match is of, and its key (the genitive ending taken off)."""
    key = re.sub(r"[\s\-,.]+", " ", matched).strip()
    key = re.sub(r"(?:'s|:s|'|s)$", "", key) if key not in keys else key
    n = keys.get(key)
    if n is None:
        n = next((k for v, k in keys.items() if key.startswith(v)), 0)
    return n, key


def _reason(matched: str, key: str, entry: str) -> str:
    """Why the match is the entry: the forms that had to be normalised."""
    forms = []
    if matched != fold(entry)[0]:
        forms.append("matched after normalising case, accents, spaces and dashes")
    if "," in matched:
        forms.append("written 'Last, First'")
    if re.search(r"(?:'s|:s|s)$", matched) and not key.endswith("s"):
        forms.append("genitive")
    return "name or identifier from the register" + (f" ({'; '.join(forms)})" if forms else "")


def find_names(
    text: str, register: Register, compiled: Compiled | None = None
) -> Iterator[tuple[int, str, str]]:
    """Every register entry in ``text``.

    Parameters
    ----------
    text : str
        The text to search (not folded: offsets refer to it).
    register : Register
        The identifiers.
    compiled : tuple, optional
        ``register.pattern()``, when the caller keeps it for many texts.

    Yields
    ------
    (offset, origin, reason)
        Where the name starts, the register line it matched (never the name)
        and the forms that were normalised.

    Examples
    --------
    >>> reg = Register.of(["Karin Lindqvist"])
    >>> [(off, origin) for off, origin, _ in find_names("Intervju: LINDQVIST, Karin.", reg)]
    [(10, 'register entry 1')]
    """
    rx, keys = compiled if compiled is not None else register.pattern()
    if rx is None:
        return
    folded, where = fold(text)
    for m in _matches(rx, keys, folded):
        n, key = _entry(keys, m.group(0))
        reason = _reason(m.group(0), key, register.entries[n])
        yield (m.start() if where is None else where[m.start()]), register.origins[n], reason
