"""Composed Markdown made inert keeps the toolkit's own name marker and nothing else."""

from __future__ import annotations

import pandas as pd

from evaluation.langcheck import problems
from evaluation.report import event_list
from evaluation.safehtml import inert_markdown

EVENTS = pd.DataFrame(
    {
        "name": ["Polisinsats Klara hösten 2022", "<img src=x onerror=alert(1)>"],
        "start": pd.to_datetime(["2022-09-05", "2019-03-01"]),
        "end": pd.to_datetime(["2022-11-30", "2025-12-31"]),
    }
)


def test_event_names_stay_marked_as_names_through_safe_markdown():
    """03 shows event_list through safe_markdown: the marker must survive, as markup."""
    md = inert_markdown(event_list(EVENTS, "en"))
    assert '<span translate="no">Polisinsats Klara hösten 2022</span>: 5 September 2022' in md
    assert "&lt;span" not in md  # not shown as text on the page
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    # the language check skips the names: a Swedish event name in an English report is fine
    page = '<html lang="en"><ul>' + "".join(f"<li>{line[2:]}</li>" for line in md.splitlines())
    assert problems(page + "</ul></html>", "en") == []


def test_only_the_exact_marker_is_kept():
    for hostile in (
        '<span translate="no" onclick="alert(1)">x</span>',
        '<span style="background:url(http://x)">x</span>',
        "<script>alert(1)</script>",
    ):
        out = inert_markdown(hostile)
        assert "<span " not in out and "<script" not in out, out
