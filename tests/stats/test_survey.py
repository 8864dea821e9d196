"""Survey proportions and trends."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

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
    t = survey_trend(d, "i", ci="z").iloc[0]
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


def _logistic_by_hand(years, n, k):
    """Independent fit: Newton-Raphson for logit p = a + b (year - first), numpy only;
    returns b, its model-based se, and the Pearson chi2 / (m - 2)."""
    x = np.asarray(years, float) - min(years)
    X = np.column_stack([np.ones_like(x), x])
    n, k = np.asarray(n, float), np.asarray(k, float)
    beta = np.zeros(2)
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ beta))
        W = n * p * (1 - p)
        beta = beta + np.linalg.solve(X.T @ (X * W[:, None]), X.T @ (k - n * p))
    p = 1 / (1 + np.exp(-X @ beta))
    W = n * p * (1 - p)
    se = np.sqrt(np.linalg.inv(X.T @ (X * W[:, None]))[1, 1])
    phi = (((k - n * p) ** 2) / W).sum() / (len(x) - 2)
    return beta[1], se, phi


def test_trend_t_interval_with_few_years():
    # Issue 15: 8 years of an overdispersed item. R: fit <- glm(cbind(n_yes, n - n_yes) ~ I(year
    # - 2016), family = quasibinomial); exp(coef(fit)[2] + c(-1, 1) * qt(0.975, 6) *
    # sqrt(vcov(fit)[2, 2])). Here an independent numpy Newton fit plays R's part.
    d = pd.DataFrame(
        {
            "year": range(2016, 2024),
            "area": "x",
            "item": "i",
            "n": [300] * 8,
            "n_yes": [90, 70, 105, 84, 120, 95, 125, 110],
        }
    )
    b, se, phi = _logistic_by_hand(d["year"], d["n"], d["n_yes"])
    assert phi > 1  # quasi-binomial applies
    t = survey_trend(d, "i").iloc[0]
    z = survey_trend(d, "i", ci="z").iloc[0]
    q = stats.t.ppf(0.975, 6)
    assert t["scale_used"] == pytest.approx(phi, rel=1e-6)
    assert t["reference"] == "t(6)" and z["reference"] == "normal"
    assert t["ci_low"] == pytest.approx(np.exp(b - q * np.sqrt(phi) * se), rel=1e-6)
    assert t["ci_high"] == pytest.approx(np.exp(b + q * np.sqrt(phi) * se), rel=1e-6)
    assert t["p_value"] == pytest.approx(2 * stats.t.sf(abs(b) / (np.sqrt(phi) * se), 6), rel=1e-6)
    assert z["ci_high"] == pytest.approx(
        np.exp(b + stats.norm.ppf(0.975) * np.sqrt(phi) * se), rel=1e-6
    )
    # the case the audit found: the normal interval excludes 1 where the t interval does not
    assert z["ci_low"] > 1 > t["ci_low"], (z["ci_low"], t["ci_low"])
