"""Maps of the site: the zones of the square and the drug-scene area of each year.

Landscape architects read space, not zone codes. A data folder may hold
``observations/zones.geojson`` (the zones' polygons) and
``crime/areas.geojson`` (a crime area's boundary per year, e.g. the drug
scene), both optional GeoJSON in local metres, read and validated by
:mod:`~evaluation.zonemap.geometry`. Without them the report says so and
shows tables only.

- :mod:`~evaluation.zonemap.zones`: :func:`zone_map` draws per-zone rates by
  activation state on the plan; :func:`site_zone_map` is notebook 01's call.
- :mod:`~evaluation.zonemap.scene`: :func:`scene_map` draws the boundary of
  each year; :func:`drug_scene_map` is notebook 03's call (figure, or the
  hectares table when no boundary is given).
- :mod:`~evaluation.zonemap.example`: schematic files for generated data
  (:func:`write_example_plan`, :func:`write_example_scene`).

Matplotlib alone draws them: a handful of polygons in metres need no
projection, spatial join or file format beyond JSON, so neither geopandas
(pyproj, GDAL/pyogrio, shapely) nor shapely is needed.
"""

from __future__ import annotations

from .example import example_plan, example_scene, write_example_plan, write_example_scene
from .geometry import (
    AREA_GEOMETRY_FILE,
    GEOMETRY_FILE,
    MAX_FEATURES,
    MAX_GEOMETRY_BYTES,
    MAX_RING_POSITIONS,
    AreaGeometry,
    ZoneGeometry,
    read_area_geometry,
    read_zone_geometry,
    ring_area,
)
from .scene import drug_scene_map, hectares_table, scene_map, scene_periods
from .zones import geometry_note, site_zone_map, zone_map

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
    "zone_map",
    "site_zone_map",
    "geometry_note",
    "scene_periods",
    "scene_map",
    "hectares_table",
    "drug_scene_map",
    "example_plan",
    "write_example_plan",
    "example_scene",
    "write_example_scene",
]
