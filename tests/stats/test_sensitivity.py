"""Model-level sensitivity tables: each row is the fit it claims to be."""

import warnings

import numpy as np
import pandas as pd
import pytest

from evaluation.stats import interrupted_time_series, rate_ratio_model
from evaluation.stats.its import ITSWarning
from evaluation.stats.sensitivity import (
    SENSITIVITY_COLUMNS,
    direction_robust,
    its_sensitivity,
    placebo_dates,
    rate_ratio_sensitivity,
)


def _series(seed=0, n=72, cut=48, level=0.7):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    mu = 60 * 1.002**t * np.where(t >= cut, level, 1.0) * np.exp(0.2 * np.cos(2 * np.pi * t / 12))
    months = pd.period_range("2015-01", periods=n, freq="M").astype(str)
    return pd.DataFrame({"month": months, "y": rng.poisson(mu)}), months[cut]


def test_its_rows_are_the_fits_they_name():
    d, start = _series()
    s = its_sensitivity(
        d,
        "month",
        "y",
        start,
        effects=("level_change", "slope_change"),
        estimate="x",
        its_end="2020-06",
        alternative_ends=[None],
        placebos=["2017-01"],
    )
    assert list(s.columns) == SENSITIVITY_COLUMNS
    row = s.set_index(["estimate", "variant"])

    def its(data, **kw):
        args = {"family": "auto", "seasonality": "fourier", **kw}
        return interrupted_time_series(data, "month", "y", **args).effects

    main = its(d[d["month"] <= "2020-06"], intervention=start)
    assert row.loc[("x.level_change", "main"), "value"] == pytest.approx(
        main.loc["level_change", "rate_ratio"], rel=1e-12
    )
    assert row.loc[("x.slope_change", "main"), "ci_high"] == pytest.approx(
        main.loc["slope_change", "ci_high"], rel=1e-12
    )
    whole = its(d, intervention=start)
    assert row.loc[("x.level_change", "its_end=none"), "value"] == pytest.approx(
        whole.loc["level_change", "rate_ratio"], rel=1e-12
    )
    noseas = its(d[d["month"] <= "2020-06"], intervention=start, seasonality=None)
    assert row.loc[("x.level_change", "seasonality=none"), "ci_low"] == pytest.approx(
        noseas.loc["level_change", "ci_low"], rel=1e-12
    )
    # the placebo is fitted on the pre-period only, with the placebo date as intervention
    plac = its(d[d["month"] < start], intervention="2017-01")
    assert row.loc[("x.level_change", "placebo=2017-01"), "value"] == pytest.approx(
        plac.loc["level_change", "rate_ratio"], rel=1e-12
    )
    assert ("x.slope_change", "placebo=2017-01") not in row.index
    assert {"transition=3", "family=negbin"} <= set(s["variant"])


def test_its_variant_that_cannot_be_fitted_is_nan_with_reason():
    d, start = _series(n=60, cut=50)  # 10 periods after: a 3-period transition leaves 7
    s = its_sensitivity(d, "month", "y", start, placebos=0)
    bad = s[s["variant"] == "transition=3"]
    assert bad["value"].isna().all()
    assert "too short a series" in s.attrs["errors"]["transition=3"]


def test_placebo_dates_leave_room_on_both_sides():
    d, _ = _series()
    dates = placebo_dates(d, "month", "2019-01", n=4)
    assert len(dates) == 4
    assert all("2015-09" <= x <= "2018-05" for x in dates)
    assert placebo_dates(d.iloc[:20], "month", "2016-04") == []


def test_placebo_without_intervention_is_rarely_significant():
    """Over 40 series with no effect at all, placebo level changes exclude 1 at about the
    nominal 5% rate (at most 6 of 40 allowed; a test that can fail: a 0.6 step is found)."""
    hits = 0
    for seed in range(40):
        d, start = _series(seed=seed, level=1.0)
        s = its_sensitivity(d, "month", "y", start, families=(), transitions=(), placebos=1)
        p = s[s["variant"].str.startswith("placebo=")].iloc[0]
        hits += not (p.ci_low <= 1 <= p.ci_high)
    assert hits <= 6, hits
    d, start = _series(seed=1, level=0.6, cut=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ITSWarning)
        s = its_sensitivity(d, "month", "y", "2019-01", placebos=["2017-07"], families=())
    p = s[s["variant"] == "placebo=2017-07"].iloc[0]
    assert p.ci_high < 1  # the real step at 2017-07 shows up as a "placebo" effect


def _sessions(seed=3, n=400):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(
        {
            "activation": rng.choice(["none", "art", "event"], n),
            "zone": rng.choice(["a", "b", "c"], n),
            "daypart": rng.choice(["am", "pm"], n),
            "minutes": rng.choice([30.0, 60.0], n),
            "date": rng.integers(0, 40, n).astype(str),
        }
    )
    d["activated"] = (d["activation"] != "none").astype(int)
    rr = d["activation"].map({"none": 1.0, "art": 2.0, "event": 0.8})
    d["y"] = rng.poisson(0.04 * d["minutes"] * rr)
    return d


def test_rate_ratio_rows_are_the_fits_they_name():
    d = _sessions()
    s = rate_ratio_sensitivity(
        d,
        "y",
        "minutes",
        "activated",
        covariate_sets={"zone": "C(zone)", "zone+daypart": "C(zone) + C(daypart)"},
        cluster="date",
        kind_column="activation",
    )
    row = s.set_index("variant")
    main = rate_ratio_model(d, "y", "minutes", "activated + C(zone)", cluster="date")
    assert row.loc["main", "value"] == pytest.approx(main.table.loc["activated", "rate_ratio"])
    assert row.loc["main", "ci_low"] == pytest.approx(main.table.loc["activated", "ci_low"])
    noc = rate_ratio_model(d, "y", "minutes", "activated + C(zone)")
    assert row.loc["clusters=none", "ci_low"] == pytest.approx(noc.table.loc["activated", "ci_low"])
    art = d[d["activation"].isin(["none", "art"])].assign(
        activated=lambda x: (x["activation"] == "art").astype(int)
    )
    ref = rate_ratio_model(art, "y", "minutes", "activated + C(zone)", cluster="date")
    assert row.loc["activation=art", "value"] == pytest.approx(
        ref.table.loc["activated", "rate_ratio"]
    )
    # the kinds differ (planted 2.0 and 0.8), which "any activation" hides
    assert row.loc["activation=art", "ci_low"] > 1 > row.loc["activation=event", "value"]
    assert "covariates=zone+daypart" in row.index and "family=negbin" in row.index


def test_direction_rule():
    t = pd.DataFrame(
        {
            "estimate": "e",
            "variant": ["main", "family=negbin", "placebo=2017-01"],
            "value": [0.8, 1.1, 0.5],
            "ci_low": [0.7, 0.9, 0.3],
            "ci_high": [0.9, 1.3, 0.8],
        }
    )
    assert direction_robust(t) is False  # a variant's point estimate crosses 1
    t.loc[1, "value"] = 0.95
    assert direction_robust(t) is True  # placebos are not variants of the estimate
    t.loc[0, "ci_high"] = 1.05
    assert direction_robust(t) is None  # no direction to keep
