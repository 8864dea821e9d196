"""Reading a sensitivity table: the results-JSON rows, robustness per estimate, the report's tables in words.

The tables come from :mod:`evaluation.analyses.sensitivity` (columns
:data:`~evaluation.stats.sensitivity.SENSITIVITY_COLUMNS`); the functions here
are re-exported there.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
import pandas as pd

from ..stats.sensitivity import direction_robust

__all__ = [
    "sensitivity_records",
    "robustness_table",
    "attach_sensitivity",
    "variant_label",
    "estimate_label",
    "sensitivity_tables",
    "robustness_summary",
]

T = TypeVar("T")


def sensitivity_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The results-JSON ``"sensitivity"`` list: one ``{estimate, variant, value, ci_low, ci_high}``
    per row, NaN as ``None``.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": "x", "variant": ["main", "family=negbin", "placebo=2017-01"],
    ...                   "value": [0.8, 0.9, 1.3], "ci_low": [0.7, 0.75, 0.9], "ci_high": [0.9, 1.05, 1.8]})
    >>> sensitivity_records(t)[0]
    {'estimate': 'x', 'variant': 'main', 'value': 0.8, 'ci_low': 0.7, 'ci_high': 0.9}
    """

    def num(x: Any) -> float | None:
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

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": "x", "variant": ["main", "family=negbin", "placebo=2017-01"],
    ...                   "value": [0.8, 0.9, 1.3], "ci_low": [0.7, 0.75, 0.9], "ci_high": [0.9, 1.05, 1.8]})
    >>> robustness_table(t)[["main", "variants", "min", "placebos", "direction_robust"]].to_dict("records")
    [{'main': 0.8, 'variants': 1, 'min': 0.9, 'placebos': 1, 'direction_robust': True}]
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


def attach_sensitivity(analysis: T, table: pd.DataFrame) -> T:
    """Put a sensitivity table into an analysis' results: ``record.sensitivity`` and ``results``.

    ``analysis`` is a :class:`~evaluation.analyses.site.SiteAnalysis` or a
    :class:`~evaluation.analyses.crime.CrimeAnalysis`; its record (what the
    notebook writes to ``results/<notebook>.json``) then carries the rows of
    :func:`sensitivity_records`. Returns ``analysis``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> t = pd.DataFrame({"estimate": "x", "variant": ["main", "family=negbin", "placebo=2017-01"],
    ...                   "value": [0.8, 0.9, 1.3], "ci_low": [0.7, 0.75, 0.9], "ci_high": [0.9, 1.05, 1.8]})
    >>> len(attach_sensitivity(NS(record=None, results={}), t).results["sensitivity"])
    3
    """
    from ..results import Sensitivity

    rows = sensitivity_records(table)
    record = getattr(analysis, "record", None)
    if record is not None:
        record.sensitivity = [Sensitivity(**r) for r in rows]
    results = getattr(analysis, "results", None)
    if isinstance(results, dict):
        results["sensitivity"] = rows
    return analysis


def variant_label(variant: str, language: str) -> str:
    """A variant of :data:`SENSITIVITY_COLUMNS` in words.

    Examples
    --------
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

    Examples
    --------
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

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": "x", "variant": ["main", "family=negbin", "placebo=2017-01"],
    ...                   "value": [0.8, 0.9, 1.3], "ci_low": [0.7, 0.75, 0.9], "ci_high": [0.9, 1.05, 1.8]})
    >>> caption, rows = sensitivity_tables(t, "en")[0]
    >>> rows["variant"].tolist()
    ['main analysis', 'family: negative binomial', 'placebo 2017-01']
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

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": "x", "variant": ["main", "family=negbin", "placebo=2017-01"],
    ...                   "value": [0.8, 0.9, 1.3], "ci_low": [0.7, 0.75, 0.9], "ci_high": [0.9, 1.05, 1.8]})
    >>> robustness_summary(t, "en")[["main", "direction_robust"]].values.tolist()
    [[0.8, 'yes']]
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
