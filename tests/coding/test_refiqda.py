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


# ----------------------------------------------------------------------------- issue 14
def _external_project(tmp_path, path_attr, base=""):
    from ..hostile.corpus import TEXT as HOSTILE_TEXT
    from ..hostile.corpus import qde, qdpx, selection

    sel = selection("d0000000-0000-4000-8000-000000000001", 0, 5)
    return qdpx(tmp_path / "p.qdpx", qde(path_attr, sel, project_attrs=base), {}), HOSTILE_TEXT


def test_external_sources_only_from_the_named_folder(tmp_path):
    from evaluation.errors import DataError

    ext = tmp_path / "ext"
    (ext / "sub").mkdir(parents=True)
    p, text = _external_project(tmp_path, 'plainTextPath="relative://sub/fg1.txt"')
    (ext / "sub" / "fg1.txt").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="outside the archive") as exc:
        read_qdpx(p)  # not without sources_dir
    assert "fg1.txt" in str(exc.value) and "sources_dir" in str(exc.value)
    cb, segs, cod = read_qdpx(p, sources_dir=ext)
    assert len(segs) == 3 and segs["text"].iloc[0] == "Hur ser ni på konsten?"
    # absolute:// inside the folder is read; a link inside it that stays inside too
    p, _ = _external_project(tmp_path, f'plainTextPath="absolute://{ext}/sub/fg1.txt"')
    assert len(read_qdpx(p, sources_dir=ext)[1]) == 3
    (ext / "alias.txt").symlink_to(ext / "sub" / "fg1.txt")
    p, _ = _external_project(tmp_path, 'plainTextPath="relative://alias.txt"')
    assert len(read_qdpx(p, sources_dir=ext)[1]) == 3
    # basePath is not followed: relative:// is against sources_dir only
    (tmp_path / "fg1.txt").write_text(text, encoding="utf-8")
    p, _ = _external_project(
        tmp_path, 'plainTextPath="relative://fg1.txt"', f' basePath="file://{tmp_path}"'
    )
    with pytest.raises(DataError, match="file not found"):
        read_qdpx(p, sources_dir=ext)


def test_two_character_line_breaks_map_like_the_table_they_replace():
    """_Positions (bisection) against the full table it replaced, on random texts."""
    import random

    from evaluation.sources.refiqda.positions import Positions as _Positions

    rng = random.Random(14)
    for _ in range(200):
        text = "".join(rng.choice("ab \n") for _ in range(rng.randint(0, 40)))
        table = []  # the old construction: positions counting "\n" as two characters
        for i, ch in enumerate(text):
            table.append(i)
            if ch == "\n":
                table.append(i)
        table.append(len(text))
        pos = _Positions(text)
        assert pos.length["two"] == len(table) - 1
        assert [pos.map(p, "two") for p in range(len(table))] == table


def test_control_character_refused_on_export(tmp_path):
    from evaluation.errors import CodebookError

    cb = load_codebook(CODEBOOK)
    first = cb.roots()[0]
    cb.codes[first].label["sv"] = "Ring\x07klocka"
    with pytest.raises(CodebookError, match=first) as exc:
        write_qdc(cb, tmp_path / "x.qdc")
    assert "U+0007" in str(exc.value)
    assert not (tmp_path / "x.qdc").exists()


def test_cli_import_project_and_overwrite_rules(tmp_path):
    from ..conftest import cli

    project = make("nvivo", tmp_path)
    out = tmp_path / "imported"
    r = cli("codebook", "import", str(project), "--to", str(out))
    assert r.returncode == 0, r.stderr
    assert {p.name for p in out.iterdir()} == {"codebook.yaml", "codings.csv", "transcripts"}
    cb = load_codebook(out / "codebook.yaml")
    assert cb.codes["narkotikahandel"].parent == "teman"
    codings = pd.read_csv(out / "codings.csv")
    assert list(codings.columns) == ["group", "segment", "code", "coder", "start", "end"]
    assert set(codings["coder"]) == {"anna", "bo"}
    text = (out / "transcripts" / "fokusgrupp_1.txt").read_text(encoding="utf-8")
    row = codings[codings["code"] == "samverkan"].iloc[0]
    turn = text.split("\n\n")[row.segment - 1].split(": ", 1)[1]
    assert turn[row.start : row.end] == "Samverkan med vakterna har blivit bättre."
    # a second import, an export onto an existing file: refused (2) unless --force
    assert cli("codebook", "import", str(project), "--to", str(out)).returncode == 2
    assert cli("codebook", "import", str(project), "--to", str(out), "--force").returncode == 0
    qdc = tmp_path / "cb.qdc"
    qdc.write_text("mine")
    r = cli("codebook", "export", str(out / "codebook.yaml"), "--to", str(qdc))
    assert r.returncode == 2 and "--force" in r.stderr and qdc.read_text() == "mine"
    r = cli("codebook", "export", str(out / "codebook.yaml"), "--to", str(qdc), "--force")
    assert r.returncode == 0 and read_qdc(qdc).codes.keys() == cb.codes.keys()
    # never over the input, even with --force
    r = cli("codebook", "export", str(qdc), "--to", str(qdc), "--force")
    assert r.returncode == 2 and "input" in r.stderr
