"""The drug-scene area of each year (issue 18 item 3, notebook 03): boundaries read, checked
against crime/areas.csv, drawn; the hectares table where no boundary is given."""

from __future__ import annotations

import json
import shutil

import matplotlib
import pandas as pd
import pytest

from evaluation import load_dataset, plots
from evaluation.errors import DataError
from evaluation.zonemap import (
    AREA_GEOMETRY_FILE,
    drug_scene_map,
    example_scene,
    read_area_geometry,
    scene_periods,
    write_example_scene,
)

from .conftest import EXAMPLE

matplotlib.use("Agg")

SQUARE = [[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]]  # 1 hectare in metres


def _write(folder, doc):
    p = folder / AREA_GEOMETRY_FILE
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return p


def _feature(props, coords=None):
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [coords or SQUARE]},
    }


def _fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def test_example_boundaries_have_the_hectares_of_areas_csv():
    ds = load_dataset(EXAMPLE)
    areas = ds.crime["areas"]
    site = ds.study.site_area
    g = read_area_geometry(EXAMPLE, set(zip(areas["area"], areas["year"], strict=True)))
    given = areas[areas["area"] == site].set_index("year")["hectares"]
    assert g.years(site) == sorted(given.index)
    for y, ha in given.items():
        # the generator draws each year's rectangle with crime/areas.csv's hectares
        assert g.hectares(site, y) == pytest.approx(ha, rel=1e-3), y
    # the example redraws the boundary once (2023): two periods
    assert len(scene_periods(g, site)) == 2


@pytest.mark.parametrize(
    "props, match",
    [
        ({"year": 2020}, "properties.area: missing"),
        ({"area": "s", "year": "2020"}, "properties.year"),
        ({"area": "s", "year": 1999}, "no row for this area and year"),
        ({"area": "t", "year": 2020}, "no row for this area and year"),
    ],
)
def test_bad_boundaries_name_the_file_and_feature(tmp_path, props, match):
    _write(tmp_path, _fc(_feature(props)))
    with pytest.raises(DataError, match=match) as e:
        read_area_geometry(tmp_path, {("s", 2020)})
    assert "areas.geojson" in str(e.value) and "feature 1" in str(e.value)


def test_the_same_area_and_year_twice_is_an_error(tmp_path):
    f = _feature({"area": "s", "year": 2020})
    _write(tmp_path, _fc(f, f))
    with pytest.raises(DataError, match="second feature for this area and year"):
        read_area_geometry(tmp_path)


def test_drug_scene_map_draws_the_example_and_names_each_period():
    note, fig, table = drug_scene_map(load_dataset(EXAMPLE), language="en")
    assert fig is not None and table is None
    assert "schematic" in note and "differs" not in note
    alt, caption = plots.figure_text(fig, "en")
    # crime/areas.csv of the example: 3.6 ha 2016-2022, 1.5 ha 2023
    assert "2016–2022: 3.6 ha" in alt and "2023: 1.5 ha" in alt and "zones" in alt
    assert caption.startswith("The area the crime statistics count")
    matplotlib.pyplot.close("all")


def test_without_boundaries_the_report_says_so_and_gives_the_hectares(tmp_path):
    bare = tmp_path / "bare"
    shutil.copytree(EXAMPLE, bare)
    (bare / AREA_GEOMETRY_FILE).unlink()
    ds = load_dataset(bare)
    note, fig, table = drug_scene_map(ds, language="sv")
    assert fig is None and "ingen gräns" in note
    areas = ds.crime["areas"]
    expected = areas[areas["area"] == ds.study.site_area]["hectares"].tolist()
    assert table["hectares"].tolist() == expected and table.attrs["caption"]


def test_a_boundary_that_disagrees_with_areas_csv_is_named(tmp_path):
    areas = pd.DataFrame({"area": ["s", "s"], "year": [2020, 2021], "hectares": [1.0, 2.0]})
    _write(
        tmp_path, _fc(_feature({"area": "s", "year": 2020}), _feature({"area": "s", "year": 2021}))
    )
    from types import SimpleNamespace

    ds = SimpleNamespace(path=tmp_path, crime={"areas": areas}, study=None)
    note, fig, _ = drug_scene_map(ds, "s", "en")
    assert (
        fig is not None
        and "differs by more than 5% from the hectares in crime/areas.csv for 2021" in note
    )
    matplotlib.pyplot.close("all")


def test_example_scene_rectangles_have_the_hectares(tmp_path):
    fc = example_scene({2020: 3.6, 2021: 1.5}, "s")
    _write(tmp_path, fc)
    g = read_area_geometry(tmp_path)
    # coordinates rounded to centimetres: the area is right to 1 m² in 15 000
    assert g.hectares("s", 2020) == pytest.approx(3.6, abs=1e-4)
    assert g.hectares("s", 2021) == pytest.approx(1.5, abs=1e-4)
    assert write_example_scene(tmp_path / "none", "s") is None  # no crime/areas.csv
