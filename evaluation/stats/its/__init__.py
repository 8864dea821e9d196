"""Interrupted time series: segmented GLM regression, single or with a comparison series.

A package of small steps: :mod:`._design` (periods, checks, design matrix),
:mod:`._fit` (family and fit by the rule shared with the count model, effects,
checks), :mod:`._result` (:class:`ITSResult`) and :mod:`._model`
(:func:`interrupted_time_series`, which calls them in turn). The figure is
:func:`evaluation.plots.its_figure`.
"""

from ._design import MIN_PERIODS, ITSWarning
from ._design import _period_of as _period_of  # private, kept importable
from ._design import _to_periods as _to_periods  # private, kept importable
from ._fit import EFFECT_COLUMNS as EFFECT_COLUMNS
from ._model import interrupted_time_series
from ._result import ITSResult

__all__ = ["interrupted_time_series", "ITSResult", "ITSWarning", "MIN_PERIODS"]
