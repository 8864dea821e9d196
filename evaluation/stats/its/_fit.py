"""Fitting an interrupted time series: the covariance, the family's fit, the effects, the checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._family import CountFit, fit_count_family
from .._inference import describe_reference, reference_df, wald
from ._design import ITSDesign

__all__ = ["EFFECT_COLUMNS", "ITSFit", "fit_its", "its_effects", "its_checks_of"]

EFFECT_COLUMNS = ["rate_ratio", "ci_low", "ci_high", "p_value"]
#: The effects in the order of the table, and their terms (single ITS; comparative ITS).
EFFECT_TERMS = {
    "level_change": ("post", "treated_post"),
    "slope_change": ("post_time", "treated_post_time"),
    "baseline_trend": ("time", None),  # comparative: time + treated_time, see its_effects
    "control_level_change": (None, "post"),
    "control_slope_change": (None, "post_time"),
}


@dataclass
class ITSFit:
    """An ITS design fitted in its family, with the covariance and reference distribution.

    Attributes
    ----------
    count : CountFit
        The fit and the family choice (:func:`~evaluation.stats._family.fit_count_family`).
    cov_kind : str
        ``"model"``, ``"hac"``, ``"cluster"`` or ``"driscoll-kraay"``.
    n_time : int
        Periods in the fit.
    scale : float
        The scale used (quasi-Poisson's Pearson chi2/df, else 1).
    df_ci : float
        Degrees of freedom of the intervals (``inf``: normal).

    Examples
    --------
    >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
    >>> from evaluation.stats.its._design import its_design
    >>> f = fit_its(its_design(d, "t", "y", 12), "poisson", None, "t")
    >>> f.cov_kind, f.n_time, float(f.result.df_resid)
    ('model', 24, 20.0)
    """

    count: CountFit
    cov_kind: str
    n_time: int
    scale: float
    df_ci: float

    @property
    def result(self) -> Any:
        """The statsmodels GLMResults."""
        return self.count.result


def _covariance(design: ITSDesign, hac_lags: int | None) -> tuple[str, dict[str, Any]]:
    """The kind of covariance and ``GLM.fit``'s arguments for it.

    A comparative ITS is a panel of two series: same-month scores are summed
    before anything else (clustered by period, or Driscoll-Kraay).
    """
    fit_d = design.fit_data
    if design.comparative:
        tper = (fit_d["_per"] - fit_d["_per"].min()).to_numpy()
        if hac_lags is not None:
            return "driscoll-kraay", {
                "cov_type": "hac-groupsum",
                "cov_kwds": {"time": tper, "maxlags": int(hac_lags), "use_correction": False},
            }
        return "cluster", {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(tper)[0]}}
    if hac_lags is not None:
        return "hac", {"cov_type": "HAC", "cov_kwds": {"maxlags": int(hac_lags)}}
    return "model", {}


def fit_its(design: ITSDesign, family: str, hac_lags: int | None, ci: str) -> ITSFit:
    """Fit the design in the family of the shared rule, with the ITS's covariance.

    Parameters
    ----------
    design : ITSDesign
    family : {"auto", "poisson", "quasipoisson", "negbin"}
    hac_lags : int or None
    ci : {"t", "z"}

    Returns
    -------
    ITSFit

    Examples
    --------
    >>> from evaluation.stats.its._design import its_design
    >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
    >>> f = fit_its(its_design(d, "t", "y", 12), "quasipoisson", 2, "t")
    >>> f.cov_kind, round(f.scale, 2), f.df_ci
    ('hac', 1.2, 20.0)
    """
    import statsmodels.api as sm

    X, y, off = design.exog, design.endog, design.offset
    cov_kind, fit_kw = _covariance(design, hac_lags)
    count = fit_count_family(
        lambda fam: sm.GLM(y, X, family=fam, offset=off),
        lambda: sm.NegativeBinomial(y, X, offset=off, loglike_method="nb2"),
        family,
        nb_start_alpha=0.05,
        fit_kw=fit_kw,
    )
    chosen, res = count.family, count.result
    scale = float(res.scale) if chosen == "quasipoisson" else 1.0
    if cov_kind != "model" and chosen == "quasipoisson":
        scale = count.choice.dispersion
    n_time = int(design.fit_data["_per"].nunique())
    df_ci = reference_df(
        ci,
        cov="cluster" if cov_kind == "driscoll-kraay" else cov_kind,
        scale_estimated=chosen == "quasipoisson",
        df_resid=float(res.df_resid),
        n_clusters=n_time,
    )
    return ITSFit(count, cov_kind, n_time, scale, df_ci)


def _row(b: float, lo: float, hi: float, p: float) -> dict[str, float]:
    return {
        "rate_ratio": float(np.exp(b)),
        "ci_low": float(np.exp(lo)),
        "ci_high": float(np.exp(hi)),
        "p_value": float(p),
    }


def _treated_trend(res: Any, df_ci: float, level: float) -> dict[str, float]:
    """Baseline trend of the treated series in a comparative ITS: time + treated_time."""
    names = list(res.params.index)
    g = np.zeros(len(names))
    g[names.index("time")] = 1
    g[names.index("treated_time")] = 1
    b = float(g @ res.params.to_numpy())
    se = float(np.sqrt(g @ np.asarray(res.cov_params()) @ g))
    lo, hi, p = wald(b, se, df_ci, level)
    return _row(b, float(lo), float(hi), float(p))


def its_effects(fit: ITSFit, comparative: bool, level: float) -> pd.DataFrame:
    """The effects table: rate ratios with Wald intervals, in the order of :data:`EFFECT_TERMS`.

    Returns
    -------
    DataFrame
        Indexed by effect; ``rate_ratio``, ``ci_low``, ``ci_high``, ``p_value``.

    Examples
    --------
    >>> from evaluation.stats.its._design import its_design
    >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
    >>> f = fit_its(its_design(d, "t", "y", 12, slope_change=False), "poisson", None, "z")
    >>> its_effects(f, False, 0.95).index.tolist()
    ['level_change', 'baseline_trend']
    """
    res = fit.result
    lo, hi, p = wald(res.params, res.bse, fit.df_ci, level)
    index = list(res.params.index)
    rows = {}
    for name, (single, comp) in EFFECT_TERMS.items():
        col = comp if comparative else single
        if col is not None and col in index:
            i = index.index(col)
            rows[name] = _row(float(res.params.iloc[i]), lo[i], hi[i], p[i])
    if comparative:
        rows["baseline_trend"] = _treated_trend(res, fit.df_ci, level)
    order = [k for k in EFFECT_TERMS if k in rows]
    return pd.DataFrame.from_dict(rows, orient="index").loc[order, EFFECT_COLUMNS]


def _autocorrelation(fit: ITSFit, design: ITSDesign) -> dict[str, Any]:
    """Durbin-Watson and Ljung-Box of the Pearson residuals (of the treated series)."""
    from statsmodels.stats.diagnostic import acorr_ljungbox
    from statsmodels.stats.stattools import durbin_watson

    resid = np.asarray(fit.result.resid_pearson)
    if design.comparative:
        resid = resid[design.fit_data["treated"].to_numpy() == 1]
    lags = int(min(12, max(1, len(resid) // 4)))
    lb = acorr_ljungbox(resid, lags=[lags], return_df=True)
    return {
        "durbin_watson": float(durbin_watson(resid)),
        "ljung_box_lags": lags,
        "ljung_box_p": float(lb["lb_pvalue"].iloc[0]),
    }


def _cov_type(fit: ITSFit, hac_lags: int | None) -> str:
    return {
        "model": "model-based",
        "hac": f"Newey-West HAC ({hac_lags} lags)",
        "cluster": f"cluster-robust by period (CR1, {fit.n_time} periods)",
        "driscoll-kraay": f"Driscoll-Kraay ({hac_lags} lags, {fit.n_time} periods)",
    }[fit.cov_kind]


def its_checks_of(
    fit: ITSFit, design: ITSDesign, transition: int, hac_lags: int | None, ci: str
) -> dict[str, Any]:
    """The ``checks`` of an :class:`~evaluation.stats.its.ITSResult` (see there).

    Examples
    --------
    >>> from evaluation.stats.its._design import its_design
    >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
    >>> des = its_design(d, "t", "y", 12)
    >>> c = its_checks_of(fit_its(des, "poisson", None, "t"), des, 0, None, "t")
    >>> c["n_pre"], c["n_post"], c["cov_type"], c["reference"]
    (12, 12, 'model-based', 'normal')
    """
    res, choice = fit.result, fit.count.choice
    treated = design.treated_rows()["_per"]
    return {
        "dispersion": choice.dispersion,
        "scale": fit.scale,
        "alpha": fit.count.alpha,
        "ct_p_value": choice.ct_p_value,
        "ct_alpha": choice.ct_alpha,
        "mean_spread": choice.mean_spread,
        "dispersion_threshold": choice.threshold,
        **_autocorrelation(fit, design),
        "n_periods": int(design.data["_per"].nunique()),
        "n_pre": int((treated < design.t0).sum()),
        "n_post": int((treated >= design.t0).sum()),
        "transition_excluded": int(transition),
        "missing_periods": design.missing,
        "cov_type": _cov_type(fit, hac_lags),
        "deviance": float(res.deviance),
        "aic": float(res.aic) if np.isfinite(res.aic) else float("nan"),
        "time_kind": design.kind,
        "ci": ci,
        "reference": describe_reference(fit.df_ci),
        "df_ci": fit.df_ci,
        "df_resid": float(res.df_resid),
    }
