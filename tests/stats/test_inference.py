"""The shared inference rules: one family choice for the count model and the ITS, Wald intervals."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluation.errors import ModelError
from evaluation.stats import interrupted_time_series, rate_ratio_model
from evaluation.stats._inference import (
    DISPERSION_THRESHOLD,
    choose_family,
    reference_df,
    wald,
)


def _pearson(y, mu):
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    return float(((y - mu) ** 2 / mu).sum())


def test_quasipoisson_when_overdispersed_but_nb_test_does_not_reject():
    # By hand: Pearson chi2 = (9 + 1 + 4 + 1) + (0 + 0.1 + 0.1 + 0) = 15.2 on 6 df = 2.53 > 1.2;
    # the Cameron-Trivedi auxiliary z = ((y - mu)^2 - y) / mu is (5, 1, 1, 1) at mu = 1 and
    # (-1, -1, -0.8, -1) at mu = 10, so the no-intercept slope sum(mu z) / sum(mu^2) =
    # (8 - 38) / 404 < 0: no evidence for NB2. The case: overdispersed, NB
    # unconvincing, so quasi-Poisson (never Poisson model-based errors).
    mu = np.array([1, 1, 1, 1, 10, 10, 10, 10], float)
    y = np.array([4, 0, 3, 0, 10, 11, 9, 10], float)
    c = choose_family(y, mu, _pearson(y, mu), 6)
    assert c.dispersion == pytest.approx(15.2 / 6)
    assert c.ct_alpha == pytest.approx(-30 / 404)
    assert c.ct_p_value > 0.5
    assert c.family == "quasipoisson"
    assert "2.53" in c.reason and "does not reject" in c.reason


def test_rule_boundaries():
    rng = np.random.default_rng(3)
    mu = np.exp(rng.uniform(0, 3, 400))
    y = rng.poisson(mu)
    c = choose_family(y, mu, _pearson(y, mu), 398)
    assert c.family == "poisson" and c.dispersion <= DISPERSION_THRESHOLD
    y = rng.poisson(rng.gamma(2.0, mu / 2.0))  # NB2, alpha = 0.5, means span e^3
    c = choose_family(y, mu, _pearson(y, mu), 398)
    assert c.family == "negbin" and c.ct_p_value < 0.05 and c.mean_spread > 3
    flat = np.full(400, 5.0)  # overdispersed, but the means do not vary: quasi-Poisson
    y = rng.poisson(rng.gamma(2.0, flat / 2.0))
    c = choose_family(y, flat * (1 + 1e-3 * rng.random(400)), _pearson(y, flat), 398)
    assert c.family == "quasipoisson" and "span no more than a factor 3" in c.reason
    c = choose_family(y, flat, _pearson(y, flat), 398, requested="poisson")
    assert c.family == "poisson" and "too narrow" in c.reason
    with pytest.raises(ModelError, match="family 'gamma'"):
        choose_family(y, flat, 1.0, 1, requested="gamma")


def test_count_model_and_its_choose_by_the_same_rule():
    """The same series fitted as an ITS and as a count model (same Poisson design) gets the
    same family for the same stated reasons."""
    rng = np.random.default_rng(8)
    n = 60
    t = np.arange(n)
    post = (t >= 30).astype(float)
    for theta in (None, 30.0, 3.0):
        mu = 40 * np.exp(0.004 * t - 0.2 * post)
        lam = mu if theta is None else rng.gamma(theta, mu / theta)
        months = pd.period_range("2016-01", periods=n, freq="M").astype(str)
        d = pd.DataFrame({"month": months, "y": rng.poisson(lam)})
        its = interrupted_time_series(d, "month", "y", months[30], family="auto")
        d2 = pd.DataFrame(
            {
                "y": d["y"],
                "time": t.astype(float),
                "post": post,
                "post_time": np.clip(t - 30, 0, None) * post,
                "one": 1.0,
            }
        )
        cm = rate_ratio_model(d2, "y", "one", "time + post + post_time", family="auto")
        assert its.family == cm.family, theta
        assert its.family_reason == cm.family_reason
        assert its.choice == cm.choice
        assert its.family_reason in its.summary() and cm.family_reason in cm.summary()


def test_reference_distribution_rule():
    assert reference_df("z", cov="cluster", scale_estimated=True, df_resid=5, n_clusters=4) == (
        float("inf")
    )
    assert reference_df("t", cov="cluster", scale_estimated=False, df_resid=50, n_clusters=10) == 9
    assert reference_df("t", cov="model", scale_estimated=True, df_resid=6) == 6
    assert reference_df("t", cov="model", scale_estimated=False, df_resid=6) == float("inf")
    assert reference_df("t", cov="hac", scale_estimated=False, df_resid=40) == 40
    lo, hi, p = wald(1.0, 0.5, 9)
    assert hi - 1.0 == pytest.approx(stats.t.ppf(0.975, 9) * 0.5)
    assert p == pytest.approx(2 * stats.t.sf(2.0, 9))
