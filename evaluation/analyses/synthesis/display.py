"""What notebook 04 shows: the evidence table, the goals, the inputs' provenance and the limitations."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ... import provenance
from ...i18n import t
from ...results import CoIntervention, Finding, Goal
from ..findings import and_list
from .inputs import source_records
from .questions import question_text, result_name
from .summary import build_findings

if TYPE_CHECKING:
    from ...sources.study import Study

__all__ = ["evidence_table", "goals_table", "findings_check", "provenance_table", "limitations"]

EVIDENCE_COLUMNS = ["question", "source", "finding", "direction", "strength"]


def evidence_table(
    findings: list[Finding] | dict[str, dict[str, Any] | None],
    language: str = "sv",
    labels: bool = True,
    study: Study | None = None,
) -> pd.DataFrame:
    """The evidence table: one row per finding (``findings``, or the results to build them from).

    Returns
    -------
    DataFrame
        ``question``, ``source`` (labels in the language), ``finding`` (the
        finding's text), ``direction`` and ``strength`` (labels, or the codes
        of the contract when ``labels`` is false, e.g. for the triangulation;
        a finding without an estimate then has the direction ``missing``);
        with ``labels`` false also ``result``, the result the finding is
        (:func:`~evaluation.analyses.synthesis.questions.result_name`), which
        colours the triangulation. Question texts come from ``study``
        (:func:`~evaluation.analyses.synthesis.questions.question_text`).

    Examples
    --------
    >>> f = Finding("girls", "observations", "target_staying_rate_ratio", None, None, None,
    ...             "no_clear_change", "not_assessed", "No data.")
    >>> evidence_table([f], "en", labels=False)[["source", "direction", "strength", "result"]].iloc[0].tolist()
    ['site observations', 'missing', 'not_assessed', 'target_staying_rate_ratio']
    """
    if isinstance(findings, dict):
        findings = build_findings(findings, language, study)
    rows = [_evidence_row(f, language, labels, study) for f in findings]
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS + ([] if labels else ["result"]))


def _evidence_row(f: Finding, language: str, labels: bool, study: Study | None) -> dict[str, str]:
    d: str = f.direction
    if f.estimate is None and d == "no_clear_change":
        d_label = t("findings.direction.not_available", language)
        d = "missing"  # no estimate: shown as "no data" in the triangulation
    else:
        d_label = t(f"findings.direction.{d}", language)
    return {
        "question": question_text(f.question, language, study),
        "source": t(f"findings.source.{f.source}", language),
        "finding": f.text,
        "direction": d_label if labels else d,
        "strength": t(f"findings.strength.{f.strength}", language) if labels else f.strength,
        "result": result_name(f.measure),
    }


def goals_table(goal_list: list[Goal], language: str = "sv") -> pd.DataFrame:
    """The goals as a table with headings in the language.

    Examples
    --------
    >>> goals_table([Goal("A safer square", "No data.", "Not assessed.")], "en").columns.tolist()
    ['Goal', 'Evidence', 'Assessment']
    """
    return pd.DataFrame(
        [(g.goal, g.evidence, g.assessment) for g in goal_list],
        columns=[t(f"findings.table.{k}", language) for k in ("goal", "evidence", "assessment")],
    )


def findings_check(findings: list[Finding]) -> str:
    """Plain lines ``question / source / measure: direction, strength`` for nbval to compare.

    Examples
    --------
    >>> print(findings_check([Finding("q", "s", "m", 1.0, 0.5, 2.0, "no_clear_change", "weak", "...")]))
    q / s / m: no_clear_change, weak
    """
    return "\n".join(
        f"{f.question} / {f.source} / {f.measure}: {f.direction}, {f.strength}" for f in findings
    )


def provenance_table(results: dict[str, dict[str, Any] | None]) -> pd.DataFrame:
    """The input files the notebooks read, with their SHA-256 now.

    Hashing a file reads it, so each one is recorded as an input of the
    calling process (the cache then re-runs the synthesis when one changes).

    Returns
    -------
    DataFrame
        ``notebook`` (the first to read it), ``file``, ``folder`` (ending in ``/``), ``sha256``
        (first 16 hex digits, or ``missing``).

    Examples
    --------
    >>> provenance_table({"01_site_observations": {"inputs": ["/no/such/dir/sessions.csv"]}}).iloc[0].tolist()
    ['01_site_observations', 'sessions.csv', 'dir/', 'missing']
    """
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


def limitations(results: dict[str, dict[str, Any] | None], language: str = "sv") -> str:
    """The limitations (markdown list), naming the co-interventions found in the calendar.

    The co-interventions are those of 03's and 01's results (each named once).

    Examples
    --------
    >>> limitations({}, "en") == limitations({"03_crime_and_safety": None}, "en")
    True
    """
    rec = source_records(results)
    events: list[CoIntervention] = []
    for e in [
        *(rec.crime.interventions if rec.crime else []),
        *(rec.site.co_interventions if rec.site else []),
    ]:
        if e.name not in [x.name for x in events]:
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
