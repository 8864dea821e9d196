"""The results contract: what one notebook hands on to the next (``results/<notebook>.json``).

Every notebook of a run writes its key results as one JSON file, and the
synthesis and the pipeline read only these files, through this module:

- an **envelope** shared by every file: ``"schema": 1``, ``"notebook"``,
  ``"incomplete"`` (key results that could not be computed, each
  ``{"result": <key>, "why": <text>}``; empty when complete) and
  ``"sensitivity"`` (``{"estimate", "variant", "value", "ci_low",
  "ci_high"}`` rows; empty unless a sensitivity analysis filled it);
- typed records for the content: an :class:`Estimate` for every estimate with
  a confidence interval, and one result class per analysis
  (:class:`SiteResults`, :class:`FocusResults`, :class:`CrimeResults`,
  :class:`QualityResults`, :class:`SynthesisResults`).

:func:`read_results` validates a file against the envelope and raises
:class:`evaluation.errors.DataError` (naming the file and the key) for another
schema version or a malformed file; :func:`parse` turns a validated payload
into its typed record. Keys named as contract by earlier issues keep their
names and fields; new ones are only ever added.

>>> e = Estimate("rr", 1.8, 1.4, 2.3)
>>> direction(e), direction(Estimate("rr", 0.7, 0.5, 1.1))
('increase', 'no_clear_change')
>>> Estimate.from_dict(e.to_dict()) == e
True
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import DataError, Problem

__all__ = [
    "SCHEMA",
    "SCALES",
    "DIRECTIONS",
    "Check",
    "Estimate",
    "Incomplete",
    "Sensitivity",
    "CoIntervention",
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
    "direction",
    "as_json",
    "starts_within",
    "envelope",
    "write_results",
    "read_results",
    "parse",
]

#: Version of the results contract; a file of another version is refused when read.
SCHEMA = 1
#: The scales an estimate can be on (``ratio``: null 1; ``difference``: null 0).
SCALES = ("ratio", "difference", "share")
#: What :func:`direction` can return.
DIRECTIONS = ("increase", "decrease", "no_clear_change")

Scale = Literal["ratio", "difference", "share"]
DirectionName = Literal["increase", "decrease", "no_clear_change"]


# --------------------------------------------------------------------- records
@dataclass(frozen=True)
class Check:
    """One named model check and whether it passed.

    ``value`` is what was measured (e.g. a Ljung-Box p-value) and ``threshold``
    what it was compared with, so that a reader can see why.
    """

    name: str
    passed: bool
    value: float | None = None
    threshold: float | None = None


@dataclass
class Estimate:
    """One estimate with its 95% confidence interval.

    Attributes
    ----------
    measure : str
        What is estimated (an id such as ``target_staying_rate_ratio``).
    estimate, ci_low, ci_high, p_value : float or None
        ``None`` when it could not be estimated (see ``notes``).
    scale : {"ratio", "difference", "share"}
    null_value : float or None
        The value meaning "no effect"; by default 1 for a ratio and 0 for a
        difference (a share has none unless given).
    family : str or None
        The model family used (e.g. ``poisson``, ``negbin``, ``binomial``).
    n : int or None
        Number of units behind it (sessions, months, respondents...).
    checks : list of Check
        The model checks, each with passed true/false.
    notes : list of str
        Anything a reader must know (e.g. why it could not be estimated).
    """

    measure: str
    estimate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    scale: Scale = "ratio"
    null_value: float | None = None
    family: str | None = None
    n: int | None = None
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise ValueError(f"scale {self.scale!r}: expected one of {', '.join(SCALES)}")
        if self.null_value is None:
            self.null_value = {"ratio": 1.0, "difference": 0.0}.get(self.scale)

    @property
    def available(self) -> bool:
        """Whether there is an estimate with a finite confidence interval."""
        return all(
            v is not None and math.isfinite(v) for v in (self.estimate, self.ci_low, self.ci_high)
        )

    def failed_checks(self) -> list[str]:
        """Names of the model checks that did not pass."""
        return [c.name for c in self.checks if not c.passed]

    def to_dict(self) -> dict:
        return _encode(self)

    @classmethod
    def from_dict(cls, d: dict, where: str = "") -> Estimate:
        return _decode(cls, d, where or cls.__name__, "<results>")


@dataclass(frozen=True)
class Incomplete:
    """A key result that could not be computed, and why."""

    result: str
    why: str


@dataclass(frozen=True)
class Sensitivity:
    """One estimate re-computed under a variant of the analysis."""

    estimate: str
    variant: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class CoIntervention:
    """Something else that started around the intervention (from ``calendar.csv``)."""

    name: str
    kind: str
    start: str  # YYYY-MM-DD
    end: str  # YYYY-MM-DD


# ------------------------------------------------------------ per analysis
@dataclass
class RateRatioEstimate(Estimate):
    """01's rate ratio entries: an :class:`Estimate` plus the fields issue 5 named."""

    n_sessions: int | None = None
    dispersion: float | None = None
    n_clusters: int | None = None
    error: str | None = None


@dataclass
class CoPresence:
    """Sessions with the target group present while a drug sale was seen (% of sessions)."""

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
    """``results/01_site_observations.json``."""

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


@dataclass
class Theme:
    """A top-level theme of the codebook and how much of the talk it takes."""

    code: str
    label: str
    share_of_turns: float
    labels: dict[str, str] = field(default_factory=dict)  # per language


@dataclass
class MethodConflict:
    """The method-conflict code of the codebook, as coded."""

    turns: int
    share_by_role: dict[str, float] = field(default_factory=dict)
    code: str | None = None
    label: str | None = None
    labels: dict[str, str] = field(default_factory=dict)  # per language


@dataclass
class FocusResults(_Envelope):
    """``results/02_focus_groups.json``."""

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


@dataclass
class ITSEntry:
    """One interrupted time series of 03 (``its.<category>[_vs_<comparison>]``)."""

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
    """The last year's count and rate per hectare, and their change from the year before."""

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
    """Trend of the share answering yes to a survey item: odds ratio per year."""

    odds_ratio: float | None = None
    years: str | None = None


@dataclass
class CrimeResults(_Envelope):
    """``results/03_crime_and_safety.json``."""

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


@dataclass
class QualityResults(_Envelope):
    """``results/00_data_quality.json``."""

    sources: list[str] = field(default_factory=list)
    warnings: int = 0
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class Finding:
    """One row of the synthesis' evidence table (``04_synthesis.json`` ``findings``)."""

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
    goal: str
    evidence: str
    assessment: str


@dataclass
class SynthesisResults(_Envelope):
    """``results/04_synthesis.json``."""

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


# ------------------------------------------------------------------ decisions
def direction(est: Estimate) -> DirectionName:
    """``increase``, ``decrease`` or ``no_clear_change``: the 95% CI against the null value.

    The one place where a direction is decided. An estimate whose CI lies
    wholly above its null value is an increase, wholly below a decrease;
    a CI that contains the null, or a missing estimate, is no clear change.

    >>> direction(Estimate("rr", 0.6, 0.45, 0.8)), direction(Estimate("d", 0.1, -0.2, 0.4, scale="difference"))
    ('decrease', 'no_clear_change')
    >>> direction(Estimate("rr", None))
    'no_clear_change'
    """
    if est.null_value is None:
        raise ValueError(f"{est.measure}: a {est.scale} has no null value to compare with")
    if not est.available:
        return "no_clear_change"
    if est.ci_low > est.null_value:
        return "increase"
    if est.ci_high < est.null_value:
        return "decrease"
    return "no_clear_change"


def starts_within(
    events: list[CoIntervention], first: str | None, last: str | None
) -> list[CoIntervention]:
    """The co-interventions that start inside the period ``first``..``last`` (ISO dates or months).

    A co-intervention that starts inside the period analysed can cause a change
    there; one running through the whole period cannot.

    >>> cam = CoIntervention("cameras", "policing", "2019-03-01", "2025-12-31")
    >>> [c.name for c in starts_within([cam], "2016-01", "2022-12")], starts_within([cam], "2022-05-16", "2023-09-15")
    (['cameras'], [])
    """
    if not first or not last:
        return []
    lo = first if len(first) > 7 else first + "-01"
    hi = last if len(last) > 7 else last + "-31"
    return [c for c in events if lo <= c.start <= hi]


# -------------------------------------------------------------- (de)serialise
def _clean(x: Any) -> Any:
    """JSON-safe values: dataclasses to dicts, numpy scalars to Python, NaN/inf to None."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: _clean(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        try:
            x = x.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def as_json(record: Any) -> Any:
    """A record (or dict, list, number) as JSON-ready plain values; NaN becomes ``None``.

    >>> as_json(Estimate("rr", float("nan")))["estimate"] is None
    True
    """
    return _clean(record)


def _encode(record: Any) -> dict:
    return _clean(record)


def _bad(file: str, where: str, message: str, expected: str) -> DataError:
    return DataError([Problem(file, None, where, message, expected)])


def _decode(tp: Any, value: Any, where: str, file: str) -> Any:
    """``value`` (from JSON) as the type ``tp``, or a DataError naming ``where``."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], value, where, file) if len(inner) == 1 else value
    if origin is Literal:
        allowed = typing.get_args(tp)
        if value not in allowed:
            raise _bad(file, where, f"{value!r} is not allowed", " or ".join(map(str, allowed)))
        return value
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise _bad(file, where, f"{type(value).__name__} found", "an object")
        hints = typing.get_type_hints(tp)
        kw = {}
        for f in dataclasses.fields(tp):
            if f.name in value:
                kw[f.name] = _decode(hints[f.name], value[f.name], f"{where}.{f.name}", file)
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise _bad(file, f"{where}.{f.name}", "missing", "this key")
        try:
            return tp(**kw)
        except (TypeError, ValueError) as exc:
            raise _bad(file, where, str(exc), f"a valid {tp.__name__}") from None
    if origin is list:
        if not isinstance(value, list):
            raise _bad(file, where, f"{type(value).__name__} found", "a list")
        (arg,) = typing.get_args(tp)
        return [_decode(arg, v, f"{where}[{i}]", file) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise _bad(file, where, f"{type(value).__name__} found", "an object")
        _, arg = typing.get_args(tp)
        return {k: _decode(arg, v, f"{where}.{k}", file) for k, v in value.items()}
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(file, where, f"{value!r} found", "a number")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(file, where, f"{value!r} found", "a whole number")
        return value
    if tp in (str, bool, dict, list):
        if not isinstance(value, tp) or (tp is not bool and isinstance(value, bool)):
            raise _bad(file, where, f"{value!r} found", f"a {tp.__name__}")
        return value
    return value


# ------------------------------------------------------------------ envelope
def envelope(notebook: str, results: Any) -> dict:
    """The JSON payload of ``results`` (a record or a dict) with the contract's envelope.

    ``incomplete`` and ``sensitivity`` are kept when given, else empty lists;
    a payload ``{"missing": <source>}`` (a notebook whose source was absent)
    is marked incomplete.

    >>> envelope("x", {"a": 1.5})
    {'schema': 1, 'notebook': 'x', 'incomplete': [], 'sensitivity': [], 'a': 1.5}
    """
    payload = _clean(results)
    if not isinstance(payload, dict):
        raise TypeError("results must be a mapping or a dataclass record")
    incomplete = payload.pop("incomplete", None) or []
    if payload.get("missing") and not incomplete:  # a notebook whose source was absent
        incomplete = [{"result": notebook, "why": f"source missing: {payload['missing']}"}]
    head = {
        "schema": SCHEMA,
        "notebook": notebook,
        "incomplete": incomplete,
        "sensitivity": payload.pop("sensitivity", None) or [],
    }
    payload.pop("schema", None)
    payload.pop("notebook", None)
    return {**head, **payload}


def write_results(run_dir: str | Path | None, notebook: str, results: Any) -> Path | None:
    """Write a notebook's key results to ``<run_dir>/results/<notebook>.json``.

    ``results`` is the notebook's record (e.g. :class:`SiteResults`) or its
    dict; the file gets the contract's envelope (see :func:`envelope`) and
    ``inputs``: the files this process read (for the manifest and the cache).
    With an empty ``run_dir`` (interactive use, nbval) nothing is written and
    ``None`` is returned: a notebook only writes into a run folder.
    """
    from . import provenance

    if not run_dir:
        return None
    out = Path(run_dir) / "results" / f"{notebook}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = envelope(notebook, results)
    _validate(payload, str(out), notebook)
    payload["inputs"] = provenance.files_read()
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def _validate(payload: Any, file: str, notebook: str | None) -> None:
    if not isinstance(payload, dict):
        raise _bad(file, "(top level)", f"{type(payload).__name__} found", "a JSON object")
    schema = payload.get("schema")
    if schema != SCHEMA:
        found = "no schema version" if schema is None else f"schema version {schema!r}"
        raise _bad(
            file,
            "schema",
            f"{found}: written by another version of sergel-eval",
            f"schema {SCHEMA}; run the notebooks again to rewrite it",
        )
    if notebook is not None and payload.get("notebook") != notebook:
        raise _bad(file, "notebook", f"{payload.get('notebook')!r} found", repr(notebook))
    _decode(list[Incomplete], payload.get("incomplete"), "incomplete", file)
    _decode(list[Sensitivity], payload.get("sensitivity"), "sensitivity", file)


def read_results(results_dir: str | Path | None, notebook: str) -> dict | None:
    """A notebook's results from a run folder's ``results/``, validated; ``None`` if absent.

    Raises
    ------
    evaluation.errors.DataError
        The file is not JSON, is of another schema version, belongs to
        another notebook, or its ``incomplete``/``sensitivity`` lists are
        malformed; the error names the file and the key.
    """
    if not results_dir:
        return None
    p = Path(results_dir) / f"{notebook}.json"
    if not p.exists():
        return None
    try:
        payload = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _bad(str(p), "(file)", f"not valid JSON ({exc})", "a results JSON file") from None
    _validate(payload, str(p), notebook)
    return payload


def parse(payload: dict, notebook: str | None = None, file: str = "<results>") -> Any:
    """The typed record of a results payload (the class from :data:`RESULT_CLASSES`).

    >>> r = parse(envelope("02_focus_groups", {"groups": 6}))
    >>> type(r).__name__, r.groups, r.incomplete
    ('FocusResults', 6, [])
    """
    nb = notebook or payload.get("notebook")
    cls = RESULT_CLASSES.get(nb)
    if cls is None:
        raise _bad(file, "notebook", f"{nb!r} has no result class", " or ".join(RESULT_CLASSES))
    return _decode(cls, payload, nb, file)
