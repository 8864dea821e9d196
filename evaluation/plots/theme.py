"""The report's look: one colour scheme keyed by role, the seaborn theme, numbers in the language's style.

Each colour of :data:`COLOURS` has one meaning on every page of the report and
is keyed by the *role* it plays, never by a study's codes (issue 16): no
activation and any activation, the study's activation kinds (the first, second
... kind of ``study.yaml``'s ``activation_kinds``), co-interventions, the target
area and its comparison areas, observation sessions. :data:`GOAL_COLOURS`
colour the synthesis by whether a finding moves toward the goal;
:data:`PALETTE` is for groups without a fixed meaning (e.g. focus-group roles).

Every colour that marks data has a contrast of at least 3:1 against the white
background (WCAG 2.1 success criterion 1.4.11, non-text contrast;
:func:`contrast_ratio`), and colours shown together stay apart for readers with
protanopia, deuteranopia and tritanopia (``tests/test_plots.py``). The hues
come from Paul Tol's and ColorBrewer's colour-blind safe palettes, darkened
where their light members fell below 3:1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .alttext import _STATE, _install_display_hook, _kernel_variable

__all__ = [
    "COLOURS",
    "ACTIVATION_KINDS",
    "GOAL_COLOURS",
    "GOAL_TEXT",
    "GOAL_SIGN",
    "PALETTE",
    "colour",
    "kind_colours",
    "contrast_ratio",
    "set_theme",
    "localise",
]

#: The report's colours by role, one meaning each on every page (all >= 3:1 against white).
COLOURS: dict[str, str] = {
    # activation state (00, 01): the universal code "none" and "any activation"
    "activation_off": "#6E6E6E",  # no activation (grey)
    "activation_on": "#117733",  # any activation (Tol muted green)
    # the study's activation kinds, in the order of study.yaml's activation_kinds
    "activation_1": "#AA4499",  # first kind (Tol muted purple)
    "activation_2": "#997700",  # second kind (Tol medium-contrast dark yellow)
    "activation_3": "#1A85FF",  # third kind (blue)
    "activation_4": "#6633AA",  # fourth kind (violet)
    # other things that happen at the same time: the universal calendar kind "policing"
    "co_intervention": "#B2182B",  # co-interventions (ColorBrewer RdBu dark red)
    # places (03)
    "target": "#332288",  # the area evaluated: the study's site (Tol muted indigo)
    "comparison": "#0099BB",  # the first comparison area (cyan, darkened)
    "comparison_2": "#D55E00",  # the second (Okabe-Ito vermillion)
    "comparison_3": "#666633",  # the third (olive, darkened)
    # sessions, counts without another meaning
    "sessions": "#222222",
}

#: The role keys of the activation kinds, in order (a fifth kind takes :data:`PALETTE`).
ACTIVATION_KINDS: tuple[str, ...] = ("activation_1", "activation_2", "activation_3", "activation_4")

#: Colours of the synthesis: whether a finding moves toward the city's goal. The three
#: directions have >= 3:1 against white; the neutral fills carry their meaning in the cell's text.
GOAL_COLOURS: dict[str, str] = {
    "toward": "#2166AC",  # toward the goal (ColorBrewer RdBu blue)
    "away": "#CC3311",  # away from the goal (Tol vibrant red)
    "concern": "#AA3377",  # a concern raised in the focus groups (Tol bright purple)
    "unclear": "#DDDDDD",  # no clear change (light grey)
    "context": "#F2F2F2",  # context without a direction
    "missing": "#FFFFFF",  # no data
}

#: Text colour on each goal colour (contrast >= 4.5:1, WCAG 1.4.3).
GOAL_TEXT: dict[str, str] = {
    g: "white" if g in ("toward", "away", "concern") else "black" for g in GOAL_COLOURS
}

#: Which direction of a finding moves toward the goal, by the result it is (the names
#: ``study.yaml`` questions and goals use, :func:`evaluation.analyses.synthesis.questions.result_name`):
#: +1 an increase does, -1 a decrease does. The target group staying more is the
#: activation's aim (a welcoming site); exposure to drug dealing and crime should fall;
#: the share feeling safe should rise. Keyed by result, not by question, so that a study
#: that names its questions otherwise gets the same colours.
GOAL_SIGN: dict[str, int] = {
    "target_staying_rate_ratio": 1,
    "dealing_rate_ratio": -1,
    "method_conflict_rate_ratio": -1,
    "its": -1,
    "per_hectare": -1,
    "survey_trend": 1,
}

#: Colours without a fixed meaning (colour-blind safe, >= 3:1 against white, none of the above).
PALETTE = ["#5566DD", "#E66100", "#008866", "#8C510A", "#7B3294", "#225555"]


def contrast_ratio(a: str, b: str = "#FFFFFF") -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21), default against white.

    Parameters
    ----------
    a, b
        Colours as ``#RRGGBB``.

    References
    ----------
    W3C, Web Content Accessibility Guidelines 2.1, definitions of "contrast
    ratio" and "relative luminance" (https://www.w3.org/TR/WCAG21/).

    Examples
    --------
    >>> round(contrast_ratio("#000000"), 1), round(contrast_ratio("#777777"), 2)
    (21.0, 4.48)
    """

    def luminance(h: str) -> float:
        rgb = [int(h.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _study_kinds() -> list[str] | None:
    """The activation kinds of the study in use (the kernel's ``study`` or ``ds.study``), in order."""
    study = _STATE.get("study") or _kernel_variable("study")
    if study is None:
        study = getattr(_kernel_variable("ds"), "study", None)
    vocab = getattr(study, "vocabularies", None)
    if not isinstance(vocab, Mapping):
        return None
    return [str(k) for k in vocab.get("activation_kinds", {})]


def kind_colours(kinds: Iterable[Any]) -> dict[Any, str]:
    """Colours of activation kinds (and ``none``, ``policing``) by their role in the scheme.

    A kind's colour is its position in the study's ``activation_kinds``
    (the study of the notebook, or the one given to :func:`set_theme`), so the
    same kind has the same colour on every page; without a study, the kinds'
    sorted order. ``none`` is "no activation", ``policing`` a co-intervention.

    Examples
    --------
    >>> set_theme()  # no study in use: the kinds in sorted order
    >>> kind_colours(["none", "music", "market", "policing"])
    {'none': '#6E6E6E', 'music': '#997700', 'market': '#AA4499', 'policing': '#B2182B'}
    """
    kinds = list(dict.fromkeys(kinds))
    order = _study_kinds() or []
    rest = sorted(str(k) for k in kinds if str(k) not in order and _fixed(k) is None)
    order = [*order, *rest]
    out = {}
    for k in kinds:
        fixed = _fixed(k)
        if fixed is not None:
            out[k] = fixed
        else:
            i = order.index(str(k))
            out[k] = COLOURS[ACTIVATION_KINDS[i]] if i < len(ACTIVATION_KINDS) else PALETTE[i]
    return out


def _fixed(code: Any) -> str | None:
    """The colour of a universal code or a role key, else ``None``."""
    if isinstance(code, bool) or (isinstance(code, int) and code in (0, 1)):
        return COLOURS["activation_on" if code else "activation_off"]
    universal = {
        "none": "activation_off",
        "activated": "activation_on",
        "policing": "co_intervention",
    }
    key = universal.get(str(code), str(code))
    return COLOURS.get(key)


def colour(code: Any, k: int = 0) -> str:
    """The colour of a code in the scheme; otherwise the ``k``-th colour without a fixed meaning.

    ``1``/``True``/``"activated"`` is any activation, ``0``/``False``/``"none"``
    no activation, ``"policing"`` a co-intervention; a role key of
    :data:`COLOURS` its colour; a kind of the study in use its kind colour
    (:func:`kind_colours`).

    Examples
    --------
    >>> colour(1), colour("none"), colour("target"), colour("zone-x", 1)
    ('#117733', '#6E6E6E', '#332288', '#E66100')
    """
    fixed = _fixed(code)
    if fixed is not None:
        return fixed
    if str(code) in (_study_kinds() or []):
        return kind_colours([code])[code]
    return PALETTE[k % len(PALETTE)]


def _area_colours(areas: Iterable[Any], target: Any = None) -> dict[Any, str]:
    """Target area indigo, comparison areas in the comparison colours in order."""
    out, k = {}, 0
    for a in areas:
        if a == target:
            out[a] = COLOURS["target"]
        else:
            roles = ("comparison", "comparison_2", "comparison_3")
            out[a] = COLOURS[roles[k]] if k < 3 else PALETTE[k % len(PALETTE)]
            k += 1
    return out


def set_theme(context: str = "notebook", language: str | None = None, study: Any = None) -> None:
    """Apply the report's seaborn theme and palette (call once per notebook).

    In an IPython kernel with the inline backend, it also makes every figure
    shown carry its alt text and a numbered caption (``Figur 1. …``) in
    ``language`` (default: the notebook's ``language`` variable, else Swedish);
    figure numbers start again at 1 (the report numbers them by notebook,
    :func:`evaluation.report.render_html`). ``study``: the study whose
    activation kinds fix the kind colours (default: the notebook's ``study``).

    Examples
    --------
    >>> set_theme(language="en")
    >>> import matplotlib as mpl; mpl.rcParams["axes.titleweight"]
    'bold'
    >>> set_theme()  # (the language back to the notebook's)
    """
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context=context, style="whitegrid", palette=PALETTE, font_scale=1.0)
    mpl.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "figure.figsize": (9, 4.5),
            "svg.hashsalt": "sergel",
            "hatch.linewidth": 0.8,
        }
    )
    _STATE["language"] = language
    _STATE["study"] = study
    _STATE["figure"] = 0
    _install_display_hook()


def localise(obj: Any, language: str = "sv") -> Any:
    """Numbers on a figure in the language's style: a decimal comma on axes, colour bars and cell labels.

    ``obj``: a figure, an axes or a seaborn grid. Plain numeric axes keep
    matplotlib's choice of ticks and decimals with the decimal mark swapped;
    date, log and category axes are left alone. Returns ``obj``.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.plot([0, 0.5], [0, 1.5]); _ = localise(ax, "sv")
    >>> fig.canvas.draw(); [t.get_text() for t in ax.get_yticklabels()][:3]
    ['−0,2', '0,0', '0,2']
    >>> plt.close("all")
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import ScalarFormatter

    from ..i18n import decimal_mark

    mark = decimal_mark(language)
    if mark == ".":
        return obj

    class _Formatter(ScalarFormatter):
        def __call__(self, x: float, pos: int | None = None) -> str:
            return super().__call__(x, pos).replace(".", mark)

        def get_offset(self) -> str:
            return super().get_offset().replace(".", mark)

    fig = obj if isinstance(obj, Figure) else (obj.fig if hasattr(obj, "fig") else obj.figure)
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(_Formatter())
        for text in ax.texts:
            s = text.get_text()
            if re.fullmatch(r"[-−]?\d+\.\d+", s):
                text.set_text(s.replace(".", mark))
    return obj
