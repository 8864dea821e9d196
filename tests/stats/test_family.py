"""The one home of the count family (stats._family): the fit the count model and the ITS share."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from evaluation.errors import ModelError
from evaluation.stats import interrupted_time_series, rate_ratio_model
from evaluation.stats._family import check_family, fit_count_family


def _overdispersed(seed=0, n=300):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 2, n)
    X = np.column_stack([np.ones(n), x])
    y = rng.poisson(rng.gamma(2.0, np.exp(0.5 + x) / 2.0))  # NB2, alpha = 0.5
    return y, X


def test_negbin_is_glm_at_the_ml_alpha():
    # Independent computation: statsmodels' discrete NB2 maximum likelihood (as R's
    # MASS::glm.nb, theta = 1 / alpha); the GLM at that alpha has the same coefficients.
    y, X = _overdispersed()
    f = fit_count_family(
        lambda fam: sm.GLM(y, X, family=fam),
        lambda: sm.NegativeBinomial(y, X, loglike_method="nb2"),
        "negbin",
    )
    ml = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0)
    assert f.family == "negbin"
    assert f.alpha == pytest.approx(ml.params[-1], rel=1e-4)
    assert np.asarray(f.result.params) == pytest.approx(ml.params[:-1], rel=1e-4)


def test_quasipoisson_scale_is_pearson_chi2_over_df():
    y, X = _overdispersed(1)
    f = fit_count_family(lambda fam: sm.GLM(y, X, family=fam), None, "quasipoisson")
    pois = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    # R: summary(glm(y ~ x, family = quasipoisson))$dispersion = sum(pearson^2) / df.residual
    assert f.result.scale == pytest.approx(pois.pearson_chi2 / pois.df_resid, rel=1e-10)
    assert np.asarray(f.result.params) == pytest.approx(np.asarray(pois.params), rel=1e-10)
    assert np.isnan(f.alpha)


def test_negbin_without_its_model_is_a_clear_error():
    y, X = _overdispersed(2)
    with pytest.raises(ModelError, match="NB2 model"):
        fit_count_family(lambda fam: sm.GLM(y, X, family=fam), None, "negbin")
    with pytest.raises(ModelError, match="family 'gamma'"):
        check_family("gamma")


@pytest.mark.parametrize("family", ["auto", "negbin"])
def test_count_model_and_its_get_the_same_fit_for_the_same_design(family):
    """One series fitted as an ITS and as a count model with the ITS's design columns: the
    same family, the same NB alpha and the same level change (one fit, two callers). The
    series is overdispersed with flat means, so "auto" gives quasi-Poisson."""
    rng = np.random.default_rng(5)
    t = np.arange(48)
    mu = np.exp(3 + 0.01 * t - 0.4 * (t >= 24))
    d = pd.DataFrame({"t": t, "y": rng.poisson(rng.gamma(4.0, mu / 4.0))})
    its = interrupted_time_series(d, "t", "y", 24, family=family, slope_change=False, ci="z")
    m = d.assign(time=t.astype(float), post=(t >= 24).astype(float), one=1.0)
    cm = rate_ratio_model(m, "y", "one", "time + post", family=family, ci="z")
    assert its.family == cm.family == {"auto": "quasipoisson", "negbin": "negbin"}[family]
    assert its.checks["dispersion"] == pytest.approx(cm.fit["dispersion"], rel=1e-10)
    if family == "negbin":  # different starting values (0.05 and 0.1), the same maximum
        assert its.checks["alpha"] == pytest.approx(cm.fit["alpha"], rel=1e-4)
    lc, post = its.effects.loc["level_change"], cm.table.loc["post"]
    for col in ("rate_ratio", "ci_low", "ci_high"):
        assert lc[col] == pytest.approx(post[col], rel=1e-4)
