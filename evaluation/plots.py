"""One look for every figure: one colour scheme, labelled axes, alt text and a numbered caption.

The colour scheme (:data:`COLOURS`) gives each colour one meaning on every page
of the report: the activation kinds, the time without activation, the target
area and its comparison areas, co-interventions, confidence bands, and in the
synthesis whether a finding moves toward the goal. The colours come from Paul
Tol's colour-blind safe palettes (muted, bright and vibrant); anything without
a fixed meaning (e.g. the roles in the focus groups) takes Tol's "light"
palette (:data:`PALETTE`), whose colours no fixed meaning uses.

Every plotting function here describes its figure in words from its data
(:func:`describe`): what it shows and its key numbers, in the report's
language. In a notebook, :func:`set_theme` makes the inline backend send that
description with the image (``alt`` in the ``image/png`` output's metadata)
and a numbered caption, which the report template renders as ``<img alt>``
and ``<figcaption>``. Figures drawn with matplotlib or seaborn directly get a
description from their titles, axis labels and legend; call :func:`describe`
to give them their key numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "COLOURS",
    "GOAL_COLOURS",
    "GOAL_SIGN",
    "PALETTE",
    "colour",
    "set_theme",
    "LABELS",
    "label",
    "describe",
    "figure_text",
    "rate_plot",
    "heatmap",
    "timeline",
    "triangulation",
    "goal_direction",
    "calendar_heatmap",
    "survey_plot",
    "its_figure",
    "effort_figure",
    "share_bars",
    "monthly_counts",
    "localise",
]

#: The report's colours, one meaning each on every page (Paul Tol's colour-blind safe palettes).
COLOURS: dict[str, str] = {
    # activation state (00, 01) and the calendar's kinds of period
    "none": "#6E6E6E",  # no activation (grey)
    "activated": "#117733",  # any activation (Tol muted green)
    "art": "#117733",  # art activation (same as "activated": the main activation)
    "pilot": "#44AA99",  # pilot activation (Tol muted teal)
    "park": "#999933",  # temporary park (Tol muted olive)
    "event": "#AA4499",  # stage evenings and other one-day events (Tol muted purple)
    # other things that happen at the same time
    "policing": "#882255",  # policing, cameras (Tol muted wine)
    "co_intervention": "#882255",  # any co-intervention in a time series (same as policing)
    # places (03)
    "target": "#332288",  # the area evaluated: the study's site (Tol muted indigo)
    "comparison": "#88CCEE",  # the first comparison area (Tol muted cyan)
    "comparison_2": "#DDCC77",  # the second (Tol muted sand)
    "comparison_3": "#CC6677",  # the third (Tol muted rose)
    # sessions, counts without another meaning
    "sessions": "#222222",
}

#: Colours of the synthesis: whether a finding moves toward the city's goal (Tol bright / vibrant).
GOAL_COLOURS: dict[str, str] = {
    "toward": "#4477AA",  # toward the goal (blue)
    "away": "#EE7733",  # away from the goal (orange)
    "unclear": "#DDDDDD",  # no clear change (light grey)
    "concern": "#EECC66",  # a concern raised in the focus groups (Tol medium-contrast yellow)
    "context": "#F2F2F2",  # context without a direction
    "missing": "#FFFFFF",  # no data
}

#: Which direction of a finding moves toward the goal, by (question, source): +1 an
#: increase does, -1 a decrease does. Girls staying more is the activation's aim
#: (a welcoming square); exposure to drug dealing and crime should fall; the share
#: feeling safe should rise.
GOAL_SIGN: dict[tuple[str, str], int] = {
    ("girls", "observations"): 1,
    ("method_conflict", "observations"): -1,
    ("crime_safety", "crime"): -1,
    ("crime_safety", "survey"): 1,
}

#: Colours without a fixed meaning (Paul Tol's "light" palette, colour-blind safe).
PALETTE = ["#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00"]


def colour(code, k: int = 0) -> str:
    """The colour of a code in the scheme; otherwise the ``k``-th colour without a fixed meaning.

    ``1``/``True`` is ``activated``, ``0``/``False`` is ``none``.

    >>> colour("art"), colour(1), colour("zone-x", 1)
    ('#117733', '#117733', '#EE8866')
    """
    if isinstance(code, bool) or (isinstance(code, int) and code in (0, 1)):
        code = "activated" if code else "none"
    try:
        return COLOURS[code]
    except (KeyError, TypeError):
        return PALETTE[k % len(PALETTE)]


def _area_colours(areas, target: str | None = None) -> dict:
    """Target area indigo, comparison areas cyan, sand, rose in order."""
    out, k = {}, 0
    for a in areas:
        if a == target:
            out[a] = COLOURS["target"]
        else:
            out[a] = (
                COLOURS[("comparison", "comparison_2", "comparison_3")[k]] if k < 3 else PALETTE[k]
            )
            k += 1
    return out


def set_theme(context: str = "notebook", language: str | None = None) -> None:
    """Apply the report's seaborn theme and palette (call once per notebook).

    In an IPython kernel with the inline backend, it also makes every figure
    shown carry its alt text and a numbered caption (``Figur 1. …``) in
    ``language`` (default: the notebook's ``language`` variable, else Swedish);
    figure numbers start again at 1.
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
    _STATE["figure"] = 0
    _install_display_hook()


class _Labels(Mapping):
    """``LABELS[language][code]``: a read-only view of the catalogues' ``label.*`` messages."""

    def __getitem__(self, language: str) -> dict[str, str]:
        from . import i18n

        return {
            k[len("label.") :]: v
            for k, v in i18n.catalogue(language).items()
            if k.startswith("label.")
        }

    def __iter__(self):
        from . import i18n

        return iter(i18n.LANGUAGES)

    def __len__(self) -> int:
        from . import i18n

        return len(i18n.LANGUAGES)


#: Human labels of codes per language, from ``evaluation/messages/<lang>/labels.yaml``.
LABELS = _Labels()


def label(code, language: str = "sv") -> str:
    """Human label of a code in ``language`` (the code itself when unknown).

    >>> label("passing", "en"), label("passing", "sv")
    ('passing', 'passerar')
    """
    from . import i18n

    return i18n.label(code, language)


def _t(key: str, language: str, **values) -> str:
    from . import i18n

    return i18n.t(key, language, **values)


def localise(obj, language: str = "sv"):
    """Numbers on a figure in the language's style: a decimal comma on axes, colour bars and cell labels.

    ``obj``: a figure, an axes or a seaborn grid. Plain numeric axes keep
    matplotlib's choice of ticks and decimals with the decimal mark swapped;
    date, log and category axes are left alone. Returns ``obj``.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.plot([0, 0.5], [0, 1.5]); _ = localise(ax, "sv")
    >>> fig.canvas.draw(); [t.get_text() for t in ax.get_yticklabels()][:3]
    ['−0,2', '0,0', '0,2']
    >>> plt.close("all")
    """
    import re

    from matplotlib.ticker import ScalarFormatter

    from .i18n import decimal_mark

    mark = decimal_mark(language)
    if mark == ".":
        return obj

    class _Formatter(ScalarFormatter):
        def __call__(self, x, pos=None):
            return super().__call__(x, pos).replace(".", mark)

        def get_offset(self):
            return super().get_offset().replace(".", mark)

    from matplotlib.figure import Figure

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


# ------------------------------------------------------------------ alt text and captions
#: the notebook's language (set by set_theme) and the number of the last figure shown
_STATE: dict = {"language": None, "figure": 0}


def _language(default: str = "sv") -> str:
    """The report language: set_theme's, else the kernel's ``language`` variable, else ``default``."""
    from .i18n import LANGUAGES

    lang = _STATE.get("language")
    if lang is None:
        try:
            from IPython import get_ipython

            ip = get_ipython()
            lang = ip.user_ns.get("language") if ip is not None else None
        except ImportError:  # pragma: no cover - IPython is a dependency
            lang = None
    return lang if lang in LANGUAGES else default


def _figure(obj):
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        return obj
    if hasattr(obj, "figure") and isinstance(obj.figure, Figure):
        return obj.figure
    return obj.fig  # a seaborn grid


def describe(obj, alt: str | None = None, caption: str | None = None):
    """Give a figure its alt text and caption (both in the report's language); returns ``obj``.

    ``obj``: a figure, an axes or a seaborn grid. ``alt`` replaces the
    description the plotting functions wrote from the data; ``caption`` (the
    text after "Figur n.") defaults to the figure's titles.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_title("Antal per år")
    >>> _ = describe(ax, alt="Staplar: 12 år 2020, 15 år 2021.")
    >>> figure_text(fig, "sv")
    ('Staplar: 12 år 2020, 15 år 2021.', 'Antal per år')
    >>> plt.close("all")
    """
    fig = _figure(obj)
    if alt is not None:
        fig._sergel_alt = [alt]
    if caption is not None:
        fig._sergel_caption = caption
    return obj


def _add_alt(ax, text: str) -> None:
    """Append a description of one axes to its figure's alt text."""
    fig = ax.figure
    parts = getattr(fig, "_sergel_alt", [])
    fig._sergel_alt = [*parts, text]


def _titles(fig) -> str:
    sup = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    titles = [t for ax in fig.axes if (t := ax.get_title().strip())]
    return "; ".join([sup] if sup else titles)


def _generic_alt(fig, language: str) -> str:
    """A description from what the figure says about itself: titles, axis labels, legend."""
    parts = [
        _t("a11y.figure_generic", language, title=_titles(fig) or _t("a11y.no_title", language))
    ]
    for ax in fig.axes:
        x, y = ax.get_xlabel().strip(), ax.get_ylabel().strip()
        if x or y:
            parts.append(_t("a11y.axes", language, x=x or "–", y=y or "–"))
        leg = ax.get_legend()
        if leg is not None:
            items = [t.get_text() for t in leg.get_texts() if t.get_text()]
            if items:
                parts.append(_t("a11y.legend", language, items=", ".join(items)))
    return " ".join(parts)


def figure_text(fig, language: str | None = None) -> tuple[str, str]:
    """``(alt, caption)`` of a figure: the description from its data and its caption text.

    Figures not drawn by this module get a description from their titles, axis
    labels and legend. The caption is the one given to :func:`describe`, else
    the figure's titles, else the first sentence of the description.
    """
    language = language or _language()
    fig = _figure(fig)
    parts = getattr(fig, "_sergel_alt", None)
    alt = " ".join(parts) if parts else _generic_alt(fig, language)
    caption = getattr(fig, "_sergel_caption", None) or _titles(fig) or alt.split(". ")[0]
    return alt, caption


def _install_display_hook() -> None:
    """Make the inline backend send each figure's alt text and numbered caption as metadata.

    The report template (``templates/sergel``) renders them as ``<img alt>`` and
    ``<figcaption>``. Outside an IPython kernel with the inline backend this does nothing.
    """
    try:
        import matplotlib_inline.backend_inline as bi
    except ImportError:  # pragma: no cover - matplotlib-inline comes with ipykernel
        return
    if getattr(bi._fetch_figure_metadata, "_sergel", False):
        return
    original = bi._fetch_figure_metadata

    def fetch(fig):
        md = original(fig) or {}
        try:
            language = _language()
            alt, caption = figure_text(fig, language)
            _STATE["figure"] += 1
            md = dict(md)
            md["image/png"] = {
                **md.get("image/png", {}),
                "alt": alt,
                "caption": _t("a11y.figure_caption", language, n=_STATE["figure"], text=caption),
            }
        except Exception:  # a description must never stop a figure from being shown
            pass
        return md or None

    fetch._sergel = True
    bi._fetch_figure_metadata = fetch


def _variable(code: str, language: str) -> str:
    """A column's name in words (``activation`` -> ``aktiveringsläge``), else its label."""
    from . import i18n

    key = f"a11y.variable.{code}"
    return i18n.t(key, language) if i18n.has(key, language) else label(code, language)


def _n(x, language: str, digits: int = 2) -> str:
    from . import i18n

    return i18n.number(float(x), language, digits)


def _ax(ax, figsize=(9, 4.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def rate_plot(
    table,
    x: str,
    hue: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    language: str | None = None,
    ax=None,
):
    """Point estimates with CI bars from a rate table (``rate``, ``ci_low``, ``ci_high``).

    ``ylabel`` defaults to "per hour" in ``language``; ``x`` and ``hue`` values are
    codes shown by their labels and coloured by the scheme (activation kinds,
    no activation). The legend sits outside the axes so it covers no point.
    The figure's alt text lists every estimate with its interval.
    """
    language = language or _language()  # default: the notebook's language
    import numpy as np
    from matplotlib.lines import Line2D

    ax = _ax(ax)

    def name(v):
        if isinstance(v, (bool, np.bool_)) or (isinstance(v, (int, np.integer)) and v in (0, 1)):
            return label("activated", language) if v else label("none", language)
        return label(v, language)

    groups = [(None, table)] if hue is None else list(table.groupby(hue, sort=True))
    xs = list(dict.fromkeys(table[x]))
    width = 0.8 / max(len(groups), 1)
    points, handles = [], []
    for k, (h, g) in enumerate(groups):
        pos = np.array([xs.index(v) for v in g[x]]) + (k - (len(groups) - 1) / 2) * width
        colours = [colour(h, k)] * len(g) if hue is not None else [colour(v, 0) for v in g[x]]
        for p_, r, c in zip(pos, g.itertuples(), colours, strict=True):
            ax.errorbar(
                [p_],
                [r.rate],
                yerr=[[r.rate - r.ci_low], [r.ci_high - r.rate]],
                fmt="o",
                capsize=4,
                color=c,
            )
            who = name(getattr(r, x)) + (f" ({name(h)})" if hue is not None else "")
            points.append((who, r.rate, r.ci_low, r.ci_high))
        if hue is not None:
            handles.append(Line2D([], [], marker="o", ls="", color=colour(h, k), label=name(h)))
    ax.set_xticks(range(len(xs)), [label(v, language) for v in xs])
    measure = ylabel if ylabel is not None else _t("plot.per_hour", language)
    ax.set_ylabel(measure)
    ax.set_xlabel("")
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    if hue is not None:
        ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if points:
        hi = max(points, key=lambda p: p[1])
        lo = min(points, key=lambda p: p[1])
        _add_alt(
            ax,
            _t(
                "a11y.rate_plot",
                language,
                measure=measure,
                by=_variable(x, language) + (" / " + _variable(hue, language) if hue else ""),
                points="; ".join(
                    _t(
                        "a11y.point",
                        language,
                        name=w,
                        value=_n(v, language),
                        lo=_n(lo_, language),
                        hi=_n(hi_, language),
                    )
                    for w, v, lo_, hi_ in points[:16]
                ),
                max_name=hi[0],
                max_value=_n(hi[1], language),
                min_name=lo[0],
                min_value=_n(lo[1], language),
            ),
        )
    return localise(ax, language)


def heatmap(
    matrix,
    title: str | None = None,
    fmt: str = ".0f",
    cmap: str = "Blues",
    cbar_label: str = "",
    ax=None,
    figsize=(9, 6),
    language: str | None = None,
):
    """A labelled heatmap of a DataFrame (rows x columns); numbers in ``language``'s style.

    The alt text gives the size and the highest and lowest cells.
    """
    language = language or _language()  # default: the notebook's language
    import numpy as np
    import seaborn as sns

    ax = _ax(ax, figsize)
    sns.heatmap(
        matrix,
        annot=True,
        fmt=fmt,
        cmap=cmap,
        linewidths=0.5,
        cbar_kws={"label": cbar_label},
        ax=ax,
    )
    if title:
        ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    values = np.asarray(matrix, dtype=float)
    if values.size and np.isfinite(values).any():
        digits = int(fmt[1]) if fmt.startswith(".") and fmt[1:2].isdigit() else 0
        imax = np.unravel_index(np.nanargmax(values), values.shape)
        imin = np.unravel_index(np.nanargmin(values), values.shape)
        _add_alt(
            ax,
            (title + ". " if title else "")
            + _t(
                "a11y.heatmap",
                language,
                n_rows=values.shape[0],
                n_cols=values.shape[1],
                unit=f" ({cbar_label})" if cbar_label else "",
                max_value=_n(values[imax], language, digits),
                max_row=label(matrix.index[imax[0]], language),
                max_col=label(matrix.columns[imax[1]], language),
                min_value=_n(values[imin], language, digits),
                min_row=label(matrix.index[imin[0]], language),
                min_col=label(matrix.columns[imin[1]], language),
            ),
        )
    return localise(ax, language)


def timeline(
    calendar, sessions=None, title: str | None = None, language: str | None = None, ax=None
):
    """Calendar periods as bars by kind, with observation sessions as ticks.

    Each kind in its colour of the scheme; one-day events are drawn as marks
    wide enough to see. The x axis runs from the first to the last date in the
    calendar and sessions.
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.dates as mdates
    import pandas as pd

    from . import i18n

    ax = _ax(ax, (10, 3.5))
    # the study's kinds in the order they first start, co-interventions (policing) last
    first = calendar.sort_values("start").drop_duplicates("kind")["kind"].tolist()
    kinds = [k for k in first if k != "policing"] + [k for k in first if k == "policing"]
    counts = []
    for i, kind in enumerate(kinds):
        rows = calendar[calendar["kind"] == kind]
        if len(rows):
            counts.append(_t("a11y.count", language, label=label(kind, language), n=len(rows)))
        for r in rows.itertuples():
            days = (r.end - r.start).days + 1
            ax.barh(
                i,
                max(days, 6),  # a one-day event is still visible on a multi-year axis
                left=r.start if days >= 6 else r.start - pd.Timedelta(days=3),
                height=0.6,
                color=colour(kind, i),
                edgecolor=colour(kind, i),
            )
    labels = {k: label(k, language) for k in kinds}
    labels["sessions"] = label("sessions", language)
    ticks = [labels[k] for k in kinds]
    starts = list(pd.to_datetime(calendar["start"]))
    ends = list(pd.to_datetime(calendar["end"]))
    extra = ""
    if sessions is not None and len(sessions):
        d = pd.to_datetime(sessions["date"])
        ax.scatter(d, [len(kinds)] * len(sessions), marker="|", s=80, color=COLOURS["sessions"])
        ticks.append(labels["sessions"])
        starts.append(d.min())
        ends.append(d.max())
        extra = _t(
            "a11y.timeline_sessions",
            language,
            n=len(sessions),
            first=i18n.date(d.min(), language),
            last=i18n.date(d.max(), language),
        )
    ax.set_yticks(range(len(ticks)), ticks)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel(_t("plot.year", language))
    if starts:
        lo, hi = min(starts), max(ends)
        ax.set_xlim(lo - pd.Timedelta(days=15), hi + pd.Timedelta(days=15))
        _add_alt(
            ax,
            _t(
                "a11y.timeline",
                language,
                start=i18n.date(lo, language),
                end=i18n.date(hi, language),
                kinds=", ".join(counts),
                sessions=extra,
            ),
        )
    if title:
        ax.set_title(title)
    return ax


#: the synthesis' direction codes coloured by meaning (kept for callers of the old name)
DIRECTION_COLOURS = {
    "unclear": GOAL_COLOURS["unclear"],
    "no_clear_change": GOAL_COLOURS["unclear"],
    "concern": GOAL_COLOURS["concern"],
    "context": GOAL_COLOURS["context"],
    "missing": GOAL_COLOURS["missing"],
}


def _code(text: str, prefix: str, language: str) -> str:
    """The catalogue code of a translated text (``findings.question.girls`` -> ``girls``), else the text."""
    from . import i18n

    for lang in (language, *i18n.LANGUAGES):
        key = i18n.reverse(lang, prefix).get(text)
        if key:
            return key[len(prefix) + 1 :]
    return text


def goal_direction(question: str, source: str, direction: str, goal_sign=None) -> str:
    """Whether a finding moves toward the goal: ``toward``, ``away``, ``unclear``, ``concern``, ``context`` or ``missing``.

    ``question`` and ``source`` are the codes of :mod:`evaluation.results`;
    ``goal_sign`` maps (question, source) to +1 (an increase is toward the goal)
    or -1 (a decrease is), default :data:`GOAL_SIGN`. A direction without a
    sign for its question is ``unclear``.

    >>> goal_direction("crime_safety", "crime", "decrease"), goal_direction("girls", "observations", "decrease")
    ('toward', 'away')
    >>> goal_direction("crime_safety", "survey", "no_clear_change")
    'unclear'
    """
    if direction in ("increase", "decrease"):
        sign = (GOAL_SIGN if goal_sign is None else goal_sign).get((question, source), 0)
        if sign == 0:
            return "unclear"
        return "toward" if (sign > 0) == (direction == "increase") else "away"
    if direction in ("concern", "context", "missing"):
        return direction
    return "unclear"


def triangulation(
    evidence, title: str | None = None, ax=None, language: str | None = None, goal_sign=None
):
    """Questions x sources, each cell coloured by whether the finding moves toward the goal.

    ``evidence``: the DataFrame of :func:`evaluation.analyses.synthesis.evidence_table`
    with ``labels=False`` (``question``, ``source`` in the report's language or
    as codes; ``direction`` as codes shown by their labels in ``language``). A
    cell with several findings shows them all (e.g. ``decrease / context``).
    Colours (:data:`GOAL_COLOURS`): an increase is not good or bad in itself: a
    drop in crime and a rise in girls staying both move toward the goal
    (:data:`GOAL_SIGN`). A legend below the grid names the colours.
    """
    language = language or _language()  # default: the notebook's language
    import textwrap

    from matplotlib.patches import Patch, Rectangle

    questions = list(dict.fromkeys(evidence["question"]))
    sources = list(dict.fromkeys(evidence["source"]))
    ax = _ax(ax, (10, 1.8 + 0.9 * len(questions)))
    used: dict[str, int] = {}
    for i, q in enumerate(questions):
        qc = _code(q, "findings.question", language)
        for j, s_ in enumerate(sources):
            sc = _code(s_, "findings.source", language)
            dirs = list(
                dict.fromkeys(
                    evidence.loc[
                        (evidence["question"] == q) & (evidence["source"] == s_), "direction"
                    ]
                )
            ) or ["missing"]
            goals = [goal_direction(qc, sc, d, goal_sign) for d in dirs]
            main = next(
                (g for g in goals if g in ("toward", "away", "concern")),
                goals[0],
            )
            used[main] = used.get(main, 0) + 1
            ax.add_patch(
                Rectangle(
                    (j, i),
                    1,
                    1,
                    facecolor=GOAL_COLOURS[main],
                    edgecolor="white",
                    lw=3,
                )
            )
            ax.text(
                j + 0.5,
                i + 0.5,
                " / ".join(label(d, language) for d in dirs),
                ha="center",
                va="center",
                fontsize=9,
                color="white" if main in ("toward",) else "black",
            )
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
    order = ["toward", "away", "unclear", "concern", "context", "missing"]
    ax.legend(
        handles=[
            Patch(
                facecolor=GOAL_COLOURS[g], edgecolor="#999999", label=_t(f"a11y.goal.{g}", language)
            )
            for g in order
            if g in used
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=3,
        frameon=False,
        fontsize=9,
    )
    if title:
        ax.set_title(title, pad=28)
    _add_alt(
        ax,
        _t(
            "a11y.triangulation",
            language,
            n_questions=len(questions),
            n_sources=len(sources),
            counts=", ".join(
                _t("a11y.count", language, label=_t(f"a11y.goal.{g}", language), n=used[g])
                for g in order
                if g in used
            ),
        ),
    )
    return ax


def calendar_heatmap(sessions, title: str | None = None, language: str | None = None):
    """Observation sessions per day as calendar grids (weeks x weekdays), one panel per year.

    ``sessions``: with ``date`` (datetime or ``YYYY-MM-DD``). Returns the figure.
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.pyplot as plt
    import pandas as pd
    import seaborn as sns

    d = pd.to_datetime(sessions["date"])
    days = d.value_counts().sort_index()
    years = sorted(days.index.year.unique())
    fig, axes = plt.subplots(1, len(years), figsize=(5 * len(years), 4), squeeze=False)
    from .i18n import weekday_names

    names = weekday_names(language)
    vmax = int(days.max()) if len(days) else 1
    for ax, year in zip(axes[0], years, strict=True):
        y = days[days.index.year == year]
        grid = pd.DataFrame(
            {
                "week": y.index.isocalendar().week.to_numpy(),
                "weekday": y.index.day_of_week,
                "n": y.to_numpy(),
            }
        )
        mat = grid.pivot_table(index="weekday", columns="week", values="n", aggfunc="sum").reindex(
            range(7)
        )
        sns.heatmap(
            mat,
            ax=ax,
            cmap="Blues",
            vmin=0,
            vmax=vmax,
            cbar=ax is axes[0][-1],
            linewidths=0.5,
            linecolor="white",
            cbar_kws={"label": label("sessions", language)},
        )
        ax.set_yticks([i + 0.5 for i in range(7)], names, rotation=0)
        ax.set_xlabel(_t("plot.week", language))
        ax.set_ylabel("")
        ax.set_title(str(year))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if len(days):
        from . import i18n

        fig._sergel_alt = [
            _t(
                "a11y.calendar_heatmap",
                language,
                years=", ".join(str(y) for y in years),
                n=int(days.sum()),
                days=len(days),
                max=vmax,
                max_date=i18n.date(days.idxmax(), language),
            )
        ]
    return localise(fig, language)


def _kernel_variable(name: str):
    """A variable of the notebook's kernel (a papermill parameter such as ``area``), else ``None``."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
        return ip.user_ns.get(name) if ip is not None else None
    except ImportError:  # pragma: no cover
        return None


def survey_plot(
    proportions, item: str, language: str | None = None, ax=None, target: str | None = None
):
    """Share feeling safe per year and area, with the Wilson intervals as error bars.

    ``proportions``: :func:`evaluation.stats.survey_proportions`'s table.
    ``target``: the area evaluated, drawn in the target colour (default: the
    notebook's ``area`` parameter); the others in the comparison colours. The
    legend sits outside the axes; the x axis spans the survey years.
    """
    language = language or _language()  # default: the notebook's language
    ax = _ax(ax)
    s = proportions[proportions["item"] == item]
    if target is None:
        target = _kernel_variable("area")
    areas = sorted(s["area"].unique(), key=lambda a: (a != target, str(a)))
    cols = _area_colours(areas, target)
    series = []
    for area in areas:
        g = s[s["area"] == area].sort_values("year")
        ax.errorbar(
            g["year"],
            g["proportion"] * 100,
            yerr=[(g["proportion"] - g["ci_low"]) * 100, (g["ci_high"] - g["proportion"]) * 100],
            fmt="o-",
            capsize=3,
            color=cols[area],
            lw=2.5 if area == target else 1.5,
            label=label(area, language),
        )
        if len(g):
            series.append(
                _t(
                    "a11y.survey_series",
                    language,
                    area=label(area, language),
                    first_value=_n(g["proportion"].iloc[0] * 100, language, 0) + " %",
                    first_year=int(g["year"].iloc[0]),
                    last_value=_n(g["proportion"].iloc[-1] * 100, language, 0) + " %",
                    last_year=int(g["year"].iloc[-1]),
                )
            )
    ax.set_ylabel(_t("plot.pct_safe", language))
    ax.set_xlabel(_t("plot.survey_year", language))
    ax.set_title(label(item, language))
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylim(0, 100)
    if len(s):
        from matplotlib.ticker import MaxNLocator

        ax.set_xlim(s["year"].min() - 0.5, s["year"].max() + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _add_alt(
        ax, _t("a11y.survey_plot", language, item=label(item, language), series="; ".join(series))
    )
    return localise(ax, language)


def its_figure(
    result,
    ax=None,
    events=None,
    title: str | None = None,
    language: str | None = None,
    ylabel: str | None = None,
):
    """The interrupted-time-series figure of an :class:`evaluation.stats.its.ITSResult`, labelled in ``language``.

    Observed points and fitted line of the target area (the scheme's target
    colour; a comparison series in the comparison colour), the dashed
    counterfactual (no intervention) with its 95% band (a light fill of the
    same colour, named in the legend), a line at the intervention and the
    co-interventions (``events``: ``start``, ``end``, ``name``) as hatched spans
    in the co-intervention colour, named in the legend and cut to the series'
    months. The x axis spans the data only. The legend sits below the axes.
    Every text from the catalogue (``plot.its.*``); the alt text gives the
    period, the intervention and the modelled level change with its CI.
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.pyplot as plt
    import pandas as pd

    from . import i18n

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.5))
    cf = result.counterfactual()
    monthly = result.checks.get("time_kind") == "month"
    x_all = pd.PeriodIndex(cf["period"], freq="M").to_timestamp() if monthly else cf["period"]
    cf = cf.assign(x=list(x_all))
    for series, g in cf.groupby("series", sort=False):
        col = COLOURS["target"] if series == "treated" else COLOURS["comparison"]
        which = label(f"its_{series}", language)
        ax.scatter(
            g["x"],
            g["observed"],
            s=12,
            color=col,
            alpha=0.7,
            label=_t("plot.its.observed_series", language, series=which)
            if result.comparative
            else _t("plot.its.observed", language),
        )
        ax.plot(
            g["x"],
            g["fitted"],
            color=col,
            lw=2,
            label=_t("plot.its.fitted_series", language, series=which)
            if result.comparative
            else _t("plot.its.fitted", language),
        )
        post = g[g["post"]]
        if series == "treated":
            ax.plot(
                post["x"],
                post["counterfactual"],
                color=col,
                lw=1.5,
                ls="--",
                label=_t("plot.its.counterfactual", language),
            )
            ax.fill_between(
                post["x"],
                post["cf_ci_low"],
                post["cf_ci_high"],
                color=col,
                alpha=0.15,
                lw=0,
                label=_t("a11y.colour.band", language),
            )
    x0, x1 = cf["x"].min(), cf["x"].max()
    start = cf.loc[cf["post"], "x"].min()
    ax.axvline(start, color="black", lw=1)
    ax.text(start, ax.get_ylim()[1], f" {result.intervention}", va="top", fontsize=9)
    names = []
    if events is not None and monthly:
        for ev in events.itertuples():
            lo, hi = max(pd.Timestamp(ev.start), x0), min(pd.Timestamp(ev.end), x1)
            if lo > hi:
                continue
            name = str(getattr(ev, "name", "") or "")
            names.append(name)
            ax.axvspan(
                lo,
                hi,
                facecolor="none",
                edgecolor=COLOURS["co_intervention"],
                hatch=("//", "\\\\", "xx", "..")[
                    (len(names) - 1) % 4
                ],  # overlapping periods stay apart
                lw=0,
                alpha=0.6,
                label=_t("plot.its.co_intervention", language) + (f": {name}" if name else ""),
            )
    ax.set_xlim(x0, x1)
    measure = ylabel if ylabel is not None else _t("plot.its.count_per_month", language)
    ax.set_ylabel(measure)
    ax.set_xlabel(_t("plot.its.month", language))
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
    eff = result.effects.loc["level_change"] if "level_change" in result.effects.index else None
    effect = (
        i18n.ci(eff["rate_ratio"], eff["ci_low"], eff["ci_high"], language)
        if eff is not None
        else "–"
    )
    first, last = cf["period"].iloc[0], cf["period"].iloc[-1]
    _add_alt(
        ax,
        (title + ". " if title else "")
        + _t(
            "a11y.its_figure",
            language,
            measure=measure,
            start=str(first),
            end=str(last),
            n=int(cf.loc[cf["series"] == cf["series"].iloc[0], "observed"].notna().sum()),
            intervention=str(result.intervention),
            effect=effect,
            events=_t("a11y.its_events", language, names=", ".join(names)) if names else "",
        ),
    )
    return localise(ax, language)


def effort_figure(effort, language: str | None = None, title: str | None = None):
    """The observation effort: sessions and hours by zone, hour of day and weekday, by activation state.

    ``effort``: :func:`evaluation.analyses.effort.observation_effort`'s table.
    Two rows (sessions, hours) by three columns (zone, hour of day, weekday)
    of bars stacked by activation state in the scheme's colours, one legend.
    Returns the figure; its alt text gives the totals, the most and least
    observed zone, the hours of day covered and the weekdays observed.
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch

    from .analyses.effort import effort_by
    from .i18n import weekday_names

    states = list(dict.fromkeys(sorted(effort["activation"], key=lambda a: (a != "none", a))))
    fig, axes = plt.subplots(2, 3, figsize=(13, 6.5), gridspec_kw={"width_ratios": [1.2, 2, 1]})
    dims = [
        ("zone", "effort.by_zone"),
        ("hour", "effort.by_hour"),
        ("weekday", "effort.by_weekday"),
    ]
    for col, (dim, head) in enumerate(dims):
        t = effort_by(effort, dim)
        levels = list(dict.fromkeys(t[dim]))
        x = np.arange(len(levels))
        for row, measure in enumerate(("sessions", "hours")):
            ax = axes[row][col]
            bottom = np.zeros(len(levels))
            for k, st in enumerate(states):
                v = (
                    t[t["activation"] == st]
                    .set_index(dim)[measure]
                    .reindex(levels, fill_value=0)
                    .to_numpy(dtype=float)
                )
                ax.bar(x, v, bottom=bottom, color=colour(st, k), width=0.8, lw=0)
                bottom += v
            if dim == "zone":
                ticks = [label(z, language) for z in levels]
                ax.set_xticks(x, ticks, rotation=30, ha="right")
            elif dim == "weekday":
                ax.set_xticks(x, weekday_names(language))
            else:
                ax.set_xticks(x[::3], [str(h) for h in levels][::3])
                ax.set_xlim(-0.6, 23.6)
            ax.set_ylabel(_t(f"effort.{measure}", language) if col == 0 else "")
            if row == 0:
                ax.set_title(_t(head, language))
                ax.set_xticklabels([])
            else:
                ax.set_xlabel(_t(f"effort.{dim}", language))
            ax.grid(axis="x", visible=False)
    fig.legend(
        handles=[
            Patch(color=colour(st, k), label=label(st, language)) for k, st in enumerate(states)
        ],
        title=_t("effort.legend", language),
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
    )
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    by_zone = effort.groupby("zone")["hours"].sum().sort_values()
    by_state = effort.groupby("activation")[["sessions", "hours"]].sum()
    if len(effort):
        fig._sergel_alt = [
            _t(
                "effort.alt",
                language,
                sessions=int(effort["sessions"].sum()),
                hours=_n(effort["hours"].sum(), language, 1),
                states="; ".join(
                    _t(
                        "effort.state",
                        language,
                        state=label(st, language),
                        sessions=int(by_state.loc[st, "sessions"]),
                        hours=_n(by_state.loc[st, "hours"], language, 1),
                    )
                    for st in states
                ),
                top_zone=label(by_zone.index[-1], language),
                top_zone_hours=_n(by_zone.iloc[-1], language, 1),
                low_zone=label(by_zone.index[0], language),
                low_zone_hours=_n(by_zone.iloc[0], language, 1),
                first_hour=int(effort["hour"].min()),
                last_hour=int(effort["hour"].max()),
                weekdays=int(effort["weekday"].nunique()),
            )
        ]
        fig._sergel_caption = title or _t("effort.title", language)
    return localise(fig, language)


def share_bars(
    shares,
    title: str | None = None,
    xlabel: str | None = None,
    legend_title: str | None = None,
    language: str | None = None,
    ax=None,
):
    """Horizontal bars of each group's share per category (e.g. themes by professional role).

    ``shares``: long format with ``theme`` (category label), ``role`` (group
    label) and ``share`` (percent), e.g. :func:`evaluation.analyses.focus.role_shares`.
    Groups take the colours without a fixed meaning (:data:`PALETTE`); the
    legend sits outside the bars. The alt text names each group's largest
    category with its share.
    """
    language = language or _language()  # default: the notebook's language
    import numpy as np

    themes = list(dict.fromkeys(shares["theme"]))
    roles = list(dict.fromkeys(shares["role"]))
    ax = _ax(ax, (9, 1.2 + 0.45 * len(themes) * max(1, len(roles)) / 2))
    h = 0.8 / max(len(roles), 1)
    y = np.arange(len(themes))
    tops = []
    for k, role in enumerate(roles):
        g = shares[shares["role"] == role].set_index("theme")["share"].reindex(themes)
        ax.barh(
            y + (k - (len(roles) - 1) / 2) * h,
            g.fillna(0).to_numpy(),
            height=h,
            color=PALETTE[k % len(PALETTE)],
            label=role,
        )
        if g.notna().any():
            tops.append(f"{role}: {g.idxmax()} ({_n(g.max(), language, 0)} %)")
    ax.set_yticks(y, themes)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel("")
    if title:
        ax.set_title(title)
    ax.legend(
        frameon=False, fontsize=8, title=legend_title, loc="upper left", bbox_to_anchor=(1.0, 1.0)
    )
    _add_alt(
        ax,
        (title + ". " if title else "")
        + _t("a11y.share_bars", language, n=len(themes), groups=len(roles), tops="; ".join(tops)),
    )
    return localise(ax, language)


def monthly_counts(
    reported,
    categories,
    areas,
    target: str | None = None,
    ylabel: str | None = None,
    legend_title: str | None = None,
    language: str | None = None,
):
    """Reported crimes per month, one panel per category, one line per area (log scale).

    ``reported``: ``month``, ``area``, ``category``, ``count`` (codes). The
    target area in the target colour, comparison areas in the comparison
    colours; the x axis spans the months in the data. Returns the figure; the
    alt text gives each area's monthly mean in the first and last year.
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.pyplot as plt
    import pandas as pd

    d = reported[reported["category"].isin(categories) & reported["area"].isin(areas)].copy()
    d["month"] = pd.to_datetime(d["month"].astype(str))
    cols = _area_colours(sorted(areas, key=lambda a: a != target), target)
    fig, axes = plt.subplots(1, len(categories), figsize=(6 * len(categories), 3.8), squeeze=False)
    parts = []
    for ax, cat in zip(axes[0], categories, strict=True):
        c = d[d["category"] == cat]
        means = []
        for area in sorted(areas, key=lambda a: a != target):
            g = c[c["area"] == area].sort_values("month")
            if g.empty:
                continue
            ax.plot(
                g["month"],
                g["count"],
                color=cols[area],
                lw=2 if area == target else 1.3,
                label=label(area, language),
            )
            y0, y1 = g["month"].dt.year.min(), g["month"].dt.year.max()
            m0 = g.loc[g["month"].dt.year == y0, "count"].mean()
            m1 = g.loc[g["month"].dt.year == y1, "count"].mean()
            means.append(
                _t(
                    "a11y.monthly_series",
                    language,
                    area=label(area, language),
                    first=_n(m0, language, 1),
                    first_year=int(y0),
                    last=_n(m1, language, 1),
                    last_year=int(y1),
                )
            )
        ax.set_yscale("log")
        if len(c):
            ax.set_xlim(c["month"].min(), c["month"].max())
        ax.set_title(label(cat, language))
        ax.set_xlabel("")
        ax.set_ylabel(ylabel or "")
        parts.append(f"{label(cat, language)}: " + "; ".join(means))
    axes[0][-1].legend(
        frameon=False, title=legend_title, loc="upper left", bbox_to_anchor=(1.0, 1.0)
    )
    fig.tight_layout()
    fig._sergel_alt = [
        _t("a11y.monthly_counts", language, measure=ylabel or "", series=". ".join(parts))
    ]
    return localise(fig, language)
