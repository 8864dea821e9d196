"""Import of KoBoToolbox and ODK Central exports into observations/*.csv."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from evaluation.cli import main
from evaluation.errors import DataError
from evaluation.fieldwork.exports import read_export
from evaluation.fieldwork.importer import import_submissions, session_id_for
from evaluation.sources import load_dataset

from .exports import kobo_csv, kobo_xlsx, odk_zip, submission, uuid


@pytest.fixture
def folder(tmp_path, example_dir):
    """A new data folder holding only the study definition and the study's zones."""
    d = tmp_path / "study"
    (d / "observations").mkdir(parents=True)
    shutil.copy(example_dir / "study.yaml", d / "study.yaml")
    shutil.copy(example_dir / "observations" / "zones.csv", d / "observations" / "zones.csv")
    return d


def _snapshot(d):
    return {p.name: p.read_bytes() for p in sorted((d / "observations").glob("*.csv"))}


SUBS = [submission(n) for n in range(1, 5)]


@pytest.mark.parametrize("shape", ["kobo_xlsx", "kobo_csv", "odk_zip"])
def test_each_export_shape_imports_into_a_folder_that_validates(shape, folder, tmp_path):
    build = {"kobo_xlsx": kobo_xlsx, "kobo_csv": kobo_csv, "odk_zip": odk_zip}[shape]
    ext = {"kobo_xlsx": "xlsx", "kobo_csv": "csv", "odk_zip": "zip"}[shape]
    export = build(tmp_path / f"export.{ext}", SUBS)
    before = export.read_bytes(), export.stat().st_mtime_ns

    report = import_submissions(export, folder)
    assert report.added == [session_id_for(uuid(n)) for n in range(1, 5)]
    assert not report.rejected and not report.conflicts
    ds = load_dataset(folder)  # the folder validates
    s = ds.observations["sessions"].set_index("session_id")
    sid = session_id_for(uuid(2))
    assert s.loc[sid, "zone"] == "plattan" and s.loc[sid, "start"] == "12:00"
    assert s.loc[sid, "minutes"] == 45 and s.loc[sid, "temperature_c"] == 21.5
    c = ds.observations["counts"]
    cell = c[(c.session_id == sid) & (c.gender == "female") & (c.age_band == "13-18")]
    # submission(2): counts are (2 + cell index) % 4; female 13-18 staying is cell 1, passing cell 16
    assert cell.set_index("activity")["count"].to_dict() == {"staying": 3, "passing": 2}
    assert len(c) == 4 * 30 and len(ds.observations["incidents"]) == 4 * 6

    # importing the same export again changes nothing, and the export was never written
    files = _snapshot(folder)
    again = import_submissions(export, folder)
    assert again.added == [] and len(again.unchanged) == 4 and again.written == []
    assert _snapshot(folder) == files
    assert (export.read_bytes(), export.stat().st_mtime_ns) == before


def test_the_same_submissions_from_the_other_tool_change_nothing(folder, tmp_path):
    import_submissions(kobo_xlsx(tmp_path / "k.xlsx", SUBS), folder)
    files = _snapshot(folder)
    report = import_submissions(odk_zip(tmp_path / "o.zip", SUBS), folder)
    assert len(report.unchanged) == 4 and not report.conflicts
    assert _snapshot(folder) == files


def test_a_changed_submission_is_a_conflict_and_not_overwritten(folder, tmp_path):
    import_submissions(kobo_xlsx(tmp_path / "a.xlsx", SUBS), folder)
    files = _snapshot(folder)
    edited = [*SUBS[:2], submission(3, zone="trapporna"), submission(4), submission(5)]
    edited[3]["n_staying_female_13_18"] = "9"
    report = import_submissions(kobo_xlsx(tmp_path / "b.xlsx", edited), folder)
    assert report.added == [session_id_for(uuid(5))]
    assert [c.session_id for c in report.conflicts] == [
        session_id_for(uuid(3)),
        session_id_for(uuid(4)),
    ]
    assert (
        "zone: 'plattan' in the folder, 'trapporna' in the export"
        in report.conflicts[0].differences
    )
    assert any("staying" in d and "9 in the export" in d for d in report.conflicts[1].differences)
    s = pd.read_csv(folder / "observations" / "sessions.csv")
    assert s.set_index("session_id").loc[session_id_for(uuid(3)), "zone"] == "plattan"
    # the old rows are byte for byte what they were; only the new session was appended
    new = _snapshot(folder)
    assert all(new[f].startswith(files[f]) for f in files)
    assert "CONFLICT" in report.summary()


def test_bad_submissions_are_rejected_with_their_reason(folder, tmp_path):
    bad = [
        submission(1),
        submission(2, zone="nowhere"),
        submission(3, end_time="09:00:00.000+02:00", start_time="10:00:00.000+02:00"),
        submission(4, n_passing_male_19_29="-2"),
        submission(5, _review="rejected"),
        submission(6, n_staying_unknown_65plus=""),
        submission(7, observer="Anna Svensson"),
    ]
    report = import_submissions(odk_zip(tmp_path / "x.zip", bad), folder)
    assert report.added == [session_id_for(uuid(1))]
    reasons = {r.uuid: (r.field, r.reason) for r in report.rejected}
    assert reasons[uuid(2)] == ("zone", reasons[uuid(2)][1])
    assert "unknown zone 'nowhere'" in reasons[uuid(2)][1]
    assert reasons[uuid(3)][0] == "end_time"
    assert reasons[uuid(3)][1].startswith("end 09:00 is not after start 10:00 on the same day")
    assert reasons[uuid(4)] == ("n_passing_male_19_29", "negative count -2")
    assert reasons[uuid(5)][0] == "review"
    assert reasons[uuid(6)] == ("n_staying_unknown_65plus", "missing count")
    assert reasons[uuid(7)][0] == "observer"
    table = report.rejected_table()
    assert list(table.columns) == ["uuid", "where", "field", "reason"] and len(table) == 6
    assert table["where"].str.startswith("x.zip[site_observation.csv]:").all()
    load_dataset(folder)


def test_session_crossing_midnight_is_imported(folder, tmp_path):
    """Issue 20.2: 23:30-00:30 is a one-hour session dated the day it started; 10:00-09:00
    (23 h read as crossing midnight) stays a rejected slip."""
    subs = [
        submission(1, start_time="23:30:00.000+02:00", end_time="00:30:00.000+02:00"),
        submission(2, start_time="10:00:00.000+02:00", end_time="09:00:00.000+02:00"),
    ]
    report = import_submissions(odk_zip(tmp_path / "x.zip", subs), folder)
    assert report.added == [session_id_for(uuid(1))]
    assert [r.uuid for r in report.rejected] == [uuid(2)]
    s = load_dataset(folder).observations["sessions"]
    row = s[s["session_id"] == session_id_for(uuid(1))].iloc[0]
    assert (row["start"], row["end"], row["minutes"]) == ("23:30", "00:30", 60.0)


def test_no_one_seen_gives_zero_counts(folder, tmp_path):
    empty = {k: "" for k in submission(1) if k.startswith("n_")}
    sub = submission(1, anyone_seen="no", **empty)
    import_submissions(kobo_csv(tmp_path / "e.csv", [sub]), folder)
    c = pd.read_csv(folder / "observations" / "counts.csv")
    assert len(c) == 30 and (c["count"] == 0).all()


def test_repeat_group_rows_are_linked_to_their_submission(folder, tmp_path):
    reps = {2: [("drug_sale", 2), ("conflict", 1)], 4: [("drug_use", 3)]}
    for build, name in ((kobo_xlsx, "r.xlsx"), (odk_zip, "r.zip")):
        ex = read_export(build(tmp_path / name, SUBS, incidents=reps))
        assert len(ex.repeats["incident"]) == 3
    import_submissions(tmp_path / "r.xlsx", folder)
    inc = pd.read_csv(folder / "observations" / "incidents.csv")
    got = inc.set_index(["session_id", "kind"])["count"]
    # flat i_drug_sale = 1 in every submission, plus the repeat entries
    assert got[(session_id_for(uuid(2)), "drug_sale")] == 3
    assert got[(session_id_for(uuid(2)), "conflict")] == 1
    assert got[(session_id_for(uuid(4)), "drug_use")] == 3
    assert got[(session_id_for(uuid(1)), "drug_sale")] == 1
    files = _snapshot(folder)
    assert not import_submissions(tmp_path / "r.zip", folder).conflicts
    assert _snapshot(folder) == files


def test_import_merges_into_an_existing_data_folder(data_copy, tmp_path):
    before = _snapshot(data_copy)
    report = import_submissions(kobo_xlsx(tmp_path / "k.xlsx", SUBS), data_copy)
    assert len(report.added) == 4
    after = _snapshot(data_copy)
    assert all(after[f].startswith(before[f]) for f in before)
    ds = load_dataset(data_copy)
    assert len(ds.observations["sessions"]) == before["sessions.csv"].count(b"\n") - 1 + 4


def test_unusable_exports_and_folders_are_clear_errors(folder, tmp_path):
    with pytest.raises(DataError, match="no zones file"):
        import_submissions(kobo_xlsx(tmp_path / "k.xlsx", SUBS), tmp_path / "empty")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a KoBoToolbox export"):
        import_submissions(wrong, folder)
    partial = tmp_path / "partial.csv"
    partial.write_text("zone;_uuid;_index\nplattan;x;1\n", encoding="utf-8")
    with pytest.raises(DataError, match="field\\(s\\) of the observation form missing"):
        import_submissions(partial, folder)
    with pytest.raises(DataError, match="unknown export type"):
        import_submissions(_touch(tmp_path / "x.json"), folder)
    assert _snapshot(folder) == {"zones.csv": (folder / "observations" / "zones.csv").read_bytes()}


def _touch(p):
    p.write_text("{}", encoding="utf-8")
    return p


def test_cli_import_reports_and_lists_rejections(folder, tmp_path, capsys):
    export = odk_zip(tmp_path / "x.zip", [submission(1), submission(2, zone="nowhere")])
    rejected = tmp_path / "rejected.csv"
    code = main(
        ["observations", "import", str(export), "--into", str(folder), "--rejected", str(rejected)]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "1 added" in out and "REJECTED" in out and "unknown zone 'nowhere'" in out
    assert pd.read_csv(rejected)["field"].tolist() == ["zone"]
    assert main(["validate", "--data", str(folder)]) == 0


def test_overlapping_sessions_with_unequal_times_are_noted(folder, tmp_path):
    subs = [
        submission(1, start_time="14:00", end_time="14:45"),
        submission(2, observer="obs_b", start_time="14:00", end_time="14:45"),  # a true pair
        submission(3, observer="obs_c", start_time="14:05", end_time="14:50"),  # near miss
    ]
    report = import_submissions(kobo_xlsx(tmp_path / "p.xlsx", subs), folder)
    assert len(report.added) == 3 and len(report.notes) == 2
    assert all(session_id_for(uuid(3)) in n for n in report.notes)
    assert "NOTE" in report.summary()
    ds = load_dataset(folder)
    assert ds.observations["sessions"]["pair"].nunique() == 2


def test_excel_time_cells_are_read(folder, tmp_path):
    import datetime as dt

    sub = submission(1)
    sub["start_time"] = dt.time(9, 30)
    sub["end_time"] = dt.datetime(1899, 12, 30, 10, 15)
    import_submissions(kobo_xlsx(tmp_path / "t.xlsx", [sub]), folder)
    s = pd.read_csv(folder / "observations" / "sessions.csv")
    assert (s.loc[0, "start"], s.loc[0, "end"]) == ("09:30", "10:15")


def test_one_submission_twice_in_an_export(folder, tmp_path):
    same = [submission(1), submission(1)]
    report = import_submissions(odk_zip(tmp_path / "d.zip", same), folder)
    assert report.added == [session_id_for(uuid(1))] and not report.conflicts
    other = [submission(2), submission(2, zone="trapporna")]
    report = import_submissions(odk_zip(tmp_path / "e.zip", other), folder)
    assert report.added == [session_id_for(uuid(2))] and len(report.conflicts) == 1
