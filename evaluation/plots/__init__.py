"""One look for every figure: one colour scheme, labelled axes, alt text and a numbered caption.

The colour scheme (:data:`COLOURS`, :mod:`evaluation.plots.theme`) gives each
colour one meaning on every page of the report, keyed by role: no activation
and any activation, the study's activation kinds in order, co-interventions,
the target area and its comparison areas, confidence bands, and in the
synthesis whether a finding moves toward the goal (:data:`GOAL_COLOURS`).
Every colour that marks data has at least 3:1 contrast against white (WCAG
1.4.11); groups without a fixed meaning take :data:`PALETTE`.

Every plotting function describes its figure in words from its data
(:func:`describe`, :mod:`evaluation.plots.alttext`): what it shows and its
key numbers, in the report's language. In a notebook, :func:`set_theme` makes
the inline backend send that description with the image and a numbered
caption, which the report template renders as ``<img alt>`` and
``<figcaption>``.

The figures, one module per family: :mod:`~evaluation.plots.observations`
(rates, heatmaps, shares, observation effort), :mod:`~evaluation.plots.calendar`
(activation periods, sessions per day), :mod:`~evaluation.plots.crime`
(monthly counts, survey, interrupted time series) and
:mod:`~evaluation.plots.synthesis` (the triangulation grid). Code labels live
in :mod:`evaluation.labels` (``label`` and ``LABELS`` are re-exported here).
"""

from __future__ import annotations

from ..labels import LABELS, label
from .alttext import describe, figure_text
from .calendar import calendar_heatmap, timeline
from .crime import its_figure, monthly_counts, survey_plot
from .observations import effort_figure, heatmap, rate_plot, share_bars
from .synthesis import DIRECTION_COLOURS, goal_direction, triangulation
from .theme import (
    ACTIVATION_KINDS,
    COLOURS,
    GOAL_COLOURS,
    GOAL_SIGN,
    GOAL_TEXT,
    PALETTE,
    colour,
    contrast_ratio,
    kind_colours,
    localise,
    set_theme,
)

__all__ = [
    "COLOURS",
    "ACTIVATION_KINDS",
    "GOAL_COLOURS",
    "GOAL_TEXT",
    "GOAL_SIGN",
    "PALETTE",
    "DIRECTION_COLOURS",
    "colour",
    "kind_colours",
    "contrast_ratio",
    "set_theme",
    "LABELS",
    "label",
    "describe",
    "figure_text",
    "rate_plot",
    "heatmap",
    "timeline",
    "triangulation",
    "goal_direction",
    "calendar_heatmap",
    "survey_plot",
    "its_figure",
    "effort_figure",
    "share_bars",
    "monthly_counts",
    "localise",
]
