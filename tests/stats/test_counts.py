"""Rate-ratio models: agreement with an independent fit, planted effects, coverage, clear errors."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from evaluation.errors import ModelError
from evaluation.stats import rate_ratio_model


def simulate(rng, n=300, rr=1.8, theta=None, zones=("a", "b", "c")):
    d = pd.DataFrame(
        {
            "zone": rng.choice(zones, n),
            "activated": rng.integers(0, 2, n),
            "minutes": rng.choice([30.0, 45.0, 60.0], n),
            "day": rng.integers(0, n // 2, n),
        }
    )
    zf = {"a": 1.0, "b": 1.5, "c": 0.6}
    mu = 0.05 * d["minutes"] * d["zone"].map(zf) * np.where(d["activated"] == 1, rr, 1.0)
    lam = mu if theta is None else rng.gamma(theta, mu / theta)
    d["y"] = rng.poisson(lam)
    return d


def test_poisson_agrees_with_formula_api():
    rng = np.random.default_rng(11)
    d = simulate(rng)
    res = rate_ratio_model(d, "y", "minutes", "activated + C(zone)", family="poisson")
    ref = smf.glm(
        "y ~ activated + C(zone)", d, family=sm.families.Poisson(), offset=np.log(d["minutes"])
    ).fit()
    ci = ref.conf_int()
    for term in ("activated", "C(zone)[T.b]", "C(zone)[T.c]"):
        assert res.table.loc[term, "rate_ratio"] == pytest.approx(
            np.exp(ref.params[term]), abs=1e-4
        )
        assert res.table.loc[term, "ci_low"] == pytest.approx(np.exp(ci.loc[term, 0]), abs=1e-4)
        assert res.table.loc[term, "ci_high"] == pytest.approx(np.exp(ci.loc[term, 1]), abs=1e-4)
        assert res.table.loc[term, "p_value"] == pytest.approx(ref.pvalues[term], abs=1e-4)
    assert list(res.table.columns) == ["rate_ratio", "ci_low", "ci_high", "p_value"]


def test_negbin_agrees_with_discrete_ml_fit():
    rng = np.random.default_rng(12)
    d = simulate(rng, theta=3)
    res = rate_ratio_model(d, "y", "minutes", "activated + C(zone)", family="negbin")
    ref = smf.negativebinomial("y ~ activated + C(zone)", d, offset=np.log(d["minutes"])).fit(
        disp=0
    )
    assert res.fit["alpha"] == pytest.approx(ref.params["alpha"], rel=1e-3)
    assert res.table.loc["activated", "rate_ratio"] == pytest.approx(
        np.exp(ref.params["activated"]), abs=1e-4
    )


def test_cluster_robust_matches_statsmodels():
    rng = np.random.default_rng(13)
    d = simulate(rng)
    res = rate_ratio_model(
        d, "y", "minutes", "activated + C(zone)", family="poisson", cluster="day", ci="z"
    )
    ref = smf.glm(
        "y ~ activated + C(zone)", d, family=sm.families.Poisson(), offset=np.log(d["minutes"])
    ).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(d["day"].astype(str))[0]})
    assert res.table.loc["activated", "ci_low"] == pytest.approx(
        np.exp(ref.conf_int().loc["activated", 0]), abs=1e-4
    )
    assert res.fit["n_clusters"] == d["day"].nunique()


def _cr1_by_hand(d, rhs, cluster):
    """Independent CR1: Poisson MLE by Newton in numpy, then
    V = G/(G-1) (n-1)/(n-k) B (sum_g s_g s_g') B, B = (X' diag(mu) X)^-1, s_g = X_g'(y_g - mu_g)
    (R: sandwich::vcovCL(fit, cluster = ~day, type = "HC1"); Stata: regress-style vce(cluster))."""
    from patsy import dmatrices

    y, X = dmatrices(f"y ~ {rhs}", d, return_type="dataframe")
    y, names, X = y.to_numpy()[:, 0], list(X.columns), X.to_numpy()
    off = np.log(d["minutes"].to_numpy())
    b = np.zeros(X.shape[1])
    b[0] = np.log(y.sum() / np.exp(off).sum())
    for _ in range(50):
        mu = np.exp(X @ b + off)
        b = b + np.linalg.solve(X.T @ (X * mu[:, None]), X.T @ (y - mu))
    mu = np.exp(X @ b + off)
    B = np.linalg.inv(X.T @ (X * mu[:, None]))
    g = d[cluster].to_numpy()
    S = np.array([X[g == k].T @ (y - mu)[g == k] for k in np.unique(g)])
    G, (n, k) = len(S), X.shape
    V = G / (G - 1) * (n - 1) / (n - k) * B @ (S.T @ S) @ B
    return dict(zip(names, b, strict=True)), dict(zip(names, np.sqrt(np.diag(V)), strict=True)), G


def test_cluster_robust_t_interval_by_hand():
    # Small-sample rule (issue 15): CR1 covariance and t(G - 1) quantiles, as
    # R: lmtest::coefci(fit, vcov = sandwich::vcovCL(fit, cluster = ~day, type = "HC1"), df = G - 1)
    rng = np.random.default_rng(21)
    d = simulate(rng, n=120)
    d["day"] = d["day"] % 10  # 10 clusters
    b, se, G = _cr1_by_hand(d, "activated + C(zone)", "day")
    res = rate_ratio_model(
        d, "y", "minutes", "activated + C(zone)", family="poisson", cluster="day"
    )
    q = stats.t.ppf(0.975, G - 1)
    row = res.table.loc["activated"]
    assert row.rate_ratio == pytest.approx(np.exp(b["activated"]), rel=1e-8)
    assert row.ci_low == pytest.approx(np.exp(b["activated"] - q * se["activated"]), rel=1e-6)
    assert row.ci_high == pytest.approx(np.exp(b["activated"] + q * se["activated"]), rel=1e-6)
    assert row.p_value == pytest.approx(
        2 * stats.t.sf(abs(b["activated"] / se["activated"]), G - 1), rel=1e-6
    )
    assert res.fit["reference"] == "t(9)"
    assert res.warnings and "only 10 clusters" in res.warnings[0]
    assert "only 10 clusters" in res.summary() and "t(9)" in res.summary()
    z = rate_ratio_model(
        d, "y", "minutes", "activated + C(zone)", family="poisson", cluster="day", ci="z"
    )
    assert z.table.loc["activated", "ci_low"] == pytest.approx(
        np.exp(b["activated"] - stats.norm.ppf(0.975) * se["activated"]), rel=1e-6
    )
    # the marginal rates use the same reference distribution: wider with t than with z
    mt, mz = res.marginal_rates("activated"), z.marginal_rates("activated")
    assert ((mt["ci_high"] - mt["ci_low"]) > (mz["ci_high"] - mz["ci_low"])).all()


def test_quasipoisson_t_interval_by_hand():
    # Saturated two-group model, closed form (McCullagh & Nelder 1989, sec. 6.2 and 9.2):
    # b = log((Y1/E1) / (Y0/E0)), mu_i = e_i * Y_g/E_g, phi = sum((y - mu)^2 / mu) / (n - 2),
    # se = sqrt(phi (1/Y1 + 1/Y0)); interval b -/+ qt(0.975, n - 2) se, as R:
    # summary(glm(y ~ activated, family = quasipoisson, offset = log(minutes))) with qt.
    rng = np.random.default_rng(22)
    d = simulate(rng, n=40, theta=2)
    y, e, a = d["y"].to_numpy(float), d["minutes"].to_numpy(), d["activated"].to_numpy()
    Y1, Y0, E1, E0 = y[a == 1].sum(), y[a == 0].sum(), e[a == 1].sum(), e[a == 0].sum()
    b = np.log((Y1 / E1) / (Y0 / E0))
    mu = e * np.where(a == 1, Y1 / E1, Y0 / E0)
    phi = ((y - mu) ** 2 / mu).sum() / (len(y) - 2)
    se = np.sqrt(phi * (1 / Y1 + 1 / Y0))
    q = stats.t.ppf(0.975, len(y) - 2)
    res = rate_ratio_model(d, "y", "minutes", "activated", family="quasipoisson")
    assert res.fit["scale"] == pytest.approx(phi, rel=1e-6)
    assert res.fit["reference"] == "t(38)"
    row = res.table.loc["activated"]
    assert row.rate_ratio == pytest.approx(np.exp(b), rel=1e-8)
    assert row.ci_low == pytest.approx(np.exp(b - q * se), rel=1e-6)
    assert row.ci_high == pytest.approx(np.exp(b + q * se), rel=1e-6)
    z = rate_ratio_model(d, "y", "minutes", "activated", family="quasipoisson", ci="z")
    assert z.table.loc["activated", "ci_low"] == pytest.approx(
        np.exp(b - stats.norm.ppf(0.975) * se), rel=1e-6
    )


def test_auto_picks_family_and_says_why():
    rng = np.random.default_rng(14)
    assert (
        rate_ratio_model(simulate(rng), "y", "minutes", "activated + C(zone)", family="auto").family
        == "poisson"
    )
    res = rate_ratio_model(
        simulate(rng, theta=2), "y", "minutes", "activated + C(zone)", family="auto"
    )
    assert res.family == "negbin" and "overdispersed" in res.family_reason


def test_marginal_rates_match_simple_rates_without_covariates():
    rng = np.random.default_rng(15)
    d = simulate(rng)
    res = rate_ratio_model(d, "y", "minutes", "activated", family="poisson")
    m = res.marginal_rates("activated").set_index("level")
    raw = d.groupby("activated").apply(
        lambda g: g["y"].sum() / g["minutes"].sum() * 60, include_groups=False
    )
    # with a saturated binary model the average prediction is the group's rate times mean exposure ratio;
    # check the ratio of marginal means equals the rate ratio instead
    assert m.loc[1, "rate"] / m.loc[0, "rate"] == pytest.approx(
        res.table.loc["activated", "rate_ratio"], rel=1e-9
    )
    assert raw.loc[1] / raw.loc[0] == pytest.approx(
        res.table.loc["activated", "rate_ratio"], rel=1e-6
    )
    assert (m["ci_low"] < m["rate"]).all() and (m["rate"] < m["ci_high"]).all()


def test_planted_effects_recovered_on_example(example_dir):
    from ..recovery import recovery_table

    t = recovery_table(example_dir)
    assert t["covered"].all(), t[~t["covered"]]


def test_unfittable_models_give_clear_messages():
    rng = np.random.default_rng(16)
    d = simulate(rng)
    with pytest.raises(ModelError, match="zero in every row"):
        rate_ratio_model(d.assign(y=0), "y", "minutes", "activated")
    with pytest.raises(ModelError, match="only one value"):
        rate_ratio_model(d.assign(activated=1), "y", "minutes", "activated")
    sep = d.copy()
    sep.loc[sep["activated"] == 1, "y"] = 0
    with pytest.raises(ModelError, match="perfect separation"):
        rate_ratio_model(sep, "y", "minutes", "activated")
    with pytest.raises(ModelError, match="exposure 'minutes' must be > 0"):
        rate_ratio_model(d.assign(minutes=0.0), "y", "minutes", "activated")
    with pytest.raises(ModelError, match="counts"):
        rate_ratio_model(d.assign(y=-1), "y", "minutes", "activated")
    with pytest.raises(ModelError, match="cannot build the model"):
        rate_ratio_model(d, "y", "minutes", "nonexistent")


def _coverage(theta, family, n_sim=200, seed=7):
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(n_sim):
        d = simulate(rng, theta=theta)
        lo, hi = rate_ratio_model(
            d, "y", "minutes", "activated + C(zone)", family=family
        ).table.loc["activated", ["ci_low", "ci_high"]]
        hits += lo <= 1.8 <= hi
    return hits / n_sim


@pytest.mark.parametrize("theta,family", [(None, "poisson"), (3.0, "negbin")])
def test_ci_coverage_simulation(theta, family):
    """Over 200 simulated data sets the 95% CI covers the true rate ratio 90-99% of the time."""
    assert 0.90 <= _coverage(theta, family) <= 0.99


def test_poisson_on_overdispersed_data_undercovers():
    """The check this test suite relies on can fail: naive Poisson CIs on overdispersed data miss."""
    assert _coverage(1.0, "poisson", n_sim=100) < 0.90


def test_missing_cluster_ids_are_named():
    # issue 15 fix 3: missing ids used to reach statsmodels as group -1 (pandas 3 factorize)
    rng = np.random.default_rng(17)
    d = simulate(rng).astype({"day": object})
    d.loc[[3, 8], "day"] = None
    with pytest.raises(
        ModelError, match=r"cluster column 'day' is missing in 2 row\(s\) \(rows 3, 8"
    ):
        rate_ratio_model(d, "y", "minutes", "activated", cluster="day")
    d.loc[[3, 8], "day"] = np.nan
    with pytest.raises(ModelError, match="missing in 2 row"):
        rate_ratio_model(d, "y", "minutes", "activated", cluster="day")


def _clustered(rng, G=10, per=12, rr=1.5, theta_day=4.0):
    """Sessions on G days; activation is a property of the day (half the days), and a
    gamma day effect (shape theta_day) makes sessions of one day move together."""
    day = np.repeat(np.arange(G), per)
    act = rng.permutation(np.r_[np.ones(G // 2), np.zeros(G - G // 2)])[day]
    zone = rng.choice(["a", "b", "c"], G * per)
    minutes = rng.choice([30.0, 45.0, 60.0], G * per)
    u = rng.gamma(theta_day, 1 / theta_day, G)[day]
    zf = pd.Series(zone).map({"a": 1.0, "b": 1.5, "c": 0.6}).to_numpy()
    y = rng.poisson(0.05 * minutes * zf * np.where(act == 1, rr, 1.0) * u)
    return pd.DataFrame({"y": y, "activated": act, "zone": zone, "minutes": minutes, "day": day})


def test_cluster_robust_coverage_with_10_clusters():
    """Issue 15 target: >= 90% coverage of the 95% CI with 10 clusters (t(G-1) intervals).

    200 simulated data sets; the same data with normal quantiles cover less (the audit
    found 84-85% in its design), so the comparison shows what the t reference buys."""
    rng = np.random.default_rng(2025)
    hits_t = hits_z = 0
    n_sim = 200
    for _ in range(n_sim):
        d = _clustered(rng)
        res = rate_ratio_model(
            d, "y", "minutes", "activated + C(zone)", family="poisson", cluster="day"
        )
        b = np.log(res.table.loc["activated", "rate_ratio"])
        se = res.result.bse["activated"]
        lo, hi = res.table.loc["activated", ["ci_low", "ci_high"]]
        hits_t += lo <= 1.5 <= hi
        hits_z += abs(b - np.log(1.5)) <= stats.norm.ppf(0.975) * se
    assert hits_t / n_sim >= 0.90, hits_t
    assert hits_t / n_sim <= 0.99, hits_t
    assert hits_z < hits_t


def test_auto_family_coverage_in_small_overdispersed_samples():
    """Issue 15 item 5: with 40 sessions of NB data (shape 3) the old rule fell back to
    Poisson model-based errors when the NB test did not reject (audit: coverage 0.88); the
    shared rule falls back to quasi-Poisson. 150 samples: coverage >= 0.90 and the fallback
    is exercised (seeded: 0.93 with about a quarter quasi-Poisson when written)."""
    rng = np.random.default_rng(99)
    hits, families = 0, []
    for _ in range(150):
        d = simulate(rng, n=40, theta=3.0)
        res = rate_ratio_model(d, "y", "minutes", "activated + C(zone)", family="auto")
        lo, hi = res.table.loc["activated", ["ci_low", "ci_high"]]
        hits += lo <= 1.8 <= hi
        families.append(res.family)
    assert hits / 150 >= 0.90, hits
    assert families.count("quasipoisson") >= 15, families.count("quasipoisson")
