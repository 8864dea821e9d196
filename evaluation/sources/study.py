"""``study.yaml``: what one study is about (site, target group, vocabularies, questions, goals).

Every data folder has a ``study.yaml`` at its root. It holds everything that
differs between two evaluations of place activation — the site's name, the
study period, the target group, the codes of the study's vocabularies (zones,
activation kinds, roles of the professionals, incident kinds, crime
categories, age bands, areas) with their Swedish and English labels, which
crime area is the site and which are comparisons, the evaluation questions
and the site's goals — so that the same toolkit evaluates another square
without code changes. ``docs/data-contract.md`` describes the file; the
data dictionary (``data/README.md``) lists its keys.

Every problem is reported as ``study.yaml:line: key: what; expected ...``.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..yamlio import load_yaml_file, load_yaml_text

__all__ = [
    "Study",
    "Question",
    "Goal",
    "load_study",
    "parse_study",
    "VOCABULARIES",
    "RESULTS",
    "ANALYSIS_ROLES",
    "STUDY_FILE",
    "STUDY_PARAMETERS",
    "incident_kind",
    "method_conflict_code",
    "study_defaults",
    "open_study",
]

STUDY_FILE = "study.yaml"
LANGUAGES = ("sv", "en")

#: The study's vocabularies: name -> what it lists (the CSV columns checked against it).
VOCABULARIES = {
    "zones": "zones of the site (observations/zones.csv, sessions.csv zone)",
    "activation_kinds": "kinds of activation (sessions.csv activation besides 'none';"
    " calendar.csv kind besides 'policing')",
    "roles": "roles of the professionals (focus_groups/participants.csv role)",
    "incident_kinds": "kinds of incident observers record (observations/incidents.csv kind)",
    "crime_categories": "crime categories (crime/reported.csv category)",
    "age_bands": "age bands observers estimate (observations/counts.csv age_band)",
    "areas": "areas of the crime statistics and the survey (crime/*.csv, survey/safety.csv area)",
}

#: The results a question or goal can name (the measures of the results contract).
RESULTS = {
    "target_staying_rate_ratio": "01: rate ratio of the target group staying, activation vs none",
    "dealing_rate_ratio": "01: rate ratio of observed dealing incidents",
    "outreach_rate_ratio": "01: rate ratio of observed outreach contacts",
    "co_presence": "01: share of sessions with the target group and dealing both seen",
    "method_conflict": "02: turns coded with the question's codes, by role",
    "themes": "02: share of turns per theme",
    "reliability": "02: agreement between coders",
    "its": "03: interrupted time series of reported crime at the site",
    "per_hectare": "03: crime per hectare at the site",
    "survey_trend": "03: trend of feeling safe at the site",
}

#: Parts the analyses give to study codes: key -> (vocabulary, what it means).
ANALYSIS_ROLES = {
    "dealing": ("incident_kinds", "the incident kind that is drug dealing"),
    "drug_use": ("incident_kinds", "the incident kind that is drug use"),
    "outreach": ("incident_kinds", "the incident kind that is an outreach contact"),
}

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_ID_EXPECT = "a lower-case identifier (letters a-z, digits, _)"
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


@dataclass(frozen=True)
class Question:
    """An evaluation question: id, texts per language, the results and codebook codes bearing on it."""

    id: str
    text: dict[str, str]
    results: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Goal:
    """A goal set for the site: id, texts per language and the results bearing on it (maybe none)."""

    id: str
    text: dict[str, str]
    results: tuple[str, ...] = ()


@dataclass(frozen=True)
class Study:
    """One study, as read from ``study.yaml``.

    Attributes
    ----------
    id : str
    title, site : dict
        Language -> text.
    start, end : datetime.date
        The study period.
    target_gender, target_age_band : str
    target_label : dict
        Language -> how the report names the target group.
    vocabularies : dict
        Vocabulary name -> {code: {language: label}} (see :data:`VOCABULARIES`).
    site_area : str
        The crime/survey area that is the site.
    comparison_areas : tuple of str
    survey_reference : str or None
        The area the site's survey answers are compared with.
    crime_categories : tuple of str
        The crime categories 03 analyses (``crime_areas.categories``; by
        default every category of ``vocabularies.crime_categories``).
    analysis : dict
        Analysis role -> study code (see :data:`ANALYSIS_ROLES`).
    questions : tuple of Question
    goals : tuple of Goal
    codebook : str or None
        The codebook, relative to the data folder (``None``: the project's default).
    intervention : str or None
        ``study.intervention``: the first month of the activation (``YYYY-MM``),
        where 03's time series is interrupted.
    survey_item : str or None
        ``crime_areas.survey_item``: the safety survey item 03 analyses
        (an ``item`` of ``survey/safety.csv``).
    texts : dict
        Study-specific report texts: key -> {language: text}.
    """

    id: str
    title: dict[str, str]
    site: dict[str, str]
    start: _dt.date
    end: _dt.date
    target_gender: str
    target_age_band: str
    target_label: dict[str, str]
    vocabularies: dict[str, dict[str, dict[str, str]]]
    site_area: str
    comparison_areas: tuple[str, ...]
    survey_reference: str | None = None
    crime_categories: tuple[str, ...] = ()
    analysis: dict[str, str] = field(default_factory=dict)
    questions: tuple[Question, ...] = ()
    goals: tuple[Goal, ...] = ()
    codebook: str | None = None
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str = STUDY_FILE
    intervention: str | None = None
    survey_item: str | None = None

    def codes(self, vocabulary: str) -> tuple[str, ...]:
        """The codes of one vocabulary, in the order of ``study.yaml``."""
        return tuple(self.vocabularies.get(vocabulary, {}))

    def labels(self, language: str) -> dict[str, str]:
        """Code -> label in ``language`` for every vocabulary of the study."""
        out: dict[str, str] = {}
        for vocab in self.vocabularies.values():
            for code, texts in vocab.items():
                out.setdefault(code, texts.get(language) or texts.get("en") or code)
        return out

    def label(self, code: str, language: str) -> str:
        """The study's label of ``code`` (the code itself when the study does not know it)."""
        return self.labels(language).get(code, code)

    def site_name(self, language: str) -> str:
        return self.site.get(language) or self.site.get("en", "")

    def question(self, qid: str) -> Question | None:
        return next((q for q in self.questions if q.id == qid), None)

    def question_codes(self, qid: str) -> tuple[str, ...]:
        q = self.question(qid)
        return q.codes if q is not None else ()

    def values(self, language: str) -> dict[str, str]:
        """Values for catalogue messages: ``site``, ``title``, ``target`` in ``language``."""
        return {
            "site": self.site_name(language),
            "title": self.title.get(language) or self.title.get("en", ""),
            "target": self.target_label.get(language) or self.target_label.get("en", ""),
        }

    def role_list(self, language: str) -> str:
        """The professionals' roles in words (``other`` left out), e.g. ``police and field assistant``."""
        from ..analyses.findings import and_list

        roles = self.vocabularies.get("roles", {})
        return and_list([self.label(r, language) for r in roles if r != "other"], language)

    def text(self, key: str, language: str, default: str = "") -> str:
        """A study-specific text (``texts:`` in ``study.yaml``)."""
        t = self.texts.get(key) or {}
        return t.get(language) or t.get("en") or default


class _Checker:
    def __init__(self, file: str) -> None:
        self.file, self.problems = file, []

    def err(self, line, key, what, expected) -> None:
        self.problems.append(Problem(self.file, line, key, what, expected))

    @staticmethod
    def line(node, key=None, default=None):
        if key is not None:
            kl = getattr(node, "key_lines", None) or {}
            if key in kl:
                return kl[key]
        return getattr(node, "line", None) or default

    def mapping(self, node, key, line) -> dict | None:
        if node is None:
            self.err(line, key, "missing", "a mapping (key: value lines)")
            return None
        if not isinstance(node, dict):
            self.err(line, key, f"{type(node).__name__} instead of a mapping", "a mapping")
            return None
        return node

    def texts(self, node, key, line, what="a text") -> dict[str, str]:
        """``{sv: ..., en: ...}``; both required and non-empty."""
        if isinstance(node, str) and node.strip():
            self.err(
                line, key, "one text for every language", f"{what} per language: sv: ..., en: ..."
            )
            return {lang: node for lang in LANGUAGES}
        m = self.mapping(node, key, line)
        if m is None:
            return {}
        out = {}
        for lang in LANGUAGES:
            v = m.get(lang)
            if not isinstance(v, str) or not v.strip():
                self.err(
                    self.line(m, lang, line),
                    f"{key}.{lang}",
                    "missing or empty" if v in (None, "") else f"{v!r} is not a text",
                    f"{what} in {'Swedish' if lang == 'sv' else 'English'}",
                )
            else:
                out[lang] = v.strip()
        for k in m:
            if k not in LANGUAGES:
                self.err(self.line(m, k, line), f"{key}.{k}", "unknown language", "sv and en")
        return out

    def ident(self, v, key, line) -> str | None:
        if isinstance(v, str) and _ID.match(v):
            return v
        self.err(
            line, key, "missing" if v in (None, "") else f"{v!r} is not an identifier", _ID_EXPECT
        )
        return None

    def id_list(self, node, key, line, known: set | None, expected: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, list):
            self.err(line, key, "not a list", f"a list of {expected}")
            return ()
        out = []
        for v in node:
            if not isinstance(v, str) or (known is not None and v not in known):
                self.err(line, key, f"{v!r} is not known", f"one of {expected}")
            else:
                out.append(v)
        return tuple(out)


def _date(v) -> _dt.date | None:
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
    c = _Checker(file)
    if not isinstance(data, dict):
        raise DataError(
            [Problem(file, 1, None, "empty or not a mapping", "the keys " + ", ".join(_TOP))]
        )
    for k in data:
        if k not in _TOP:
            c.err(c.line(data, k, 1), k, "unknown key", "one of " + ", ".join(_TOP))
    top = lambda k: c.line(data, k, 1)  # noqa: E731

    st = c.mapping(data.get("study"), "study", top("study")) or {}
    sl = lambda k: c.line(st, k, top("study"))  # noqa: E731
    sid = c.ident(st.get("id"), "study.id", sl("id")) or ""
    title = c.texts(st.get("title"), "study.title", sl("title"), "the study's title")
    site = c.texts(st.get("site"), "study.site", sl("site"), "the site's name")
    start, end = _dt.date.min, _dt.date.max
    per = c.mapping(st.get("period"), "study.period", sl("period"))
    if per is not None:
        got = {}
        for k in ("start", "end"):
            d = _date(per.get(k))
            if d is None:
                c.err(
                    c.line(per, k, sl("period")),
                    f"study.period.{k}",
                    "missing" if per.get(k) in (None, "") else f"{per.get(k)!r} is not a date",
                    "a date YYYY-MM-DD",
                )
            got[k] = d
        if got.get("start") and got.get("end"):
            if got["end"] < got["start"]:
                c.err(
                    c.line(per, "end", sl("period")),
                    "study.period.end",
                    "before start",
                    "an end on or after start",
                )
            start, end = got["start"], got["end"]
    codebook = st.get("codebook")
    if codebook is not None and (not isinstance(codebook, str) or not codebook.strip()):
        c.err(
            sl("codebook"),
            "study.codebook",
            f"{codebook!r} is not a path",
            "a path relative to the data folder",
        )
        codebook = None

    intervention = st.get("intervention")
    if isinstance(intervention, _dt.date):
        intervention = f"{intervention.year:04d}-{intervention.month:02d}"
    if intervention is not None and not (
        isinstance(intervention, str) and _MONTH.match(intervention.strip())
    ):
        c.err(
            sl("intervention"),
            "study.intervention",
            "missing" if intervention == "" else f"{intervention!r} is not a month",
            "the first month of the activation, YYYY-MM (e.g. 2021-05)",
        )
        intervention = None

    vocab_node = c.mapping(data.get("vocabularies"), "vocabularies", top("vocabularies")) or {}
    vocabularies: dict[str, dict[str, dict[str, str]]] = {}
    for k in vocab_node:
        if k not in VOCABULARIES:
            c.err(
                c.line(vocab_node, k),
                f"vocabularies.{k}",
                "unknown vocabulary",
                "one of " + ", ".join(VOCABULARIES),
            )
    for name in VOCABULARIES:
        vl = c.line(vocab_node, name, top("vocabularies"))
        node = vocab_node.get(name)
        m = c.mapping(node, f"vocabularies.{name}", vl)
        if m is None:
            continue
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
                    cl,
                    key,
                    f"{code!r} is reserved",
                    "an activation kind other than none and policing",
                )
                continue
            codes[code] = c.texts(texts, key, cl, "a label")
        vocabularies[name] = codes
    known = {n: set(v) for n, v in vocabularies.items()}

    tg = c.mapping(data.get("target_group"), "target_group", top("target_group")) or {}
    tl = lambda k: c.line(tg, k, top("target_group"))  # noqa: E731
    from .codes import GENDERS

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
    tlabel = c.texts(
        tg.get("label"), "target_group.label", tl("label"), "how the report names the target group"
    )

    ca = c.mapping(data.get("crime_areas"), "crime_areas", top("crime_areas")) or {}
    al = lambda k: c.line(ca, k, top("crime_areas"))  # noqa: E731
    areas = known.get("areas")
    site_area = ca.get("site")
    if not isinstance(site_area, str) or (areas is not None and site_area not in areas):
        c.err(
            al("site"),
            "crime_areas.site",
            "missing" if site_area in (None, "") else f"{site_area!r} is not an area of the study",
            "the area that is the site (one of vocabularies.areas)",
        )
        site_area = ""
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
    item = ca.get("survey_item")
    if item is not None:
        item = c.ident(item, "crime_areas.survey_item", al("survey_item"))
    cats = c.id_list(
        ca.get("categories"),
        "crime_areas.categories",
        al("categories"),
        known.get("crime_categories"),
        "vocabularies.crime_categories",
    )
    if ca.get("categories") is None:
        cats = tuple(vocabularies.get("crime_categories", {}))

    an = data.get("analysis") or {}
    analysis: dict[str, str] = {}
    if not isinstance(an, dict):
        c.err(top("analysis"), "analysis", "not a mapping", "a mapping of analysis roles to codes")
        an = {}
    for k, v in an.items():
        line = c.line(an, k, top("analysis"))
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

    def items(key, cls):
        node = data.get(key)
        kl = top(key)
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
        out, seen = [], set()
        for i, it in enumerate(node):
            il = c.line(it, None, kl)
            if not isinstance(it, dict):
                c.err(il, f"{key}[{i}]", "not a mapping", "id, text, results")
                continue
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
                c.err(
                    c.line(it, "id", il), f"{key}[{i}].id", f"duplicate id {qid!r}", "each id once"
                )
            seen.add(qid)
            text = c.texts(it.get("text"), f"{key}.{qid or i}.text", c.line(it, "text", il))
            res = c.id_list(
                it.get("results"),
                f"{key}.{qid or i}.results",
                c.line(it, "results", il),
                set(RESULTS),
                "the results " + ", ".join(RESULTS),
            )
            kw = {}
            if cls is Question:
                codes = it.get("codes")
                if codes is not None and (
                    not isinstance(codes, list)
                    or not all(isinstance(x, str) and _ID.match(x) for x in codes)
                ):
                    c.err(
                        c.line(it, "codes", il),
                        f"{key}.{qid or i}.codes",
                        f"{codes!r} is not a list of code ids",
                        "a list of codebook code ids",
                    )
                    codes = []
                kw["codes"] = tuple(codes or ())
            out.append(cls(qid or "", text, res, **kw))
        return tuple(out)

    questions = items("questions", Question)
    goals = items("goals", Goal)

    texts: dict[str, dict[str, str]] = {}
    tx = data.get("texts") or {}
    if not isinstance(tx, dict):
        c.err(top("texts"), "texts", "not a mapping", "key: {sv: ..., en: ...}")
        tx = {}
    for k, v in tx.items():
        texts[str(k)] = c.texts(v, f"texts.{k}", c.line(tx, k, top("texts")))

    if c.problems:
        raise DataError(c.problems)
    return Study(
        id=sid,
        title=title,
        site=site,
        start=start,
        end=end,
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
        codebook=codebook.strip() if isinstance(codebook, str) else None,
        texts=texts,
        source=file,
        intervention=intervention.strip() if isinstance(intervention, str) else None,
        survey_item=item,
    )


def load_study(path: str | Path, label: str = STUDY_FILE) -> Study:
    """Read and check ``study.yaml`` (a folder means its ``study.yaml``).

    Raises
    ------
    DataError
        Every problem as ``study.yaml:line: key: what; expected ...``; a
        missing file says how to make one (``evaluation new-study``).

    Examples
    --------
    >>> s = load_study("data/example")
    >>> s.codes("age_bands")[:2], s.target_age_band in s.codes("age_bands")
    (('0-12', '13-18'), True)
    """
    p = Path(path)
    if p.is_dir():
        p = p / STUDY_FILE
    if not p.exists():
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    None,
                    "missing: every data folder needs a study.yaml at its root",
                    "a study.yaml (evaluation new-study DIR writes one to fill in;"
                    " see docs/data-contract.md)",
                )
            ]
        )
    return parse_study(load_yaml_file(p, label), label)


def study_from_text(text: str, label: str = STUDY_FILE) -> Study:
    """:func:`parse_study` of YAML text (for tests and scaffolds)."""
    return parse_study(load_yaml_text(text, label), label)


#: The incident kinds the site analyses name (in the results contract) -> analysis role.
_INCIDENT_ROLES = {"drug_sale": "dealing", "drug_use": "drug_use", "outreach_contact": "outreach"}


def incident_kind(study: Study | None, name: str) -> str:
    """The study's incident code for an incident the analyses name.

    ``name`` is ``drug_sale``, ``drug_use`` or ``outreach_contact`` (the names of
    the results contract); ``analysis:`` in ``study.yaml`` says which of the
    study's codes it is. Without a study (or a mapping) the name itself.

    >>> incident_kind(None, "drug_sale")
    'drug_sale'
    """
    if study is None:
        return name
    return study.analysis.get(_INCIDENT_ROLES.get(name, name), name)


def method_conflict_code(study: Study | None) -> str | None:
    """The codebook code counted as the method conflict: the first code of the first
    question whose results include ``method_conflict`` (``None`` when there is none)."""
    if study is None:
        return None
    for q in study.questions:
        if "method_conflict" in q.results and q.codes:
            return q.codes[0]
    return None


#: Parameters that default to the study (``null`` in notebooks/params.yaml).
STUDY_PARAMETERS = (
    "codebook",
    "target_gender",
    "target_age_band",
    "activation_states",
    "area",
    "categories",
    "comparison_areas",
    "survey_reference",
    "intervention",
    "survey_item",
)


def study_defaults(study: Study | None, **params: Any) -> dict[str, Any]:
    """The parameters given, with every ``None`` among :data:`STUDY_PARAMETERS` taken from the study.

    ``codebook`` becomes the study's codebook path inside the data folder
    (relative to it) or the project's default; ``target_*`` the target
    group; ``activation_states`` every activation kind of the study; ``area``,
    ``comparison_areas`` and ``survey_reference`` the study's crime areas;
    ``categories`` the crime categories it analyses (``crime_areas.categories``).

    >>> s = load_study("data/example")
    >>> study_defaults(s, area=None, comparison_areas=[s.site_area])["comparison_areas"] == [s.site_area]
    True
    >>> study_defaults(s, area=None)["area"] == s.site_area
    True
    """
    out = dict(params)
    if study is None:
        return out
    fill = {
        "codebook": study.codebook,
        "target_gender": study.target_gender,
        "target_age_band": study.target_age_band,
        "activation_states": list(study.codes("activation_kinds")),
        "area": study.site_area,
        "categories": list(study.crime_categories),
        "comparison_areas": list(study.comparison_areas),
        "survey_reference": study.survey_reference,
        "intervention": study.intervention,
        "survey_item": study.survey_item,
    }
    for k, v in params.items():
        if v is None and k in fill:
            out[k] = fill[k]
        if out[k] is None and k in _REQUIRED:
            from ..errors import ParameterError

            raise ParameterError(f"{k}: not given; expected {_REQUIRED[k]}")
    _check_codes(study, out)
    return out


#: Parameters the study must give when the run does not: parameter -> where.
_REQUIRED = {
    "intervention": "study.intervention in study.yaml (the first month of the activation,"
    " YYYY-MM) or -p intervention=YYYY-MM",
}


#: Parameters naming codes of a study vocabulary.
_PARAM_VOCAB = {
    "target_age_band": "age_bands",
    "activation_states": "activation_kinds",
    "area": "areas",
    "categories": "crime_categories",
    "comparison_areas": "areas",
    "survey_reference": "areas",
}


def _check_codes(study: Study, params: dict[str, Any]) -> None:
    """A parameter naming a code the study does not have is a :class:`ParameterError`."""
    from ..errors import ParameterError

    for k, vocab in _PARAM_VOCAB.items():
        v = params.get(k)
        if v is None:
            continue
        known = study.codes(vocab)
        for code in v if isinstance(v, (list, tuple)) else [v]:
            if code not in known:
                raise ParameterError(
                    f"{k}: {code!r} is not one of the study's {vocab} (study.yaml);"
                    f" expected one of {', '.join(known)}"
                )


def open_study(data_dir: str | Path, **params: Any) -> tuple[Study, dict[str, Any]]:
    """The study of a data folder for a notebook: load it, use its labels, fill the parameters.

    Returns the :class:`Study` and ``params`` with every ``None`` among
    :data:`STUDY_PARAMETERS` taken from it (:func:`study_defaults`); the labels
    of its codes are used by :func:`evaluation.i18n.label` from now on.

    >>> study, p = open_study("data/example", area=None)
    >>> p["area"] == study.site_area
    True
    >>> from evaluation.i18n import use_study
    >>> use_study(None)  # (the doctest leaves no study behind)
    """
    from ..i18n import use_study
    from ..textio import confine

    root = Path(data_dir)
    with confine(root, keep_outer=False):
        study = load_study(root / STUDY_FILE)
    use_study(study)
    return study, study_defaults(study, **params)
