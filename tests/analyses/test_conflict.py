"""Method conflict as a rate per observed hour: the clustered ratio estimator and its purpose."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from evaluation.analyses.conflict import (
    conflict_per_session,
    method_conflict_rate_ratio,
    method_conflict_rates,
)
from evaluation.stats.rates import clustered_rate_table, poisson_ci


def _sessions(seed=5, n=240, days=30):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(
        {
            "session_id": [f"s{i}" for i in range(n)],
            "date": rng.integers(0, days, n).astype(str),
            "activation": rng.choice(["none", "art"], n),
            "zone": rng.choice(["a", "b"], n),
            "minutes": rng.choice([30.0, 45.0, 60.0], n),
        }
    )
    d["activated"] = (d["activation"] != "none").astype(int)
    day = rng.gamma(3, 1 / 3, days)[d["date"].astype(int)]
    d["target_staying"] = rng.poisson(0.03 * d["minutes"] * day)
    d["drug_sale"] = rng.poisson(0.02 * d["minutes"] * day)
    return d


def test_rate_interval_equals_clustered_intercept_only_poisson():
    # Independent oracle: statsmodels GLM y ~ 1, Poisson, offset log(hours), cluster-robust by
    # date (CR1; with one parameter (n-1)/(n-k) = 1), then exp(b -/+ qt(0.975, G-1) se), as
    # R: coefci(glm(y ~ 1, offset = log(h), family = poisson),
    #           vcov = vcovCL(fit, cluster = ~date, type = "HC1"), df = G - 1)
    d = conflict_per_session(_sessions())
    t = method_conflict_rates(d, ["activation"]).set_index("activation")
    for act in ("art", "none"):
        g = d[d["activation"] == act]
        y = g["co_presence_sales"].to_numpy(float)
        fit = sm.GLM(
            y, np.ones((len(g), 1)), family=sm.families.Poisson(), offset=np.log(g["minutes"] / 60)
        ).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(g["date"])[0]})
        G = g["date"].nunique()
        q = stats.t.ppf(0.975, G - 1)
        b, se = fit.params[0], fit.bse[0]
        assert t.loc[act, "rate"] == pytest.approx(np.exp(b), rel=1e-8)
        assert t.loc[act, "ci_low"] == pytest.approx(np.exp(b - q * se), rel=1e-6)
        assert t.loc[act, "ci_high"] == pytest.approx(np.exp(b + q * se), rel=1e-6)
        assert (
            t.loc[act, "clusters"] == G and t.loc[act, "ci_method"] == f"cluster-robust t({G - 1})"
        )
        # rate = share of hours with the girls present x sales per hour while present
        share = t.loc[act, "hours_target_present"] / t.loc[act, "hours"]
        assert t.loc[act, "rate"] == pytest.approx(share * t.loc[act, "rate_while_present"])


def test_rate_does_not_depend_on_session_length():
    """Sessions of 30 and 90 minutes: equal sales per hour give equal rates whatever the
    session length, and a share of sessions "with a sale" can double while the rate per hour
    falls (the defect of the share-of-sessions measure)."""
    n = 60
    d = pd.DataFrame(
        {
            "session_id": range(2 * n),
            "date": np.tile(np.arange(20), 6).astype(str),
            "group": ["short"] * n + ["long"] * n,
            "minutes": [30.0] * n + [90.0] * n,
            "target_staying": 1,
            # every 2nd session has sales: 1 in a 30-minute one, 3 in a 90-minute one
            "drug_sale": [1, 0] * (n // 2) + [3, 0] * (n // 2),
        }
    )
    t = method_conflict_rates(d, ["group"]).set_index("group")
    assert t.loc["short", "rate"] == pytest.approx(t.loc["long", "rate"]) == pytest.approx(1.0)
    d2 = d.assign(drug_sale=np.r_[[1, 0] * (n // 2), [1, 1] * (n // 2)])
    share = (d2["drug_sale"] > 0).groupby(d2["group"]).mean()
    assert share["long"] == 2 * share["short"]  # the share-of-sessions measure "doubles"
    t2 = method_conflict_rates(d2, ["group"]).set_index("group")
    assert t2.loc["long", "rate"] < t2.loc["short", "rate"]  # per hour, long sessions see less


def test_few_events_use_the_exact_interval():
    d = pd.DataFrame(
        {"y": [0, 1, 0, 2], "minutes": [60.0] * 4, "date": ["a", "a", "b", "c"], "g": 1}
    )
    t = clustered_rate_table(d, "y", "minutes", ["g"], "date")
    lo, hi = poisson_ci(3, 4.0)
    assert t.loc[0, "ci_low"] == pytest.approx(float(lo)) and t.loc[0, "ci_high"] == pytest.approx(
        float(hi)
    )
    assert t.loc[0, "ci_method"].startswith("exact Poisson")
    t0 = clustered_rate_table(d.assign(y=0), "y", "minutes", ["g"], "date")
    assert t0.loc[0, "ci_low"] == 0 and t0.loc[0, "rate"] == 0


def test_on_example_by_activation_and_zone(example_ds):
    from evaluation.analyses.site import analyse_site

    site = analyse_site(example_ds)
    a = method_conflict_rates(site, ["activation"])
    z = method_conflict_rates(site, ["zone"])
    assert set(a["activation"]) == {"none", "art", "event", "park"}
    assert a["sessions"].sum() == z["sessions"].sum() == len(site.per_session)
    assert (a["co_presence_sales"] <= a["sales"]).all()
    assert ((a["ci_low"] <= a["rate"]) & (a["rate"] <= a["ci_high"])).all()
    rr = method_conflict_rate_ratio(site)
    assert "activated" in rr.table.index and rr.fit["n_clusters"] > 1
