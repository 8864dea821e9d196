"""A code's ``Description``: our fields that QDA-XML has no place for, as labelled lines.

The code id, the labels and texts in other languages, include/exclude, examples and
keywords travel in the ``Description`` (``Include: ...``), which other tools show as
text and which the reader turns back into fields, so YAML -> QDC -> YAML keeps ids,
labels, hierarchy and definitions.
"""

from __future__ import annotations

import re
from typing import Any

from ..codebook import Code, Codebook

FIELDS = (
    ("Include", "include"),
    ("Exclude", "exclude"),
    ("Examples", "examples"),
    ("Keywords", "keywords"),
)
OURS = "sergel-eval:"


def describe(cb: Codebook, c: Code) -> str:
    """The ``Description`` text of code ``c``."""
    lines = [c.definition] if c.definition else []
    for title, attr in FIELDS:
        v = getattr(c, attr)
        if v:
            lines.append(f"{title}: {' | '.join(v) if isinstance(v, list) else v}")
    for attr, texts in c.texts.items():  # other languages' definition/include/exclude
        for lang, v in texts.items():
            if lang != cb.language and v:
                lines.append(f"{attr.capitalize()} ({lang}): {v}")
    extra = f"{OURS} id={c.id}"
    for lang, lab in c.label.items():
        if lang != cb.language:
            extra += f"; label_{lang}={lab}"
    lines.append(extra)
    return "\n".join(lines)


def _field(key: str, value: str) -> Any:
    if key not in ("examples", "keywords"):
        return value.strip()
    sep = r"\s\|\s|,\s" if key == "keywords" else r"\s\|\s"
    return [x.strip() for x in re.split(sep, value) if x.strip()]


def _ours(line: str, out: dict) -> None:
    for part in line[len(OURS) :].split(";"):
        k, _, v = part.strip().partition("=")
        if k == "id":
            out["id"] = v.strip()
        elif k.startswith("label_"):
            out["label"][k[6:]] = v.strip()


def parse_description(text: str) -> dict:
    """The fields of a ``Description``: ``definition``, ``label``, ``texts`` and what is there
    of ``id``, ``include``, ``exclude``, ``examples``, ``keywords``."""
    out: dict = {"definition": [], "label": {}, "texts": {}}
    for line in (text or "").splitlines():
        m = re.match(r"^(Include|Exclude|Examples|Keywords):\s*(.*)$", line)
        other = re.match(r"^(Definition|Include|Exclude) \(([a-z]{2})\):\s*(.*)$", line)
        if other:  # a text in another language than the codebook's
            out["texts"].setdefault(other.group(1).lower(), {})[other.group(2)] = other.group(
                3
            ).strip()
        elif m:
            key = dict(FIELDS)[m.group(1)]
            out[key] = _field(key, m.group(2))
        elif line.startswith(OURS):
            _ours(line, out)
        else:
            out["definition"].append(line)
    out["definition"] = "\n".join(out["definition"]).strip()
    return out
