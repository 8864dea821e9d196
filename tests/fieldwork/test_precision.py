"""Precision by simulation, checked against the synthetic-data generator."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from evaluation.analyses.site import analyse_site
from evaluation.cli import main
from evaluation.errors import ParameterError
from evaluation.fieldwork.precision import (
    _layout,
    design_from_pilot,
    expected_precision,
    sessions_for_width,
)
from evaluation.fieldwork.schedule import make_schedule
from evaluation.sources import load_dataset
from evaluation.synthetic import TRUTH, make_example_data

TRUE_RR = {
    "target_staying": TRUTH["observations"]["target_staying_rate_ratio"],
    "drug_sale": TRUTH["observations"]["drug_sale_rate_ratio"],
}


@pytest.fixture(scope="module")
def pilot_design(example_dir):
    # the example data (300 primary sessions) as the pilot; plan for the true rate ratios
    return design_from_pilot(example_dir, rate_ratio=TRUE_RR)


def _obtained_widths(folder, seeds) -> pd.DataFrame:
    """CI ratios the site analysis (notebook 01's call, default parameters) actually gets
    on fresh synthetic data sets of the example's size."""
    rows = []
    for seed in seeds:
        make_example_data(folder / f"s{seed}", seed=seed)
        site = analyse_site(load_dataset(folder / f"s{seed}"))
        for outcome in TRUE_RR:
            ci = site.models[outcome].table.loc["activated"]
            rows.append(
                {"outcome": outcome, "n": len(site.per_session), "ci_ratio": ci.ci_high / ci.ci_low}
            )
    return pd.DataFrame(rows)


def test_simulated_widths_match_the_generator_within_10_percent(pilot_design, tmp_path):
    # 8 synthetic data sets (seeds other than the example's 2036) analysed as notebook 01 does:
    # covariates zone, weather, temperature_c, observer, the automatic family, clusters by date
    obtained = _obtained_widths(tmp_path, range(130, 138))
    assert obtained["n"].between(290, 310).all()  # primary sessions (double spans once)
    n = round(obtained["n"].mean())
    predicted = expected_precision(n, design=pilot_design, n_sim=60, seed=1).set_index("outcome")
    assert (predicted["n_sim"] == 60).all()
    assert (predicted["covariates"] == "zone, weather, temperature_c, observer").all()
    # Measured when this test was written: obtained ci_high / ci_low (mean over seeds
    # 130-137) 1.62 target group, 2.19 drug sales (sd over seeds 0.07 and 0.17); planned
    # 1.58 and 2.13. The width compared is ci_high / ci_low (the log-scale width): the width
    # on the rate-ratio scale also moves with each data set's estimate.
    for outcome, got in obtained.groupby("outcome")["ci_ratio"].mean().items():
        # tolerance from issue 19: the simulated widths within 10% of those actually obtained
        assert predicted.loc[outcome, "ci_ratio"] == pytest.approx(got, rel=0.10), outcome


def test_the_planner_fits_with_the_analysis_estimator(monkeypatch):
    # every simulated data set goes through evaluation.stats.rate_ratio_model with the
    # analysis' right-hand side (a re-implemented model would not be seen here)
    import evaluation.fieldwork.precision as precision

    seen = []
    real = precision.rate_ratio_model

    def spy(df, outcome, exposure, rhs, **kw):
        seen.append((outcome, rhs, kw["family"], kw["cluster"]))
        return real(df, outcome, exposure, rhs, **kw)

    monkeypatch.setattr(precision, "rate_ratio_model", spy)
    expected_precision(80, n_sim=10, seed=1)
    assert len(seen) == 20
    assert set(seen) == {
        (o, "activated + C(zone) + C(weather) + temperature_c + C(observer)", "auto", "date")
        for o in TRUE_RR
    }


def test_pilot_parameters_come_from_the_pilot(pilot_design):
    d = pilot_design
    assert set(d.zones) == {"plattan", "trapporna", "kulturhuset", "tunnelbanan", "sergelgatan"}
    # the generator's session frailty makes the target counts overdispersed, and drug sales
    # too: the shared family rule (stats._inference.choose_family) picks NB2 for both
    assert d.family == {"target_staying": "negbin", "drug_sale": "negbin"}
    assert 0.05 < d.alpha["target_staying"] < 0.5 and 0.05 < d.alpha["drug_sale"] < 0.6
    assert 0.5 < d.activated_share < 0.7 and d.rate_ratio == TRUE_RR


def test_sessions_for_a_width_give_that_width(pilot_design):
    p = expected_precision(300, design=pilot_design, n_sim=25, seed=2)
    n = sessions_for_width(p, 0.6, "target_staying")
    assert n > 300  # narrower than the width at 300 sessions needs more sessions
    at_n = expected_precision(n, design=pilot_design, n_sim=25, seed=3).set_index("outcome")
    # the 10%: the sessions asked for give the wanted width
    assert at_n.loc["target_staying", "ci_width"] == pytest.approx(0.6, rel=0.10)


def test_more_sessions_narrower_and_seed_reproducible():
    a = expected_precision(100, n_sim=20, seed=5)
    c = expected_precision(400, n_sim=20, seed=5)
    pd.testing.assert_frame_equal(
        expected_precision(100, n_sim=10, seed=5), expected_precision(100, n_sim=10, seed=5)
    )
    assert (c["ci_width"].to_numpy() < a["ci_width"].to_numpy()).all()
    # 4x the sessions halves the log-scale width (1/sqrt(n)), within simulation noise
    ratio = a["half_log_width"].to_numpy() / c["half_log_width"].to_numpy()
    assert np.allclose(ratio, 2.0, rtol=0.15)
    assert a["source"].iloc[0] == "stated defaults"


def test_a_schedule_sets_the_layout(example_dir, pilot_design):
    s = make_schedule("2024-05-20", "2024-08-31", 120, data=example_dir, seed=1)
    p = expected_precision(schedule=s, n_sim=20, seed=1)
    # n_sim counts the fits that succeeded (a data set with too few sales can fail)
    assert (p["sessions"] == 120).all() and (p["n_sim"] >= 18).all()
    # with a pilot: the schedule's sessions, the other covariates from pilot sessions in the
    # same activation state; the pilot's design is not changed by it
    q = expected_precision(schedule=s, design=pilot_design, n_sim=20, seed=1)
    assert (q["sessions"] == 120).all() and (q["n_sim"] >= 18).all()
    assert pilot_design.schedule is None
    lay = _layout(replace(pilot_design, schedule=s), 0, np.random.default_rng(1))
    assert lay["zone"].tolist() == s["zone"].tolist()
    assert set(lay["observer"]) <= set(pilot_design.sessions["observer"])
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
            "10",
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
