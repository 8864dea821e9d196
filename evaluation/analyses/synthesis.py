"""04_synthesis: one evaluation across sources, with a stated rule for the strength of evidence."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..report import read_results

__all__ = [
    "collect_results",
    "evidence_table",
    "goals_table",
    "plain_summary",
    "strength",
    "NOTEBOOKS",
    "SynthesisInputs",
]

NOTEBOOKS = ("00_data_quality", "01_site_observations", "02_focus_groups", "03_crime_and_safety")


@dataclass
class SynthesisInputs:
    results: dict[str, dict | None]
    origin: str  # "run folder" or "computed"


def collect_results(
    results_dir: str | None, data_dir: str, codebook: str | None = None, params: dict | None = None
) -> SynthesisInputs:
    """The other notebooks' key results: read from ``results_dir`` when given, else computed now.

    Reading is what a run does (the synthesis runs after the others). With no
    run folder (a researcher's JupyterLab session, nbval), the same package
    functions compute them from ``data_dir`` with the default parameters.
    A missing source gives ``None`` for its notebook.
    """
    if results_dir:
        found = {nb: read_results(results_dir, nb) for nb in NOTEBOOKS}
        # a notebook whose source was absent writes {"missing": <source>}: treat it as absent
        return SynthesisInputs(
            {nb: (None if r is None or "missing" in r else r) for nb, r in found.items()},
            "run folder",
        )
    from ..errors import EvaluationError
    from ..sources import load_dataset
    from .crime import analyse_crime
    from .focus import analyse_focus_groups
    from .site import analyse_site

    p = params or {}
    ds = load_dataset(data_dir, codebook=codebook)
    out: dict[str, dict | None] = {
        "00_data_quality": {"sources": ds.sources, "warnings": len(ds.warnings)}
    }
    for nb, fn, kw in (
        ("01_site_observations", analyse_site, p.get("site", {})),
        ("02_focus_groups", analyse_focus_groups, p.get("focus", {})),
        ("03_crime_and_safety", analyse_crime, p.get("crime", {})),
    ):
        try:
            out[nb] = fn(ds, **kw).results
        except EvaluationError:
            out[nb] = None
    from ..provenance import files_read

    for res in out.values():
        if res is not None:
            res["inputs"] = files_read()
    return SynthesisInputs(out, "computed")


def _direction(est: float | None, lo: float | None, hi: float | None, null: float = 1.0) -> str:
    if est is None:
        return "missing"
    if lo is not None and lo > null:
        return "increase"
    if hi is not None and hi < null:
        return "decrease"
    return "unclear"


def strength(directions: list[str], checks_ok: bool = True) -> str:
    """Strength of evidence by a stated rule.

    - **strong**: at least two sources, every source with a clear direction
      agrees, and the model checks passed;
    - **moderate**: one source with a CI that excludes no effect (checks
      passed), or several that agree where one is only descriptive;
    - **weak**: CIs include no effect, sources disagree, or checks failed;
    - **no evidence**: every source missing.

    >>> strength(["increase", "increase"]), strength(["increase"]), strength(["increase", "decrease"])
    ('strong', 'moderate', 'weak')
    """
    present = [d for d in directions if d != "missing"]
    if not present:
        return "no evidence"
    clear = [d for d in present if d in ("increase", "decrease")]
    if not clear or not checks_ok:
        return "weak"
    if len(set(clear)) > 1:
        return "weak"
    if len(clear) >= 2:
        return "strong"
    return "moderate"


def _rr(entry: dict | None) -> tuple:
    if not entry or entry.get("estimate") is None:
        return None, None, None
    return entry["estimate"], entry["ci_low"], entry["ci_high"]


def _fmt(entry: dict | None, unit: str = "rate ratio") -> str:
    e, lo, hi = _rr(entry)
    if e is None:
        return "not available" + (
            f" ({entry.get('error')})" if entry and entry.get("error") else ""
        )
    return f"{unit} {e:.2f} (95% CI {lo:.2f}-{hi:.2f})"


def evidence_table(results: dict[str, dict | None]) -> pd.DataFrame:
    """Questions x sources: finding, direction and strength of evidence.

    Returns
    -------
    DataFrame
        ``question``, ``source``, ``finding``, ``direction`` (increase,
        decrease, unclear, concern, context, missing), and ``strength`` per
        question (the same on each of its rows).
    """
    site, focus, crime = (results.get(k) for k in NOTEBOOKS[1:])
    rows = []

    def add(q, src, finding, direction):
        rows.append({"question": q, "source": src, "finding": finding, "direction": direction})

    q1 = "Do girls 13-18 come and stay more during activation?"
    if site:
        e = site["target_staying_rate_ratio"]
        add(
            q1,
            "site observations",
            f"girls 13-18 staying per observed hour: {_fmt(e)}",
            _direction(*_rr(e)),
        )
    else:
        add(q1, "site observations", "source missing", "missing")
    if focus:
        share = focus.get("theme_share_of_turns", {}).get("flickor_narvaro")
        add(
            q1,
            "focus groups",
            f"girls' presence discussed in {share:.0f}% of professionals' turns"
            if share is not None
            else "not coded",
            "context",
        )
    else:
        add(q1, "focus groups", "source missing", "missing")

    q2 = "Are girls more exposed to drug dealing (the method conflict)?"
    if site:
        e = site["drug_sale_rate_ratio"]
        add(
            q2, "site observations", f"observed drug sales per hour: {_fmt(e)}", _direction(*_rr(e))
        )
        cp = site.get("co_presence", {})
        none = cp.get("none")
        act = [v for k, v in cp.items() if k != "none"]
        if none and act:
            share = sum(v["share_both"] * v["sessions"] for v in act) / sum(
                v["sessions"] for v in act
            )
            add(
                q2,
                "site observations",
                f"sessions with girls 13-18 present while dealing was seen: {share:.0f}% activated vs {none['share_both']:.0f}% not activated",
                "context",
            )
    else:
        add(q2, "site observations", "source missing", "missing")
    if focus and "method_conflict" in focus:
        add(
            q2,
            "focus groups",
            f"the method conflict raised in {focus['method_conflict']['turns']} turns, by every role",
            "concern",
        )
    else:
        add(q2, "focus groups", "source missing" if not focus else "not coded", "missing")

    q3 = "How does activation affect the professionals' work?"
    if focus:
        share = focus.get("theme_share_of_turns", {}).get("professionellt_arbete")
        add(
            q3,
            "focus groups",
            f"own work (cooperation, outreach, workload) in {share:.0f}% of turns"
            if share is not None
            else "not coded",
            "context",
        )
    else:
        add(q3, "focus groups", "source missing", "missing")
    if site and site.get("outreach_contact_rate_ratio"):
        e = site["outreach_contact_rate_ratio"]
        add(
            q3,
            "site observations",
            f"outreach contacts seen per hour: {_fmt(e)}",
            _direction(*_rr(e)),
        )

    q4 = "What happened to crime and perceived safety?"
    if crime and "its" in crime:
        v = crime["its"].get("violence", {})
        lc = v.get("level_change")
        add(
            q4,
            "crime statistics",
            f"violent crime, level change at {crime['intervention']}: {_fmt(lc)}",
            _direction(*_rr(lc)),
        )
        d = crime["its"].get("drug_offences", {})
        lc = d.get("level_change")
        if lc:
            add(
                q4,
                "crime statistics",
                f"reported drug offences, level change: {_fmt(lc)} (depends on police activity)",
                "context",
            )
    else:
        add(q4, "crime statistics", "source missing", "missing")
    if crime and "survey_trend" in crime and crime["area"] in crime["survey_trend"]:
        t = crime["survey_trend"][crime["area"]]
        add(
            q4,
            "safety survey",
            f"share feeling safe ({crime['survey_item']}), odds ratio per year {t['odds_ratio']:.2f} (95% CI {t['ci_low']:.2f}-{t['ci_high']:.2f})",
            _direction(t["odds_ratio"], t["ci_low"], t["ci_high"]),
        )
    else:
        add(q4, "safety survey", "source missing", "missing")

    df = pd.DataFrame(rows, columns=["question", "source", "finding", "direction"])
    # For crime, a decrease is the desired direction; strength looks at agreement
    # of the signs that mean "safer": violent crime down, feeling safe up.
    strengths = {}
    for q, g in df.groupby("question", sort=False):
        dirs = list(g["direction"])
        if q == q4:
            dirs = [
                {"decrease": "safer", "increase": "less safe"}.get(d, d)
                if "violent" in f
                else {"increase": "safer", "decrease": "less safe"}.get(d, d)
                if "safe" in f
                else d
                for d, f in zip(g["direction"], g["finding"], strict=True)
            ]
            dirs = [
                "increase" if d == "safer" else "decrease" if d == "less safe" else d for d in dirs
            ]
        strengths[q] = strength([d for d in dirs if d not in ("context", "concern")] or ["unclear"])
    df["strength"] = df["question"].map(strengths)
    return df


def goals_table(results: dict[str, dict | None]) -> pd.DataFrame:
    """The city's four goals for the square against the evidence.

    Returns
    -------
    DataFrame
        ``goal``, ``evidence``, ``assessment``.
    """
    site, focus, crime = (results.get(k) for k in NOTEBOOKS[1:])
    rows = [
        {
            "goal": "Whole and clean (helt och rent)",
            "evidence": "Not measured by these sources (no litter, damage or maintenance data).",
            "assessment": "not assessed",
        }
    ]
    ev, ass = [], "not assessed"
    if crime and "its" in crime and crime["its"].get("violence", {}).get("level_change"):
        ev.append(f"violent crime level change {_fmt(crime['its']['violence']['level_change'])}")
    if crime and crime.get("survey_trend", {}).get(crime.get("area")):
        t = crime["survey_trend"][crime["area"]]
        ev.append(f"feeling safe: odds ratio {t['odds_ratio']:.2f} per year")
    if ev:
        ass = "see question 4; co-interventions (cameras, police) coincide"
    rows.append(
        {"goal": "Safe (tryggt)", "evidence": "; ".join(ev) or "no data", "assessment": ass}
    )
    ev = []
    if site:
        ev.append(f"girls 13-18 staying: {_fmt(site['target_staying_rate_ratio'])}")
    if focus:
        ev.append(
            f"positive talk of the activation in {focus['theme_share_of_turns'].get('konst_gestaltning', 0):.0f}% of turns (art and design theme)"
        )
    rows.append(
        {
            "goal": "Welcoming (välkomnande)",
            "evidence": "; ".join(ev) or "no data",
            "assessment": "more people stay, including the girls the professionals worry about"
            if site
            else "not assessed",
        }
    )
    rows.append(
        {
            "goal": "Known as an open art and culture scene",
            "evidence": "Focus groups describe the art and events; no visitor or media survey in these data."
            if focus
            else "no data",
            "assessment": "partly assessed",
        }
    )
    return pd.DataFrame(rows, columns=["goal", "evidence", "assessment"])


def plain_summary(results: dict[str, dict | None], language: str = "en") -> list[str]:
    """Five to eight plain sentences a non-statistician can repeat."""
    site, focus, crime = (results.get(k) for k in NOTEBOOKS[1:])
    sv = language == "sv"
    out = []
    if site and site["target_staying_rate_ratio"].get("estimate") is not None:
        e, lo, hi = _rr(site["target_staying_rate_ratio"])
        out.append(
            f"När torget var aktiverat stannade ungefär {e:.1f} gånger så många flickor 13–18 år per observationstimme som annars (troligen mellan {lo:.1f} och {hi:.1f} gånger)."
            if sv
            else f"When the square was activated, about {e:.1f} times as many girls aged 13-18 stayed per observed hour as otherwise (plausibly between {lo:.1f} and {hi:.1f} times)."
        )
    if site and site["drug_sale_rate_ratio"].get("estimate") is not None:
        e, lo, hi = _rr(site["drug_sale_rate_ratio"])
        out.append(
            f"Observerad narkotikaförsäljning per timme var {e:.1f} gånger så hög under aktivering (95 % KI {lo:.1f}–{hi:.1f}); den försvann inte."
            if sv
            else f"Observed drug sales per hour during activation were {e:.1f} times the level without it (95% CI {lo:.1f}-{hi:.1f}); dealing did not disappear."
        )
        act = [v for k, v in site.get("co_presence", {}).items() if k != "none"]
        more_girls = (site["target_staying_rate_ratio"].get("ci_low") or 0) > 1
        if more_girls and act and sum(v["share_both"] for v in act) > 0:
            out.append(
                "Därför står metodkonflikten kvar: fler flickor vistas på en plats där det fortfarande säljs narkotika."
                if sv
                else "So the method conflict remains: more girls spend time in a place where drugs are still sold."
            )
    if focus and focus.get("method_conflict", {}).get("turns", 0) > 0:
        out.append(
            "De professionella (polis, Ungdomsjouren, fältassistenter, ordningsvakter) tar själva upp konflikten och beskriver både ett livligare torg och nya risker för flickorna."
            if sv
            else "The professionals (police, Ungdomsjouren, field assistants, guards) raise the conflict themselves and describe both a livelier square and new risks for the girls."
        )
    if focus and focus.get("reliability_overall"):
        rel = focus["reliability_overall"]
        weak = [
            f"«{v.get('label', c)}»"
            for c, v in focus.get("reliability_by_code", {}).items()
            if v["flag"] == "unreliable"
        ]
        ok = rel["krippendorff_alpha"] >= 0.8
        head = (
            f"Kodningen av fokusgrupperna var {'på det hela taget tillförlitlig' if ok else 'inte tillräckligt tillförlitlig'} (Krippendorffs alfa {rel['krippendorff_alpha']:.2f})"
            if sv
            else f"The coding of the focus groups was {'reliable overall' if ok else 'not reliable enough'} (Krippendorff's alpha {rel['krippendorff_alpha']:.2f})"
        )
        tail = (
            (
                f", men koderna {', '.join(weak)} bör läsas med försiktighet."
                if sv
                else f", but the codes {', '.join(weak)} should be read with caution."
            )
            if weak
            else "."
        )
        out.append(head + tail)
    if crime and "its" in crime and crime["its"].get("violence", {}).get("level_change"):
        e, lo, hi = _rr(crime["its"]["violence"]["level_change"])
        out.append(
            f"Anmälda våldsbrott vid Sergels torg låg efter {crime['intervention']} på ungefär {e:.2f} gånger den tidigare nivån (95 % KI {lo:.2f}–{hi:.2f}), men kamerabevakning och polisinsatser började samtidigt, så effekten kan inte tillskrivas konsten ensam."
            if sv
            else f"Reported violent crime at Sergels torg after {crime['intervention']} was about {e:.2f} times its earlier level (95% CI {lo:.2f}-{hi:.2f}), but camera surveillance and police operations started at the same time, so the change cannot be credited to the art alone."
        )
    ph = (crime or {}).get("per_hectare", {}).get("violence")
    if ph and ph.get("change_total") is not None:
        out.append(
            f"Att våldet per hektar ökade {ph['change_per_hectare']:.1f} gånger {ph['year']} medan antalet brott ändrades {ph['change_total']:.2f} gånger beror på att området som räknas krympte."
            if sv
            else f"Violence per hectare rose {ph['change_per_hectare']:.1f}-fold in {ph['year']} while the number of crimes changed by a factor {ph['change_total']:.2f}, because the area counted shrank."
        )
    if not out:
        out.append(
            "Inga resultat fanns att sammanfatta." if sv else "There were no results to summarise."
        )
    return out[:8]


def provenance_table(results: dict[str, dict | None]) -> pd.DataFrame:
    """The input files the notebooks read, with their SHA-256 now.

    Hashing a file reads it, so each one is recorded as an input of the
    calling process (the cache then re-runs the synthesis when one changes).

    Returns
    -------
    DataFrame
        ``notebook`` (the first to read it), ``file``, ``folder``, ``sha256``
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
            rows.append({"notebook": nb, "file": p.name, "folder": p.parent.name, "sha256": digest})
    return pd.DataFrame(rows, columns=["notebook", "file", "folder", "sha256"])
