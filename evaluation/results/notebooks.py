"""One result class per notebook: the typed content of ``results/<notebook>.json``.

Each class holds the key results one notebook hands on, with the envelope's
``incomplete`` and ``sensitivity`` lists; :data:`RESULT_CLASSES` maps each
notebook to its class. Keys named as contract by earlier issues keep their
names and fields (e.g. 01's ``target_staying_rate_ratio`` with ``estimate,
ci_low, ci_high, p_value, family, n_sessions``); new ones are only ever added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .records import CoIntervention, Estimate, Incomplete, Sensitivity

__all__ = [
    "RateRatioEstimate",
    "CoPresence",
    "ConflictRate",
    "SiteResults",
    "Theme",
    "MethodConflict",
    "FocusResults",
    "ITSEntry",
    "PerHectare",
    "SurveyTrend",
    "CrimeResults",
    "QualityResults",
    "Finding",
    "Goal",
    "SynthesisResults",
    "RESULT_CLASSES",
]


# ------------------------------------------------------------------ 01 (site)
@dataclass
class RateRatioEstimate(Estimate):
    """01's rate ratio entries: an :class:`~evaluation.results.Estimate` plus the fields issue 5 named.

    Examples
    --------
    >>> r = RateRatioEstimate("target_staying_rate_ratio", 1.9, 1.5, 2.4, n_sessions=300)
    >>> r.n_sessions, r.null_value
    (300, 1.0)
    """

    n_sessions: int | None = None
    dispersion: float | None = None
    n_clusters: int | None = None
    error: str | None = None


@dataclass
class CoPresence:
    """Sessions with the target group present while a drug sale was seen (% of sessions).

    Examples
    --------
    >>> CoPresence(120, 0.35).share_both
    0.35
    """

    sessions: int
    share_both: float
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass
class ConflictRate:
    """The method conflict in one group of sessions: drug sales seen while the target group was present, per observed hour.

    ``co_presence_sales`` counts the drug sales of the sessions in which the
    target group was staying; ``rate`` is that per observed hour (all
    ``hours`` of the group, so sessions of different lengths weigh by their
    length), with its 95% CI (``ci_method``: clustered by date, or exact
    Poisson with few events; :func:`evaluation.analyses.conflict.method_conflict_rates`).
    ``sales`` counts every drug sale seen and ``hours_target_present`` the
    hours of the sessions with the target group present. Counts of incidents,
    not of people.

    Examples
    --------
    >>> ConflictRate(180, 136.0, 102, 0.75, 0.60, 0.94).rate
    0.75
    """

    sessions: int
    hours: float
    co_presence_sales: int
    rate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_method: str | None = None
    sales: int | None = None
    hours_target_present: float | None = None


@dataclass
class _Envelope:
    incomplete: list[Incomplete] = field(default_factory=list)
    sensitivity: list[Sensitivity] = field(default_factory=list)


@dataclass
class SiteResults(_Envelope):
    """``results/01_site_observations.json``.

    Examples
    --------
    >>> s = SiteResults(n_sessions=300, period={"first": "2022-05-18", "last": "2023-09-14"})
    >>> s.n_sessions, s.target_staying_rate_ratio, s.incomplete
    (300, None, [])
    """

    target: dict[str, str] = field(default_factory=dict)
    compared: dict[str, Any] = field(default_factory=dict)
    covariates: list[str] = field(default_factory=list)
    target_staying_rate_ratio: RateRatioEstimate | None = None
    drug_sale_rate_ratio: RateRatioEstimate | None = None
    outreach_contact_rate_ratio: RateRatioEstimate | None = None
    #: superseded by the method-conflict rates below (a share of sessions of different lengths); kept for the contract
    co_presence: dict[str, CoPresence] = field(default_factory=dict)
    observer_agreement: dict[str, dict] = field(default_factory=dict)
    n_sessions: int = 0
    observed_hours: float = 0.0
    period: dict[str, str] = field(default_factory=dict)  # first, last: YYYY-MM-DD
    co_interventions: list[CoIntervention] = field(default_factory=list)
    missing: str | None = None
    #: method conflict per observed hour by activation state (issue 15.6)
    method_conflict_rates: dict[str, ConflictRate] = field(default_factory=dict)
    #: the same, the compared activation states pooled
    method_conflict_activated: ConflictRate | None = None
    #: its rate ratio, activated against not, from the count model with 01's covariates
    method_conflict_rate_ratio: RateRatioEstimate | None = None


# ----------------------------------------------------------------- 02 (focus)
@dataclass
class Theme:
    """A top-level theme of the codebook and how much of the talk it takes.

    Examples
    --------
    >>> Theme("art", "Art", 0.31, {"sv": "Konst", "en": "Art"}).labels["sv"]
    'Konst'
    """

    code: str
    label: str
    share_of_turns: float
    labels: dict[str, str] = field(default_factory=dict)  # per language


@dataclass
class MethodConflict:
    """The method-conflict code of the codebook, as coded.

    Examples
    --------
    >>> MethodConflict(14, {"police": 0.1, "youth_worker": 0.05}).turns
    14
    """

    turns: int
    share_by_role: dict[str, float] = field(default_factory=dict)
    code: str | None = None
    label: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # per language


@dataclass
class FocusResults(_Envelope):
    """``results/02_focus_groups.json``.

    Examples
    --------
    >>> FocusResults(groups=6, roles=["police", "youth_worker"]).groups
    6
    """

    groups: int = 0
    participants: int = 0
    turns: int = 0
    codings: int = 0
    double_coded_groups: list[str] = field(default_factory=list)
    reliability_overall: dict[str, float] | None = None
    reliability_by_code: dict[str, dict] = field(default_factory=dict)
    theme_share_of_turns: dict[str, float] = field(default_factory=dict)
    themes: list[Theme] = field(default_factory=list)
    method_conflict: MethodConflict | None = None
    roles: list[str] = field(default_factory=list)
    missing: str | None = None


# ----------------------------------------------------------------- 03 (crime)
@dataclass
class ITSEntry:
    """One interrupted time series of 03 (``its.<category>[_vs_<comparison>]``).

    Examples
    --------
    >>> e = ITSEntry(family="negbin", level_change=Estimate("x", 1.3, 1.1, 1.5), category="violence")
    >>> e.level_change.estimate, e.error
    (1.3, None)
    """

    family: str | None = None
    dispersion: float | None = None
    ljung_box_p: float | None = None
    n_pre: int | None = None
    n_post: int | None = None
    level_change: Estimate | None = None
    slope_change: Estimate | None = None
    baseline_trend: Estimate | None = None
    control_level_change: Estimate | None = None
    control_slope_change: Estimate | None = None
    error: str | None = None
    category: str | None = None
    comparison: str | None = None
    first_month: str | None = None  # YYYY-MM
    last_month: str | None = None


@dataclass
class PerHectare:
    """The last year's count and rate per hectare, and their change from the year before.

    ``ci_low`` and ``ci_high`` are the CI of ``change_per_hectare``.

    Examples
    --------
    >>> PerHectare(2023, 90, 1.5, 60.0, 0.9, 2.16, 1.6, 2.9, 3.6, 100).hectares_before
    3.6
    """

    year: int
    count: int
    hectares: float | None
    per_hectare: float | None
    change_total: float | None = None
    change_per_hectare: float | None = None
    ci_low: float | None = None  # of change_per_hectare
    ci_high: float | None = None
    hectares_before: float | None = None
    count_before: int | None = None


@dataclass
class SurveyTrend(Estimate):
    """Trend of the share answering yes to a survey item: odds ratio per year.

    Examples
    --------
    >>> SurveyTrend("s", 0.93, 0.9, 0.96, odds_ratio=0.93, years="2015-2023").years
    '2015-2023'
    """

    odds_ratio: float | None = None
    years: str | None = None


@dataclass
class CrimeResults(_Envelope):
    """``results/03_crime_and_safety.json``.

    Examples
    --------
    >>> CrimeResults(area="site", categories=["violence"]).its
    {}
    """

    area: str = ""
    intervention: str = ""
    its_end: str | None = None
    transition: int = 0
    categories: list[str] = field(default_factory=list)
    its: dict[str, ITSEntry] = field(default_factory=dict)
    per_hectare: dict[str, PerHectare] = field(default_factory=dict)
    survey_trend: dict[str, SurveyTrend] = field(default_factory=dict)
    survey_item: str | None = None
    co_interventions: list[str] = field(default_factory=list)  # "name (start to end)"
    interventions: list[CoIntervention] = field(default_factory=list)
    missing: str | None = None


# ------------------------------------------------------- 00 (quality), 04 (synthesis)
@dataclass
class QualityResults(_Envelope):
    """``results/00_data_quality.json``.

    Examples
    --------
    >>> QualityResults(sources=["observations"], rows={"observations": 300}).warnings
    0
    """

    sources: list[str] = field(default_factory=list)
    warnings: int = 0
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class Finding:
    """One row of the synthesis' evidence table (``04_synthesis.json`` ``findings``).

    Examples
    --------
    >>> f = Finding("girls", "observations", "target_staying_rate_ratio", 1.9, 1.5, 2.4,
    ...             "increase", "moderate", "More girls stayed.")
    >>> f.direction, f.strength
    ('increase', 'moderate')
    """

    question: str
    source: str
    measure: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    direction: Literal["increase", "decrease", "no_clear_change", "context", "concern"]
    strength: Literal["strong", "moderate", "weak", "not_assessed"]
    text: str


@dataclass
class Goal:
    """One of the site's goals, the evidence bearing on it and its assessment (``04_synthesis.json`` ``goals``).

    Examples
    --------
    >>> Goal("A safer square", "No data.", "Not assessed.").assessment
    'Not assessed.'
    """

    goal: str
    evidence: str
    assessment: str


@dataclass
class SynthesisResults(_Envelope):
    """``results/04_synthesis.json``.

    Examples
    --------
    >>> SynthesisResults(language="en", summary=["No findings."]).findings
    []
    """

    language: Literal["sv", "en"] = "sv"
    findings: list[Finding] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)


#: The typed record of each notebook's results file.
RESULT_CLASSES: dict[str, type] = {
    "00_data_quality": QualityResults,
    "01_site_observations": SiteResults,
    "02_focus_groups": FocusResults,
    "03_crime_and_safety": CrimeResults,
    "04_synthesis": SynthesisResults,
}
