"""01_site_observations: does activation bring the target group to stay, and does it expose them to drug dealing?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..results import CoPresence, Incomplete, RateRatioEstimate, SiteResults, as_json
from ..sources.order import order_index, order_rows
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
from .site_records import (
    co_interventions,
    conflict_rate,
    effect_entry,
    effect_record,
    model_checks,
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

    Examples
    --------
    >>> per = pd.DataFrame({"session_id": ["a", "b", "c"], "activation": ["art", "art", "none"],
    ...                     "target_all": [2, 0, 1], "drug_sale": [1, 3, 0]})
    >>> co_presence(per, ["activation"])[["activation", "sessions", "with_both", "share_both"]]
      activation  sessions  with_both  share_both
    0        art         2          1        50.0
    1       none         1          0         0.0
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


def observer_agreement(
    sessions: pd.DataFrame, counts: pd.DataFrame, target: Mapping[str, Any]
) -> pd.DataFrame:
    """Agreement of two observers counting the same time span (Krippendorff's alpha, interval).

    Returns
    -------
    DataFrame
        ``measure`` (target group / everybody / staying), ``n_pairs``,
        ``krippendorff_alpha``, ``mean_abs_diff`` (people per session).

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a1", "a2", "b1", "b2", "c1", "c2"],
    ...                   "pair": ["a", "a", "b", "b", "c", "c"]})
    >>> counts = pd.DataFrame({"session_id": s["session_id"], "gender": "female", "age_band": "13-18",
    ...                        "activity": "staying", "count": [3, 3, 5, 6, 0, 1]})
    >>> observer_agreement(s, counts, {"gender": "female"}).round(3)
                 measure  n_pairs  krippendorff_alpha  mean_abs_diff
    0       target group        3               0.936          0.667
    1  everybody staying        3               0.936          0.667
    2          everybody        3               0.936          0.667
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

    Examples
    --------
    >>> people = pd.DataFrame({"none": [12, 3], "art": [9, 8]}, index=["a", "b"])
    >>> t = SiteTables(people, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    >>> t.people.loc["b", "none"]
    np.int64(3)
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
    """Everything 01_site_observations shows (made by :func:`analyse_site`).

    Attributes
    ----------
    per_session : DataFrame
        One row per session (:func:`~evaluation.analyses.sessions.per_session_table`).
    target : dict
        The target group (``gender``, ``age_band``).
    rates_activation, rates_zone, rates_daypart : DataFrame
        The target group staying per observed hour (:func:`~evaluation.stats.rate_table`).
    people_by_zone : DataFrame
        Zone x activation state counts of the target group staying.
    models, model_errors, marginal : dict
        Per outcome, the rate-ratio model (``None`` if it could not be
        fitted), why not, and its marginal rates.
    co_presence_activation, co_presence_zone, agreement : DataFrame
    results, record
        The results JSON of the notebook and its record.

    Examples
    --------
    >>> import dataclasses
    >>> [f.name for f in dataclasses.fields(SiteAnalysis)][:3]
    ['per_session', 'target', 'rates_activation']
    """

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
    ds: Any,
    target_gender: str | None = None,
    target_age_band: str | None = None,
    activation_states: Sequence[str] | None = None,
    covariates: Sequence[str] = DEFAULT_COVARIATES,
    family: str = "auto",
    cluster: str | None = "date",
) -> SiteAnalysis:
    """Run the site-observation analyses on a dataset (see the notebook for the reading).

    The target group and the activation states left ``None`` come from the study
    (``study.yaml``). A model that cannot be fitted is ``None`` in ``models``
    with the reason in ``model_errors`` (and in the record's ``incomplete``).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> rng = np.random.default_rng(0)
    >>> act = np.tile(["none", "art"], 20)
    >>> s = pd.DataFrame({"session_id": [f"s{i:02d}" for i in range(40)], "pair": range(40),
    ...                   "date": pd.date_range("2022-06-01", periods=40), "minutes": 60,
    ...                   "zone": np.repeat(["a", "b"], 20), "activation": act,
    ...                   "daypart": "evening", "observer": "x"})
    >>> counts = pd.DataFrame({"session_id": s["session_id"], "gender": "female", "age_band": "13-18",
    ...                        "activity": "staying", "count": rng.poisson(np.where(act == "art", 6, 3))})
    >>> incidents = pd.DataFrame({"session_id": s["session_id"], "kind": "drug_sale",
    ...                           "count": rng.poisson(2, 40)})
    >>> ds = NS(observations={"sessions": s, "counts": counts, "incidents": incidents},
    ...         calendar=None, study=None)
    >>> site = analyse_site(ds, "female", "13-18", ["art"], covariates=["zone"], cluster=None)
    >>> est = site.results["target_staying_rate_ratio"]
    >>> round(est["estimate"], 2), est["family"], sorted(site.model_errors)
    (2.2, 'poisson', ['outreach_contact'])
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
    study = getattr(ds, "study", None)
    people = session_totals(o["counts"], s, stay, "n").pivot_table(
        index="zone", columns="activation", values="n", aggfunc="sum", fill_value=0
    )
    people = order_index(order_index(people, "zones", study), "activation_kinds", study, axis=1)
    used, left_out = usable_covariates(per, covariates)
    models, errors, marginal = _rate_models(per, model_formula(per, used), family, cluster)
    conflict = {
        by: _in_study_order(method_conflict_rates(per, [by], cluster=cluster), study)
        for by in ("activation", "zone", "activated")
    }
    conflict_fit, conflict_error = method_conflict_model(
        per, covariates=used, family=family, cluster=cluster
    )
    if conflict_error is not None:
        errors["method_conflict"] = conflict_error
    site = SiteAnalysis(
        per,
        target,
        _in_study_order(rate_table(o["counts"], s, by=["activation"], target=stay), study),
        _in_study_order(rate_table(o["counts"], s, by=["zone", "activated"], target=stay), study),
        rate_table(o["counts"], s, by=["daypart", "activated"], target=stay),
        people,
        models,
        errors,
        marginal,
        _in_study_order(co_presence(per, ["activation"]), study),
        _in_study_order(co_presence(per, ["zone"]), study),
        observer_agreement(o["sessions"], o["counts"], target),
        conflict_activation=conflict["activation"],
        conflict_zone=conflict["zone"],
        conflict_fit=conflict_fit,
        conflict_error=conflict_error,
    )
    site.record = _site_record(site, conflict, list(activation_states), used, left_out)
    site.record.co_interventions = co_interventions(ds.calendar)
    site.results = as_json(site.record)
    return site


def _in_study_order(table: pd.DataFrame, study: Any) -> pd.DataFrame:
    """``table``'s rows by zone and activation state in the study's order (index renumbered)."""
    for column, vocabulary in (("activation", "activation_kinds"), ("zone", "zones")):
        if column in table:
            table = order_rows(table, column, vocabulary, study)
    return table.reset_index(drop=True)


#: The count models of 01 and their results-JSON keys (the method conflict's model last).
MODEL_KEYS = {
    "target_staying": "target_staying_rate_ratio",
    "drug_sale": "drug_sale_rate_ratio",
    "outreach_contact": "outreach_contact_rate_ratio",
    "method_conflict": "method_conflict_rate_ratio",
}


def _rate_models(
    per: pd.DataFrame, rhs: str, family: str, cluster: str | None
) -> tuple[dict[str, RateRatioResult | None], dict[str, str], dict[str, pd.DataFrame]]:
    """The rate ratio of each outcome (activated against not), or why it could not be fitted."""
    models: dict[str, RateRatioResult | None] = {}
    errors: dict[str, str] = {}
    marginal: dict[str, pd.DataFrame] = {}
    for outcome in ("target_staying", "drug_sale", "outreach_contact"):
        try:
            res = rate_ratio_model(per, outcome, "minutes", rhs, family=family, cluster=cluster)
            models[outcome] = res
            marginal[outcome] = res.marginal_rates("activated")
        except ModelError as exc:
            models[outcome], errors[outcome] = None, str(exc)
    return models, errors, marginal


def _site_record(
    site: SiteAnalysis,
    conflict: Mapping[str, pd.DataFrame],
    activation_states: list[str],
    covariates: list[str],
    left_out: dict[str, str],
) -> SiteResults:
    """The record of ``results/01_site_observations.json`` (co-interventions added by the caller)."""
    per, n = site.per_session, len(site.per_session)
    effects: dict[str, RateRatioEstimate] = {}
    for m, key in MODEL_KEYS.items():
        res = site.conflict_fit if m == "method_conflict" else site.models.get(m)
        effects[key] = effect_record(res, "activated", n, site.model_errors.get(m), key)
        if m != "method_conflict":
            effects[key].notes.extend(
                f"covariate {c} left out: {why}" for c, why in left_out.items()
            )
    pooled = conflict["activated"][conflict["activated"]["activated"] == 1]
    return SiteResults(
        incomplete=[Incomplete(MODEL_KEYS[m], why) for m, why in site.model_errors.items()],
        target=dict(site.target),
        compared={"activated": activation_states, "reference": "none"},
        covariates=covariates,
        target_staying_rate_ratio=effects["target_staying_rate_ratio"],
        drug_sale_rate_ratio=effects["drug_sale_rate_ratio"],
        outreach_contact_rate_ratio=effects["outreach_contact_rate_ratio"],
        method_conflict_rate_ratio=effects["method_conflict_rate_ratio"],
        co_presence={
            str(r["activation"]): CoPresence(
                int(r["sessions"]), float(r["share_both"]), float(r["ci_low"]), float(r["ci_high"])
            )
            for r in site.co_presence_activation.to_dict("records")
        },
        observer_agreement={
            str(r["measure"]): {
                "n_pairs": int(r["n_pairs"]),
                "krippendorff_alpha": None
                if pd.isna(r["krippendorff_alpha"])
                else float(r["krippendorff_alpha"]),
            }
            for r in site.agreement.to_dict("records")
        },
        n_sessions=n,
        observed_hours=float(per["minutes"].sum() / 60),
        period={"first": str(per["date"].min()), "last": str(per["date"].max())} if n else {},
        method_conflict_rates={
            str(r["activation"]): conflict_rate(r) for _, r in conflict["activation"].iterrows()
        },
        method_conflict_activated=conflict_rate(pooled.iloc[0]) if len(pooled) else None,
    )
