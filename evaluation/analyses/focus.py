"""02_focus_groups: what professionals say, and how reliable the coding is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from ..coding import (
    code_by_role,
    code_frequencies,
    cooccurrence,
    intercoder_reliability,
    primary_codings,
    saturation,
    suggest_codings,
    suggestion_quality,
)
from ..coding.analysis import theme_quotes
from ..errors import ModelError
from ..i18n import LANGUAGES
from ..results import FocusResults, Incomplete, MethodConflict, Theme, as_json
from ..sources.order import order_codes, order_rows
from ..sources.study import method_conflict_code

if TYPE_CHECKING:
    from ..coding.codebook import Codebook
    from ..sources.dataset import Dataset

#: The codebook code of the method conflict (activation drawing the target group into a
#: risk environment) comes from the study: the codes of the question whose results
#: include ``method_conflict`` (``study.yaml``); without one there is no such result.

__all__ = ["FocusAnalysis", "analyse_focus_groups", "role_shares"]


def role_shares(
    by_role: pd.DataFrame, codebook: Codebook, level: str = "theme", language: str = "sv"
) -> pd.DataFrame:
    """Share of each role's turns per theme (``level="theme"``) or sub-code (``"code"``), with labels.

    ``by_role`` is :func:`evaluation.coding.code_by_role`'s table.

    Returns
    -------
    DataFrame
        Long format in codebook order: ``code``, ``theme`` (the code's label),
        ``role`` (the role's label), ``segments``, ``share``. Pivot it for a
        code x role matrix.

    Examples
    --------
    >>> from evaluation.coding.codebook import codebook_from_dict
    >>> cb = codebook_from_dict({"codebook": {"id": "c", "title": "C", "version": "1", "language": "en"},
    ...     "codes": [{"id": "presence", "label": "Presence", "children": [{"id": "staying", "label": "Staying"}]}]})
    >>> by_role = pd.DataFrame({"code": ["presence", "staying"], "role": ["police", "police"],
    ...                         "segments": [3, 2], "share": [30.0, 20.0]})
    >>> role_shares(by_role, cb, language="en")[["code", "theme", "share"]].values.tolist()
    [['presence', 'Presence', 30.0]]
    >>> role_shares(by_role, cb, level="code")["code"].tolist()
    ['staying']
    """
    from ..labels import label

    if level not in ("theme", "code"):
        raise ValueError(f"level {level!r}: expected 'theme' or 'code'")
    keep = [
        c for c in codebook.preorder() if (codebook.codes[c].parent is None) == (level == "theme")
    ]
    t = by_role[by_role["code"].isin(keep)].copy()
    t["code"] = pd.Categorical(t["code"], categories=keep, ordered=True)
    t = order_rows(t.sort_values(["code", "role"]), "role", "roles").sort_values(
        "code", kind="stable"
    )
    t["theme"] = t["code"].map(lambda c: codebook.codes[c].name(language)).astype(str)
    t["role"] = t["role"].map(lambda r: label(r, language))
    t["code"] = t["code"].astype(str)
    return t[["code", "theme", "role", "segments", "share"]].reset_index(drop=True)


@dataclass
class FocusAnalysis:
    """Everything 02_focus_groups shows (the tables of :func:`analyse_focus_groups`).

    ``results`` is ``record`` (:class:`~evaluation.results.FocusResults`) as
    JSON-ready values, what the notebook writes to ``results/02_focus_groups.json``.

    Examples
    --------
    >>> empty = pd.DataFrame()
    >>> FocusAnalysis(*[empty] * 5, {}, empty, empty, empty).results
    {}
    """

    codebook_table: pd.DataFrame
    roles: pd.DataFrame
    frequencies: pd.DataFrame
    by_role: pd.DataFrame
    cooccurrence: pd.DataFrame
    quotes: dict[str, pd.DataFrame]
    reliability: pd.DataFrame
    saturation: pd.DataFrame
    suggestions: pd.DataFrame
    results: dict[str, Any] = field(default_factory=dict)
    record: FocusResults | None = None


def analyse_focus_groups(
    ds: Dataset, quotes_per_theme: int = 2, language: str = "sv", min_quote_group: int = 3
) -> FocusAnalysis:
    """Run the focus-group analyses on a dataset with a codebook.

    ``quotes`` holds up to ``quotes_per_theme`` exemplar quotes per top-level
    theme, each attributed by a label ("role, group", coarsened when needed)
    that at least ``min_quote_group`` participants of ``participants.csv``
    share (:func:`evaluation.coding.analysis.theme_quotes`).

    Raises
    ------
    evaluation.errors.ModelError
        The data folder has no focus groups, or there is no codebook.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> try:
    ...     analyse_focus_groups(SimpleNamespace(focus_groups=None, codebook=None))
    ... except ModelError as exc:
    ...     print(exc)
    this data folder has no focus_groups/

    On the example data (``load_dataset(resolve(EXAMPLE_DATA))``), ``record``
    counts 6 groups and 24 participants.
    """
    if ds.focus_groups is None:
        raise ModelError("this data folder has no focus_groups/")
    if ds.codebook is None:
        raise ModelError("no codebook: give one with the codebook parameter")
    f, cb = ds.focus_groups, cast("Codebook", ds.codebook)
    seg, cod = f["segments"], f["codings"]
    pc = primary_codings(cod)
    roles = (
        f["participants"]
        .groupby("role")
        .agg(participants=("participant", "size"), groups=("group", "nunique"))
        .reset_index()
    )
    roles = order_rows(roles, "role", "roles", getattr(ds, "study", None)).reset_index(drop=True)
    freq = code_frequencies(pc, seg, cb, language=language)
    by_role = code_by_role(pc, seg, cb)
    co = cooccurrence(pc, cb)
    quotes = theme_quotes(f, cb, n=quotes_per_theme, min_quote_group=min_quote_group)
    rel = intercoder_reliability(cod, seg, cb)
    sat = saturation(pc)
    sugg = suggestion_quality(suggest_codings(seg, cb), pc)
    record = _record(f, rel, freq, cb, language, getattr(ds, "study", None))
    _add_method_conflict(
        record, method_conflict_code(getattr(ds, "study", None)), freq, by_role, cb, language
    )
    return FocusAnalysis(
        cb.to_frame(), roles, freq, by_role, co, quotes, rel, sat, sugg, as_json(record), record
    )


def _record(
    f: dict[str, pd.DataFrame],
    rel: pd.DataFrame,
    freq: pd.DataFrame,
    cb: Codebook,
    language: str,
    study: Any = None,
) -> FocusResults:
    """02's key results: counts, the coding's reliability and the themes' shares of the talk."""
    seg, cod = f["segments"], f["codings"]
    overall = rel[rel["level"] == "overall"]
    roots = [r for r in freq.to_dict("records") if r["depth"] == 0]
    return FocusResults(
        groups=int(seg["group"].nunique()),
        participants=int(len(f["participants"])),
        turns=int((seg["speaker"] != "MOD").sum()),
        codings=int(len(cod)),
        double_coded_groups=sorted(
            cod.groupby("group")["coder"].nunique().loc[lambda s: s >= 2].index.tolist()
        ),
        reliability_overall=None
        if overall.empty
        else {
            "krippendorff_alpha": float(overall["krippendorff_alpha"].iloc[0]),
            "cohen_kappa": float(overall["cohen_kappa"].iloc[0]),
            "n_units": int(overall["n_units"].iloc[0]),
        },
        reliability_by_code={
            r["code"]: {
                "label": cb.codes[r["code"]].name(language),
                "krippendorff_alpha": None
                if pd.isna(r["krippendorff_alpha"])
                else float(r["krippendorff_alpha"]),
                "flag": r["flag"],
                "n_present": int(r["n_present"]),
            }
            for r in rel.to_dict("records")
            if r["level"] != "overall"
        },
        theme_share_of_turns={r["code"]: float(r["share_of_turns"]) for r in roots},
        themes=[
            Theme(
                r["code"],
                cb.codes[r["code"]].name(language),
                float(r["share_of_turns"]),
                {lang: cb.codes[r["code"]].name(lang) for lang in LANGUAGES},
            )
            for r in roots
        ],
        roles=order_codes(
            sorted(str(r) for r in f["participants"]["role"].unique()), "roles", study
        ),
    )


def _add_method_conflict(
    record: FocusResults,
    mk_id: str | None,
    freq: pd.DataFrame,
    by_role: pd.DataFrame,
    cb: Codebook,
    language: str,
) -> None:
    """The method-conflict code as coded (the study names it), or why there is no such result."""
    mk = mk_id if mk_id in cb.codes else None
    if mk:
        mrow = by_role[by_role["code"] == mk]
        record.method_conflict = MethodConflict(
            turns=int(freq.set_index("code")["segments"].to_dict()[mk]),
            share_by_role={r["role"]: float(r["share"]) for r in mrow.to_dict("records")},
            code=mk,
            label=cb.codes[mk].name(language),
            labels={lang: cb.codes[mk].name(lang) for lang in LANGUAGES},
        )
    else:
        record.incomplete.append(
            Incomplete(
                "method_conflict",
                f"the codebook has no code {mk_id!r}"
                if mk_id
                else "study.yaml names no code for the method conflict",
            )
        )
