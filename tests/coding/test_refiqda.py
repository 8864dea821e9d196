"""REFI-QDA exchange: round trips, the standard's schema, and files as other tools write them."""

import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import pytest

from evaluation.coding import load_codebook
from evaluation.coding.refiqda import (
    NS_CODEBOOK,
    code_guid,
    read_qdc,
    read_qdpx,
    write_qdc,
    write_qdpx,
)

from ..conftest import ROOT
from .refiqda_fixtures import CODINGS, CROSSING, TEXT, make

XSD = ROOT / "tests" / "fixtures" / "refiqda" / "Project.xsd"
CODEBOOK = ROOT / "codebooks" / "focus_groups.yaml"


@pytest.fixture(scope="module")
def schema():
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


def test_qdc_round_trip_keeps_everything(tmp_path):
    cb = load_codebook(CODEBOOK)
    write_qdc(cb, tmp_path / "cb.qdc")
    again = read_qdc(tmp_path / "cb.qdc")
    pd.testing.assert_frame_equal(again.to_frame(), cb.to_frame())
    assert (again.id, again.version) == (cb.id, cb.version)
    # via the CLI and load_codebook too: YAML -> QDC -> YAML
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluation.cli",
            "codebook",
            "export",
            str(CODEBOOK),
            "--to",
            str(tmp_path / "x.qdc"),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluation.cli",
            "codebook",
            "import",
            str(tmp_path / "x.qdc"),
            "--to",
            str(tmp_path / "x.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    pd.testing.assert_frame_equal(load_codebook(tmp_path / "x.yaml").to_frame(), cb.to_frame())
    pd.testing.assert_frame_equal(load_codebook(tmp_path / "x.qdc").to_frame(), cb.to_frame())


def test_qdc_structure(tmp_path):
    cb = load_codebook(CODEBOOK)
    write_qdc(cb, tmp_path / "cb.qdc")
    root = ET.parse(tmp_path / "cb.qdc").getroot()
    assert root.tag == f"{{{NS_CODEBOOK}}}CodeBook"
    codes = root.find(f"{{{NS_CODEBOOK}}}Codes")
    top = codes.findall(f"{{{NS_CODEBOOK}}}Code")
    assert [c.get("name") for c in top] == [cb.codes[r].name("sv") for r in cb.roots()]
    for c in root.iter(f"{{{NS_CODEBOOK}}}Code"):
        assert (
            c.get("isCodable") in ("true", "false")
            and c.get("guid")
            and c.get("color").startswith("#")
        )
    nested = top[0].findall(f"{{{NS_CODEBOOK}}}Code")
    assert [n.get("guid") for n in nested] == [
        code_guid(cb.id, ch) for ch in cb.codes[cb.roots()[0]].children
    ]
    assert root.find(f"{{{NS_CODEBOOK}}}Sets") is not None


def test_guids_are_stable(tmp_path):
    cb = load_codebook(CODEBOOK)
    write_qdc(cb, tmp_path / "a.qdc")
    write_qdc(cb, tmp_path / "b.qdc")
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()


def test_project_round_trip_and_schema(tmp_path, example_ds, schema):
    f = example_ds.focus_groups
    p = write_qdpx(
        tmp_path / "p.qdpx", example_ds.codebook, f["texts"], f["segments"], f["codings"]
    )
    with zipfile.ZipFile(p) as z:
        names = z.namelist()
        schema.validate(z.read("project.qde").decode("utf-8"))
    assert "project.qde" in names and sum(n.startswith("sources/") for n in names) == 6
    cb, segs, cod = read_qdpx(p)
    pd.testing.assert_frame_equal(cb.to_frame(), example_ds.codebook.to_frame())
    cols = ["group", "segment", "code", "coder", "start", "end"]
    ours = (
        cod[cols]
        .astype({"segment": int, "start": int, "end": int})
        .sort_values(cols)
        .reset_index(drop=True)
    )
    theirs = (
        f["codings"][cols]
        .astype({"segment": int, "start": int, "end": int})
        .sort_values(cols)
        .reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    pd.testing.assert_frame_equal(
        segs[["group", "segment", "speaker", "text"]].reset_index(drop=True),
        f["segments"][["group", "segment", "speaker", "text"]].reset_index(drop=True),
        check_dtype=False,
    )


@pytest.mark.parametrize("tool", ["atlas", "nvivo", "maxqda", "qualcoder"])
def test_files_as_tools_write_them(tmp_path, tool):
    cb, segs, cod = read_qdpx(make(tool, tmp_path))
    assert set(segs["speaker"]) == {"MOD", "POL1", "UJ1"} and len(segs) == 4
    assert segs["group"].iloc[0] == "fokusgrupp_1"
    for name, phrase, coder in CODINGS:
        code_id = next(c for c, v in cb.codes.items() if v.name("sv") == name)
        row = cod[(cod["code"] == code_id) & (cod["coder"] == coder)]
        assert len(row) >= 1, (tool, name)
        r = row.iloc[0]
        turn = segs[(segs["group"] == r.group) & (segs["segment"] == r.segment)].iloc[0]
        assert turn["text"][r.start : r.end] == phrase, (tool, name)
    expected = "two characters" if tool in ("atlas", "nvivo") else "one character"
    assert cod.attrs["line_breaks"] == {"fokusgrupp_1": expected}
    if tool == "nvivo":
        assert cb.codes["teman"].codable is False and cb.codes["narkotikahandel"].parent == "teman"


def test_selection_across_turns_maps_to_each_turn(tmp_path):
    cb, segs, cod = read_qdpx(make("qualcoder", tmp_path))
    code_id = next(c for c, v in cb.codes.items() if v.name("sv") == CROSSING[0])
    crossing = cod[(cod["code"] == code_id) & (cod["coder"] == "Bo")]
    assert sorted(crossing["segment"]) == [2, 3]
    assert crossing.iloc[0]["selection"] == crossing.iloc[1]["selection"]


def test_bad_archives(tmp_path):
    from evaluation.errors import DataError

    (tmp_path / "x.qdpx").write_bytes(b"not a zip")
    with pytest.raises(DataError, match="not a .qdpx archive"):
        read_qdpx(tmp_path / "x.qdpx")
    with zipfile.ZipFile(tmp_path / "y.qdpx", "w") as z:
        z.writestr(
            "project.qde", "<Project xmlns='urn:QDA-XML:project:1.0' name='x'><CodeBook><Codes>"
        )
    with pytest.raises(DataError, match="not well-formed XML"):
        read_qdpx(tmp_path / "y.qdpx")
    assert TEXT  # the fixture text is non-empty
