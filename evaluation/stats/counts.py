"""Count regression with exposure: rate ratios from Poisson or negative binomial GLMs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ModelError
from ._checks import check_outcome, check_separation
from ._family import CountFit, FamilyChoice, check_family, fit_count_family
from ._inference import FEW_CLUSTERS, check_ci, describe_reference, reference_df, wald

__all__ = ["rate_ratio_model", "RateRatioResult"]

TABLE_COLUMNS = ["rate_ratio", "ci_low", "ci_high", "p_value"]


@dataclass
class RateRatioResult:
    """A fitted rate-ratio model.

    Attributes
    ----------
    table : DataFrame
        Indexed by the model's term names (``Intercept`` excluded) with
        columns ``rate_ratio``, ``ci_low``, ``ci_high``, ``p_value``.
    family : str
        ``"poisson"``, ``"quasipoisson"`` or ``"negbin"`` (NB2).
    family_reason : str
        Why that family, with the numbers that decided it
        (:func:`~evaluation.stats._family.choose_family`).
    fit : dict
        ``n``, ``df_resid``, ``deviance``, ``pearson_chi2``, ``dispersion``
        (Pearson chi2 / df of the Poisson fit), ``scale`` (used), ``aic``,
        ``llf``, ``alpha`` (NB2 dispersion, NaN otherwise), ``ct_alpha``,
        ``ct_p_value`` (Cameron-Trivedi test), ``mean_spread``,
        ``n_clusters``, ``cov_type``, ``ci`` (``"t"`` or ``"z"``),
        ``reference`` (``"normal"`` or ``"t(df)"``), ``df_ci``.
    result : statsmodels GLMResults
    warnings : list of str
        E.g. few clusters; also in :meth:`summary`.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"activated": np.repeat([0, 1], 200), "minutes": 60.0})
    >>> d["y"] = rng.poisson(2.0 * np.where(d.activated == 1, 1.5, 1.0))
    >>> res = rate_ratio_model(d, "y", "minutes", "activated", family="poisson")
    >>> res.family, res.fit["cov_type"], res.warnings
    ('poisson', 'model-based', [])
    """

    table: pd.DataFrame
    family: str
    family_reason: str
    fit: dict[str, Any]
    result: Any = field(repr=False)
    formula: str = ""
    data: pd.DataFrame | None = field(default=None, repr=False)
    exposure: str = ""
    level: float = 0.95
    warnings: list[str] = field(default_factory=list)
    choice: FamilyChoice | None = field(default=None, repr=False)

    def summary(self) -> str:
        """The fit in words: formula, family and why, fit statistics, errors, rate ratios.

        Examples
        --------
        >>> rng = np.random.default_rng(1)
        >>> d = pd.DataFrame({"activated": np.repeat([0, 1], 200), "minutes": 60.0})
        >>> d["y"] = rng.poisson(2.0 * np.where(d.activated == 1, 1.5, 1.0))
        >>> print(rate_ratio_model(d, "y", "minutes", "activated", family="poisson").summary().splitlines()[-1])
          activated: rate ratio 1.653 (95% CI 1.455-1.879), p = 1.19e-14
        """
        f = self.fit
        pct = f"{self.level * 100:g}%"
        lines = [
            f"{self.formula}  (family: {self.family}; offset log({self.exposure}))",
            f"why this family: {self.family_reason}",
            f"n = {f['n']}, residual df = {f['df_resid']:g}, deviance = {f['deviance']:.1f}, Pearson chi2/df = {f['dispersion']:.2f}, scale used = {f['scale']:.3f}, AIC = {f['aic']:.1f}",
            f"standard errors: {f['cov_type']}"
            + (f" ({f['n_clusters']} clusters)" if f["n_clusters"] else "")
            + f"; intervals and p-values from the {f['reference']} distribution",
        ]
        for term, row in self.table.iterrows():
            lines.append(
                f"  {term}: rate ratio {row.rate_ratio:.3f} ({pct} CI {row.ci_low:.3f}-{row.ci_high:.3f}), p = {row.p_value:.3g}"
            )
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def marginal_rates(
        self, variable: str, levels: Sequence[Any] | None = None, per: float = 60.0
    ) -> pd.DataFrame:
        """Predicted rates per level of ``variable``, averaged over the data (marginal means).

        Every row of the data is predicted with ``variable`` set to each
        level, at exposure ``per`` (60: per hour when exposure is minutes);
        the mean is reported with a delta-method CI on the log scale, using
        the model's (e.g. cluster-robust) covariance and the same reference
        distribution as the rate ratios (``fit["reference"]``).

        Returns
        -------
        DataFrame
            ``variable``, ``level``, ``rate``, ``ci_low``, ``ci_high``.

        Examples
        --------
        >>> rng = np.random.default_rng(1)
        >>> d = pd.DataFrame({"activated": np.repeat([0, 1], 200), "minutes": 60.0})
        >>> d["y"] = rng.poisson(2.0 * np.where(d.activated == 1, 1.5, 1.0))
        >>> res = rate_ratio_model(d, "y", "minutes", "activated", family="poisson")
        >>> res.marginal_rates("activated").round(2)
            variable  level  rate  ci_low  ci_high
        0  activated      0  1.89    1.71     2.09
        1  activated      1  3.12    2.89     3.38
        """
        from patsy import dmatrix

        res = self.result
        data = self.data
        if data is None:
            raise ModelError("this result keeps no data: refit it to get marginal rates")
        if levels is None:
            levels = sorted(data[variable].dropna().unique())
        design_info = (
            res.model.data.orig_exog.design_info
            if hasattr(res.model.data.orig_exog, "design_info")
            else res.model.data.design_info
        )
        V = np.asarray(res.cov_params())
        beta = np.asarray(res.params)
        df_ci = self.fit.get("df_ci", float("inf"))
        z = (stats.norm if not np.isfinite(df_ci) else stats.t(df_ci)).ppf(0.5 + self.level / 2)
        rows = []
        for lv in levels:
            d = data.copy()
            d[variable] = lv
            X = np.asarray(dmatrix(design_info, d, return_type="dataframe"))
            mu = np.exp(X @ beta) * per
            m = mu.mean()
            grad = (mu[:, None] * X).mean(axis=0)
            se = float(np.sqrt(grad @ V @ grad))
            rows.append(
                {
                    "variable": variable,
                    "level": lv,
                    "rate": m,
                    "ci_low": m * np.exp(-z * se / m),
                    "ci_high": m * np.exp(z * se / m),
                }
            )
        return pd.DataFrame(rows, columns=["variable", "level", "rate", "ci_low", "ci_high"])


def rate_ratio_model(
    df: pd.DataFrame,
    outcome: str,
    exposure: str,
    formula_rhs: str,
    family: str = "auto",
    cluster: str | None = None,
    level: float = 0.95,
    ci: str = "t",
) -> RateRatioResult:
    """Rate ratios from a count GLM with offset log(exposure).

    Parameters
    ----------
    df : DataFrame
        One row per unit (e.g. session) with the outcome count, the exposure
        and the covariates.
    outcome, exposure : str
        Column names; exposure > 0 (e.g. observed minutes).
    formula_rhs : str
        patsy right-hand side, e.g. ``"activated + C(zone)"``.
    family : {"auto", "poisson", "quasipoisson", "negbin"}
        ``"auto"`` applies the rule shared with the interrupted time series
        (:func:`~evaluation.stats._family.choose_family`): Poisson when
        Pearson chi2/df <= 1.2; negative binomial (NB2) when it is higher,
        the Cameron-Trivedi test rejects equidispersion (p < 0.05) and the
        fitted means span more than a factor 3; quasi-Poisson otherwise. The
        reason, with its numbers, is in ``family_reason``.
    cluster : str, optional
        Column of cluster ids (e.g. the date: sessions on one day are not
        independent) for cluster-robust standard errors. Every row needs one.
    level : float
        Confidence level.
    ci : {"t", "z"}
        Reference distribution of the Wald intervals and p-values. ``"t"``
        (default): t(G - 1) with clusters, t(n - k) for quasi-Poisson, the
        normal for Poisson and NB with model-based errors (as R's
        ``summary.glm``). ``"z"``: the normal throughout.

    Returns
    -------
    RateRatioResult
        ``.table`` (``rate_ratio``, ``ci_low``, ``ci_high``, ``p_value`` by
        term), ``.fit`` (checks), ``.summary()``, ``.marginal_rates()``.

    Raises
    ------
    ModelError
        All-zero outcome, a term with one value only (e.g. one activation
        state), perfect separation, non-positive exposure.

    Notes
    -----
    log E[y] = log(exposure) + X b; exp(b) is the rate ratio. NB2 has
    Var(y) = mu + alpha mu^2; alpha is estimated by maximum likelihood
    (statsmodels ``NegativeBinomial``) and the GLM is then fitted with that
    alpha, as R's ``MASS::glm.nb`` (whose ``theta`` is 1 / alpha).
    Quasi-Poisson: the Poisson estimates, the variance scaled by Pearson
    chi2 / (n - k) (R ``glm(..., family = quasipoisson)``).

    Conventions, with the equivalent R and Stata calls:

    - Cluster-robust covariance (CR1): (X'WX)^-1 (sum_g s_g s_g') (X'WX)^-1
      times G/(G-1) (n-1)/(n-k), s_g the summed score of cluster g. This
      is Stata ``regress, vce(cluster g)`` and R ``sandwich::vcovCL(fit,
      cluster = ~g, type = "HC1")``; Stata ``poisson, vce(cluster g)`` uses
      G/(G-1) only, so its intervals are narrower by sqrt((n-1)/(n-k)).
      The scale does not enter it, so quasi-Poisson and Poisson share it.
    - Intervals: with clusters and ``ci="t"``, t(G - 1) quantiles (Stata
      ``regress, vce(cluster)``; R ``lmtest::coeftest(fit, vcov =
      vcovCL(fit, cluster = ~g, type = "HC1"), df = G - 1)`` and
      ``coefci`` likewise). In a simulation with 10 clusters and a
      cluster-level activation (tests/stats/test_counts.py) the normal
      interval covered 89-90% and t(G - 1) 94-95%; a CR2 (Bell-McCaffrey)
      correction added under one point and is not offered. With fewer than
      30 clusters the result carries a warning.
    - Without clusters: quasi-Poisson uses t(n - k) as R's ``summary.glm``
      and ``confint.default`` with ``qt``; Poisson and NB use the normal
      (R ``confint.default(fit)``; profile intervals from R's
      ``confint(fit)`` differ slightly).

    References
    ----------
    Cameron AC, Trivedi PK. Regression-based tests for overdispersion in the
    Poisson model. J Econometrics 1990;46:347-364.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"activated": np.repeat([0, 1], 200), "minutes": 60.0})
    >>> d["y"] = rng.poisson(2.0 * np.where(d.activated == 1, 1.5, 1.0))
    >>> res = rate_ratio_model(d, "y", "minutes", "activated", family="poisson")
    >>> res.table.round(3)
               rate_ratio  ci_low  ci_high  p_value
    activated       1.653   1.455    1.879      0.0
    >>> res.family, res.fit["n"]
    ('poisson', 400)
    """
    check_family(family)
    check_ci(ci)
    check_outcome(df, outcome, exposure)
    data = df.reset_index(drop=True).copy()
    data[outcome] = pd.to_numeric(data[outcome])
    formula = f"{outcome} ~ {formula_rhs}"
    _check_design(formula, data)
    offset = np.log(data[exposure].astype(float).to_numpy())
    fit_kw, n_clusters = _cluster_covariance(data, cluster)
    count = _fit(formula, data, offset, family, fit_kw)
    res, choice, reason = count.result, count.choice, count.reason
    if count.family == "poisson" and choice.dispersion > choice.threshold and cluster is not None:
        reason += " (the cluster-robust errors do not rely on the Poisson variance)"
    df_ci = reference_df(
        ci,
        cov="cluster" if cluster is not None else "model",
        scale_estimated=count.family == "quasipoisson",
        df_resid=float(res.df_resid),
        n_clusters=n_clusters,
    )
    table = _rate_ratios(res, df_ci, level)
    fit = _fit_summary(count, n_clusters, ci, df_ci)
    notes = _cluster_notes(cluster, n_clusters, ci)
    return RateRatioResult(
        table, count.family, reason, fit, res, formula, data, exposure, level, notes, choice
    )


def _check_design(formula: str, data: pd.DataFrame) -> None:
    """Refuse a formula patsy cannot build, rows with missing covariates, separation, too few rows."""
    from patsy import PatsyError, dmatrices

    try:
        y, X = dmatrices(formula, data, return_type="dataframe")
    except PatsyError as exc:
        raise ModelError(f"cannot build the model {formula!r}: {exc}") from None
    if len(y) != len(data):
        raise ModelError(
            f"{len(data) - len(y)} rows have missing covariates; fill or drop them first"
        )
    check_separation(y.iloc[:, 0].to_numpy(), X)
    if X.shape[1] >= len(y):
        raise ModelError(f"{X.shape[1]} parameters for {len(y)} rows: too few data for this model")


def _cluster_covariance(data: pd.DataFrame, cluster: str | None) -> tuple[dict[str, Any], int]:
    """``GLM.fit``'s covariance arguments (cluster-robust by ``cluster``) and the number of clusters."""
    if cluster is None:
        return {"cov_type": "nonrobust", "cov_kwds": None}, 0
    if cluster not in data:
        raise ModelError(f"no column {cluster!r} for the clusters")
    missing = data[cluster].isna().to_numpy()
    if missing.any():
        rows = np.flatnonzero(missing)
        raise ModelError(
            f"cluster column {cluster!r} is missing in {len(rows)} row(s) "
            f"(rows {', '.join(map(str, rows[:10]))}{' ...' if len(rows) > 10 else ''}, "
            "counted from 0 in the model data): expected a cluster id (e.g. the date) "
            "in every row; fill or drop those rows"
        )
    groups = pd.factorize(data[cluster].astype(str))[0]
    n_clusters = int(groups.max() + 1)
    if n_clusters < 2:
        raise ModelError("cluster-robust errors need at least 2 clusters")
    return {"cov_type": "cluster", "cov_kwds": {"groups": groups}}, n_clusters


def _fit(
    formula: str, data: pd.DataFrame, offset: np.ndarray, family: str, fit_kw: dict[str, Any]
) -> CountFit:
    """The formula's GLM in the family of the shared rule (:func:`~._family.fit_count_family`)."""
    import statsmodels.formula.api as smf

    return fit_count_family(
        lambda fam: smf.glm(formula, data, family=fam, offset=offset),
        lambda: smf.negativebinomial(formula, data, offset=offset, loglike_method="nb2"),
        family,
        nb_start_alpha=0.1,
        fit_kw=fit_kw,
    )


def _rate_ratios(res: Any, df_ci: float, level: float) -> pd.DataFrame:
    lo, hi, p = wald(res.params, res.bse, df_ci, level)
    table = pd.DataFrame(
        {
            "rate_ratio": np.exp(res.params),
            "ci_low": np.exp(lo),
            "ci_high": np.exp(hi),
            "p_value": p,
        },
        index=res.params.index,
    ).drop(index="Intercept", errors="ignore")[TABLE_COLUMNS]
    if not np.isfinite(table.to_numpy()).all():
        raise ModelError(
            "the fit gave non-finite estimates (near-separation or too few data): "
            + ", ".join(table.index[~np.isfinite(table.to_numpy()).all(axis=1)])
        )
    return table


def _fit_summary(count: CountFit, n_clusters: int, ci: str, df_ci: float) -> dict[str, Any]:
    res, choice = count.result, count.choice
    return {
        "n": int(res.nobs),
        "df_resid": float(res.df_resid),
        "deviance": float(res.deviance),
        "pearson_chi2": float(res.pearson_chi2),
        "dispersion": choice.dispersion,
        "dispersion_final": float(res.pearson_chi2 / res.df_resid) if res.df_resid > 0 else np.nan,
        "scale": float(res.scale),
        "aic": float(res.aic) if np.isfinite(res.aic) else float("nan"),
        "llf": float(res.llf) if np.isfinite(res.llf) else float("nan"),
        "alpha": count.alpha,
        "ct_alpha": choice.ct_alpha,
        "ct_p_value": choice.ct_p_value,
        "mean_spread": choice.mean_spread,
        "n_clusters": n_clusters,
        "cov_type": "cluster-robust (CR1)" if n_clusters else "model-based",
        "ci": ci,
        "reference": describe_reference(df_ci),
        "df_ci": df_ci,
    }


def _cluster_notes(cluster: str | None, n_clusters: int, ci: str) -> list[str]:
    if cluster is None or n_clusters >= FEW_CLUSTERS:
        return []
    return [
        f"only {n_clusters} clusters in {cluster!r}: cluster-robust intervals are "
        f"approximate with fewer than {FEW_CLUSTERS}"
        + (
            f" (the t({n_clusters - 1}) reference widens them for that)"
            if ci == "t"
            else "; with ci='z' they are too narrow, use ci='t'"
        )
    ]
