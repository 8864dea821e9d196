"""A copy of the example data with script and tracking payloads in the codebook and the transcripts.

Used by ``tests/test_safe_report.py``: the report made from it must show every
payload as text, run nothing and fetch nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '<iframe srcdoc="<script>alert(4)</script>"></iframe>',
    '<a href="javascript:alert(5)">klicka här</a>',
    "[klicka](javascript:alert(6))",
    '<img src="https://example.com/track.png">',
    "![bild](https://example.com/pixel.png)",
    "<style>body{background:url(https://example.com/bg.png)}</style>",
    "<object data=https://example.com/x.swf></object>",
]


def make_hostile_copy(example: Path, codebook: Path, dst: Path) -> tuple[Path, Path]:
    """Copy ``example`` to ``dst`` with payloads planted; returns (data folder, codebook file)."""
    shutil.copytree(example, dst)
    # every participant turn of every transcript becomes a payload (cycling through them)
    k = 0
    for t in sorted((dst / "focus_groups" / "transcripts").glob("*.txt")):
        lines = []
        for line in t.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^(\[[\d:]+\]\s*)?([A-Za-z][A-Za-z0-9_]*):[ \t]*(.*)$", line)
            if m and m.group(2) != "MOD":
                line = f"{m.group(1) or ''}{m.group(2)}: Hon sa {PAYLOADS[k % len(PAYLOADS)]} igen."
                k += 1
            lines.append(line)
        t.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # coded spans now point into other text: code whole turns instead
    c = dst / "focus_groups" / "codings.csv"
    rows = c.read_text(encoding="utf-8").splitlines()
    c.write_text(
        "\n".join([rows[0]] + [",".join(r.split(",")[:4] + ["", ""]) for r in rows[1:]]) + "\n",
        encoding="utf-8",
    )
    # the codebook: labels, definitions and criteria of every code
    cb = yaml.safe_load(codebook.read_text(encoding="utf-8"))

    counter = [0]

    def plant(codes):
        for code in codes:
            k = counter
            p = PAYLOADS[k[0] % len(PAYLOADS)]
            k[0] += 1
            code["label"] = {lang: f"{text} {p}" for lang, text in code["label"].items()}
            for field in ("definition", "include", "exclude"):
                if field in code:
                    code[field] = f"{code[field]} {PAYLOADS[(k[0] + 3) % len(PAYLOADS)]}"
            plant(code.get("children", []))

    plant(cb["codes"])
    out = dst / "codebook.yaml"
    out.write_text(yaml.safe_dump(cb, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst, out
