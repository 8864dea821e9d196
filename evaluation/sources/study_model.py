"""The model of ``study.yaml``: what one study is about, and the names it may use.

:class:`Study` (with its :class:`Question` and :class:`Goal` objects) is what
:func:`evaluation.sources.study.load_study` builds after checking the file
(:mod:`evaluation.sources.study_checks`); :data:`VOCABULARIES` (of which
:data:`OPTIONAL_VOCABULARIES` may be left out), :data:`RESULTS` and
:data:`ANALYSIS_ROLES` are the names a ``study.yaml`` may use.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..wording import and_list

__all__ = [
    "Study",
    "Question",
    "Goal",
    "VOCABULARIES",
    "OPTIONAL_VOCABULARIES",
    "RESULTS",
    "ANALYSIS_ROLES",
    "STUDY_FILE",
    "LANGUAGES",
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
    "survey_items": "items of the safety survey (survey/safety.csv item; crime_areas.survey_item"
    " is one of them). Optional: without it the items are shown by their codes",
}

#: The vocabularies a study may leave out (every other one of :data:`VOCABULARIES` is required).
OPTIONAL_VOCABULARIES = ("survey_items",)

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


@dataclass(frozen=True)
class Question:
    """An evaluation question: id, texts per language, the results and codebook codes bearing on it.

    Examples
    --------
    >>> q = Question("q1", {"sv": "Stannar flickorna?", "en": "Do girls stay?"}, ("themes",), ("vistas",))
    >>> q.text["en"], q.codes
    ('Do girls stay?', ('vistas',))
    """

    id: str
    text: dict[str, str]
    results: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Goal:
    """A goal set for the site: id, texts per language and the results bearing on it (maybe none).

    Examples
    --------
    >>> Goal("g1", {"sv": "Tryggare torg", "en": "A safer square"}).results
    ()
    """

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
    texts : dict
        Study-specific report texts: key -> {language: text}.
    source : str
        The file it was read from (for messages).
    intervention : str or None
        ``study.intervention``: the first month of the activation (``YYYY-MM``),
        where 03's time series is interrupted.
    survey_item : str or None
        ``crime_areas.survey_item``: the safety survey item 03 analyses
        (an ``item`` of ``survey/safety.csv``).
    its_end : str or None
        ``study.its_end``: the last month of 03's time series (``YYYY-MM``;
        ``None``: all data).

    Examples
    --------
    >>> import datetime as dt
    >>> s = Study("demo", {"sv": "Demo", "en": "Demo"}, {"sv": "Torget", "en": "The square"},
    ...     dt.date(2024, 1, 1), dt.date(2024, 12, 31), "girl", "13-18", {"sv": "flickor", "en": "girls"},
    ...     {"roles": {"police": {"sv": "polis", "en": "police"}, "social": {"sv": "socialtjänst", "en": "social services"},
    ...                "other": {"sv": "annan", "en": "other"}}}, "square", (),
    ...     questions=(Question("q1", {"sv": "?", "en": "?"}, ("method_conflict",), ("konflikt",)),),
    ...     texts={"intro": {"sv": "Hej", "en": "Hello"}})
    >>> s.codes("roles"), s.label("police", "sv"), s.label("unknown", "sv")
    (('police', 'social', 'other'), 'polis', 'unknown')
    >>> s.site_name("en"), s.values("sv")["target"], s.role_list("en", present=["social", "police"])
    ('The square', 'flickor', 'police and social services')
    >>> s.role_list("en")
    'police, social services and other'
    >>> s.question_codes("q1"), s.question("q9"), s.text("intro", "en"), s.text("none", "sv", "-")
    (('konflikt',), None, 'Hello', '-')
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
    its_end: str | None = None

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
        """The site's name in ``language`` (else in English)."""
        return self.site.get(language) or self.site.get("en", "")

    def question(self, qid: str) -> Question | None:
        """The question with id ``qid`` (``None`` when there is none)."""
        return next((q for q in self.questions if q.id == qid), None)

    def question_codes(self, qid: str) -> tuple[str, ...]:
        """The codebook codes bearing on question ``qid`` (none for an unknown question)."""
        q = self.question(qid)
        return q.codes if q is not None else ()

    def values(self, language: str) -> dict[str, str]:
        """Values for catalogue messages: ``site``, ``title``, ``target`` in ``language``."""
        return {
            "site": self.site_name(language),
            "title": self.title.get(language) or self.title.get("en", ""),
            "target": self.target_label.get(language) or self.target_label.get("en", ""),
        }

    def role_list(self, language: str, present: Iterable[Any] | None = None) -> str:
        """The professionals' roles in words, in the study's order, e.g. ``police and field assistant``.

        ``present`` (e.g. the ``role`` column of ``focus_groups/participants.csv``)
        keeps the roles someone took part as: a role of the vocabulary nobody
        had (a catch-all such as ``other``) is left out whatever its code.
        Without it, every role of the study.
        """
        roles = self.vocabularies.get("roles", {})
        if present is not None:
            had = {str(r) for r in present}
            roles = {r: v for r, v in roles.items() if r in had}
        return and_list([self.label(r, language) for r in roles], language)

    def text(self, key: str, language: str, default: str = "") -> str:
        """A study-specific text (``texts:`` in ``study.yaml``)."""
        t = self.texts.get(key) or {}
        return t.get(language) or t.get("en") or default
