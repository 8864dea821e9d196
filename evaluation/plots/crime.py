"""Figures of the crime statistics and the safety survey: monthly counts, survey shares, interrupted time series."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .. import i18n
from ..labels import label
from ..sources.order import order_codes
from .alttext import _add_alt, _ax, _kernel_variable, _language, _n, _t, describe
from .theme import COLOURS, _area_colours, localise

__all__ = ["survey_plot", "its_figure", "monthly_counts"]


def _survey_series(
    ax: Any, g: pd.DataFrame, area: str, col: str, target: Any, language: str
) -> None:
    ax.errorbar(
        g["year"],
        g["proportion"] * 100,
        yerr=[(g["proportion"] - g["ci_low"]) * 100, (g["ci_high"] - g["proportion"]) * 100],
        fmt="o-",
        capsize=3,
        color=col,
        lw=2.5 if area == target else 1.5,
        label=label(area, language),
    )


def survey_plot(
    proportions: pd.DataFrame,
    item: str,
    language: str | None = None,
    ax: Any = None,
    target: str | None = None,
) -> Any:
    """Share feeling safe per year and area, with the Wilson intervals as error bars.

    ``proportions``: :func:`evaluation.stats.survey_proportions`'s table.
    ``target``: the area evaluated, drawn in the target colour (default: the
    notebook's ``area`` parameter); the others in the comparison colours. The
    legend sits outside the axes; the x axis spans the survey years. Returns the axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> p = pd.DataFrame({"item": "safe", "area": ["a", "a", "b", "b"], "year": [2019, 2021] * 2,
    ...                   "proportion": [0.5, 0.6, 0.7, 0.7], "ci_low": [0.4, 0.5, 0.6, 0.6],
    ...                   "ci_high": [0.6, 0.7, 0.8, 0.8]})
    >>> ax = survey_plot(p, "safe", language="en", target="a")
    >>> [c.lines[0].get_color() for c in ax.containers]
    ['#332288', '#0099BB']
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    from matplotlib.ticker import MaxNLocator

    ax = _ax(ax)
    s = proportions[proportions["item"] == item]
    if target is None:
        target = _kernel_variable("area")
    areas = sorted(order_codes(sorted(s["area"].unique()), "areas"), key=lambda a: a != target)
    cols = _area_colours(areas, target)
    series = []
    for area in areas:
        g = s[s["area"] == area].sort_values("year")
        _survey_series(ax, g, area, cols[area], target, language)
        if len(g):
            series.append(
                _t(
                    "a11y.survey_series", language, area=label(area, language),
                    first_value=_n(g["proportion"].iloc[0] * 100, language, 0) + " %",
                    first_year=int(g["year"].iloc[0]),
                    last_value=_n(g["proportion"].iloc[-1] * 100, language, 0) + " %",
                    last_year=int(g["year"].iloc[-1]),
                )
            )  # fmt: skip
    ax.set_ylabel(_t("plot.pct_safe", language))
    ax.set_xlabel(_t("plot.survey_year", language))
    ax.set_title(label(item, language))
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylim(0, 100)
    if len(s):
        ax.set_xlim(s["year"].min() - 0.5, s["year"].max() + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _add_alt(
        ax, _t("a11y.survey_plot", language, item=label(item, language), series="; ".join(series))
    )
    return localise(ax, language)


def _its_series(ax: Any, cf: pd.DataFrame, comparative: bool, language: str) -> None:
    """Observed points and fitted lines per series; the counterfactual and its band for the treated."""
    for series, g in cf.groupby("series", sort=False):
        col = COLOURS["target"] if series == "treated" else COLOURS["comparison"]
        which = label(f"its_{series}", language)
        observed = (
            _t("plot.its.observed_series", language, series=which)
            if comparative
            else _t("plot.its.observed", language)
        )
        fitted = (
            _t("plot.its.fitted_series", language, series=which)
            if comparative
            else _t("plot.its.fitted", language)
        )
        ax.scatter(g["x"], g["observed"], s=12, color=col, alpha=0.7, label=observed)
        ax.plot(g["x"], g["fitted"], color=col, lw=2, label=fitted)
        if series != "treated":
            continue
        post = g[g["post"]]
        ax.plot(post["x"], post["counterfactual"], color=col, lw=1.5, ls="--",
                label=_t("plot.its.counterfactual", language))  # fmt: skip
        ax.fill_between(post["x"], post["cf_ci_low"], post["cf_ci_high"], color=col, alpha=0.15,
                        lw=0, label=_t("a11y.colour.band", language))  # fmt: skip


def _its_events(ax: Any, events: pd.DataFrame, x0: Any, x1: Any, language: str) -> list[str]:
    """Co-interventions as hatched spans cut to the series' months; their names."""
    names: list[str] = []
    for ev in events.to_dict("records"):
        lo, hi = max(pd.Timestamp(ev["start"]), x0), min(pd.Timestamp(ev["end"]), x1)
        if lo > hi:
            continue
        name = str(ev.get("name", "") or "")
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
    return names


def _its_alt(result: Any, cf: pd.DataFrame, measure: str, names: list[str], language: str) -> str:
    eff = result.effects.loc["level_change"] if "level_change" in result.effects.index else None
    effect = (
        i18n.ci(eff["rate_ratio"], eff["ci_low"], eff["ci_high"], language)
        if eff is not None
        else "–"
    )
    return _t(
        "a11y.its_figure", language, measure=measure, start=str(cf["period"].iloc[0]),
        end=str(cf["period"].iloc[-1]),
        n=int(cf.loc[cf["series"] == cf["series"].iloc[0], "observed"].notna().sum()),
        intervention=str(result.intervention), effect=effect,
        events=_t("a11y.its_events", language, names=", ".join(names)) if names else "",
    )  # fmt: skip


def its_figure(
    result: Any,
    ax: Any = None,
    events: pd.DataFrame | None = None,
    title: str | None = None,
    language: str | None = None,
    ylabel: str | None = None,
) -> Any:
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
    Returns the axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, pandas as pd
    >>> from evaluation.stats.its import interrupted_time_series
    >>> months = pd.period_range("2018-01", "2021-12", freq="M")
    >>> rng = np.random.default_rng(1)
    >>> y = rng.poisson(np.where(months >= pd.Period("2020-01", "M"), 20, 30))
    >>> df = pd.DataFrame({"period": months.astype(str), "count": y})
    >>> res = interrupted_time_series(df, "period", "count", "2020-01")
    >>> ax = its_figure(res, language="en")
    >>> ax.get_xlabel(), len(ax.get_legend().get_texts())
    ('month', 4)
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.5))
    cf = result.counterfactual()
    monthly = result.checks.get("time_kind") == "month"
    x_all = pd.PeriodIndex(cf["period"], freq="M").to_timestamp() if monthly else cf["period"]
    cf = cf.assign(x=list(x_all))
    _its_series(ax, cf, result.comparative, language)
    x0, x1 = cf["x"].min(), cf["x"].max()
    start = cf.loc[cf["post"], "x"].min()
    ax.axvline(start, color="black", lw=1)
    ax.text(start, ax.get_ylim()[1], f" {result.intervention}", va="top", fontsize=9)
    names = _its_events(ax, events, x0, x1, language) if events is not None and monthly else []
    ax.set_xlim(x0, x1)
    measure = ylabel if ylabel is not None else _t("plot.its.count_per_month", language)
    ax.set_ylabel(measure)
    ax.set_xlabel(_t("plot.its.month", language))
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
    _add_alt(ax, (title + ". " if title else "") + _its_alt(result, cf, measure, names, language))
    return localise(ax, language)


def _monthly_panel(
    ax: Any, c: pd.DataFrame, areas: list, cols: dict, target: Any, language: str
) -> list[str]:
    """One category's lines, one per area; the alt text's first- and last-year means."""
    means = []
    for area in areas:
        g = c[c["area"] == area].sort_values("month")
        if g.empty:
            continue
        ax.plot(g["month"], g["count"], color=cols[area], lw=2 if area == target else 1.3,
                label=label(area, language))  # fmt: skip
        y0, y1 = g["month"].dt.year.min(), g["month"].dt.year.max()
        m0 = g.loc[g["month"].dt.year == y0, "count"].mean()
        m1 = g.loc[g["month"].dt.year == y1, "count"].mean()
        means.append(
            _t("a11y.monthly_series", language, area=label(area, language), first=_n(m0, language, 1),
               first_year=int(y0), last=_n(m1, language, 1), last_year=int(y1))
        )  # fmt: skip
    return means


def monthly_counts(
    reported: pd.DataFrame,
    categories: Sequence[str],
    areas: Sequence[str],
    target: str | None = None,
    ylabel: str | None = None,
    legend_title: str | None = None,
    language: str | None = None,
) -> Any:
    """Reported crimes per month, one panel per category, one line per area (log scale).

    ``reported``: ``month``, ``area``, ``category``, ``count`` (codes). The
    target area in the target colour, comparison areas in the comparison
    colours; the x axis spans the months in the data. Returns the figure; the
    alt text gives each area's monthly mean in the first and last year.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> r = pd.DataFrame({"month": ["2020-01", "2020-02", "2020-01", "2020-02"], "area": ["a", "a", "b", "b"],
    ...                   "category": "theft", "count": [4, 6, 10, 12]})
    >>> fig = monthly_counts(r, ["theft"], ["a", "b"], target="a", language="en")
    >>> from evaluation.plots import figure_text
    >>> "a 5.0 (2020)" in figure_text(fig, "en")[0]
    True
    >>> matplotlib.pyplot.close("all")
    """
    language = language or _language()  # default: the notebook's language
    import matplotlib.pyplot as plt

    d = reported[reported["category"].isin(categories) & reported["area"].isin(areas)].copy()
    d["month"] = pd.to_datetime(d["month"].astype(str))
    ordered = sorted(areas, key=lambda a: a != target)
    cols = _area_colours(ordered, target)
    fig, axes = plt.subplots(1, len(categories), figsize=(6 * len(categories), 3.8), squeeze=False)
    parts = []
    for ax, cat in zip(axes[0], categories, strict=True):
        c = d[d["category"] == cat]
        means = _monthly_panel(ax, c, ordered, cols, target, language)
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
    describe(
        fig, alt=_t("a11y.monthly_counts", language, measure=ylabel or "", series=". ".join(parts))
    )
    return localise(fig, language)
