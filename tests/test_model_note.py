"""The model note states the standard errors the fit actually used (issue 15, helper E's note).

The count model writes ``cov_type = "cluster-robust (CR1)"`` and the ITS
``"cluster-robust by period (CR1, N periods)"``; the note once compared with
``"cluster-robust"`` exactly and said "model-based" for every clustered fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.analyses.site import model_checks
from evaluation.stats import rate_ratio_model
from evaluation.stats.its import interrupted_time_series
from evaluation.tables import model_note


def _sessions(seed: int = 3, days: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(
        {
            "date": np.repeat([f"d{i}" for i in range(days)], 4),
            "activated": np.tile([0, 1, 0, 1], days),
            "minutes": 60,
        }
    )
    day = np.repeat(rng.gamma(2.0, 0.5, days), 4)  # a shared day effect
    d["y"] = rng.poisson(2.0 * day * np.where(d["activated"] == 1, 1.5, 1.0))
    return d


@pytest.mark.parametrize(
    "language, words",
    [("en", "cluster-robust (30 clusters)"), ("sv", "klusterrobusta (30 kluster)")],
)
def test_clustered_count_model_note_says_cluster_robust(language, words):
    res = rate_ratio_model(
        _sessions(), "y", "minutes", "activated", family="poisson", cluster="date"
    )
    assert res.fit["cov_type"].startswith("cluster-robust")
    note = model_note(res, language)
    assert words in note and "model-based" not in note and "modellbaserade" not in note


def test_unclustered_count_model_note_says_model_based():
    res = rate_ratio_model(_sessions(), "y", "minutes", "activated", family="poisson", cluster=None)
    assert "Standard errors: model-based." in model_note(res, "en")


def test_clustered_fit_passes_the_overdispersion_check():
    """The evidence rule's check: cluster-robust errors allow for any variance."""
    d = _sessions()
    clustered = rate_ratio_model(d, "y", "minutes", "activated", family="poisson", cluster="date")
    plain = rate_ratio_model(d, "y", "minutes", "activated", family="poisson", cluster=None)
    assert plain.fit["dispersion"] > 1.25  # the day effect overdisperses the counts
    checks = {c.name: c.passed for c in model_checks(clustered)}
    assert checks["overdispersion"] is True and checks["clusters"] is True
    assert {c.name: c.passed for c in model_checks(plain)}["overdispersion"] is False


def test_its_note_names_cluster_by_period_and_driscoll_kraay():
    rng = np.random.default_rng(5)
    months = pd.period_range("2016-01", periods=72, freq="M")
    rows = []
    for series, base in (("site", 40.0), ("comparison", 60.0)):
        rows += [
            {"month": m.to_timestamp(), "series": series, "count": rng.poisson(base)}
            for m in months
        ]
    d = pd.DataFrame(rows)
    common = dict(family="poisson", group="series", control="comparison")
    cl = interrupted_time_series(d, "month", "count", "2019-01", **common)
    dk = interrupted_time_series(d, "month", "count", "2019-01", **common, hac_lags=3)
    assert "cluster-robust by period (72 periods)" in model_note(cl, "en")
    assert "Driscoll–Kraay (3 lags)" in model_note(dk, "en")


def test_unknown_standard_errors_are_an_error_not_model_based():
    from types import SimpleNamespace as NS

    fit = {"n": 10, "dispersion": 1.0, "ct_p_value": 0.5, "n_clusters": 0, "cov_type": "bootstrap"}
    with pytest.raises(ValueError, match="bootstrap"):
        model_note(NS(family="poisson", fit=fit), "en")
