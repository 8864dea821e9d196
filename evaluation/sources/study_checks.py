"""Checking ``study.yaml``: every problem as ``study.yaml:line: key: what; expected ...``.

:func:`parse_study` checks the parsed file part by part — the ``study`` header
(:func:`_header`), the vocabularies (:func:`_vocabularies`), the target group,
the crime areas, the analysis roles, the questions and goals (:func:`_items`)
and the texts — and builds the :class:`~evaluation.sources.study_model.Study`
only when nothing is wrong.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ..errors import DataError, Problem
from .codes import GENDERS
from .study_checker import _ID, _ID_EXPECT, _Checker
from .study_model import (
    ANALYSIS_ROLES,
    OPTIONAL_VOCABULARIES,
    RESULTS,
    STUDY_FILE,
    VOCABULARIES,
    Goal,
    Question,
    Study,
)

__all__ = ["parse_study"]

_AGE = re.compile(r"^[0-9]+(-[0-9]+|\+)$")
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
_TOP = (
    "study",
    "target_group",
    "vocabularies",
    "crime_areas",
    "analysis",
    "questions",
    "goals",
    "texts",
)


def _date(v: Any) -> _dt.date | None:
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    if isinstance(v, str):
        try:
            return _dt.date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


def _period(c: _Checker, per: dict, line: int | None) -> tuple[_dt.date, _dt.date]:
    """``study.period``: start and end dates, end not before start."""
    got = {}
    for k in ("start", "end"):
        d = _date(per.get(k))
        if d is None:
            c.err(
                c.line(per, k, line),
                f"study.period.{k}",
                "missing" if per.get(k) in (None, "") else f"{per.get(k)!r} is not a date",
                "a date YYYY-MM-DD",
            )
        got[k] = d
    start, end = got.get("start"), got.get("end")
    if not (start and end):
        return _dt.date.min, _dt.date.max
    if end < start:
        c.err(
            c.line(per, "end", line), "study.period.end", "before start", "an end on or after start"
        )
    return start, end


def _header(c: _Checker) -> dict[str, Any]:
    """The ``study:`` mapping: id, title, site, period, codebook."""
    st = c.mapping(c.data.get("study"), "study", c.top("study")) or {}

    def sl(k: str) -> int | None:
        return c.line(st, k, c.top("study"))

    out: dict[str, Any] = {"id": c.ident(st.get("id"), "study.id", sl("id")) or ""}
    out["title"] = c.texts(st.get("title"), "study.title", sl("title"), "the study's title")
    out["site"] = c.texts(st.get("site"), "study.site", sl("site"), "the site's name")
    out["start"], out["end"] = _dt.date.min, _dt.date.max
    per = c.mapping(st.get("period"), "study.period", sl("period"))
    if per is not None:
        out["start"], out["end"] = _period(c, per, sl("period"))
    codebook = st.get("codebook")
    if codebook is not None and (not isinstance(codebook, str) or not codebook.strip()):
        c.err(
            sl("codebook"),
            "study.codebook",
            f"{codebook!r} is not a path",
            "a path relative to the data folder",
        )
        codebook = None
    out["codebook"] = codebook.strip() if isinstance(codebook, str) else None
    out["intervention"] = _month(
        c, st.get("intervention"), sl("intervention"), "study.intervention",
        "the first month of the activation, YYYY-MM (e.g. 2021-05)",
    )  # fmt: skip
    out["its_end"] = _month(
        c, st.get("its_end"), sl("its_end"), "study.its_end",
        "the last month of 03's time series, YYYY-MM (e.g. 2022-12), or no such key for all data",
    )  # fmt: skip
    return out


def _month(c: _Checker, value: Any, line: int | None, key: str, expected: str) -> str | None:
    """A ``YYYY-MM`` month of ``study:`` (``study.intervention``, ``study.its_end``), or absent."""
    if isinstance(value, _dt.date):
        value = f"{value.year:04d}-{value.month:02d}"
    if value is None:
        return None
    if not (isinstance(value, str) and _MONTH.match(value.strip())):
        c.err(line, key, "missing" if value == "" else f"{value!r} is not a month", expected)
        return None
    return value.strip()


def _vocabulary(c: _Checker, name: str, m: dict, vl: int | None) -> dict[str, dict[str, str]]:
    """The codes of one vocabulary with their labels."""
    if not m:
        c.err(vl, f"vocabularies.{name}", "empty", f"at least one code: {VOCABULARIES[name]}")
    codes: dict[str, dict[str, str]] = {}
    for code, texts in m.items():
        cl = c.line(m, code, vl)
        key = f"vocabularies.{name}.{code}"
        if not isinstance(code, str) or not _ID.match(code):
            if not (name == "age_bands" and isinstance(code, str) and _AGE.match(code)):
                exp = "an age band like 13-18 or 65+" if name == "age_bands" else _ID_EXPECT
                c.err(cl, key, f"{code!r} is not a code", exp)
                continue
        if name == "activation_kinds" and code in ("none", "policing"):
            c.err(
                cl, key, f"{code!r} is reserved", "an activation kind other than none and policing"
            )
            continue
        codes[code] = c.texts(texts, key, cl, "a label")
    return codes


def _vocabularies(c: _Checker) -> dict[str, dict[str, dict[str, str]]]:
    """``vocabularies:``: every vocabulary of :data:`VOCABULARIES` (those of
    :data:`OPTIONAL_VOCABULARIES` maybe left out), no other."""
    node = c.mapping(c.data.get("vocabularies"), "vocabularies", c.top("vocabularies")) or {}
    for k in node:
        if k not in VOCABULARIES:
            c.err(
                c.line(node, k),
                f"vocabularies.{k}",
                "unknown vocabulary",
                "one of " + ", ".join(VOCABULARIES),
            )
    vocabularies: dict[str, dict[str, dict[str, str]]] = {}
    for name in VOCABULARIES:
        vl = c.line(node, name, c.top("vocabularies"))
        if name in OPTIONAL_VOCABULARIES and name not in node:
            continue
        m = c.mapping(node.get(name), f"vocabularies.{name}", vl)
        if m is not None:
            vocabularies[name] = _vocabulary(c, name, m, vl)
    return vocabularies


def _target_group(c: _Checker, known: dict[str, set]) -> tuple[Any, Any, dict[str, str]]:
    """``target_group:``: gender, age band (of the study) and label."""
    tg = c.mapping(c.data.get("target_group"), "target_group", c.top("target_group")) or {}

    def tl(k: str) -> int | None:
        return c.line(tg, k, c.top("target_group"))

    gender = tg.get("gender")
    if gender not in GENDERS:
        c.err(
            tl("gender"),
            "target_group.gender",
            "missing" if gender in (None, "") else f"{gender!r} is not known",
            "one of " + ", ".join(GENDERS),
        )
    age = tg.get("age_band")
    if "age_bands" in known and age not in known["age_bands"]:
        c.err(
            tl("age_band"),
            "target_group.age_band",
            "missing" if age in (None, "") else f"{age!r} is not an age band of the study",
            "one of vocabularies.age_bands",
        )
    label = c.texts(
        tg.get("label"), "target_group.label", tl("label"), "how the report names the target group"
    )
    return gender, age, label


def _site_area(c: _Checker, ca: dict, areas: set | None) -> str:
    site_area = ca.get("site")
    if not isinstance(site_area, str) or (areas is not None and site_area not in areas):
        c.err(
            c.line(ca, "site", c.top("crime_areas")),
            "crime_areas.site",
            "missing" if site_area in (None, "") else f"{site_area!r} is not an area of the study",
            "the area that is the site (one of vocabularies.areas)",
        )
        return ""
    return site_area


def _crime_areas(
    c: _Checker, known: dict[str, set], vocabularies: dict
) -> tuple[str, tuple[str, ...], str | None, tuple[str, ...], str | None]:
    """``crime_areas:``: the site's area, the comparisons, the survey reference, the categories, the survey item."""
    ca = c.mapping(c.data.get("crime_areas"), "crime_areas", c.top("crime_areas")) or {}

    def al(k: str) -> int | None:
        return c.line(ca, k, c.top("crime_areas"))

    areas = known.get("areas")
    site_area = _site_area(c, ca, areas)
    comps = c.id_list(
        ca.get("comparisons"),
        "crime_areas.comparisons",
        al("comparisons"),
        areas,
        "vocabularies.areas",
    )
    if ca.get("comparisons") is None:
        c.err(
            al("comparisons"),
            "crime_areas.comparisons",
            "missing",
            "a list of comparison areas (maybe empty: [])",
        )
    ref = ca.get("survey_reference")
    if ref is not None and (not isinstance(ref, str) or (areas is not None and ref not in areas)):
        c.err(
            al("survey_reference"),
            "crime_areas.survey_reference",
            f"{ref!r} is not an area of the study",
            "one of vocabularies.areas",
        )
        ref = None
    cats = c.id_list(
        ca.get("categories"),
        "crime_areas.categories",
        al("categories"),
        known.get("crime_categories"),
        "vocabularies.crime_categories",
    )
    if ca.get("categories") is None:
        cats = tuple(vocabularies.get("crime_categories", {}))
    item = ca.get("survey_item")
    if item is not None:
        item = c.ident(item, "crime_areas.survey_item", al("survey_item"))
        items = known.get("survey_items")
        if item is not None and items is not None and item not in items:
            c.err(
                al("survey_item"),
                "crime_areas.survey_item",
                f"{item!r} is not a survey item of the study",
                "one of vocabularies.survey_items",
            )
            item = None
    return site_area, comps, ref, cats, item


def _analysis(c: _Checker, known: dict[str, set]) -> dict[str, str]:
    """``analysis:``: analysis role -> a code of the role's vocabulary."""
    an = c.data.get("analysis") or {}
    analysis: dict[str, str] = {}
    if not isinstance(an, dict):
        c.err(
            c.top("analysis"), "analysis", "not a mapping", "a mapping of analysis roles to codes"
        )
        an = {}
    for k, v in an.items():
        line = c.line(an, k, c.top("analysis"))
        if k not in ANALYSIS_ROLES:
            c.err(line, f"analysis.{k}", "unknown key", "one of " + ", ".join(ANALYSIS_ROLES))
            continue
        vocab = ANALYSIS_ROLES[k][0]
        if v is None:
            continue
        if not isinstance(v, str) or (vocab in known and v not in known[vocab]):
            c.err(
                line,
                f"analysis.{k}",
                f"{v!r} is not known",
                f"a code of vocabularies.{vocab} ({ANALYSIS_ROLES[k][1]})",
            )
            continue
        analysis[k] = v
    return analysis


def _question_codes(c: _Checker, it: dict, key: str, name: Any, il: int | None) -> tuple[str, ...]:
    codes = it.get("codes")
    if codes is not None and (
        not isinstance(codes, list) or not all(isinstance(x, str) and _ID.match(x) for x in codes)
    ):
        c.err(
            c.line(it, "codes", il),
            f"{key}.{name}.codes",
            f"{codes!r} is not a list of code ids",
            "a list of codebook code ids",
        )
        codes = []
    return tuple(codes or ())


def _item(c: _Checker, it: dict, i: int, key: str, cls: type, il: int | None, seen: set) -> Any:
    """One question or goal: id (unique), text, results (and, for a question, codes)."""
    for k in it:
        if k not in ("id", "text", "results", "codes") or (cls is Goal and k == "codes"):
            c.err(
                c.line(it, k, il),
                f"{key}[{i}].{k}",
                "unknown key",
                "id, text, results" + (", codes" if cls is Question else ""),
            )
    qid = c.ident(it.get("id"), f"{key}[{i}].id", c.line(it, "id", il))
    if qid in seen:
        c.err(c.line(it, "id", il), f"{key}[{i}].id", f"duplicate id {qid!r}", "each id once")
    seen.add(qid)
    name = qid or i
    text = c.texts(it.get("text"), f"{key}.{name}.text", c.line(it, "text", il))
    res = c.id_list(
        it.get("results"),
        f"{key}.{name}.results",
        c.line(it, "results", il),
        set(RESULTS),
        "the results " + ", ".join(RESULTS),
    )
    if cls is Question:
        return Question(qid or "", text, res, codes=_question_codes(c, it, key, name, il))
    return Goal(qid or "", text, res)


def _items(c: _Checker, key: str, cls: type) -> tuple:
    """``questions:`` or ``goals:``: a list of items (at least one question)."""
    node = c.data.get(key)
    kl = c.top(key)
    if node is None:
        c.err(kl, key, "missing", f"a list of {key} (maybe empty: [])")
        return ()
    if not isinstance(node, list):
        c.err(kl, key, "not a list", f"a list of {key}: - id: ..., text: {{sv: ..., en: ...}}")
        return ()
    if not node and cls is Question:
        c.err(
            kl,
            key,
            "empty",
            "at least one question: - id: ..., text: {sv: ..., en: ...}, results: [...]",
        )
    out: list = []
    seen: set = set()
    for i, it in enumerate(node):
        il = c.line(it, None, kl)
        if not isinstance(it, dict):
            c.err(il, f"{key}[{i}]", "not a mapping", "id, text, results")
            continue
        out.append(_item(c, it, i, key, cls, il, seen))
    return tuple(out)


def _texts(c: _Checker) -> dict[str, dict[str, str]]:
    """``texts:``: study-specific report texts, each in every language."""
    texts: dict[str, dict[str, str]] = {}
    tx = c.data.get("texts") or {}
    if not isinstance(tx, dict):
        c.err(c.top("texts"), "texts", "not a mapping", "key: {sv: ..., en: ...}")
        tx = {}
    for k, v in tx.items():
        texts[str(k)] = c.texts(v, f"texts.{k}", c.line(tx, k, c.top("texts")))
    return texts


def parse_study(data: Any, file: str = STUDY_FILE) -> Study:
    """Check a parsed ``study.yaml`` and build the :class:`Study`; raise :class:`DataError` listing every problem.

    Examples
    --------
    >>> from evaluation.yamlio import load_yaml_text
    >>> try:
    ...     parse_study(load_yaml_text("study: {id: x}\\n"))
    ... except DataError as e:
    ...     print(next(p for p in e.problems if p.column == "study.title"))
    study.yaml:1: study.title: missing; expected a mapping (key: value lines)
    """
    if not isinstance(data, dict):
        raise DataError(
            [Problem(file, 1, None, "empty or not a mapping", "the keys " + ", ".join(_TOP))]
        )
    c = _Checker(file, data)
    for k in data:
        if k not in _TOP:
            c.err(c.top(k), k, "unknown key", "one of " + ", ".join(_TOP))
    head = _header(c)
    vocabularies = _vocabularies(c)
    known = {n: set(v) for n, v in vocabularies.items()}
    gender, age, tlabel = _target_group(c, known)
    site_area, comps, ref, cats, item = _crime_areas(c, known, vocabularies)
    analysis = _analysis(c, known)
    questions = _items(c, "questions", Question)
    goals = _items(c, "goals", Goal)
    texts = _texts(c)
    if c.problems:
        raise DataError(c.problems)
    return Study(
        id=head["id"],
        title=head["title"],
        site=head["site"],
        start=head["start"],
        end=head["end"],
        target_gender=gender,
        target_age_band=str(age),
        target_label=tlabel,
        vocabularies=vocabularies,
        site_area=site_area,
        comparison_areas=comps,
        survey_reference=ref,
        crime_categories=cats,
        analysis=analysis,
        questions=questions,
        goals=goals,
        codebook=head["codebook"],
        texts=texts,
        source=file,
        intervention=head["intervention"],
        survey_item=item,
        its_end=head["its_end"],
    )
