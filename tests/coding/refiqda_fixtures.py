"""Fixture projects that imitate what real QDA tools export (built from the standard's
documentation and the tools' known deviations; no real export was available here).

- ATLAS.ti: upper-case GUIDs in braces, CRLF line breaks counted as two characters, no colours.
- NVivo: lower-case GUIDs, ``relative://`` paths against ``basePath``, a ``.docx`` twin and a
  stray file in ``sources/``, a code category (``isCodable="false"``), line breaks "\\n" counted
  as two characters.
- MAXQDA: a bare file name as ``plainTextPath``, a byte-order mark, no ``creatingUser`` on
  selections (coder only on the Coding), an empty ``<Sets/>``.
- QualCoder: ``internal://`` paths, line breaks counted as one, a selection that crosses two turns.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

TEXT = (
    "[00:00:05] MOD: Hur ser ni på konsten?\n\n"
    "[00:00:12] POL1: Langarna flyttade bara runt hörnet.\n\n"
    "[00:00:30] UJ1: Det lockar hit unga tjejer, det oroar mig.\n\n"
    "[00:00:41] POL1: Samverkan med vakterna har blivit bättre."
)
# (code name, phrase coded, coder)
CODINGS = [
    ("Narkotikahandel", "Langarna flyttade bara runt hörnet.", "Anna"),
    ("Metodkonflikt", "Det lockar hit unga tjejer, det oroar mig.", "Anna"),
    ("Samverkan", "Samverkan med vakterna har blivit bättre.", "Bo"),
]
CROSSING = ("Metodkonflikt", "runt hörnet.\n\n[00:00:30] UJ1: Det lockar")


def _g(tool: str, *parts: str, upper=False, braces=False) -> str:
    g = str(uuid.uuid5(uuid.NAMESPACE_URL, tool + ":" + ":".join(parts)))
    g = g.upper() if upper else g
    return "{" + g + "}" if braces else g


def make(tool: str, folder: Path) -> Path:
    upper = braces = tool == "atlas"
    g = lambda *p: _g(tool, *p, upper=upper, braces=braces)  # noqa: E731
    crlf = tool == "atlas"
    text = TEXT.replace("\n", "\r\n") if crlf else TEXT
    two = tool in ("atlas", "nvivo")  # positions count a line break as two characters

    def pos(i: int) -> int:
        norm = TEXT
        return i + (norm[:i].count("\n") if two else 0)

    users = {"Anna": g("user", "Anna"), "Bo": g("user", "Bo")}
    codes = {name: g("code", name) for name in ("Narkotikahandel", "Metodkonflikt", "Samverkan")}
    cat = g("code", "Teman")
    colour = "" if tool == "atlas" else ' color="#AA3377"'
    code_xml = "".join(
        f'<Code guid="{codes[n]}" name="{n}" isCodable="true"{colour}><Description>{n} från {tool}</Description></Code>'
        for n in codes
    )
    if tool == "nvivo":
        code_xml = f'<Code guid="{cat}" name="Teman" isCodable="false">{code_xml}</Code>'
    sels = []
    for k, (name, phrase, coder) in enumerate(CODINGS):
        a = TEXT.index(phrase)
        b = a + len(phrase)
        creating = "" if tool == "maxqda" else f' creatingUser="{users[coder]}"'
        sels.append(
            f'<PlainTextSelection guid="{g("sel", str(k))}" startPosition="{pos(a)}" endPosition="{pos(b)}"{creating}><Coding guid="{g("cod", str(k))}" creatingUser="{users[coder]}"><CodeRef targetGUID="{codes[name]}"/></Coding></PlainTextSelection>'
        )
    if tool == "qualcoder":
        a = TEXT.index(CROSSING[1])
        b = a + len(CROSSING[1])
        sels.append(
            f'<PlainTextSelection guid="{g("sel", "x")}" startPosition="{a}" endPosition="{b}" creatingUser="{users["Bo"]}"><Coding guid="{g("cod", "x")}" creatingUser="{users["Bo"]}"><CodeRef targetGUID="{codes[CROSSING[0]]}"/></Coding></PlainTextSelection>'
        )
    src_guid = g("source")
    fname = f"{src_guid.strip('{}')}.txt"
    path_attr = {
        "atlas": f"internal://{fname}",
        "nvivo": f"relative://Transkript/{fname}",
        "maxqda": fname,
        "qualcoder": f"internal://{fname}",
    }[tool]
    base = ' basePath="file:///C:/Users/forskare/Projekt"' if tool == "nvivo" else ""
    sets = "<Sets/>" if tool == "maxqda" else ""
    users_xml = "".join(f'<User guid="{v}" name="{k}"/>' for k, v in users.items())
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="Sergel {tool}" origin="{tool}"{base}>'
        f"<Users>{users_xml}</Users><CodeBook><Codes>{code_xml}</Codes></CodeBook>"
        f'<Sources><TextSource guid="{src_guid}" name="Fokusgrupp 1.txt" plainTextPath="{path_attr}"'
        + (' richTextPath="internal://x.docx"' if tool == "nvivo" else "")
        + f">{''.join(sels)}</TextSource></Sources>{sets}</Project>"
    )
    out = folder / f"{tool}.qdpx"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("project.qde", qde)
        data = text.encode("utf-8")
        if tool == "maxqda":
            data = b"\xef\xbb\xbf" + data
        z.writestr(f"sources/{fname}", data)
        if tool == "nvivo":
            z.writestr("sources/x.docx", b"PK\x03\x04 not really a docx")
            z.writestr("sources/Thumbs.db", b"\x00\x01")
    return out
