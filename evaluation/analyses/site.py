"""01_site_observations: does activation bring girls 13-18 to stay, and does it expose them to drug dealing?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ModelError
from ..sources import primary_sessions
from ..stats import rate_ratio_model, rate_table, wilson_ci
from ..stats.counts import RateRatioResult
from ..stats.rates import session_totals

__all__ = ["SiteAnalysis", "analyse_site", "observer_agreement", "co_presence", "effect_entry"]


def effect_entry(res: RateRatioResult | None, term: str, n: int, error: str | None = None) -> dict:
    """The results-JSON entry of one rate ratio (contract of 01_site_observations.json)."""
    if res is None:
        return {
            "estimate": None,
            "ci_low": None,
            "ci_high": None,
            "p_value": None,
            "family": None,
            "n_sessions": n,
            "error": error,
        }
    row = res.table.loc[term]
    return {
        "estimate": float(row.rate_ratio),
        "ci_low": float(row.ci_low),
        "ci_high": float(row.ci_high),
        "p_value": float(row.p_value),
        "family": res.family,
        "n_sessions": n,
        "dispersion": res.fit["dispersion"],
        "n_clusters": res.fit["n_clusters"],
    }


def co_presence(per_session: pd.DataFrame, by: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Sessions where the target group was present while drug dealing was observed.

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


def analyse_site(
    ds,
    target_gender: str = "female",
    target_age_band: str = "13-18",
    activation_states: Sequence[str] = ("art", "event", "park"),
    covariates: Sequence[str] = ("zone",),
    family: str = "auto",
    cluster: str | None = "date",
) -> SiteAnalysis:
    """Run the site-observation analyses on a dataset (see the notebook for the reading)."""
    if ds.observations is None:
        raise ModelError("this data folder has no observations/")
    o = ds.observations
    s = primary_sessions(o["sessions"])
    s = s[s["activation"].isin(["none", *activation_states])].copy()
    s["activated"] = (s["activation"] != "none").astype(int)
    s["date"] = s["date"].dt.strftime("%Y-%m-%d")
    target = {"gender": target_gender, "age_band": target_age_band}
    per = session_totals(o["counts"], s, {**target, "activity": "staying"}, "target_staying")
    per["target_all"] = session_totals(o["counts"], s, target, "n")["n"].to_numpy()
    per["people"] = session_totals(o["counts"], s, None, "n")["n"].to_numpy()
    inc = o["incidents"]
    for kind in ("drug_sale", "drug_use", "outreach_contact"):
        per[kind] = (
            per["session_id"]
            .map(inc[inc["kind"] == kind].groupby("session_id")["count"].sum())
            .fillna(0)
            .astype(int)
        )
    stay = {**target, "activity": "staying"}
    rates_activation = rate_table(o["counts"], s, by=["activation"], target=stay)
    rates_zone = rate_table(o["counts"], s, by=["zone", "activated"], target=stay)
    rates_daypart = rate_table(o["counts"], s, by=["daypart", "activated"], target=stay)
    people = session_totals(o["counts"], s, stay, "n").pivot_table(
        index="zone", columns="activation", values="n", aggfunc="sum", fill_value=0
    )

    rhs = " + ".join(
        [
            "activated",
            *[
                f"C({c})"
                if per[c].dtype == object or str(per[c].dtype) in ("category", "str", "string")
                else c
                for c in covariates
            ],
        ]
    )
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
    agreement = observer_agreement(o["sessions"], o["counts"], target)
    n = len(per)
    results = {
        "target": {"gender": target_gender, "age_band": target_age_band},
        "compared": {"activated": list(activation_states), "reference": "none"},
        "covariates": list(covariates),
        "target_staying_rate_ratio": effect_entry(
            models.get("target_staying"), "activated", n, errors.get("target_staying")
        ),
        "drug_sale_rate_ratio": effect_entry(
            models.get("drug_sale"), "activated", n, errors.get("drug_sale")
        ),
        "outreach_contact_rate_ratio": effect_entry(
            models.get("outreach_contact"), "activated", n, errors.get("outreach_contact")
        ),
        "co_presence": {
            str(r.activation): {
                "sessions": int(r.sessions),
                "share_both": float(r.share_both),
                "ci_low": float(r.ci_low),
                "ci_high": float(r.ci_high),
            }
            for r in cp_act.itertuples()
        },
        "observer_agreement": {
            str(r.measure): {
                "n_pairs": int(r.n_pairs),
                "krippendorff_alpha": None
                if pd.isna(r.krippendorff_alpha)
                else float(r.krippendorff_alpha),
            }
            for r in agreement.itertuples()
        },
        "n_sessions": n,
        "observed_hours": float(per["minutes"].sum() / 60),
    }
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
    )
