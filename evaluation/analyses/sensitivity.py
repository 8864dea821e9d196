"""Sensitivity tables for the key estimates of 01_site_observations and 03_crime_and_safety.

Dataset-level wrappers of :mod:`evaluation.stats.sensitivity`: they rebuild
each key estimate's data exactly as the analysis does and refit it under the
alternative specifications. Every function returns the tidy columns
``estimate, variant, value, ci_low, ci_high``
(:data:`~evaluation.stats.sensitivity.SENSITIVITY_COLUMNS`), whose rows are
what the results JSON's ``"sensitivity"`` list holds (:func:`sensitivity_records`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..stats.sensitivity import (
    SENSITIVITY_COLUMNS,
    _frame,
    direction_robust,
    its_sensitivity,
    rate_ratio_sensitivity,
)
from ..stats.survey import survey_trend

__all__ = [
    "site_sensitivity",
    "crime_sensitivity",
    "survey_sensitivity",
    "sensitivity_records",
    "robustness_table",
    "SITE_OUTCOMES",
    "attach_sensitivity",
    "variant_label",
    "estimate_label",
    "sensitivity_tables",
    "robustness_summary",
    "crime_and_survey_sensitivity",
]

#: Outcomes of 01's count models and their results-JSON keys.
SITE_OUTCOMES = {
    "target_staying": "target_staying_rate_ratio",
    "drug_sale": "drug_sale_rate_ratio",
    "outreach_contact": "outreach_contact_rate_ratio",
}


def _term(per: pd.DataFrame, col: str) -> str:
    from .site import covariate_term

    return covariate_term(per, col)


#: Plausible confounders added to the main covariates in turn when not among them.
EXTRA_COVARIATES = ("daypart", "weekend", "weather", "temperature_c", "observer")


def _default_covariate_sets(per: pd.DataFrame, covariates: Sequence[str]) -> dict[str, str]:
    """The main covariates; none; the main ones without each in turn (what each adjustment
    changes); the main ones plus each plausible confounder in turn, and plus all of them."""
    from .site import usable_covariates

    main, _ = usable_covariates(per, covariates)

    def entry(cols: Sequence[str]) -> tuple[str, str]:
        return "+".join(cols) or "none", " + ".join(_term(per, c) for c in cols)

    sets = dict([entry(main)])
    if main:
        sets["none"] = ""
    if len(main) > 1:
        sets.update(entry([c for c in main if c != drop]) for drop in main)
    usable, _ = usable_covariates(per, EXTRA_COVARIATES)
    extra = [c for c in usable if c not in main and per[c].nunique(dropna=True) > 1]
    sets.update(entry([*main, c]) for c in extra)
    if len(extra) > 1:
        sets.update([entry([*main, *extra])])
    return sets


def site_sensitivity(
    site,
    *,
    target_gender: str | None = None,
    target_age_band: str | None = None,
    activation_states: Sequence[str] | None = None,
    covariates: Sequence[str] = ("zone", "weather", "temperature_c", "observer"),
    family: str = "auto",
    cluster: str | None = "date",
    covariate_sets: Mapping[str, str] | None = None,
    outcomes: Sequence[str] = tuple(SITE_OUTCOMES),
    level: float = 0.95,
    ci: str = "t",
) -> pd.DataFrame:
    """Sensitivity of 01's rate ratios (activated vs not) to covariates, family, clustering, kind.

    Parameters
    ----------
    site : SiteAnalysis or Dataset
        The result of :func:`~evaluation.analyses.analyse_site` (its
        ``per_session`` table is reused), or a dataset, which is then
        analysed with the parameters below first.
    target_gender, target_age_band, activation_states, covariates, family, cluster
        The main specification: the same parameters as ``analyse_site``.
    covariate_sets : mapping, optional
        Name -> patsy terms added after ``activated``; the first is the
        main. Default: the main covariates; none; the main ones without each
        of them in turn (what each adjustment changes); the main ones plus
        each of daypart, weekend, weather, temperature_c and observer not
        among them in turn; plus all of those.
    outcomes : sequence of str
        Among ``target_staying``, ``drug_sale``, ``outreach_contact``.
    level, ci
        As :func:`~evaluation.stats.rate_ratio_model`.

    Returns
    -------
    DataFrame
        ``estimate`` (``target_staying_rate_ratio``, ...: the results-JSON
        keys), ``variant``, ``value``, ``ci_low``, ``ci_high``. Variants:
        ``main``, ``covariates=<names>``, ``family=<f>``, ``clusters=none``
        and ``activation=<kind>`` (each kind of activation against no
        activation, the other kinds left out). ``attrs["errors"]`` names the
        variants that could not be fitted and why.
        ``None`` parameters come from the study (``study.yaml``,
        :func:`~evaluation.sources.study.study_defaults`).
    """
    if activation_states is None:  # every activation kind seen (or of the study)
        study = getattr(site, "study", None)
        activation_states = (
            list(study.codes("activation_kinds"))
            if study is not None
            else sorted(set(site.per_session["activation"]) - {"none"})
        )
    if hasattr(site, "per_session"):
        per = site.per_session
    else:
        from .site import analyse_site

        per = analyse_site(
            site,
            target_gender=target_gender,
            target_age_band=target_age_band,
            activation_states=activation_states,
            covariates=covariates,
            family=family,
            cluster=cluster,
        ).per_session
    sets = (
        dict(covariate_sets)
        if covariate_sets is not None
        else _default_covariate_sets(per, covariates)
    )
    parts, errors = [], {}
    for outcome in outcomes:
        if outcome not in SITE_OUTCOMES:
            raise ModelError(f"outcome {outcome!r}: expected one of {', '.join(SITE_OUTCOMES)}")
        t = rate_ratio_sensitivity(
            per,
            outcome,
            "minutes",
            "activated",
            covariate_sets=sets,
            estimate=SITE_OUTCOMES[outcome],
            family=family,
            cluster=cluster,
            kind_column="activation",
            reference="none",
            kinds=[k for k in activation_states if k in set(per["activation"])],
            level=level,
            ci=ci,
        )
        parts.append(t)
        errors.update({f"{SITE_OUTCOMES[outcome]}: {k}": v for k, v in t.attrs["errors"].items()})
    return _concat(parts, errors)


def _concat(parts: list[pd.DataFrame], errors: dict) -> pd.DataFrame:
    out = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SENSITIVITY_COLUMNS)
    )
    out.attrs["errors"] = errors
    return out


def _shift(month: str, months: int) -> str:
    return str(pd.Period(month, freq="M") + months)


def crime_sensitivity(
    ds,
    *,
    area: str | None = None,
    categories: Sequence[str] | None = None,
    comparison_areas: Sequence[str] | None = None,
    intervention: str = "2019-06",
    transition: int = 0,
    its_end: str | None = "2022-12",
    seasonality: str | None = "fourier",
    family: str = "auto",
    hac_lags: int | None = None,
    alternative_ends: Sequence | None = None,
    transitions: Sequence[int] = (3, 6),
    placebos: int | Sequence = 3,
    effects: Sequence[str] = ("level_change", "slope_change"),
    level: float = 0.95,
    ci: str = "t",
) -> pd.DataFrame:
    """Sensitivity of 03's interrupted time series (single and comparative) to their specification.

    Parameters
    ----------
    ds : Dataset
    area, categories, comparison_areas, intervention, transition, its_end, seasonality, family, hac_lags
        The main specification: the same parameters as
        :func:`~evaluation.analyses.analyse_crime`.
    alternative_ends : sequence, optional
        Other ends of the series; default: a year before ``its_end`` and the
        whole series (``None``, which crosses a redrawn boundary if there is
        one: read that variant with care).
    transitions : sequence of int
        Phase-in periods to leave out.
    placebos : int or sequence
        In-time placebo dates over the pre-period (count or dates); each is
        fitted on the pre-period only.
    effects : sequence of str
        ITS effects to report.

    Returns
    -------
    DataFrame
        ``estimate`` (``<category>.<effect>`` or
        ``<category>_vs_<comparison>.<effect>``, the results-JSON ``its``
        keys), ``variant``, ``value``, ``ci_low``, ``ci_high``; variants as
        :func:`~evaluation.stats.sensitivity.its_sensitivity`.
    """
    from ..sources.study import study_defaults
    from .crime import monthly_series

    p = study_defaults(
        getattr(ds, "study", None),
        area=area,
        categories=categories,
        comparison_areas=comparison_areas,
    )
    area, comparison_areas = p["area"], p["comparison_areas"] or ()
    categories = p["categories"] or ()
    if ds.crime is None:
        raise ModelError("this data folder has no crime/ data")
    if alternative_ends is None:
        alternative_ends = [_shift(its_end, -12), None] if its_end else []
    rep = ds.crime["reported"]
    common = {
        "family": family,
        "seasonality": seasonality,
        "transition": transition,
        "its_end": its_end,
        "alternative_ends": alternative_ends,
        "transitions": transitions,
        "placebos": placebos,
        "hac_lags": hac_lags,
        "effects": effects,
        "level": level,
        "ci": ci,
    }
    parts, errors = [], {}
    for cat in categories:
        series = monthly_series(rep, area, cat)
        runs = [(cat, series, {})]
        for comp in comparison_areas:
            both = pd.concat([series, monthly_series(rep, comp, cat)], ignore_index=True)
            runs.append((f"{cat}_vs_{comp}", both, {"group": "area", "control": comp}))
        for name, data, extra in runs:
            try:
                t = its_sensitivity(
                    data, "month", "count", intervention, estimate=name, **common, **extra
                )
            except ModelError as exc:  # e.g. no data for this category
                errors[name] = str(exc)
                continue
            parts.append(t)
            errors.update({f"{name}: {k}": v for k, v in t.attrs["errors"].items()})
    return _concat(parts, errors)


def survey_sensitivity(
    ds, item: str = "safe_evening", areas: Sequence[str] | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Sensitivity of 03's survey trends (odds ratio per year) to the interval and to each year.

    Variants: ``main`` (:func:`~evaluation.stats.survey_trend`, t
    intervals), ``ci=z`` (normal quantiles) and ``without=<year>`` (each
    year left out in turn; areas with fewer than 4 years get none).

    Returns
    -------
    DataFrame
        ``estimate`` (``survey_trend.<area>``), ``variant``, ``value``,
        ``ci_low``, ``ci_high``.
    """
    if ds.survey is None:
        raise ModelError("this data folder has no survey/ data")
    s = ds.survey[ds.survey["item"] == item]
    if areas is not None:
        s = s[s["area"].isin(list(areas))]
    rows: list[dict] = []

    def add(t: pd.DataFrame, variant: str, only: str | None = None) -> None:
        for r in t.itertuples():
            if only is not None and r.area != only:
                continue
            rows.append(
                {
                    "estimate": f"survey_trend.{r.area}",
                    "variant": variant,
                    "value": float(r.odds_ratio),
                    "ci_low": float(r.ci_low),
                    "ci_high": float(r.ci_high),
                }
            )

    add(survey_trend(s, item, level), "main")
    add(survey_trend(s, item, level, ci="z"), "ci=z")
    for area, g in s.groupby("area"):
        years = sorted(g["year"].unique())
        if len(years) < 4:
            continue
        for y in years:
            add(survey_trend(g[g["year"] != y], item, level), f"without={int(y)}", area)
    out = _frame(rows, {})
    return out.sort_values("estimate", kind="stable").reset_index(drop=True)


def sensitivity_records(table: pd.DataFrame) -> list[dict]:
    """The results-JSON ``"sensitivity"`` list: one ``{estimate, variant, value, ci_low, ci_high}``
    per row, NaN as ``None``."""

    def num(x):
        return None if x is None or not np.isfinite(x) else float(x)

    return [
        {
            "estimate": str(r.estimate),
            "variant": str(r.variant),
            "value": num(r.value),
            "ci_low": num(r.ci_low),
            "ci_high": num(r.ci_high),
        }
        for r in table.itertuples()
    ]


def robustness_table(table: pd.DataFrame) -> pd.DataFrame:
    """One row per estimate: the main value, the range over variants, and whether its direction holds.

    Returns
    -------
    DataFrame
        ``estimate``, ``main``, ``ci_low``, ``ci_high`` (main), ``variants``
        (fitted, placebos excluded), ``min``, ``max`` (over those variants),
        ``placebos_excluding_1`` (placebo intervals that exclude 1, out of
        ``placebos``), ``direction_robust`` (True / False / None, the rule
        of :func:`~evaluation.stats.sensitivity.direction_robust`).
    """
    rows = []
    for est, t in table.groupby("estimate", sort=False):
        main = t[t["variant"] == "main"]
        other = t[(t["variant"] != "main") & ~t["variant"].str.startswith("placebo=")]
        plac = t[t["variant"].str.startswith("placebo=")].dropna(subset=["value"])
        vals = other["value"].dropna()
        rows.append(
            {
                "estimate": est,
                "main": main["value"].iloc[0] if len(main) else np.nan,
                "ci_low": main["ci_low"].iloc[0] if len(main) else np.nan,
                "ci_high": main["ci_high"].iloc[0] if len(main) else np.nan,
                "variants": int(len(vals)),
                "min": vals.min() if len(vals) else np.nan,
                "max": vals.max() if len(vals) else np.nan,
                "placebos_excluding_1": int(((plac["ci_low"] > 1) | (plac["ci_high"] < 1)).sum()),
                "placebos": int(len(plac)),
                "direction_robust": direction_robust(t),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "estimate",
            "main",
            "ci_low",
            "ci_high",
            "variants",
            "min",
            "max",
            "placebos_excluding_1",
            "placebos",
            "direction_robust",
        ],
    )


# ------------------------------------------------------------------ report
def attach_sensitivity(analysis, table: pd.DataFrame):
    """Put a sensitivity table into an analysis' results: ``record.sensitivity`` and ``results``.

    ``analysis`` is a :class:`~evaluation.analyses.site.SiteAnalysis` or a
    :class:`~evaluation.analyses.crime.CrimeAnalysis`; its record (what the
    notebook writes to ``results/<notebook>.json``) then carries the rows of
    :func:`sensitivity_records`. Returns ``analysis``.
    """
    from ..results import Sensitivity

    rows = sensitivity_records(table)
    if getattr(analysis, "record", None) is not None:
        analysis.record.sensitivity = [Sensitivity(**r) for r in rows]
    if isinstance(getattr(analysis, "results", None), dict):
        analysis.results["sensitivity"] = rows
    return analysis


def variant_label(variant: str, language: str) -> str:
    """A variant of :data:`SENSITIVITY_COLUMNS` in words.

    >>> variant_label("family=negbin", "sv"), variant_label("its_end=none", "en")
    ('fördelning: negativ binomial', 'whole series')
    >>> variant_label("covariates=zone+daypart", "en"), variant_label("activation=art", "sv")
    ('covariates: zone, time of day', 'endast konst mot ingen aktivering')
    """
    from ..i18n import has, t
    from .findings import covariate_label, label

    what, _, value = variant.partition("=")
    if what == "main" or not value:
        key = f"sensitivity.variant.{what}"
        return t(key, language) if has(key, language) else variant
    if value == "none" and has(f"sensitivity.variant.{what}_none", language):
        return t(f"sensitivity.variant.{what}_none", language)
    if what == "covariates":
        names = [covariate_label(c, language) for c in value.split("+") if c != "none"]
        shown = ", ".join(names) if names else t("sensitivity.variant.none", language)
        return t("sensitivity.variant.covariates", language, value=shown)
    if what in ("family", "activation", "seasonality"):
        value = label(value, language)
    key = f"sensitivity.variant.{what}"
    return t(key, language, value=value) if has(key, language) else variant


def estimate_label(estimate: str, language: str, group: str = "", area: str = "") -> str:
    """A sensitivity ``estimate`` name in words (the 01 rate ratios, 03's ITS effects, survey trends).

    >>> estimate_label("violence_vs_area_b.level_change", "en", area="site_a")
    'violent crime, site_a against area_b: level change'
    >>> estimate_label("survey_trend.city", "sv")
    'Trygghet, city: oddskvot per år'
    """
    from ..i18n import has, t
    from .findings import label

    if has(f"sensitivity.estimate.{estimate}", language):
        return t(f"sensitivity.estimate.{estimate}", language, group=group)
    if estimate.startswith("survey_trend."):
        return t("sensitivity.estimate.survey", language, area=label(estimate[13:], language))
    series, _, effect = estimate.rpartition(".")
    if not series:
        return estimate
    cat, _, comp = series.partition("_vs_")
    values = {
        "category": label(cat, language),
        "area": label(area, language),
        "effect": label(effect, language),
    }
    if comp:
        return t(
            "sensitivity.estimate.its_vs", language, comparison=label(comp, language), **values
        )
    return t("sensitivity.estimate.its", language, **values)


def sensitivity_tables(
    table: pd.DataFrame, language: str, group: str = "", area: str = ""
) -> list[tuple[str, pd.DataFrame]]:
    """One table per estimate for the report: (caption in words, rows with the variant in words).

    Returns
    -------
    list of (str, DataFrame)
        The DataFrames have ``variant`` (in ``language``), ``value``,
        ``ci_low``, ``ci_high``.
    """
    out = []
    for est, rows in table.groupby("estimate", sort=False):
        d = rows[["variant", "value", "ci_low", "ci_high"]].copy()
        d["variant"] = d["variant"].map(lambda v: variant_label(str(v), language))
        out.append((estimate_label(str(est), language, group, area), d.reset_index(drop=True)))
    return out


def robustness_summary(
    table: pd.DataFrame, language: str, group: str = "", area: str = ""
) -> pd.DataFrame:
    """:func:`robustness_table` with the estimates in words and ``direction_robust`` as a label.

    ``direction_robust`` becomes yes / no, or an empty cell where there is no
    direction to keep (the main interval includes no change).
    """
    from ..i18n import label as _label

    r = robustness_table(table)
    r["estimate"] = r["estimate"].map(lambda e: estimate_label(str(e), language, group, area))
    r["direction_robust"] = r["direction_robust"].map(
        lambda v: (
            "–"
            if v is None or (isinstance(v, float) and np.isnan(v))
            else _label(bool(v), language)
        )
    )
    return r


def crime_and_survey_sensitivity(
    ds,
    *,
    area: str | None = None,
    categories: Sequence[str] | None = None,
    comparison_areas: Sequence[str] | None = None,
    intervention: str = "2019-06",
    transition: int = 0,
    its_end: str | None = "2022-12",
    seasonality: str | None = "fourier",
    family: str = "auto",
    hac_lags: int | None = None,
    survey_item: str = "safe_evening",
    survey_reference: str | None = None,
) -> pd.DataFrame:
    """03's sensitivity rows: :func:`crime_sensitivity` and :func:`survey_sensitivity` together.

    The parameters are those of :func:`~evaluation.analyses.analyse_crime`.
    A missing source (no ``crime/`` or no ``survey/``) contributes no rows;
    ``attrs["errors"]`` names what could not be fitted and why. ``None``
    parameters come from the study (``study.yaml``).
    """
    from ..sources.study import study_defaults

    p = study_defaults(
        getattr(ds, "study", None),
        area=area,
        categories=categories,
        comparison_areas=comparison_areas,
        survey_reference=survey_reference,
    )
    area, comparison_areas = p["area"], p["comparison_areas"] or ()
    survey_reference, categories = p["survey_reference"], p["categories"] or ()
    parts, errors = [], {}
    if ds.crime is not None:
        c = crime_sensitivity(
            ds,
            area=area,
            categories=categories,
            comparison_areas=comparison_areas,
            intervention=intervention,
            transition=transition,
            its_end=its_end,
            seasonality=seasonality,
            family=family,
            hac_lags=hac_lags,
        )
        parts.append(c)
        errors.update(c.attrs["errors"])
    if ds.survey is not None:
        try:
            parts.append(survey_sensitivity(ds, survey_item, areas=[area, survey_reference]))
        except ModelError as exc:
            errors["survey_trend"] = str(exc)
    out = _concat([p for p in parts if len(p)], errors)
    for col in ("value", "ci_low", "ci_high"):
        out[col] = out[col].astype(float)
    return out
