"""The safety survey: proportions with Wilson CIs, logistic trends, differences from a reference area."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._inference import check_ci, describe_reference, reference_df, wald
from .rates import wilson_ci

__all__ = ["survey_proportions", "survey_trend", "difference_from_reference"]


def survey_proportions(survey: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Proportion answering "to a large extent" per year, area and item.

    Returns
    -------
    DataFrame
        ``year``, ``area``, ``item``, ``n``, ``n_yes``, ``proportion``,
        ``ci_low``, ``ci_high`` (Wilson).

    Examples
    --------
    >>> s = pd.DataFrame({"year": [2020], "area": ["area_a"], "item": ["feels_safe"], "n": [263], "n_yes": [81]})
    >>> survey_proportions(s).round(4).iloc[0, 5:].tolist()
    [0.308, 0.2553, 0.3662]
    """
    out = survey[["year", "area", "item", "n", "n_yes"]].copy()
    out["n"] = out["n"].astype(int)
    out["n_yes"] = out["n_yes"].astype(int)
    out["year"] = out["year"].astype(int)
    out["proportion"] = out["n_yes"] / out["n"]
    lo, hi = wilson_ci(out["n_yes"], out["n"], level)
    out["ci_low"], out["ci_high"] = lo, hi
    return out.sort_values(["item", "area", "year"]).reset_index(drop=True)


def survey_trend(
    survey: pd.DataFrame, item: str, level: float = 0.95, ci: str = "t"
) -> pd.DataFrame:
    """Trend over years per area: binomial GLM of n_yes/n on year.

    Parameters
    ----------
    survey : DataFrame
        ``year``, ``area``, ``item``, ``n``, ``n_yes``.
    item : str
    level : float
    ci : {"t", "z"}
        ``"t"`` (default): when the scale is estimated (quasi-binomial), the
        interval and p-value use t(years - 2), as R's ``summary.glm``;
        ``"z"``: normal quantiles.

    Returns
    -------
    DataFrame
        ``area``, ``item``, ``years``, ``odds_ratio`` (per year), ``ci_low``,
        ``ci_high``, ``p_value``, ``dispersion`` (Pearson chi2/df),
        ``scale_used``, ``reference`` (``"normal"`` or ``"t(df)"``).

    Notes
    -----
    logit P(yes) = a + b year. Yearly samples vary more than binomial
    sampling alone (different respondents, different years): when Pearson
    chi2/df > 1 the CI is widened by that scale (quasi-binomial, R
    ``glm(cbind(n_yes, n - n_yes) ~ year, family = quasibinomial)``), and
    with ``ci="t"`` the quantile is ``qt(0.975, df.residual(fit))``: with 3
    to 8 years there are 1 to 6 residual df, and normal quantiles would
    claim far more certainty than the data give. When chi2/df <= 1 the
    binomial fit is used as is (scale 1, normal quantiles, as R's
    ``summary.glm`` for ``binomial``). Areas with fewer than 3 years are
    left out.

    Examples
    --------
    >>> sv = pd.DataFrame({"year": [2017, 2019, 2021, 2023] * 2, "area": ["site"] * 4 + ["city"] * 4,
    ...                    "item": "feels_safe", "n": 200, "n_yes": [80, 90, 104, 118, 120, 121, 119, 122]})
    >>> survey_trend(sv, "feels_safe")[["area", "years", "odds_ratio", "ci_low", "ci_high"]].round(3)
       area      years  odds_ratio  ci_low  ci_high
    0  city  2017-2023       1.004   0.943    1.070
    1  site  2017-2023       1.138   1.069    1.212
    """
    import statsmodels.api as sm

    check_ci(ci)
    rows = []
    for area, g in survey[survey["item"] == item].groupby("area"):
        g = g.sort_values("year")
        if len(g) < 3:
            continue
        n = g["n"].astype(float).to_numpy()
        prop = g["n_yes"].astype(float).to_numpy() / n
        X = sm.add_constant(g["year"].astype(float).to_numpy() - float(g["year"].min()))
        model = sm.GLM(prop, X, family=sm.families.Binomial(), var_weights=n)
        base = model.fit()
        disp = float(base.pearson_chi2 / base.df_resid) if base.df_resid > 0 else np.nan
        res = model.fit(scale="X2") if disp > 1 else base
        df_ci = reference_df(
            ci, cov="model", scale_estimated=disp > 1, df_resid=float(res.df_resid)
        )
        lo, hi, p = wald(res.params[1], res.bse[1], df_ci, level)
        rows.append(
            {
                "area": area,
                "item": item,
                "years": f"{int(g['year'].min())}-{int(g['year'].max())}",
                "odds_ratio": float(np.exp(res.params[1])),
                "ci_low": float(np.exp(lo)),
                "ci_high": float(np.exp(hi)),
                "p_value": float(p),
                "dispersion": disp,
                "scale_used": float(res.scale),
                "reference": describe_reference(df_ci),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "area",
            "item",
            "years",
            "odds_ratio",
            "ci_low",
            "ci_high",
            "p_value",
            "dispersion",
            "scale_used",
            "reference",
        ],
    )


def difference_from_reference(
    survey: pd.DataFrame, item: str, area: str, reference: str, level: float = 0.95
) -> pd.DataFrame:
    """Per year, the area's proportion minus the reference area's, with Newcombe's CI.

    Returns
    -------
    DataFrame
        ``year``, ``area``, ``reference``, ``p_area``, ``p_reference``,
        ``difference``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> sv = pd.DataFrame({"year": [2019, 2021] * 2, "area": ["site"] * 2 + ["city"] * 2,
    ...                    "item": "feels_safe", "n": 200, "n_yes": [80, 104, 120, 119]})
    >>> difference_from_reference(sv, "feels_safe", "site", "city")[["year", "difference", "ci_low", "ci_high"]].round(3)
       year  difference  ci_low  ci_high
    0  2019      -0.200  -0.292   -0.102
    1  2021      -0.075  -0.170    0.022
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    s = survey[survey["item"] == item]
    a = s[s["area"] == area].set_index("year")
    r = s[s["area"] == reference].set_index("year")
    rows = []
    yes_a, n_a = a["n_yes"].to_dict(), a["n"].to_dict()
    yes_r, n_r = r["n_yes"].to_dict(), r["n"].to_dict()
    for year in sorted(set(a.index) & set(r.index)):
        lo, hi = confint_proportions_2indep(
            int(yes_a[year]),
            int(n_a[year]),
            int(yes_r[year]),
            int(n_r[year]),
            method="newcomb",
            compare="diff",
            alpha=1 - level,
        )
        pa, pr = yes_a[year] / n_a[year], yes_r[year] / n_r[year]
        rows.append(
            {
                "year": int(year),
                "area": area,
                "reference": reference,
                "p_area": pa,
                "p_reference": pr,
                "difference": pa - pr,
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "area",
            "reference",
            "p_area",
            "p_reference",
            "difference",
            "ci_low",
            "ci_high",
        ],
    )
