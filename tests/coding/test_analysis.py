"""Coded-segment analysis on a small hand-made corpus."""

import pandas as pd
import pytest

from evaluation.coding import (
    code_by_role,
    code_frequencies,
    cooccurrence,
    exemplar_quotes,
    primary_codings,
    saturation,
    suggest_codings,
    suggestion_quality,
)
from evaluation.coding.codebook import codebook_from_dict

CB = codebook_from_dict(
    {
        "codebook": {"id": "t", "title": "T", "version": "1", "language": "sv"},
        "codes": [
            {
                "id": "risk",
                "label": {"sv": "Risk"},
                "children": [
                    {"id": "drugs", "label": {"sv": "Droger"}, "keywords": ["langar"]},
                    {"id": "fear", "label": {"sv": "Rädsla"}, "keywords": ["rädd"]},
                ],
            },
            {"id": "art", "label": {"sv": "Konst"}, "keywords": ["konst"]},
        ],
    }
)
SEG = pd.DataFrame(
    {
        "group": ["g1"] * 4 + ["g2"] * 3,
        "segment": [1, 2, 3, 4, 1, 2, 3],
        "segment_id": ["g1:1", "g1:2", "g1:3", "g1:4", "g2:1", "g2:2", "g2:3"],
        "speaker": ["MOD", "P1", "P2", "P1", "MOD", "P3", "P3"],
        "role": ["moderator", "polis", "ungdomsjour", "polis", "moderator", "polis", "polis"],
        "text": [
            "Fråga?",
            "Langarna står där.",
            "Jag är rädd här. Konsten är fin.",
            "Langare överallt.",
            "Fråga?",
            "Konsten lockar.",
            "Inget.",
        ],
    }
)
COD = pd.DataFrame(
    [
        ("g1", 2, "drugs", "k1", None, None),
        ("g1", 3, "fear", "k1", 0, 16),
        ("g1", 3, "art", "k1", 17, 32),
        ("g1", 4, "drugs", "k1", None, None),
        ("g2", 2, "art", "k1", None, None),
        ("g1", 2, "drugs", "k2", None, None),
    ],
    columns=["group", "segment", "code", "coder", "start", "end"],
)


def test_primary_codings_picks_one_coder_per_group():
    pc = primary_codings(COD)
    assert set(pc["coder"]) == {"k1"} and len(pc) == 5


def test_frequencies_with_rollup():
    f = code_frequencies(primary_codings(COD), SEG, CB).set_index("code")
    assert f.loc["drugs", "segments"] == 2 and f.loc["fear", "segments"] == 1
    assert f.loc["risk", "segments"] == 3  # g1:2, g1:3, g1:4
    assert f.loc["art", "groups"] == 2
    assert f.loc["drugs", "share_of_turns"] == pytest.approx(2 / 5 * 100)


def test_code_by_role():
    t = code_by_role(primary_codings(COD), SEG, CB).set_index(["code", "role"])
    assert (
        t.loc[("drugs", "polis"), "segments"] == 2 and t.loc[("drugs", "polis"), "role_turns"] == 4
    )
    assert t.loc[("fear", "ungdomsjour"), "share"] == 100.0


def test_cooccurrence_jaccard():
    c = cooccurrence(primary_codings(COD), CB).set_index(["code_a", "code_b"])
    assert c.loc[("fear", "art"), "n_both"] == 1
    assert c.loc[("fear", "art"), "jaccard"] == pytest.approx(1 / 2)


def test_quotes_use_spans_and_never_names():
    q = exemplar_quotes(primary_codings(COD), SEG, "risk", CB, n=5)
    assert "Jag är rädd här." in q["quote"].tolist()
    assert set(q.columns) == {"code", "quote", "role", "group", "segment_id", "level", "n_sharing"}
    assert not q.astype(str).apply(lambda c: c.str.contains("P1|P2|P3")).any().any()
    # three speakers in all: no label finer than "a professional" is shared by 3
    assert set(q["level"]) == {"study"} and q["role"].isna().all() and q["group"].isna().all()
    q1 = exemplar_quotes(primary_codings(COD), SEG, "risk", CB, n=5, min_quote_group=1)
    assert set(q1["level"]) == {"role_group"} and set(q1["role"]) == {"polis", "ungdomsjour"}
    assert exemplar_quotes(primary_codings(COD), SEG, "risk", CB, n=5, min_quote_group=4).empty


def _people(spec):
    """{(group, role): n} -> one row per participant."""
    rows = [(g, r, f"{g}-{r}-{i}") for (g, r), n in spec.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["group", "role", "participant"])


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 8])
def test_no_quote_label_is_shared_by_fewer_than_min_quote_group(k):
    """Brute force over random attendance: every published label fits >= k participants."""
    import random

    from evaluation.coding.analysis import coarsen_attribution

    rng = random.Random(k)
    groups, roles = ["g1", "g2", "g3", "g4"], ["polis", "vakt", "jour"]
    for _ in range(200):
        spec = {(g, r): rng.choice([0, 0, 1, 1, 2, 3, 4]) for g in groups for r in roles}
        people = _people(spec)
        if people.empty:
            continue
        q = people.sample(min(6, len(people)), random_state=rng.randrange(10**6))[["role", "group"]]
        out = coarsen_attribution(q, people, k)
        for r in out.itertuples():
            fits = people
            if r.role is not None:
                fits = fits[fits["role"] == r.role]
            if r.group is not None:
                fits = fits[fits["group"] == r.group]
            assert len(fits) >= k and len(fits) == r.n_sharing
        # dropped only when even the whole study is too small
        assert len(out) == len(q) or len(people) < k
        # the finest safe label is used: role and group whenever that pair is shared by k
        for (role, group), r in zip(q.itertuples(index=False), out.itertuples(), strict=False):
            if spec[(group, role)] >= k:
                assert r.level == "role_group"


def test_quote_attribution_and_rule():
    from evaluation.coding.analysis import quote_attribution, quote_rule

    row = pd.Series({"role": None, "group": "fg5_blandad", "level": "group"})
    assert quote_attribution(row, "sv") == "en yrkesverksam, fg5_blandad"
    assert (
        quote_attribution(pd.Series({"role": None, "group": None, "level": "study"}), "en")
        == "a professional"
    )
    assert "3" in quote_rule(3, "sv") and "at least 4 participants" in quote_rule(4, "en")


def test_saturation():
    s = saturation(primary_codings(COD))
    assert s["new_codes"].tolist() == [3, 0] and s["cumulative_codes"].tolist() == [3, 3]


def test_suggestions_and_their_quality():
    s = suggest_codings(SEG, CB)
    assert set(map(tuple, s[["group", "segment", "code"]].values.tolist())) == {
        ("g1", 2, "drugs"),
        ("g1", 3, "fear"),
        ("g1", 3, "art"),
        ("g1", 4, "drugs"),
        ("g2", 2, "art"),
    }
    q = suggestion_quality(s, primary_codings(COD)).set_index("code")
    assert q.loc["drugs", "precision"] == 1.0 and q.loc["art", "recall"] == 1.0


def test_example_report_quotes_point_at_no_one(example_ds):
    """Issue 13: no quote of the example is attributed to a label fewer than 3 participants share."""
    from evaluation.coding.analysis import theme_quotes

    f = example_ds.focus_groups
    people = f["participants"]
    for k in (3, 4, 5):
        quotes = theme_quotes(f, example_ds.codebook, n=3, min_quote_group=k)
        assert sum(len(q) for q in quotes.values()) > 0
        for q in quotes.values():
            for r in q.itertuples():
                fits = people
                if r.role is not None:
                    fits = fits[fits["role"] == r.role]
                if r.group is not None:
                    fits = fits[fits["group"] == r.group]
                assert len(fits) >= k, (k, r)
    # the mixed group (one participant per role) is quoted as "a professional, group" at most
    quotes = theme_quotes(f, example_ds.codebook, n=10, min_quote_group=3)
    mixed = pd.concat(quotes.values())
    mixed = mixed[mixed["group"] == "fg5_blandad"]
    assert mixed["role"].isna().all()
