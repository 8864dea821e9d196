"""03_crime_and_safety: reported crime per hectare, interrupted time series, the safety survey."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from ..errors import ModelError
from ..results import (
    Check,
    CrimeResults,
    Estimate,
    Incomplete,
    ITSEntry,
    PerHectare,
    SurveyTrend,
    as_json,
)
from ..sources.order import order_rows
from ..stats import (
    area_rates,
    difference_from_reference,
    interrupted_time_series,
    survey_proportions,
    survey_trend,
)
from ..stats._family import DISPERSION_THRESHOLD
from ..stats.its import ITSResult, ITSWarning
from .crime_spec import CrimeSpec, ITSRun, crime_spec, monthly_series, survey_item_for
from .site_records import co_interventions

__all__ = [
    "CrimeAnalysis",
    "analyse_crime",
    "its_entry",
    "its_record",
    "its_checks",
    "monthly_series",
    "CrimeSpec",
    "ITSRun",
    "crime_spec",
]


#: Pearson chi2/df above which a Poisson ITS is overdispersed (the family rule's threshold)
ITS_DISPERSION_THRESHOLD = DISPERSION_THRESHOLD
#: Ljung-Box p-value below which the residuals count as autocorrelated
AUTOCORRELATION_ALPHA = 0.05


def its_checks(res: ITSResult) -> list[Check]:
    """The named checks of an interrupted time series, each passed or not.

    - ``overdispersion``: a Poisson fit is used only when Pearson chi2/df <= 1.2
      (quasi-Poisson and negative binomial allow for it);
    - ``autocorrelation``: Ljung-Box p >= 0.05 on the residuals, or
      autocorrelation-robust (HAC) errors were used;
    - ``missing_periods``: no month is missing inside the series.

    Examples
    --------
    >>> from evaluation.stats import interrupted_time_series
    >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
    >>> res = interrupted_time_series(d, "t", "y", 12, family="quasipoisson")
    >>> [(c.name, c.passed) for c in its_checks(res)]
    [('overdispersion', True), ('autocorrelation', False), ('missing_periods', True)]
    """
    c = res.checks
    return [
        Check(
            "overdispersion",
            bool(res.family != "poisson" or c["dispersion"] <= ITS_DISPERSION_THRESHOLD),
            float(c["dispersion"]),
            ITS_DISPERSION_THRESHOLD,
        ),
        Check(
            "autocorrelation",
            bool(c["ljung_box_p"] >= AUTOCORRELATION_ALPHA or c["cov_type"] != "model-based"),
            float(c["ljung_box_p"]),
            AUTOCORRELATION_ALPHA,
        ),
        Check(
            "missing_periods",
            not c.get("missing_periods"),
            float(len(c.get("missing_periods") or [])),
        ),
    ]


def its_record(
    res: ITSResult | None,
    error: str | None = None,
    category: str | None = None,
    comparison: str | None = None,
    first_month: str | None = None,
    last_month: str | None = None,
) -> ITSEntry:
    """The :class:`~evaluation.results.ITSEntry` of one ITS (its effects as Estimates).

    ``res`` ``None`` (the series could not be fitted) gives an entry with
    ``error`` only.

    Examples
    --------
    >>> from evaluation.stats import interrupted_time_series
    >>> d = pd.DataFrame({"t": range(24), "y": [10, 14, 6, 12] * 3 + [5, 9, 2, 7] * 3})
    >>> res = interrupted_time_series(d, "t", "y", 12, family="quasipoisson")
    >>> e = its_record(res, category="theft")
    >>> e.level_change.measure, round(e.level_change.estimate, 2), e.n_pre
    ('its.theft.level_change', 0.56, 12)
    """
    entry = ITSEntry(
        category=category, comparison=comparison, first_month=first_month, last_month=last_month
    )
    if res is None:
        entry.error = error
        return entry
    checks = its_checks(res)
    series = category if comparison is None else f"{category}_vs_{comparison}"
    for name, row in res.effects.to_dict("index").items():
        estimate = Estimate(
            f"its.{series}.{name}",
            float(row["rate_ratio"]),
            float(row["ci_low"]),
            float(row["ci_high"]),
            float(row["p_value"]),
            family=res.family,
            n=int(res.checks["n_periods"]),
            checks=checks,
        )
        setattr(entry, str(name), estimate)
    entry.family = res.family
    entry.dispersion = res.checks["dispersion"]
    entry.ljung_box_p = res.checks["ljung_box_p"]
    entry.n_pre = res.checks["n_pre"]
    entry.n_post = res.checks["n_post"]
    return entry


def its_entry(res: ITSResult | None, error: str | None = None, **where: Any) -> dict[str, Any]:
    """Results-JSON entry of one ITS (an :class:`~evaluation.results.ITSEntry`); ``where``:
    ``category``, ``comparison``, ``first_month``, ``last_month``.

    Examples
    --------
    >>> e = its_entry(None, "too short a series", category="theft")
    >>> e["error"], e["category"], e["level_change"]
    ('too short a series', 'theft', None)
    """
    return as_json(its_record(res, error, **where))


def _fit(
    its: dict[tuple[str, str | None], ITSResult | None],
    errors: dict[tuple[str, str | None], str],
    key: tuple[str, str | None],
    series: pd.DataFrame,
    kw: dict[str, Any],
) -> None:
    """Fit one ITS into ``its[key]``, or record why it could not be fitted in ``errors[key]``.

    Missing months are kept in the result's ``warnings`` and shown in its
    summary, so the warning itself is not printed a second time.
    """
    if series.empty:
        its[key], errors[key] = None, "no reported crime of this category in the series"
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ITSWarning)
            its[key] = interrupted_time_series(series, "month", "count", **kw)
    except ModelError as exc:
        its[key], errors[key] = None, str(exc)


@dataclass
class CrimeAnalysis:
    """Everything 03_crime_and_safety shows (made by :func:`analyse_crime`).

    Attributes
    ----------
    yearly : dict
        Per category, :func:`~evaluation.stats.area_rates` of the area.
    its, its_errors : dict
        Per ``(category, comparison or None)``, the fitted ITS (``None``
        when it could not be fitted) and why not.
    co_interventions : DataFrame
        The calendar's policing co-interventions.
    survey, survey_trend, survey_difference : DataFrame or None
    results, record
        The results JSON of the notebook and its record.

    Examples
    --------
    >>> a = CrimeAnalysis({}, {}, {}, pd.DataFrame(), None, None, None)
    >>> a.comparison_table().columns.tolist()[:3]
    ['category', 'comparison', 'effect']
    """

    yearly: dict[str, pd.DataFrame]
    its: dict[tuple[str, str | None], ITSResult | None]
    its_errors: dict[tuple[str, str | None], str]
    co_interventions: pd.DataFrame
    survey: pd.DataFrame | None
    survey_trend: pd.DataFrame | None
    survey_difference: pd.DataFrame | None
    results: dict = field(default_factory=dict)
    record: CrimeResults | None = None

    def comparison_table(self) -> pd.DataFrame:
        """Level and slope change of each comparative ITS (drug scene against a comparison area).

        Returns
        -------
        DataFrame
            ``category``, ``comparison``, ``effect`` (``level change`` or
            ``slope change per month``), ``rate_ratio``, ``ci_low``,
            ``ci_high``, ``p_value``, ``family``.

        Examples
        --------
        >>> CrimeAnalysis({}, {}, {}, pd.DataFrame(), None, None, None).comparison_table().empty
        True
        """
        names = {"level_change": "level change", "slope_change": "slope change per month"}
        rows = []
        for (cat, comp), res in self.its.items():
            if comp is None or res is None:
                continue
            for eff, label in names.items():
                if eff in res.effects.index:
                    r = res.effects.loc[eff]
                    rows.append(
                        {
                            "category": cat,
                            "comparison": comp,
                            "effect": label,
                            "rate_ratio": r.rate_ratio,
                            "ci_low": r.ci_low,
                            "ci_high": r.ci_high,
                            "p_value": r.p_value,
                            "family": res.family,
                        }
                    )
        return pd.DataFrame(
            rows,
            columns=[
                "category",
                "comparison",
                "effect",
                "rate_ratio",
                "ci_low",
                "ci_high",
                "p_value",
                "family",
            ],
        )


def analyse_crime(
    ds: Any,
    area: str | None = None,
    categories: Sequence[str] | None = None,
    comparison_areas: Sequence[str] | None = None,
    intervention: str | None = None,
    transition: int = 0,
    its_end: str | None = None,
    seasonality: str | None = "fourier",
    family: str = "auto",
    hac_lags: int | None = None,
    survey_item: str | None = None,
    survey_reference: str | None = None,
) -> CrimeAnalysis:
    """Run the crime and safety analyses on a dataset.

    ``area``, ``categories``, ``comparison_areas``, ``survey_reference`` and
    ``survey_item`` left ``None`` come from the study's ``crime_areas``
    (``study.yaml``; ``categories``: the crime categories the study analyses),
    ``intervention`` and ``its_end`` from its ``study`` block (no ``its_end``:
    the whole series). The series
    and their fits: :class:`CrimeSpec` (:func:`crime_spec`).

    Returns
    -------
    CrimeAnalysis
        A series that cannot be fitted has ``None`` in ``its`` and the
        reason in ``its_errors``; a missing source is named in the record's
        ``incomplete``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import numpy as np
    >>> months = pd.date_range("2017-01-01", periods=48, freq="MS")
    >>> rep = pd.DataFrame({"month": months, "area": "site", "category": "theft",
    ...                     "count": np.random.default_rng(0).poisson([40] * 24 + [28] * 24)})
    >>> areas = pd.DataFrame({"area": "site", "year": [2017, 2018, 2019, 2020], "hectares": 5.0,
    ...                       "population": 1000})
    >>> ds = NS(crime={"reported": rep, "areas": areas}, survey=None, calendar=None, study=None)
    >>> res = analyse_crime(ds, area="site", categories=["theft"], intervention="2019-01",
    ...                     its_end=None, seasonality=None)
    >>> round(float(res.its[("theft", None)].effects.loc["level_change", "rate_ratio"]), 2)
    0.59
    >>> res.results["per_hectare"]["theft"]["year"], res.results["missing"]
    (2020, None)
    """
    spec = crime_spec(
        ds,
        area=area,
        categories=categories,
        comparison_areas=comparison_areas,
        survey_reference=survey_reference,
        intervention=intervention,
        transition=transition,
        its_end=its_end,
        seasonality=seasonality,
        family=family,
        hac_lags=hac_lags,
    )
    record = CrimeResults(
        # None only without a study and without ``area``: every series is then empty
        # and each ITS records why
        area=cast(str, spec.area),
        intervention=spec.intervention,
        its_end=spec.its_end,
        transition=transition,
        categories=list(spec.categories),
    )
    yearly: dict[str, pd.DataFrame] = {}
    its: dict[tuple[str, str | None], ITSResult | None] = {}
    errors: dict[tuple[str, str | None], str] = {}
    if ds.crime is not None:
        its, errors = _fit_series(ds.crime["reported"], spec, record)
        yearly = {
            cat: area_rates(ds.crime["reported"], ds.crime["areas"], str(spec.area), cat)
            for cat in spec.categories
        }
        _record_per_hectare(yearly, record)
    else:
        record.incomplete.append(Incomplete("its", "source missing: crime"))
    sp, st, sd = _survey_part(ds, spec, survey_item_for(ds, survey_item), record)
    if ds.crime is None and ds.survey is None:
        record.missing = "crime, survey"
    co = pd.DataFrame(columns=["start", "end", "kind", "name"])
    if ds.calendar is not None:
        co = ds.calendar[ds.calendar["kind"] == "policing"].reset_index(drop=True)
    record.co_interventions = [
        f"{r.name} ({r.start:%Y-%m-%d} to {r.end:%Y-%m-%d})" for r in co.itertuples()
    ]
    record.interventions = co_interventions(ds.calendar)
    return CrimeAnalysis(yearly, its, errors, co, sp, st, sd, as_json(record), record)


def _fit_series(
    reported: pd.DataFrame, spec: CrimeSpec, record: CrimeResults
) -> tuple[dict[tuple[str, str | None], ITSResult | None], dict[tuple[str, str | None], str]]:
    """Fit every series of ``spec`` (up to ``its_end``) into ``record.its``."""
    its: dict[tuple[str, str | None], ITSResult | None] = {}
    errors: dict[tuple[str, str | None], str] = {}
    for run in spec.runs(reported, spec.its_end):
        key = (run.category, run.comparison)
        _fit(its, errors, key, run.data, {**spec.its_arguments(), **run.arguments})
        months = run.data.loc[run.data["area"] == spec.area, "month"]
        first = None if months.empty else f"{months.min():%Y-%m}"
        last = None if months.empty else f"{months.max():%Y-%m}"
        record.its[run.key] = its_record(
            its[key], errors.get(key), run.category, run.comparison, first, last
        )
    record.incomplete += [
        Incomplete(f"its.{key}", entry.error) for key, entry in record.its.items() if entry.error
    ]
    return its, errors


def _record_per_hectare(yearly: dict[str, pd.DataFrame], record: CrimeResults) -> None:
    """The last year of each category per hectare, with its change from the year before."""
    for cat, t in yearly.items():
        if t.empty:
            record.incomplete.append(Incomplete(f"per_hectare.{cat}", "no reported crime"))
            continue
        last = t.iloc[-1]
        prev = t.iloc[-2] if len(t) > 1 else None
        record.per_hectare[cat] = PerHectare(
            year=int(last.year),
            count=int(last["count"]),
            hectares=_num(last.hectares),
            per_hectare=_num(last.per_hectare),
            change_total=_num(last.change_total),
            change_per_hectare=_num(last.change_per_hectare),
            ci_low=_num(last.chg_ci_low),
            ci_high=_num(last.chg_ci_high),
            hectares_before=None if prev is None else _num(prev.hectares),
            count_before=None if prev is None else int(prev["count"]),
        )


def _survey_part(
    ds: Any, spec: CrimeSpec, survey_item: str | None, record: CrimeResults
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
    """The survey's proportions, trends and difference from the reference area."""
    if ds.survey is None:
        record.incomplete.append(Incomplete("survey_trend", "source missing: survey"))
        return None, None, None
    if survey_item is None:
        record.incomplete.append(
            Incomplete(
                "survey_trend",
                "no survey item: crime_areas.survey_item in study.yaml or -p survey_item=...",
            )
        )
        return survey_proportions(ds.survey), None, None
    survey = ds.survey
    sp = survey_proportions(survey)
    st = order_rows(survey_trend(survey, survey_item), "area", "areas", getattr(ds, "study", None))
    st = st.reset_index(drop=True)
    sd = None
    area, reference, areas = spec.area, spec.survey_reference, set(survey["area"])
    if area is not None and reference is not None and area in areas and reference in areas:
        sd = difference_from_reference(survey, survey_item, area, reference)
    item = survey[survey["item"] == survey_item]
    record.survey_trend = {
        r["area"]: SurveyTrend(
            f"survey_trend.{survey_item}.{r['area']}",
            float(r["odds_ratio"]),
            float(r["ci_low"]),
            float(r["ci_high"]),
            float(r["p_value"]),
            family="binomial",
            n=int(item.loc[item["area"] == r["area"], "n"].sum()),
            odds_ratio=float(r["odds_ratio"]),
            years=r["years"],
        )
        for r in st.to_dict("records")
    }
    record.survey_item = survey_item
    return sp, st, sd


def _num(x) -> float | None:
    return None if pd.isna(x) else float(x)
