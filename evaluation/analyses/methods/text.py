"""The methods appendix's text: what the data hold, each method with this run's values, the glossary.

:func:`study_facts` counts what the data hold (sessions, zones, observers,
focus groups, coders, crime months, survey years); :func:`methods_text`
describes the protocol, age estimation, the models with their formulas in
words (count model and the family rule, the interrupted time series, the
survey trend), the reliability thresholds, the suppression rule, the quote
rule and the coding process, each with the values this run used;
:func:`glossary` lists the terms the report uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...coding.reliability import THRESHOLDS
from ...i18n import number, t
from ...stats._inference import DISPERSION_THRESHOLD, MEAN_SPREAD_NB
from ..findings import and_list, family_label, label, target_group

if TYPE_CHECKING:
    from ...sources.dataset import Dataset

__all__ = ["GLOSSARY_TERMS", "PARAMETERS", "study_facts", "methods_text", "glossary"]

#: The glossary's terms (texts: ``methods.glossary.<term>.term`` / ``.text``), in order.
GLOSSARY_TERMS = (
    "activation",
    "session",
    "zone",
    "staying",
    "rate_ratio",
    "ci",
    "overdispersion",
    "its",
    "co_intervention",
    "odds_ratio",
    "alpha",
    "suppression",
    "evidence_strength",
    "drug_scene",
)
#: The run parameters the methods text describes (notebook 06 declares them all).
PARAMETERS = (
    "min_cell", "target_gender", "target_age_band", "activation_states", "covariates",
    "count_family", "cluster", "quotes_per_theme", "min_quote_group", "area", "categories",
    "comparison_areas", "intervention", "transition", "its_end", "seasonality", "its_family",
    "hac_lags", "survey_item", "survey_reference",
)  # fmt: skip


def _m(key: str, language: str, **values: Any) -> str:
    return t(f"methods.{key}", language, **values)


# --------------------------------------------------------------------- facts
def study_facts(ds: Dataset) -> dict[str, Any]:
    """What the data hold, for the methods text: counts and periods (absent keys: that source is absent).

    Returns
    -------
    dict
        ``sessions``, ``zones``, ``observers``, ``first``, ``last``,
        ``minutes`` (median), ``hours`` (observations); ``groups``,
        ``participants``, ``roles``, ``coders``, ``double_coded`` (focus
        groups); ``survey_first``, ``survey_last``; ``crime_first``,
        ``crime_last`` (months).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ds = SimpleNamespace(sources=["survey"], survey=pd.DataFrame({"year": [2015, 2019, 2023]}))
    >>> study_facts(ds)
    {'survey_first': 2015, 'survey_last': 2023}
    """
    f: dict[str, Any] = {}
    if "observations" in ds.sources and ds.observations is not None:
        f.update(_observation_facts(ds.observations["sessions"]))
    if "focus_groups" in ds.sources and ds.focus_groups is not None:
        f.update(_focus_facts(ds.focus_groups))
    if "survey" in ds.sources and ds.survey is not None:
        f.update(
            survey_first=int(ds.survey["year"].min()), survey_last=int(ds.survey["year"].max())
        )
    if "crime" in ds.sources and ds.crime is not None:
        r = ds.crime["reported"]
        col = "month" if "month" in r else ("date" if "date" in r else None)
        if col is not None:
            months = pd.to_datetime(r[col].astype(str)).dt.to_period("M")
            f.update(crime_first=str(months.min()), crime_last=str(months.max()))
    return f


def _observation_facts(s: pd.DataFrame) -> dict[str, Any]:
    return dict(
        sessions=int(len(s)),
        zones=int(s["zone"].nunique()),
        observers=int(s["observer"].nunique()),
        first=str(pd.Timestamp(s["date"].min()).date()),
        last=str(pd.Timestamp(s["date"].max()).date()),
        minutes=int(round(float(s["minutes"].median()))),
        hours=float(s["minutes"].sum()) / 60,
    )


def _focus_facts(fg: dict[str, pd.DataFrame]) -> dict[str, Any]:
    c = fg["codings"]
    per_group = c.groupby("group")["coder"].nunique()
    return dict(
        groups=int(fg["participants"]["group"].nunique()),
        participants=int(len(fg["participants"])),
        roles=int(fg["participants"]["role"].nunique()),
        coders=int(c["coder"].nunique()),
        double_coded=int((per_group > 1).sum()),
    )


# ---------------------------------------------------------------------- text
def _list(values: Iterable[Any] | None, language: str) -> str:
    vals = [label(str(v), language) for v in (values or [])]
    return and_list(vals, language) if vals else _m("none", language)


def methods_text(params: dict[str, Any], facts: dict[str, Any], language: str = "sv") -> str:
    """The methods appendix as Markdown: one section per method, with this run's values.

    ``params``: the run's parameters (``notebooks/params.yaml`` layered with
    the run's overrides); ``facts``: :func:`study_facts`. A source the data
    do not have is said to be absent instead of described with numbers.

    Examples
    --------
    >>> text = methods_text({"min_cell": 5}, {}, "en")
    >>> text.count("\\n\\n") > 5, "5" in text
    (True, True)
    """
    p = params
    group = target_group(
        {"gender": p.get("target_gender"), "age_band": p.get("target_age_band")}, language
    )
    sec = [_protocol(facts, language), _m("age", language, group=group)]
    sec += _models(p, facts, group, language)
    sec += _coding(p, facts, language)
    sec.append(_m("evidence", language))
    return "\n\n".join(sec)


def _protocol(facts: dict[str, Any], language: str) -> str:
    """The observation protocol with the data's counts, or that there are no observations."""
    if "sessions" not in facts:
        absent = _m("absent", language, source=_m("source.observations", language))
        return _m("heading.protocol", language) + "\n\n" + absent
    return _m(
        "protocol",
        language,
        sessions=facts["sessions"],
        zones=facts["zones"],
        observers=facts["observers"],
        first=facts["first"],
        last=facts["last"],
        minutes=facts["minutes"],
        hours=number(facts["hours"], language, 0),
    )


def _models(p: dict[str, Any], facts: dict[str, Any], group: str, language: str) -> list[str]:
    """The count model (and its family rule), the interrupted time series and the survey trend."""
    m = lambda k, **v: _m(k, language, **v)  # noqa: E731
    fam = p.get("count_family", "auto")
    count_family = (
        m(
            "family_rule",
            threshold=number(DISPERSION_THRESHOLD, language, 1),
            spread=number(MEAN_SPREAD_NB, language, 0),
        )
        if fam == "auto"
        else family_label(fam, language)
    )
    its_fam = p.get("its_family", "auto")
    return [
        m(
            "count_model",
            group=group,
            states=_list(p.get("activation_states"), language),
            covariates=_list(p.get("covariates"), language),
            cluster=m(f"cluster.{p.get('cluster') or 'none'}"),
            family=count_family,
        ),
        m(
            "its",
            area=_list([p.get("area")], language),
            categories=_list(p.get("categories"), language),
            intervention=p.get("intervention", ""),
            transition=p.get("transition", 0),
            end=p.get("its_end") or m("none"),
            seasonality=m(f"seasonality.{p.get('seasonality', 'fourier')}"),
            family=m("its_family_rule") if its_fam == "auto" else family_label(its_fam, language),
            hac=m("hac_none") if p.get("hac_lags") in (None, 0) else m("hac", lags=p["hac_lags"]),
            comparisons=_list(p.get("comparison_areas"), language),
            first=facts.get("crime_first", "?"),
            last=facts.get("crime_last", "?"),
        ),
        m(
            "survey",
            item=_list([p.get("survey_item")], language),
            area=_list([p.get("area")], language),
            reference=_list([p.get("survey_reference")], language),
            first=facts.get("survey_first", "?"),
            last=facts.get("survey_last", "?"),
        ),
    ]


def _coding(p: dict[str, Any], facts: dict[str, Any], language: str) -> list[str]:
    """The coding process, the reliability thresholds, the suppression rule and the quote rule."""
    m = lambda k, **v: _m(k, language, **v)  # noqa: E731
    if "groups" in facts:
        coding = m(
            "coding",
            groups=facts["groups"],
            participants=facts["participants"],
            roles=facts["roles"],
            coders=facts["coders"],
            double=facts["double_coded"],
        )
    else:
        coding = m("heading.coding") + "\n\n" + m("absent", source=m("source.focus_groups"))
    min_cell = int(p.get("min_cell", 5))
    return [
        coding,
        m(
            "reliability",
            reliable=number(THRESHOLDS[1], language, 3).rstrip("0").rstrip(",."),
            tentative=number(THRESHOLDS[0], language, 3),
        ),
        m("suppression", min_cell=min_cell, min_cell_minus=min_cell - 1),
        m(
            "quotes",
            min_quote_group=p.get("min_quote_group", 3),
            quotes_per_theme=p.get("quotes_per_theme", 2),
        ),
    ]


# ------------------------------------------------------------------ glossary
def glossary(language: str = "sv", zones: list[str] | None = None) -> pd.DataFrame:
    """The glossary: ``term`` and ``meaning``, in :data:`GLOSSARY_TERMS` order.

    ``zones``: the study's zone codes (``study.codes("zones")``); with two or
    more, the zone's meaning names the first two as examples (by their labels
    in ``language``), else it names none.

    Examples
    --------
    >>> g = glossary("en", ["zone_a", "zone_b"])
    >>> g.iloc[2, 1]
    'A part of the site observed on its own, e.g. zone_a or zone_b.'
    >>> glossary("en").iloc[2, 1]
    'A part of the site observed on its own.'
    """

    def text(k: str) -> str:
        if k == "zone" and zones is not None and len(zones) >= 2:
            first, second = (label(str(z), language) for z in zones[:2])
            return _m("glossary.zone.text_examples", language, first=first, second=second)
        return _m(f"glossary.{k}.text", language)

    return pd.DataFrame(
        [(_m(f"glossary.{k}.term", language), text(k)) for k in GLOSSARY_TERMS],
        columns=[_m("glossary.heading_term", language), _m("glossary.heading_text", language)],
    )
