"""01_site_observations: does activation bring the target group to stay, and does it expose them to drug dealing?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..results import (
    Check,
    CoIntervention,
    ConflictRate,
    CoPresence,
    Incomplete,
    RateRatioEstimate,
    SiteResults,
    as_json,
)
from ..sources.study import study_defaults
from ..stats import rate_ratio_model, rate_table, wilson_ci
from ..stats.counts import RateRatioResult
from ..stats.rates import session_totals
from .conflict import method_conflict_model, method_conflict_rates
from .sessions import (
    DEFAULT_COVARIATES,
    compared_sessions,
    covariate_term,
    model_formula,
    session_counts,
    usable_covariates,
)

__all__ = [
    "SiteAnalysis",
    "analyse_site",
    "observer_agreement",
    "co_presence",
    "conflict_rate",
    "effect_entry",
    "effect_record",
    "model_checks",
    "co_interventions",
    "covariate_term",
    "model_formula",
    "usable_covariates",
    "DEFAULT_COVARIATES",
    "SiteTables",
    "published_tables",
]

#: Pearson chi2/df above which a Poisson model with model-based errors is overdispersed
DISPERSION_THRESHOLD = 1.25
#: fewest clusters for cluster-robust errors to be trusted (Cameron & Miller 2015)
MIN_CLUSTERS = 20


def model_checks(res: RateRatioResult) -> list[Check]:
    """The named checks of a rate-ratio model, each passed or not.

    - ``overdispersion``: the variance is allowed for: a negative binomial
      family, cluster-robust errors, or a Poisson fit with Pearson
      chi2/df <= 1.25;
    - ``clusters`` (with cluster-robust errors only): at least 20 clusters,
      below which such errors are too small (Cameron & Miller 2015).

    References
    ----------
    Cameron AC, Miller DL. A practitioner's guide to cluster-robust
    inference. J Hum Resour. 2015;50(2):317-372.
    """
    f = res.fit
    disp = f.get("dispersion")
    out = [
        Check(
            "overdispersion",
            bool(
                res.family == "negbin"
                or str(f.get("cov_type", "")).startswith("cluster-robust")
                or (disp is not None and disp <= DISPERSION_THRESHOLD)
            ),
            None if disp is None else float(disp),
            DISPERSION_THRESHOLD,
        )
    ]
    if f.get("n_clusters"):
        out.append(
            Check(
                "clusters",
                int(f["n_clusters"]) >= MIN_CLUSTERS,
                float(f["n_clusters"]),
                float(MIN_CLUSTERS),
            )
        )
    return out


def effect_entry(
    res: RateRatioResult | None,
    term: str,
    n: int,
    error: str | None = None,
    measure: str = "rate_ratio",
) -> dict:
    """The results-JSON entry of one rate ratio (contract of 01_site_observations.json).

    An :class:`evaluation.results.RateRatioEstimate`: ``estimate``, ``ci_low``,
    ``ci_high``, ``p_value``, ``family``, ``n_sessions`` (issue 5), with
    ``measure``, ``scale`` (ratio), ``null_value`` (1), ``n``, ``checks``,
    ``notes``, ``dispersion``, ``n_clusters`` and ``error`` (why it could not
    be estimated, else ``None``).
    """
    return as_json(effect_record(res, term, n, error, measure))


def effect_record(
    res: RateRatioResult | None,
    term: str,
    n: int,
    error: str | None = None,
    measure: str = "rate_ratio",
) -> RateRatioEstimate:
    """The :class:`~evaluation.results.RateRatioEstimate` of one model term."""
    if res is None:
        return RateRatioEstimate(
            measure, None, n=n, n_sessions=n, error=error, notes=[error] if error else []
        )
    row = res.table.loc[term]
    return RateRatioEstimate(
        measure,
        float(row.rate_ratio),
        float(row.ci_low),
        float(row.ci_high),
        float(row.p_value),
        family=res.family,
        n=n,
        checks=model_checks(res),
        n_sessions=n,
        dispersion=float(res.fit["dispersion"]),
        n_clusters=res.fit["n_clusters"],
    )


def co_presence(per_session: pd.DataFrame, by: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Sessions where the target group was present while drug dealing was observed (share of sessions).

    Superseded for the method conflict by the rate per observed hour
    (:func:`evaluation.analyses.conflict.method_conflict_rates`): a share of
    sessions depends on how long the sessions were. Kept for the results
    contract (``co_presence``).

    Returns
    -------
    DataFrame
        The ``by`` columns, ``sessions``, ``with_target``, ``with_sale``,
        ``with_both``, ``share_both`` (of sessions, %), ``ci_low``,
        ``ci_high`` (Wilson, %), ``sale_given_target`` (% of sessions with
        the target group present in which a sale was seen).
    """
    d = per_session.assign(t=per_session["target_all"] > 0, s=per_session["drug_sale"] > 0)
    d["b"] = d["t"] & d["s"]
    g = (
        d.groupby(list(by), observed=True)
        .agg(
            sessions=("session_id", "size"),
            with_target=("t", "sum"),
            with_sale=("s", "sum"),
            with_both=("b", "sum"),
        )
        .reset_index()
    )
    lo, hi = wilson_ci(g["with_both"], g["sessions"], level)
    g["share_both"] = g["with_both"] / g["sessions"] * 100
    g["ci_low"], g["ci_high"] = lo * 100, hi * 100
    g["sale_given_target"] = np.where(
        g["with_target"] > 0,
        g["with_both"] / g["with_target"].where(g["with_target"] > 0, 1) * 100,
        np.nan,
    )
    return g


def conflict_rate(row) -> ConflictRate:
    """One row of :func:`~evaluation.analyses.conflict.method_conflict_rates` as a record.

    >>> per = pd.DataFrame({"activation": ["art", "none"], "minutes": [60, 30], "date": ["d1", "d2"],
    ...                     "target_staying": [2, 1], "drug_sale": [3, 0]})
    >>> r = conflict_rate(method_conflict_rates(per, ["activation"], cluster=None).iloc[0])
    >>> r.sessions, r.hours, r.co_presence_sales, r.rate, r.ci_method
    (1, 1.0, 3, 3.0, 'exact Poisson (few events or clusters)')
    """

    def num(v) -> float | None:
        return None if pd.isna(v) else float(v)

    return ConflictRate(
        sessions=int(row["sessions"]),
        hours=float(row["hours"]),
        co_presence_sales=int(row["co_presence_sales"]),
        rate=num(row["rate"]),
        ci_low=num(row["ci_low"]),
        ci_high=num(row["ci_high"]),
        ci_method=None if pd.isna(row["ci_method"]) else str(row["ci_method"]),
        sales=int(row["sales"]),
        hours_target_present=num(row["hours_target_present"]),
    )


def observer_agreement(sessions: pd.DataFrame, counts: pd.DataFrame, target: dict) -> pd.DataFrame:
    """Agreement of two observers counting the same time span (Krippendorff's alpha, interval).

    Returns
    -------
    DataFrame
        ``measure`` (target group / everybody / staying), ``n_pairs``,
        ``krippendorff_alpha``, ``mean_abs_diff`` (people per session).
    """
    from ..coding.reliability import krippendorff_alpha

    s = sessions[sessions.duplicated("pair", keep=False)].sort_values(["pair", "session_id"])
    rows = []
    for name, filt in (
        ("target group", target),
        ("everybody staying", {"activity": "staying"}),
        ("everybody", None),
    ):
        tot = session_totals(counts, s, filt, "n")
        pairs = tot.groupby("pair")["n"].apply(list)
        pairs = pairs[pairs.map(len) == 2]
        if len(pairs) == 0:
            rows.append(
                {
                    "measure": name,
                    "n_pairs": 0,
                    "krippendorff_alpha": np.nan,
                    "mean_abs_diff": np.nan,
                }
            )
            continue
        arr = np.array(pairs.tolist(), dtype=float).T
        rows.append(
            {
                "measure": name,
                "n_pairs": int(arr.shape[1]),
                "krippendorff_alpha": krippendorff_alpha(arr, "interval"),
                "mean_abs_diff": float(np.abs(arr[0] - arr[1]).mean()),
            }
        )
    return pd.DataFrame(rows, columns=["measure", "n_pairs", "krippendorff_alpha", "mean_abs_diff"])


def co_interventions(calendar: pd.DataFrame | None, kind: str = "policing") -> list[CoIntervention]:
    """The calendar's co-interventions (rows of ``kind``, e.g. cameras, police operations)."""
    if calendar is None:
        return []
    c = calendar[calendar["kind"] == kind]
    return [
        CoIntervention(str(r.name), str(r.kind), f"{r.start:%Y-%m-%d}", f"{r.end:%Y-%m-%d}")
        for r in c.itertuples()
    ]


@dataclass
class SiteTables:
    """The people counts of 01 as published: every output built from them hides the same cells.

    Attributes
    ----------
    people : DataFrame
        Zone x activation state table of the target group staying, with
        totals, from :func:`~evaluation.disclosure.suppress_small_counts`.
    rates_activation, rates_zone, rates_daypart : DataFrame
        The rate tables of :class:`SiteAnalysis` with ``count``, ``rate``,
        ``ci_low`` and ``ci_high`` missing where they would give back a
        count the table hides, and a boolean column ``suppressed``.
    """

    people: pd.DataFrame
    rates_activation: pd.DataFrame
    rates_zone: pd.DataFrame
    rates_daypart: pd.DataFrame


def published_tables(site: SiteAnalysis, min_cell: int = 5) -> SiteTables:
    """The people table and the rate tables built from the same counts, safe to publish together.

    A table that suppresses a count protects nothing if a rate figure of the
    same people (rate x hours = count, or an exact CI per cell) shows it, or
    shows a secondary cell that protects it. The rules, one per output:

    - ``people``: :func:`~evaluation.disclosure.suppress_small_counts` with
      ``min_count=min_cell`` (primary ``"<k"``, secondary ``"x"``, totals);
    - ``rates_activation`` (one row per activation state: the table's Total
      row): :func:`~evaluation.disclosure.hide_small_counts`, then hidden
      where the Total row hides that state's cell;
    - ``rates_zone`` (zone x activated or not: each zone's row split
      differently from the table, so any hidden cell of the row could be had
      by subtraction): hidden for every zone whose table row hides any cell;
    - ``rates_daypart`` (daypart x activated or not: the Total row split
      by daypart, whose sums give back each column total of the activated
      states and of none): small counts hidden, and the whole table hidden
      when any cell of the Total row is hidden.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> people = pd.DataFrame({"none": [12, 3, 20], "art": [9, 8, 15]}, index=["a", "b", "c"])
    >>> rates = lambda **by: pd.DataFrame({**by, "hours": 10.0, "count": 0, "rate": 0.0, "ci_low": 0.0, "ci_high": 0.4})
    >>> site = NS(people_by_zone=people, rates_activation=rates(activation=["none", "art"]),
    ...           rates_zone=rates(zone=["a", "a", "b", "b", "c", "c"], activated=[0, 1] * 3),
    ...           rates_daypart=rates(daypart=["day", "day"], activated=[0, 1]))
    >>> out = published_tables(site, min_cell=5)
    >>> out.rates_zone.groupby("zone")["suppressed"].all().to_dict()
    {'a': True, 'b': True, 'c': False}
    >>> out.rates_activation["suppressed"].tolist(), out.rates_daypart["suppressed"].tolist()
    ([False, False], [False, False])
    """
    from ..disclosure import (
        hide_small_counts,
        hide_where_suppressed,
        suppress_small_counts,
        suppressed,
    )

    people = suppress_small_counts(site.people_by_zone, min_count=min_cell)
    activation = hide_where_suppressed(
        hide_small_counts(site.rates_activation, min_cell), people, row=None, column="activation"
    )
    zone = hide_where_suppressed(
        hide_small_counts(site.rates_zone, min_cell), people, row="zone", column="*"
    )
    daypart = hide_small_counts(site.rates_daypart, min_cell)
    total = people.index[-1]  # the Total row of suppress_small_counts
    if suppressed(people).loc[total].any():
        for c in ("count", "rate", "ci_low", "ci_high"):
            daypart[c] = np.nan
        daypart["suppressed"] = True
    return SiteTables(people, activation, zone, daypart)


@dataclass
class SiteAnalysis:
    """Everything 01_site_observations shows."""

    per_session: pd.DataFrame
    target: dict
    rates_activation: pd.DataFrame
    rates_zone: pd.DataFrame
    rates_daypart: pd.DataFrame
    people_by_zone: pd.DataFrame
    models: dict[str, RateRatioResult | None]
    model_errors: dict[str, str]
    marginal: dict[str, pd.DataFrame]
    co_presence_activation: pd.DataFrame
    co_presence_zone: pd.DataFrame
    agreement: pd.DataFrame
    results: dict = field(default_factory=dict)
    record: SiteResults | None = None
    #: method conflict per observed hour by activation state and by zone
    #: (:func:`~evaluation.analyses.conflict.method_conflict_rates`)
    conflict_activation: pd.DataFrame | None = None
    conflict_zone: pd.DataFrame | None = None
    #: its rate ratio model (``None`` when it could not be fitted: ``conflict_error`` says why)
    conflict_fit: RateRatioResult | None = None
    conflict_error: str | None = None


def analyse_site(
    ds,
    target_gender: str | None = None,
    target_age_band: str | None = None,
    activation_states: Sequence[str] | None = None,
    covariates: Sequence[str] = DEFAULT_COVARIATES,
    family: str = "auto",
    cluster: str | None = "date",
) -> SiteAnalysis:
    """Run the site-observation analyses on a dataset (see the notebook for the reading).

    The target group and the activation states left ``None`` come from the study
    (``study.yaml``).
    """
    p = study_defaults(
        getattr(ds, "study", None),
        target_gender=target_gender,
        target_age_band=target_age_band,
        activation_states=activation_states,
    )
    target_gender, target_age_band = p["target_gender"], p["target_age_band"]
    activation_states = p["activation_states"] or ()
    if ds.observations is None:
        raise ModelError("this data folder has no observations/")
    o = ds.observations
    s = compared_sessions(o["sessions"], activation_states)
    target = {"gender": target_gender, "age_band": target_age_band}
    per = session_counts(o, s, target, getattr(ds, "study", None))
    stay = {**target, "activity": "staying"}
    rates_activation = rate_table(o["counts"], s, by=["activation"], target=stay)
    rates_zone = rate_table(o["counts"], s, by=["zone", "activated"], target=stay)
    rates_daypart = rate_table(o["counts"], s, by=["daypart", "activated"], target=stay)
    people = session_totals(o["counts"], s, stay, "n").pivot_table(
        index="zone", columns="activation", values="n", aggfunc="sum", fill_value=0
    )

    covariates, left_out = usable_covariates(per, covariates)
    rhs = model_formula(per, covariates)
    models, errors, marginal = {}, {}, {}
    for key, outcome in (
        ("target_staying", "target_staying"),
        ("drug_sale", "drug_sale"),
        ("outreach_contact", "outreach_contact"),
    ):
        try:
            res = rate_ratio_model(per, outcome, "minutes", rhs, family=family, cluster=cluster)
            models[key] = res
            marginal[key] = res.marginal_rates("activated")
        except ModelError as exc:
            models[key], errors[key] = None, str(exc)
    cp_act = co_presence(per, ["activation"])
    cp_zone = co_presence(per, ["zone"])
    conflict = {
        by: method_conflict_rates(per, [by], cluster=cluster)
        for by in ("activation", "zone", "activated")
    }
    conflict_fit, conflict_error = method_conflict_model(
        per, covariates=covariates, family=family, cluster=cluster
    )
    if conflict_error is not None:
        errors["method_conflict"] = conflict_error
    pooled = conflict["activated"][conflict["activated"]["activated"] == 1]
    agreement = observer_agreement(o["sessions"], o["counts"], target)
    n = len(per)
    keys = {
        "target_staying": "target_staying_rate_ratio",
        "drug_sale": "drug_sale_rate_ratio",
        "outreach_contact": "outreach_contact_rate_ratio",
    }
    effects = {
        key: effect_record(models.get(m), "activated", n, errors.get(m), key)
        for m, key in keys.items()
    }
    for e in effects.values():
        e.notes.extend(f"covariate {c} left out: {why}" for c, why in left_out.items())
    keys["method_conflict"] = "method_conflict_rate_ratio"
    effects["method_conflict_rate_ratio"] = effect_record(
        conflict_fit, "activated", n, conflict_error, "method_conflict_rate_ratio"
    )
    record = SiteResults(
        incomplete=[Incomplete(keys[m], why) for m, why in errors.items()],
        target={"gender": target_gender, "age_band": target_age_band},
        compared={"activated": list(activation_states), "reference": "none"},
        covariates=list(covariates),
        **effects,
        co_presence={
            str(r.activation): CoPresence(
                int(r.sessions), float(r.share_both), float(r.ci_low), float(r.ci_high)
            )
            for r in cp_act.itertuples()
        },
        observer_agreement={
            str(r.measure): {
                "n_pairs": int(r.n_pairs),
                "krippendorff_alpha": None
                if pd.isna(r.krippendorff_alpha)
                else float(r.krippendorff_alpha),
            }
            for r in agreement.itertuples()
        },
        n_sessions=n,
        observed_hours=float(per["minutes"].sum() / 60),
        period={"first": str(per["date"].min()), "last": str(per["date"].max())} if n else {},
        co_interventions=co_interventions(ds.calendar),
        method_conflict_rates={
            str(r["activation"]): conflict_rate(r) for _, r in conflict["activation"].iterrows()
        },
        method_conflict_activated=conflict_rate(pooled.iloc[0]) if len(pooled) else None,
    )
    results = as_json(record)
    return SiteAnalysis(
        per,
        target,
        rates_activation,
        rates_zone,
        rates_daypart,
        people,
        models,
        errors,
        marginal,
        cp_act,
        cp_zone,
        agreement,
        results,
        record,
        conflict_activation=conflict["activation"],
        conflict_zone=conflict["zone"],
        conflict_fit=conflict_fit,
        conflict_error=conflict_error,
    )
