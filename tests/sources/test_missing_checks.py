"""Issue 20.2: the data checks that were missing.

Strict ISO dates, sessions without counts rows, activation states that the calendar does
not support (in either direction), and sessions that cross midnight.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation import load_dataset
from evaluation.errors import DataError

from ..conftest import cli
from .test_broken_data import CAL, C, R, S, set_cell


def _problems(folder):
    with pytest.raises(DataError) as exc:
        load_dataset(folder)
    return exc.value.problems


def _line_of(folder, rel, startswith):
    lines = (folder / rel).read_text(encoding="utf-8").split("\n")
    return next(i + 1 for i, ln in enumerate(lines) if ln.startswith(startswith))


# ----------------------------------------------------------------------------- strict ISO dates
@pytest.mark.parametrize(
    ("rel", "line", "column", "value", "fixed"),
    [
        (S, 5, "date", "2023-6-5", "2023-06-05"),
        (CAL, 3, "start", "2019-6-1", "2019-06-01"),
        (CAL, 4, "end", "2020-08-2", "2020-08-02"),
        (R, 7, "month", "2016-6", "2016-06"),
        (S, 6, "start", "9:15", "09:15"),
    ],
)
def test_dates_not_zero_padded_are_refused(data_copy, rel, line, column, value, fixed):
    set_cell(rel, line, column, value)(data_copy)
    hits = [p for p in _problems(data_copy) if (p.file, p.line, p.column) == (rel, line, column)]
    assert hits, f"no problem at {rel}:{line} {column}"
    text = str(hits[0])
    # the file, line, column, the value and the expected form, with the value as it should be
    assert f"{rel}:{line}: {column}: {value!r}" in text
    assert fixed in text
    assert any(form in text for form in ("YYYY-MM-DD", "YYYY-MM", "HH:MM"))


def test_strict_date_message_in_validate(data_copy):
    set_cell(S, 5, "date", "2023-6-5")(data_copy)
    out = cli("validate", "--data", str(data_copy))
    assert out.returncode == 1
    assert "observations/sessions.csv:5: date: '2023-6-5'" in out.stdout
    assert "YYYY-MM-DD" in out.stdout and "Traceback" not in out.stdout + out.stderr


def test_year_must_be_four_digits(data_copy):
    set_cell("crime/areas.csv", 2, "year", "2016.0")(data_copy)
    hits = [p for p in _problems(data_copy) if p.file == "crime/areas.csv" and p.column == "year"]
    assert hits and hits[0].line == 2


# ----------------------------------------------------------------------------- counts rows
def _drop_counts_of(folder, session_id):
    p = folder / C
    lines = p.read_text(encoding="utf-8").split("\n")
    p.write_text("\n".join(ln for ln in lines if not ln.startswith(session_id + ",")), "utf-8")


def test_session_without_counts_rows_is_an_error(data_copy):
    _drop_counts_of(data_copy, "s0007")
    hits = [p for p in _problems(data_copy) if p.file == S and p.column == "session_id"]
    assert len(hits) == 1, hits
    assert hits[0].line == _line_of(data_copy, S, "s0007,")
    assert "s0007" in hits[0].message and "no rows in observations/counts.csv" in hits[0].message
    assert "count 0" in hits[0].expected


def test_session_with_explicit_zero_row_is_accepted(data_copy):
    _drop_counts_of(data_copy, "s0007")
    p = data_copy / C
    p.write_text(p.read_text("utf-8").rstrip("\n") + "\ns0007,female,13-18,staying,0\n", "utf-8")
    ds = load_dataset(data_copy)
    c = ds.observations["counts"]
    assert c.loc[c["session_id"] == "s0007", "count"].sum() == 0


# ----------------------------------------------------------------------------- calendar
def test_activation_without_calendar_period_is_warned(data_copy):
    # a session on a day outside every activation period marked 'art'
    s = pd.read_csv(data_copy / S, dtype=str)
    idx = s.index[s["activation"] == "none"][0]
    line = int(idx) + 2
    set_cell(S, line, "activation", "art")(data_copy)
    ds = load_dataset(data_copy)
    msgs = [w for w in ds.warnings if w.file == S and w.line == line]
    assert msgs and msgs[0].column == "activation", ds.warnings[:5]
    assert "'art'" in msgs[0].message and "no calendar period" in msgs[0].message


def test_activation_of_another_kind_than_the_calendar_is_warned(data_copy):
    # a session inside a park period (2023, no art that year) marked 'art'
    s = pd.read_csv(data_copy / S, dtype=str)
    idx = s.index[s["activation"] == "park"][0]
    line = int(idx) + 2
    set_cell(S, line, "activation", "art")(data_copy)
    ds = load_dataset(data_copy)
    msgs = [w for w in ds.warnings if w.file == S and w.line == line]
    assert msgs and "park" in msgs[0].message


def test_example_has_no_calendar_warning(example_ds):
    assert not [w for w in example_ds.warnings if w.column == "activation"]


# ----------------------------------------------------------------------------- midnight
def test_session_crossing_midnight(data_copy):
    line = 5
    set_cell(S, line, "start", "23:30")(data_copy)
    set_cell(S, line, "end", "00:30")(data_copy)
    ds = load_dataset(data_copy)
    s = ds.observations["sessions"]
    row = s.loc[line - 2]
    assert row["minutes"] == 60 and row["hours"] == 1
    assert row["start"] == "23:30" and row["end"] == "00:30" and row["daypart"] == "evening"
    assert bool(row["overnight"]) and not s.drop(index=line - 2)["overnight"].any()


def test_implausible_overnight_span_is_an_error(data_copy):
    # start 14:00, end 13:45: read as the next day this is 23 h 45 min, a slip of the pen
    set_cell(S, 5, "start", "14:00")(data_copy)
    set_cell(S, 5, "end", "13:45")(data_copy)
    hits = [p for p in _problems(data_copy) if (p.file, p.line, p.column) == (S, 5, "end")]
    assert hits and "23 h 45 min" in hits[0].message


def test_session_minutes():
    from evaluation.sources.observations import session_minutes

    # 23:30 -> 00:30 is one hour on the next day; 14:00 -> 14:45 is 45 minutes
    got = session_minutes(pd.Series(["23:30", "14:00"]), pd.Series(["00:30", "14:45"]))
    assert got.tolist() == [60.0, 45.0]


def test_exposure_of_overnight_session_in_rates(data_copy):
    """The rate table's hours come from the same minutes: a 23:30-00:30 session adds 1 h."""
    from evaluation.sources import primary_sessions

    set_cell(S, 5, "start", "23:30")(data_copy)
    set_cell(S, 5, "end", "00:30")(data_copy)
    ds = load_dataset(data_copy)
    s = primary_sessions(ds.observations["sessions"])
    assert (s["minutes"] > 0).all()
    assert s.loc[s["session_id"] == "s0004", "minutes"].item() == 60


def test_conventions_are_in_the_data_dictionary():
    from evaluation.sources.dictionary import render

    text = render()
    assert "`2023-6-5`" in text and "leading" in text  # strict ISO dates
    assert "count is 0" in text and "at least one row" in text  # nobody seen
    assert "crosses midnight" in text and "`23:30` to `00:30` is 60 minutes" in text
    assert "no calendar period of that kind" in text
