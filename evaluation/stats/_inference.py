"""Shared inference rules: Wald intervals (z or t), the family choice, the few-clusters warning.

One place for the conventions that the count model, the interrupted time
series and the survey trend share, so that they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

from ..errors import ModelError
from ._checks import cameron_trivedi

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
#: Pearson chi2/df of the Poisson fit above which overdispersion counts as material.
DISPERSION_THRESHOLD = 1.2
#: The fitted means must span more than this factor for the negative binomial to be chosen:
#: only then can NB2's quadratic variance be told apart from quasi-Poisson's linear one.
MEAN_SPREAD_NB = 3.0
#: Fewer clusters than this and cluster-robust intervals carry a warning.
FEW_CLUSTERS = 30


def check_ci(ci: str) -> None:
    if ci not in CI_KINDS:
        raise ModelError(f"ci {ci!r}: expected 't' (small-sample) or 'z' (normal)")


@dataclass(frozen=True)
class FamilyChoice:
    """The family chosen for a count model and the numbers that decided it.

    Attributes
    ----------
    family : str
        ``"poisson"``, ``"quasipoisson"`` or ``"negbin"``.
    reason : str
        One sentence with the numbers.
    dispersion : float
        Pearson chi2 / residual df of the Poisson fit.
    ct_alpha, ct_p_value : float
        Cameron-Trivedi NB2 test of the Poisson fit.
    mean_spread : float
        Largest over smallest fitted mean of the Poisson fit.
    threshold : float
        :data:`DISPERSION_THRESHOLD`.
    requested : str
        The ``family`` argument (``"auto"`` or a family).
    """

    family: str
    reason: str
    dispersion: float
    ct_alpha: float
    ct_p_value: float
    mean_spread: float
    threshold: float
    requested: str

    def as_dict(self) -> dict:
        return asdict(self)


def choose_family(
    y, mu, pearson_chi2: float, df_resid: float, requested: str = "auto"
) -> FamilyChoice:
    """The one family-choice rule of the count model and the interrupted time series.

    Parameters
    ----------
    y, mu : array-like
        Observed counts and the fitted means of the Poisson fit.
    pearson_chi2, df_resid : float
        Of the Poisson fit.
    requested : {"auto", "poisson", "quasipoisson", "negbin"}

    Returns
    -------
    FamilyChoice

    Notes
    -----
    With ``requested="auto"``:

    1. Pearson chi2/df <= 1.2 (:data:`DISPERSION_THRESHOLD`): no material
       overdispersion, **Poisson**.
    2. Otherwise, when the Cameron-Trivedi regression test rejects
       equidispersion against NB2 (one-sided p < 0.05) and the fitted means
       span more than a factor 3 (:data:`MEAN_SPREAD_NB`, where a quadratic
       variance can be told from a linear one), **negative binomial** (NB2).
    3. Otherwise (overdispersed, but the NB evidence is unconvincing),
       **quasi-Poisson**: the Poisson estimates with the variance scaled by
       Pearson chi2/df, never the Poisson model-based errors.

    A requested family is used as is; the reason still reports the numbers
    and flags a Poisson fit on overdispersed data.

    R equivalents: ``sum(residuals(fit, "pearson")^2) / df.residual(fit)``
    for the dispersion and ``AER::dispersiontest(fit, trafo = 2)`` for the
    Cameron-Trivedi test (its auxiliary regression without intercept).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.poisson(5.0, 200)
    >>> choose_family(y, np.full(200, y.mean()), float(((y - y.mean()) ** 2 / y.mean()).sum()), 199).family
    'poisson'
    """
    if requested not in ("auto", "poisson", "quasipoisson", "negbin"):
        raise ModelError(f"family {requested!r}: expected auto, poisson, quasipoisson or negbin")
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    dispersion = float(pearson_chi2 / df_resid) if df_resid > 0 else float("nan")
    ct = cameron_trivedi(y, mu)
    spread = float(mu.max() / max(mu.min(), 1e-12)) if len(mu) else float("nan")
    th = DISPERSION_THRESHOLD
    nums = (
        f"Pearson chi2/df = {dispersion:.2f}, Cameron-Trivedi NB2 test p = {ct['p_value']:.2g}, "
        f"fitted means span a factor {spread:.1f}"
    )
    if requested != "auto":
        family, reason = requested, f"family={requested} requested ({nums})"
        if requested == "poisson" and dispersion > th:
            reason += f"; overdispersed (> {th}): Poisson model-based CIs are too narrow"
    elif not dispersion > th:
        family = "poisson"
        reason = f"{nums}: chi2/df <= {th}, no material overdispersion, so Poisson"
    elif ct["p_value"] < 0.05 and spread > MEAN_SPREAD_NB:
        family = "negbin"
        reason = (
            f"{nums}: chi2/df > {th} (overdispersed), the NB2 test rejects (p < 0.05) and the means span "
            f"more than a factor {MEAN_SPREAD_NB:g}, so negative binomial"
        )
    else:
        why = (
            "the NB2 test does not reject (p >= 0.05)"
            if ct["p_value"] >= 0.05
            else f"the means span no more than a factor {MEAN_SPREAD_NB:g}"
        )
        family = "quasipoisson"
        reason = (
            f"{nums}: chi2/df > {th} (overdispersed) but {why}, so quasi-Poisson "
            "(variance proportional to the mean, scale estimated)"
        )
    return FamilyChoice(
        family, reason, dispersion, ct["alpha"], ct["p_value"], spread, th, requested
    )


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


def wald(estimate, se, df: float, level: float = 0.95):
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
