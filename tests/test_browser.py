"""The rendered report in a real browser: every page of a full run, offline."""

import subprocess
import sys

import pytest

from evaluation.chromium import find_chromium

from .conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("full") / "run"
    res = subprocess.run(
        [sys.executable, "-m", "evaluation.cli", "run", "--no-cache", "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    return out


def test_full_run_is_releasable(full_run):
    import json

    m = json.loads((full_run / "manifest.json").read_text())
    assert [n["status"] for n in m["notebooks"]] == ["ok"] * 7  # 00-06
    assert m["release"]["releasable"] is True, m["release"]["leaks"]


def test_every_page_in_headless_chromium(full_run):
    pytest.importorskip(
        "playwright", reason="playwright is not installed (pip install -e '.[dev]')"
    )
    if find_chromium() is None:
        pytest.skip(
            "Chromium is absent: install Debian's chromium (apt-get install chromium); .ci/run does"
        )
    from .browser_check import check_pages

    t = check_pages(full_run)
    assert sorted(t["page"]) == [
        "00_data_quality.html",
        "01_site_observations.html",
        "02_focus_groups.html",
        "03_crime_and_safety.html",
        "04_synthesis.html",
        "05_committee_summary.html",
        "06_methods_appendix.html",
        "index.html",
    ]
    bad = t[~t["ok"]]
    assert bad.empty, bad.to_dict("records")
    # the analysis notebooks draw figures, and every one loads (the committee summary and the
    # methods appendix are text)
    drawn = t["page"].str.match(r"0[0-4]_")
    assert t.loc[drawn, "images"].min() >= 1
    assert all(
        (full_run / "screenshots" / f"{p[:-5]}.png").stat().st_size > 10_000 for p in t["page"]
    )
