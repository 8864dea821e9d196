"""03_crime_and_safety: reported crime per hectare, interrupted time series, the safety survey."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..errors import ModelError
from ..stats import (
    area_rates,
    difference_from_reference,
    interrupted_time_series,
    survey_proportions,
    survey_trend,
)
from ..stats.its import ITSResult, ITSWarning

__all__ = ["CrimeAnalysis", "analyse_crime", "its_entry", "monthly_series"]


def monthly_series(
    reported: pd.DataFrame, area: str, category: str, end: str | None = None
) -> pd.DataFrame:
    """One area's monthly counts of one category (``month``, ``count``), up to ``end`` (inclusive)."""
    s = reported[(reported["area"] == area) & (reported["category"] == category)][
        ["month", "area", "count"]
    ]
    if end:
        s = s[s["month"] <= pd.Period(end, freq="M").to_timestamp(how="end")]
    return s.sort_values("month").reset_index(drop=True)


def its_entry(res: ITSResult | None, error: str | None = None) -> dict:
    """Results-JSON entry of one ITS."""
    if res is None:
        return {"error": error}
    out = {
        "family": res.family,
        "dispersion": res.checks["dispersion"],
        "ljung_box_p": res.checks["ljung_box_p"],
        "n_pre": res.checks["n_pre"],
        "n_post": res.checks["n_post"],
    }
    for name, row in res.effects.iterrows():
        out[name] = {
            "estimate": float(row.rate_ratio),
            "ci_low": float(row.ci_low),
            "ci_high": float(row.ci_high),
            "p_value": float(row.p_value),
        }
    return out


def _fit(its: dict, errors: dict, key: tuple, series: pd.DataFrame, kw: dict) -> None:
    """Fit one ITS into ``its[key]``, or record why it could not be fitted in ``errors[key]``.

    Missing months are kept in the result's ``warnings`` and shown in its
    summary, so the warning itself is not printed a second time.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ITSWarning)
            its[key] = interrupted_time_series(series, "month", "count", **kw)
    except ModelError as exc:
        its[key], errors[key] = None, str(exc)


@dataclass
class CrimeAnalysis:
    """Everything 03_crime_and_safety shows."""

    yearly: dict[str, pd.DataFrame]
    its: dict[tuple[str, str | None], ITSResult | None]
    its_errors: dict[tuple[str, str | None], str]
    co_interventions: pd.DataFrame
    survey: pd.DataFrame | None
    survey_trend: pd.DataFrame | None
    survey_difference: pd.DataFrame | None
    results: dict = field(default_factory=dict)

    def comparison_table(self) -> pd.DataFrame:
        """Level and slope change of each comparative ITS (drug scene against a comparison area).

        Returns
        -------
        DataFrame
            ``category``, ``comparison``, ``effect`` (``level change`` or
            ``slope change per month``), ``rate_ratio``, ``ci_low``,
            ``ci_high``, ``p_value``, ``family``.
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
    ds,
    area: str = "sergels_torg",
    categories: Sequence[str] = ("violence", "drug_offences"),
    comparison_areas: Sequence[str] = ("odenplan", "stockholm"),
    intervention: str = "2019-06",
    transition: int = 0,
    its_end: str | None = "2022-12",
    seasonality: str | None = "fourier",
    family: str = "auto",
    hac_lags: int | None = None,
    survey_item: str = "safe_evening",
    survey_reference: str = "stockholm",
) -> CrimeAnalysis:
    """Run the crime and safety analyses on a dataset."""
    yearly, its, errors = {}, {}, {}
    results: dict = {
        "area": area,
        "intervention": intervention,
        "its_end": its_end,
        "transition": transition,
    }
    co = pd.DataFrame(columns=["start", "end", "kind", "name"])
    if ds.calendar is not None:
        co = ds.calendar[ds.calendar["kind"] == "policing"].reset_index(drop=True)
    fit_kw = {
        "intervention": intervention,
        "family": family,
        "seasonality": seasonality,
        "transition": transition,
        "hac_lags": hac_lags,
    }
    if ds.crime is not None:
        rep, areas = ds.crime["reported"], ds.crime["areas"]
        for cat in categories:
            yearly[cat] = area_rates(rep, areas, area, cat)
            series = monthly_series(rep, area, cat, its_end)
            _fit(its, errors, (cat, None), series, fit_kw)
            for comp in comparison_areas:
                both = pd.concat([series, monthly_series(rep, comp, cat, its_end)])
                _fit(its, errors, (cat, comp), both, {**fit_kw, "group": "area", "control": comp})
        results["its"] = {
            f"{cat}" if comp is None else f"{cat}_vs_{comp}": its_entry(
                its[(cat, comp)], errors.get((cat, comp))
            )
            for cat, comp in its
        }
        results["per_hectare"] = {}
        for cat, t in yearly.items():
            last = t.iloc[-1]
            results["per_hectare"][cat] = {
                "year": int(last.year),
                "count": int(last["count"]),
                "hectares": float(last.hectares),
                "per_hectare": float(last.per_hectare),
                "change_total": None if pd.isna(last.change_total) else float(last.change_total),
                "change_per_hectare": None
                if pd.isna(last.change_per_hectare)
                else float(last.change_per_hectare),
                "ci_low": None if pd.isna(last.chg_ci_low) else float(last.chg_ci_low),
                "ci_high": None if pd.isna(last.chg_ci_high) else float(last.chg_ci_high),
            }
    sp = st = sd = None
    if ds.survey is not None:
        sp = survey_proportions(ds.survey)
        st = survey_trend(ds.survey, survey_item)
        if area in set(ds.survey["area"]) and survey_reference in set(ds.survey["area"]):
            sd = difference_from_reference(ds.survey, survey_item, area, survey_reference)
        results["survey_trend"] = {
            r.area: {
                "odds_ratio": float(r.odds_ratio),
                "ci_low": float(r.ci_low),
                "ci_high": float(r.ci_high),
                "p_value": float(r.p_value),
                "years": r.years,
            }
            for r in st.itertuples()
        }
        results["survey_item"] = survey_item
    results["co_interventions"] = [
        f"{r.name} ({r.start:%Y-%m-%d} to {r.end:%Y-%m-%d})" for r in co.itertuples()
    ]
    return CrimeAnalysis(yearly, its, errors, co, sp, st, sd, results)
