"""Shared inference rules: Wald intervals (z or t), the few-clusters warning (and the family choice, from ``_family``).

One place for the conventions that the count model, the interrupted time
series and the survey trend share, so that they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from ..errors import ModelError
from ._family import DISPERSION_THRESHOLD, MEAN_SPREAD_NB, FamilyChoice, choose_family

__all__ = [
    "CI_KINDS",
    "DISPERSION_THRESHOLD",
    "MEAN_SPREAD_NB",
    "FEW_CLUSTERS",
    "FamilyChoice",
    "choose_family",
    "reference_df",
    "describe_reference",
    "wald",
    "check_ci",
]

#: ``"t"``: small-sample t quantiles where a scale is estimated (see :func:`reference_df`);
#: ``"z"``: normal quantiles throughout (as published tutorials and R's ``confint.default``).
CI_KINDS = ("t", "z")
# DISPERSION_THRESHOLD, MEAN_SPREAD_NB, FamilyChoice and choose_family live in ._family (the
# one home of the family choice and the count fit); they stay importable from here.
#: Fewer clusters than this and cluster-robust intervals carry a warning.
FEW_CLUSTERS = 30


def check_ci(ci: str) -> None:
    if ci not in CI_KINDS:
        raise ModelError(f"ci {ci!r}: expected 't' (small-sample) or 'z' (normal)")


def reference_df(
    ci: str,
    *,
    cov: str,
    scale_estimated: bool,
    df_resid: float,
    n_clusters: int = 0,
) -> float:
    """Degrees of freedom of the reference distribution of a Wald interval (``inf``: normal).

    Parameters
    ----------
    ci : {"t", "z"}
    cov : {"model", "cluster", "hac"}
        How the covariance was estimated.
    scale_estimated : bool
        Whether the model estimates a scale (quasi-Poisson, quasi-binomial).
    df_resid : float
        Residual degrees of freedom (n - k).
    n_clusters : int
        Number of clusters (G) for ``cov="cluster"``.

    Notes
    -----
    ``ci="z"`` is always normal. ``ci="t"``:

    - model-based, scale estimated: t(n - k), as R's ``summary.glm`` for the
      quasi families;
    - model-based, scale fixed (Poisson, NB2 with its alpha): normal, as
      R's ``summary.glm``;
    - cluster-robust: t(G - 1), as Stata ``regress, vce(cluster)``; R:
      ``lmtest::coeftest(fit, vcov = sandwich::vcovCL(fit, cluster = ~g,
      type = "HC1"), df = G - 1)``;
    - Driscoll-Kraay: passed as ``cov="cluster"`` with G the number of
      periods, so t(T - 1), as clustering by period;
    - HAC (Newey-West): t(n - k), as Stata ``newey``; R: ``coeftest(fit, vcov = NeweyWest(fit, lag = L,
      prewhite = FALSE, adjust = FALSE), df = df.residual(fit))``.
    """
    check_ci(ci)
    if ci == "z":
        return float("inf")
    if cov == "cluster":
        return float(max(n_clusters - 1, 1))
    if cov == "hac":
        return float(max(df_resid, 1))
    if scale_estimated:
        return float(max(df_resid, 1))
    return float("inf")


def describe_reference(df: float) -> str:
    """``"normal"`` or ``"t(12)"``: the reference distribution named for summaries."""
    return "normal" if not np.isfinite(df) else f"t({df:g})"


def wald(
    estimate: ArrayLike, se: ArrayLike, df: float, level: float = 0.95
) -> tuple[Any, Any, Any]:
    """Wald interval and two-sided p-value on the link scale: (low, high, p).

    ``df = inf`` uses the normal distribution.

    >>> lo, hi, p = wald(0.0, 1.0, float("inf"))
    >>> round(float(hi), 4), round(float(p), 4)
    (1.96, 1.0)
    >>> round(float(wald(0.0, 1.0, 9)[1]), 4)
    2.2622
    """
    estimate, se = np.asarray(estimate, float), np.asarray(se, float)
    dist = stats.norm if not np.isfinite(df) else stats.t(df)
    q = dist.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * dist.sf(np.abs(estimate / se))
    return estimate - q * se, estimate + q * se, p
