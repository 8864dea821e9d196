"""Frames every coding analysis starts from: the codes applied per turn, the participants' turns."""

from __future__ import annotations

import pandas as pd

from ..sources.codebook import Codebook


def applied(codings: pd.DataFrame, codebook: Codebook | None, rollup: bool) -> pd.DataFrame:
    """Unique (group, segment, code) rows, with parent themes added when ``rollup``."""
    c = codings[["group", "segment", "code"]].drop_duplicates()
    if rollup and codebook is not None:
        extra = [
            (g, s, a)
            for g, s, code in c.itertuples(index=False)
            if code in codebook.codes
            for a in codebook.ancestors(code)
        ]
        c = pd.concat(
            [c, pd.DataFrame(extra, columns=["group", "segment", "code"])]
        ).drop_duplicates()
    c = c.copy()
    c["segment"] = c["segment"].astype(int)
    return c


def turns(segments: pd.DataFrame) -> pd.DataFrame:
    """The participants' turns (the moderator's left out): group, segment, speaker, role, text."""
    t = segments[segments["speaker"] != "MOD"][
        ["group", "segment", "speaker", "role", "text"]
    ].copy()
    t["segment"] = t["segment"].astype(int)
    return t
