"""The stratified random schedule: balanced margins, reproducible, double observations."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.cli import main
from evaluation.errors import ParameterError
from evaluation.fieldwork.schedule import COLUMNS, date_states, make_schedule, write_week_pages
from evaluation.fieldwork.vocab import load_vocabulary


@pytest.fixture(scope="module")
def vocab(example_dir):
    return load_vocabulary(example_dir)


def _range(series: pd.Series) -> int:
    counts = series.value_counts()
    return int(counts.max() - counts.min())


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("n", [47, 120])
def test_margins_are_balanced_where_the_calendar_allows(vocab, seed, n):
    # 2024-05-20..2024-08-31 in the example calendar: 'none', then a park period
    s = make_schedule("2024-05-20", "2024-08-31", n, vocab=vocab, seed=seed)
    assert len(s) == n and list(s.columns) == COLUMNS
    assert _range(s["zone"]) <= 1 and s["zone"].nunique() == 5
    assert _range(s["daypart"]) <= 1
    assert _range(s["activation"]) <= 1 and set(s["activation"]) == {"none", "park"}
    assert _range(s["weekday"]) <= 1 and s["weekday"].nunique() == 7
    # each session's state is the calendar's state of its date
    states = date_states(vocab.calendar, pd.DatetimeIndex(s["date"]))
    assert (states.to_numpy() == s["activation"].to_numpy()).all()
    # dayparts and times agree; no two sessions share a date, zone and daypart
    hour = s["start"].str[:2].astype(int)
    expected = pd.cut(hour, [-1, 11, 16, 24], labels=["morning", "afternoon", "evening"])
    assert (expected.astype(str) == s["daypart"]).all()
    assert not s.duplicated(["date", "zone", "daypart"]).any()
    assert (s["end"] > s["start"]).all()


def test_a_long_schedule_with_full_dates_stays_balanced(vocab):
    # 300 sessions over a summer: some dates fill up, the rebalancing keeps the margins
    s = make_schedule("2025-05-19", "2025-09-14", 300, vocab=vocab, seed=2025)
    for col in ("zone", "daypart", "activation", "weekday"):
        assert _range(s[col]) <= 1, col
    assert set(s["activation"]) == {"none", "art"}
    assert not s.duplicated(["date", "zone", "daypart"]).any()


def test_a_calendar_with_events_on_saturdays_only_is_balanced_within_each_state(vocab):
    s = make_schedule("2023-05-15", "2023-09-15", 150, vocab=vocab, seed=5)
    assert _range(s["activation"]) <= 1 and set(s["activation"]) == {"none", "park", "event"}
    assert set(s.loc[s["activation"] == "event", "weekday"]) == {"sat"}
    for state in ("none", "park"):
        assert _range(s.loc[s["activation"] == state, "weekday"]) <= 1
    assert _range(s["zone"]) <= 1 and _range(s["daypart"]) <= 1


def test_capacity_limits_a_state_and_the_rest_goes_to_the_others(vocab):
    # five event Saturdays in 2023, at most 2 sessions a day: event gets 10, the others share the rest
    s = make_schedule("2023-05-15", "2023-09-15", 90, vocab=vocab, seed=1, max_per_day=2)
    counts = s["activation"].value_counts()
    assert counts["event"] == 10 and abs(counts["none"] - counts["park"]) <= 1
    assert s.groupby("date").size().max() <= 2
    with pytest.raises(ParameterError, match="holds at most"):
        make_schedule("2024-06-01", "2024-06-02", 5, vocab=vocab, max_per_day=2)


def test_same_seed_same_schedule_other_seed_other(vocab):
    a = make_schedule("2024-05-20", "2024-08-31", 60, vocab=vocab, seed=11)
    b = make_schedule("2024-05-20", "2024-08-31", 60, vocab=vocab, seed=11)
    c = make_schedule("2024-05-20", "2024-08-31", 60, vocab=vocab, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


@pytest.mark.parametrize("share", [0.0, 0.1, 0.25])
def test_double_observation_share_and_observers(vocab, share):
    obs = ["obs_a", "obs_b", "obs_c", "obs_d"]
    s = make_schedule(
        "2024-05-20", "2024-08-31", 80, vocab=vocab, seed=2, double_share=share, observers=obs
    )
    doubles = s[s["observers"] == 2]
    assert len(doubles) == round(share * 80)
    assert (s["observer_1"] != "").all()
    assert ((s["observer_2"] != "") == (s["observers"] == 2)).all()
    assert (doubles["observer_1"] != doubles["observer_2"]).all()
    if share:
        # spread over the activation states, and everybody double-observes
        assert _range(doubles["activation"]) <= 1
        assert set(doubles["observer_1"]) | set(doubles["observer_2"]) == set(obs)
    # nobody is in two places at once
    long = pd.concat(
        [
            s[["date", "start", "end", "observer_1"]].rename(columns={"observer_1": "o"}),
            s.loc[s["observer_2"] != "", ["date", "start", "end", "observer_2"]].rename(
                columns={"observer_2": "o"}
            ),
        ]
    ).sort_values(["o", "date", "start"])
    for (_, _), g in long.groupby(["o", "date"]):
        assert (g["start"].iloc[1:].to_numpy() >= g["end"].iloc[:-1].to_numpy()).all()


def test_week_pages_one_per_iso_week(vocab, tmp_path):
    s = make_schedule("2024-06-03", "2024-06-30", 20, vocab=vocab, seed=4)
    pages = write_week_pages(s, tmp_path / "weeks", vocab=vocab, language="sv")
    assert [p.name for p in pages] == ["index.html"] + [
        f"week-2024-W{w}.html" for w in (23, 24, 25, 26)
    ]
    text = pages[1].read_text(encoding="utf-8")
    first = s[s["week"] == "2024-W23"].iloc[0]
    assert f"{first['start']}–{first['end']}" in text and first["slot"] in text
    assert "Observationsschema" in text and 'lang="sv"' in text
    with pytest.raises(ParameterError, match="not empty"):
        write_week_pages(s, tmp_path / "weeks", vocab=vocab)


def test_bad_parameters_are_clear_errors(vocab):
    with pytest.raises(ParameterError, match="before"):
        make_schedule("2024-06-10", "2024-06-01", 5, vocab=vocab)
    with pytest.raises(ParameterError, match="at least 1"):
        make_schedule("2024-06-01", "2024-06-10", 0, vocab=vocab)
    with pytest.raises(ParameterError, match="does not fit"):
        make_schedule("2024-06-01", "2024-06-10", 5, vocab=vocab, minutes=200)


def test_cli_schedule_writes_csv_and_weekly_pages(tmp_path, example_dir, capsys):
    out = tmp_path / "schedule.csv"
    args = [
        "observations",
        "schedule",
        "--from",
        "2024-06-03",
        "--to",
        "2024-06-16",
        "--sessions",
        "12",
        "--out",
        str(out),
        "--seed",
        "3",
        "--data",
        str(example_dir),
    ]
    assert main(args) == 0
    assert "12 sessions, 1 double-observed" in capsys.readouterr().out
    s = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(s) == 12 and (tmp_path / "schedule_weeks" / "index.html").exists()
    assert main(args) == 2  # refuses to overwrite without --force
    assert main([*args, "--force"]) == 0
    assert pd.read_csv(out, dtype=str, keep_default_na=False).equals(s)
