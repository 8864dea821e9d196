"""No active content: script and tracking payloads planted in a codebook and the transcripts
of a copied data folder reach the reader as text, run nothing and fetch nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from evaluation.chromium import find_chromium
from evaluation.safehtml import CSP, CSP_META, escape, markdown_quote

from .conftest import EXAMPLE, ROOT
from .hostile_data import PAYLOADS, make_hostile_copy


def test_escape_is_inert_in_html_and_markdown():
    import mistune  # nbconvert's Markdown renderer, raw HTML allowed as in nbconvert

    md = mistune.create_markdown(escape=False, plugins=["strikethrough", "table", "url"])
    for p in PAYLOADS:
        out = md(markdown_quote(p, f"polis, {p}"))
        assert "<script" not in out and "<img" not in out and "<a " not in out and "<svg" not in out
        assert "<iframe" not in out and "<style" not in out and "<object" not in out
    assert escape(None) == "" and escape(float("nan")) == "" and escape(12) == "12"


def test_template_and_index_carry_the_policy(tmp_path):
    from evaluation.report import TEMPLATES, write_index

    assert CSP_META in (TEMPLATES / "sergel" / "index.html.j2").read_text(encoding="utf-8")
    page = write_index(tmp_path, {"parameters": {"x": "<script>alert(1)</script>"}}).read_text()
    head = page.split("</head>")[0]
    assert CSP_META in head and head.index(CSP_META) < head.index("<style>")
    assert "script-src 'none'" in CSP and "img-src data:" in CSP and "default-src 'none'" in CSP


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    data, codebook = make_hostile_copy(
        EXAMPLE, ROOT / "codebooks" / "focus_groups.yaml", base / "data"
    )
    out = base / "run"
    res = subprocess.run(
        [sys.executable, "-m", "evaluation.cli", "run", "--no-cache", "--data", str(data),
         "-p", f"codebook={codebook}", "--output", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
    return out


@pytest.fixture(scope="module")
def pages(hostile_run):
    pytest.importorskip(
        "playwright", reason="playwright is not installed (pip install -e '.[dev]')"
    )
    if find_chromium() is None:
        pytest.skip("Chromium is absent: install Debian's chromium (apt-get install chromium)")
    from .browser_check import check_pages

    return check_pages(hostile_run, with_text=True, screenshots=False)


@pytest.mark.browser
def test_no_script_runs_on_any_page(pages):
    # every notebook's page and the index
    assert len(pages) == len(list((ROOT / "notebooks").glob("0*.ipynb"))) + 1, list(pages["page"])
    assert pages["dialogs"].sum() == 0, pages[["page", "details"]].to_dict("records")
    assert pages["csp"].all(), pages[["page", "csp"]].to_dict("records")


@pytest.mark.browser
def test_payloads_are_shown_as_text_in_tables_and_quotes(pages):
    text = pages.set_index("page").loc["02_focus_groups.html", "text"]
    missing = [p for p in PAYLOADS if p not in text]
    assert not missing, missing


@pytest.mark.browser
def test_nothing_is_even_requested_from_outside_on_any_page(pages):
    bad = pages[~pages["ok"]]
    assert bad.empty, bad[["page", "details"]].to_dict("records")
