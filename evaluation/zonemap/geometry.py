"""Reading and validating the geometry files of a data folder (GeoJSON in local metres).

Two optional files, both a GeoJSON ``FeatureCollection`` whose geometries are
``Polygon`` or ``MultiPolygon`` in a *local metric* coordinate system (metres
east and north of any origin; a schematic plan is fine), the same one for both
so they can be drawn together:

- ``observations/zones.geojson`` (:data:`GEOMETRY_FILE`): one feature per zone,
  its ``zone`` property the zone's code in ``zones.csv``;
- ``crime/areas.geojson`` (:data:`AREA_GEOMETRY_FILE`): the boundary of a crime
  area (e.g. the drug scene the police define) per year, one feature per
  ``area`` (a code of ``crime/areas.csv``) and ``year`` (an integer year that
  area has a row for in ``crime/areas.csv``).

Both are read with the project's bounded, confined reader
(:func:`evaluation.textio.read_text`): rings are closed, have at least four
positions of two finite numbers, enclose an area and do not cross themselves.
Every problem is a :class:`~evaluation.errors.DataError` naming the file and
the feature. Areas are computed with the shoelace formula: a handful of
polygons in metres need no projection, so neither geopandas nor shapely is used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem

__all__ = [
    "GEOMETRY_FILE",
    "AREA_GEOMETRY_FILE",
    "MAX_GEOMETRY_BYTES",
    "MAX_RING_POSITIONS",
    "MAX_FEATURES",
    "ZoneGeometry",
    "AreaGeometry",
    "read_zone_geometry",
    "read_area_geometry",
    "ring_area",
]

#: The zones' geometry, relative to the data folder.
GEOMETRY_FILE = Path("observations") / "zones.geojson"
#: The crime areas' boundaries per year (the drug scene), relative to the data folder.
AREA_GEOMETRY_FILE = Path("crime") / "areas.geojson"
#: Largest geometry file read (bytes).
MAX_GEOMETRY_BYTES = 4 * 1024 * 1024
#: Most positions in one ring (the self-crossing check compares every pair of edges).
MAX_RING_POSITIONS = 500
#: Most features in the file.
MAX_FEATURES = 200

Ring = list[tuple[float, float]]
PolygonRings = list[Ring]  # outer ring first, then holes


def ring_area(ring: Ring) -> float:
    """Signed area of a ring by the shoelace formula (positive counter-clockwise).

    Examples
    --------
    >>> ring_area([(0, 0), (4, 0), (4, 3), (0, 3), (0, 0)])
    12.0
    """
    return 0.5 * sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:], strict=True)
    )


def _polygons_area(polys: list[PolygonRings]) -> float:
    """Outer rings minus holes (square units)."""
    return sum(abs(ring_area(p[0])) - sum(abs(ring_area(h)) for h in p[1:]) for p in polys)


def _bounds(shapes: Collection[list[PolygonRings]]) -> tuple[float, float, float, float]:
    xs = [x for ps in shapes for p in ps for r in p for x, _ in r]
    ys = [y for ps in shapes for p in ps for r in p for _, y in r]
    return min(xs), min(ys), max(xs), max(ys)


@dataclass
class ZoneGeometry:
    """The zones' polygons: ``polygons[zone]`` is a list of polygons, each a list of rings.

    Examples
    --------
    >>> g = ZoneGeometry("zones.geojson", {"a": [[[(0, 0), (4, 0), (4, 3), (0, 3), (0, 0)]]]})
    >>> g.area("a"), g.bounds()
    (12.0, (0, 0, 4, 3))
    """

    file: str
    polygons: dict[str, list[PolygonRings]] = field(default_factory=dict)

    def area(self, zone: str) -> float:
        """The zone's area in square units (m²): outer rings minus holes."""
        return _polygons_area(self.polygons[zone])

    def bounds(self) -> tuple[float, float, float, float]:
        """``(x_min, y_min, x_max, y_max)`` of all zones."""
        return _bounds(self.polygons.values())


@dataclass
class AreaGeometry:
    """Crime areas' boundaries per year: ``polygons[(area, year)]`` is a list of polygons.

    Examples
    --------
    >>> sq = [[(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)]]
    >>> g = AreaGeometry("areas.geojson", {("scene", 2020): [sq], ("scene", 2021): [sq]})
    >>> g.years("scene"), g.hectares("scene", 2020)
    ([2020, 2021], 1.0)
    """

    file: str
    polygons: dict[tuple[str, int], list[PolygonRings]] = field(default_factory=dict)

    def years(self, area: str) -> list[int]:
        """The years with a boundary for ``area``, in order."""
        return sorted(y for a, y in self.polygons if a == area)

    def hectares(self, area: str, year: int) -> float:
        """The boundary's area in hectares (the coordinates are metres)."""
        return _polygons_area(self.polygons[(area, year)]) / 10_000

    def bounds(self, area: str | None = None) -> tuple[float, float, float, float]:
        """``(x_min, y_min, x_max, y_max)`` of the boundaries (of one ``area``)."""
        return _bounds([p for (a, _), p in self.polygons.items() if area in (None, a)])


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(p1: Any, p2: Any, q1: Any, q2: Any) -> bool:
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


def _position(pos: Any, file: str, where: str) -> tuple[float, float]:
    ok = (
        isinstance(pos, list)
        and len(pos) in (2, 3)
        and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            for v in pos
        )
    )
    if not ok:
        raise _problem(file, where, f"{pos!r:.60}", "[x, y]: two finite numbers")
    return float(pos[0]), float(pos[1])


def _ring(value: Any, file: str, where: str) -> Ring:
    if not isinstance(value, list):
        raise _problem(file, where, f"{type(value).__name__} found", "a list of [x, y] positions")
    if len(value) > MAX_RING_POSITIONS:
        raise _problem(
            file, where, f"{len(value)} positions", f"at most {MAX_RING_POSITIONS} positions"
        )
    ring = [_position(pos, file, f"{where}, position {k + 1}") for k, pos in enumerate(value)]
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


def _geometry(feat: dict, file: str, where: str) -> list[PolygonRings]:
    """A feature's Polygon or MultiPolygon as a list of polygons."""
    g = feat.get("geometry")
    kind = g.get("type") if isinstance(g, dict) else None
    coords = g.get("coordinates") if isinstance(g, dict) else None
    if kind == "Polygon":
        return [_polygon(coords, file, where)]
    if kind == "MultiPolygon" and isinstance(coords, list) and coords:
        return [_polygon(p, file, f"{where}, polygon {k + 1}") for k, p in enumerate(coords)]
    raise _problem(
        file, f"{where}: geometry", f"{kind or 'no geometry'} found", "a Polygon or MultiPolygon"
    )


def _features(data_dir: Path, rel: Path) -> tuple[str, list[Any]] | None:
    """``(file, features)`` of a FeatureCollection in the data folder; ``None`` without the file."""
    from ..textio import read_text

    path = data_dir / rel
    if not path.exists() and not path.is_symlink():
        return None
    file = str(path)
    text = read_text(path, file, root=data_dir, limit=MAX_GEOMETRY_BYTES)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            [Problem(file, exc.lineno, None, f"not valid JSON ({exc.msg})",
                     "a GeoJSON FeatureCollection")]
        ) from None  # fmt: skip
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
    for i, feat in enumerate(features):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise _problem(
                file, f"feature {i + 1}", "not a Feature", 'an object with "type": "Feature"'
            )
    return file, features


def _zone_of(feat: dict, i: int, file: str, zones: list[str] | None) -> str:
    props = feat.get("properties")
    zone = props.get("zone") if isinstance(props, dict) else None
    if not isinstance(zone, str) or not zone.strip():
        raise _problem(
            file, f"feature {i + 1}: properties.zone", "missing", "the zone's code in zones.csv"
        )
    if zones is not None and zone not in zones:
        raise _problem(
            file,
            f"feature {i + 1} (zone {zone!r})",
            "not a zone of observations/zones.csv",
            "one of " + ", ".join(map(str, zones)),
        )
    return zone


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

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> read_zone_geometry(resolve("data/example-odenplan")) is None
    True
    >>> g = read_zone_geometry(resolve("data/example"))
    >>> len(g.polygons) > 0
    True
    """
    data_dir = Path(data_dir)
    found = _features(data_dir, GEOMETRY_FILE)
    if found is None:
        return None
    file, features = found
    geom = ZoneGeometry(file)
    for i, feat in enumerate(features):
        zone = _zone_of(feat, i, file, zones)
        where = f"feature {i + 1} (zone {zone!r})"
        if zone in geom.polygons:
            raise _problem(
                file,
                where,
                "a second feature for this zone",
                "one feature per zone (use a MultiPolygon)",
            )
        geom.polygons[zone] = _geometry(feat, file, where)
    if zones is not None:
        missing = [z for z in zones if z not in geom.polygons]
        if missing:
            raise _problem(
                file, "features", "no polygon for zone(s) " + ", ".join(map(repr, missing)),
                "one feature for every zone of observations/zones.csv",
            )  # fmt: skip
    return geom


def _area_year(
    feat: dict, i: int, file: str, known: Collection[tuple[str, int]] | None
) -> tuple[str, int]:
    """A boundary's ``(area, year)`` properties, checked against ``crime/areas.csv``."""
    props = feat.get("properties")
    props = props if isinstance(props, dict) else {}
    area, year = props.get("area"), props.get("year")
    if not isinstance(area, str) or not area.strip():
        raise _problem(
            file, f"feature {i + 1}: properties.area", "missing", "an area code of crime/areas.csv"
        )
    if not isinstance(year, int) or isinstance(year, bool):
        raise _problem(
            file, f"feature {i + 1}: properties.year", f"{year!r:.40}", "an integer year"
        )
    if known is not None and (area, year) not in known:
        raise _problem(
            file,
            f"feature {i + 1} (area {area!r}, year {year})",
            "no row for this area and year in crime/areas.csv",
            "an area and year that crime/areas.csv has (its hectares)",
        )
    return area, year


def read_area_geometry(
    data_dir: str | Path, known: Collection[tuple[str, int]] | None = None
) -> AreaGeometry | None:
    """Crime areas' boundaries per year from ``<data_dir>/crime/areas.geojson``; ``None`` without the file.

    Parameters
    ----------
    data_dir
        The data folder; the file is read only if it resolves inside it.
    known
        The ``(area, year)`` pairs of ``crime/areas.csv``: every feature must
        be one of them. ``None``: not checked.

    Raises
    ------
    evaluation.errors.DataError
        Naming the file and the feature: as :func:`read_zone_geometry`, and a
        feature without ``area`` or an integer ``year``, an area and year
        ``crime/areas.csv`` does not have, an area and year twice.

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> g = read_area_geometry(resolve("data/example"))
    >>> area = sorted({a for a, _ in g.polygons})[0]
    >>> g.years(area)[:2], round(g.hectares(area, g.years(area)[0]), 1)
    ([2016, 2017], 3.6)
    """
    data_dir = Path(data_dir)
    found = _features(data_dir, AREA_GEOMETRY_FILE)
    if found is None:
        return None
    file, features = found
    geom = AreaGeometry(file)
    for i, feat in enumerate(features):
        key = _area_year(feat, i, file, known)
        where = f"feature {i + 1} (area {key[0]!r}, year {key[1]})"
        if key in geom.polygons:
            raise _problem(
                file, where, "a second feature for this area and year",
                "one feature per area and year (use a MultiPolygon)",
            )  # fmt: skip
        geom.polygons[key] = _geometry(feat, file, where)
    return geom
