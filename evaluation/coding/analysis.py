"""Analysis of coded segments: frequencies, code x role, co-occurrence, quotes, saturation,
and keyword-suggested codings with their precision and recall.

Quotes are attributed by role and group only, never by name or pseudonym, and only
as finely as at least ``min_quote_group`` participants share (:func:`coarsen_attribution`).
The keyword suggestions live in :mod:`evaluation.coding.keywords` (re-exported here).

The examples use this small coded focus group::

    >>> from evaluation.sources.codebook import Code, Codebook
    >>> cb = Codebook("c", "C", "1", "sv", {
    ...     "risk": Code("risk", {"sv": "Risk"}, children=["droger"]),
    ...     "droger": Code("droger", {"sv": "Droger"}, parent="risk")})
    >>> segments = pd.DataFrame({"group": "g1", "segment": [1, 2, 3],
    ...     "segment_id": ["g1:1", "g1:2", "g1:3"], "speaker": ["MOD", "POL1", "VAK1"],
    ...     "role": ["moderator", "polis", "vakt"],
    ...     "text": ["Hur är det?", "Det säljs droger här.", "Det är lugnare nu."]})
    >>> codings = pd.DataFrame({"group": "g1", "segment": [2, 3], "code": ["droger", "risk"],
    ...     "coder": "anna"})
    >>> code_frequencies(codings, segments, cb)[["code", "segments"]].values.tolist()
    [['risk', 2], ['droger', 1]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..sources.codebook import Codebook
from ..sources.order import order_codes
from ._frames import applied as _applied
from ._frames import turns as _turns
from .keywords import suggest_codings, suggestion_quality

__all__ = [
    "primary_codings",
    "code_frequencies",
    "code_by_role",
    "cooccurrence",
    "cooccurrence_matrix",
    "exemplar_quotes",
    "theme_quotes",
    "coarsen_attribution",
    "quote_attribution",
    "quote_rule",
    "saturation",
    "suggest_codings",
    "suggestion_quality",
]


def primary_codings(codings: pd.DataFrame) -> pd.DataFrame:
    """One coder's codings per group: the coder with the most codings there (ties: first by name).

    Double-coded groups are analysed once; reliability uses all coders.

    Examples
    --------
    >>> c = pd.DataFrame({"group": "g1", "segment": [1, 2, 1], "code": "x", "coder": ["bo", "bo", "al"]})
    >>> primary_codings(c)["coder"].tolist()
    ['bo', 'bo']
    """
    if codings.empty:
        return codings
    n = codings.groupby(["group", "coder"]).size().reset_index(name="n")
    n = n.sort_values(["group", "n", "coder"], ascending=[True, False, True]).drop_duplicates(
        "group"
    )
    keep = set(zip(n["group"], n["coder"], strict=True))
    mask = [(g, c) in keep for g, c in zip(codings["group"], codings["coder"], strict=True)]
    return codings[mask]


def code_frequencies(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: Codebook | None = None,
    rollup: bool = True,
    language: str = "sv",
) -> pd.DataFrame:
    """How often each code was applied.

    Parameters
    ----------
    codings : DataFrame
        One coder's codings per group (see :func:`primary_codings`).
    segments : DataFrame
        Turns with ``group, segment, speaker, role``.
    codebook : Codebook, optional
        Order, labels, and parent themes (``rollup``: a theme counts a turn
        when it or any sub-code was applied).

    Returns
    -------
    DataFrame
        ``code``, ``label``, ``depth``, ``segments`` (turns with the code),
        ``groups``, ``participants``, ``share_of_turns`` (of all participant
        turns, %).

    Examples
    --------
    >>> from evaluation.sources.codebook import Code, Codebook
    >>> cb = Codebook("c", "C", "1", "sv", {"risk": Code("risk", {"sv": "Risk"}, children=["droger"]),
    ...     "droger": Code("droger", {"sv": "Droger"}, parent="risk")})
    >>> segments = pd.DataFrame({"group": "g1", "segment": [1, 2], "speaker": ["POL1", "VAK1"],
    ...     "role": ["polis", "vakt"], "text": ["Droger säljs.", "Lugnt."]})
    >>> codings = pd.DataFrame({"group": "g1", "segment": [1], "code": ["droger"]})
    >>> code_frequencies(codings, segments, cb)[["code", "label", "depth", "segments", "share_of_turns"]].values.tolist()
    [['risk', 'Risk', 0, 1, 50.0], ['droger', 'Droger', 1, 1, 50.0]]
    """
    a = _applied(codings, codebook, rollup).merge(
        _turns(segments), on=["group", "segment"], how="left"
    )
    n_turns = len(_turns(segments))
    g = a.groupby("code").agg(
        segments=("segment", "size"),
        groups=("group", "nunique"),
        participants=("speaker", "nunique"),
    )
    order = codebook.preorder() if codebook is not None else sorted(g.index)
    g = g.reindex(order).fillna(0).astype(int).reset_index().rename(columns={"index": "code"})
    g["label"] = [
        codebook.codes[c].name(language) if codebook is not None else c for c in g["code"]
    ]
    g["depth"] = [codebook.depth(c) if codebook is not None else 0 for c in g["code"]]
    g["share_of_turns"] = g["segments"] / max(n_turns, 1) * 100
    return g[["code", "label", "depth", "segments", "groups", "participants", "share_of_turns"]]


def code_by_role(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: Codebook | None = None,
    rollup: bool = True,
    top_level_only: bool = False,
) -> pd.DataFrame:
    """Code x role: turns with the code, and their share of each role's turns.

    Returns
    -------
    DataFrame
        Long format: ``code``, ``role``, ``segments``, ``role_turns`` (all
        turns of that role), ``share`` (% of the role's turns).

    Examples
    --------
    >>> segments = pd.DataFrame({"group": "g1", "segment": [1, 2, 3], "speaker": ["POL1", "POL2", "VAK1"],
    ...     "role": ["polis", "polis", "vakt"], "text": ["a", "b", "c"]})
    >>> codings = pd.DataFrame({"group": "g1", "segment": [1], "code": ["risk"]})
    >>> code_by_role(codings, segments).values.tolist()
    [['risk', 'polis', 1, 2, 50.0], ['risk', 'vakt', 0, 1, 0.0]]
    """
    turns = _turns(segments)
    a = _applied(codings, codebook, rollup).merge(turns, on=["group", "segment"], how="inner")
    if top_level_only and codebook is not None:
        a = a[a["code"].isin(codebook.roots())]
    counts = a.groupby(["code", "role"]).size().rename("segments")
    role_turns = turns.groupby("role").size().rename("role_turns")
    codes = [
        c
        for c in (codebook.preorder() if codebook is not None else sorted(a["code"].unique()))
        if not top_level_only or codebook is None or c in codebook.roots()
    ]
    roles = order_codes(sorted(role_turns.index), "roles")
    idx = pd.MultiIndex.from_product([codes, roles], names=["code", "role"])
    out = counts.reindex(idx, fill_value=0).reset_index()
    out["role_turns"] = out["role"].map(role_turns)
    out["share"] = out["segments"] / out["role_turns"] * 100
    return out


def cooccurrence(
    codings: pd.DataFrame, codebook: Codebook | None = None, leaf_only: bool = True
) -> pd.DataFrame:
    """Codes applied to the same turn.

    Returns
    -------
    DataFrame
        One row per pair of codes (a < b in codebook order) that ever occur:
        ``code_a``, ``code_b``, ``n_a``, ``n_b``, ``n_both``, ``jaccard``
        (n_both / turns with either).

    Examples
    --------
    >>> codings = pd.DataFrame({"group": "g1", "segment": [1, 1, 2], "code": ["a", "b", "a"]})
    >>> cooccurrence(codings).values.tolist()
    [['a', 'b', 2, 1, 1, 0.5]]
    """
    a = _applied(codings, codebook, rollup=False)
    if leaf_only and codebook is not None:
        a = a[[not codebook.codes[c].children for c in a["code"]]]
    a["unit"] = a["group"] + ":" + a["segment"].astype(str)
    order = codebook.preorder() if codebook is not None else sorted(a["code"].unique())
    pos = {c: i for i, c in enumerate(order)}
    sets = a.groupby("code")["unit"].apply(set).to_dict()
    codes = sorted(sets, key=lambda c: pos.get(c, 1e9))
    rows = []
    for i, x in enumerate(codes):
        for y in codes[i + 1 :]:
            both = len(sets[x] & sets[y])
            either = len(sets[x] | sets[y])
            rows.append(
                {
                    "code_a": x,
                    "code_b": y,
                    "n_a": len(sets[x]),
                    "n_b": len(sets[y]),
                    "n_both": both,
                    "jaccard": both / either if either else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=["code_a", "code_b", "n_a", "n_b", "n_both", "jaccard"])


def exemplar_quotes(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    code: str,
    codebook: Codebook | None = None,
    n: int = 3,
    max_chars: int = 300,
    min_quote_group: int = 3,
    people: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Up to ``n`` quotes for a code (its sub-codes included), attributed so as not to point at a person.

    The coded span is quoted when offsets are given, otherwise the whole
    turn; quotes are spread over groups and roles (deterministic order).
    Attribution is coarsened by :func:`coarsen_attribution` until at least
    ``min_quote_group`` participants share the label; a quote that cannot be
    attributed that way is not chosen.

    Parameters
    ----------
    people : DataFrame, optional
        One row per participant with ``group``, ``role`` and ``participant``
        (``focus_groups/participants.csv``). Without it, the distinct speakers
        of ``segments`` are counted (never more than attended: the safe side).

    Returns
    -------
    DataFrame
        ``code``, ``quote``, ``role`` and ``group`` (as published: ``None``
        where the label leaves them out), ``segment_id``, ``level``
        (``role_group``, ``group``, ``role`` or ``study``), ``n_sharing``
        (participants who share the label).

    Examples
    --------
    >>> segments = pd.DataFrame({"group": "g1", "segment": [1, 2, 3], "segment_id": ["g1:1", "g1:2", "g1:3"],
    ...     "speaker": ["POL1", "POL2", "POL3"], "role": "polis",
    ...     "text": ["Det säljs droger här.", "Lugnt.", "Mycket droger."]})
    >>> codings = pd.DataFrame({"group": "g1", "segment": [1, 3], "code": "droger"})
    >>> exemplar_quotes(codings, segments, "droger", n=1)[["quote", "role", "level", "n_sharing"]].values.tolist()
    [['Det säljs droger här.', 'polis', 'role_group', 3]]
    """
    columns = ["code", "quote", "role", "group", "segment_id", "level", "n_sharing"]
    members = {code} | (set(codebook.descendants(code)) if codebook is not None else set())
    c = codings[codings["code"].isin(members)].copy()
    c["segment"] = c["segment"].astype(int)
    t = segments.copy()
    t["segment"] = t["segment"].astype(int)
    m = c.merge(t[["group", "segment", "segment_id", "role", "text"]], on=["group", "segment"])
    if m.empty:
        return pd.DataFrame(columns=columns)
    has = "start" in m and m["start"].notna().any()

    def quote(r):
        if has and pd.notna(r.start) and pd.notna(r.end):
            q = r.text[int(r.start) : int(r.end)]
        else:
            q = r.text
        return q if len(q) <= max_chars else q[: max_chars - 1].rstrip() + "…"

    m["quote"] = [quote(r) for r in m.itertuples()]
    m = m.drop_duplicates("quote")
    m["rank"] = m.groupby(["role"]).cumcount() * 100 + m.groupby("group").cumcount()
    m = m.sort_values(["rank", "group", "segment"])
    if people is None:
        people = _speakers(segments)
    m = coarsen_attribution(m, people, min_quote_group).head(n)
    m["code"] = code
    return m[columns].reset_index(drop=True)


def theme_quotes(
    focus_groups: dict[str, pd.DataFrame], codebook: Codebook, n: int = 2, min_quote_group: int = 3
) -> dict[str, pd.DataFrame]:
    """Exemplar quotes for every top-level theme, attributed no finer than ``min_quote_group`` allows.

    ``focus_groups`` is the ``focus_groups`` entry of a loaded dataset
    (``segments``, ``codings`` and ``participants``); the primary coder's
    codings are used (:func:`primary_codings`). Returns theme -> the frame of
    :func:`exemplar_quotes`.

    Examples
    --------
    >>> from evaluation.sources.codebook import Code, Codebook
    >>> cb = Codebook("c", "C", "1", "sv", {"risk": Code("risk", {"sv": "Risk"})})
    >>> fg = {"segments": pd.DataFrame({"group": "g1", "segment": [1, 2, 3], "segment_id": ["g1:1", "g1:2", "g1:3"],
    ...     "speaker": ["A", "B", "C"], "role": "polis", "text": ["Farligt.", "Lugnt.", "Ok."]}),
    ...     "codings": pd.DataFrame({"group": "g1", "segment": [1], "code": "risk", "coder": "bo"})}
    >>> theme_quotes(fg, cb)["risk"]["quote"].tolist()
    ['Farligt.']
    """
    pc = primary_codings(focus_groups["codings"])
    people = focus_groups.get("participants")
    return {
        root: exemplar_quotes(
            pc,
            focus_groups["segments"],
            root,
            codebook,
            n=n,
            min_quote_group=min_quote_group,
            people=people,
        )
        for root in codebook.roots()
    }


def _speakers(segments: pd.DataFrame) -> pd.DataFrame:
    s = segments[segments["role"] != "moderator"]
    col = "speaker" if "speaker" in s else "segment_id"
    return s[["group", "role", col]].drop_duplicates().rename(columns={col: "participant"})


def coarsen_attribution(
    quotes: pd.DataFrame, people: pd.DataFrame, min_quote_group: int = 3
) -> pd.DataFrame:
    """Coarsen each quote's "role, group" label until at least ``min_quote_group`` participants share it.

    A label names a person to anyone who knows who attended when fewer than
    ``min_quote_group`` participants fit it. The first of these that enough
    participants share is used: role and group; the group only ("a
    professional, group 5"); the role only; "a professional". A quote that
    fits none (fewer participants in the whole study) is dropped.

    Parameters
    ----------
    quotes : DataFrame
        With ``role`` and ``group`` (true values).
    people : DataFrame
        One row per participant: ``group``, ``role`` and ``participant``.
    min_quote_group : int
        Smallest number of participants a published label may describe.

    Returns
    -------
    DataFrame
        ``quotes`` with ``role`` / ``group`` set to ``None`` where the label
        leaves them out, ``level`` (``role_group``, ``group``, ``role``,
        ``study``) and ``n_sharing``; dropped quotes removed.

    Examples
    --------
    >>> people = pd.DataFrame({"group": ["g1"] * 4 + ["g2"] * 3, "role": ["polis"] * 4 + ["polis", "vakt", "vakt"],
    ...                        "participant": list("abcdefg")})
    >>> q = pd.DataFrame({"quote": ["x", "y", "z"], "role": ["polis", "polis", "vakt"], "group": ["g1", "g2", "g2"]})
    >>> coarsen_attribution(q, people, 3)[["role", "group", "level", "n_sharing"]].values.tolist()
    [['polis', 'g1', 'role_group', 4], [None, 'g2', 'group', 3], [None, 'g2', 'group', 3]]
    >>> coarsen_attribution(q, people, 6)[["role", "group", "level", "n_sharing"]].values.tolist()
    [[None, None, 'study', 7], [None, None, 'study', 7], [None, None, 'study', 7]]
    """
    k = int(min_quote_group)
    if k < 1:
        from ..errors import ParameterError

        raise ParameterError(
            f"min_quote_group must be a whole number >= 1, got {min_quote_group!r}"
        )
    p = people[["group", "role", "participant"]].drop_duplicates()
    n_rg = p.groupby(["group", "role"])["participant"].nunique().to_dict()
    n_g = p.groupby("group")["participant"].nunique().to_dict()
    n_r = p.groupby("role")["participant"].nunique().to_dict()
    n_all = p["participant"].nunique()
    out = quotes.copy().astype({"role": object, "group": object})
    levels: list[str | None] = []
    sharing: list[int] = []
    keep: list[bool] = []
    role_col, group_col = out.columns.get_loc("role"), out.columns.get_loc("group")
    for i, (role, group) in enumerate(zip(quotes["role"], quotes["group"], strict=True)):
        options = [
            ("role_group", n_rg.get((group, role), 0), role, group),
            ("group", n_g.get(group, 0), None, group),
            ("role", n_r.get(role, 0), role, None),
            ("study", n_all, None, None),
        ]
        chosen = next((o for o in options if o[1] >= k), None)
        if chosen is None:
            keep.append(False)
            levels.append(None)
            sharing.append(0)
            continue
        keep.append(True)
        levels.append(chosen[0])
        sharing.append(int(chosen[1]))
        out.iat[i, role_col] = chosen[2]  # type: ignore[index]
        out.iat[i, group_col] = chosen[3]  # type: ignore[index]
    out["level"] = levels
    out["n_sharing"] = sharing
    return out[keep]


def quote_attribution(row: pd.Series | dict[str, Any], language: str = "sv") -> str:
    """The attribution of one quote (a row of :func:`exemplar_quotes`), in ``language``.

    Examples
    --------
    >>> quote_attribution(pd.Series({"role": None, "group": "fg5_blandad", "level": "group"}), "en")
    'a professional, fg5_blandad'
    """
    from ..i18n import t
    from ..labels import label

    level = row["level"]
    role = label(row["role"], language) if row["role"] is not None else ""
    return t(f"quotes.{level}", language, role=role, group=row["group"] or "")


def quote_rule(min_quote_group: int = 3, language: str = "sv") -> str:
    """The sentence the report states about how quotes are attributed.

    Examples
    --------
    >>> "3" in quote_rule(3, "en")
    True
    """
    from ..i18n import t

    return t("quotes.rule", language, k=int(min_quote_group))


def saturation(codings: pd.DataFrame, order: list[str] | None = None) -> pd.DataFrame:
    """New codes per successive group (code saturation).

    Returns
    -------
    DataFrame
        ``position`` (1..), ``group``, ``codes_in_group``, ``new_codes``,
        ``cumulative_codes``, ``new`` (the new code ids, comma-separated).

    Examples
    --------
    >>> codings = pd.DataFrame({"group": ["g1", "g1", "g2"], "code": ["a", "b", "c"]})
    >>> saturation(codings)[["group", "new_codes", "cumulative_codes", "new"]].values.tolist()
    [['g1', 2, 2, 'a, b'], ['g2', 1, 3, 'c']]
    """
    groups = order or sorted(codings["group"].unique())
    seen: set[str] = set()
    rows = []
    for i, g in enumerate(groups, start=1):
        codes = set(codings.loc[codings["group"] == g, "code"])
        new = sorted(codes - seen)
        seen |= codes
        rows.append(
            {
                "position": i,
                "group": g,
                "codes_in_group": len(codes),
                "new_codes": len(new),
                "cumulative_codes": len(seen),
                "new": ", ".join(new),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["position", "group", "codes_in_group", "new_codes", "cumulative_codes", "new"],
    )


def cooccurrence_matrix(
    pairs: pd.DataFrame, codes: list[str], value: str = "jaccard"
) -> pd.DataFrame:
    """The long table of :func:`cooccurrence` as a symmetric codes x codes matrix.

    Pairs that never occur are 0; the diagonal (a code with itself) is NaN.

    Examples
    --------
    >>> pairs = pd.DataFrame({"code_a": ["a"], "code_b": ["b"], "jaccard": [0.5]})
    >>> cooccurrence_matrix(pairs, ["a", "b", "c"]).loc["b"].tolist()
    [0.5, nan, 0.0]
    """
    m = pd.DataFrame(0.0, index=codes, columns=codes)
    for a, b, v in zip(pairs["code_a"], pairs["code_b"], pairs[value], strict=True):
        if a in m.index and b in m.index:
            m.loc[a, b] = m.loc[b, a] = v
    return m.mask(np.eye(len(codes), dtype=bool))
