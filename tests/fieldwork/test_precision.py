"""Precision by simulation, checked against the synthetic-data generator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.cli import main
from evaluation.errors import ParameterError
from evaluation.fieldwork.precision import (
    TARGET,
    design_from_pilot,
    expected_precision,
    sessions_for_width,
)
from evaluation.fieldwork.schedule import make_schedule
from evaluation.sources import load_observations, primary_sessions
from evaluation.stats import rate_ratio_model
from evaluation.stats.rates import session_totals
from evaluation.synthetic import TRUTH, make_example_data

TRUE_RR = {
    "target_staying": TRUTH["observations"]["target_staying_rate_ratio"],
    "drug_sale": TRUTH["observations"]["drug_sale_rate_ratio"],
}


@pytest.fixture(scope="module")
def pilot_design(example_dir):
    # the example data (300 primary sessions) as the pilot; plan for the true rate ratios
    return design_from_pilot(example_dir, rate_ratio=TRUE_RR)


def _actual_widths(tmp_path, seeds) -> pd.DataFrame:
    """CI widths the analyses actually get on fresh synthetic data sets of the example's size."""
    rows = []
    for seed in seeds:
        folder = tmp_path / f"s{seed}"
        make_example_data(folder, seed=seed)
        o, _ = load_observations(folder / "observations")
        d = session_totals(o["counts"], primary_sessions(o["sessions"]), TARGET, "target_staying")
        inc = o["incidents"]
        sales = inc[inc["kind"] == "drug_sale"].groupby("session_id")["count"].sum()
        d["drug_sale"] = d["session_id"].map(sales).fillna(0).astype(int)
        for outcome in TRUE_RR:
            r = rate_ratio_model(d, outcome, "minutes", "activated + C(zone)", cluster="date")
            ci = r.table.loc["activated"]
            rows.append({"outcome": outcome, "n": len(d), "ci_ratio": ci.ci_high / ci.ci_low})
    return pd.DataFrame(rows)


def test_simulated_widths_match_the_generator_within_10_percent(pilot_design, tmp_path):
    # 20 synthetic data sets (seeds other than the example's) analysed as the notebooks do
    actual = _actual_widths(tmp_path, range(130, 150))
    assert actual["n"].between(290, 300).all()  # primary sessions (double spans once)
    predicted = expected_precision(300, design=pilot_design, n_sim=200, seed=1).set_index("outcome")
    # The planner simulates `activated + C(zone)`. Since issue 15 item 7 the generator plants
    # season and observer effects that coincide with activation, so that model's estimates
    # are biased (synthetic.expected_confounding) and its width on the rate-ratio scale grows
    # with the biased estimate; ci_high / ci_low (the width on the log scale) does not.
    for outcome, got in actual.groupby("outcome")["ci_ratio"].mean().items():
        # tolerance from the issue: within 10% of the widths actually obtained
        assert predicted.loc[outcome, "ci_ratio"] == pytest.approx(got, rel=0.10), outcome


def test_pilot_parameters_come_from_the_pilot(pilot_design):
    d = pilot_design
    assert set(d.zones) == {"plattan", "trapporna", "kulturhuset", "tunnelbanan", "sergelgatan"}
    # the generator's session frailty makes the target counts overdispersed, and drug sales
    # too: the shared family rule (stats._inference.choose_family) picks NB2 for both
    assert d.family == {"target_staying": "negbin", "drug_sale": "negbin"}
    assert 0.05 < d.alpha["target_staying"] < 0.5 and 0.05 < d.alpha["drug_sale"] < 0.6
    assert 0.5 < d.activated_share < 0.7 and d.rate_ratio == TRUE_RR


def test_sessions_for_a_width_give_that_width(pilot_design):
    p = expected_precision(300, design=pilot_design, n_sim=100, seed=2)
    n = sessions_for_width(p, 0.5, "target_staying")
    assert n > 300  # narrower than the width at 300 sessions needs more sessions
    at_n = expected_precision(n, design=pilot_design, n_sim=100, seed=3).set_index("outcome")
    assert at_n.loc["target_staying", "ci_width"] == pytest.approx(0.5, rel=0.10)


def test_more_sessions_narrower_and_seed_reproducible():
    a = expected_precision(100, n_sim=60, seed=5)
    b = expected_precision(100, n_sim=60, seed=5)
    c = expected_precision(400, n_sim=60, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert (c["ci_width"].to_numpy() < a["ci_width"].to_numpy()).all()
    # 4x the sessions halves the log-scale width (1/sqrt(n)), within simulation noise
    ratio = a["half_log_width"].to_numpy() / c["half_log_width"].to_numpy()
    assert np.allclose(ratio, 2.0, rtol=0.15)
    assert a["source"].iloc[0] == "stated defaults"


def test_a_schedule_sets_the_layout(example_dir):
    s = make_schedule("2024-05-20", "2024-08-31", 120, data=example_dir, seed=1)
    p = expected_precision(schedule=s, n_sim=40, seed=1)
    assert (p["sessions"] == 120).all() and (p["n_sim"] == 40).all()
    with pytest.raises(ParameterError, match="at least 4"):
        expected_precision(2, n_sim=40)


def test_cli_precision(tmp_path, capsys):
    out = tmp_path / "p.csv"
    code = main(
        [
            "observations",
            "precision",
            "--sessions",
            "150",
            "--n-sim",
            "30",
            "--width",
            "0.8",
            "--out",
            str(out),
        ]
    )
    text = capsys.readouterr().out
    assert code == 0 and "expected CI width" in text and "stated defaults" in text
    assert "sessions for an expected CI width of 0.8 (target_staying)" in text
    assert list(pd.read_csv(out)["outcome"]) == ["target_staying", "drug_sale"]
    assert main(["observations", "precision"]) == 2


def test_a_schedule_with_one_activation_state_is_refused(example_dir):
    # June 2024 in the example calendar is all 'park' after the 10th
    s = make_schedule("2024-06-11", "2024-06-30", 30, data=example_dir, seed=1)
    assert set(s["activation"]) == {"park"}
    with pytest.raises(ParameterError, match="one activation state"):
        expected_precision(schedule=s, n_sim=20)


def test_planned_session_crossing_midnight_has_its_exposure():
    """Issue 20.2: a planned 23:30-00:30 session is 60 minutes of exposure, as in the data."""
    import numpy as np
    import pandas as pd

    from evaluation.fieldwork.precision import _layout, design_from_pilot

    schedule = pd.DataFrame(
        {
            "date": ["2024-06-14", "2024-06-14"],
            "start": ["23:30", "14:00"],
            "end": ["00:30", "14:45"],
            "zone": ["plattan", "plattan"],
            "activation": ["art", "none"],
        }
    )
    design = design_from_pilot(None, schedule=schedule)
    lay = _layout(design, 2, np.random.default_rng(1))
    assert lay["minutes"].tolist() == [60.0, 45.0]
