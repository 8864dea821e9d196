"""The map of the square (issue 18 item 3): zone geometry read and validated, rates drawn on it."""

from __future__ import annotations

import json
import os

import matplotlib
import pandas as pd
import pytest

from evaluation import labels, plots
from evaluation.errors import DataError
from evaluation.synthetic import PLAN
from evaluation.zonemap import (
    GEOMETRY_FILE,
    MAX_RING_POSITIONS,
    example_plan,
    geometry_note,
    read_zone_geometry,
    write_example_plan,
    zone_map,
)

from .conftest import EXAMPLE

matplotlib.use("Agg")

ZONES = ["plattan", "trapporna", "kulturhuset", "tunnelbanan", "sergelgatan"]
SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]


def _feature(zone, coords, kind="Polygon"):
    return {
        "type": "Feature",
        "properties": {"zone": zone},
        "geometry": {"type": kind, "coordinates": coords},
    }


def _write(folder, doc):
    p = folder / GEOMETRY_FILE
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return p


def _fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def test_example_plan_areas_match_zones_csv(tmp_path):
    write_example_plan(tmp_path, PLAN)
    g = read_zone_geometry(tmp_path, ZONES)
    zones = pd.read_csv(EXAMPLE / "observations" / "zones.csv")
    for z, m2 in zip(zones["zone"], zones["area_m2"], strict=True):
        assert g.area(z) == pytest.approx(m2, abs=1e-9), z  # the plan keeps zones.csv's areas


def test_example_data_carry_the_plan():
    g = read_zone_geometry(EXAMPLE, ZONES)
    assert g is not None and set(g.polygons) == set(ZONES)


def test_no_file_means_no_map(tmp_path):
    assert read_zone_geometry(tmp_path, ZONES) is None
    assert "observations/zones.geojson" in geometry_note(None, "en")
    assert "tables" in geometry_note(None, "en")


@pytest.mark.parametrize(
    "doc, where, what",
    [
        ("{not json", r"zones\.geojson:1", "not valid JSON"),
        ({"type": "Feature"}, "type", "not a FeatureCollection"),
        (_fc({"type": "Feature", "properties": {}, "geometry": None}), r"feature 1: properties\.zone", "missing"),
        (_fc(_feature("plattan", [SQUARE]), _feature("plattan", [SQUARE])), r"feature 2 \(zone 'plattan'\)", "second feature"),
        (_fc(_feature("bogus", [SQUARE])), r"feature 1 \(zone 'bogus'\)", "not a zone of observations/zones.csv"),
        (_fc(_feature("plattan", [[0, 0]], "Point")), r"feature 1 \(zone 'plattan'\): geometry", "Point found"),
        (_fc(_feature("plattan", [SQUARE[:-1]])), r"ring 1", "not closed"),
        (_fc(_feature("plattan", [[[0, 0], [1, 1], [0, 0]]])), r"ring 1", "3 positions"),
        (_fc(_feature("plattan", [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]])), r"ring 1", "crosses another edge"),
        (_fc(_feature("plattan", [[[0, 0], [1, "x"], [1, 1], [0, 0]]])), r"ring 1, position 2", "two finite numbers"),
        (_fc(_feature("plattan", [[[0, 0], [1e400, 0], [1, 1], [0, 0]]])), r"position 2", "two finite numbers"),
        (_fc(_feature("plattan", [SQUARE])), "features", "no polygon for zone"),
    ],
)  # fmt: skip
def test_bad_geometry_names_file_and_feature(tmp_path, doc, where, what):
    _write(tmp_path, doc)
    zones = ["plattan"] if "no polygon" not in what else ["plattan", "trapporna"]
    with pytest.raises(DataError) as e:
        read_zone_geometry(tmp_path, zones)
    msg = str(e.value)
    assert "zones.geojson" in msg
    assert pytest.importorskip("re").search(where, msg), msg
    assert what in msg, msg
    assert "Traceback" not in msg


def test_too_many_positions_refused(tmp_path):
    ring = [[float(i), float(i % 2)] for i in range(MAX_RING_POSITIONS + 1)]
    _write(tmp_path, _fc(_feature("plattan", [ring])))
    with pytest.raises(DataError, match=f"at most {MAX_RING_POSITIONS} positions"):
        read_zone_geometry(tmp_path, ["plattan"])


def test_geometry_outside_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.geojson"
    outside.write_text(json.dumps(example_plan(PLAN)), encoding="utf-8")
    data = tmp_path / "data"
    (data / "observations").mkdir(parents=True)
    os.symlink(outside, data / GEOMETRY_FILE)
    with pytest.raises(DataError, match="outside"):
        read_zone_geometry(data, ZONES)


def test_multipolygon_and_hole(tmp_path):
    hole = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]]
    far = [[20, 0], [25, 0], [25, 4], [20, 4], [20, 0]]
    _write(tmp_path, _fc(_feature("a", [[SQUARE, hole], [far]], "MultiPolygon")))
    g = read_zone_geometry(tmp_path, ["a"])
    assert g.area("a") == pytest.approx(100 - 4 + 20)


def test_map_draws_one_panel_per_state_and_describes_the_rates(tmp_path):
    write_example_plan(tmp_path, PLAN)
    g = read_zone_geometry(tmp_path, ZONES)
    # planted rates: art is highest on the stairs, none highest on the plaza
    rates = pd.DataFrame(
        [(z, "none", 1.0 + (z == "plattan")) for z in ZONES] + [(z, "art", 2.0 + 3 * (z == "trapporna")) for z in ZONES],
        columns=["zone", "activation", "rate"],
    )  # fmt: skip
    fig = zone_map(g, rates, "en")
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [labels.label("none", "en"), labels.label("art", "en")]
    alt, caption = plots.figure_text(fig, "en")
    assert "most in plattan (2.0 per hour)" in alt and "most in trapporna (5.0 per hour)" in alt
    assert "Map" in caption
    # a zone with no row is drawn as not observed
    fig2 = zone_map(g, rates[rates["zone"] != "kulturhuset"], "en")
    texts = [t.get_text() for ax in fig2.axes for t in ax.texts]
    assert any("not observed" in s for s in texts)
    matplotlib.pyplot.close("all")


def test_site_zone_map_on_the_example_and_without_geometry(tmp_path):
    import shutil

    from evaluation import load_dataset
    from evaluation.zonemap import site_zone_map

    note, fig = site_zone_map(load_dataset(EXAMPLE), "female", "13-18", "sv")
    assert fig is not None and "5 zonerna" in note
    alt, caption = plots.figure_text(fig, "sv")
    assert caption.startswith("Flickor 13–18 år som stannar") and "flest i" in alt
    bare = tmp_path / "bare"
    shutil.copytree(EXAMPLE, bare)
    (bare / GEOMETRY_FILE).unlink()
    note, fig = site_zone_map(load_dataset(bare), language="en")
    assert fig is None and "no geometry" in note
    matplotlib.pyplot.close("all")


def test_example_plan_follows_renamed_zones(tmp_path):
    renamed = ["plattan", "a", "b", "c", "d"]
    write_example_plan(tmp_path, PLAN, renamed)
    g = read_zone_geometry(tmp_path, renamed)
    assert set(g.polygons) == set(renamed) and g.area("plattan") == 3200
    assert write_example_plan(tmp_path / "many", PLAN, [f"z{i}" for i in range(9)]) is None
