"""A corpus of planted leaks and innocent look-alikes, in every file type a run writes.

Used by ``tests/test_leaks.py`` to measure the leak scan's recall (planted
forms found) and false-alarm rate (innocent files flagged). Independent of the
scanner: plants are built from their definitions (a real date, a Luhn check
digit, a Swedish number plan), not from the scanner's regular expressions.

Every corpus file holds exactly one plant or one innocent text, inside filler
text that resembles a report (Swedish prose, counts, CIs, dates, times, hex
digests), so a false alarm in the filler counts against the scanner too.
"""

from __future__ import annotations

import base64
import io
import json
import random
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

REGISTER = [
    "Karin Lindqvist",
    "Åsa Öberg",
    "Anna-Karin Svensson",
    "Mohammed Al-Sayed",
    "Björn Ekström",
    "Lars Nilsson",
    "Sofia Hjärne",
    "Erik Dahl",
]


def luhn_digit(first9: str) -> str:
    """The check digit that makes YYMMDDNNN + C pass the Luhn test (computed from scratch)."""
    total = 0
    for i, ch in enumerate(first9):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return str((10 - total % 10) % 10)


def random_pnr(rng: random.Random, coordination: bool = False) -> tuple[str, str, str]:
    """(century, yymmdd, nnnc) of a valid personal (or co-ordination) number, born 1940-2012."""
    born = date(1940, 1, 1) + timedelta(
        days=rng.randrange(0, (date(2012, 12, 31) - date(1940, 1, 1)).days)
    )
    day = born.day + (60 if coordination else 0)
    yymmdd = f"{born.year % 100:02d}{born.month:02d}{day:02d}"
    nnn = f"{rng.randrange(0, 1000):03d}"
    return str(born.year // 100), yymmdd, nnn + luhn_digit(yymmdd + nnn)


def pnr_text(rng: random.Random) -> str:
    c, d, n = random_pnr(rng, coordination=rng.random() < 0.1)
    forms = [
        f"{d}-{n}",
        f"{d}{n}",
        f"{d} {n}",
        f"{d}\u2013{n}",  # en-dash
        f"{d} \u2013 {n}",
        f"{d}\u2212{n}",  # minus sign
        f"{d}\u00a0{n}",  # no-break space
        f"{d}\u2011{n}",  # non-breaking hyphen
        f"{c}{d}-{n}",
        f"{c}{d}{n}",
        f"{c}{d}\u2013{n}",
        f"{d}+{n}",
        f"pnr{d}{n}",
        f"Pnr.{d}-{n}",
        "\uff10"[:0]
        + "".join(chr(0xFF10 + int(x)) if x.isdigit() else x for x in f"{d}-{n}"),  # fullwidth
        f"{c}{d} {n}",
    ]
    return rng.choice(forms)


def phone_text(rng: random.Random) -> str:
    mobile = rng.choice("02369")
    a, b, cc, dd = (
        f"{rng.randrange(100, 1000)}",
        f"{rng.randrange(0, 100):02d}",
        f"{rng.randrange(0, 100):02d}",
        f"{rng.randrange(0, 100):02d}",
    )
    s = f"{rng.randrange(100, 1000)}"
    t, u = f"{rng.randrange(100, 1000)}", f"{rng.randrange(0, 100):02d}"
    forms = [
        f"07{mobile}-{a} {b} {cc}",
        f"07{mobile}{a}{b}{cc}",
        f"07{mobile}.{a} {b} {cc}",
        f"07{mobile}/{a} {b} {cc}",
        f"07{mobile}\u2013{a}\u00a0{b}\u00a0{cc}",
        f"07{mobile} {a} {b} {cc}",
        f"07{mobile}-{a}{b}{cc}",
        f"+46 7{mobile} {a} {b} {cc}",
        f"+46 (0)7{mobile}-{a} {b} {cc}",
        f"+467{mobile}{a}{b}{cc}",
        f"0046 7{mobile}-{a} {b} {cc}",
        f"(07{mobile}) {a} {b} {cc}",
        f"08-{s} {t} {u}",
        f"(08) {s} {t} {u}",
        f"08 {s} {t} {u}",
        f"08/{s}{t}{u}",
        f"+46 8 {s} {t} {u}",
        f"+46 (0)8-{s} {t} {u}",
        f"031-{a} {b} {cc}",
        f"(031) {a} {b} {cc}",
        f"(+46) 7{mobile} {a} {b} {cc}",
        f"+46-7{mobile}-{a} {b} {cc}",
        f"+46.7{mobile}.{a}.{b}.{cc}",
        f"tel:+467{mobile}{a}{b}{cc}",
        f"07{mobile} - {a} {b} {cc}",
        f"07{mobile}-{a} {b}{cc}",
        f"08\u2011{s} {t} {u}",
        f"0{rng.choice(['11', '13', '18', '19', '21', '23', '26', '40', '46', '54', '60', '90'])}-{a} {b} {dd}",
    ]
    return rng.choice(forms)


def email_text(rng: random.Random) -> str:
    user = rng.choice(["karin.l", "a.svensson", "bjorn_e", "lars.nilsson72", "sofia", "x-y"])
    dom = rng.choice(["example.se", "stockholm.se", "mail.example.com", "polisen.se", "skola.nu"])
    forms = [
        f"{user}@{dom}",
        f"{user}&#64;{dom}",
        f"{user}&#x40;{dom}",
        f"{user}&commat;{dom}",
        f"{user.upper()}@{dom.upper()}",
        f"mailto:{user}%40{dom}",
        f"{user} (at) {dom}",
        f"{user}[at]{dom}",
        f"<{user}@{dom}>",
        f"{user}\uff20{dom}",  # fullwidth @
        f"{user} at {dom.replace('.', ' dot ')}",
        f"{user}(at){dom.replace('.', '(dot)')}",
    ]
    return rng.choice(forms)


def _entities(s: str, rng: random.Random) -> str:
    return "".join(
        (f"&#{ord(ch)};" if rng.random() < 0.5 else f"&#x{ord(ch):x};")
        if ch.isalpha() and rng.random() < 0.6
        else ch
        for ch in s
    )


def name_text(rng: random.Random, markup: bool) -> str:
    name = rng.choice(REGISTER)
    first, last = name.rsplit(" ", 1)
    forms = [
        name,
        name.upper(),
        name.lower(),
        f"{name}s",  # genitive
        f"{last}, {first}",
        f"{last},{first}",
        name.replace(" ", "\u00a0"),
        name.replace(" ", "  "),
        name.replace(" ", "\n"),
        unicodedata.normalize("NFD", name),
        name.replace("-", "\u2011"),
        name.replace("-", " "),
        name.replace(" ", "\u202f"),
        first + " " + last[:2] + "\u200b" + last[2:],
        unicodedata.normalize("NFD", f"{last}, {first}"),
        f"{first}.{last}".lower(),
        f"{first}_{last}",
        f"{last} {first}",
        f"{name.upper()}S",
        f"{first} {last}'s",
    ]
    if markup:
        forms += [
            _entities(name, rng),
            f"<b>{first}</b> {last}",
            f"{first} <span>{last[:3]}</span>{last[3:]}",
            f"<em>{name}</em>s",
            f"{first}&nbsp;{last}",
        ]
    return rng.choice(forms)


def _recent_timestamp(rng: random.Random, seconds: bool = False) -> str:
    t = date(2018, 1, 1) + timedelta(
        days=rng.randrange(0, (date.today() - date(2018, 1, 1)).days + 1)
    )
    hh, mm, ss = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    base = f"{t:%Y%m%d}-{hh:02d}{mm:02d}"
    return base + (f"{ss:02d}" if seconds else "")


def innocent_text(rng: random.Random) -> str:
    """Text that looks like personal data and is not."""
    c, d, n = random_pnr(rng)
    bad_luhn = n[:3] + str((int(n[3]) + rng.randrange(1, 10)) % 10)
    hh, mm = rng.randrange(6, 22), rng.choice([0, 15, 30, 45])
    y = rng.randrange(2010, 2026)
    forms = [
        _recent_timestamp(rng),
        _recent_timestamp(rng, seconds=True),
        f"reports/{_recent_timestamp(rng, seconds=True)}/index.html",
        f"run {_recent_timestamp(rng)}",
        f"{d}-{bad_luhn}",
        f"{c}{d}{bad_luhn}",
        f"{d[:2]}{rng.randrange(13, 20)}{d[4:]}-{n}",  # month 13-19
        f"{d[:4]}{rng.randrange(32, 60)}-{n}",  # day 32-59
        "logo@2x.png",
        f"icon@{rng.randrange(2, 4)}x.webp",
        f"{y}-{y + rng.randrange(1, 5)}: {rng.randrange(100, 5000)} brott",
        f"{hh:02d}.{mm:02d}\u2013{hh + 1:02d}.{mm:02d}",
        f"kl. {hh:02d}:{mm:02d}-{hh + 1:02d}:{mm:02d}",
        f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.{y}",
        f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{y}",
        f"{y}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        f"0.{rng.randrange(10**7, 10**9)}",
        f"p = 0.{rng.randrange(0, 10**4):04d}",
        f"sha-256 {rng.randrange(10**9, 10**10)}{rng.choice('abcdef')}3f9c",
        f"{rng.randrange(10**6, 10**7)} kr",
        f"{rng.randrange(1, 9)}\u202f{rng.randrange(100, 1000)}\u202f{rng.randrange(100, 1000)} invånare",
        f"orgnr 55{rng.randrange(60, 99)}{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}",
        f"postnummer 1{rng.randrange(10, 99)} {rng.randrange(10, 99)} Stockholm",
        f"RR 1.{rng.randrange(10, 99)} (95% CI 0.{rng.randrange(50, 99)}\u20131.{rng.randrange(10, 99)})",
        f"n = {rng.randrange(10**9, 10**10)}",
        f"session s{rng.randrange(1, 999):04d} at {hh:02d}:{mm:02d}",
        f"version {rng.randrange(0, 3)}.{rng.randrange(0, 30)}.{rng.randrange(0, 10)}",
        f"pkg@{rng.randrange(0, 3)}.{rng.randrange(0, 30)}.{rng.randrange(0, 10)}",
        "@dataclass",
        "Karin Lindgren",
        "Karina Lindqvistsson",
        "Erik Dahlberg",
        "Åsa Östberg",
        "Lars Nilssonska skolan",
        "Svensson, Anna",
        f"grupp {rng.randrange(1, 9)}, professionell",
        f"{y}{rng.randrange(1, 13):02d}-{y + 1}",
        f"ISBN 978-91-{rng.randrange(10, 99)}-{rng.randrange(10000, 99999)}-{rng.randrange(0, 9)}",
        f"doi:10.{rng.randrange(1000, 9999)}/{rng.randrange(10**6, 10**7)}",
        f"#{rng.randrange(0, 16**6):06x}",
        f"{rng.randrange(100, 999)} {rng.randrange(100, 999)} {rng.randrange(100, 999)}",
        "Ring 114 14 eller 112",
        f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d} {y}",
        _recent_timestamp(rng).replace("-", " "),
        _recent_timestamp(rng).replace("-", ""),
        f"{hh:02d}.{mm:02d} - {hh + 1:02d}.{mm:02d}",
        "1177 Vårdguiden",
        f"epoch {rng.randrange(1_690_000_000, 1_760_000_000)}",
        f"{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
        f"Dnr KS {y}/{rng.randrange(1000, 9999)}",
        f"SFS {y}:{rng.randrange(100, 999)}",
        f"meet at school at {hh:02d}",
        "user@localhost",
        "a @ b.shape",
        "Lindqvist",
        "Karin",
        "Nilsson-Ehle",
        "lat 59.3326, lon 18.0649",
        f"{rng.randrange(0, 99):02d} {rng.randrange(0, 99):02d} {rng.randrange(0, 99):02d} {rng.randrange(0, 99):02d}",
        f"Zon {rng.randrange(1, 9)}: {rng.randrange(0, 80)} flickor per timme (KI {rng.randrange(0, 10)}\u2013{rng.randrange(10, 40)})",
    ]
    return rng.choice(forms)


FILLER = (
    "Under perioden {y1}–{y2} observerades {n} flickor 13–18 år på Plattan, "
    "i genomsnitt {m},{d} per timme (95 % KI {lo}–{hi}). Observation s0{s} kl. 14:00–14:45, "
    "{date}. Koden 'trygghet' användes i {k} av {t} yttranden (kappa 0,{kk}). "
)


def filler(rng: random.Random) -> str:
    y1 = rng.randrange(2015, 2022)
    return FILLER.format(
        y1=y1,
        y2=y1 + rng.randrange(1, 4),
        n=rng.randrange(10, 3000),
        m=rng.randrange(0, 50),
        d=rng.randrange(0, 10),
        lo=rng.randrange(0, 10),
        hi=rng.randrange(10, 60),
        s=rng.randrange(100, 999),
        date=f"{y1}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        k=rng.randrange(1, 50),
        t=rng.randrange(50, 500),
        kk=rng.randrange(10, 99),
    )


# ----------------------------------------------------------------------------- carriers
def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + kind
        + body
        + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def png_with_text(text: str, rng: random.Random) -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    how = rng.choice(["tEXt", "zTXt", "iTXt", "iTXt-z"])
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:  # tEXt and zTXt are Latin-1 by definition
        how = rng.choice(["iTXt", "iTXt-z"])
    key = rng.choice([b"Comment", b"Description", b"Author"])
    if how == "tEXt":
        chunk = _png_chunk(b"tEXt", key + b"\0" + text.encode("latin-1", "replace"))
    elif how == "zTXt":
        chunk = _png_chunk(
            b"zTXt", key + b"\0\0" + zlib.compress(text.encode("latin-1", "replace"))
        )
    elif how == "iTXt":
        chunk = _png_chunk(b"iTXt", key + b"\0\0\0sv\0\0" + text.encode("utf-8"))
    else:
        chunk = _png_chunk(b"iTXt", key + b"\0\1\0sv\0\0" + zlib.compress(text.encode("utf-8")))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"tEXt", b"Software\0Matplotlib version3.9.0, https://matplotlib.org/")
        + chunk
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _notebook(payload: str, where: str, pad: str) -> dict:
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "papermill": {"parameters": {"seed": 20240601, "data_dir": "data/example"}},
        },
        "cells": [
            {"cell_type": "markdown", "id": "08153556", "metadata": {}, "source": [pad]},
            {
                "cell_type": "code",
                "id": "a1b2c3d4",
                "execution_count": 3,
                "metadata": {"tags": ["report-hide"]},
                "source": ["pretty(table)\n"],
                "outputs": [{"output_type": "stream", "name": "stdout", "text": [pad + "\n"]}],
            },
        ],
    }
    code = nb["cells"][1]
    if where == "stream":
        code["outputs"].append(
            {"output_type": "stream", "name": "stdout", "text": [pad + "\n", payload + "\n"]}
        )
    elif where == "html":
        code["outputs"].append(
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {
                    "text/html": [f"<table><tr><td>{pad}</td><td>{payload}</td></tr></table>"],
                    "text/plain": ["<Table>"],
                },
            }
        )
    elif where == "markdown":
        nb["cells"][0]["source"] = [pad + "\n", f"> {payload}\n"]
    elif where == "traceback":
        code["outputs"].append(
            {
                "output_type": "error",
                "ename": "ValueError",
                "evalue": "bad row",
                "traceback": ["\x1b[0;31mValueError\x1b[0m: ", f"\x1b[0;32m{payload}\x1b[0m row 3"],
            }
        )
    elif where == "tags":
        code["metadata"]["tags"].append(payload)
    elif where == "parameters":
        nb["metadata"]["papermill"]["parameters"]["contact"] = payload
    elif where == "png":
        code["outputs"].append(
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {
                    "image/png": base64.b64encode(
                        png_with_text(payload, random.Random(len(payload)))
                    ).decode()
                },
            }
        )
    return nb


def _xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Item:
    name: str
    content: bytes
    planted: str | None  # the rule that must fire, or None for an innocent file
    text: str


def carriers(rng: random.Random, payload: str, pad: str) -> tuple[str, bytes]:
    """(file name, bytes) holding ``payload`` in one of the run's file types."""
    kind = rng.choice(
        [
            "html",
            "html-attr",
            "ipynb",
            "json",
            "svg",
            "png",
            "csv",
            "txt",
            "md",
            "zip",
            "html-datauri",
        ]
    )
    if kind == "html":
        return (
            "page.html",
            f"<html><body><p>{pad}</p><table><tr><td>{payload}</td></tr></table></body></html>".encode(),
        )
    if kind == "html-attr":
        return (
            "page.html",
            f'<html><body><p>{pad}</p><img alt="{payload}" src="data:image/png;base64,iVBORw0KGgo="></body></html>'.encode(),
        )
    if kind == "html-datauri":
        png = base64.b64encode(png_with_text(payload, rng)).decode()
        return (
            "figure.html",
            f'<html><body><p>{pad}</p><img src="data:image/png;base64,{png}"></body></html>'.encode(),
        )
    if kind == "ipynb":
        where = rng.choice(["stream", "html", "markdown", "traceback", "tags", "parameters", "png"])
        return f"nb-{where}.ipynb", json.dumps(
            _notebook(payload, where, pad), ensure_ascii=rng.random() < 0.5
        ).encode()
    if kind == "json":
        s = json.dumps({"summary": [pad, {"quote": payload}], "n": 12}, ensure_ascii=True)
        s = s.replace("@", "\\u0040").replace("-", "\\u002d") if rng.random() < 0.5 else s
        return "results.json", s.encode()
    if kind == "svg":
        esc = _xml(payload)
        where = rng.choice(["text", "title", "tspan", "meta"])
        inner = {
            "text": f'<text x="10" y="20">{esc}</text>',
            "title": f"<title>{esc}</title>",
            "tspan": f'<text x="1" y="2"><tspan>{_xml(payload[: len(payload) // 2])}</tspan><tspan>{_xml(payload[len(payload) // 2 :])}</tspan></text>',
            "meta": f"<metadata><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description>{esc}</rdf:Description></rdf:RDF></metadata>",
        }[where]
        svg = (
            '<?xml version="1.0" encoding="utf-8"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
            f'<path d="M 070.123 45.67 L 08.153556 0701234567"/><text x="1" y="1">{pad}</text>{inner}</svg>'
        )
        return "figure.svg", svg.encode()
    if kind == "png":
        return "figure.png", png_with_text(payload, rng)
    if kind == "csv":
        quoted = '"' + payload.replace('"', '""') + '"'
        return (
            "table.csv",
            f"zone,count,note\nplattan,12,{pad[:20]}\ntrapporna,7,{quoted}\n".encode(),
        )
    if kind == "txt":
        return "log.txt", f"{pad}\n{payload}\n{pad}\n".encode()
    if kind == "md":
        return "notes.md", f"# Anteckningar\n\n{pad}\n\n> {payload}\n".encode()
    # zip with one member of some type
    member_name, member = carriers(rng, payload, pad)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", pad)
        z.writestr(f"export/{member_name}", member)
    return "export.zip", buf.getvalue()


def corpus(seed: int, n_plants: int, n_innocent: int) -> list[Item]:
    rng = random.Random(seed)
    items = []
    makers = [
        ("personnummer", pnr_text),
        ("phone", phone_text),
        ("email", email_text),
        ("identifier", None),
    ]
    for k in range(n_plants):
        rule, make = makers[k % len(makers)]
        pad = filler(rng)
        text = name_text(rng, markup=True) if make is None else make(rng)
        name, content = carriers(rng, text, pad)
        items.append(Item(f"plant{k:04d}-{name}", content, rule, text))
    for k in range(n_innocent):
        text = innocent_text(rng)
        name, content = carriers(rng, text, filler(rng))
        items.append(Item(f"innocent{k:04d}-{name}", content, None, text))
    return items
