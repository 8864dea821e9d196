"""The overdispersion check of the site models decides with the family rule's number."""

from types import SimpleNamespace as NS

from evaluation.analyses.site_records import DISPERSION_THRESHOLD, model_checks
from evaluation.stats._family import DISPERSION_THRESHOLD as RULE


def _check(family, dispersion, cov_type="nonrobust"):
    res = NS(family=family, fit={"dispersion": dispersion, "cov_type": cov_type})
    return {c.name: c.passed for c in model_checks(res)}["overdispersion"]


def test_one_threshold_for_one_decision():
    # issue 15: the count model and the ITS used 1.2 and 1.25 for the same decision
    assert DISPERSION_THRESHOLD == RULE == 1.2


def test_poisson_between_the_old_and_new_thresholds_is_flagged():
    assert _check("poisson", 1.19)
    assert not _check("poisson", 1.22)


def test_families_that_model_the_variance_pass():
    assert _check("negbin", 3.0)
    assert _check("quasipoisson", 3.0)
    assert _check("poisson", 3.0, cov_type="cluster-robust (CR1)")
