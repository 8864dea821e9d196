"""Interrupted time series against a published tutorial and an independent formula fit."""

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from evaluation.errors import ModelError
from evaluation.stats import interrupted_time_series
from evaluation.stats.its import ITSWarning

from ..conftest import ROOT


@pytest.fixture(scope="module")
def sicily():
    d = pd.read_csv(ROOT / "tests" / "results" / "sicily.csv")
    d["month_id"] = d["year"].astype(str) + "-" + d["month"].map("{:02d}".format)
    return d


def fit_sicily(data, **kw):
    """The tutorial's model of acute coronary events (``aces``) per standard population,
    ban from January 2005; ``kw`` as in :func:`interrupted_time_series`."""
    return interrupted_time_series(data, "month_id", "aces", "2005-01", exposure="stdpop", **kw)


# Lopez Bernal, Cummins, Gasparrini (2017) Int J Epidemiol 46:348-355, Sicily smoking ban;
# values from their R code (gasparrini/2017_lopezbernal_IJE_codedata), Wald 95% CIs.
@pytest.mark.parametrize(
    "kw, expected, scale",
    [
        (dict(family="poisson", slope_change=False), (0.894, 0.865, 0.925), None),
        (dict(family="quasipoisson", slope_change=False), (0.894, 0.839, 0.953), 3.559),
        (
            dict(family="quasipoisson", slope_change=False, seasonality="fourier", harmonics=2),
            (0.885, 0.839, 0.933),
            2.262,
        ),
    ],
)
def test_published_level_change(sicily, kw, expected, scale):
    res = fit_sicily(sicily, ci="z", **kw)
    got = res.effects.loc["level_change", ["rate_ratio", "ci_low", "ci_high"]].to_numpy()
    np.testing.assert_allclose(got, expected, atol=0.0005)
    if scale is not None:
        assert res.checks["scale"] == pytest.approx(scale, abs=0.0005)


def test_published_slope_change_and_trend(sicily):
    # same source: quasi-Poisson + 2 Fourier pairs + slope change: 1.0015 (0.9978-1.0051); trend 1.067 per year
    res = fit_sicily(
        sicily,
        family="quasipoisson",
        seasonality="fourier",
        ci="z",
    )
    np.testing.assert_allclose(
        res.effects.loc["slope_change", ["rate_ratio", "ci_low", "ci_high"]].to_numpy(),
        (1.0015, 0.9978, 1.0051),
        atol=0.00005,
    )
    seasonal = fit_sicily(
        sicily,
        family="quasipoisson",
        seasonality="fourier",
        slope_change=False,
    )
    assert seasonal.effects.loc["baseline_trend", "rate_ratio"] ** 12 == pytest.approx(
        1.067, abs=0.0005
    )


def test_integer_time_axis_gives_same_fit(sicily):
    a = fit_sicily(sicily, family="quasipoisson")
    b = interrupted_time_series(
        sicily, "time", "aces", 37, exposure="stdpop", family="quasipoisson"
    )
    pd.testing.assert_frame_equal(a.effects, b.effects)


def test_agrees_with_statsmodels_formula_fit(sicily):
    d = sicily.copy()
    d["t"] = d["time"] - 1
    d["post_t"] = np.where(d["smokban"] == 1, d["time"] - 37, 0)
    for k in (1, 2):
        d[f"s{k}"] = np.sin(2 * np.pi * k * d["month"] / 12)
        d[f"c{k}"] = np.cos(2 * np.pi * k * d["month"] / 12)
    ref = smf.glm(
        "aces ~ t + smokban + post_t + s1 + c1 + s2 + c2",
        d,
        family=sm.families.Poisson(),
        offset=np.log(d["stdpop"]),
    ).fit(scale="X2", use_t=True)  # t(n - k) intervals and p-values, as R's summary.glm
    res = fit_sicily(
        sicily,
        family="quasipoisson",
        seasonality="fourier",
    )
    for ours, theirs in (
        ("level_change", "smokban"),
        ("slope_change", "post_t"),
        ("baseline_trend", "t"),
    ):
        assert res.effects.loc[ours, "rate_ratio"] == pytest.approx(
            np.exp(ref.params[theirs]), abs=1e-4
        )
        assert res.effects.loc[ours, "ci_low"] == pytest.approx(
            np.exp(ref.conf_int().loc[theirs, 0]), abs=1e-4
        )
        assert res.effects.loc[ours, "p_value"] == pytest.approx(ref.pvalues[theirs], abs=1e-4)


def _series(rng, level=0.8, slope=1.0, n_pre=48, n_post=48, mu0=30.0, trend=1.002, theta=None):
    t = np.arange(n_pre + n_post)
    post = (t >= n_pre).astype(float)
    mu = (
        mu0
        * trend**t
        * level**post
        * slope ** (np.clip(t - n_pre, 0, None) * post)
        * np.exp(0.15 * np.cos(2 * np.pi * t / 12))
    )
    lam = mu if theta is None else rng.gamma(theta, mu / theta)
    months = pd.period_range("2015-01", periods=len(t), freq="M").astype(str)
    return pd.DataFrame({"month": months, "y": rng.poisson(lam)}), months[n_pre]


def test_comparative_matches_formula_fit():
    rng = np.random.default_rng(3)
    a, start = _series(rng, level=0.7)
    b, _ = _series(rng, level=1.0, mu0=50)
    d = pd.concat([a.assign(area="scene"), b.assign(area="comp")])
    res = interrupted_time_series(
        d, "month", "y", start, family="poisson", group="area", control="comp"
    )
    d = d.reset_index(drop=True)
    d["t"] = (
        pd.PeriodIndex(d["month"], freq="M").map(lambda p: p.ordinal)
        - pd.Period("2015-01", "M").ordinal
    )
    d["post"] = (d["t"] >= 48).astype(float)
    d["pt"] = np.clip(d["t"] - 48, 0, None) * d["post"]
    d["tr"] = (d["area"] == "scene").astype(float)
    ref = smf.glm(
        "y ~ t + post + pt + tr + tr:t + tr:post + tr:pt", d, family=sm.families.Poisson()
    ).fit()
    assert res.effects.loc["level_change", "rate_ratio"] == pytest.approx(
        np.exp(ref.params["tr:post"]), abs=1e-4
    )
    assert res.effects.loc["slope_change", "rate_ratio"] == pytest.approx(
        np.exp(ref.params["tr:pt"]), abs=1e-4
    )


def test_counterfactual_and_summary(sicily):
    res = fit_sicily(
        sicily,
        family="quasipoisson",
        seasonality="fourier",
    )
    cf = res.counterfactual()
    assert list(cf.columns) == [
        "period",
        "series",
        "observed",
        "fitted",
        "counterfactual",
        "cf_ci_low",
        "cf_ci_high",
        "post",
        "in_fit",
    ]
    pre = cf[~cf["post"]]
    np.testing.assert_allclose(pre["fitted"], pre["counterfactual"])
    assert (
        cf.loc[cf["post"], "counterfactual"] > cf.loc[cf["post"], "fitted"]
    ).all()  # the ban lowered events
    text = res.summary()
    assert "quasipoisson" in text and "Durbin-Watson" in text and "Ljung-Box" in text


def test_hac_and_transition(sicily):
    a = fit_sicily(sicily, family="quasipoisson", hac_lags=3)
    assert "Newey-West" in a.checks["cov_type"]
    b = fit_sicily(
        sicily,
        family="quasipoisson",
        transition=3,
    )
    assert b.checks["transition_excluded"] == 3 and (~b.counterfactual()["in_fit"]).sum() == 3


def test_auto_family_says_why():
    rng = np.random.default_rng(1)
    d, start = _series(rng)
    res = interrupted_time_series(d, "month", "y", start, family="auto", seasonality="fourier")
    assert res.family == "poisson" and "no material overdispersion" in res.family_reason
    # leaving out the seasonality makes the same data look overdispersed: the check sees misfit too
    res = interrupted_time_series(d, "month", "y", start, family="auto")
    assert res.family != "poisson" and "> 1.2" in res.family_reason
    d, start = _series(rng, theta=8)
    res = interrupted_time_series(d, "month", "y", start, family="auto", seasonality="fourier")
    assert res.family in ("quasipoisson", "negbin") and "> 1.2" in res.family_reason


def test_errors_are_clear():
    rng = np.random.default_rng(0)
    d, start = _series(rng, n_pre=6, n_post=30)
    with pytest.raises(ModelError, match="too short a series: 6 periods before"):
        interrupted_time_series(d, "month", "y", start)
    d, _ = _series(rng)
    with pytest.raises(ModelError, match="outside the series"):
        interrupted_time_series(d, "month", "y", "2030-01")
    d["pop"] = 100.0
    d.loc[5, "pop"] = 0
    with pytest.raises(ModelError, match="exposure 'pop' must be > 0"):
        interrupted_time_series(d, "month", "y", "2019-01", exposure="pop")
    with pytest.raises(ModelError, match="cannot read"):
        interrupted_time_series(d.assign(month="soon"), "month", "y", "2019-01")


def test_missing_months_warn_and_are_named():
    rng = np.random.default_rng(0)
    d, start = _series(rng)
    d = d.drop(index=[10, 11]).reset_index(drop=True)
    with pytest.warns(
        ITSWarning, match="2 period\\(s\\) missing inside the series: 2015-11, 2015-12"
    ):
        res = interrupted_time_series(d, "month", "y", start)
    assert res.checks["missing_periods"]


def test_recovers_planted_effect_on_example(example_ds):
    from evaluation.synthetic import TRUTH

    rep = example_ds.crime["reported"]
    s = rep[
        (rep["area"] == "sergels_torg")
        & (rep["category"] == "violence")
        & (rep["month"] < "2023-01")
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ITSWarning)
        res = interrupted_time_series(
            s, "month", "count", "2019-06", family="auto", seasonality="fourier"
        )
    lo, hi = res.effects.loc["level_change", ["ci_low", "ci_high"]]
    assert lo <= TRUTH["crime"]["violence_level_change"] <= hi


@pytest.mark.parametrize(
    "theta,family", [(None, "poisson"), (10.0, "quasipoisson"), (10.0, "negbin")]
)
def test_ci_coverage_simulation(theta, family):
    """Over 200 simulated series the 95% CI of the level change covers the truth 90-99% of the time."""
    rng = np.random.default_rng(2024)
    hits = 0
    for _ in range(200):
        d, start = _series(rng, level=0.8, theta=theta)
        res = interrupted_time_series(d, "month", "y", start, family=family, seasonality="fourier")
        lo, hi = res.effects.loc["level_change", ["ci_low", "ci_high"]]
        hits += lo <= 0.8 <= hi
    assert 0.90 <= hits / 200 <= 0.99, hits


def test_t_and_z_intervals_on_the_published_example(sicily):
    # Small-sample rule (issue 15): quasi-Poisson with ci="t" uses qt(0.975, n - k), n - k = 59 - 3
    # = 56 for the tutorial's step model; the z interval is the published 0.894 (0.839-0.953).
    # R: b <- coef(fit)["smokban"]; se <- sqrt(vcov(fit)["smokban", "smokban"]);
    #    exp(b + c(-1, 1) * qt(0.975, df.residual(fit)) * se), fit the tutorial's model2.
    t = fit_sicily(sicily, family="quasipoisson", slope_change=False)
    z = fit_sicily(sicily, family="quasipoisson", slope_change=False, ci="z")
    assert t.checks["reference"] == "t(56)" and z.checks["reference"] == "normal"
    b = np.log(z.effects.loc["level_change", "rate_ratio"])
    se = (np.log(z.effects.loc["level_change", "ci_high"]) - b) / stats.norm.ppf(0.975)
    q = stats.t.ppf(0.975, 56)
    np.testing.assert_allclose(
        t.effects.loc["level_change", ["ci_low", "ci_high"]].to_numpy(float),
        np.exp([b - q * se, b + q * se]),
        rtol=1e-9,
    )
    assert t.effects.loc["level_change", "p_value"] == pytest.approx(
        2 * stats.t.sf(abs(b / se), 56), rel=1e-9
    )
    # Poisson has no estimated scale: t and z agree (R summary.glm reports z for poisson)
    pt = fit_sicily(sicily, family="poisson", slope_change=False)
    pz = fit_sicily(sicily, family="poisson", slope_change=False, ci="z")
    pd.testing.assert_frame_equal(pt.effects, pz.effects)
    # HAC: t(n - k) under ci="t" (Stata newey), normal under ci="z" (lmtest::coeftest on a glm)
    ht = fit_sicily(sicily, family="poisson", slope_change=False, hac_lags=3)
    hz = fit_sicily(sicily, family="poisson", slope_change=False, hac_lags=3, ci="z")
    assert ht.checks["reference"] == "t(56)" and hz.checks["reference"] == "normal"
    assert ht.effects.loc["level_change", "ci_low"] < hz.effects.loc["level_change", "ci_low"]
    with pytest.raises(ModelError, match="ci 'x'"):
        fit_sicily(sicily, ci="x")


def _panel_by_hand(d, L=None):
    """Independent panel covariance of a comparative Poisson ITS in numpy: Poisson MLE by
    Newton, scores s_i = x_i (y_i - mu_i) summed within each month (S_t), bread
    B = (X' diag(mu) X)^-1. Cluster by month: G/(G-1) (n-1)/(n-k) B (sum S_t S_t') B.
    Driscoll-Kraay (Driscoll & Kraay 1998; Hoechle 2007): B (G_0 + sum_l w_l (G_l + G_l')) B,
    G_l = sum_t S_t S_{t-l}', w_l = 1 - l/(L+1), no small-sample factor."""
    tr = (d["area"] == "scene").to_numpy(float)
    t = d["t"].to_numpy(float)
    post = (t >= 48).astype(float)
    pt = np.clip(t - 48, 0, None) * post
    X = np.column_stack([np.ones_like(t), t, post, pt, tr, tr * t, tr * post, tr * pt])
    y = d["y"].to_numpy(float)
    b = np.zeros(X.shape[1])
    b[0] = np.log(y.mean())
    for _ in range(100):
        mu = np.exp(X @ b)
        b = b + np.linalg.solve(X.T @ (X * mu[:, None]), X.T @ (y - mu))
    mu = np.exp(X @ b)
    B = np.linalg.inv(X.T @ (X * mu[:, None]))
    months = np.unique(t)
    S = np.array([X[t == m].T @ (y - mu)[t == m] for m in months])
    n, k = X.shape
    G = len(months)
    if L is None:
        meat = G / (G - 1) * (n - 1) / (n - k) * S.T @ S
    else:
        meat = S.T @ S
        for lag in range(1, L + 1):
            g = S[lag:].T @ S[:-lag]
            meat += (1 - lag / (L + 1)) * (g + g.T)
    V = B @ meat @ B
    return b, np.sqrt(np.diag(V)), G


@pytest.mark.parametrize("hac_lags", [None, 3])
def test_comparative_panel_errors_by_hand(hac_lags):
    # Issue 15 item 4: the comparative ITS's errors respect the panel (same-month correlation)
    rng = np.random.default_rng(4)
    a, start = _series(rng, level=0.7, theta=15)
    b, _ = _series(rng, level=1.0, mu0=50, theta=15)
    shock = rng.gamma(20, 1 / 20, len(a))  # a common monthly shock: the series move together
    a["y"] = rng.poisson(a["y"] * shock)
    b["y"] = rng.poisson(b["y"] * shock)
    d = pd.concat([a.assign(area="scene"), b.assign(area="comp")]).reset_index(drop=True)
    d["t"] = (
        pd.PeriodIndex(d["month"], freq="M").map(lambda p: p.ordinal)
        - pd.Period("2015-01", "M").ordinal
    )
    beta, se, G = _panel_by_hand(d, hac_lags)
    res = interrupted_time_series(
        d, "month", "y", start, family="poisson", group="area", control="comp", hac_lags=hac_lags
    )
    q = stats.t.ppf(0.975, G - 1)
    assert res.checks["reference"] == f"t({G - 1})"
    assert ("Driscoll-Kraay" if hac_lags else "cluster-robust by period") in res.checks["cov_type"]
    for label, j in (("level_change", 6), ("slope_change", 7), ("control_level_change", 2)):
        row = res.effects.loc[label]
        assert row.rate_ratio == pytest.approx(np.exp(beta[j]), rel=1e-7)
        assert row.ci_low == pytest.approx(np.exp(beta[j] - q * se[j]), rel=1e-6)
        assert row.ci_high == pytest.approx(np.exp(beta[j] + q * se[j]), rel=1e-6)
    # the treated series' own trend (time + treated_time) uses the same covariance
    assert res.effects.loc["baseline_trend", "rate_ratio"] == pytest.approx(
        np.exp(beta[1] + beta[5]), rel=1e-7
    )


def _bartlett_meat(S, L):
    M = S.T @ S
    for lag in range(1, L + 1):
        g = S[lag:].T @ S[:-lag]
        M += (1 - lag / (L + 1)) * (g + g.T)
    return M


def test_negbin_hac_convention_observed_hessian():
    # Convention (issue 15 item 7), documented in the Notes: NB2 + Newey-West uses the observed
    # Hessian as bread, B = (sum x x' mu (1 + a y) / (1 + a mu)^2)^-1; R's sandwich on glm.nb uses
    # the expected information (sum x x' mu / (1 + a mu))^-1. By hand, scores
    # s_t = x_t (y_t - mu_t) / (1 + a mu_t), Bartlett weights, no small-sample factor.
    rng = np.random.default_rng(5)
    d, start = _series(rng, theta=8)
    res = interrupted_time_series(d, "month", "y", start, family="negbin", hac_lags=3, ci="z")
    X, y = res.result.model.exog, res.result.model.endog
    a = res.checks["alpha"]
    mu = np.exp(X @ res.result.params.to_numpy())
    S = X * ((y - mu) / (1 + a * mu))[:, None]
    meat = _bartlett_meat(S, 3)
    observed = np.linalg.inv((X * (mu * (1 + a * y) / (1 + a * mu) ** 2)[:, None]).T @ X)
    expected = np.linalg.inv((X * (mu / (1 + a * mu))[:, None]).T @ X)
    se_obs = np.sqrt(np.diag(observed @ meat @ observed))
    se_exp = np.sqrt(np.diag(expected @ meat @ expected))
    np.testing.assert_allclose(res.result.bse.to_numpy(), se_obs, rtol=1e-6)
    assert not np.allclose(se_obs, se_exp, rtol=1e-3)  # the two conventions do differ


def test_poisson_hac_convention_by_hand(sicily):
    # Convention: Newey-West with Bartlett weights 1 - l/(L+1), no prewhitening, no small-sample
    # factor, R: sandwich::NeweyWest(fit, lag = 3, prewhite = FALSE, adjust = FALSE); with
    # ci="t" the interval uses qt(0.975, n - k) (Stata newey). By hand in numpy.
    res = fit_sicily(sicily, family="poisson", slope_change=False, hac_lags=3)
    X, y = res.result.model.exog, res.result.model.endog
    mu = np.exp(X @ res.result.params.to_numpy() + res.result.model.offset)
    B = np.linalg.inv((X * mu[:, None]).T @ X)
    se = np.sqrt(np.diag(B @ _bartlett_meat(X * (y - mu)[:, None], 3) @ B))
    j = list(res.result.params.index).index("post")
    b = res.result.params["post"]
    q = stats.t.ppf(0.975, len(y) - X.shape[1])
    assert res.effects.loc["level_change", "ci_low"] == pytest.approx(
        np.exp(b - q * se[j]), rel=1e-6
    )
    assert res.effects.loc["level_change", "ci_high"] == pytest.approx(
        np.exp(b + q * se[j]), rel=1e-6
    )
