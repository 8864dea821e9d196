"""03's interrupted time series: which series, and the arguments they are fitted with.

One home for the specification that :func:`~evaluation.analyses.analyse_crime`
and the sensitivity analyses (:mod:`evaluation.analyses.sensitivity`) share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import ParameterError

__all__ = ["survey_item_for", "monthly_series", "ITSRun", "CrimeSpec", "crime_spec"]


def monthly_series(
    reported: pd.DataFrame, area: str, category: str, end: str | None = None
) -> pd.DataFrame:
    """One area's monthly counts of one category (``month``, ``area``, ``count``), up to ``end`` (inclusive).

    Examples
    --------
    >>> rep = pd.DataFrame({"month": pd.to_datetime(["2019-02-01", "2019-01-01", "2019-03-01"]),
    ...                     "area": ["site", "site", "city"], "category": "theft", "count": [4, 3, 9]})
    >>> monthly_series(rep, "site", "theft")
           month  area  count
    0 2019-01-01  site      3
    1 2019-02-01  site      4
    """
    s = reported[(reported["area"] == area) & (reported["category"] == category)][
        ["month", "area", "count"]
    ]
    if end:
        s = s[s["month"] <= pd.Period(end, freq="M").to_timestamp(how="end")]
    return s.sort_values("month").reset_index(drop=True)


@dataclass(frozen=True)
class ITSRun:
    """One interrupted time series of 03: a crime category in the area, alone or against a comparison area.

    Attributes
    ----------
    category : str
    comparison : str or None
        The comparison area (``None``: the area's series alone).
    data : DataFrame
        ``month``, ``area``, ``count``: the area's series, and the
        comparison's stacked under it.

    Examples
    --------
    >>> run = ITSRun("theft", "city", pd.DataFrame(columns=["month", "area", "count"]))
    >>> run.key, run.arguments
    ('theft_vs_city', {'group': 'area', 'control': 'city'})
    """

    category: str
    comparison: str | None
    data: pd.DataFrame

    @property
    def key(self) -> str:
        """The results-JSON key: ``<category>`` or ``<category>_vs_<comparison>``."""
        return self.category if self.comparison is None else f"{self.category}_vs_{self.comparison}"

    @property
    def arguments(self) -> dict[str, Any]:
        """The arguments of a comparative ITS (``group``, ``control``), or none."""
        return {} if self.comparison is None else {"group": "area", "control": self.comparison}


@dataclass(frozen=True)
class CrimeSpec:
    """03's specification: which series, and how their interrupted time series are fitted.

    The one home of the parameters that :func:`~evaluation.analyses.crime.analyse_crime` and the
    sensitivity analyses (:func:`~evaluation.analyses.sensitivity.crime_sensitivity`)
    share; built by :func:`crime_spec`.

    Examples
    --------
    >>> spec = CrimeSpec("site", ("theft",), ("city",), None, "2019-06", 0, None, None, "auto", None)
    >>> spec.its_arguments()["intervention"], spec.parameters()["comparison_areas"]
    ('2019-06', ('city',))
    """

    area: str | None
    categories: tuple[str, ...]
    comparison_areas: tuple[str, ...]
    survey_reference: str | None
    intervention: str
    transition: int
    its_end: str | None
    seasonality: str | None
    family: str
    hac_lags: int | None

    def its_arguments(self) -> dict[str, Any]:
        """The arguments of :func:`~evaluation.stats.interrupted_time_series` every series shares."""
        return {
            "intervention": self.intervention,
            "family": self.family,
            "seasonality": self.seasonality,
            "transition": self.transition,
            "hac_lags": self.hac_lags,
        }

    def parameters(self) -> dict[str, Any]:
        """The ITS parameters of :func:`~evaluation.analyses.crime.analyse_crime` (all but ``survey_reference``)."""
        return {
            "area": self.area,
            "categories": self.categories,
            "comparison_areas": self.comparison_areas,
            "its_end": self.its_end,
            **self.its_arguments(),
        }

    def runs(self, reported: pd.DataFrame, end: str | None = None) -> list[ITSRun]:
        """Every series to fit, in order: per category the area alone, then against each comparison.

        ``end``: the last month of the series (inclusive; ``None``: all).

        Examples
        --------
        >>> rep = pd.DataFrame({"month": pd.to_datetime(["2019-01-01"] * 2), "area": ["site", "city"],
        ...                     "category": "theft", "count": [3, 9]})
        >>> spec = CrimeSpec("site", ("theft",), ("city",), None, "2019-06", 0, None, None, "auto", None)
        >>> [(r.key, len(r.data)) for r in spec.runs(rep)]
        [('theft', 1), ('theft_vs_city', 2)]
        """
        out = []
        for cat in self.categories:
            series = monthly_series(reported, str(self.area), cat, end)
            out.append(ITSRun(cat, None, series))
            for comp in self.comparison_areas:
                both = pd.concat([series, monthly_series(reported, comp, cat, end)])
                out.append(ITSRun(cat, comp, both.reset_index(drop=True)))
        return out


def crime_spec(
    ds: Any,
    *,
    area: str | None = None,
    categories: Sequence[str] | None = None,
    comparison_areas: Sequence[str] | None = None,
    survey_reference: str | None = None,
    intervention: str | None = None,
    transition: int = 0,
    its_end: str | None = None,
    seasonality: str | None = "fourier",
    family: str = "auto",
    hac_lags: int | None = None,
) -> CrimeSpec:
    """03's specification, with ``area``, ``categories``, ``comparison_areas``,
    ``survey_reference``, ``intervention`` and ``its_end`` left ``None`` taken
    from the study (``study.yaml``; no ``study.its_end``: the whole series).

    Raises
    ------
    ParameterError
        No ``intervention``, neither given nor in the study.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> spec = crime_spec(NS(study=None), area="site", categories=["theft"], intervention="2019-06")
    >>> spec.area, spec.categories, spec.comparison_areas, spec.intervention, spec.its_end
    ('site', ('theft',), (), '2019-06', None)
    """
    from ..sources.study import study_defaults

    p = study_defaults(
        getattr(ds, "study", None),
        area=area,
        categories=categories,
        comparison_areas=comparison_areas,
        survey_reference=survey_reference,
        intervention=intervention,
        its_end=its_end,
    )
    if p["intervention"] is None:
        raise ParameterError(
            "intervention: not given; expected study.intervention in study.yaml (the first"
            " month of the activation, YYYY-MM) or -p intervention=YYYY-MM"
        )
    return CrimeSpec(
        p["area"],
        tuple(p["categories"] or ()),
        tuple(p["comparison_areas"] or ()),
        p["survey_reference"],
        p["intervention"],
        transition,
        p["its_end"],
        seasonality,
        family,
        hac_lags,
    )


def survey_item_for(ds: Any, survey_item: str | None = None) -> str | None:
    """The safety-survey item 03 analyses: ``survey_item``, else the study's
    ``crime_areas.survey_item``, else ``None`` (the survey part is then incomplete).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> survey_item_for(NS(study=None), "feels_safe"), survey_item_for(NS(study=None))
    ('feels_safe', None)
    """
    from ..sources.study import study_defaults

    return study_defaults(getattr(ds, "study", None), survey_item=survey_item)["survey_item"]
