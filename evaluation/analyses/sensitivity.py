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
from typing import Any

import pandas as pd

from ..errors import ModelError
from ..sources.order import order_codes
from ..stats.sensitivity import (
    SENSITIVITY_COLUMNS,
    _frame,
    its_sensitivity,
    rate_ratio_sensitivity,
)
from ..stats.survey import survey_trend
from .crime_spec import crime_spec, survey_item_for
from .robustness import (
    attach_sensitivity,
    estimate_label,
    robustness_summary,
    robustness_table,
    sensitivity_records,
    sensitivity_tables,
    variant_label,
)
from .sessions import covariate_term, per_session_table, usable_covariates

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


#: Plausible confounders added to the main covariates in turn when not among them.
EXTRA_COVARIATES = ("daypart", "weekend", "weather", "temperature_c", "observer")


def _default_covariate_sets(per: pd.DataFrame, covariates: Sequence[str]) -> dict[str, str]:
    """The main covariates; none; the main ones without each in turn (what each adjustment
    changes); the main ones plus each plausible confounder in turn, and plus all of them."""
    main, _ = usable_covariates(per, covariates)

    def entry(cols: Sequence[str]) -> tuple[str, str]:
        return "+".join(cols) or "none", " + ".join(covariate_term(per, c) for c in cols)

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
    site: Any,
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

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> act = np.tile(["none", "art", "event"], 40)
    >>> per = pd.DataFrame({"activation": act, "activated": (act != "none").astype(int),
    ...                     "minutes": 60.0, "zone": np.repeat(["a", "b"], 60),
    ...                     "target_staying": rng.poisson(np.where(act == "art", 3.0, 2.0))})
    >>> s = site_sensitivity(NS(per_session=per, study=None), covariates=["zone"],
    ...                      outcomes=["target_staying"], cluster=None)
    >>> s["variant"].tolist()
    ['main', 'covariates=none', 'family=quasipoisson', 'family=negbin', 'activation=art', 'activation=event']
    """
    if activation_states is None:  # every activation kind seen (or of the study)
        study = getattr(site, "study", None)
        activation_states = (
            list(study.codes("activation_kinds"))
            if study is not None
            else sorted(set(site.per_session["activation"]) - {"none"})
        )
    per = (
        site.per_session
        if hasattr(site, "per_session")
        else per_session_table(site, target_gender, target_age_band, activation_states)
    )
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


def _concat(parts: list[pd.DataFrame], errors: dict[str, str]) -> pd.DataFrame:
    out = (
        pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SENSITIVITY_COLUMNS)
    )
    out.attrs["errors"] = errors
    return out


def _shift(month: str, months: int) -> str:
    return str(pd.Period(month, freq="M") + months)


def crime_sensitivity(
    ds: Any,
    *,
    area: str | None = None,
    categories: Sequence[str] | None = None,
    comparison_areas: Sequence[str] | None = None,
    intervention: str | None = None,
    transition: int = 0,
    its_end: str | None = None,
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

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> rep = pd.DataFrame({"month": pd.date_range("2016-01-01", periods=60, freq="MS"), "area": "site",
    ...                     "category": "theft", "count": rng.poisson([40] * 36 + [28] * 24)})
    >>> s = crime_sensitivity(NS(crime={"reported": rep}, study=None), area="site", categories=["theft"],
    ...                       intervention="2019-01", its_end=None, seasonality=None, placebos=1,
    ...                       transitions=(), effects=["level_change"])
    >>> s["variant"].tolist()
    ['main', 'family=quasipoisson', 'family=negbin', 'seasonality=fourier', 'placebo=2017-07']
    """
    spec = crime_spec(
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
    if ds.crime is None:
        raise ModelError("this data folder has no crime/ data")
    its_end = spec.its_end  # the study's when not given
    if alternative_ends is None:
        alternative_ends = [_shift(its_end, -12), None] if its_end else []
    common = {
        **spec.its_arguments(),
        "its_end": its_end,
        "alternative_ends": alternative_ends,
        "transitions": transitions,
        "placebos": placebos,
        "effects": effects,
        "level": level,
        "ci": ci,
    }
    parts, errors = [], {}
    for run in spec.runs(ds.crime["reported"]):
        args = {**common, **run.arguments}
        try:
            t = its_sensitivity(run.data, "month", "count", estimate=run.key, **args)
        except ModelError as exc:  # e.g. no data for this category
            errors[run.key] = str(exc)
            continue
        parts.append(t)
        errors.update({f"{run.key}: {k}": v for k, v in t.attrs["errors"].items()})
    return _concat(parts, errors)


def survey_sensitivity(
    ds: Any, item: str | None = None, areas: Sequence[str] | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Sensitivity of 03's survey trends (odds ratio per year) to the interval and to each year.

    Variants: ``main`` (:func:`~evaluation.stats.survey_trend`, t
    intervals), ``ci=z`` (normal quantiles) and ``without=<year>`` (each
    year left out in turn; areas with fewer than 4 years get none).
    ``item`` is the survey item (``None``: the study's
    ``crime_areas.survey_item``).

    Returns
    -------
    DataFrame
        ``estimate`` (``survey_trend.<area>``), ``variant``, ``value``,
        ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> sv = pd.DataFrame({"year": [2015, 2017, 2019, 2021, 2023], "area": "site", "item": "feels_safe",
    ...                    "n": 200, "n_yes": [80, 88, 99, 104, 118]})
    >>> survey_sensitivity(NS(survey=sv), "feels_safe")["variant"].tolist()[:4]
    ['main', 'ci=z', 'without=2015', 'without=2017']
    """
    if ds.survey is None:
        raise ModelError("this data folder has no survey/ data")
    item = survey_item_for(ds, item)
    if item is None:
        raise ModelError("no survey item: crime_areas.survey_item in study.yaml or item=...")
    s = ds.survey[ds.survey["item"] == item]
    if areas is not None:
        s = s[s["area"].isin(list(areas))]
    rows: list[dict] = []

    def add(t: pd.DataFrame, variant: str, only: str | None = None) -> None:
        for r in t.to_dict("records"):
            if only is not None and r["area"] != only:
                continue
            rows.append(
                {
                    "estimate": f"survey_trend.{r['area']}",
                    "variant": variant,
                    "value": float(r["odds_ratio"]),
                    "ci_low": float(r["ci_low"]),
                    "ci_high": float(r["ci_high"]),
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
    # areas in the study's order (alphabetical without a study); each area's variants as added
    keys = [
        f"survey_trend.{a}"
        for a in order_codes(sorted(s["area"].unique()), "areas", getattr(ds, "study", None))
    ]
    rank = {k: i for i, k in enumerate(keys)}
    at = out["estimate"].map(lambda e: rank.get(e, len(rank)))
    return out.iloc[at.argsort(kind="stable").to_numpy()].reset_index(drop=True)


def crime_and_survey_sensitivity(
    ds: Any,
    *,
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
) -> pd.DataFrame:
    """03's sensitivity rows: :func:`crime_sensitivity` and :func:`survey_sensitivity` together.

    The parameters are those of :func:`~evaluation.analyses.analyse_crime`.
    A missing source (no ``crime/`` or no ``survey/``) contributes no rows;
    ``attrs["errors"]`` names what could not be fitted and why. ``None``
    parameters come from the study (``study.yaml``).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> sv = pd.DataFrame({"year": [2015, 2017, 2019, 2021, 2023], "area": "site", "item": "feels_safe",
    ...                    "n": 200, "n_yes": [80, 88, 99, 104, 118]})
    >>> out = crime_and_survey_sensitivity(NS(crime=None, survey=sv, study=None), area="site",
    ...                                    intervention="2019-06", survey_item="feels_safe")
    >>> out["estimate"].unique().tolist(), len(out)
    (['survey_trend.site'], 7)
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
    area, survey_reference = spec.area, spec.survey_reference
    parts, errors = [], {}
    if ds.crime is not None:
        c = crime_sensitivity(ds, **spec.parameters())
        parts.append(c)
        errors.update(c.attrs["errors"])
    survey_item = survey_item_for(ds, survey_item)
    if ds.survey is not None and survey_item is not None:
        try:
            areas = [a for a in (area, survey_reference) if a is not None]
            parts.append(survey_sensitivity(ds, survey_item, areas=areas))
        except ModelError as exc:
            errors["survey_trend"] = str(exc)
    out = _concat([p for p in parts if len(p)], errors)
    for col in ("value", "ci_low", "ci_high"):
        out[col] = out[col].astype(float)
    return out
