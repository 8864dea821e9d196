"""Keyword-suggested codings and their precision and recall against human codings.

Suggestions come from the codebook's ``keywords`` and are a separate table:
they are never mixed into human codings.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..sources.codebook import Codebook
from ._frames import turns

__all__ = ["suggest_codings", "suggestion_quality"]


def suggest_codings(segments: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Keyword-suggested codes per turn, from the codebook's ``keywords``.

    A keyword matches at the start of a word, case-insensitively ("langar"
    matches "Langarna"). Suggestions are a separate table and are never mixed
    into human codings.

    Returns
    -------
    DataFrame
        ``group``, ``segment``, ``code``, ``keyword`` (the first keyword that matched).

    Examples
    --------
    >>> from evaluation.sources.codebook import Code, Codebook
    >>> cb = Codebook("c", "C", "1", "sv", {"handel": Code("handel", {"sv": "Handel"}, keywords=["langar"])})
    >>> segments = pd.DataFrame({"group": "g1", "segment": [1, 2], "speaker": ["POL1", "POL2"],
    ...     "role": "polis", "text": ["Langarna flyttade.", "Det var lugnt."]})
    >>> suggest_codings(segments, cb).values.tolist()
    [['g1', 1, 'handel', 'langar']]
    """
    pats = []
    for cid, code in codebook.codes.items():
        for kw in code.keywords:
            pats.append((cid, kw, re.compile(r"(?<!\w)" + re.escape(kw.lower()))))
    rows = []
    r: Any
    for r in turns(segments).itertuples():
        low = str(r.text).lower()
        found = {}
        for cid, kw, pat in pats:
            if cid not in found and pat.search(low):
                found[cid] = kw
        rows += [
            {"group": r.group, "segment": r.segment, "code": c, "keyword": k}
            for c, k in found.items()
        ]
    return pd.DataFrame(rows, columns=["group", "segment", "code", "keyword"])


def suggestion_quality(suggestions: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of keyword suggestions against human codings, per code.

    Returns
    -------
    DataFrame
        ``code``, ``suggested``, ``human``, ``both``, ``precision``,
        ``recall``, ``f1``.

    Examples
    --------
    >>> suggested = pd.DataFrame({"group": "g1", "segment": [1, 2], "code": "handel"})
    >>> human = pd.DataFrame({"group": "g1", "segment": [1, 3], "code": "handel"})
    >>> suggestion_quality(suggested, human).to_dict("records")[0]
    {'code': 'handel', 'suggested': 2, 'human': 2, 'both': 1, 'precision': 0.5, 'recall': 0.5, 'f1': 0.5}
    """
    s = set(
        zip(
            suggestions["group"],
            suggestions["segment"].astype(int),
            suggestions["code"],
            strict=True,
        )
    )
    h = set(zip(codings["group"], codings["segment"].astype(int), codings["code"], strict=True))
    codes = sorted({x[2] for x in s} | {x[2] for x in h})
    rows = []
    for c in codes:
        sc = {x for x in s if x[2] == c}
        hc = {x for x in h if x[2] == c}
        both = len(sc & hc)
        p = both / len(sc) if sc else np.nan
        r = both / len(hc) if hc else np.nan
        f = 2 * p * r / (p + r) if sc and hc and (p + r) > 0 else np.nan
        rows.append(
            {
                "code": c,
                "suggested": len(sc),
                "human": len(hc),
                "both": both,
                "precision": p,
                "recall": r,
                "f1": f,
            }
        )
    return pd.DataFrame(
        rows, columns=["code", "suggested", "human", "both", "precision", "recall", "f1"]
    )
