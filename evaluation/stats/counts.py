"""Count regression with exposure: rate ratios from Poisson or negative binomial GLMs."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ModelError
from ._checks import cameron_trivedi, check_outcome, check_separation, fit_nb2_alpha

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
        ``"poisson"`` or ``"negbin"`` (NB2).
    family_reason : str
        Why that family (the overdispersion check).
    fit : dict
        ``n``, ``df_resid``, ``deviance``, ``pearson_chi2``, ``dispersion``
        (Pearson chi2 / df of the Poisson fit), ``aic``, ``llf``, ``alpha``
        (NB2 dispersion, NaN for Poisson), ``ct_alpha``, ``ct_p_value``
        (Cameron-Trivedi test), ``n_clusters``, ``cov_type``.
    result : statsmodels GLMResults
    """

    table: pd.DataFrame
    family: str
    family_reason: str
    fit: dict
    result: object = field(repr=False)
    formula: str = ""
    data: pd.DataFrame = field(default=None, repr=False)
    exposure: str = ""
    level: float = 0.95

    def summary(self) -> str:
        f = self.fit
        lines = [
            f"{self.formula}  (family: {self.family}; offset log({self.exposure}))",
            f"why this family: {self.family_reason}",
            f"n = {f['n']}, residual df = {f['df_resid']}, deviance = {f['deviance']:.1f}, Pearson chi2/df = {f['dispersion']:.2f}, AIC = {f['aic']:.1f}",
            f"standard errors: {f['cov_type']}"
            + (f" ({f['n_clusters']} clusters)" if f["n_clusters"] else ""),
        ]
        for term, row in self.table.iterrows():
            lines.append(
                f"  {term}: rate ratio {row.rate_ratio:.3f} (95% CI {row.ci_low:.3f}-{row.ci_high:.3f}), p = {row.p_value:.3g}"
            )
        return "\n".join(lines)

    def marginal_rates(self, variable: str, levels=None, per: float = 60.0) -> pd.DataFrame:
        """Predicted rates per level of ``variable``, averaged over the data (marginal means).

        Every row of the data is predicted with ``variable`` set to each
        level, at exposure ``per`` (60: per hour when exposure is minutes);
        the mean is reported with a delta-method CI on the log scale, using
        the model's (e.g. cluster-robust) covariance.

        Returns
        -------
        DataFrame
            ``variable``, ``level``, ``rate``, ``ci_low``, ``ci_high``.
        """
        from patsy import dmatrix

        res = self.result
        data = self.data
        if levels is None:
            levels = sorted(data[variable].dropna().unique())
        design_info = (
            res.model.data.orig_exog.design_info
            if hasattr(res.model.data.orig_exog, "design_info")
            else res.model.data.design_info
        )
        V = np.asarray(res.cov_params())
        beta = np.asarray(res.params)
        z = stats.norm.ppf(0.5 + self.level / 2)
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
    dispersion_threshold: float = 1.25,
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
    family : {"auto", "poisson", "negbin"}
        ``"auto"`` fits Poisson, and switches to negative binomial (NB2) when
        the Pearson chi2/df exceeds ``dispersion_threshold`` and the
        Cameron-Trivedi test rejects equidispersion (p < 0.05); the reason is
        in ``family_reason``.
    cluster : str, optional
        Column of cluster ids (e.g. the date: sessions on one day are not
        independent) for cluster-robust standard errors.
    level : float
        Confidence level.

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
    alpha. Wald CIs use the normal distribution; with clusters, statsmodels'
    small-sample correction applies. Few clusters (< 30) make cluster-robust
    CIs too narrow.

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
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    from patsy import PatsyError, dmatrices

    if family not in ("auto", "poisson", "negbin"):
        raise ModelError(f"family {family!r}: expected auto, poisson or negbin")
    check_outcome(df, outcome, exposure)
    data = df.reset_index(drop=True).copy()
    data[outcome] = pd.to_numeric(data[outcome])
    formula = f"{outcome} ~ {formula_rhs}"
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
    offset = np.log(data[exposure].astype(float).to_numpy())

    cov_type, cov_kwds, n_clusters = "nonrobust", {}, 0
    if cluster is not None:
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
        cov_type, cov_kwds = "cluster", {"groups": groups}

    pois = smf.glm(formula, data, family=sm.families.Poisson(), offset=offset).fit()
    dispersion = float(pois.pearson_chi2 / pois.df_resid) if pois.df_resid > 0 else np.nan
    ct = cameron_trivedi(pois.model.endog, pois.fittedvalues)
    chosen = family
    if family == "auto":
        if dispersion > dispersion_threshold and ct["p_value"] < 0.05:
            chosen = "negbin"
            reason = f"Pearson chi2/df = {dispersion:.2f} > {dispersion_threshold} and the Cameron-Trivedi test rejects equidispersion (p = {ct['p_value']:.2g}): overdispersed, so negative binomial"
        else:
            chosen = "poisson"
            reason = f"Pearson chi2/df = {dispersion:.2f} (Cameron-Trivedi p = {ct['p_value']:.2g}): no material overdispersion, so Poisson"
    else:
        reason = f"family={family} requested; Pearson chi2/df of the Poisson fit = {dispersion:.2f}"
        if family == "poisson" and dispersion > dispersion_threshold and cov_type == "nonrobust":
            reason += " (overdispersed: Poisson CIs are too narrow; use negbin or clusters)"

    alpha = np.nan
    if chosen == "negbin":
        alpha, converged = fit_nb2_alpha(
            lambda: smf.negativebinomial(formula, data, offset=offset, loglike_method="nb2"),
            np.append(pois.params.to_numpy(), 0.1),
        )
        if not converged:
            reason += " (warning: the NB dispersion fit did not fully converge)"
        fam = sm.families.NegativeBinomial(alpha=alpha)
    else:
        fam = sm.families.Poisson()
    res = smf.glm(formula, data, family=fam, offset=offset).fit(
        cov_type=cov_type, cov_kwds=cov_kwds or None
    )
    ci = res.conf_int(alpha=1 - level)
    table = pd.DataFrame(
        {
            "rate_ratio": np.exp(res.params),
            "ci_low": np.exp(ci[0]),
            "ci_high": np.exp(ci[1]),
            "p_value": res.pvalues,
        }
    ).drop(index="Intercept", errors="ignore")[TABLE_COLUMNS]
    if not np.isfinite(table.to_numpy()).all():
        raise ModelError(
            "the fit gave non-finite estimates (near-separation or too few data): "
            + ", ".join(table.index[~np.isfinite(table).all(axis=1)])
        )
    fit = {
        "n": int(res.nobs),
        "df_resid": float(res.df_resid),
        "deviance": float(res.deviance),
        "pearson_chi2": float(res.pearson_chi2),
        "dispersion": dispersion,
        "dispersion_final": float(res.pearson_chi2 / res.df_resid) if res.df_resid > 0 else np.nan,
        "aic": float(res.aic),
        "llf": float(res.llf),
        "alpha": alpha,
        "ct_alpha": ct["alpha"],
        "ct_p_value": ct["p_value"],
        "n_clusters": n_clusters,
        "cov_type": "cluster-robust" if cov_type == "cluster" else "model-based",
    }
    return RateRatioResult(table, chosen, reason, fit, res, formula, data, exposure, level)
