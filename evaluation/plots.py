"""One look for every figure: a seaborn theme, a colour-blind palette, labelled axes."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "PALETTE",
    "set_theme",
    "LABELS",
    "label",
    "rate_plot",
    "heatmap",
    "timeline",
    "triangulation",
    "calendar_heatmap",
    "survey_plot",
    "its_figure",
    "localise",
]

#: Paul Tol's "bright" qualitative palette, safe for colour-blind readers.
PALETTE = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]


def set_theme(context: str = "notebook") -> None:
    """Apply the report's seaborn theme and palette (call once per notebook)."""
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
        }
    )


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
    language: str = "sv",
    ax=None,
):
    """Point estimates with CI bars from a rate table (``rate``, ``ci_low``, ``ci_high``).

    ``ylabel`` defaults to "per hour" in ``language``; ``x`` and ``hue`` values are
    codes shown by their labels.
    """
    import numpy as np

    ax = _ax(ax)
    groups = [(None, table)] if hue is None else list(table.groupby(hue, sort=True))
    xs = list(dict.fromkeys(table[x]))
    width = 0.8 / max(len(groups), 1)
    for k, (h, g) in enumerate(groups):
        pos = np.array([xs.index(v) for v in g[x]]) + (k - (len(groups) - 1) / 2) * width
        ax.errorbar(
            pos,
            g["rate"],
            yerr=[g["rate"] - g["ci_low"], g["ci_high"] - g["rate"]],
            fmt="o",
            capsize=4,
            color=PALETTE[k % len(PALETTE)],
            label=None
            if h is None
            else label(h, language)
            if not isinstance(h, (int, np.integer))
            else (label("activated", language) if h else label("none", language)),
        )
    ax.set_xticks(range(len(xs)), [label(v, language) for v in xs])
    ax.set_ylabel(ylabel if ylabel is not None else _t("plot.per_hour", language))
    ax.set_xlabel("")
    ax.set_ylim(bottom=0)
    if title:
        ax.set_title(title)
    if hue is not None:
        ax.legend(frameon=False)
    return localise(ax, language)


def heatmap(
    matrix,
    title: str | None = None,
    fmt: str = ".0f",
    cmap: str = "Blues",
    cbar_label: str = "",
    ax=None,
    figsize=(9, 6),
    language: str = "sv",
):
    """A labelled heatmap of a DataFrame (rows x columns); numbers in ``language``'s style."""
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
    return localise(ax, language)


def timeline(calendar, sessions=None, title: str | None = None, language: str = "sv", ax=None):
    """Calendar periods as bars by kind, with observation sessions as ticks."""
    import matplotlib.dates as mdates
    import pandas as pd

    ax = _ax(ax, (10, 3.5))
    # the study's kinds in the order they first start, co-interventions (policing) last
    first = calendar.sort_values("start").drop_duplicates("kind")["kind"].tolist()
    kinds = [k for k in first if k != "policing"] + [k for k in first if k == "policing"]
    for i, kind in enumerate(kinds):
        rows = calendar[calendar["kind"] == kind]
        for r in rows.itertuples():
            ax.barh(
                i,
                (r.end - r.start).days + 1,
                left=r.start,
                height=0.6,
                color=PALETTE[i % len(PALETTE)],
                alpha=0.8,
            )
    labels = {k: label(k, language) for k in kinds}
    labels["sessions"] = label("sessions", language)
    ticks = [labels[k] for k in kinds]
    if sessions is not None and len(sessions):
        ax.scatter(
            pd.to_datetime(sessions["date"]),
            [len(kinds)] * len(sessions),
            marker="|",
            s=80,
            color="black",
        )
        ticks.append(labels["sessions"])
    ax.set_yticks(range(len(ticks)), ticks)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    if title:
        ax.set_title(title)
    return ax


DIRECTION_COLOURS = {
    "increase": "#EE6677",
    "decrease": "#4477AA",
    "unclear": "#DDDDDD",
    "no_clear_change": "#DDDDDD",
    "concern": "#CCBB44",
    "context": "#EEEEEE",
    "missing": "#FFFFFF",
}


def triangulation(evidence, title: str | None = None, ax=None, language: str = "sv"):
    """Questions x sources, each cell coloured and labelled by the source's direction.

    ``evidence``: the DataFrame of :func:`evaluation.analyses.synthesis.evidence_table`
    (``question``, ``source``, ``direction``; questions and sources already in
    the report's language, directions as codes shown by their labels in
    ``language``). A cell with several findings shows them all (e.g.
    ``decrease / context``).
    """
    import textwrap

    from matplotlib.patches import Rectangle

    questions = list(dict.fromkeys(evidence["question"]))
    sources = list(dict.fromkeys(evidence["source"]))
    ax = _ax(ax, (10, 1 + 0.9 * len(questions)))
    for i, q in enumerate(questions):
        for j, s in enumerate(sources):
            dirs = list(
                dict.fromkeys(
                    evidence.loc[
                        (evidence["question"] == q) & (evidence["source"] == s), "direction"
                    ]
                )
            ) or ["missing"]
            main = next((d for d in dirs if d in ("increase", "decrease", "concern")), dirs[0])
            ax.add_patch(
                Rectangle(
                    (j, i),
                    1,
                    1,
                    facecolor=DIRECTION_COLOURS.get(main, "#FFFFFF"),
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
            )
    ax.set_xlim(0, len(sources))
    ax.set_ylim(len(questions), 0)
    ax.set_xticks([j + 0.5 for j in range(len(sources))], [label(s, language) for s in sources])
    ax.set_yticks(
        [i + 0.5 for i in range(len(questions))],
        ["\n".join(textwrap.wrap(q, 42)) for q in questions],
    )
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.tick_top()
    if title:
        ax.set_title(title, pad=28)
    return ax


def calendar_heatmap(sessions, title: str | None = None, language: str = "sv"):
    """Observation sessions per day as calendar grids (weeks x weekdays), one panel per year.

    ``sessions``: with ``date`` (datetime or ``YYYY-MM-DD``). Returns the figure.
    """
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
    return localise(fig, language)


def survey_plot(proportions, item: str, language: str = "sv", ax=None):
    """Share feeling safe per year and area, with the Wilson intervals as error bars.

    ``proportions``: :func:`evaluation.stats.survey_proportions`'s table.
    """
    ax = _ax(ax)
    s = proportions[proportions["item"] == item]
    for k, (area, g) in enumerate(s.groupby("area")):
        ax.errorbar(
            g["year"],
            g["proportion"] * 100,
            yerr=[(g["proportion"] - g["ci_low"]) * 100, (g["ci_high"] - g["proportion"]) * 100],
            fmt="o-",
            capsize=3,
            color=PALETTE[k % len(PALETTE)],
            label=label(area, language),
        )
    ax.set_ylabel(_t("plot.pct_safe", language))
    ax.set_xlabel("")
    ax.set_title(label(item, language))
    ax.legend(frameon=False)
    ax.set_ylim(0, 100)
    return localise(ax, language)


def its_figure(
    result,
    ax=None,
    events=None,
    title: str | None = None,
    language: str = "sv",
    ylabel: str | None = None,
):
    """The interrupted-time-series figure of an :class:`evaluation.stats.its.ITSResult`, labelled in ``language``.

    Observed points, fitted line, the dashed counterfactual (no intervention)
    with its 95% band, a line at the intervention and the co-interventions
    (``events``: ``start``, ``end``) as shaded spans. The same figure as
    ``ITSResult.plot``, with every text from the catalogue (``plot.its.*``).
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.5))
    cf = result.counterfactual()
    x_all = (
        pd.PeriodIndex(cf["period"], freq="M").to_timestamp()
        if result.checks.get("time_kind") == "month"
        else cf["period"]
    )
    cf = cf.assign(x=list(x_all))
    for series, g in cf.groupby("series", sort=False):
        col = PALETTE[0] if series == "treated" else PALETTE[2]
        which = label(f"its_{series}", language)
        ax.scatter(
            g["x"],
            g["observed"],
            s=12,
            color=col,
            alpha=0.6,
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
                post["x"], post["cf_ci_low"], post["cf_ci_high"], color=col, alpha=0.12, lw=0
            )
    start = cf.loc[cf["post"], "x"].min()
    ax.axvline(start, color="black", lw=1)
    ax.text(start, ax.get_ylim()[1], f" {result.intervention}", va="top", fontsize=9)
    if events is not None:
        for i, ev in enumerate(events.itertuples()):
            ax.axvspan(
                ev.start,
                ev.end,
                color=PALETTE[4],
                alpha=0.10,
                lw=0,
                label=_t("plot.its.co_intervention", language) if i == 0 else None,
            )
    ax.set_ylabel(ylabel if ylabel is not None else _t("plot.its.count_per_month", language))
    ax.set_xlabel(_t("plot.its.month", language))
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=8, frameon=False)
    return localise(ax, language)
