"""The one home of the count family: the rule that chooses it and the fit that follows.

The count model (:func:`~evaluation.stats.rate_ratio_model`) and the
interrupted time series (:func:`~evaluation.stats.interrupted_time_series`)
both fit a Poisson GLM first, choose the family by :func:`choose_family`, and
fit the chosen family with :func:`fit_count_family`, so that the two cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ..errors import ModelError
from ._checks import cameron_trivedi

__all__ = [
    "FAMILIES",
    "DISPERSION_THRESHOLD",
    "MEAN_SPREAD_NB",
    "FamilyChoice",
    "CountFit",
    "check_family",
    "choose_family",
    "fit_count_family",
    "fit_nb2_alpha",
]

#: The families a count model accepts (``"auto"``: chosen by :func:`choose_family`).
FAMILIES = ("auto", "poisson", "quasipoisson", "negbin")
#: Pearson chi2/df of the Poisson fit above which overdispersion counts as material.
DISPERSION_THRESHOLD = 1.2
#: The fitted means must span more than this factor for the negative binomial to be chosen:
#: only then can NB2's quadratic variance be told apart from quasi-Poisson's linear one.
MEAN_SPREAD_NB = 3.0


def check_family(family: str) -> None:
    """Refuse a family other than those of :data:`FAMILIES`.

    Raises
    ------
    ModelError
        Naming the family and what was expected.

    Examples
    --------
    >>> check_family("auto")
    >>> check_family("gamma")
    Traceback (most recent call last):
    ...
    evaluation.errors.ModelError: family 'gamma': expected auto, poisson, quasipoisson or negbin
    """
    if family not in FAMILIES:
        raise ModelError(f"family {family!r}: expected auto, poisson, quasipoisson or negbin")


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

    Examples
    --------
    >>> c = FamilyChoice("poisson", "why", 1.0, 0.0, 0.5, 2.0, 1.2, "auto")
    >>> c.as_dict()["family"]
    'poisson'
    """

    family: str
    reason: str
    dispersion: float
    ct_alpha: float
    ct_p_value: float
    mean_spread: float
    threshold: float
    requested: str

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (for results JSON).

        Examples
        --------
        >>> sorted(FamilyChoice("negbin", "", 2.0, 0.3, 0.01, 5.0, 1.2, "auto").as_dict())[:3]
        ['ct_alpha', 'ct_p_value', 'dispersion']
        """
        return asdict(self)


def _reason_auto(dispersion: float, ct_p: float, spread: float, nums: str) -> tuple[str, str]:
    """The ``auto`` rule: (family, reason)."""
    th = DISPERSION_THRESHOLD
    if not dispersion > th:
        return "poisson", f"{nums}: chi2/df <= {th}, no material overdispersion, so Poisson"
    if ct_p < 0.05 and spread > MEAN_SPREAD_NB:
        return "negbin", (
            f"{nums}: chi2/df > {th} (overdispersed), the NB2 test rejects (p < 0.05) and the means span "
            f"more than a factor {MEAN_SPREAD_NB:g}, so negative binomial"
        )
    why = (
        "the NB2 test does not reject (p >= 0.05)"
        if ct_p >= 0.05
        else f"the means span no more than a factor {MEAN_SPREAD_NB:g}"
    )
    return "quasipoisson", (
        f"{nums}: chi2/df > {th} (overdispersed) but {why}, so quasi-Poisson "
        "(variance proportional to the mean, scale estimated)"
    )


def choose_family(
    y: Any, mu: Any, pearson_chi2: float, df_resid: float, requested: str = "auto"
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
    check_family(requested)
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    dispersion = float(pearson_chi2 / df_resid) if df_resid > 0 else float("nan")
    ct = cameron_trivedi(y, mu)
    spread = float(mu.max() / max(mu.min(), 1e-12)) if len(mu) else float("nan")
    th = DISPERSION_THRESHOLD
    nums = (
        f"Pearson chi2/df = {dispersion:.2f}, Cameron-Trivedi NB2 test p = {ct['p_value']:.2g}, "
        f"fitted means span a factor {spread:.1f}"
    )
    if requested == "auto":
        family, reason = _reason_auto(dispersion, ct["p_value"], spread, nums)
    else:
        family, reason = requested, f"family={requested} requested ({nums})"
        if requested == "poisson" and dispersion > th:
            reason += f"; overdispersed (> {th}): Poisson model-based CIs are too narrow"
    return FamilyChoice(
        family, reason, dispersion, ct["alpha"], ct["p_value"], spread, th, requested
    )


def fit_nb2_alpha(model_factory: Callable[[], Any], start_params: Any) -> tuple[float, bool]:
    """ML estimate of the NB2 dispersion alpha, trying Newton then BFGS then Nelder-Mead.

    ``model_factory()`` returns a statsmodels ``NegativeBinomial`` model whose
    last parameter is alpha. Returns (alpha, converged).

    Raises
    ------
    ModelError
        When no method gives a finite alpha.

    Examples
    --------
    >>> import statsmodels.api as sm
    >>> rng = np.random.default_rng(2)
    >>> X = np.ones((400, 1))
    >>> y = rng.poisson(rng.gamma(2.0, 5.0 / 2.0, 400))  # NB2 with alpha = 0.5
    >>> alpha, ok = fit_nb2_alpha(lambda: sm.NegativeBinomial(y, X), [np.log(y.mean()), 0.1])
    >>> ok, round(alpha, 1)
    (True, 0.5)
    """
    import warnings

    from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

    last = None
    for method in ("newton", "bfgs", "nm"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", HessianInversionWarning)
            try:
                fit = model_factory().fit(
                    start_params=start_params,
                    method=method,
                    maxiter=2000 if method == "nm" else 300,
                    disp=0,
                )
            except (np.linalg.LinAlgError, ValueError):
                continue
        alpha = float(np.asarray(fit.params)[-1])
        last = alpha
        if fit.mle_retvals.get("converged", False) and np.isfinite(alpha):
            return max(alpha, 1e-8), True
    if last is None or not np.isfinite(last):
        raise ModelError(
            "the negative binomial dispersion could not be estimated; try family='poisson' with cluster-robust errors"
        )
    return max(last, 1e-8), False


@dataclass
class CountFit:
    """A count GLM fitted in the family :func:`choose_family` chose.

    Attributes
    ----------
    result : statsmodels GLMResults
        The fit in the chosen family (with the requested covariance).
    poisson : statsmodels GLMResults
        The Poisson fit the choice was made on.
    choice : FamilyChoice
    reason : str
        ``choice.reason``, plus a note when the NB dispersion fit did not
        fully converge.
    alpha : float
        NB2 dispersion (NaN for the Poisson families).

    Examples
    --------
    >>> import statsmodels.api as sm
    >>> y, X = np.array([1.0, 3.0, 2.0, 4.0]), np.ones((4, 1))
    >>> f = fit_count_family(lambda fam: sm.GLM(y, X, family=fam), None, "poisson")
    >>> f.family, round(float(np.exp(f.result.params[0])), 2)
    ('poisson', 2.5)
    """

    result: Any
    poisson: Any
    choice: FamilyChoice
    reason: str
    alpha: float

    @property
    def family(self) -> str:
        """The chosen family (``choice.family``)."""
        return self.choice.family


def fit_count_family(
    make_glm: Callable[[Any], Any],
    make_nb: Callable[[], Any] | None,
    requested: str = "auto",
    *,
    nb_start_alpha: float = 0.1,
    fit_kw: Mapping[str, Any] | None = None,
) -> CountFit:
    """Fit a Poisson GLM, choose the family by :func:`choose_family`, and fit that family.

    Parameters
    ----------
    make_glm : callable
        ``make_glm(family)`` returns the statsmodels GLM (same design and
        offset every time) in a ``statsmodels.genmod.families`` family.
    make_nb : callable or None
        Returns the statsmodels ``NegativeBinomial`` (NB2) model of the same
        design, for the ML estimate of alpha (:func:`fit_nb2_alpha`); needed
        only when the negative binomial is chosen.
    requested : {"auto", "poisson", "quasipoisson", "negbin"}
    nb_start_alpha : float
        Starting value of alpha (the coefficients start at the Poisson fit's).
    fit_kw : mapping, optional
        Covariance arguments of ``GLM.fit`` (``cov_type``, ``cov_kwds``).

    Returns
    -------
    CountFit

    Notes
    -----
    Negative binomial: alpha by maximum likelihood, then the GLM with that
    alpha, as R's ``MASS::glm.nb`` (``theta`` = 1 / alpha). Quasi-Poisson:
    the Poisson GLM with the scale estimated as Pearson chi2 / (n - k)
    (``scale="X2"``; R ``family = quasipoisson``).

    Examples
    --------
    >>> import statsmodels.api as sm
    >>> rng = np.random.default_rng(0)
    >>> x = np.repeat([0.0, 1.0], 100)
    >>> X = np.column_stack([np.ones(200), x])
    >>> y = rng.poisson(rng.gamma(1.0, np.exp(1 + 2 * x)))  # overdispersed
    >>> f = fit_count_family(lambda fam: sm.GLM(y, X, family=fam),
    ...                      lambda: sm.NegativeBinomial(y, X, loglike_method="nb2"))
    >>> f.family, bool(f.alpha > 0)
    ('negbin', True)
    """
    import statsmodels.api as sm

    pois = make_glm(sm.families.Poisson()).fit()
    choice = choose_family(
        pois.model.endog, pois.fittedvalues, pois.pearson_chi2, pois.df_resid, requested
    )
    reason, alpha = choice.reason, float("nan")
    if choice.family == "negbin":
        if make_nb is None:
            raise ModelError("the negative binomial needs its NB2 model (make_nb)")
        alpha, converged = fit_nb2_alpha(
            make_nb, np.append(np.asarray(pois.params), nb_start_alpha)
        )
        if not converged:
            reason += " (warning: the NB dispersion fit did not fully converge)"
        family = sm.families.NegativeBinomial(alpha=alpha)
    else:
        family = sm.families.Poisson()
    scale = "X2" if choice.family == "quasipoisson" else None
    result = make_glm(family).fit(scale=scale, **dict(fit_kw or {}))
    return CountFit(result, pois, choice, reason, alpha)
