"""A map of the square: the zones' geometry (``observations/zones.geojson``) and per-zone rates drawn on it.

Landscape architects read space, not zone codes. A data folder may hold
``observations/zones.geojson``: a GeoJSON ``FeatureCollection`` with one
feature per zone, its ``zone`` property the zone's code in ``zones.csv`` and
its geometry a ``Polygon`` or ``MultiPolygon`` in a *local metric* coordinate
system (metres east and north of any origin; a schematic plan is fine). The
file is optional: without it the report says so and shows tables only.

:func:`read_zone_geometry` reads it with the project's bounded, confined
reader (:func:`evaluation.textio.read_text`) and validates it: every zone of
``zones.csv`` has exactly one feature and every feature a zone of
``zones.csv``; rings are closed, have at least four positions of two finite
numbers and do not cross themselves. Every problem is a
:class:`~evaluation.errors.DataError` naming the file and the feature.
:func:`zone_map` draws per-zone rates by activation state on the plan (one
panel per state, one colour scale) with matplotlib alone: a handful of
polygons in metres need no projection, spatial join or file format beyond
JSON, so neither geopandas (pyproj, GDAL/pyogrio, shapely) nor shapely is
needed; areas are computed with the shoelace formula.
:func:`write_example_plan` writes a schematic plan (the generator's example square).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError, Problem

__all__ = [
    "GEOMETRY_FILE",
    "MAX_GEOMETRY_BYTES",
    "MAX_RING_POSITIONS",
    "MAX_FEATURES",
    "ZoneGeometry",
    "read_zone_geometry",
    "ring_area",
    "zone_map",
    "site_zone_map",
    "geometry_note",
    "example_plan",
    "write_example_plan",
]

#: The zones' geometry, relative to the data folder.
GEOMETRY_FILE = Path("observations") / "zones.geojson"
#: Largest geometry file read (bytes).
MAX_GEOMETRY_BYTES = 4 * 1024 * 1024
#: Most positions in one ring (the self-crossing check compares every pair of edges).
MAX_RING_POSITIONS = 500
#: Most features in the file.
MAX_FEATURES = 200

Ring = list[tuple[float, float]]
PolygonRings = list[Ring]  # outer ring first, then holes


@dataclass
class ZoneGeometry:
    """The zones' polygons: ``polygons[zone]`` is a list of polygons, each a list of rings."""

    file: str
    polygons: dict[str, list[PolygonRings]] = field(default_factory=dict)

    def area(self, zone: str) -> float:
        """The zone's area in square units (m²): outer rings minus holes."""
        return sum(
            abs(ring_area(p[0])) - sum(abs(ring_area(h)) for h in p[1:])
            for p in self.polygons[zone]
        )

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for ps in self.polygons.values() for p in ps for r in p for x, _ in r]
        ys = [y for ps in self.polygons.values() for p in ps for r in p for _, y in r]
        return min(xs), min(ys), max(xs), max(ys)


def ring_area(ring: Ring) -> float:
    """Signed area of a ring by the shoelace formula (positive counter-clockwise).

    >>> ring_area([(0, 0), (4, 0), (4, 3), (0, 3), (0, 0)])
    12.0
    """
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:], strict=True)
    )


def _cross(o, a, b) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(p1, p2, q1, q2) -> bool:
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0) and 0 not in (d1, d2, d3, d4)


def _self_crossing(ring: Ring) -> int | None:
    """The first edge (0-based) that crosses a non-adjacent edge of the ring, else ``None``."""
    n = len(ring) - 1
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # the first and last edges meet at the closing position
            if _segments_cross(ring[i], ring[i + 1], ring[j], ring[j + 1]):
                return i
    return None


def _problem(file: str, where: str, message: str, expected: str) -> DataError:
    return DataError([Problem(file, None, where, message, expected)])


def _ring(value: Any, file: str, where: str) -> Ring:
    if not isinstance(value, list):
        raise _problem(file, where, f"{type(value).__name__} found", "a list of [x, y] positions")
    if len(value) > MAX_RING_POSITIONS:
        raise _problem(
            file, where, f"{len(value)} positions", f"at most {MAX_RING_POSITIONS} positions"
        )
    ring = []
    for k, pos in enumerate(value):
        ok = (
            isinstance(pos, list)
            and len(pos) in (2, 3)
            and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                for v in pos
            )
        )
        if not ok:
            raise _problem(
                file, f"{where}, position {k + 1}", f"{pos!r:.60}", "[x, y]: two finite numbers"
            )
        ring.append((float(pos[0]), float(pos[1])))
    if len(ring) < 4:
        raise _problem(
            file, where, f"{len(ring)} positions", "a closed ring of at least 4 positions"
        )
    if ring[0] != ring[-1]:
        raise _problem(
            file, where, "the ring is not closed", "the last position equal to the first"
        )
    k = _self_crossing(ring)
    if k is not None:
        raise _problem(
            file,
            where,
            f"edge {k + 1} crosses another edge of the ring",
            "a ring that does not cross itself",
        )
    if abs(ring_area(ring)) == 0:
        raise _problem(file, where, "the ring has no area", "a ring enclosing an area")
    return ring


def _polygon(value: Any, file: str, where: str) -> PolygonRings:
    if not isinstance(value, list) or not value:
        raise _problem(file, where, "no rings", "a list of rings (the outer ring first)")
    return [_ring(r, file, f"{where}, ring {i + 1}") for i, r in enumerate(value)]


def read_zone_geometry(data_dir: str | Path, zones: list[str] | None = None) -> ZoneGeometry | None:
    """The zones' polygons from ``<data_dir>/observations/zones.geojson``; ``None`` if there is no such file.

    Parameters
    ----------
    data_dir
        The data folder; the file is read only if it resolves inside it.
    zones
        The zones of ``zones.csv``: each must have exactly one feature, and
        each feature must name one of them. ``None``: not checked.

    Raises
    ------
    evaluation.errors.DataError
        Naming the file and the feature (its number and zone) and what was
        expected: not JSON, not a FeatureCollection, a feature without a
        ``zone``, a geometry other than Polygon/MultiPolygon, a ring that is
        open, too short, empty or crosses itself, a zone twice, a zone of
        ``zones.csv`` without a polygon, a feature of an unknown zone.
    """
    from .textio import read_text

    data_dir = Path(data_dir)
    path = data_dir / GEOMETRY_FILE
    if not path.exists() and not path.is_symlink():
        return None
    file = str(path)
    text = read_text(path, file, root=data_dir, limit=MAX_GEOMETRY_BYTES)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            [
                Problem(
                    file,
                    exc.lineno,
                    None,
                    f"not valid JSON ({exc.msg})",
                    "a GeoJSON FeatureCollection",
                )
            ]
        ) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise _problem(
            file,
            "type",
            "not a FeatureCollection",
            'a GeoJSON object with "type": "FeatureCollection"',
        )
    features = doc.get("features")
    if not isinstance(features, list):
        raise _problem(file, "features", "missing or not a list", "a list of features")
    if len(features) > MAX_FEATURES:
        raise _problem(file, "features", f"{len(features)} features", f"at most {MAX_FEATURES}")
    geom = ZoneGeometry(file)
    for i, feat in enumerate(features):
        where = f"feature {i + 1}"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise _problem(file, where, "not a Feature", 'an object with "type": "Feature"')
        props = feat.get("properties")
        zone = props.get("zone") if isinstance(props, dict) else None
        if not isinstance(zone, str) or not zone.strip():
            raise _problem(
                file, f"{where}: properties.zone", "missing", "the zone's code in zones.csv"
            )
        where = f"feature {i + 1} (zone {zone!r})"
        if zone in geom.polygons:
            raise _problem(
                file,
                where,
                "a second feature for this zone",
                "one feature per zone (use a MultiPolygon)",
            )
        if zones is not None and zone not in zones:
            raise _problem(
                file,
                where,
                "not a zone of observations/zones.csv",
                "one of " + ", ".join(map(str, zones)),
            )
        g = feat.get("geometry")
        kind = g.get("type") if isinstance(g, dict) else None
        coords = g.get("coordinates") if isinstance(g, dict) else None
        if kind == "Polygon":
            geom.polygons[zone] = [_polygon(coords, file, where)]
        elif kind == "MultiPolygon" and isinstance(coords, list) and coords:
            geom.polygons[zone] = [
                _polygon(p, file, f"{where}, polygon {k + 1}") for k, p in enumerate(coords)
            ]
        else:
            raise _problem(
                file,
                f"{where}: geometry",
                f"{kind or 'no geometry'} found",
                "a Polygon or MultiPolygon",
            )
    if zones is not None:
        missing = [z for z in zones if z not in geom.polygons]
        if missing:
            raise _problem(
                file, "features", "no polygon for zone(s) " + ", ".join(map(repr, missing)),
                "one feature for every zone of observations/zones.csv",
            )  # fmt: skip
    return geom


def geometry_note(geom: ZoneGeometry | None, language: str = "sv") -> str:
    """What the report says about the map: drawn from the file, or why there is none."""
    from .i18n import t

    if geom is None:
        return t("zonemap.none", language, file=str(GEOMETRY_FILE))
    return t("zonemap.note", language, n=len(geom.polygons))


def zone_map(
    geom: ZoneGeometry,
    rates,
    language: str | None = None,
    title: str | None = None,
    value: str = "rate",
    states: list[str] | None = None,
):
    """Per-zone rates by activation state drawn on the plan: one panel per state, one colour scale.

    Parameters
    ----------
    geom
        :func:`read_zone_geometry`'s result.
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

    Returns the figure; its alt text (:func:`evaluation.plots.describe`)
    names, for each state, the zone with the highest and lowest rate.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon as Patch

    from .i18n import t
    from .labels import label
    from .plots.alttext import _language, _n, describe

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
    fig, axes = plt.subplots(
        rows, cols, figsize=(5.2 * cols + 1, 5.2 * rows * min(max(aspect, 0.5), 1.5)), squeeze=False
    )
    alt = []
    for k, st in enumerate(states):
        ax = axes[k // cols][k % cols]
        sub = rates[rates["activation"] == st].set_index("zone")[value]
        for zone, polys in geom.polygons.items():
            v = sub.get(zone)
            for poly in polys:
                face = cmap(norm(v)) if v is not None and math.isfinite(v) else "white"
                ax.add_patch(
                    Patch(poly[0], closed=True, facecolor=face, edgecolor="#222222", lw=0.8,
                          hatch=None if v is not None else "//")
                )  # fmt: skip
                for hole in poly[1:]:
                    ax.add_patch(
                        Patch(hole, closed=True, facecolor="white", edgecolor="#222222", lw=0.6)
                    )
            cx, cy = _label_point(polys)
            txt = (
                label(zone, language)
                + "\n"
                + (
                    _n(v, language, 1)
                    if v is not None
                    else t("zonemap.not_observed", language)
                )
            )
            dark = v is not None and norm(v) < 0.55
            bx = [x for p in polys for x, _ in p[0]]
            by = [y for p in polys for _, y in p[0]]
            tall = (max(by) - min(by)) > 1.1 * (max(bx) - min(bx))  # write along a tall zone
            ax.text(cx, cy, txt, ha="center", va="center", fontsize=8, rotation=90 if tall else 0,
                    color="white" if dark else "black")  # fmt: skip
        ax.set_xlim(x0 - 2, x1 + 2)
        ax.set_ylim(y0 - 2, y1 + 2)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_title(label(st, language))
        if len(sub):
            alt.append(
                t(
                    "zonemap.alt_state",
                    language,
                    state=label(st, language),
                    top=label(sub.idxmax(), language),
                    top_rate=_n(sub.max(), language, 1),
                    low=label(sub.idxmin(), language),
                    low_rate=_n(sub.min(), language, 1),
                )
            )
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(sm, ax=axes.ravel().tolist(), shrink=0.8)
    bar.set_label(t("zonemap.scale", language))
    axes[0][0].annotate(
        t("zonemap.schematic", language),
        xy=(0, -0.04),
        xycoords="axes fraction",
        fontsize=7,
        va="top",
    )
    if title:
        fig.suptitle(title)
    intro = t("zonemap.alt", language, zones=len(geom.polygons), states=len(states))
    describe(fig, alt=" ".join([intro, *alt]), caption=title or t("zonemap.title", language))
    return fig


def _label_point(polys: list[PolygonRings]) -> tuple[float, float]:
    """The centroid of the largest polygon's outer ring (inside for the convex shapes of a plan)."""
    ring = max((p[0] for p in polys), key=lambda r: abs(ring_area(r)))
    a = ring_area(ring)
    cx = sum(
        (x1 + x2) * (x1 * y2 - x2 * y1)
        for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:], strict=True)
    )
    cy = sum(
        (y1 + y2) * (x1 * y2 - x2 * y1)
        for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:], strict=True)
    )
    return cx / (6 * a), cy / (6 * a)


def example_plan(plan: Mapping[str, Ring], zones: list[str] | None = None) -> dict | None:
    """The GeoJSON FeatureCollection of a schematic ``plan`` (zone code → outer ring) for ``zones``.

    ``plan``: the shapes of a generated data set's zones (the synthetic-data
    generator holds its example square's plan, :data:`evaluation.synthetic.PLAN`);
    ``zones`` defaults to the plan's own zones. A zone of ``plan`` keeps its
    shape; other zone codes (a generated data set with renamed zones) take the
    remaining shapes in order. ``None`` when there are more zones than shapes
    (no plan is better than a wrong one: the report then shows tables).

    Examples
    --------
    >>> square = {"zone_a": [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]}
    >>> fc = example_plan(square, ["zone_b"])
    >>> fc["features"][0]["properties"], example_plan(square, ["zone_a", "zone_b"])
    ({'zone': 'zone_b'}, None)
    """
    zones = list(plan) if zones is None else [str(z) for z in zones]
    if len(zones) > len(plan):
        return None
    free = [z for z in plan if z not in zones]
    shapes = {z: plan[z] if z in plan else plan[free.pop(0)] for z in zones}
    features = [
        {
            "type": "Feature",
            "properties": {"zone": z},
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
        }
        for z, ring in shapes.items()
    ]
    return {
        "type": "FeatureCollection",
        "name": "schematic plan of the example square (local metres; not to scale)",
        "features": features,
    }


def write_example_plan(
    out_dir: str | Path, plan: Mapping[str, Ring], zones: list[str] | None = None
) -> Path | None:
    """Write :func:`example_plan` to ``<out_dir>/observations/zones.geojson`` (used by the generator).

    ``plan``: zone code → outer ring (see :func:`example_plan`); ``zones``: the
    zone codes of the data set written (``zones.csv``); returns the file
    written, or ``None`` when the plan has too few shapes for them.
    """
    geojson = example_plan(plan, zones)
    if geojson is None:
        return None
    out = Path(out_dir) / GEOMETRY_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(geojson, indent=1) + "\n", encoding="utf-8")
    return out


def site_zone_map(
    ds,
    target_gender: str | None = None,
    target_age_band: str | None = None,
    language: str = "sv",
):
    """For notebook 01: ``(note, figure or None)``, the target group staying per observed hour by zone
    and activation state on the plan, or the note that there is no geometry (then tables only).

    ``ds``: :func:`evaluation.load_dataset`'s data set (its folder holds the geometry, if any).
    The geometry is validated against the zones of ``observations/zones.csv``.
    ``target_gender`` and ``target_age_band`` left ``None`` come from the study
    (``study.yaml``).
    """
    from .analyses.findings import group_values
    from .i18n import t
    from .sources.study import study_defaults
    from .stats.rates import rate_table

    p = study_defaults(
        getattr(ds, "study", None), target_gender=target_gender, target_age_band=target_age_band
    )
    target_gender, target_age_band = p["target_gender"], p["target_age_band"]
    obs = ds.observations
    geom = read_zone_geometry(ds.path, [str(z) for z in obs["zones"]["zone"]])
    note = geometry_note(geom, language)
    if geom is None:
        return note, None
    target = {"gender": target_gender, "age_band": target_age_band, "activity": "staying"}
    rates = rate_table(obs["counts"], obs["sessions"], by=["zone", "activation"], target=target)
    who = group_values({"gender": target_gender, "age_band": target_age_band}, language)
    fig = zone_map(geom, rates, language, title=t("zonemap.title_group", language, **who))
    fig.axes[-1].set_ylabel(t("zonemap.scale_group", language, **who))
    return note, fig
