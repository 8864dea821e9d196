"""E-mail addresses, also written ``%40``, ``(at)``, ``[snabel-a]`` or spelled out
("anna at example dot se"); not file names such as ``logo@2x.png``. HTML
entities (``&#64;``) are decoded by the scanner before this runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["find_emails"]

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


def find_emails(text: str) -> Iterator[tuple[int, str]]:
    """Every e-mail address in ``text``, looked for only around an '@' or an '(at)' (the text may be long).

    Parameters
    ----------
    text : str
        The text to search.

    Yields
    ------
    (offset, reason)
        Where the address starts and the form it is written in.

    Examples
    --------
    >>> [off for off, _ in find_emails("logo@2x.png; skriv till anna.b (at) example.se")]
    [24]
    """
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
