"""The printable report: evaluation run --pdf and evaluation pdf RUN_DIR write report.pdf."""

import json
import re
import subprocess
import sys

import pytest

from evaluation.chromium import find_chromium
from evaluation.pdf import sections

from .conftest import ROOT


def _page(title: str) -> str:
    return f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1></main></body></html>"


def test_sections_in_print_order_with_front_and_back_pages(tmp_path):
    manifest = {
        "notebooks": [
            {"name": "01_b", "html": "01_b.html"},
            {"name": "00_a", "html": "00_a.html"},
            {"name": "02_failed", "status": "failed"},  # no page: left out
            {"name": "06_methods_appendix", "html": "06_methods_appendix.html"},
            {"name": "05_committee_summary", "html": "05_committee_summary.html"},
        ]
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    for name, title in [
        ("index", "Start"),
        ("00_a", "A"),
        ("01_b", "B"),
        ("05_committee_summary", "Sammanfattning"),
        ("06_methods_appendix", "Bilaga"),
    ]:
        (tmp_path / f"{name}.html").write_text(_page(title))
    secs = sections(tmp_path)
    assert [s.file.name for s in secs] == [
        "05_committee_summary.html",  # first, and only once
        "index.html",
        "01_b.html",  # the manifest's order
        "00_a.html",
        "06_methods_appendix.html",  # last, whatever the manifest's order
    ]
    assert [s.title for s in secs] == ["Sammanfattning", "Start", "B", "A", "Bilaga"]


def test_pdf_of_a_folder_that_is_no_run_is_a_clear_error(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "evaluation.cli", "pdf", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 1
    assert "not a run folder (no manifest.json)" in res.stderr
    assert "Traceback" not in res.stderr


@pytest.fixture(scope="module")
def pdf_run(example_report):
    pytest.importorskip("playwright", reason="pip install -e '.[dev]'")
    pytest.importorskip("pypdf", reason="pip install -e '.[dev]'")
    if find_chromium() is None:
        pytest.skip("Chromium is absent: install Debian's chromium (apt-get install chromium)")
    return example_report("sv")  # evaluation run --pdf (see conftest)


@pytest.mark.browser
def test_report_pdf_opens_with_text_page_numbers_and_contents(pdf_run):
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_run / "report.pdf"))
    n = len(reader.pages)
    texts = [re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages]
    assert n >= 10
    # page numbers on every page, running through the whole document
    for i, text in enumerate(texts, start=1):
        assert f"{i} / {n}" in text, i
    # the table of contents on page 1: every section with the page it starts on
    secs = sections(pdf_run)
    names = [s.file.name for s in secs]
    # the committee summary first, the methods appendix last (issue 18 items 5 and 6)
    assert names[:3] == ["05_committee_summary.html", "index.html", "00_data_quality.html"]
    assert names[-1] == "06_methods_appendix.html" and len(names) == len(set(names))
    assert "Innehåll" in texts[0]
    starts = []
    for s in secs:
        m = re.search(re.escape(s.title) + r" (\d+)", texts[0])
        assert m, (s.title, texts[0])
        starts.append(int(m.group(1)))
    # one page per section start: increasing, and the section's title opens its first page
    assert starts == sorted(starts) and len(set(starts)) == len(starts) and starts[0] == 2
    for s, p in zip(secs, starts, strict=True):
        assert s.title in texts[p - 1][: 200 + len(s.title)], (s.title, p)
    # selectable text: the figures' captions and the tables are text, not pictures
    assert any(re.search(r"Figur \d+\.1\. ", t) for t in texts)  # numbered across the report
    # tagged PDF with the headings as outline (bookmarks)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    # (compared without white space: Chromium's outline drops the space where a long
    # title wraps, "stadsdelsnämnden –Norrtorget")
    assert [re.sub(r"\s+", "", o.title) for o in reader.outline if not isinstance(o, list)][1:] == [
        re.sub(r"\s+", "", s.title) for s in secs
    ]
    # the index page links the PDF
    index = (pdf_run / "index.html").read_text(encoding="utf-8")
    assert '<a href="report.pdf">Utskriftsversion (PDF)</a>' in index
