"""Do the analyses recover the effects planted in the synthetic example?

Moved here from ``evaluation.synthetic`` (issue 17): the generator estimates
nothing; these functions re-run the site, crime and survey analyses on a
generated data folder and compare with :data:`evaluation.synthetic.TRUTH`.
Used by ``tests/test_synthetic.py`` and ``tests/stats/test_counts.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaluation.synthetic import TRUTH

__all__ = ["recovery_table", "adjustment_table", "seed_criteria"]


def recovery_table(
    path: str | Path, level: float = 0.95, truth: dict | None = None
) -> pd.DataFrame:
    """Estimate every planted effect from a generated data folder, as the notebooks do.

    The observation effects come from the count model with the default
    adjustment set (:data:`evaluation.analyses.site.DEFAULT_COVARIATES`);
    :func:`adjustment_table` shows them without the adjustments.

    Returns
    -------
    DataFrame
        ``effect``, ``truth``, ``estimate``, ``ci_low``, ``ci_high``,
        ``covered`` (truth inside the CI).
    """
    import warnings

    from evaluation.analyses.site import DEFAULT_COVARIATES, model_formula
    from evaluation.sources import load_dataset, primary_sessions
    from evaluation.stats import interrupted_time_series, rate_ratio_model, survey_trend
    from evaluation.stats.its import ITSWarning
    from evaluation.stats.rates import session_totals

    ds = load_dataset(path)
    rows = []

    def add(name, truth, est, lo, hi):
        rows.append(
            {
                "effect": name,
                "truth": truth,
                "estimate": est,
                "ci_low": lo,
                "ci_high": hi,
                "covered": bool(lo <= truth <= hi),
            }
        )

    o, t = ds.observations, truth or TRUTH
    s = primary_sessions(o["sessions"])
    d = session_totals(
        o["counts"], s, {"gender": "female", "age_band": "13-18", "activity": "staying"}, "y"
    )
    inc = o["incidents"]
    d["sales"] = (
        d["session_id"]
        .map(inc[inc["kind"] == "drug_sale"].groupby("session_id")["count"].sum())
        .fillna(0)
        .astype(int)
    )
    rhs = model_formula(d, DEFAULT_COVARIATES)
    for name, col, truth in (
        ("target_staying_rate_ratio", "y", t["observations"]["target_staying_rate_ratio"]),
        ("drug_sale_rate_ratio", "sales", t["observations"]["drug_sale_rate_ratio"]),
    ):
        r = rate_ratio_model(d, col, "minutes", rhs, cluster="date", level=level).table.loc[
            "activated"
        ]
        add(name, truth, r.rate_ratio, r.ci_low, r.ci_high)
    rep = ds.crime["reported"]
    rep = rep[rep["month"] < "2023-01"]
    c = t["crime"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ITSWarning)
        for cat, truth in (
            ("violence", c["violence_level_change"]),
            ("drug_offences", c["drug_offences_level_change"]),
        ):
            ser = rep[(rep["area"] == c["area"]) & (rep["category"] == cat)]
            res = interrupted_time_series(
                ser,
                "month",
                "count",
                c["intervention"],
                family="auto",
                seasonality="fourier",
                level=level,
            )
            e = res.effects
            add(
                f"its_{cat}_level_change",
                truth,
                *e.loc["level_change", ["rate_ratio", "ci_low", "ci_high"]],
            )
            add(
                f"its_{cat}_slope_change",
                1.0,
                *e.loc["slope_change", ["rate_ratio", "ci_low", "ci_high"]],
            )
            both = rep[rep["area"].isin([c["area"], "odenplan"]) & (rep["category"] == cat)]
            res = interrupted_time_series(
                both,
                "month",
                "count",
                c["intervention"],
                family="auto",
                seasonality="fourier",
                group="area",
                control="odenplan",
                level=level,
            )
            add(
                f"cits_{cat}_level_change_vs_odenplan",
                truth,
                *res.effects.loc["level_change", ["rate_ratio", "ci_low", "ci_high"]],
            )
    tr = survey_trend(ds.survey, "safe_evening", level=level).set_index("area")
    for area, truth in t["survey"]["safe_evening_odds_ratio_per_year"].items():
        add(
            f"survey_safe_evening_or_{area}",
            truth,
            *tr.loc[area, ["odds_ratio", "ci_low", "ci_high"]],
        )
    return pd.DataFrame(
        rows, columns=["effect", "truth", "estimate", "ci_low", "ci_high", "covered"]
    )


#: The observation effects of :func:`adjustment_table`: results-JSON key -> incidents kind
#: (``None``: the target group staying).
_ADJUSTED_EFFECTS = {
    "target_staying_rate_ratio": None,
    "drug_sale_rate_ratio": "drug_sale",
    "outreach_contact_rate_ratio": "outreach_contact",
}


def adjustment_table(
    path: str | Path,
    level: float = 0.95,
    truth: dict | None = None,
    covariate_sets: dict[str, list[str]] | None = None,
) -> pd.DataFrame:
    """The observation effects with and without the adjustments, against the truth.

    The example's activations run in the warmest weeks, by more of the
    observer who counts high (:data:`TRUTH`): a model with zone alone
    (``unadjusted``) mistakes the season and the observer for the
    activation; the default adjustment set (``adjusted``: zone, weather,
    temperature, observer) recovers the planted rate ratios.

    Parameters
    ----------
    path : path
        A data folder written by :func:`make_example_data`.
    level : float
        Confidence level.
    truth : dict, optional
        The planted effects (default :data:`TRUTH`; :func:`planted_effects`
        for reversed data).
    covariate_sets : dict, optional
        Name -> covariates; default ``unadjusted`` (zone) and ``adjusted``
        (:data:`~evaluation.analyses.site.DEFAULT_COVARIATES`).

    Returns
    -------
    DataFrame
        ``effect``, ``model`` (the covariate set's name), ``covariates``
        (joined by ``+``), ``truth``, ``estimate``, ``ci_low``, ``ci_high``,
        ``covered`` (truth inside the CI).
    """
    from evaluation.analyses.site import DEFAULT_COVARIATES, model_formula
    from evaluation.sources import load_observations, primary_sessions
    from evaluation.stats import rate_ratio_model
    from evaluation.stats.rates import session_totals

    t = (truth or TRUTH)["observations"]
    sets = covariate_sets or {"unadjusted": ["zone"], "adjusted": list(DEFAULT_COVARIATES)}
    o, _ = load_observations(Path(path) / "observations")
    d = session_totals(
        o["counts"],
        primary_sessions(o["sessions"]),
        {"gender": "female", "age_band": "13-18", "activity": "staying"},
        "target_staying_rate_ratio",
    )
    inc = o["incidents"]
    for effect, kind in _ADJUSTED_EFFECTS.items():
        if kind:
            per = inc[inc["kind"] == kind].groupby("session_id")["count"].sum()
            d[effect] = d["session_id"].map(per).fillna(0).astype(int)
    rows = []
    for effect in _ADJUSTED_EFFECTS:
        for name, cov in sets.items():
            r = rate_ratio_model(
                d, effect, "minutes", model_formula(d, cov), cluster="date", level=level
            ).table.loc["activated"]
            rows.append(
                {
                    "effect": effect,
                    "model": name,
                    "covariates": "+".join(cov) or "none",
                    "truth": t[effect],
                    "estimate": float(r.rate_ratio),
                    "ci_low": float(r.ci_low),
                    "ci_high": float(r.ci_high),
                    "covered": bool(r.ci_low <= t[effect] <= r.ci_high),
                }
            )
    return pd.DataFrame(rows)


def seed_criteria(path: str | Path, reverse: bool = False) -> dict[str, bool]:
    """The documented criteria a seed of the example must meet (:data:`DEFAULT_SEED`).

    The seed is the first of 2019, 2020, ... (``reverse``: 2030, 2031, ...)
    whose data meet every criterion; a test keeps the bundled seeds meeting
    them.

    Default data: ``recovered`` (all planted effects of :func:`recovery_table`
    inside their 95% CIs), ``per_hectare`` (2022->2023 violence down in
    total, up >= 1.8x per hectare), ``coder_disagreement`` (metodkonflikt
    the least reliable code) and ``adjustment_matters`` (the unadjusted
    rate ratio of girls 13-18 staying, zone only, has a CI that misses the
    truth: :func:`adjustment_table`).

    Reversed data (analysed as the report does, default parameters):
    ``girls_down``, ``sales_up``, ``violence_up`` and ``safe_evening_down``
    (each CI excluding no change) and ``area_grew`` (the 2022->2023 violence
    count rises while the rate per hectare falls).
    """
    from evaluation.analyses.crime import analyse_crime
    from evaluation.analyses.site import analyse_site
    from evaluation.sources import load_dataset

    ds = load_dataset(path)
    crime = analyse_crime(ds).results
    ph = crime["per_hectare"]["violence"]
    if reverse:
        site = analyse_site(ds).results
        its = crime["its"]["violence"]["level_change"]
        survey = crime["survey_trend"]["sergels_torg"]
        return {
            "girls_down": site["target_staying_rate_ratio"]["ci_high"] < 1,
            "sales_up": site["drug_sale_rate_ratio"]["ci_low"] > 1,
            "violence_up": its["ci_low"] > 1,
            "safe_evening_down": survey["ci_high"] < 1,
            "area_grew": ph["change_total"] > 1 and ph["change_per_hectare"] < 1,
        }
    from evaluation.analyses.focus import analyse_focus_groups

    rel = analyse_focus_groups(ds).reliability
    codes = rel[rel["level"] == "code"].dropna(subset=["krippendorff_alpha"])
    adj = adjustment_table(path).set_index(["effect", "model"])
    unadjusted = adj.loc[("target_staying_rate_ratio", "unadjusted")]
    return {
        "recovered": bool(recovery_table(path)["covered"].all()),
        "per_hectare": ph["change_total"] < 1 and ph["change_per_hectare"] >= 1.8,
        "coder_disagreement": codes.loc[codes["krippendorff_alpha"].idxmin(), "code"]
        == "metodkonflikt",
        "adjustment_matters": not bool(unadjusted["covered"]),
    }
