"""05_committee_summary: one page for the district committee, in plain language, from the synthesis' findings.

The committee summary says what changed, how sure we are, what cannot be
said and what to do next, in short sentences without statistical jargon
(Swedish *klarspråk*; English when the report is in English). It is built
from the same :class:`~evaluation.results.Finding` records as the synthesis
(``results/04_synthesis.json``, read with :func:`evaluation.results.read_results`),
never from their sentences: each plain sentence is composed here from the
finding's measure, direction, estimate, interval and strength, with texts from
``messages/<language>/committee.yaml``. So a reversed effect gives a reversed
sentence, and a source that is missing is said to be missing.

The confidence interval is explained once, in words (the range in which the
true value probably lies); the sentences give the range as "probably between
a and b" and the strength of evidence as how sure we are.

Examples
--------
>>> from evaluation.results import Finding
>>> f = Finding("girls", "observations", "target_staying_rate_ratio", 1.96, 1.58, 2.41,
...             "increase", "moderate", "...")
>>> print(changed_sentence(f, "en", group="girls aged 13–18"))
When the site was activated, more girls aged 13–18 stayed there: about 2.0 times as many per hour observed (probably between 1.6 and 2.4 times the level without activation). This is likely, but not certain.
>>> print(changed_sentence(f, "sv", group="flickor 13–18 år"))
När platsen var aktiverad stannade fler flickor 13–18 år där: ungefär 2,0 gånger så många per observerad timme (troligen mellan 1,6 och 2,4 gånger nivån utan aktivering). Det är troligt, men inte säkert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..i18n import number, percent, t
from ..results import Finding, SynthesisResults, parse, read_results
from ..sources.study import Study, load_study
from .findings import and_list, label, target_group
from .synthesis import NOTEBOOKS, collect_results, source_records, synthesise

__all__ = [
    "RATED_MEASURES",
    "CommitteeSummary",
    "CommitteeInputs",
    "change_words",
    "changed_sentence",
    "cannot_say",
    "next_steps",
    "committee_summary",
    "committee_markdown",
    "committee_inputs",
    "lix",
]

#: The kinds of finding the summary turns into a plain sentence (the measure's first part).
RATED_MEASURES = (
    "target_staying_rate_ratio",
    "drug_sale_rate_ratio",
    "outreach_contact_rate_ratio",
    "its",
    "survey_trend",
)


def _c(key: str, language: str, **values: Any) -> str:
    return t(f"committee.{key}", language, **values)


def _kind(measure: str) -> str:
    return measure.split(".")[0]


def change_words(ratio: float, direction: str, language: str) -> str:
    """A ratio in everyday words: "about 30% fewer", "about 2.0 times as many".

    Examples
    --------
    >>> change_words(0.70, "decrease", "en"), change_words(1.25, "increase", "sv")
    ('about 30% fewer', 'ungefär 25\\xa0% fler')
    >>> change_words(1.96, "increase", "en")
    'about 2.0 times as many'
    """
    if ratio >= 1.95:
        return _c("times", language, x=number(ratio, language, 1))
    if direction == "decrease" or ratio < 1:
        return _c("fewer", language, pct=percent(1 - ratio, language))
    return _c("more", language, pct=percent(ratio - 1, language))


def _certainty(strength: str, language: str) -> str:
    return _c(f"certainty.{strength}", language)


def changed_sentence(
    f: Finding, language: str, group: str | None = None, area: str | None = None
) -> str | None:
    """One finding as a plain sentence with its range and how sure we are; ``None`` if not one of :data:`RATED_MEASURES`.

    ``group`` names the target group (default: "the target group"), ``area``
    the area of the crime series and survey (default: "the site").

    Examples
    --------
    >>> f = Finding("crime_safety", "crime", "its.violence.level_change", 0.7, 0.55, 0.9,
    ...             "decrease", "weak", "...")
    >>> changed_sentence(f, "en", area="Norrtorget").startswith("After the activation began")
    True
    >>> changed_sentence(Finding("q", "focus_groups", "themes", None, None, None, "context", "not_assessed", ""), "en") is None
    True
    """
    kind = _kind(f.measure)
    if kind not in RATED_MEASURES:
        return None
    group = group or _c("default_group", language)
    area = area or _c("default_area", language)
    what = {"target_staying_rate_ratio": {"group": group}}.get(kind, {})
    if kind == "its":
        parts = f.measure.split(".")
        cat = _category(parts[1], language) if len(parts) > 1 else _c("default_crime", language)
        what = {"category": cat, "area": area}
    if kind == "survey_trend":
        parts = f.measure.split(".")
        what = {"item": label(parts[1], language) if len(parts) > 1 else "", "area": area}
    if f.estimate is None or f.ci_low is None or f.ci_high is None:
        return _c(f"missing.{kind}", language, **what)
    d = f.direction if f.direction in ("increase", "decrease") else "no_clear_change"
    lo, hi = number(f.ci_low, language, 1), number(f.ci_high, language, 1)
    if kind == "survey_trend":
        body = _c(f"changed.survey_trend.{d}", language, **what)
    elif d == "no_clear_change":
        body = _c(f"changed.{kind}.no_clear_change", language, **what)
    else:
        body = _c(
            f"changed.{kind}.{d}", language, change=change_words(f.estimate, d, language), **what
        )
    if kind == "survey_trend":  # a trend per year in odds: no range in everyday words
        return f"{body}. {_certainty(f.strength, language)}"
    rng = _c("range_its" if kind == "its" else "range", language, lo=lo, hi=hi)
    tail = ""
    if kind == "drug_sale_rate_ratio" and d == "decrease":
        tail = " " + _c("changed.drug_sale_rate_ratio.not_gone", language)
    return f"{body} {rng}.{tail} {_certainty(f.strength, language)}"


def _category(code: str, language: str) -> str:
    return label(code, language)


@dataclass
class CommitteeInputs:
    """What the summary is built from: the synthesis' findings and a little context.

    ``group``: the target group in words; ``area``: the area of the crime
    series in words; ``co_interventions``: names of other measures in the
    calendar; ``goals_not_measured``: the city's goals no source measures;
    ``synthetic``: the data folder holds synthetic example data;
    ``missing``: notebooks whose results are missing.

    Examples
    --------
    >>> CommitteeInputs([], group="girls aged 13–18", co_interventions=["Cameras"]).synthetic
    False
    """

    findings: list[Finding]
    group: str | None = None
    area: str | None = None
    co_interventions: list[str] = field(default_factory=list)
    goals_not_measured: list[str] = field(default_factory=list)
    synthetic: bool = False
    missing: list[str] = field(default_factory=list)


@dataclass
class CommitteeSummary:
    """The four parts of the summary, each a list of plain sentences (``intro``: one paragraph).

    Examples
    --------
    >>> s = committee_summary(CommitteeInputs([]), "en")
    >>> s.language, len(s.changed), s.next_steps[-1] == _c("next.more_data", "en") or len(s.next_steps)
    ('en', 1, 2)
    """

    language: str
    intro: str
    changed: list[str]
    how_sure: list[str]
    cannot_say: list[str]
    next_steps: list[str]


def _focus_concern(findings: list[Finding]) -> Finding | None:
    return next(
        (
            f
            for f in findings
            if f.measure.startswith("method_conflict") and f.direction == "concern"
        ),
        None,
    )


def _find(findings: list[Finding], measure: str) -> Finding | None:
    return next((f for f in findings if f.measure == measure), None)


def cannot_say(inputs: CommitteeInputs, language: str) -> list[str]:
    """What the evaluation cannot say, from the findings and the study's design.

    Always: the cause (an observational study), the girls' own view (only
    professionals were interviewed) and what reported crime measures. From
    the data: the co-interventions in the calendar, the sources that are
    missing or could not be assessed, the goals nothing measures, weak
    findings, and synthetic example data.

    Examples
    --------
    >>> says = cannot_say(CommitteeInputs([], co_interventions=["Cameras"]), "en")
    >>> any("Cameras" in s for s in says), says[-2:] == [_c("cannot.girls_voice", "en"), _c("cannot.reported_crime", "en")]
    (True, True)
    """
    out = []
    if inputs.synthetic:
        out.append(_c("cannot.synthetic", language))
    if inputs.co_interventions:
        out.append(
            _c(
                "cannot.co_interventions",
                language,
                names=and_list(inputs.co_interventions, language),
            )
        )
    else:
        out.append(_c("cannot.cause", language))
    rated = [f for f in inputs.findings if _kind(f.measure) in RATED_MEASURES]
    weak = [f for f in rated if f.estimate is not None and f.strength == "weak"]
    if weak:
        out.append(_c("cannot.weak", language, n=len(weak)))
    missing = sorted(
        {f.source for f in inputs.findings if f.estimate is None and f.strength == "not_assessed" and f.direction == "no_clear_change" and _kind(f.measure) in (*RATED_MEASURES, "method_conflict", "themes")}
    )  # fmt: skip
    for src in missing:
        out.append(_c("cannot.missing", language, source=t(f"findings.source.{src}", language)))
    if inputs.goals_not_measured:
        goals = and_list(
            [_c("quote", language, text=g) for g in inputs.goals_not_measured], language
        )
        out.append(_c("cannot.goals", language, goals=goals))
    out.append(_c("cannot.girls_voice", language))
    out.append(_c("cannot.reported_crime", language))
    return out


def next_steps(inputs: CommitteeInputs, language: str) -> list[str]:
    """What to do next: each step follows from a finding (or the design), none from nothing.

    - more of the target group staying while dealing is still seen (or the
      professionals raise the method conflict): plan the activation with the
      police and the social services;
    - findings rated weak or missing: more observation before deciding;
    - co-interventions: time the next activation apart from them, or compare
      with another site;
    - always: ask the target group themselves.

    Examples
    --------
    >>> g = Finding("girls", "observations", "target_staying_rate_ratio", 1.96, 1.58, 2.41,
    ...             "increase", "moderate", "...")
    >>> next_steps(CommitteeInputs([g]), "en")
    ['Ask the target group themselves, for example in talks or focus groups.']
    """
    fs = inputs.findings
    out = []
    girls = _find(fs, "target_staying_rate_ratio")
    sale = _find(fs, "drug_sale_rate_ratio")
    co = _find(fs, "co_presence")
    conflict = (
        girls is not None
        and girls.direction == "increase"
        and (
            (co is not None and (co.estimate or 0) > 0)
            or (sale is not None and sale.direction != "decrease")
        )
    )
    if conflict or _focus_concern(fs) is not None:
        out.append(
            _c("next.protect", language, group=inputs.group or _c("default_group", language))
        )
    if girls is not None and girls.direction == "decrease":
        out.append(
            _c("next.why_fewer", language, group=inputs.group or _c("default_group", language))
        )
    rated = [f for f in fs if _kind(f.measure) in RATED_MEASURES]
    if any(f.strength in ("weak", "not_assessed") for f in rated) or not rated:
        out.append(_c("next.more_data", language))
    if inputs.co_interventions:
        out.append(_c("next.timing", language))
    out.append(_c("next.ask_girls", language))
    if inputs.goals_not_measured:
        out.append(_c("next.measure_goals", language))
    return out


def committee_summary(inputs: CommitteeInputs, language: str = "sv") -> CommitteeSummary:
    """The whole summary from the findings (see :class:`CommitteeInputs`).

    Examples
    --------
    >>> g = Finding("girls", "observations", "target_staying_rate_ratio", 1.96, 1.58, 2.41,
    ...             "increase", "moderate", "...")
    >>> s = committee_summary(CommitteeInputs([g], group="girls aged 13–18"), "en")
    >>> s.how_sure[-1]
    'Of the 1 results above, 0 are fairly sure, 1 likely and 0 uncertain.'
    """
    changed = [
        s
        for f in inputs.findings
        if (s := changed_sentence(f, language, inputs.group, inputs.area)) is not None
    ]
    concern = _focus_concern(inputs.findings)
    if concern is not None and concern.estimate:
        changed.append(_c("changed.concern", language, turns=int(concern.estimate)))
    if not changed:
        changed.append(_c("changed.none", language))
    rated = [f for f in inputs.findings if _kind(f.measure) in RATED_MEASURES]
    counts = {s: sum(f.strength == s for f in rated) for s in ("strong", "moderate", "weak")}
    counts["n"] = sum(counts.values())
    how_sure = [_c("how_sure.interval", language), _c("how_sure.strength", language)]
    if counts["n"]:
        how_sure.append(_c("how_sure.counts", language, **counts))
    return CommitteeSummary(
        language,
        _c("intro", language),
        changed,
        how_sure,
        cannot_say(inputs, language),
        next_steps(inputs, language),
    )


def committee_markdown(summary: CommitteeSummary) -> str:
    """The summary as Markdown: headings and short paragraphs or bullet lists (no title).

    Examples
    --------
    >>> md = committee_markdown(committee_summary(CommitteeInputs([]), "en"))
    >>> [line for line in md.splitlines() if line.startswith("## ")][0]
    '## What changed?'
    """
    lang = summary.language

    def bullets(items: list[str]) -> str:
        return "\n".join(f"- {s}" for s in items)

    return "\n\n".join(
        [
            summary.intro,
            "## " + _c("heading.changed", lang),
            bullets(summary.changed),
            "## " + _c("heading.how_sure", lang),
            " ".join(summary.how_sure),
            "## " + _c("heading.cannot_say", lang),
            bullets(summary.cannot_say),
            "## " + _c("heading.next", lang),
            bullets(summary.next_steps),
        ]
    )


def lix(text: str) -> float:
    """The readability index LIX (Björnsson 1968): words per sentence + % of words longer than six letters.

    Below 30 is very easy, 30–40 easy (simple fiction, plain-language texts),
    40–50 medium (newspapers), above 50 hard (official and academic text).

    Examples
    --------
    >>> round(lix("Torget var fullt. Fler flickor stannade där."), 1)
    32.1
    """
    plain = re.sub(r"[#*`_>-]", " ", text)
    words = re.findall(r"[^\W\d_]+", plain)
    sentences = max(1, len(re.findall(r"[.!?:]+(?:\s|$)", plain)))
    if not words:
        return 0.0
    long = sum(len(w) > 6 for w in words)
    return len(words) / sentences + 100 * long / len(words)


def _synthetic(data_dir: str | None) -> bool:
    if not data_dir:
        return False
    return (Path(data_dir) / "SYNTHETIC").is_file()


def _study(data_dir: str | None) -> Study | None:
    """The data folder's study (``study.yaml``), or ``None`` when it has none that reads."""
    if not data_dir:
        return None
    try:
        return load_study(data_dir)
    except DataError:
        return None


def _goals_in(names: list[str], study: Study | None, source: str, language: str) -> list[str]:
    """Goal names written in ``source``'s language, in ``language``: by the study's goals
    (``study.yaml``); a name the study does not know stays as it is."""
    if study is None:
        return names
    by_name = {g.text.get(source) or g.text.get("en") or g.id: g for g in study.goals}
    return [(by_name[n].text.get(language) or n) if n in by_name else n for n in names]


def _area_label(area: str, study: Study | None, language: str) -> str:
    """The area's label: the study's (``study.yaml``), else the catalogue's, else the code."""
    own = study.labels(language).get(area) if study is not None else None
    return own or label(area, language)


def committee_inputs(
    results_dir: str | None,
    data_dir: str,
    codebook: str | None = None,
    language: str = "sv",
) -> CommitteeInputs:
    """The findings and context for the summary: from a run's ``results/`` when given, else computed now.

    Reads ``04_synthesis.json`` (and 01's and 03's results for the target
    group, the area and the co-interventions) with
    :func:`evaluation.results.read_results`. Without a run folder (JupyterLab,
    nbval) the synthesis is computed from ``data_dir`` by the same package
    functions as notebook 04.

    Examples
    --------
    >>> import tempfile
    >>> from evaluation.results import SynthesisResults, write_results
    >>> with tempfile.TemporaryDirectory() as run:
    ...     _ = write_results(run, "04_synthesis", SynthesisResults(language="en"))
    ...     inputs = committee_inputs(f"{run}/results", run, language="en")
    >>> inputs.findings, inputs.group, inputs.missing[:1]
    ([], None, ['00_data_quality'])
    """
    study = _study(data_dir)
    payload = read_results(results_dir, "04_synthesis") if results_dir else None
    if payload is not None:
        synthesis: SynthesisResults = parse(payload, "04_synthesis")
        results = {nb: read_results(results_dir, nb) for nb in NOTEBOOKS}
    else:
        results = collect_results("", data_dir, codebook).results
        synthesis = synthesise(results, language, study)
    rec = source_records(results)
    site, crime = rec.site, rec.crime
    names: list[str] = []
    for e in [*(crime.interventions if crime else []), *(site.co_interventions if site else [])]:
        if e.name not in names:
            names.append(e.name)
    goals = [
        g.goal
        for g in synthesis.goals
        if g.assessment == t("findings.goal.not_assessed", synthesis.language)
    ]
    if synthesis.language != language:  # the goals' names in this report's language
        goals = _goals_in(goals, study, synthesis.language, language)
    return CommitteeInputs(
        findings=synthesis.findings,
        group=target_group(site.target, language) if site is not None else None,
        area=_area_label(crime.area, study, language) if crime is not None and crime.area else None,
        co_interventions=names,
        goals_not_measured=goals,
        synthetic=_synthetic(data_dir),
        missing=[nb for nb in NOTEBOOKS if results.get(nb) is None],
    )
