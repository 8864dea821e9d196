"""The drug-scene area of each year (notebook 03): its boundaries on the plan, or the hectares table.

The police redraw the boundary of the drug-scene area now and then; the
crime rates per hectare (:mod:`evaluation.analyses.crime`) divide by the
hectares of ``crime/areas.csv``. When the data folder also gives the
boundary of each year (``crime/areas.geojson``, :func:`read_area_geometry`),
:func:`scene_map` draws them on one plan, the zones of the square underneath
when ``observations/zones.geojson`` is given too; otherwise
:func:`drug_scene_map` says so and gives the hectares by year as a table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..i18n import number, t
from ..labels import label
from ..plots.alttext import _language, describe
from ..plots.theme import PALETTE
from .geometry import (
    AREA_GEOMETRY_FILE,
    AreaGeometry,
    ZoneGeometry,
    read_area_geometry,
    read_zone_geometry,
)

__all__ = ["scene_periods", "scene_map", "hectares_table", "drug_scene_map"]

#: a drawn boundary whose area differs from ``crime/areas.csv`` by more than this share is named
MISMATCH = 0.05

_STYLES = ["-", "--", ":", "-."]


def scene_periods(geom: AreaGeometry, area: str) -> list[tuple[int, int]]:
    """Runs of consecutive years with the same boundary: ``[(first, last), ...]``.

    Examples
    --------
    >>> a = [[(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)]]
    >>> b = [[(0, 0), (50, 0), (50, 50), (0, 50), (0, 0)]]
    >>> g = AreaGeometry("f", {("s", 2020): [a], ("s", 2021): [a], ("s", 2022): [b]})
    >>> scene_periods(g, "s")
    [(2020, 2021), (2022, 2022)]
    """
    runs: list[tuple[int, int]] = []
    prev = None
    for y in geom.years(area):
        shape = geom.polygons[(area, y)]
        if runs and shape == prev and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
        prev = shape
    return runs


def _years(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _draw_plan(ax: Any, zones: ZoneGeometry | None, language: str) -> None:
    """The zones of the square in light grey under the boundaries."""
    from matplotlib.patches import Polygon as Patch

    if zones is None:
        return
    for zone, polys in zones.polygons.items():
        for poly in polys:
            ax.add_patch(Patch(poly[0], closed=True, facecolor="#E8E8E8", edgecolor="#767676",
                               lw=0.6, zorder=1))  # fmt: skip
        ax.text(*_centre(polys[0][0]), label(zone, language), fontsize=6, ha="center",
                va="center", color="#333333", zorder=2)  # fmt: skip


def _centre(ring: list[tuple[float, float]]) -> tuple[float, float]:
    xs, ys = [x for x, _ in ring[:-1]], [y for _, y in ring[:-1]]
    return sum(xs) / len(xs), sum(ys) / len(ys)


def scene_map(
    geom: AreaGeometry,
    area: str,
    zones: ZoneGeometry | None = None,
    language: str | None = None,
    title: str | None = None,
) -> Any:
    """The boundary of ``area`` in each year on one plan, one line style per boundary.

    Consecutive years with the same boundary share one outline
    (:func:`scene_periods`), named in the legend with their years and
    hectares (computed from the polygons). The zones of the square
    (``zones``) lie underneath in grey. Returns the figure; its alt text
    gives each period's hectares.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from evaluation.zonemap import example_scene, AreaGeometry
    >>> fc = example_scene({2020: 3.6, 2021: 3.6, 2022: 1.5}, "scene")
    >>> g = AreaGeometry("f", {("scene", f["properties"]["year"]): [f["geometry"]["coordinates"]]
    ...                        for f in fc["features"]})
    >>> fig = scene_map(g, "scene", language="en")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['2020–2021: 3.6 ha', '2022: 1.5 ha']
    >>> matplotlib.pyplot.close("all")
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon as Patch

    language = language or _language()
    fig, ax = plt.subplots(figsize=(8, 6))
    _draw_plan(ax, zones, language)
    parts = []
    for k, (first, last) in enumerate(scene_periods(geom, area)):
        ha = number(geom.hectares(area, first), language, 1)
        name = t("zonemap.scene.period", language, years=_years(first, last), ha=ha)
        col, style = PALETTE[k % len(PALETTE)], _STYLES[k % len(_STYLES)]
        for i, poly in enumerate(geom.polygons[(area, first)]):
            ax.add_patch(Patch(poly[0], closed=True, facecolor=col, alpha=0.08, lw=0, zorder=3))
            ax.add_patch(Patch(poly[0], closed=True, fill=False, edgecolor=col, lw=2.2,
                               ls=style, zorder=4, label=name if i == 0 else None))  # fmt: skip
        parts.append(name)
    x0, y0, x1, y1 = geom.bounds(area)
    margin = 0.04 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - margin, x1 + margin)
    ax.set_ylim(y0 - margin, y1 + margin)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.legend(title=t("zonemap.scene.legend", language), frameon=False, loc="upper left",
              bbox_to_anchor=(1.0, 1.0))  # fmt: skip
    ax.annotate(t("zonemap.schematic", language), xy=(0, -0.03), xycoords="axes fraction",
                fontsize=7, va="top")  # fmt: skip
    heading = title or t("zonemap.scene.title", language, area=label(area, language))
    ax.set_title(heading)
    alt = t("zonemap.scene.alt", language, area=label(area, language), items="; ".join(parts),
            extra=t("zonemap.scene.alt_plan", language) if zones is not None else "")  # fmt: skip
    describe(fig, alt=alt, caption=heading)
    return fig


def hectares_table(areas: pd.DataFrame, area: str, language: str = "sv") -> pd.DataFrame:
    """The area's hectares by year from ``crime/areas.csv`` (``year``, ``hectares``), its caption in ``attrs``.

    ``attrs["caption"]`` names the area and the file in ``language``; show it with
    :func:`evaluation.tables.pretty` (headings ``Year``, ``Hectares``).

    Examples
    --------
    >>> a = pd.DataFrame({"area": ["s", "s", "x"], "year": [2020, 2021, 2020],
    ...                   "hectares": [3.6, 1.5, 9.0]})
    >>> h = hectares_table(a, "s", "en"); h["hectares"].tolist(), h.attrs["caption"]
    ([3.6, 1.5], 'Area of s in hectares by year (from crime/areas.csv)')
    """
    rows = areas[areas["area"] == area].sort_values("year")
    out = pd.DataFrame(
        {
            "year": rows["year"].astype(int).to_numpy(),
            "hectares": rows["hectares"].astype(float).to_numpy(),
        }
    )
    out.attrs["caption"] = t("zonemap.scene.table_caption", language, area=label(area, language))
    return out


def _mismatches(geom: AreaGeometry, areas: pd.DataFrame, area: str) -> list[int]:
    """Years whose drawn boundary's area differs from ``crime/areas.csv`` by more than :data:`MISMATCH`."""
    given = areas[areas["area"] == area].set_index("year")["hectares"]
    out = []
    for y in geom.years(area):
        ha = float(given.get(y, float("nan")))
        if ha > 0 and abs(geom.hectares(area, y) - ha) > MISMATCH * ha:
            out.append(y)
    return out


def drug_scene_map(
    ds: Any, area: str | None = None, language: str = "sv"
) -> tuple[str, Any, pd.DataFrame | None]:
    """For notebook 03: ``(note, figure or None, table or None)``, the drug-scene area of each year.

    With ``crime/areas.geojson`` holding the boundaries of ``area`` (default:
    the study's site area), the figure draws them (:func:`scene_map`) and
    the note says the map is schematic, drawn from the file, and names the
    years whose drawn area differs from ``crime/areas.csv`` by more than 5 %.
    Without boundaries, the note says so and the table gives the hectares by
    year instead (:func:`hectares_table`). ``(note, None, None)`` without
    crime data.

    Raises
    ------
    evaluation.errors.DataError
        A geometry file that is present but invalid (see :func:`read_area_geometry`).

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from types import SimpleNamespace
    >>> areas = pd.DataFrame({"area": ["s", "s"], "year": [2020, 2021], "hectares": [3.6, 1.5]})
    >>> ds = SimpleNamespace(path=tempfile.mkdtemp(), crime={"areas": areas}, study=None)
    >>> note, fig, table = drug_scene_map(ds, "s", "en")
    >>> fig is None, table["hectares"].tolist(), note[:48]
    (True, [3.6, 1.5], 'The data folder gives no boundary of the counted')
    """
    if area is None:
        area = getattr(getattr(ds, "study", None), "site_area", None)
    crime = getattr(ds, "crime", None)
    if crime is None or area is None:
        return t("zonemap.scene.no_data", language), None, None
    areas = crime["areas"]
    known = set(zip(areas["area"], areas["year"].astype(int), strict=True))
    geom = read_area_geometry(ds.path, known)
    if geom is None or not geom.years(area):
        note = t("zonemap.scene.none", language, file=str(AREA_GEOMETRY_FILE),
                 area=label(area, language))  # fmt: skip
        return note, None, hectares_table(areas, area, language)
    zones = read_zone_geometry(ds.path)
    fig = scene_map(geom, area, zones, language)
    note = t("zonemap.scene.note", language, n=len(geom.years(area)))
    bad = _mismatches(geom, areas, area)
    if bad:
        years = ", ".join(str(y) for y in bad)
        note += " " + t("zonemap.scene.mismatch", language, years=years)
    return note, fig, None
