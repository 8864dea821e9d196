"""Observation effort and activation periods against counts made by hand."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from evaluation import plots  # noqa: E402
from evaluation.analyses.effort import (  # noqa: E402
    activation_periods,
    effort_by,
    observation_effort,
)
from evaluation.errors import DataError  # noqa: E402

# a week planted by hand: 2022-06-13 is a Monday
SESSIONS = pd.DataFrame(
    {
        "session_id": ["s1", "s2", "s3", "s4", "s5"],
        "date": pd.to_datetime(
            ["2022-06-13", "2022-06-13", "2022-06-15", "2022-06-19", "2022-06-19"]
        ),
        "start": ["09:15", "09:50", "18:00", "23:30", "14:00"],
        "end": ["09:45", "10:50", "19:30", "00:15", "14:45"],
        "zone": ["plattan", "plattan", "trapporna", "plattan", "trapporna"],
        "activation": ["none", "none", "art", "art", "event"],
    }
)


def test_effort_counts_sessions_and_hours_by_cell():
    e = observation_effort(SESSIONS)
    # by hand: Monday 9 o'clock on Plattan without activation: 30 + 60 minutes in 2 sessions
    row = e[(e["zone"] == "plattan") & (e["weekday"] == 0) & (e["hour"] == 9)]
    assert row[["sessions", "hours"]].values.tolist() == [[2, 1.5]]
    # a session past midnight: 23:30-00:15 is 45 minutes, on Sunday (6) at 23
    row = e[(e["hour"] == 23)]
    assert row[["weekday", "activation", "sessions"]].values.tolist() == [[6, "art", 1]]
    assert row["hours"].iloc[0] == pytest.approx(0.75, abs=1e-12)
    assert e["sessions"].sum() == len(SESSIONS)
    assert e["hours"].sum() == pytest.approx((30 + 60 + 90 + 45 + 45) / 60, abs=1e-12)


def test_effort_by_fills_unobserved_hours_and_weekdays_with_zeros():
    e = observation_effort(SESSIONS)
    h = effort_by(e, "hour")
    assert len(h) == 24 * e["activation"].nunique()
    assert h.loc[h["hour"] == 3, "sessions"].sum() == 0
    w = effort_by(e, "weekday")
    # Wednesday (2): one art session of 1.5 h
    assert w[(w["weekday"] == 2) & (w["activation"] == "art")][
        ["sessions", "hours"]
    ].values.tolist() == [[1, 1.5]]
    with pytest.raises(ValueError):
        effort_by(e, "month")


def test_effort_of_the_example_matches_the_sessions_file(example_ds):
    s = example_ds.observations["sessions"]
    e = observation_effort(s)
    assert e["sessions"].sum() == s["session_id"].nunique()
    assert e["hours"].sum() == pytest.approx(s["minutes"].sum() / 60, rel=1e-12)


def test_missing_column_names_the_file_and_column():
    with pytest.raises(DataError, match=r"sessions.csv: missing column\(s\) zone"):
        observation_effort(SESSIONS.drop(columns="zone"))
    with pytest.raises(DataError, match=r"calendar.csv: missing column\(s\) name"):
        activation_periods(pd.DataFrame({"start": [], "end": [], "kind": []}))


def test_activation_periods_in_order_with_sessions_inside():
    cal = pd.DataFrame(
        {
            "start": pd.to_datetime(["2022-06-15", "2022-06-01"]),
            "end": pd.to_datetime(["2022-06-19", "2022-06-13"]),
            "kind": ["art", "park"],
            "name": ["Konst", "Park"],
        }
    )
    t = activation_periods(cal, SESSIONS, "sv")
    assert t["name"].tolist() == ["Park", "Konst"]  # by start
    assert t["kind"].tolist() == ["tillfällig park", "konst"]
    assert t["days"].tolist() == [13, 5]
    assert t["sessions"].tolist() == [2, 3]  # s1, s2 on the 13th; s3, s4, s5 on the 15th-19th
    assert t["start"].tolist() == ["1 juni 2022", "15 juni 2022"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_effort_figure_alt_text_gives_the_totals(language):
    fig = plots.effort_figure(observation_effort(SESSIONS), language)
    alt, caption = plots.figure_text(fig, language)
    hours = "4,5" if language == "sv" else "4.5"
    assert f"5 {'pass' if language == 'sv' else 'sessions'}" in alt and hours in alt
    assert ("plattan (2,2 h)" if language == "sv" else "plattan (2.2 h)") in alt  # 30+60+45 min
    assert caption == ("Observationsinsats" if language == "sv" else "Observation effort")
    # stacked bars coloured by the scheme: no activation grey, the kinds in their colours
    faces = {
        matplotlib.colors.to_hex(p.get_facecolor()).upper() for ax in fig.axes for p in ax.patches
    }
    assert {c.upper() for c in plots.kind_colours(["none", "art", "event"]).values()} <= faces
    plt.close("all")
