"""The bookkeeping of the ``study.yaml`` check: problems with their lines, typed reads of nodes.

:mod:`evaluation.sources.study_checks` walks the file part by part with one
:class:`_Checker`, which collects every problem (file, line, key, what,
expected) instead of stopping at the first.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import Problem
from .study_model import LANGUAGES

__all__: list[str] = []

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_ID_EXPECT = "a lower-case identifier (letters a-z, digits, _)"


class _Checker:
    def __init__(self, file: str, data: dict) -> None:
        self.file, self.data = file, data
        self.problems: list[Problem] = []

    def err(self, line: int | None, key: str | None, what: str, expected: str) -> None:
        self.problems.append(Problem(self.file, line, key, what, expected))

    @staticmethod
    def line(node: Any, key: Any = None, default: int | None = None) -> int | None:
        if key is not None:
            kl = getattr(node, "key_lines", None) or {}
            if key in kl:
                return kl[key]
        return getattr(node, "line", None) or default

    def top(self, key: str) -> int | None:
        """The line of a top-level key (1 when it is absent)."""
        return self.line(self.data, key, 1)

    def mapping(self, node: Any, key: str, line: int | None) -> dict | None:
        if node is None:
            self.err(line, key, "missing", "a mapping (key: value lines)")
            return None
        if not isinstance(node, dict):
            self.err(line, key, f"{type(node).__name__} instead of a mapping", "a mapping")
            return None
        return node

    def texts(self, node: Any, key: str, line: int | None, what: str = "a text") -> dict[str, str]:
        """``{sv: ..., en: ...}``; both required and non-empty."""
        if isinstance(node, str) and node.strip():
            self.err(
                line, key, "one text for every language", f"{what} per language: sv: ..., en: ..."
            )
            return {lang: node for lang in LANGUAGES}
        m = self.mapping(node, key, line)
        if m is None:
            return {}
        out = {}
        for lang in LANGUAGES:
            v = m.get(lang)
            if not isinstance(v, str) or not v.strip():
                self.err(
                    self.line(m, lang, line),
                    f"{key}.{lang}",
                    "missing or empty" if v in (None, "") else f"{v!r} is not a text",
                    f"{what} in {'Swedish' if lang == 'sv' else 'English'}",
                )
            else:
                out[lang] = v.strip()
        for k in m:
            if k not in LANGUAGES:
                self.err(self.line(m, k, line), f"{key}.{k}", "unknown language", "sv and en")
        return out

    def ident(self, v: Any, key: str, line: int | None) -> str | None:
        if isinstance(v, str) and _ID.match(v):
            return v
        self.err(
            line, key, "missing" if v in (None, "") else f"{v!r} is not an identifier", _ID_EXPECT
        )
        return None

    def id_list(
        self, node: Any, key: str, line: int | None, known: set | None, expected: str
    ) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, list):
            self.err(line, key, "not a list", f"a list of {expected}")
            return ()
        out = []
        for v in node:
            if not isinstance(v, str) or (known is not None and v not in known):
                self.err(line, key, f"{v!r} is not known", f"one of {expected}")
            else:
                out.append(v)
        return tuple(out)
