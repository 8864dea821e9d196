"""Figures of the site observations and the focus groups: rates with CIs, heatmaps, shares, effort."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..labels import label
from ..sources.order import order_activation, order_codes
from .alttext import _add_alt, _ax, _language, _n, _t, _variable, describe
from .theme import PALETTE, colour, kind_colours, localise

__all__ = ["rate_plot", "heatmap", "share_bars", "effort_figure"]


def _state_name(v: Any, language: str) -> str:
    """A code's label; 0/1 and booleans are the activation state."""
    import numpy as np

    if isinstance(v, (bool, np.bool_)) or (isinstance(v, (int, np.integer)) and v in (0, 1)):
        return label("activated", language) if v else label("none", language)
    return label(v, language)


def _rate_points(ax: Any, table: pd.DataFrame, x: str, hue: str | None, language: str) -> tuple:
    """Draw the estimates with their CI bars; ``(points, legend handles, x values)``."""
    import numpy as np
    from matplotlib.lines import Line2D

    groups = [(None, table)] if hue is None else list(table.groupby(hue, sort=True))
    if hue == "activation":
        rank = {s: i for i, s in enumerate(order_activation([h for h, _ in groups]))}
        groups.sort(key=lambda hg: rank[hg[0]])
    xs = list(dict.fromkeys(table[x]))
    width = 0.8 / max(len(groups), 1)
    points, handles = [], []
    for k, (h, g) in enumerate(groups):
        pos = np.array([xs.index(v) for v in g[x]]) + (k - (len(groups) - 1) / 2) * width
        colours = [colour(h, k)] * len(g) if hue is not None else [colour(v, 0) for v in g[x]]
        values = g[["rate", "ci_low", "ci_high"]].to_numpy(dtype=float)
        for p_, (rate, lo, hi), xv, c in zip(pos, values, g[x], colours, strict=True):
            ax.errorbar([p_], [rate], yerr=[[rate - lo], [hi - rate]], fmt="o", capsize=4, color=c)
            who = _state_name(xv, language)
            who += f" ({_state_name(h, language)})" if hue is not None else ""
            points.append((who, rate, lo, hi))
        if hue is not None:
            handles.append(
                Line2D(
                    [], [], marker="o", ls="", color=colour(h, k), label=_state_name(h, language)
                )
            )
    return points, handles, xs


def _rate_alt(ax: Any, points: list, measure: str, by: str, language: str) -> None:
    hi = max(points, key=lambda p: p[1])
    lo = min(points, key=lambda p: p[1])
    each = "; ".join(
        _t("a11y.point", language, name=w, value=_n(v, language), lo=_n(a, language),
           hi=_n(b, language))
        for w, v, a, b in points[:16]
    )  # fmt: skip
    _add_alt(
        ax,
        _t(
            "a11y.rate_plot", language, measure=measure, by=by, points=each,
            max_name=hi[0], max_value=_n(hi[1], language),
            min_name=lo[0], min_value=_n(lo[1], language),
        ),
    )  # fmt: skip


def rate_plot(
    table: pd.DataFrame,
    x: str,
    hue: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    language: str | None = None,
    ax: Any = None,
) -> Any:
    """Point estimates with CI bars from a rate table (``rate``, ``ci_low``, ``ci_high``).

    Parameters
    ----------
    table
        One row per estimate: ``x`` (and ``hue``) codes, ``rate``, ``ci_low``, ``ci_high``.
    x, hue
        Columns of codes shown by their labels; ``hue`` values (or, without
        ``hue``, ``x`` values) are coloured by the scheme (activation on/off,
        the study's activation kinds).
    ylabel
        Default: "per hour" in ``language``.
    title, language, ax
        Title, report language (default: the notebook's), axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
        The legend sits outside the axes so it covers no point; the figure's
        alt text lists every estimate with its interval.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> t = pd.DataFrame({"activated": [0, 1], "rate": [1.0, 2.0], "ci_low": [0.5, 1.5],
    ...                   "ci_high": [1.5, 2.5]})
    >>> ax = rate_plot(t, "activated", language="en")
    >>> from evaluation.plots import figure_text
    >>> "2.00 (95% CI 1.50–2.50)" in figure_text(ax, "en")[0]
    True
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    ax = _ax(ax)
    points, handles, xs = _rate_points(ax, table, x, hue, language)
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
        by = _variable(x, language) + (" / " + _variable(hue, language) if hue else "")
        _rate_alt(ax, points, measure, by, language)
    return localise(ax, language)


def heatmap(
    matrix: pd.DataFrame,
    title: str | None = None,
    fmt: str = ".0f",
    cmap: str = "Blues",
    cbar_label: str = "",
    ax: Any = None,
    figsize: tuple[float, float] = (9, 6),
    language: str | None = None,
) -> Any:
    """A labelled heatmap of a DataFrame (rows x columns); numbers in ``language``'s style.

    The alt text gives the size and the highest and lowest cells. Returns the axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> m = pd.DataFrame({"x": [1.0, 2.5], "y": [0.5, 4.0]}, index=["a", "b"])
    >>> ax = heatmap(m, fmt=".1f", language="sv")
    >>> sorted(t.get_text() for t in ax.texts)
    ['0,5', '1,0', '2,5', '4,0']
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    import numpy as np
    import seaborn as sns

    ax = _ax(ax, figsize)
    sns.heatmap(
        matrix, annot=True, fmt=fmt, cmap=cmap, linewidths=0.5, cbar_kws={"label": cbar_label},
        ax=ax,
    )  # fmt: skip
    if title:
        ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    values = np.asarray(matrix, dtype=float)
    if values.size and np.isfinite(values).any():
        digits = int(fmt[1]) if fmt.startswith(".") and fmt[1:2].isdigit() else 0
        imax = np.unravel_index(np.nanargmax(values), values.shape)
        imin = np.unravel_index(np.nanargmin(values), values.shape)

        def cell(i: tuple) -> dict[str, str]:
            return {
                "value": _n(values[i], language, digits),
                "row": label(matrix.index[i[0]], language),
                "col": label(matrix.columns[i[1]], language),
            }

        hi, lo = cell(imax), cell(imin)
        text = _t(
            "a11y.heatmap", language, n_rows=values.shape[0], n_cols=values.shape[1],
            unit=f" ({cbar_label})" if cbar_label else "",
            max_value=hi["value"], max_row=hi["row"], max_col=hi["col"],
            min_value=lo["value"], min_row=lo["row"], min_col=lo["col"],
        )  # fmt: skip
        _add_alt(ax, (title + ". " if title else "") + text)
    return localise(ax, language)


def share_bars(
    shares: pd.DataFrame,
    title: str | None = None,
    xlabel: str | None = None,
    legend_title: str | None = None,
    language: str | None = None,
    ax: Any = None,
) -> Any:
    """Horizontal bars of each group's share per category (e.g. themes by professional role).

    ``shares``: long format with ``theme`` (category label), ``role`` (group
    label) and ``share`` (percent), e.g. :func:`evaluation.analyses.focus.role_shares`.
    Groups take the colours without a fixed meaning (:data:`PALETTE`); the
    legend sits outside the bars. The alt text names each group's largest
    category with its share. Returns the axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> s = pd.DataFrame({"theme": ["A", "B", "A", "B"], "role": ["r1", "r1", "r2", "r2"],
    ...                   "share": [10.0, 24.0, 30.0, 5.0]})
    >>> ax = share_bars(s, title="Teman", language="sv")
    >>> from evaluation.plots import figure_text
    >>> "r1: B (24 %); r2: A (30 %)" in figure_text(ax, "sv")[0]
    True
    >>> matplotlib.pyplot.close("all")
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


def _effort_panel(
    ax: Any, t: pd.DataFrame, dim: str, measure: str, states: list, language: str
) -> None:
    """One panel of the effort figure: bars of ``measure`` by ``dim``, stacked by activation state."""
    import numpy as np

    from ..i18n import weekday_names

    levels = list(dict.fromkeys(t[dim]))
    x = np.arange(len(levels))
    bottom = np.zeros(len(levels))
    cols = kind_colours(states)
    for st in states:
        rows = t[t["activation"] == st].set_index(dim)[measure]
        v = rows.reindex(levels, fill_value=0).to_numpy(dtype=float)
        ax.bar(x, v, bottom=bottom, color=cols[st], width=0.8, lw=0)
        bottom += v
    if dim == "zone":
        ax.set_xticks(x, [label(z, language) for z in levels], rotation=30, ha="right")
    elif dim == "weekday":
        ax.set_xticks(x, weekday_names(language))
    else:
        ax.set_xticks(x[::3], [str(h) for h in levels][::3])
        ax.set_xlim(-0.6, 23.6)
    ax.grid(axis="x", visible=False)


def _effort_alt(effort: pd.DataFrame, states: list, language: str) -> str:
    by_zone = effort.groupby("zone")["hours"].sum()
    # ties between zones broken by the study's order, not by the zones' codes
    by_zone = by_zone.reindex(order_codes(by_zone.index, "zones")).sort_values(kind="stable")
    by_state = effort.groupby("activation")[["sessions", "hours"]].sum()
    each = "; ".join(
        _t("effort.state", language, state=label(st, language),
           sessions=int(by_state.loc[st, "sessions"]), hours=_n(by_state.loc[st, "hours"], language, 1))
        for st in states
    )  # fmt: skip
    return _t(
        "effort.alt", language, sessions=int(effort["sessions"].sum()),
        hours=_n(effort["hours"].sum(), language, 1), states=each,
        top_zone=label(by_zone.index[-1], language), top_zone_hours=_n(by_zone.iloc[-1], language, 1),
        low_zone=label(by_zone.index[0], language), low_zone_hours=_n(by_zone.iloc[0], language, 1),
        first_hour=int(effort["hour"].min()), last_hour=int(effort["hour"].max()),
        weekdays=int(effort["weekday"].nunique()),
    )  # fmt: skip


def effort_figure(
    effort: pd.DataFrame, language: str | None = None, title: str | None = None
) -> Any:
    """The observation effort: sessions and hours by zone, hour of day and weekday, by activation state.

    ``effort``: :func:`evaluation.analyses.effort.observation_effort`'s table.
    Two rows (sessions, hours) by three columns (zone, hour of day, weekday)
    of bars stacked by activation state in the scheme's colours, one legend.
    Returns the figure; its alt text gives the totals, the most and least
    observed zone, the hours of day covered and the weekdays observed.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from evaluation.analyses.effort import observation_effort
    >>> s = pd.DataFrame({"session_id": ["s1", "s2"], "date": ["2022-06-13", "2022-06-15"],
    ...                   "start": ["10:00", "18:00"], "end": ["11:00", "18:30"],
    ...                   "zone": ["north", "south"], "activation": ["none", "music"]})
    >>> fig = effort_figure(observation_effort(s), "en")
    >>> from evaluation.plots import figure_text
    >>> "2 sessions and 1.5 hours in all" in figure_text(fig, "en")[0]
    True
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from ..analyses.effort import effort_by

    states = order_activation(
        dict.fromkeys(sorted(effort["activation"], key=lambda a: (a != "none", a)))
    )
    fig, axes = plt.subplots(2, 3, figsize=(13, 6.5), gridspec_kw={"width_ratios": [1.2, 2, 1]})
    dims = [
        ("zone", "effort.by_zone"),
        ("hour", "effort.by_hour"),
        ("weekday", "effort.by_weekday"),
    ]
    for col, (dim, head) in enumerate(dims):
        t = effort_by(effort, dim)
        for row, measure in enumerate(("sessions", "hours")):
            ax = axes[row][col]
            _effort_panel(ax, t, dim, measure, states, language)
            ax.set_ylabel(_t(f"effort.{measure}", language) if col == 0 else "")
            if row == 0:
                ax.set_title(_t(head, language))
                ax.set_xticklabels([])
            else:
                ax.set_xlabel(_t(f"effort.{dim}", language))
    cols = kind_colours(states)
    fig.legend(
        handles=[Patch(color=cols[st], label=label(st, language)) for st in states],
        title=_t("effort.legend", language),
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
    )
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if len(effort):
        describe(fig, alt=_effort_alt(effort, states, language),
                 caption=title or _t("effort.title", language))  # fmt: skip
    return localise(fig, language)
