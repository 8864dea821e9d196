"""The map of the square: per-zone rates by activation state drawn on the zones' plan."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..i18n import t
from ..labels import label
from ..plots.alttext import _language, _n, describe
from .geometry import GEOMETRY_FILE, PolygonRings, ZoneGeometry, read_zone_geometry, ring_area

__all__ = ["geometry_note", "zone_map", "site_zone_map"]


def geometry_note(geom: ZoneGeometry | None, language: str = "sv") -> str:
    """What the report says about the map: drawn from the file, or why there is none.

    Examples
    --------
    >>> geometry_note(None, "en")[:48]
    'The data folder has no geometry for the zones (o'
    """
    if geom is None:
        return t("zonemap.none", language, file=str(GEOMETRY_FILE))
    return t("zonemap.note", language, n=len(geom.polygons))


def _label_point(polys: list[PolygonRings]) -> tuple[float, float]:
    """The centroid of the largest polygon's outer ring (inside for the convex shapes of a plan)."""
    ring = max((p[0] for p in polys), key=lambda r: abs(ring_area(r)))
    a = ring_area(ring)
    pairs = list(zip(ring[:-1], ring[1:], strict=True))
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairs)
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairs)
    return cx / (6 * a), cy / (6 * a)


def _draw_zone(
    ax: Any, zone: str, polys: list[PolygonRings], v: Any, norm: Any, cmap: Any, language: str
) -> None:
    """One zone: its polygons filled by its value (hatched when not observed) and its label."""
    from matplotlib.patches import Polygon as Patch

    observed = v is not None and math.isfinite(v)
    for poly in polys:
        face = cmap(norm(v)) if observed else "white"
        ax.add_patch(
            Patch(poly[0], closed=True, facecolor=face, edgecolor="#222222", lw=0.8,
                  hatch=None if v is not None else "//")
        )  # fmt: skip
        for hole in poly[1:]:
            ax.add_patch(Patch(hole, closed=True, facecolor="white", edgecolor="#222222", lw=0.6))
    cx, cy = _label_point(polys)
    value = _n(v, language, 1) if v is not None else t("zonemap.not_observed", language)
    bx = [x for p in polys for x, _ in p[0]]
    by = [y for p in polys for _, y in p[0]]
    tall = (max(by) - min(by)) > 1.1 * (max(bx) - min(bx))  # write along a tall zone
    dark = v is not None and norm(v) < 0.55
    ax.text(cx, cy, label(zone, language) + "\n" + value, ha="center", va="center", fontsize=8,
            rotation=90 if tall else 0, color="white" if dark else "black")  # fmt: skip


def _frame(ax: Any, bounds: tuple[float, float, float, float], margin: float = 2) -> None:
    x0, y0, x1, y1 = bounds
    ax.set_xlim(x0 - margin, x1 + margin)
    ax.set_ylim(y0 - margin, y1 + margin)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def _state_alt(sub: pd.Series, st: str, language: str) -> str:
    return t(
        "zonemap.alt_state", language, state=label(st, language),
        top=label(sub.idxmax(), language), top_rate=_n(sub.max(), language, 1),
        low=label(sub.idxmin(), language), low_rate=_n(sub.min(), language, 1),
    )  # fmt: skip


def zone_map(
    geom: ZoneGeometry,
    rates: pd.DataFrame,
    language: str | None = None,
    title: str | None = None,
    value: str = "rate",
    states: list[str] | None = None,
) -> Any:
    """Per-zone rates by activation state drawn on the plan: one panel per state, one colour scale.

    Parameters
    ----------
    geom
        :func:`~evaluation.zonemap.read_zone_geometry`'s result.
    rates
        A table with ``zone``, ``activation`` and ``value`` (e.g.
        :func:`evaluation.stats.rates.rate_table` by zone and activation:
        people per observed hour). Zones without a row are drawn hatched
        ("not observed").
    value
        The column drawn.
    states
        The activation states in panel order (default: ``none`` first, then
        the others as they come).

    Returns
    -------
    matplotlib.figure.Figure
        Its alt text (:func:`evaluation.plots.describe`) names, for each
        state, the zone with the highest and lowest rate.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> sq = lambda x: [[(x, 0), (x + 10, 0), (x + 10, 10), (x, 10), (x, 0)]]
    >>> g = ZoneGeometry("zones.geojson", {"north": [sq(0)], "south": [sq(10)]})
    >>> r = pd.DataFrame({"zone": ["north", "south", "north"], "activation": ["none", "none", "music"],
    ...                   "rate": [1.0, 2.0, 3.0]})
    >>> fig = zone_map(g, r, "en")
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['no activation', 'music']
    >>> matplotlib.pyplot.close("all")
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize

    language = language or _language()
    if states is None:
        states = sorted(dict.fromkeys(rates["activation"]), key=lambda a: (a != "none", a))
    vmax = float(rates[value].max()) if len(rates) else 1.0
    norm = Normalize(0, vmax if vmax > 0 else 1.0)
    cmap = plt.get_cmap("viridis")
    n = max(1, len(states))
    cols = min(n, 2)
    rows = math.ceil(n / cols)
    x0, y0, x1, y1 = geom.bounds()
    aspect = (y1 - y0) / (x1 - x0) if x1 > x0 else 1.0
    size = (5.2 * cols + 1, 5.2 * rows * min(max(aspect, 0.5), 1.5))
    fig, axes = plt.subplots(rows, cols, figsize=size, squeeze=False)
    alt = []
    for k, st in enumerate(states):
        ax = axes[k // cols][k % cols]
        sub = rates[rates["activation"] == st].set_index("zone")[value]
        for zone, polys in geom.polygons.items():
            _draw_zone(ax, zone, polys, sub.get(zone), norm, cmap, language)
        _frame(ax, (x0, y0, x1, y1))
        ax.set_title(label(st, language))
        if len(sub):
            alt.append(_state_alt(sub, st, language))
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes.ravel().tolist(),
                       shrink=0.8)  # fmt: skip
    bar.set_label(t("zonemap.scale", language))
    axes[0][0].annotate(t("zonemap.schematic", language), xy=(0, -0.04),
                        xycoords="axes fraction", fontsize=7, va="top")  # fmt: skip
    if title:
        fig.suptitle(title)
    intro = t("zonemap.alt", language, zones=len(geom.polygons), states=len(states))
    describe(fig, alt=" ".join([intro, *alt]), caption=title or t("zonemap.title", language))
    return fig


def site_zone_map(
    ds: Any,
    target_gender: str | None = None,
    target_age_band: str | None = None,
    language: str = "sv",
) -> tuple[str, Any]:
    """For notebook 01: ``(note, figure or None)``, the target group staying per observed hour by zone
    and activation state on the plan, or the note that there is no geometry (then tables only).

    ``ds``: :func:`evaluation.load_dataset`'s data set (its folder holds the geometry, if any).
    The geometry is validated against the zones of ``observations/zones.csv``.
    ``target_gender`` and ``target_age_band`` left ``None`` come from the study
    (``study.yaml``).

    Examples
    --------
    A data folder without ``observations/zones.geojson`` gets the note only:

    >>> import tempfile, pandas as pd
    >>> from types import SimpleNamespace
    >>> ds = SimpleNamespace(path=tempfile.mkdtemp(), study=None,
    ...                      observations={"zones": pd.DataFrame({"zone": ["north"]})})
    >>> note, fig = site_zone_map(ds, "female", "13-18", language="en")
    >>> fig is None, note.startswith("The data folder has no geometry")
    (True, True)
    """
    from ..analyses.findings import group_values
    from ..sources.study import study_defaults
    from ..stats.rates import rate_table

    p = study_defaults(
        getattr(ds, "study", None), target_gender=target_gender, target_age_band=target_age_band
    )
    obs = ds.observations
    geom = read_zone_geometry(ds.path, [str(z) for z in obs["zones"]["zone"]])
    note = geometry_note(geom, language)
    if geom is None:
        return note, None
    target = {"gender": p["target_gender"], "age_band": p["target_age_band"], "activity": "staying"}
    rates = rate_table(obs["counts"], obs["sessions"], by=["zone", "activation"], target=target)
    who = group_values({"gender": p["target_gender"], "age_band": p["target_age_band"]}, language)
    fig = zone_map(geom, rates, language, title=t("zonemap.title_group", language, **who))
    fig.axes[-1].set_ylabel(t("zonemap.scale_group", language, **who))
    return note, fig
