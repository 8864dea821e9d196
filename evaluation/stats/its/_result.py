"""The result of an interrupted time series: effects, checks, counterfactual and summary.

Drawing it is :func:`evaluation.plots.its_figure`'s job (statistics do not
import plots; statsmodels keeps graphics apart from results the same way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ...errors import ModelError
from .._family import FamilyChoice

__all__ = ["ITSResult"]


@dataclass
class ITSResult:
    """A fitted interrupted time series.

    Attributes
    ----------
    effects : DataFrame
        Rows ``level_change``, ``slope_change``, ``baseline_trend`` (and for a
        comparative ITS ``control_level_change``, ``control_slope_change``),
        columns ``rate_ratio``, ``ci_low``, ``ci_high``, ``p_value``. Slope
        and trend rate ratios are per period (month). In a comparative ITS,
        ``level_change`` and ``slope_change`` are relative to the comparison
        series (difference-in-differences on the log scale).
    family, family_reason : str
    checks : dict
        ``dispersion`` (Pearson chi2/df of the Poisson fit), ``scale`` used,
        ``alpha`` (NB), ``durbin_watson``, ``ljung_box_lags``,
        ``ljung_box_p``, ``ct_p_value``, ``n_periods``, ``n_pre``, ``n_post``,
        ``transition_excluded``, ``missing_periods``, ``cov_type``.
    result : statsmodels GLMResults

    See Also
    --------
    evaluation.plots.its_figure : the classic ITS figure of a result.

    Examples
    --------
    >>> from evaluation.stats.its import interrupted_time_series
    >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
    >>> res = interrupted_time_series(d, "t", "y", 12, slope_change=False, family="quasipoisson")
    >>> res.effects.index.tolist(), res.family, res.checks["n_pre"]
    (['level_change', 'baseline_trend'], 'quasipoisson', 12)
    """

    effects: pd.DataFrame
    family: str
    family_reason: str
    checks: dict[str, Any]
    result: Any = field(repr=False)
    data: pd.DataFrame | None = field(repr=False, default=None)
    intervention: str = ""
    comparative: bool = False
    warnings: list[str] = field(default_factory=list)
    level: float = 0.95
    _exog_names: list[str] = field(default_factory=list, repr=False)
    choice: FamilyChoice | None = field(default=None, repr=False)

    def counterfactual(self) -> pd.DataFrame:
        """Observed, fitted and counterfactual (no intervention) values per period.

        Returns
        -------
        DataFrame
            ``period``, ``series`` (``treated``/``control``), ``observed``,
            ``fitted``, ``counterfactual``, ``cf_ci_low``, ``cf_ci_high``,
            ``post``, ``in_fit`` (False for transition periods).

        Examples
        --------
        >>> from evaluation.stats.its import interrupted_time_series
        >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
        >>> res = interrupted_time_series(d, "t", "y", 12, slope_change=False, family="poisson")
        >>> cf = res.counterfactual()
        >>> cf.columns.tolist()[:5], int(cf["post"].sum())
        (['period', 'series', 'observed', 'fitted', 'counterfactual'], 12)
        """
        d = self.data
        if d is None:
            raise ModelError("this ITS result keeps no data: refit it to get its counterfactual")
        X = d[self._exog_names].to_numpy(dtype=float)
        beta = np.asarray(self.result.params)
        off = d["_offset"].to_numpy()
        fitted = np.exp(X @ beta + off)
        no_effect = d[self._exog_names].copy()
        for col in no_effect.columns:
            if col in ("post", "post_time") or col.startswith("treated_post"):
                no_effect[col] = 0.0
        Xc = no_effect.to_numpy(dtype=float)
        eta = Xc @ beta + off
        V = np.asarray(self.result.cov_params())
        se = np.sqrt(np.einsum("ij,jk,ik->i", Xc, V, Xc))
        df_ci = self.checks.get("df_ci", float("inf"))
        z = (stats.norm if not np.isfinite(df_ci) else stats.t(df_ci)).ppf(0.5 + self.level / 2)
        return pd.DataFrame(
            {
                "period": d["_label"].to_numpy(),
                "series": np.where(d["treated"] == 1, "treated", "control")
                if "treated" in d
                else "treated",
                "observed": d["_y"].to_numpy(),
                "fitted": fitted,
                "counterfactual": np.exp(eta),
                "cf_ci_low": np.exp(eta - z * se),
                "cf_ci_high": np.exp(eta + z * se),
                "post": d["post"].to_numpy().astype(bool),
                "in_fit": d["_in_fit"].to_numpy(),
            }
        )

    def summary(self) -> str:
        """The fit in words: family and why, periods, dispersion, autocorrelation, errors, effects.

        Examples
        --------
        >>> from evaluation.stats.its import interrupted_time_series
        >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
        >>> res = interrupted_time_series(d, "t", "y", 12, family="poisson")
        >>> print(res.summary().splitlines()[0])
        Interrupted time series, intervention 12
        """
        c = self.checks
        lines = [
            f"Interrupted time series, intervention {self.intervention}"
            + (" (comparative: against a comparison series)" if self.comparative else ""),
            f"family: {self.family} - {self.family_reason}",
            f"periods: {c['n_periods']} ({c['n_pre']} before, {c['n_post']} after; {c['transition_excluded']} transition periods left out)",
            f"Pearson chi2/df (Poisson) = {c['dispersion']:.2f}; scale used = {c['scale']:.3f}",
            f"autocorrelation of residuals: Durbin-Watson = {c['durbin_watson']:.2f}, Ljung-Box p = {c['ljung_box_p']:.3g} at {c['ljung_box_lags']} lags"
            + (
                " - autocorrelated: consider hac_lags"
                if c["ljung_box_p"] < 0.05
                and not c["cov_type"].startswith(("Newey-West", "Driscoll-Kraay"))
                else ""
            ),
            f"standard errors: {c['cov_type']}; intervals and p-values from the {c.get('reference', 'normal')} distribution",
        ]
        pct = f"{self.level * 100:g}%"
        for name, row in self.effects.iterrows():
            lines.append(
                f"  {name}: rate ratio {row.rate_ratio:.4f} ({pct} CI {row.ci_low:.4f}-{row.ci_high:.4f}), p = {row.p_value:.3g}"
            )
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)
