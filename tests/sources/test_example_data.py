"""The bundled example data: reproducible, valid, and loaded into typed tidy frames."""

import subprocess
import sys

import pandas as pd

from evaluation.sources import parse_transcript
from evaluation.synthetic import DEFAULT_SEED, make_example_data

from ..conftest import EXAMPLE, tree_hashes


def test_example_regenerates_byte_for_byte(tmp_path):
    make_example_data(tmp_path / "ex", seed=DEFAULT_SEED)
    assert tree_hashes(tmp_path / "ex") == tree_hashes(EXAMPLE)


def test_other_seed_gives_other_data(tmp_path):
    make_example_data(tmp_path / "ex", seed=DEFAULT_SEED + 1)
    assert tree_hashes(tmp_path / "ex") != tree_hashes(EXAMPLE)


def test_example_is_marked_synthetic():
    assert "SYNTHETIC" in (EXAMPLE / "SYNTHETIC").read_text()
    assert "synthetic" in (EXAMPLE / "README.md").read_text().lower()


def test_validate_cli_passes_on_example():
    out = subprocess.run(
        [sys.executable, "-m", "evaluation.cli", "validate", "--data", str(EXAMPLE)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("VALID")
    assert "sessions" in out.stdout and "double-coded" in out.stdout


def test_loaded_types(example_ds):
    s = example_ds.observations["sessions"]
    assert pd.api.types.is_datetime64_any_dtype(s["date"])
    assert (s["minutes"] > 0).all()
    assert set(s["daypart"].astype(str)) <= {"morning", "afternoon", "evening"}
    c = example_ds.observations["counts"]
    assert str(c["count"].dtype) == "Int64" and (c["count"] >= 0).all()
    r = example_ds.crime["reported"]
    assert pd.api.types.is_datetime64_any_dtype(r["month"])
    assert r["month"].min() == pd.Timestamp("2016-01-01") and r["month"].max() == pd.Timestamp(
        "2023-12-01"
    )


def test_shape_of_the_study(example_ds):
    s = example_ds.observations["sessions"]
    assert 250 <= len(s) <= 400 and s["zone"].nunique() == 5
    assert set(s["activation"]) == {"none", "art", "event", "park"}
    fg = example_ds.focus_groups
    turns = fg["segments"].groupby("group").size()
    assert len(turns) == 6 and turns.between(40, 80).all()
    assert set(fg["participants"]["role"]) == {
        "polis",
        "ungdomsjour",
        "faltassistent",
        "ordningsvakt",
    }
    assert (fg["codings"].groupby("group")["coder"].nunique() >= 2).sum() == 2
    assert set(example_ds.survey["area"]) == {"sergels_torg", "klara", "stockholm"}
    assert set(example_ds.survey["year"]) == set(range(2015, 2024))
    assert {"policing", "pilot", "art", "park", "event"} <= set(example_ds.calendar["kind"])


def test_swedish_letters_survive(example_ds):
    text = " ".join(example_ds.focus_groups["segments"]["text"])
    assert "ä" in text and "ö" in text and "å" in text


def test_parse_transcript_offsets_and_timestamps():
    text = "[00:00:01] MOD: Hej!\n\nPOL1: Första raden\nandra raden.\n\n\n[01:02:03] UJ1: Slut."
    df, problems = parse_transcript(text, "g")
    assert problems == []
    assert df["segment_id"].tolist() == ["g:1", "g:2", "g:3"]
    assert df["time"].tolist() == ["00:00:01", "", "01:02:03"]
    assert df["line"].tolist() == [1, 3, 7]
    for r in df.itertuples():
        assert text[r.doc_start : r.doc_end] == r.text
    assert df.loc[1, "text"] == "Första raden\nandra raden."


def test_bom_is_dropped(tmp_path, data_copy):
    from evaluation import load_dataset

    p = data_copy / "calendar.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert load_dataset(data_copy).calendar.columns[0] == "start"


def test_data_dictionary_is_current():
    from evaluation.sources.dictionary import render

    from ..conftest import ROOT

    assert (ROOT / "data" / "README.md").read_text(encoding="utf-8") == render(), (
        "regenerate: python -m evaluation.sources.dictionary > data/README.md"
    )


def test_dictionary_examples_validate(tmp_path):
    """The example row of each file in the dictionary passes the file's own checks."""
    import pandas as pd

    from evaluation.sources import FILE_SPECS
    from evaluation.sources._schema import check_frame

    for spec in FILE_SPECS:
        raw = pd.DataFrame(
            [[f.example for f in spec.fields]], columns=[f.name for f in spec.fields]
        )
        _, problems = check_frame(raw, spec, spec.path)
        assert [p for p in problems if p.severity == "error"] == [], spec.path
