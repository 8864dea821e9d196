"""The leak scan: every listed form in every file type, no false alarm on look-alikes,
errors instead of "0 leaks", and the release gate over the whole run folder."""

from __future__ import annotations

import base64
import io
import json
import random
import sys
import zipfile
import zlib

import pytest

from evaluation.leaks import Leak, ScanError, luhn_ok, release_check, scan_for_leaks, scan_text

from .conftest import cli
from .leak_corpus import REGISTER, carriers, corpus, luhn_digit, png_with_text


def _pnr() -> tuple[str, str]:
    first9 = "811218987"
    return first9[:6], first9[6:] + luhn_digit(first9)


D, N = _pnr()  # 811218 / 9876
assert luhn_ok(D + N)

# every form named in issue 13, and the usual ones
FORMS = {
    "personnummer": [
        f"{D}-{N}",
        f"{D}+{N}",
        f"19{D}{N}",
        f"19{D}-{N}",
        f"{D}{N}",
        f"{D} {N}",
        f"{D}\u2013{N}",
        f"{D} \u2013 {N}",
        f"{D}\u00a0{N}",
        f"Pnr.{D}-{N}",
        "".join(chr(0xFF10 + int(x)) if x.isdigit() else x for x in f"{D}-{N}"),  # fullwidth
    ],
    "phone": [
        "070-123 45 67",
        "08-123 456 78",
        "(08) 123 456 78",
        "+46 (0)70-123 45 67",
        "+46 70 123 45 67",
        "070.123 45 67",
        "070/123 45 67",
        "0701234567",
        "0046 8 123 456 78",
        "(+46) 70 123 45 67",
        "tel:+46701234567",
    ],
    "email": [
        "anna.b@example.se",
        "anna.b&#64;example.se",
        "anna.b&#x40;example.se",
        "mailto:anna.b%40example.se",
        "anna.b (at) example.se",
        "anna.b at example dot se",
    ],
    "identifier": [
        "Karin Lindqvist",
        "KARIN LINDQVIST",
        "Karin Lindqvists",
        "Lindqvist, Karin",
        "Karin\u00a0Lindqvist",
        "Karin  Lindqvist",
        "A\u030asa O\u0308berg",  # decomposed Unicode of Åsa Öberg
        "&#75;arin &#76;indqvist",
        "Karin <b>Lindqvist</b>",
        "Kar<span>in</span> Lindqvist",
        "Anna\u2011Karin Svensson",
        "Lindqvist Karin",
        "karin.lindqvist",
        "Karin_Lindqvist",
    ],
}
KINDS = [
    "html",
    "ipynb",
    "json",
    "svg",
    "png",
    "csv",
    "txt",
    "md",
    "zip",
    "html-datauri",
    "html-long",
]
LONG = "<p>Under perioden 2019–2023 anmäldes 1 200 brott; 95 % KI 0,8–1,3.</p>\n" * 400


def _file(kind: str, payload: str, seed: int = 0) -> tuple[str, bytes]:
    """``payload`` in a file of type ``kind`` (see tests/leak_corpus.py)."""
    rng = random.Random(seed)
    if kind == "html-long":  # a long page: the scan's shortcuts for long texts are exercised
        return "long.html", f"<html><body>{LONG}<td>{payload}</td>{LONG}</body></html>".encode()
    while True:  # the corpus picks the type at random: draw until it is the one asked for
        name, content = carriers(rng, payload, "Rapport om Plattan, 2019–2023: 1200 brott.")
        ext = {"html-datauri": "figure.html", "html": "page.html"}.get(kind, "." + kind)
        if name.endswith(ext):
            return name, content


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "rule,form", [(rule, form) for rule, forms in FORMS.items() for form in forms]
)
def test_every_form_in_every_file_type(tmp_path, kind, rule, form):
    name, content = _file(kind, form, seed=zlib.crc32(f"{kind}{form}".encode()) % 1000)
    f = tmp_path / name
    f.write_bytes(content)
    leaks = scan_for_leaks(f, REGISTER)
    assert rule in {lk.rule for lk in leaks}, (kind, form, leaks)
    for lk in leaks:
        assert lk.reason and lk.rule and lk.location, lk
        assert "Lindqvist" not in str(lk) and N not in str(lk)


def test_recall_and_false_alarms_on_a_planted_corpus(tmp_path):
    """Recall >= 95 % and false alarms <= 1 % over 2000 generated files.

    Targets of issue 13 (outside validation uses its own hidden set of the same
    kind). The corpus (tests/leak_corpus.py) is built from the definitions of
    the forms, independently of the scanner's patterns.
    """
    items = corpus(seed=20240601, n_plants=1000, n_innocent=1000)
    found = alarms = 0
    misses, false = [], []
    for k, it in enumerate(items):
        f = tmp_path / f"{k}-{it.name}"
        f.write_bytes(it.content)
        rules = {lk.rule for lk in scan_for_leaks(f, REGISTER)}
        if it.planted:
            ok = it.planted in rules or (
                it.planted == "personnummer" and "samordningsnummer" in rules
            )
            found += ok
            if not ok:
                misses.append((it.name, it.text))
        elif rules:
            alarms += 1
            false.append((it.name, it.text, rules))
    n_plants = sum(1 for it in items if it.planted)
    recall = found / n_plants
    false_rate = alarms / (len(items) - n_plants)
    print(f"leak scan: recall {recall:.3f}, false alarms {false_rate:.3f}")
    assert recall >= 0.95, misses[:20]
    assert false_rate <= 0.01, false[:20]


@pytest.mark.parametrize(
    "text",
    [
        "2019-2023: 1200 crimes",
        f"{D}-{N[:3]}{(int(N[3]) + 1) % 10}",  # wrong check digit
        f"19{D}-{N[:3]}{(int(N[3]) + 1) % 10}",
        "811231-0000" if not luhn_ok("8112310000") else "811232-0000",
        "19810230-1234",  # 30 February
        "period 2016-01 to 2023-12",
        "count 2022 1234",
        "n = 1234567890",
        "rate 0.123456",
        "0.12345678",
        "201912-2023",
        "session s0001 at 14:00-14:45",
        "kl. 08.15–09.45",
        "05.06.2019",
        "2019-06-01,2019-09-30,pilot",
        "sha-256 0701234567ab3f9c…",
        "sha-256 08123456e1…",
        "logo@2x.png",
        "icon@3x.webp",
        "pkg@1.2.3",
        "SE45 5000 0000 0583 9825 7466",
        "orgnr 556677-8899",
        "01 02 03 04 05",
        "Karin Lindgren och Erik Dahlberg",
        "Lars Nilssonska skolan",
    ],
)
def test_not_flagged(tmp_path, text):
    (tmp_path / "a.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    assert scan_for_leaks(tmp_path, REGISTER) == []


@pytest.mark.parametrize("hhmm", [f"{h:02d}{m:02d}" for h in range(24) for m in (0, 7, 30, 59)])
def test_toolkit_timestamps_are_not_personnummer(hhmm):
    # run folders are reports/YYYYMMDD-HHMMSS; file stamps YYYYMMDD-HHMM: one in ten passed Luhn
    for day in ("20240101", "20250615", "20231130"):
        assert scan_text(f"reports/{day}-{hhmm}/index.html run {day}-{hhmm}") == []
        assert scan_text(f"{day}-{hhmm}") == []


def test_personnummer_of_a_girl_is_still_found():
    # born 2009: a participant of 13-18, written like a time stamp
    first9 = "091218123"
    assert [lk.rule for lk in scan_text(f"20{first9[:6]}-{first9[6:]}{luhn_digit(first9)}")] == [
        "personnummer"
    ]


def test_finding_says_which_rule_and_why_never_the_text(tmp_path):
    (tmp_path / "a.md").write_text(
        f"Rad ett\nHon heter Karin Lindqvist, {D}-{N}\n", encoding="utf-8"
    )
    reg = tmp_path / "reg.txt"
    reg.write_text("# register\nJohan Berggren\nKarin Lindqvist\n", encoding="utf-8")
    leaks = scan_for_leaks(tmp_path / "a.md", reg)
    by_rule = {lk.rule: lk for lk in leaks}
    assert set(by_rule) == {"identifier", "personnummer"}
    assert by_rule["identifier"].location == "line 2"
    assert by_rule["identifier"].hint == "register reg.txt line 3"
    assert (
        "Luhn" in by_rule["personnummer"].reason
        and "real calendar date" in by_rule["personnummer"].reason
    )
    assert all(isinstance(lk, Leak) for lk in leaks)
    assert not any("Lindqvist" in str(lk) or D in str(lk) for lk in leaks)


def test_notebook_every_field(tmp_path):
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"papermill": {"parameters": {"contact": "070-123 45 67"}}},
        "cells": [
            {
                "cell_type": "code",
                "id": "08153556",  # random cell id, not a phone number
                "execution_count": 1,
                "metadata": {"tags": ["report-hide", "Karin Lindqvist"]},
                "source": ["x = 1\n"],
                "outputs": [
                    {
                        "output_type": "error",
                        "ename": "KeyError",
                        "evalue": "x",
                        "traceback": ["\x1b[0;31mKeyError\x1b[0m", f"\x1b[1m{D}-{N}\x1b[0m"],
                    },
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {
                            "image/png": base64.b64encode(
                                png_with_text("anna@example.se", random.Random(0))
                            ).decode()
                        },
                    },
                ],
            }
        ],
    }
    (tmp_path / "n.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    leaks = scan_for_leaks(tmp_path, REGISTER)
    where = {lk.rule: lk.location for lk in leaks}
    assert set(where) == {"phone", "identifier", "personnummer", "email"}, leaks
    assert where["phone"].startswith("metadata.papermill.parameters")
    assert where["identifier"].startswith("cell 0 metadata.tags")
    assert "traceback" in where["personnummer"]
    assert "image/png" in where["email"] and "PNG" in where["email"]


def test_file_names_are_scanned(tmp_path):
    (tmp_path / "intervju_Karin_Lindqvist.txt").write_text("inget här", encoding="utf-8")
    assert [lk.location for lk in scan_for_leaks(tmp_path, ["Karin Lindqvist"])] == ["file name"]


# --------------------------------------------------------------------------- errors
def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(ScanError, match="no such file"):
        scan_for_leaks(tmp_path / "nope")


@pytest.mark.parametrize(
    "content,match",
    [
        (b"{not json", "not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x10tEXt", "PNG"),
    ],
)
def test_unparseable_file_is_an_error(tmp_path, content, match):
    name = "r.json" if content.startswith(b"{") else "f.png"
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ScanError, match=match):
        scan_for_leaks(tmp_path)


def test_bad_zip_svg_and_unknown_binary_are_errors(tmp_path):
    for name, content, match in [
        ("a.zip", b"PK\x03\x04garbage", "zip"),
        ("a.svg", b"<svg><text>unclosed", "SVG"),
        ("a.bin", b"\x00\x01\x02\x03binary", "binary"),
    ]:
        d = tmp_path / name.replace(".", "_")
        d.mkdir()
        (d / name).write_bytes(content)
        with pytest.raises(ScanError, match=match):
            scan_for_leaks(d)


def test_register_errors(tmp_path):
    with pytest.raises(ScanError, match="no such file"):
        scan_for_leaks(tmp_path, tmp_path / "missing.txt")
    latin = tmp_path / "reg.txt"
    latin.write_bytes("Karin Lindqvist\nÅsa Öberg\n".encode("latin-1"))
    with pytest.raises(ScanError, match=r"line 2: .*not UTF-8"):
        scan_for_leaks(tmp_path, latin)


def test_cli_scan_exit_codes(tmp_path):
    clean, dirty = tmp_path / "clean", tmp_path / "dirty"
    clean.mkdir()
    dirty.mkdir()
    (clean / "a.html").write_text("<p>2019-2023: 1200</p>", encoding="utf-8")
    (dirty / "a.html").write_text(f"<p>{D}\u2013{N}</p>", encoding="utf-8")
    reg = tmp_path / "reg.txt"
    reg.write_bytes("Åsa Öberg\n".encode("latin-1"))
    r = cli("scan", str(clean))
    assert r.returncode == 0 and "0 possible leak" in r.stdout, r.stdout + r.stderr
    r = cli("scan", str(dirty))
    assert r.returncode == 1 and "personnummer" in r.stdout and N not in r.stdout
    r = cli("scan", str(tmp_path / "no" / "such" / "dir"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    r = cli("scan", str(clean), "--identifiers", str(reg))
    assert r.returncode == 2 and "UTF-8" in r.stderr and "Traceback" not in r.stderr
    r = cli("scan", str(clean), "--identifiers", str(tmp_path / "none.txt"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


# --------------------------------------------------------------------------- release gate
def test_release_check_scans_everything_and_fails_closed(tmp_path):
    from evaluation.report import pages_to_be_written

    run = tmp_path / "run"
    (run / "results").mkdir(parents=True)
    (run / "results" / "x.json").write_text(json.dumps({"note": "ok"}), encoding="utf-8")
    (run / "screenshots").mkdir()
    (run / "screenshots" / "p.png").write_bytes(png_with_text("fine", random.Random(1)))
    manifest = {"run_id": "20240601-101500", "notebooks": [], "parameters": {"seed": 1}}
    rel = release_check(run, None, pages=pages_to_be_written(run, manifest))
    assert rel["releasable"] is True, rel
    assert "index.html" in rel["scanned"] and "manifest.json" in rel["scanned"]

    # a leak in a parameter reaches manifest.json and index.html, which do not exist yet
    manifest["parameters"]["contact"] = "070-123 45 67"
    pages = pages_to_be_written(run, manifest)
    assert not (run / "index.html").exists() and not (run / "manifest.json").exists()
    rel = release_check(run, None, pages=pages)
    assert rel["releasable"] is False
    assert {lk["file"] for lk in rel["leaks"]} >= {"manifest.json", "index.html"}
    # the manifest alone (no pages): manifest.json as it will be written is still scanned
    rel = release_check(run, None, manifest=manifest)
    assert rel["releasable"] is False
    assert {lk["file"] for lk in rel["leaks"]} == {"manifest.json"}

    # a screenshot's text chunk
    del manifest["parameters"]["contact"]
    pages = pages_to_be_written(run, manifest)
    (run / "screenshots" / "p.png").write_bytes(png_with_text(f"{D}-{N}", random.Random(1)))
    rel = release_check(run, None, pages=pages)
    assert [lk["file"] for lk in rel["leaks"]] == ["screenshots/p.png"]

    # something that cannot be read: not releasable, and counted as a finding
    (run / "screenshots" / "p.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    rel = release_check(run, None, pages=pages)
    assert rel["releasable"] is False and rel["errors"]
    assert rel["leaks"][0]["rule"] == "scan-error"

    # a register that cannot be read
    (run / "screenshots" / "p.png").unlink()
    data = tmp_path / "data"
    data.mkdir()
    (data / "identifiers.txt").write_bytes("Åsa Öberg\n".encode("latin-1"))
    rel = release_check(run, data, pages=pages)
    assert rel["releasable"] is False and "UTF-8" in rel["errors"][0]


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF (written by hand, valid xref) whose page shows ``text``.

    The text is a hex string in the content stream, so only a reader that
    extracts the page text (pypdf) sees it, not a look at the raw bytes.
    """
    content = b"BT /F1 12 Tf 20 100 Td <" + text.encode("latin-1").hex().encode() + b"> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def test_tar_and_pdf_are_read(tmp_path):
    import tarfile

    pytest.importorskip("pypdf", reason="pip install -e '.[dev]'")
    (tmp_path / "r.pdf").write_bytes(pdf_with_text("Intervju med Karin Lindqvist"))
    member = tmp_path / "m.txt"
    member.write_text(f"{D}-{N}", encoding="utf-8")
    with tarfile.open(tmp_path / "a.tar", "w") as tf:
        tf.add(member, arcname="inner/m.txt")
    member.unlink()
    found = {
        (lk.file.split(str(tmp_path))[-1], lk.rule) for lk in scan_for_leaks(tmp_path, REGISTER)
    }
    assert found == {("/r.pdf", "identifier"), ("/a.tar!inner/m.txt", "personnummer")}, found


def test_report_pdf_text_is_scanned(tmp_path):
    """report.pdf (evaluation run --pdf): the page text, which the raw bytes do not show."""
    pypdf = pytest.importorskip("pypdf", reason="pip install -e '.[dev]'")
    data = pdf_with_text(f"Karin Lindqvist, {D}-{N}, 070-123 45 67")
    assert b"Lindqvist" not in data and D.encode() not in data  # only the page text has them
    assert "Lindqvist" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    (tmp_path / "report.pdf").write_bytes(data)
    leaks = scan_for_leaks(tmp_path, REGISTER)
    assert {(lk.location, lk.rule) for lk in leaks} == {
        ("page 1", "identifier"),
        ("page 1", "personnummer"),
        ("page 1", "phone"),
    }, leaks
    assert not any("Lindqvist" in str(lk) or N in str(lk) for lk in leaks)
    # the same PDF, clean: no finding
    (tmp_path / "report.pdf").write_bytes(pdf_with_text("Under 2019-2023: 1200 brott"))
    assert scan_for_leaks(tmp_path, REGISTER) == []


def test_release_check_reads_report_pdf_and_fails_closed_without_pypdf(tmp_path, monkeypatch):
    pytest.importorskip("pypdf", reason="pip install -e '.[dev]'")
    run = tmp_path / "run"
    run.mkdir()
    (run / "report.pdf").write_bytes(pdf_with_text(f"pnr {D}-{N}"))
    rel = release_check(run)
    assert rel["releasable"] is False
    assert [(lk["file"], lk["location"], lk["rule"]) for lk in rel["leaks"]] == [
        ("report.pdf", "page 1", "personnummer")
    ]
    # without pypdf a PDF cannot be looked into: an error that says how to install it
    (run / "report.pdf").write_bytes(pdf_with_text("nothing here"))
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf now raises ImportError
    with pytest.raises(ScanError, match=r"report\.pdf: .*pypdf.*pip install"):
        scan_for_leaks(run)
    rel = release_check(run)
    assert rel["releasable"] is False and "pypdf" in rel["errors"][0]
    assert rel["leaks"][0]["rule"] == "scan-error"


def test_broken_pdf_is_an_error(tmp_path):
    pytest.importorskip("pypdf", reason="pip install -e '.[dev]'")
    (tmp_path / "r.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<</Length 3>>stream\nabc\nendstream")
    with pytest.raises(ScanError, match=r"r\.pdf: PDF cannot be read"):
        scan_for_leaks(tmp_path)


def test_zip_members_are_scanned_by_type(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a/readme.txt", "inget")
        z.writestr(
            "a/fig.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><title>Karin Lindqvist</title></svg>',
        )
    (tmp_path / "x.xlsx").write_bytes(buf.getvalue())
    leaks = scan_for_leaks(tmp_path, REGISTER)
    assert [(lk.file.split("!")[-1], lk.rule) for lk in leaks] == [("a/fig.svg", "identifier")]


def test_image_metadata_is_text_not_an_image(tmp_path):
    # regression: the report's figures carry their alt text in the output's metadata
    # ({"image/png": {"alt": ...}}); it was read as base64 PNG data and every run failed closed
    png = base64.b64encode(png_with_text("nothing here", random.Random(1))).decode()
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {
                "cell_type": "code",
                "id": "a",
                "execution_count": 1,
                "metadata": {},
                "source": ["fig\n"],
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {"image/png": {"alt": "Karin Lindqvist, 18 people"}},
                        "data": {"image/png": png},
                    }
                ],
            }
        ],
    }
    (tmp_path / "n.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    leaks = scan_for_leaks(tmp_path, REGISTER)
    assert [(lk.rule, "metadata.image/png.alt" in lk.location) for lk in leaks] == [
        ("identifier", True)
    ], leaks


def test_pdf_cross_reference_offsets_are_not_personnummer():
    # a Chromium report.pdf of 2 MB has xref entries like "0001013331 00000 n": 10-digit
    # byte offsets, 1 in 10 with a valid check digit; the release check of
    # `evaluation run --pdf` flagged 443 of them before the xref table was left out
    from evaluation.leaks.pdf import _raw_strings
    from evaluation.leaks.register import Register
    from evaluation.leaks.scanner import Scanner

    xref = b"xref\n0 3\n0000000000 65535 f \n8112189876 00000 n \n0000000015 00000 n \n"
    s = Scanner(Register.of([]))
    _raw_strings(s, "report.pdf", b"%PDF-1.7\n" + xref + b"trailer\n<< /Size 3 >>\n%%EOF\n")
    assert not s.leaks
    # the same digits as text of the file are still found
    s = Scanner(Register.of([]))
    _raw_strings(s, "report.pdf", b"%PDF-1.7\n(811218-9876) Tj\n")
    assert [lk.rule for lk in s.leaks] == ["personnummer"]
