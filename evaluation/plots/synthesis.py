"""The synthesis figure: questions x sources, coloured by whether a finding moves toward the goal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..labels import label
from .alttext import _add_alt, _ax, _language, _t
from .theme import GOAL_COLOURS, GOAL_SIGN, GOAL_TEXT

__all__ = ["DIRECTION_COLOURS", "goal_direction", "triangulation"]

#: the synthesis' direction codes coloured by meaning (kept for callers of the old name)
DIRECTION_COLOURS = {
    "unclear": GOAL_COLOURS["unclear"],
    "no_clear_change": GOAL_COLOURS["unclear"],
    "concern": GOAL_COLOURS["concern"],
    "context": GOAL_COLOURS["context"],
    "missing": GOAL_COLOURS["missing"],
}

#: the goal colours in legend order
_ORDER = ["toward", "away", "unclear", "concern", "context", "missing"]


def goal_direction(
    result: str,
    direction: str,
    goal_sign: Mapping[str, int] | None = None,
) -> str:
    """Whether a finding moves toward the goal: ``toward``, ``away``, ``unclear``, ``concern``, ``context`` or ``missing``.

    ``result`` is the result the finding is (``its``, ``survey_trend``,
    ``target_staying_rate_ratio`` ...: the ``result`` column of
    :func:`evaluation.analyses.synthesis.evidence_table`); ``goal_sign`` maps a
    result to +1 (an increase is toward the goal) or -1 (a decrease is),
    default :data:`GOAL_SIGN`. A direction without a sign for its result is
    ``unclear``.

    Examples
    --------
    >>> goal_direction("its", "decrease"), goal_direction("target_staying_rate_ratio", "decrease")
    ('toward', 'away')
    >>> goal_direction("survey_trend", "no_clear_change"), goal_direction("method_conflict", "concern")
    ('unclear', 'concern')
    """
    if direction in ("increase", "decrease"):
        sign = (GOAL_SIGN if goal_sign is None else goal_sign).get(result, 0)
        if sign == 0:
            return "unclear"
        return "toward" if (sign > 0) == (direction == "increase") else "away"
    if direction in ("concern", "context", "missing"):
        return direction
    return "unclear"


def _cell(
    evidence: pd.DataFrame, q: str, s_: str, language: str, goal_sign: Any
) -> tuple[list[str], str]:
    """The directions of one cell and the goal colour it takes."""
    cell = evidence[(evidence["question"] == q) & (evidence["source"] == s_)]
    dirs = list(dict.fromkeys(cell["direction"])) or ["missing"]
    results = cell["result"] if "result" in cell else pd.Series([""] * len(cell), dtype=str)
    goals = [
        goal_direction(r, d, goal_sign) for r, d in zip(results, cell["direction"], strict=True)
    ]
    goals = goals or ["missing"]
    main = next((g for g in goals if g in ("toward", "away", "concern")), goals[0])
    return dirs, main


def _grid_axes(ax: Any, questions: list[str], sources: list[str], language: str) -> None:
    import textwrap

    ax.set_xlim(0, len(sources))
    ax.set_ylim(len(questions), 0)
    ax.set_xticks([j + 0.5 for j in range(len(sources))], [label(s_, language) for s_ in sources])
    ax.set_yticks(
        [i + 0.5 for i in range(len(questions))],
        ["\n".join(textwrap.wrap(q, 42)) for q in questions],
    )
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.tick_top()


def triangulation(
    evidence: pd.DataFrame,
    title: str | None = None,
    ax: Any = None,
    language: str | None = None,
    goal_sign: Mapping[str, int] | None = None,
) -> Any:
    """Questions x sources, each cell coloured by whether the finding moves toward the goal.

    ``evidence``: the DataFrame of :func:`evaluation.analyses.synthesis.evidence_table`
    with ``labels=False`` (``question``, ``source`` in the report's language or
    as codes; ``direction`` as codes shown by their labels in ``language``;
    ``result``, the result each finding is, decides its colour). A
    cell with several findings shows them all (e.g. ``decrease / context``).
    Colours (:data:`GOAL_COLOURS`): an increase is not good or bad in itself: a
    drop in crime and a rise in girls staying both move toward the goal
    (:data:`GOAL_SIGN`). A legend below the grid names the colours. Returns the axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"question": ["Is it safer?", "Is it safer?"],
    ...                    "source": ["crime", "survey"], "direction": ["decrease", "decrease"],
    ...                    "result": ["its", "survey_trend"]})
    >>> ax = triangulation(ev, language="en")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['moves toward the goal', 'moves away from the goal']
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    from matplotlib.patches import Patch, Rectangle

    questions = list(dict.fromkeys(evidence["question"]))
    sources = list(dict.fromkeys(evidence["source"]))
    ax = _ax(ax, (10, 1.8 + 0.9 * len(questions)))
    used: dict[str, int] = {}
    for i, q in enumerate(questions):
        for j, s_ in enumerate(sources):
            dirs, main = _cell(evidence, q, s_, language, goal_sign)
            used[main] = used.get(main, 0) + 1
            ax.add_patch(
                Rectangle((j, i), 1, 1, facecolor=GOAL_COLOURS[main], edgecolor="white", lw=3)
            )
            text = " / ".join(label(d, language) for d in dirs)
            ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=9,
                    color=GOAL_TEXT[main])  # fmt: skip
    _grid_axes(ax, questions, sources, language)
    legend = [
        Patch(facecolor=GOAL_COLOURS[g], edgecolor="#767676", label=_t(f"a11y.goal.{g}", language))
        for g in _ORDER
        if g in used
    ]
    ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3,
              frameon=False, fontsize=9)  # fmt: skip
    if title:
        ax.set_title(title, pad=28)
    counts = ", ".join(
        _t("a11y.count", language, label=_t(f"a11y.goal.{g}", language), n=used[g])
        for g in _ORDER
        if g in used
    )
    _add_alt(
        ax,
        _t("a11y.triangulation", language, n_questions=len(questions), n_sources=len(sources),
           counts=counts),
    )  # fmt: skip
    return ax
