"""The observation sessions of 01 as the models see them: one row per session, and its covariate terms.

Shared by :mod:`evaluation.analyses.site` (the rate ratios),
:mod:`evaluation.analyses.conflict` (the method conflict) and
:mod:`evaluation.analyses.sensitivity`, so that each fits the same sessions
with the same terms (and none of them imports another to get them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..errors import ModelError
from ..sources import primary_sessions
from ..sources.study import incident_kind, study_defaults
from ..stats.rates import session_totals

__all__ = [
    "DEFAULT_COVARIATES",
    "CATEGORICAL_NUMBERS",
    "INCIDENTS",
    "covariate_term",
    "usable_covariates",
    "model_formula",
    "compared_sessions",
    "session_counts",
    "per_session_table",
]

#: The default adjustment set of the count models (``covariates`` in notebooks/params.yaml):
#: zone, and what changes presence from day to day and could coincide with activation - the
#: weather, the temperature (season: activations run in the warmest weeks) and the observer.
DEFAULT_COVARIATES = ("zone", "weather", "temperature_c", "observer")
#: Session columns that are numbers but enter a model as categories (one level each).
CATEGORICAL_NUMBERS = ("month", "year")
#: The incidents counted per session (names of the results contract).
INCIDENTS = ("drug_sale", "drug_use", "outreach_contact")


def covariate_term(per: pd.DataFrame, column: str) -> str:
    """The patsy term of one covariate: ``C(column)`` for categories, else the column (linear).

    Text, categorical and boolean columns, and ``month`` and ``year``
    (:data:`CATEGORICAL_NUMBERS`), enter as categories; other numbers
    (``temperature_c``) as a linear term on the log scale.

    Examples
    --------
    >>> per = pd.DataFrame({"zone": ["a"], "temperature_c": [17.5], "month": [6]})
    >>> [covariate_term(per, c) for c in per]
    ['C(zone)', 'temperature_c', 'C(month)']
    """
    d = per[column]
    categorical = (
        column in CATEGORICAL_NUMBERS
        or d.dtype == object
        or str(d.dtype) in ("category", "str", "string", "bool")
    )
    return f"C({column})" if categorical else column


def usable_covariates(
    per: pd.DataFrame, covariates: Sequence[str]
) -> tuple[list[str], dict[str, str]]:
    """The covariates a model can use, and why each other one is left out.

    A covariate is left out when the sessions have no such column, or when a
    session has no value for it (the model would otherwise drop those
    sessions silently, or fail). The reasons go into each estimate's notes.

    Examples
    --------
    >>> per = pd.DataFrame({"zone": ["a", "b"], "temperature_c": [17.5, None]})
    >>> usable_covariates(per, ["zone", "temperature_c", "weather"])
    (['zone'], {'temperature_c': '1 session(s) without a value', 'weather': 'no such column'})
    """
    used, left_out = [], {}
    for c in covariates:
        if c not in per:
            left_out[c] = "no such column"
        elif per[c].isna().any():
            left_out[c] = f"{int(per[c].isna().sum())} session(s) without a value"
        else:
            used.append(c)
    return used, left_out


def model_formula(per: pd.DataFrame, covariates: Sequence[str], term: str = "activated") -> str:
    """Right-hand side of 01's count models: ``term`` plus each covariate's term.

    Examples
    --------
    >>> per = pd.DataFrame({"zone": ["a"], "observer": ["x"], "temperature_c": [17.5]})
    >>> model_formula(per, ["zone", "temperature_c", "observer"])
    'activated + C(zone) + temperature_c + C(observer)'
    """
    return " + ".join([term, *(covariate_term(per, c) for c in covariates)])


def compared_sessions(sessions: pd.DataFrame, activation_states: Sequence[str]) -> pd.DataFrame:
    """The primary sessions under no activation or one of ``activation_states``.

    One session per double observation (:func:`~evaluation.sources.primary_sessions`),
    with ``activated`` (0/1) and ``date`` as ``YYYY-MM-DD`` text (the cluster id).

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2", "s3"], "pair": ["p1", "p1", "p2"],
    ...                   "activation": ["none", "none", "art"],
    ...                   "date": pd.to_datetime(["2022-06-01", "2022-06-01", "2022-06-02"])})
    >>> compared_sessions(s, ["art"])[["session_id", "activated", "date"]]
      session_id  activated        date
    0         s1          0  2022-06-01
    2         s3          1  2022-06-02
    """
    s = primary_sessions(sessions)
    s = s[s["activation"].isin(["none", *activation_states])].copy()
    s["activated"] = (s["activation"] != "none").astype(int)
    s["date"] = s["date"].dt.strftime("%Y-%m-%d")
    return s


def session_counts(
    observations: Mapping[str, pd.DataFrame],
    sessions: pd.DataFrame,
    target: Mapping[str, Any],
    study: Any = None,
) -> pd.DataFrame:
    """``sessions`` with the counts the models use, one row per session.

    Parameters
    ----------
    observations : mapping
        The dataset's ``observations`` (``counts``, ``incidents``).
    sessions : DataFrame
        The sessions (:func:`compared_sessions`).
    target : mapping
        The target group (``gender``, ``age_band``).
    study : Study, optional
        Which incident codes are the drug sales etc.
        (:func:`~evaluation.sources.study.incident_kind`).

    Returns
    -------
    DataFrame
        ``sessions`` plus ``target_staying`` (the target group staying),
        ``target_all`` (also passing through), ``people`` (everybody) and
        one column per :data:`INCIDENTS` kind.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s1", "s2"], "minutes": [60, 30]})
    >>> counts = pd.DataFrame({"session_id": ["s1", "s1", "s2"], "gender": ["female", "male", "female"],
    ...                        "age_band": "13-18", "activity": ["staying", "staying", "passing"],
    ...                        "count": [2, 3, 1]})
    >>> incidents = pd.DataFrame({"session_id": ["s2"], "kind": ["drug_sale"], "count": [4]})
    >>> per = session_counts({"counts": counts, "incidents": incidents}, s,
    ...                      {"gender": "female", "age_band": "13-18"})
    >>> per[["target_staying", "target_all", "people", "drug_sale"]].to_numpy().tolist()
    [[2, 2, 5, 0], [0, 1, 1, 4]]
    """
    counts = observations["counts"]
    per = session_totals(counts, sessions, {**target, "activity": "staying"}, "target_staying")
    per["target_all"] = session_totals(counts, sessions, target, "n")["n"].to_numpy()
    per["people"] = session_totals(counts, sessions, None, "n")["n"].to_numpy()
    inc = observations["incidents"]
    for kind in INCIDENTS:
        per[kind] = (
            per["session_id"]
            .map(
                inc[inc["kind"] == incident_kind(study, kind)].groupby("session_id")["count"].sum()
            )
            .fillna(0)
            .astype(int)
        )
    return per


def per_session_table(
    ds: Any,
    target_gender: str | None = None,
    target_age_band: str | None = None,
    activation_states: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The per-session table of 01 (``SiteAnalysis.per_session``) for a dataset.

    :func:`compared_sessions` with :func:`session_counts`; ``None``
    parameters come from the study (``study.yaml``), as in
    :func:`~evaluation.analyses.analyse_site`.

    Raises
    ------
    ModelError
        When the dataset has no observations.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> s = pd.DataFrame({"session_id": ["s1", "s2"], "pair": ["p1", "p2"], "minutes": [60, 30],
    ...                   "activation": ["none", "art"], "date": pd.to_datetime(["2022-06-01"] * 2)})
    >>> counts = pd.DataFrame({"session_id": ["s1", "s2"], "gender": "female", "age_band": "13-18",
    ...                        "activity": "staying", "count": [2, 3]})
    >>> incidents = pd.DataFrame(columns=["session_id", "kind", "count"])
    >>> ds = NS(observations={"sessions": s, "counts": counts, "incidents": incidents})
    >>> per_session_table(ds, "female", "13-18", ["art"])[["activated", "target_staying"]].to_numpy().tolist()
    [[0, 2], [1, 3]]
    """
    study = getattr(ds, "study", None)
    p = study_defaults(
        study,
        target_gender=target_gender,
        target_age_band=target_age_band,
        activation_states=activation_states,
    )
    if ds.observations is None:
        raise ModelError("this data folder has no observations/")
    s = compared_sessions(ds.observations["sessions"], p["activation_states"] or ())
    target = {"gender": p["target_gender"], "age_band": p["target_age_band"]}
    return session_counts(ds.observations, s, target, study)
