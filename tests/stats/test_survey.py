"""Survey proportions and trends."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from evaluation.stats import difference_from_reference, survey_proportions, survey_trend
from evaluation.synthetic import TRUTH


def test_trend_recovers_planted_odds_ratios(example_ds):
    t = survey_trend(example_ds.survey, "safe_evening").set_index("area")
    for area, truth in TRUTH["survey"]["safe_evening_odds_ratio_per_year"].items():
        assert t.loc[area, "ci_low"] <= truth <= t.loc[area, "ci_high"], area


def test_trend_agrees_with_binomial_glm_on_counts():
    d = pd.DataFrame(
        {
            "year": range(2015, 2024),
            "area": "x",
            "item": "i",
            "n": [400] * 9,
            "n_yes": [100, 110, 118, 131, 140, 152, 160, 171, 180],
        }
    )
    t = survey_trend(d, "i").iloc[0]
    X = sm.add_constant(d["year"] - 2015)
    ref = sm.GLM(
        np.column_stack([d["n_yes"], d["n"] - d["n_yes"]]), X, family=sm.families.Binomial()
    ).fit()
    assert t["odds_ratio"] == pytest.approx(np.exp(ref.params.iloc[1]), abs=1e-6)
    disp = ref.pearson_chi2 / ref.df_resid
    se = ref.bse.iloc[1] * (np.sqrt(disp) if disp > 1 else 1)
    assert t["ci_high"] == pytest.approx(np.exp(ref.params.iloc[1] + 1.959964 * se), abs=1e-5)


def test_proportions_and_difference(example_ds):
    p = survey_proportions(example_ds.survey)
    assert ((p["ci_low"] <= p["proportion"]) & (p["proportion"] <= p["ci_high"])).all()
    d = difference_from_reference(example_ds.survey, "safe_evening", "sergels_torg", "stockholm")
    assert len(d) == 9 and (d["difference"] < 0).all()
