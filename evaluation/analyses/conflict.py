"""Method conflict: the target group present while drug dealing is observed, as a rate per observed hour.

The question behind it: does activating the square bring the target group
into contact with the drug scene? A share of sessions "with both" depends on
how long the sessions were (a longer session is more likely to contain
both), so the measure here is a rate with the observed time as exposure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import ModelError
from ..stats.counts import RateRatioResult, rate_ratio_model
from ..stats.rates import clustered_rate_table
from .sessions import model_formula, per_session_table, usable_covariates

__all__ = [
    "conflict_per_session",
    "method_conflict_rates",
    "method_conflict_rate_ratio",
    "method_conflict_model",
]

COLUMNS = [
    "sessions",
    "clusters",
    "hours",
    "hours_target_present",
    "sales",
    "co_presence_sales",
    "rate",
    "ci_low",
    "ci_high",
    "rate_while_present",
    "present_ci_low",
    "present_ci_high",
    "ci_method",
]


def conflict_per_session(
    per_session: pd.DataFrame, target: str = "target_staying", event: str = "drug_sale"
) -> pd.DataFrame:
    """``per_session`` with ``target_present`` (0/1) and ``co_presence_sales``.

    ``co_presence_sales`` is the number of ``event`` (drug sales) observed in
    a session in which the target group was present (``target`` > 0: by
    default the target group *staying*; ``"target_all"`` counts those passing
    through too), else 0.

    Examples
    --------
    >>> per = pd.DataFrame({"minutes": 60, "target_staying": [2, 0, 1], "drug_sale": [1, 3, 0]})
    >>> conflict_per_session(per)[["target_present", "co_presence_sales"]].to_numpy().tolist()
    [[1, 1], [0, 0], [1, 0]]
    """
    for col in (target, event, "minutes"):
        if col not in per_session:
            raise ModelError(f"per-session table has no column {col!r}")
    out = per_session.copy()
    out["target_present"] = (out[target] > 0).astype(int)
    out["co_presence_sales"] = out[event].where(out["target_present"] == 1, 0).astype(int)
    return out


def _per_session(
    site: Any,
    target_gender: str | None = None,
    target_age_band: str | None = None,
    activation_states: Sequence[str] | None = None,
    covariates: Sequence[str] | None = None,
    family: str | None = None,
) -> pd.DataFrame:
    """The per-session table of a per-session table, a SiteAnalysis or a dataset.

    A dataset gets the sessions of :func:`~evaluation.analyses.analyse_site`
    (:func:`~evaluation.analyses.sessions.per_session_table`); of the
    parameters of ``analyse_site``, ``covariates`` and ``family`` shape its
    models, not its sessions, and are accepted for that reason only.
    """
    if isinstance(site, pd.DataFrame):
        return site
    if hasattr(site, "per_session"):
        return site.per_session
    return per_session_table(site, target_gender, target_age_band, activation_states)


def method_conflict_rates(
    site: Any,
    by: Sequence[str] = ("activation",),
    *,
    target: str = "target_staying",
    cluster: str | None = "date",
    level: float = 0.95,
    ci: str = "t",
    **site_kw: Any,
) -> pd.DataFrame:
    """Drug sales observed while the target group was present, per observed hour, by group.

    Parameters
    ----------
    site : SiteAnalysis, Dataset or DataFrame
        The result of :func:`~evaluation.analyses.site.analyse_site` (its
        ``per_session`` table is used), a dataset, analysed first with
        ``site_kw`` (the parameters of ``analyse_site``), or a per-session
        table (``minutes``, ``drug_sale``, ``target``, ``by``, ``cluster``).
    by : sequence of str
        Session columns to group by, e.g. ``["activation"]``, ``["zone"]``
        or ``["zone", "activated"]``.
    target : str
        The per-session column that says the target group was there:
        ``"target_staying"`` (the target group staying, default) or
        ``"target_all"`` (also passing through; in the example data the target
        group passes through in every session, so that measure is every sale).
    cluster : str, optional
        Sessions of one day are not independent: cluster-robust intervals
        by ``date`` (``None``: sessions independent).
    level, ci
        As :func:`~evaluation.stats.rates.clustered_rate_table`.

    Returns
    -------
    DataFrame
        The ``by`` columns, then ``sessions``, ``clusters`` (days),
        ``hours`` (observed), ``hours_target_present`` (hours of sessions
        in which the target group was seen), ``sales`` (all drug sales
        observed), ``co_presence_sales`` (sales in sessions with the target
        group present), ``rate`` (co-presence sales per observed hour),
        ``ci_low``, ``ci_high``, ``rate_while_present`` (sales per hour of
        the sessions with the target group present: how much dealing
        the target group sees), ``present_ci_low``, ``present_ci_high``,
        ``ci_method`` (of ``rate``).

    Notes
    -----
    ``rate`` = sum of co-presence sales / observed hours, which is (share of
    hours with the target group present) x ``rate_while_present``: it rises
    when more of the target group come or when more dealing happens where they are.
    Co-presence is at the session level (30-60 minutes, one zone), not the
    same minute. Intervals: the clustered ratio estimator of
    :func:`~evaluation.stats.rates.clustered_rate_table` (t(G - 1) on the
    log scale; exact Poisson with fewer than 5 events). Small counts are
    shown as they are: suppress them before publishing
    (:mod:`evaluation.disclosure`).

    Examples
    --------
    >>> per = pd.DataFrame({"session_id": list("abcd"), "activation": ["art", "art", "none", "none"],
    ...                     "minutes": [60, 30, 60, 60], "date": ["d1", "d2", "d1", "d2"],
    ...                     "target_staying": [2, 0, 1, 3], "drug_sale": [1, 4, 0, 2]})
    >>> t = method_conflict_rates(per)
    >>> t[["activation", "hours", "co_presence_sales", "rate", "rate_while_present"]]
      activation  hours  co_presence_sales      rate  rate_while_present
    0        art    1.5                  1  0.666667                 1.0
    1       none    2.0                  2  1.000000                 1.0
    """
    per = conflict_per_session(_per_session(site, **site_kw), target)
    by = list(by)
    main = clustered_rate_table(
        per, "co_presence_sales", "minutes", by, cluster, 60.0, level, ci
    ).rename(columns={"units": "sessions", "exposure": "hours", "events": "co_presence_sales"})
    present = clustered_rate_table(
        per[per["target_present"] == 1], "drug_sale", "minutes", by, cluster, 60.0, level, ci
    ).rename(
        columns={
            "exposure": "hours_target_present",
            "rate": "rate_while_present",
            "ci_low": "present_ci_low",
            "ci_high": "present_ci_high",
        }
    )
    sales = (
        per.groupby(by, observed=True, dropna=False)["drug_sale"].sum().rename("sales")
        if by
        else pd.Series({(): per["drug_sale"].sum()}, name="sales")
    )
    if by:
        out = main.merge(sales.reset_index(), on=by, how="left").merge(
            present[
                [
                    *by,
                    "hours_target_present",
                    "rate_while_present",
                    "present_ci_low",
                    "present_ci_high",
                ]
            ],
            on=by,
            how="left",
        )
    else:
        out = main.assign(sales=float(sales.iloc[0]))
        for col in (
            "hours_target_present",
            "rate_while_present",
            "present_ci_low",
            "present_ci_high",
        ):
            out[col] = present[col].iloc[0] if len(present) else float("nan")
    out["hours_target_present"] = out["hours_target_present"].fillna(0.0)
    return out[[*by, *COLUMNS]]


def method_conflict_rate_ratio(
    site: Any,
    *,
    covariates: Sequence[str] = ("zone", "weather", "temperature_c", "observer"),
    target: str = "target_staying",
    family: str = "auto",
    cluster: str | None = "date",
    level: float = 0.95,
    ci: str = "t",
    **site_kw: Any,
) -> RateRatioResult:
    """Rate ratio of co-presence sales per observed hour, activated against not, with covariates.

    The count model of :func:`~evaluation.stats.rate_ratio_model` on the
    sessions: outcome ``co_presence_sales``, exposure the minutes observed,
    ``activated`` plus ``covariates`` (text columns as categories, those the
    sessions lack or miss values of left out, as in
    :func:`~evaluation.analyses.site.analyse_site`), clustered by ``cluster``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> per = pd.DataFrame({"activated": np.repeat([0, 1], 60), "minutes": 60.0,
    ...                     "zone": np.tile(["a", "b"], 60), "target_staying": rng.poisson(1.0, 120),
    ...                     "drug_sale": rng.poisson(2.0, 120)})
    >>> res = method_conflict_rate_ratio(per, covariates=["zone"], cluster=None)
    >>> res.table.loc["activated"].round(2).tolist()
    [0.92, 0.64, 1.33, 0.67]
    """
    per = conflict_per_session(_per_session(site, **site_kw), target)
    return rate_ratio_model(
        per,
        "co_presence_sales",
        "minutes",
        model_formula(per, usable_covariates(per, covariates)[0]),  # the terms of analyse_site
        family=family,
        cluster=cluster,
        level=level,
        ci=ci,
    )


def method_conflict_model(site: Any, **kwargs: Any) -> tuple[RateRatioResult | None, str | None]:
    """:func:`method_conflict_rate_ratio`, or ``(None, why)`` when the model cannot be fitted.

    For the notebook: the fit, or the reason it failed (a
    :class:`~evaluation.errors.ModelError`'s message) to show in its place.

    Examples
    --------
    >>> per = pd.DataFrame({"activated": [0, 1] * 5, "minutes": 60.0, "target_staying": 1, "drug_sale": 0})
    >>> method_conflict_model(per, covariates=[], cluster=None)
    (None, "outcome 'co_presence_sales' is zero in every row: there is nothing to model (no rate ratio can be estimated)")
    """
    try:
        return method_conflict_rate_ratio(site, **kwargs), None
    except ModelError as exc:
        return None, str(exc)
