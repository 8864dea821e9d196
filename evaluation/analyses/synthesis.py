"""04_synthesis: one evaluation across sources, from the results contract only.

The synthesis reads the other notebooks' results (:mod:`evaluation.results`),
turns each key estimate into a :class:`~evaluation.results.Finding` (its
direction from :func:`evaluation.results.direction`, its strength from
:func:`evaluation.analyses.findings.evidence_strength`, its sentence from the
message catalogue), and renders the summary, the evidence table and the goals
from exactly these findings. It never reads another module's prose, and names
no crime category or codebook code: those come from the results. The questions
(their order and texts) and the site's goals come from the study
(``study.yaml``, :mod:`evaluation.sources.study`): each finding answers the
first question whose ``results`` name its result (:func:`result_name`), and a
goal is assessed from the findings of its ``results`` (none: *not assessed by
these data*).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..i18n import t
from ..results import (
    CrimeResults,
    Finding,
    FocusResults,
    Goal,
    SiteResults,
    SynthesisResults,
    direction,
    parse,
    read_results,
    starts_within,
)
from .findings import (
    and_list,
    evidence_strength,
    its_sentence,
    label,
    method_conflict_sentence,
    per_hectare_sentence,
    rate_ratio_sentence,
    strength_reason,
    survey_sentence,
    target_group,
)

__all__ = [
    "collect_results",
    "records",
    "build_findings",
    "summary_sentences",
    "plain_summary",
    "goals",
    "synthesise",
    "evidence_table",
    "goals_table",
    "findings_check",
    "provenance_table",
    "limitations",
    "sensitivity_name",
    "robust_direction",
    "NOTEBOOKS",
    "QUESTIONS",
    "SynthesisInputs",
    "result_name",
    "question_text",
]

NOTEBOOKS = ("00_data_quality", "01_site_observations", "02_focus_groups", "03_crime_and_safety")
#: The questions the findings are drafted under when there is no study (texts:
#: ``findings.question.<id>``); with a study, its questions (``study.yaml``) replace them.
QUESTIONS = ("girls", "method_conflict", "professionals", "crime_safety")

#: Measure of a finding -> the result it is (the names ``study.yaml`` questions and goals use).
_RESULTS = {
    "drug_sale_rate_ratio": "dealing_rate_ratio",
    "outreach_contact_rate_ratio": "outreach_rate_ratio",
    "method_conflict.turns": "method_conflict",
    "reliability_overall": "reliability",
}
#: Results that say whether the site became safer (crime down, feeling safe up).
_SAFETY = ("its", "per_hectare", "survey_trend")


def result_name(measure: str) -> str:
    """The result (``study.yaml`` questions' and goals' ``results``) a finding's measure is.

    >>> result_name("its.violence.level_change"), result_name("drug_sale_rate_ratio")
    ('its', 'dealing_rate_ratio')
    """
    head = measure.split(".", 1)[0]
    if head in _SAFETY:
        return head
    return _RESULTS.get(measure, _RESULTS.get(head, head))


def question_text(qid: str, language: str, study=None) -> str:
    """The text of a question: the study's, else the catalogue's ``findings.question.<id>``, else the id."""
    from ..i18n import has

    q = study.question(qid) if study is not None else None
    if q is not None:
        return q.text.get(language) or q.text.get("en") or qid
    key = f"findings.question.{qid}"
    return t(key, language) if has(key, language) else qid


#: At most this many summary sentences.
MAX_SUMMARY = 8


@dataclass
class SynthesisInputs:
    results: dict[str, dict | None]
    origin: str  # "run folder" or "computed"


def collect_results(
    results_dir: str | None, data_dir: str, codebook: str | None = None, params: dict | None = None
) -> SynthesisInputs:
    """The other notebooks' results: read from ``results_dir`` when given, else computed now.

    Reading is what a run does (the synthesis runs after the others). With no
    run folder (a researcher's JupyterLab session, nbval), the same package
    functions compute them from ``data_dir`` with the default parameters.
    A notebook whose source is missing gives ``None``.
    """
    if results_dir:
        found = {nb: read_results(results_dir, nb) for nb in NOTEBOOKS}
        return SynthesisInputs(
            {nb: (None if r is None or r.get("missing") else r) for nb, r in found.items()},
            "run folder",
        )
    from ..errors import EvaluationError
    from ..provenance import files_read
    from ..results import envelope
    from ..sources import load_dataset
    from .crime import analyse_crime
    from .focus import analyse_focus_groups
    from .quality import quality_results
    from .site import analyse_site

    p = params or {}
    ds = load_dataset(data_dir, codebook=codebook)
    out: dict[str, dict | None] = {"00_data_quality": envelope(NOTEBOOKS[0], quality_results(ds))}
    for nb, fn, kw in (
        ("01_site_observations", analyse_site, p.get("site", {})),
        ("02_focus_groups", analyse_focus_groups, p.get("focus", {})),
        ("03_crime_and_safety", analyse_crime, p.get("crime", {})),
    ):
        try:
            out[nb] = envelope(nb, fn(ds, **kw).results)
        except EvaluationError:
            out[nb] = None
    for res in out.values():
        if res is not None:
            res["inputs"] = files_read()
    return SynthesisInputs(out, "computed")


#: The notebooks whose results the synthesis reads as typed records.
USES = ("01_site_observations", "02_focus_groups", "03_crime_and_safety")


def records(results: dict[str, dict | None]) -> dict[str, object | None]:
    """The typed record of each notebook's results that the synthesis uses (``None`` if missing)."""
    return {nb: None if results.get(nb) is None else parse(results[nb], nb) for nb in USES}


# ----------------------------------------------------------------- findings
def sensitivity_name(measure: str) -> str:
    """The ``estimate`` name under which the results' ``sensitivity`` rows hold a measure.

    >>> sensitivity_name("its.violence.level_change"), sensitivity_name("survey_trend.safe_evening.site_a")
    ('violence.level_change', 'survey_trend.site_a')
    >>> sensitivity_name("target_staying_rate_ratio")
    'target_staying_rate_ratio'
    """
    if measure.startswith("its."):
        return measure[4:]
    parts = measure.split(".")
    if parts[0] == "survey_trend" and len(parts) == 3:
        return f"survey_trend.{parts[2]}"
    return measure


def robust_direction(record, measure: str) -> bool | None:
    """Whether ``measure``'s direction holds under the record's sensitivity rows.

    :func:`evaluation.stats.sensitivity.direction_robust` on the rows of
    ``record.sensitivity`` for this measure; ``None`` when there are none
    (no sensitivity analysis was run) or no direction to keep.
    """
    from ..stats.sensitivity import SENSITIVITY_COLUMNS, direction_robust

    name = sensitivity_name(measure)
    rows = [r for r in getattr(record, "sensitivity", None) or [] if r.estimate == name]
    if not rows:
        return None
    table = pd.DataFrame(
        [(r.estimate, r.variant, r.value, r.ci_low, r.ci_high) for r in rows],
        columns=SENSITIVITY_COLUMNS,
    ).astype({"value": float, "ci_low": float, "ci_high": float})
    return direction_robust(table)


@dataclass
class _Draft:
    """A finding while it is being rated: what the strength rule needs besides the finding."""

    finding: Finding
    rated: bool = False  # an estimate that the evidence rule rates
    safer: int = 0  # +1 / -1: what the direction means for safety (crime question)
    checks: list = field(default_factory=list)
    co: list = field(default_factory=list)  # co-interventions starting within the period
    period: str = ""
    summary: bool = True
    robust: bool | None = None  # direction holds under the sensitivity analyses
    conflict_rate: float | None = (
        None  # drug sales per hour seen during activation with the target group there
    )


def _missing(q: str, src: str, measure: str, language: str) -> Finding:
    return Finding(
        q,
        src,
        measure,
        None,
        None,
        None,
        "no_clear_change",
        "not_assessed",
        t("findings.source_missing", language, source=t(f"findings.source.{src}", language)),
    )


def _estimate_finding(q, src, est, text, co=(), period="", safer_sign=0) -> _Draft:
    d = direction(est) if est is not None and est.available else None
    f = Finding(
        q,
        src,
        est.measure if est is not None else "",
        est.estimate if est is not None else None,
        est.ci_low if est is not None else None,
        est.ci_high if est is not None else None,
        d or "no_clear_change",
        "not_assessed",
        text,
    )
    sign = 0
    if d in ("increase", "decrease") and safer_sign:
        sign = safer_sign * (1 if d == "increase" else -1)
    checks = list(est.checks) if est is not None else []
    return _Draft(f, d is not None, sign, checks, list(co), period)


def _site_findings(site: SiteResults | None, language: str) -> list[_Draft]:
    out = []
    if site is None:
        for q, m in (
            ("girls", "target_staying_rate_ratio"),
            ("method_conflict", "drug_sale_rate_ratio"),
            ("method_conflict", "method_conflict_rate_ratio"),
        ):
            out.append(_Draft(_missing(q, "observations", m, language), summary=False))
        return out
    co = starts_within(site.co_interventions, site.period.get("first"), site.period.get("last"))
    group = target_group(site.target, language)
    period = t(
        "fmt.year_range",
        language,
        start=site.period.get("first", "?"),
        end=site.period.get("last", "?"),
    )
    for q, key, msg in (
        ("girls", "target_staying_rate_ratio", "site.target_staying"),
        ("method_conflict", "drug_sale_rate_ratio", "site.drug_sale"),
        ("professionals", "outreach_contact_rate_ratio", "site.outreach_contact"),
    ):
        est = getattr(site, key)
        text = rate_ratio_sentence(est, msg, language, group=group)
        dr = _estimate_finding(q, "observations", est, text, co, period)
        dr.finding.measure = key
        dr.summary = q != "professionals"
        out.append(dr)
    # the method conflict: drug sales seen while the target group was staying, per observed hour
    est = site.method_conflict_rate_ratio
    act = site.method_conflict_activated
    dr = _estimate_finding(
        "method_conflict",
        "observations",
        est,
        method_conflict_sentence(site, language),
        co,
        period,
    )
    dr.finding.measure = "method_conflict_rate_ratio"
    if act is not None and act.co_presence_sales > 0 and act.rate is not None:
        dr.conflict_rate = act.rate
    # in the summary through the method-conflict sentence (see summary_sentences), which
    # keeps the summary within MAX_SUMMARY with every source in it
    dr.summary = False
    out.append(dr)
    return out


def _focus_findings(focus: FocusResults | None, language: str) -> list[_Draft]:
    if focus is None:
        return [
            _Draft(
                _missing("method_conflict", "focus_groups", "method_conflict", language),
                summary=False,
            ),
            _Draft(_missing("professionals", "focus_groups", "themes", language), summary=False),
        ]
    out = []
    mc = focus.method_conflict
    if mc is not None:
        name = mc.labels.get(language) or mc.label or mc.code or ""
        raised = [r for r, s in mc.share_by_role.items() if s > 0]
        roles = and_list([label(r, language) for r in raised], language)
        if mc.turns == 0:
            text, kind = t("findings.focus.method_conflict_none", language, label=name), "context"
        elif focus.roles and set(raised) >= set(focus.roles):
            text = t(
                "findings.focus.method_conflict_all",
                language,
                label=name,
                turns=mc.turns,
                roles=roles,
            )
            kind = "concern"
        else:
            text = t(
                "findings.focus.method_conflict_some",
                language,
                label=name,
                turns=mc.turns,
                roles=roles,
            )
            kind = "concern"
        f = Finding(
            "method_conflict", "focus_groups", "method_conflict.turns", float(mc.turns), None, None,
            kind, "not_assessed", text,
        )  # fmt: skip
        out.append(_Draft(f, summary=mc.turns > 0))
    else:
        out.append(
            _Draft(
                _missing("method_conflict", "focus_groups", "method_conflict", language),
                summary=False,
            )
        )
    if focus.themes:
        items = [
            t("findings.focus.theme_item", language, label=th.labels.get(language) or th.label, share=th.share_of_turns)
            for th in focus.themes
        ]  # fmt: skip
        f = Finding(
            "professionals", "focus_groups", "themes", None, None, None, "context", "not_assessed",
            t("findings.focus.themes", language, themes="; ".join(items)),
        )  # fmt: skip
        out.append(_Draft(f, summary=False))
    rel = focus.reliability_overall
    if rel and rel.get("krippendorff_alpha") is not None:
        alpha = rel["krippendorff_alpha"]
        text = t(
            "findings.focus." + ("reliable" if alpha >= 0.8 else "unreliable"),
            language,
            alpha=alpha,
        )
        weak = [
            f"«{v.get('label', c)}»"
            for c, v in focus.reliability_by_code.items()
            if v.get("flag") == "unreliable"
        ]
        if weak:
            text += " " + t("findings.focus.weak_codes", language, codes=and_list(weak, language))
        f = Finding(
            "professionals", "focus_groups", "reliability_overall", alpha, None, None,
            "context", "not_assessed", text,
        )  # fmt: skip
        out.append(_Draft(f, summary=False))
    return out


def _crime_findings(crime: CrimeResults | None, language: str) -> list[_Draft]:
    if crime is None:
        return [
            _Draft(_missing("crime_safety", "crime", "its", language), summary=False),
            _Draft(_missing("crime_safety", "survey", "survey_trend", language), summary=False),
        ]
    out = []
    if not any(crime.its.get(cat) for cat in crime.categories):
        out.append(_Draft(_missing("crime_safety", "crime", "its", language), summary=False))
    for cat in crime.categories:
        entry = crime.its.get(cat)
        if entry is None:
            continue
        est = entry.level_change
        co = starts_within(crime.interventions, entry.first_month, entry.last_month)
        text = its_sentence(entry, crime.area, crime.intervention, language)
        period = t(
            "fmt.year_range", language, start=entry.first_month or "?", end=entry.last_month or "?"
        )
        dr = _estimate_finding("crime_safety", "crime", est, text, co, period, safer_sign=-1)
        if est is None:
            dr.finding.measure = f"its.{cat}.level_change"
        out.append(dr)
    for cat in crime.categories:
        ph = crime.per_hectare.get(cat)
        if ph is None or ph.change_per_hectare is None:
            continue
        f = Finding(
            "crime_safety", "crime", f"per_hectare.{cat}.change_per_hectare", ph.change_per_hectare,
            ph.ci_low, ph.ci_high, "context", "not_assessed",
            per_hectare_sentence(ph, cat, language),
        )  # fmt: skip
        out.append(_Draft(f, summary=cat == crime.categories[0]))
    trend = crime.survey_trend.get(crime.area)
    if trend is not None:
        years = (trend.years or "").replace("–", "-").split("-")
        co = (
            starts_within(crime.interventions, years[0] or None, years[-1] or None) if years else []
        )
        text = survey_sentence(trend, crime.area, crime.survey_item or "", language)
        dr = _estimate_finding("crime_safety", "survey", trend, text, co, trend.years or "", +1)
        out.append(dr)
    else:
        out.append(
            _Draft(_missing("crime_safety", "survey", "survey_trend", language), summary=False)
        )
    return out


def _rate(drafts: list[_Draft], language: str) -> None:
    """Apply the evidence rule to every estimate, knowing what the other sources say.

    Another source *corroborates* a finding when it answers the same question
    with a clear direction that means the same (for crime and safety: crime
    down and feeling safe up both mean safer), and *contradicts* it when it
    means the opposite. The sentence of a finding rated below strong says why.
    """
    for dr in drafts:
        f = dr.finding
        if not dr.rated:
            continue
        others = [
            o
            for o in drafts
            if o is not dr
            and o.rated
            and o.finding.question == f.question
            and o.finding.source != f.source
            and o.finding.direction in ("increase", "decrease")
        ]
        if f.source in ("crime", "survey"):  # safer: crime down and feeling safe up agree
            others = [o for o in others if o.finding.source in ("crime", "survey")]
            same = any(o.safer == dr.safer for o in others)
            other_way = any(o.safer == -dr.safer for o in others)
        else:
            same = any(o.finding.direction == f.direction for o in others)
            other_way = any(o.finding.direction != f.direction for o in others)
        dec = evidence_strength(f.direction, dr.checks, dr.co, same, other_way, dr.robust)
        f.strength = dec.strength
        why = strength_reason(dec, language, dr.period)
        if why:
            f.text = f"{f.text} {why}"


def _drafts(results: dict[str, dict | None], language: str, study=None) -> list[_Draft]:
    rec = records(results)
    site = rec.get("01_site_observations")
    focus = rec.get("02_focus_groups")
    crime = rec.get("03_crime_and_safety")
    drafts = (
        _site_findings(site, language)
        + _focus_findings(focus, language)
        + _crime_findings(crime, language)
    )
    for dr in drafts:
        rec_ = {"observations": site, "crime": crime, "survey": crime}.get(dr.finding.source)
        if dr.rated and rec_ is not None:
            dr.robust = robust_direction(rec_, dr.finding.measure)
    order = {q: i for i, q in enumerate(QUESTIONS)}
    if (
        study is not None
    ):  # the study's questions: each finding under the first that names its result
        kept = []
        for dr in drafts:
            r = result_name(dr.finding.measure)
            q = next((q.id for q in study.questions if r in q.results), None)
            if q is not None:
                dr.finding.question = q
                kept.append(dr)
        drafts = kept
        order = {q.id: i for i, q in enumerate(study.questions)}
    _rate(drafts, language)
    drafts.sort(key=lambda d: order.get(d.finding.question, len(order)))
    return drafts


def build_findings(
    results: dict[str, dict | None], language: str = "sv", study=None
) -> list[Finding]:
    """Every finding of the synthesis, in the order of the study's questions.

    ``results`` maps notebook names to their results payloads (``None`` for a
    missing one). A missing source gives a finding with no estimate,
    direction ``no_clear_change`` and strength ``not_assessed``. ``study``
    (:class:`~evaluation.sources.study.Study`) gives the questions; without
    it, :data:`QUESTIONS`.
    """
    return [d.finding for d in _drafts(results, language, study)]


def summary_sentences(
    results: dict[str, dict | None], language: str = "sv", study=None
) -> list[str]:
    """Five to eight plain sentences, each the text of one finding (or derived from findings).

    The method-conflict sentence appears only when more girls stayed during
    activation (an increase) and drug sales were seen during activation in
    sessions with girls staying; it gives that rate per observed hour
    (the method-conflict finding's, whose own sentence is in the evidence table).
    """
    drafts = _drafts(results, language, study)
    out: list[str] = []
    for d in drafts:
        if d.summary:
            out.append(d.finding.text)
        rate = _conflict_remains(drafts)
        if d.finding.measure == "drug_sale_rate_ratio" and rate is not None:
            out.append(t("findings.site.conflict_remains", language, rate=rate))
    if not out:
        out.append(t("findings.none", language))
    return out[:MAX_SUMMARY]


def _conflict_remains(drafts: list[_Draft]) -> float | None:
    """Drug sales per observed hour with the target group there during activation, when the conflict remains.

    ``None`` unless more of the target group stayed during activation (an
    increase) and drug sales were seen during activation in sessions with
    the target group there.
    """
    girls = next((d for d in drafts if d.finding.measure == "target_staying_rate_ratio"), None)
    mc = next((d for d in drafts if d.finding.measure == "method_conflict_rate_ratio"), None)
    if girls and girls.finding.direction == "increase" and mc:
        return mc.conflict_rate
    return None


def goals(findings: list[Finding], language: str = "sv", study=None) -> list[Goal]:
    """The site's goals (``study.yaml``) against the findings of the results bearing on each.

    The assessment follows the findings' directions: for results on safety
    (``its``, ``per_hectare``, ``survey_trend``), crime down and feeling safe
    up point to a safer site; for ``target_staying_rate_ratio``, the
    direction of the target group staying; for any other result, its
    direction and strength. A goal with no results is *not assessed by these
    data*; without a study there are no goals.
    """
    if study is None:
        return []
    g = lambda k, **v: t(f"findings.goal.{k}", language, **v)  # noqa: E731
    out = []
    for goal in study.goals:
        name = goal.text.get(language) or goal.text.get("en") or goal.id
        if not goal.results:
            out.append(Goal(name, t("study.goal.no_results", language), g("not_assessed")))
            continue
        fs = [f for f in findings if result_name(f.measure) in goal.results]
        if not [f for f in fs if f.estimate is not None]:
            out.append(Goal(name, g("no_data"), g("not_assessed")))
            continue
        evidence, parts = [], []
        safety = [f for f in fs if result_name(f.measure) in _SAFETY]
        if safety:
            ev, ass = _safety_assessment(safety, language)
            evidence.append(ev)
            parts.append(ass)
        stay = next((f for f in fs if f.measure == "target_staying_rate_ratio"), None)
        if stay is not None and stay.estimate is not None:
            s = t(f"findings.strength.{stay.strength}", language)
            evidence.append(stay.text)
            parts.append(
                {
                    "increase": g("welcoming_up", strength=s),
                    "decrease": g("welcoming_down", strength=s),
                }.get(stay.direction, g("no_clear"))
            )
        for f in fs:
            if result_name(f.measure) in (*_SAFETY, "target_staying_rate_ratio"):
                continue
            if f.estimate is None:
                continue
            evidence.append(f.text)
            if f.direction in ("increase", "decrease", "no_clear_change"):
                parts.append(
                    t(
                        "study.goal.direction",
                        language,
                        direction=t(f"findings.direction.{f.direction}", language),
                        strength=t(f"findings.strength.{f.strength}", language),
                    )
                )
        out.append(
            Goal(
                name,
                " ".join(e for e in evidence if e) or g("no_data"),
                "; ".join(p for p in parts if p) or g("not_assessed"),
            )
        )
    return out


def _safety_assessment(safety: list[Finding], language: str) -> tuple[str, str]:
    """Evidence and assessment of the findings on safety: crime down and feeling safe up agree."""
    g = lambda k, **v: t(f"findings.goal.{k}", language, **v)  # noqa: E731
    clear = [
        f
        for f in safety
        if f.direction in ("increase", "decrease") and f.strength != "not_assessed"
    ]
    signs = {
        (-1 if f.source == "crime" else 1) * (1 if f.direction == "increase" else -1) for f in clear
    }
    best = _weakest([f.strength for f in clear])
    if not [f for f in safety if f.estimate is not None]:
        ass = g("not_assessed")
    elif not clear:
        ass = g("no_clear")
    elif signs == {1}:
        ass = g("safer", strength=t(f"findings.strength.{best}", language))
    elif signs == {-1}:
        ass = g("less_safe", strength=t(f"findings.strength.{best}", language))
    else:
        ass = g("mixed")
    ev = " ".join(f.text for f in safety if f.estimate is not None and f.direction != "context")
    return ev, ass


def _weakest(strengths: list[str]) -> str:
    from .findings import STRENGTHS

    return max(strengths, key=STRENGTHS.index) if strengths else "not_assessed"


def synthesise(
    results: dict[str, dict | None], language: str = "sv", study=None
) -> SynthesisResults:
    """The whole synthesis as its contract record (``results/04_synthesis.json``).

    ``study`` gives the questions and the goals (``study.yaml``).
    """
    from ..results import Incomplete

    fs = build_findings(results, language, study)
    return SynthesisResults(
        incomplete=[Incomplete(nb, "no results") for nb in NOTEBOOKS if results.get(nb) is None],
        language=language,
        findings=fs,
        summary=summary_sentences(results, language, study),
        goals=goals(fs, language, study),
    )


# ------------------------------------------------------------------ display
def evidence_table(
    findings: list[Finding] | dict[str, dict | None],
    language: str = "sv",
    labels: bool = True,
    study=None,
) -> pd.DataFrame:
    """The evidence table: one row per finding (``findings``, or the results to build them from).

    Returns
    -------
    DataFrame
        ``question``, ``source`` (labels in the language), ``finding`` (the
        finding's text), ``direction`` and ``strength`` (labels, or the codes
        of the contract when ``labels`` is false, e.g. for the triangulation;
        a finding without an estimate then has the direction ``missing``).
        Question texts come from ``study`` (:func:`question_text`).
    """
    if isinstance(findings, dict):
        findings = build_findings(findings, language, study)
    rows = []
    for f in findings:
        d = f.direction
        if f.estimate is None and d == "no_clear_change":
            d_label = t("findings.direction.not_available", language)
            d = "missing"  # no estimate: shown as "no data" in the triangulation
        else:
            d_label = t(f"findings.direction.{d}", language)
        rows.append(
            {
                "question": question_text(f.question, language, study),
                "source": t(f"findings.source.{f.source}", language),
                "finding": f.text,
                "direction": d_label if labels else d,
                "strength": t(f"findings.strength.{f.strength}", language)
                if labels
                else f.strength,
            }
        )
    return pd.DataFrame(rows, columns=["question", "source", "finding", "direction", "strength"])


def goals_table(goal_list: list[Goal], language: str = "sv") -> pd.DataFrame:
    """The goals as a table with headings in the language."""
    return pd.DataFrame(
        [(g.goal, g.evidence, g.assessment) for g in goal_list],
        columns=[t(f"findings.table.{k}", language) for k in ("goal", "evidence", "assessment")],
    )


def findings_check(findings: list[Finding]) -> str:
    """Plain lines ``question / source / measure: direction, strength`` for nbval to compare.

    >>> print(findings_check([Finding("q", "s", "m", 1.0, 0.5, 2.0, "no_clear_change", "weak", "...")]))
    q / s / m: no_clear_change, weak
    """
    return "\n".join(
        f"{f.question} / {f.source} / {f.measure}: {f.direction}, {f.strength}" for f in findings
    )


def provenance_table(results: dict[str, dict | None]) -> pd.DataFrame:
    """The input files the notebooks read, with their SHA-256 now.

    Hashing a file reads it, so each one is recorded as an input of the
    calling process (the cache then re-runs the synthesis when one changes).

    Returns
    -------
    DataFrame
        ``notebook`` (the first to read it), ``file``, ``folder`` (ending in ``/``), ``sha256``
        (first 16 hex digits, or ``missing``).
    """
    from pathlib import Path

    from .. import provenance

    rows, seen = [], set()
    for nb, r in results.items():
        for f in (r or {}).get("inputs", []):
            if f in seen:
                continue
            seen.add(f)
            p = Path(f)
            digest = "missing"
            if p.exists():
                provenance.record(p)
                digest = provenance.sha256(p)[:16] + "…"
            # the folder as a path ("observations/"), not a word of the report's language
            folder = p.parent.name + "/"
            rows.append({"notebook": nb, "file": p.name, "folder": folder, "sha256": digest})
    return pd.DataFrame(rows, columns=["notebook", "file", "folder", "sha256"])


#: The summary under its earlier name (benchmarks/run.py calls it).
plain_summary = summary_sentences


def limitations(results: dict[str, dict | None], language: str = "sv") -> str:
    """The limitations (markdown list), naming the co-interventions found in the calendar."""
    rec = records(results)
    events = []
    for r in (rec.get("03_crime_and_safety"), rec.get("01_site_observations")):
        for e in getattr(r, "interventions", None) or getattr(r, "co_interventions", None) or []:
            if not isinstance(e, str) and e.name not in [x.name for x in events]:
                events.append(e)
    co = (
        t(
            "findings.notebook.co_interventions_some",
            language,
            names=and_list([e.name for e in events], language),
        )
        if events
        else t("findings.notebook.co_interventions_none", language)
    )
    return t("findings.notebook.limitations_text", language, co_interventions=co)
