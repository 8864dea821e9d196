"""A corpus of broken data folders, one defect each: each is rejected with the right
file, line and column, with no traceback, and the folder is left untouched."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluation import load_dataset
from evaluation.errors import DataError

from ..conftest import tree_hashes


def set_cell(rel: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    """Set one CSV cell (line counts the header as 1)."""

    def f(folder: Path):
        p = folder / rel
        lines = p.read_text(encoding="utf-8").split("\n")
        header = lines[0].split(",")
        cells = lines[line - 1].split(",")
        cells[header.index(column)] = value
        lines[line - 1] = ",".join(cells)
        p.write_text("\n".join(lines), encoding="utf-8")

    return f


def rename_column(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def f(folder: Path):
        p = folder / rel
        lines = p.read_text(encoding="utf-8").split("\n")
        lines[0] = ",".join(new if c == old else c for c in lines[0].split(","))
        p.write_text("\n".join(lines), encoding="utf-8")

    return f


def copy_line(rel: str, src: int) -> Callable[[Path], None]:
    """Append a copy of line ``src`` at the end (a duplicate key)."""

    def f(folder: Path):
        p = folder / rel
        text = p.read_text(encoding="utf-8").rstrip("\n").split("\n")
        text.append(text[src - 1])
        p.write_text("\n".join(text) + "\n", encoding="utf-8")

    return f


def n_lines(folder: Path, rel: str) -> int:
    return len(folder.joinpath(rel).read_text(encoding="utf-8").rstrip("\n").split("\n"))


def append(rel: str, row: str) -> Callable[[Path], None]:
    def f(folder: Path):
        p = folder / rel
        p.write_text(
            p.read_text(encoding="utf-8").rstrip("\n") + "\n" + row + "\n", encoding="utf-8"
        )

    return f


def write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def f(folder: Path):
        p = folder / rel
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")

    return f


def replace_in(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def f(folder: Path):
        p = folder / rel
        t = p.read_text(encoding="utf-8")
        assert old in t, old
        p.write_text(t.replace(old, new, 1), encoding="utf-8")

    return f


def extra_value(path: Path, line: int) -> None:
    """Add one value too many to a line (counting the header as 1)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] += ",oops"
    path.write_text("\n".join(lines), encoding="utf-8")


S, C, INC, Z = (
    "observations/sessions.csv",
    "observations/counts.csv",
    "observations/incidents.csv",
    "observations/zones.csv",
)
R, A, Q = "crime/reported.csv", "crime/areas.csv", "survey/safety.csv"
P, K, CAL = "focus_groups/participants.csv", "focus_groups/codings.csv", "calendar.csv"
T1 = "focus_groups/transcripts/fg1_polis.txt"

# (id, mutation, expected file, expected line (None: whole file, "last": last line), expected column, words in the message)
CASES = [
    ("missing_column", rename_column(S, "zone", "zon"), S, 1, "zone", "missing"),
    ("misspelt_column", rename_column(C, "age_band", "ageband"), C, 1, "age_band", "misspelt"),
    ("bad_date", set_cell(S, 5, "date", "2022-13-40"), S, 5, "date", "cannot be read"),
    ("bad_time", set_cell(S, 6, "start", "25:99"), S, 6, "start", "cannot be read"),
    ("end_before_start", set_cell(S, 7, "end", "08:00"), S, 7, "end", "not after start"),
    (
        "end_equals_start",
        lambda f: (set_cell(S, 8, "start", "10:00")(f), set_cell(S, 8, "end", "10:00")(f)),
        S,
        8,
        "end",
        "the same as start",
    ),
    ("negative_count", set_cell(C, 10, "count", "-3"), C, 10, "count", "below the minimum"),
    ("fractional_count", set_cell(C, 11, "count", "2.5"), C, 11, "count", "cannot be read"),
    ("text_count", set_cell(C, 12, "count", "many"), C, 12, "count", "cannot be read"),
    ("unknown_gender", set_cell(C, 13, "gender", "girl"), C, 13, "gender", "not an allowed value"),
    (
        "unknown_age_band",
        set_cell(C, 14, "age_band", "13-17"),
        C,
        14,
        "age_band",
        "not an allowed value",
    ),
    (
        "unknown_activity",
        set_cell(C, 15, "activity", "sitting"),
        C,
        15,
        "activity",
        "not an allowed value",
    ),
    (
        "unknown_activation",
        set_cell(S, 9, "activation", "concert"),
        S,
        9,
        "activation",
        "not an allowed value",
    ),
    ("unknown_zone", set_cell(S, 10, "zone", "hötorget"), S, 10, "zone", "not"),
    (
        "unknown_incident_kind",
        set_cell(INC, 4, "kind", "theft"),
        INC,
        4,
        "kind",
        "not an allowed value",
    ),
    ("unknown_role", set_cell(P, 3, "role", "teacher"), P, 3, "role", "not an allowed value"),
    (
        "unknown_category",
        set_cell(R, 20, "category", "fraud"),
        R,
        20,
        "category",
        "not an allowed value",
    ),
    (
        "unknown_calendar_kind",
        set_cell(CAL, 3, "kind", "festival"),
        CAL,
        3,
        "kind",
        "not an allowed value",
    ),
    ("duplicate_session", lambda f: copy_line(S, 2)(f), S, "last", "session_id", "duplicate"),
    ("duplicate_participant", lambda f: copy_line(P, 2)(f), P, "last", "participant", "duplicate"),
    (
        "duplicate_count_key",
        lambda f: copy_line(C, 2)(f),
        C,
        "last",
        "session_id, gender, age_band, activity",
        "duplicate",
    ),
    (
        "count_for_unknown_session",
        append(C, "s9999,female,13-18,staying,3"),
        C,
        "last",
        "session_id",
        "not a known session",
    ),
    (
        "coding_past_transcript_end",
        append(K, "fg1_polis,999,narkotikahandel,k1,,"),
        K,
        "last",
        "segment",
        "past the end",
    ),
    (
        "code_not_in_codebook",
        append(K, "fg1_polis,2,fotboll,k1,,"),
        K,
        "last",
        "code",
        "not in the codebook",
    ),
    (
        "speaker_not_participant",
        replace_in(T1, "] POL1:", "] POL9:"),
        T1,
        None,
        "SPEAKER",
        "not a participant",
    ),
    (
        "area_without_hectares",
        lambda f: write(
            A,
            "\n".join(
                ln for ln in (f / A).read_text().split("\n") if not ln.startswith("odenplan,2020")
            ),
        )(f),
        R,
        None,
        "area",
        "no hectares",
    ),
    ("n_yes_above_n", set_cell(Q, 4, "n_yes", "99999"), Q, 4, "n_yes", "larger than n"),
    ("bad_month", set_cell(R, 30, "month", "2019/05"), R, 30, "month", "cannot be read"),
    (
        "not_utf8",
        lambda f: (f / P).write_bytes(
            (f / P).read_bytes().replace(b"polis", "p\u00e5lis".encode("latin-1"), 1)
        ),
        P,
        2,
        None,
        "not valid UTF-8",
    ),
    ("unreadable_turn", replace_in(T1, "] MOD:", "] "), T1, None, None, "cannot read a turn"),
    (
        "coding_span_outside_turn",
        append(K, "fg1_polis,2,narkotikahandel,k1,0,99999"),
        K,
        "last",
        "end",
        "outside the turn",
    ),
    # issue 14: data quirks a new user produces
    ("duplicated_crime_row", copy_line(R, 2), R, "last", "month, area, category", "also on line 2"),
    ("extra_field", lambda f: extra_value(f / R, 2), R, 2, None, "the header has 4"),
    (
        "semicolons_and_decimal_commas",
        lambda f: (f / A).write_text(
            (f / A).read_text(encoding="utf-8").replace(",", ";").replace(".", ","),
            encoding="utf-8",
        ),
        A,
        1,
        None,
        "Excel with Swedish",
    ),
    (
        "symlink_out_of_the_folder",
        lambda f: (
            (f.parent / "elsewhere.csv").write_bytes((f / CAL).read_bytes()),
            (f / CAL).unlink(),
            (f / CAL).symlink_to(f.parent / "elsewhere.csv"),
        ),
        CAL,
        None,
        None,
        "outside the data folder",
    ),
    (
        "folder_named_like_a_transcript",
        lambda f: (f / "focus_groups/transcripts/extra.txt").mkdir(),
        "focus_groups/transcripts/extra.txt",
        None,
        None,
        "not a regular file",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_folder_is_rejected_precisely(case, data_copy):
    name, mutate, file, line, column, words = case
    mutate(data_copy)
    if line == "last":
        line = n_lines(data_copy, file)
    before = tree_hashes(data_copy)
    with pytest.raises(DataError) as exc:
        load_dataset(data_copy)
    assert tree_hashes(data_copy) == before, "the loader must never write to the data folder"
    hits = [
        p
        for p in exc.value.problems
        if p.file == file
        and (column is None or p.column == column)
        and words in (p.message + " " + (p.expected or ""))
    ]
    assert hits, f"{name}: no problem for {file} col {column} with {words!r} in:\n{exc.value}"
    if line is not None:
        assert any(p.line == line for p in hits), (
            f"{name}: expected line {line}, got {[p.line for p in hits]}"
        )
    assert "Traceback" not in str(exc.value)


def test_corpus_is_large_enough():
    assert len(CASES) >= 25


def test_every_problem_is_reported_at_once(data_copy):
    set_cell(S, 5, "date", "nope")(data_copy)
    set_cell(C, 10, "count", "-1")(data_copy)
    set_cell(Q, 4, "n_yes", "99999")(data_copy)
    with pytest.raises(DataError) as exc:
        load_dataset(data_copy)
    files = {p.file for p in exc.value.problems}
    assert {S, C, Q} <= files


def test_duplicate_codebook_id_and_yaml_key(data_copy, root, tmp_path):
    cb = tmp_path / "cb.yaml"
    text = (root / "codebooks" / "focus_groups.yaml").read_text(encoding="utf-8")
    cb.write_text(text.replace("  - id: metodkonflikt", "  - id: samverkan"), encoding="utf-8")
    with pytest.raises(DataError, match="duplicate code id 'samverkan'"):
        load_dataset(data_copy, codebook=cb)
    cb.write_text(
        text.replace(
            "    label: {sv: Trygghet och risk, en: Safety and risk}\n    definition:",
            "    label: {sv: Trygghet och risk, en: Safety and risk}\n    definition: x\n"
            "    definition:",
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="duplicate key 'definition'"):
        load_dataset(data_copy, codebook=cb)


def test_yaml_tag_that_constructs_objects_is_refused(tmp_path):
    from evaluation.coding import load_codebook

    cb = tmp_path / "cb.yaml"
    cb.write_text("codebook: !!python/object/apply:os.system ['echo hi']\ncodes: []\n")
    with pytest.raises(DataError) as exc:
        load_codebook(cb)
    assert exc.value.line == 1 and "tags that construct objects" in str(exc.value)


def test_cli_prints_problems_without_traceback(data_copy):
    set_cell(S, 5, "date", "2022-13-40")(data_copy)
    out = subprocess.run(
        [sys.executable, "-m", "evaluation.cli", "validate", "--data", str(data_copy)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert (
        "observations/sessions.csv:5: date: '2022-13-40' cannot be read; expected a date YYYY-MM-DD"
        in out.stdout
    )
    assert "Traceback" not in out.stdout + out.stderr


def test_warnings_for_softer_problems(data_copy):
    # a session marked 'none' inside an activation period; a month missing from a crime series
    lines = (data_copy / S).read_text().split("\n")
    idx = next(i for i, ln in enumerate(lines) if ",art," in ln)
    set_cell(S, idx + 1, "activation", "none")(data_copy)
    rep = (data_copy / R).read_text().split("\n")
    (data_copy / R).write_text(
        "\n".join(ln for ln in rep if not ln.startswith("2018-03,odenplan,theft"))
    )
    ds = load_dataset(data_copy)
    msgs = [str(w) for w in ds.warnings]
    assert any(
        f"sessions.csv:{idx + 1}: activation" in m and "inside a calendar period" in m for m in msgs
    )
    assert any("2018-03 is missing from the series odenplan/theft" in m for m in msgs)


def test_observer_who_never_double_observed_is_warned(data_copy):
    lines = (data_copy / S).read_text().rstrip("\n").split("\n")
    cells = lines[1].split(",")
    cells[4] = "obs_new"
    lines[1] = ",".join(cells)
    (data_copy / S).write_text("\n".join(lines) + "\n")
    ds = load_dataset(data_copy)
    assert any("obs_new" in w.message and "never double-observed" in w.message for w in ds.warnings)


def test_extra_field_does_not_hide_other_errors(data_copy):
    """A row with one value too many is reported with its line; the file's other rows are
    still checked (before, one whole-file error hid everything else)."""
    extra_value(data_copy / R, 2)
    set_cell(R, 9, "count", "many")(data_copy)
    with pytest.raises(DataError) as exc:
        load_dataset(data_copy)
    where = {(p.file, p.line) for p in exc.value.problems}
    assert {(R, 2), (R, 9)} <= where, str(exc.value)


def test_quoted_line_breaks_keep_line_numbers(tmp_path):
    from evaluation.sources._io import read_csv_text

    p = tmp_path / "x.csv"
    p.write_text('a,b\n1,"two\nlines"\n\n3,x\n', encoding="utf-8")
    df = read_csv_text(p)
    # the record on line 2 spans two lines; the blank line 4 keeps its place
    assert [int(i) + 2 for i in df.index] == [2, 5]
    assert df["b"].tolist() == ["two\nlines", "x"]


def test_fast_and_careful_csv_readers_agree(tmp_path):
    """The plain case goes through pandas' C parser, anything with quotes through the csv
    module: both give the same frame (values, line numbers) for the same records."""
    from evaluation.sources._io import read_csv_text

    plain = "a,b,c\n1,2\n\n3, 4 ,5\n,,\n6,7,8\n"
    quoted = plain.replace("6,7,8", '"6",7,8')
    (tmp_path / "plain.csv").write_text(plain, encoding="utf-8")
    (tmp_path / "quoted.csv").write_text(quoted, encoding="utf-8")
    fast, careful = read_csv_text(tmp_path / "plain.csv"), read_csv_text(tmp_path / "quoted.csv")
    assert (
        fast.to_dict("list")
        == careful.to_dict("list")
        == {
            "a": ["1", "3", "6"],
            "b": ["2", "4 ", "7"],
            "c": ["", "5", "8"],
        }
    )
    assert list(fast.index) == list(careful.index) == [0, 2, 4]
