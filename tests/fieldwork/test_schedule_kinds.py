"""The schedule's activation states come from the study's calendar, whatever its kinds are called."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaluation.fieldwork.schedule import date_states, make_schedule
from evaluation.fieldwork.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[2]


def test_kinds_other_than_the_example_studys_are_states():
    # a study whose kinds are not art/event/park/pilot (the second example's)
    cal = pd.DataFrame(
        {
            "start": pd.to_datetime(["2024-05-01", "2024-06-01", "2024-06-08", "2024-07-01"]),
            "end": pd.to_datetime(["2024-05-31", "2024-06-30", "2024-06-08", "2024-07-31"]),
            "kind": ["pilot", "musik", "marknad", "policing"],
            "name": ["p", "m", "d", "police"],
        }
    )
    dates = pd.to_datetime(["2024-05-02", "2024-06-07", "2024-06-08", "2024-07-02", "2024-08-01"])
    states = date_states(cal, pd.DatetimeIndex(dates), ["none", "musik", "marknad", "pilot"])
    # pilot -> the study's first activation kind; the one-day market inside the music
    # programme wins; policing is no activation
    assert states.tolist() == ["musik", "musik", "marknad", "none", "none"]


def test_the_second_example_study_schedules_its_own_kinds():
    data = ROOT / "data" / "example-odenplan"
    kinds = {c.code for c in load_vocabulary(data).activations}
    s = make_schedule("2023-06-01", "2023-08-31", 60, data=data, seed=1)
    assert set(s["activation"]) - {"none"}, "no activated session planned"
    assert set(s["activation"]) <= kinds
    assert not set(s["activation"]) & {"art", "event", "park"}
