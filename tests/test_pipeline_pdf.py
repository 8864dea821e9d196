"""report.pdf and the release check (issue 18 item 7): the PDF is printed before the
release check, so that the check covers it, and the manifest lists it; `evaluation pdf
RUN_DIR` on a finished run checks the run again and updates its manifest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.pipeline import add_pdf, finish_run, start_manifest

from .conftest import ROOT


def _run_folder(tmp_path: Path) -> tuple[Path, dict]:
    """A finished run of no notebook on the example data (an index page, a manifest)."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    m = start_manifest(run_dir, {"data_dir": str(ROOT / "data" / "example")}, ROOT)
    m.update(only=None, complete=True, jobs=1, kernels="none started")
    return run_dir, m


@pytest.fixture
def fake_printing(monkeypatch):
    """write_pdf replaced by a stub that writes a PDF-like file from the index page, and
    release_check by one that records which files the run folder held when it ran."""
    seen: list[list[str]] = []

    def write_pdf(run_dir, executable=None, out=None):
        run_dir = Path(run_dir)
        assert (run_dir / "manifest.json").is_file(), "the manifest is written before printing"
        page = (run_dir / "index.html").read_text(encoding="utf-8")
        out = run_dir / "report.pdf"
        out.write_bytes(b"%PDF-1.7 stub of " + page[:40].encode())
        return out

    def release_check(run_dir, data_dir=None, manifest=None, **kwargs):
        seen.append(sorted(p.name for p in Path(run_dir).iterdir()))
        return {"releasable": True, "leaks": [], "errors": []}

    monkeypatch.setattr("evaluation.pdf.write_pdf", write_pdf)
    monkeypatch.setattr("evaluation.leaks.release_check", release_check)
    return seen


def test_run_pdf_is_printed_before_the_release_check_and_listed(tmp_path, fake_printing):
    run_dir, m = _run_folder(tmp_path)
    outcome = finish_run(run_dir, m, pdf=True)
    assert outcome.printed and outcome.path == run_dir / "report.pdf"
    # the release check ran once, with report.pdf already in the run folder
    assert fake_printing == [["index.html", "manifest.json", "report.pdf"]]
    written = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert written["pdf"]["path"] == "report.pdf"
    assert written["pdf"]["bytes"] == (run_dir / "report.pdf").stat().st_size
    assert len(written["pdf"]["sha256"]) == 64
    assert written["release"]["releasable"] is True


def test_without_pdf_nothing_is_printed(tmp_path, fake_printing):
    run_dir, m = _run_folder(tmp_path)
    assert not finish_run(run_dir, m).printed
    assert fake_printing == [[]]  # before the manifest and index are written, as always
    assert "pdf" not in json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))


def test_a_pdf_that_cannot_be_printed_is_recorded_and_the_run_still_checked(tmp_path, monkeypatch):
    from evaluation.errors import EvaluationError

    def no_chromium(run_dir, executable=None, out=None):
        raise EvaluationError("the PDF needs Chromium: install Debian's chromium")

    monkeypatch.setattr("evaluation.pdf.write_pdf", no_chromium)
    run_dir, m = _run_folder(tmp_path)
    outcome = finish_run(run_dir, m, pdf=True)
    assert not outcome.printed and "needs Chromium" in str(outcome.error)
    written = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert written["pdf"] == {"path": None, "error": str(outcome.error)}
    assert "release" in written and written["status"] == "ok"


def test_pdf_of_a_finished_run_rechecks_it_and_updates_the_manifest(tmp_path, fake_printing):
    run_dir, m = _run_folder(tmp_path)
    finish_run(run_dir, m)  # a run made without --pdf
    before = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert "pdf" not in before
    path, release = add_pdf(run_dir)
    assert path == run_dir / "report.pdf" and release["releasable"] is True
    # checked again, this time with the PDF in the folder
    assert fake_printing[-1] == ["index.html", "manifest.json", "report.pdf"]
    after = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert after["pdf"]["path"] == "report.pdf"
    assert after["run_id"] == before["run_id"] and after["finished"] == before["finished"]


def test_a_leak_found_in_the_pdf_makes_the_run_not_releasable(tmp_path, monkeypatch):
    """What the check finds in report.pdf reaches the manifest and the index page."""

    def write_pdf(run_dir, executable=None, out=None):
        out = Path(run_dir) / "report.pdf"
        out.write_bytes(b"%PDF-1.7 Karin Lindqvist")
        return out

    def release_check(run_dir, data_dir=None, manifest=None, **kwargs):
        pdf = Path(run_dir) / "report.pdf"
        leaks = []
        if pdf.exists() and b"Karin Lindqvist" in pdf.read_bytes():
            leaks = [{"file": "report.pdf", "location": "page 1", "rule": "identifier"}]
        return {"releasable": not leaks, "leaks": leaks, "errors": []}

    monkeypatch.setattr("evaluation.pdf.write_pdf", write_pdf)
    monkeypatch.setattr("evaluation.leaks.release_check", release_check)
    run_dir, m = _run_folder(tmp_path)
    finish_run(run_dir, m, pdf=True)
    written = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert written["release"]["releasable"] is False
    assert written["release"]["leaks"][0]["file"] == "report.pdf"
    assert "notrelease" in (run_dir / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def chromium():
    pytest.importorskip("playwright", reason="pip install -e '.[dev]'")
    pytest.importorskip("pypdf", reason="pip install -e '.[dev]'")
    from evaluation.chromium import find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium is absent: install Debian's chromium (apt-get install chromium)")


@pytest.mark.browser
def test_real_pdf_is_listed_scanned_and_linked(tmp_path, chromium):
    from pypdf import PdfReader

    run_dir, m = _run_folder(tmp_path)
    outcome = finish_run(run_dir, m, pdf=True)
    assert outcome.printed, outcome.error
    written = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert written["pdf"]["path"] == "report.pdf"
    assert written["release"]["releasable"] is True, written["release"]
    assert PdfReader(str(run_dir / "report.pdf")).pages
    # the rewritten index still links the PDF
    assert 'href="report.pdf"' in (run_dir / "index.html").read_text(encoding="utf-8")

    # evaluation pdf RUN_DIR on the finished run: printed again, checked again
    res = subprocess.run(
        [sys.executable, "-m", "evaluation.cli", "pdf", str(run_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert f"pdf: {run_dir / 'report.pdf'}" in res.stdout
    assert "leak scan: nothing found (releasable)" in res.stdout
    again = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert again["pdf"]["path"] == "report.pdf" and again["release"]["releasable"] is True
    assert 'href="report.pdf"' in (run_dir / "index.html").read_text(encoding="utf-8")
