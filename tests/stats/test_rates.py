"""Rates and proportions: exact Poisson and Wilson intervals against independent formulas."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluation.stats import area_rates, poisson_ci, rate_table, share_table, wilson_ci


def _exact_by_root_finding(k, level=0.95):
    """Garwood limits solved directly from the Poisson tail probabilities (independent of chi2)."""
    from scipy.optimize import brentq

    a = (1 - level) / 2
    lo = 0.0 if k == 0 else brentq(lambda m: stats.poisson.sf(k - 1, m) - a, 1e-9, 10 * k + 10)
    hi = brentq(lambda m: stats.poisson.cdf(k, m) - a, 1e-9, 10 * k + 20)
    return lo, hi


@pytest.mark.parametrize("k,exposure", [(0, 1.0), (1, 1.0), (10, 2.0), (57, 13.5)])
def test_poisson_ci_against_tail_probabilities(k, exposure):
    lo, hi = poisson_ci(k, exposure)
    ref_lo, ref_hi = _exact_by_root_finding(k)
    assert float(lo) == pytest.approx(ref_lo / exposure, abs=1e-7)
    assert float(hi) == pytest.approx(ref_hi / exposure, abs=1e-7)


def test_wilson_against_formula():
    k, n, z = 81, 263, stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    lo, hi = wilson_ci(k, n)
    assert float(lo) == pytest.approx(centre - half, abs=1e-10)
    assert float(hi) == pytest.approx(centre + half, abs=1e-10)


def test_rate_table_counts_sessions_without_target_as_zero():
    sessions = pd.DataFrame(
        {
            "session_id": ["a", "b", "c"],
            "minutes": [60.0, 30.0, 30.0],
            "activation": ["art", "art", "none"],
        }
    )
    counts = pd.DataFrame(
        {
            "session_id": ["a", "c"],
            "gender": ["female", "male"],
            "age_band": "13-18",
            "activity": "staying",
            "count": [6, 4],
        }
    )
    t = rate_table(counts, sessions, by=["activation"], target={"gender": "female"}).set_index(
        "activation"
    )
    assert (
        t.loc["art", "count"] == 6 and t.loc["art", "hours"] == 1.5 and t.loc["art", "rate"] == 4.0
    )
    assert t.loc["none", "count"] == 0 and t.loc["none", "ci_low"] == 0


def test_share_table():
    sessions = pd.DataFrame(
        {"session_id": ["a", "b"], "minutes": 60.0, "activation": ["art", "none"]}
    )
    counts = pd.DataFrame(
        {
            "session_id": ["a", "a", "b"],
            "gender": ["female", "male", "female"],
            "age_band": "13-18",
            "activity": "staying",
            "count": [3, 7, 0],
        }
    )
    t = share_table(counts, sessions, numerator={"gender": "female"}).set_index("activation")
    assert t.loc["art", "share"] == pytest.approx(0.3)
    assert np.isnan(t.loc["none", "share"])


def test_per_hectare_story_on_example(example_ds):
    """Violence falls in total but nearly doubles per hectare 2022->2023 (the area shrank)."""
    t = area_rates(
        example_ds.crime["reported"], example_ds.crime["areas"], "sergels_torg", "violence"
    ).set_index("year")
    assert t.loc[2023, "change_total"] < 1
    assert t.loc[2023, "change_per_hectare"] >= 1.8
    assert t.loc[2023, "chg_ci_low"] > 1
    assert t.loc[2023, "per_hectare"] == pytest.approx(
        t.loc[2023, "count"] / t.loc[2023, "hectares"]
    )


def test_area_change_with_zero_crimes_this_year():
    # issue 15 fix 1. Score interval of a Poisson rate ratio R = (x1/t1)/(x0/t0) (Gu et al.
    # 2008): z(R) = (x1/t1 - R x0/t0) / sqrt(l1/t1 + R^2 l0/t0) with the constrained MLEs
    # l0 = (x1 + x0)/(R t1 + t0), l1 = R l0. With x1 = 0 this is z(R)^2 = R x0 t1 / t0, so the
    # 95% interval is [0, q^2 t0 / (x0 t1)], q = 1.959964: 32 crimes, then none, on 2 ha
    # then 2 ha: [0, 3.841459/32] = [0, 0.120046] (the audit's R value 0-0.1200).
    reported = pd.DataFrame(
        {
            "month": pd.to_datetime(["2020-03-01", "2021-05-01"]),
            "area": "x",
            "category": "violence",
            "count": [32, 0],
        }
    )
    areas = pd.DataFrame({"area": "x", "year": [2020, 2021], "hectares": 2.0, "population": 10})
    t = area_rates(reported, areas, "x").set_index("year")
    q2 = stats.norm.ppf(0.975) ** 2
    assert t.loc[2021, "change_per_hectare"] == 0
    assert t.loc[2021, "chg_ci_low"] == 0
    assert t.loc[2021, "chg_ci_high"] == pytest.approx(q2 / 32, abs=1e-6)
    # unequal areas: the bound scales by t0 / t1
    areas.loc[1, "hectares"] = 1.0
    t = area_rates(reported, areas, "x").set_index("year")
    assert t.loc[2021, "chg_ci_high"] == pytest.approx(q2 * 2.0 / (32 * 1.0), abs=1e-6)
    # no crimes in the previous year: the change is undefined, not an interval
    t = area_rates(reported.assign(count=[0, 5]), areas, "x").set_index("year")
    assert np.isnan(t.loc[2021, "chg_ci_low"]) and np.isnan(t.loc[2021, "chg_ci_high"])
