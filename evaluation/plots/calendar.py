"""Figures of time: the calendar of activation periods and co-interventions, sessions per day."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import i18n
from ..labels import label
from .alttext import _add_alt, _ax, _language, _t, describe
from .theme import COLOURS, kind_colours, localise

__all__ = ["timeline", "calendar_heatmap"]


def _kinds_in_order(calendar: pd.DataFrame) -> list[str]:
    """The calendar's kinds in the order they first start, co-interventions (policing) last."""
    first = calendar.sort_values("start").drop_duplicates("kind")["kind"].tolist()
    return [k for k in first if k != "policing"] + [k for k in first if k == "policing"]


def _period_bars(ax: Any, calendar: pd.DataFrame, kinds: list[str], language: str) -> list[str]:
    """Draw each kind's periods as bars in its colour; the counts per kind for the alt text."""
    cols = kind_colours(kinds)
    counts = []
    for i, kind in enumerate(kinds):
        rows = calendar[calendar["kind"] == kind]
        if len(rows):
            counts.append(_t("a11y.count", language, label=label(kind, language), n=len(rows)))
        for r in rows.to_dict("records"):
            start, end = pd.Timestamp(r["start"]), pd.Timestamp(r["end"])
            days = (end - start).days + 1
            ax.barh(
                i,
                max(days, 6),  # a one-day event is still visible on a multi-year axis
                left=start if days >= 6 else start - pd.Timedelta(days=3),
                height=0.6,
                color=cols[kind],
                edgecolor=cols[kind],
            )
    return counts


def timeline(
    calendar: pd.DataFrame,
    sessions: pd.DataFrame | None = None,
    title: str | None = None,
    language: str | None = None,
    ax: Any = None,
) -> Any:
    """Calendar periods as bars by kind, with observation sessions as ticks.

    Each kind in its colour of the scheme (:func:`evaluation.plots.kind_colours`);
    one-day events are drawn as marks wide enough to see. The x axis runs
    from the first to the last date in the calendar and sessions. Returns the axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> cal = pd.DataFrame({"start": pd.to_datetime(["2022-05-01", "2022-06-10"]),
    ...                     "end": pd.to_datetime(["2022-09-30", "2022-06-10"]),
    ...                     "kind": ["music", "policing"], "name": ["A", "B"]})
    >>> ax = timeline(cal, language="en")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['music', 'policing/cameras']
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.dates as mdates

    ax = _ax(ax, (10, 3.5))
    kinds = _kinds_in_order(calendar)
    counts = _period_bars(ax, calendar, kinds, language)
    ticks = [label(k, language) for k in kinds]
    starts = list(pd.to_datetime(calendar["start"]))
    ends = list(pd.to_datetime(calendar["end"]))
    extra = ""
    if sessions is not None and len(sessions):
        d = pd.to_datetime(sessions["date"])
        ax.scatter(d, [len(kinds)] * len(sessions), marker="|", s=80, color=COLOURS["sessions"])
        ticks.append(label("sessions", language))
        starts.append(d.min())
        ends.append(d.max())
        extra = _t(
            "a11y.timeline_sessions", language, n=len(sessions),
            first=i18n.date(d.min(), language), last=i18n.date(d.max(), language),
        )  # fmt: skip
    ax.set_yticks(range(len(ticks)), ticks)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel(_t("plot.year", language))
    if starts:
        lo, hi = min(starts), max(ends)
        ax.set_xlim(lo - pd.Timedelta(days=15), hi + pd.Timedelta(days=15))
        _add_alt(
            ax,
            _t(
                "a11y.timeline", language, start=i18n.date(lo, language),
                end=i18n.date(hi, language), kinds=", ".join(counts), sessions=extra,
            ),
        )  # fmt: skip
    if title:
        ax.set_title(title)
    return ax


def calendar_heatmap(
    sessions: pd.DataFrame, title: str | None = None, language: str | None = None
) -> Any:
    """Observation sessions per day as calendar grids (weeks x weekdays), one panel per year.

    ``sessions``: with ``date`` (datetime or ``YYYY-MM-DD``). Returns the figure.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> fig = calendar_heatmap(pd.DataFrame({"date": ["2021-06-01", "2021-06-01", "2022-06-02"]}), language="en")
    >>> [ax.get_title() for ax in fig.axes if ax.get_title()]
    ['2021', '2022']
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.pyplot as plt
    import seaborn as sns

    d = pd.to_datetime(sessions["date"])
    days = d.value_counts().sort_index()
    when = pd.DatetimeIndex(days.index)
    years = sorted(when.year.unique())
    fig, axes = plt.subplots(1, len(years), figsize=(5 * len(years), 4), squeeze=False)
    names = i18n.weekday_names(language)
    vmax = int(days.max()) if len(days) else 1
    for ax, year in zip(axes[0], years, strict=True):
        y = days[when.year == year]
        on = pd.DatetimeIndex(y.index)
        grid = pd.DataFrame(
            {
                "week": on.isocalendar().week.to_numpy(),
                "weekday": on.day_of_week,
                "n": y.to_numpy(),
            }
        )
        mat = grid.pivot_table(index="weekday", columns="week", values="n", aggfunc="sum")
        sns.heatmap(
            mat.reindex(range(7)), ax=ax, cmap="Blues", vmin=0, vmax=vmax,
            cbar=ax is axes[0][-1], linewidths=0.5, linecolor="white",
            cbar_kws={"label": label("sessions", language)},
        )  # fmt: skip
        ax.set_yticks([i + 0.5 for i in range(7)], names, rotation=0)
        ax.set_xlabel(_t("plot.week", language))
        ax.set_ylabel("")
        ax.set_title(str(year))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    if len(days):
        alt = _t(
            "a11y.calendar_heatmap", language, years=", ".join(str(y) for y in years),
            n=int(days.sum()), days=len(days), max=vmax, max_date=i18n.date(days.idxmax(), language),
        )  # fmt: skip
        describe(fig, alt=alt)
    return localise(fig, language)
