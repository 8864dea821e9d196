"""Statistics: rates with exposure, count GLMs, interrupted time series, survey trends, sensitivity.

Every function returns estimates with confidence intervals; model checks
(overdispersion, autocorrelation, fit) travel with the model results.
"""

from ._family import FamilyChoice, choose_family
from .counts import RateRatioResult, rate_ratio_model
from .its import ITSResult, interrupted_time_series
from .rates import (
    area_rates,
    clustered_rate_table,
    poisson_ci,
    rate_table,
    share_table,
    wilson_ci,
)
from .sensitivity import SENSITIVITY_COLUMNS, its_sensitivity, rate_ratio_sensitivity
from .survey import difference_from_reference, survey_proportions, survey_trend

__all__ = [
    "poisson_ci",
    "wilson_ci",
    "rate_table",
    "share_table",
    "area_rates",
    "clustered_rate_table",
    "rate_ratio_model",
    "RateRatioResult",
    "interrupted_time_series",
    "ITSResult",
    "survey_proportions",
    "survey_trend",
    "difference_from_reference",
    "choose_family",
    "FamilyChoice",
    "its_sensitivity",
    "rate_ratio_sensitivity",
    "SENSITIVITY_COLUMNS",
]
