"""02's analysis: the quotes the notebook shows are attributed by the min_quote_group rule."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.analyses.focus import analyse_focus_groups
from evaluation.coding.analysis import theme_quotes


def _fits(people: pd.DataFrame, r) -> int:
    """How many participants of participants.csv fit a quote's published label."""
    fits = people
    if r.role is not None:
        fits = fits[fits["role"] == r.role]
    if r.group is not None:
        fits = fits[fits["group"] == r.group]
    return len(fits)


@pytest.mark.parametrize("k", [3, 5])
def test_analyse_focus_groups_quotes_follow_min_quote_group(example_ds, k):
    fg = analyse_focus_groups(example_ds, quotes_per_theme=2, min_quote_group=k)
    people = example_ds.focus_groups["participants"]
    # the notebook shows fg.quotes: the same quotes as theme_quotes with the same rule
    expected = theme_quotes(example_ds.focus_groups, example_ds.codebook, n=2, min_quote_group=k)
    assert list(fg.quotes) == list(expected)
    for theme, q in fg.quotes.items():
        pd.testing.assert_frame_equal(q, expected[theme])
        for r in q.itertuples():
            assert _fits(people, r) >= k, (theme, r)
    assert sum(len(q) for q in fg.quotes.values()) > 0


def test_a_stricter_rule_coarsens_some_label(example_ds):
    """Can fail: with a rule wider than any role of one group, some label must lose its role."""
    loose = analyse_focus_groups(example_ds, min_quote_group=1).quotes
    strict = analyse_focus_groups(example_ds, min_quote_group=5).quotes
    assert all(q["level"].eq("role_group").all() for q in loose.values() if len(q))
    assert any((q["level"] != "role_group").any() for q in strict.values() if len(q))
