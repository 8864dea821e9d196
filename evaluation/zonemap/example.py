"""Schematic geometry files for generated data sets (used by the synthetic-data generator)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .geometry import AREA_GEOMETRY_FILE, GEOMETRY_FILE, Ring

__all__ = ["example_plan", "write_example_plan", "example_scene", "write_example_scene"]


def _collection(name: str, features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "name": name, "features": features}


def _feature(properties: dict[str, Any], ring: Ring) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
    }


def _write(out: Path, geojson: dict[str, Any]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(geojson, indent=1) + "\n", encoding="utf-8")
    return out


def example_plan(plan: Mapping[str, Ring], zones: list[str] | None = None) -> dict[str, Any] | None:
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
    return _collection(
        "schematic plan of the example square (local metres; not to scale)",
        [_feature({"zone": z}, ring) for z, ring in shapes.items()],
    )


def write_example_plan(
    out_dir: str | Path, plan: Mapping[str, Ring], zones: list[str] | None = None
) -> Path | None:
    """Write :func:`example_plan` to ``<out_dir>/observations/zones.geojson`` (used by the generator).

    ``plan``: zone code → outer ring (see :func:`example_plan`); ``zones``: the
    zone codes of the data set written (``zones.csv``); returns the file
    written, or ``None`` when the plan has too few shapes for them.

    Examples
    --------
    >>> import tempfile
    >>> square = {"zone_a": [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]}
    >>> write_example_plan(tempfile.mkdtemp(), square).name
    'zones.geojson'
    """
    geojson = example_plan(plan, zones)
    if geojson is None:
        return None
    return _write(Path(out_dir) / GEOMETRY_FILE, geojson)


def _rectangle(hectares: float, centre: tuple[float, float], aspect: float) -> Ring:
    """A rectangle of ``hectares`` (in m²: x 10 000), ``aspect`` = width / height, about ``centre``."""
    w = math.sqrt(hectares * 10_000 * aspect)
    h = hectares * 10_000 / w
    x0, y0 = centre[0] - w / 2, centre[1] - h / 2
    r = [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h), (x0, y0)]
    return [(round(x, 2), round(y, 2)) for x, y in r]


def example_scene(
    hectares: Mapping[int, float],
    area: str,
    centre: tuple[float, float] = (45.0, 38.0),
    aspect: float = 1.6,
) -> dict[str, Any]:
    """A schematic drug-scene boundary per year: rectangles of each year's hectares about ``centre``.

    The GeoJSON of ``crime/areas.geojson`` (see :mod:`evaluation.zonemap.geometry`):
    one feature per year with properties ``area`` and ``year``, in local metres
    (the coordinates of the zones' plan, so the plan lies inside the boundary).

    Examples
    --------
    >>> fc = example_scene({2020: 3.6, 2021: 1.5}, "scene")
    >>> [f["properties"] for f in fc["features"]]
    [{'area': 'scene', 'year': 2020}, {'area': 'scene', 'year': 2021}]
    >>> fc["features"][0]["geometry"]["coordinates"][0][:2]
    [[-75.0, -37.0], [165.0, -37.0]]
    """
    return _collection(
        "schematic boundary of the drug-scene area per year (local metres; not to scale)",
        [
            _feature({"area": area, "year": int(y)}, _rectangle(float(ha), centre, aspect))
            for y, ha in sorted(hectares.items())
        ],
    )


def write_example_scene(out_dir: str | Path, area: str) -> Path | None:
    """Write :func:`example_scene` for ``area`` from ``<out_dir>/crime/areas.csv`` (used by the generator).

    Returns ``<out_dir>/crime/areas.geojson``, or ``None`` when the folder has
    no ``crime/areas.csv`` or no row for ``area``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "crime").mkdir()
    >>> _ = (d / "crime" / "areas.csv").write_text("area,year,hectares,population\\nscene,2020,2.0,\\n")
    >>> write_example_scene(d, "scene").name, write_example_scene(d, "elsewhere")
    ('areas.geojson', None)
    """
    src = Path(out_dir) / "crime" / "areas.csv"
    if not src.is_file():
        return None
    with src.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("area") == area]
    if not rows:
        return None
    hectares = {int(r["year"]): float(r["hectares"]) for r in rows}
    return _write(Path(out_dir) / AREA_GEOMETRY_FILE, example_scene(hectares, area))
