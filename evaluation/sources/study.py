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

from pathlib import Path
from typing import Any

from ..errors import DataError, ParameterError, Problem
from ..yamlio import load_yaml_file, load_yaml_text
from .study_checks import parse_study
from .study_model import (
    ANALYSIS_ROLES,
    LANGUAGES,
    RESULTS,
    STUDY_FILE,
    VOCABULARIES,
    Goal,
    Question,
    Study,
)

__all__ = [
    "Study",
    "Question",
    "Goal",
    "load_study",
    "parse_study",
    "study_from_text",
    "VOCABULARIES",
    "RESULTS",
    "ANALYSIS_ROLES",
    "LANGUAGES",
    "STUDY_FILE",
    "STUDY_PARAMETERS",
    "incident_kind",
    "method_conflict_code",
    "study_defaults",
    "open_study",
]


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
    """:func:`parse_study` of YAML text (for tests and scaffolds).

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> text = resolve("data/example/study.yaml").read_text(encoding="utf-8")
    >>> study_from_text(text) == load_study("data/example")
    True
    """
    return parse_study(load_yaml_text(text, label), label)


#: The incident kinds the site analyses name (in the results contract) -> analysis role.
_INCIDENT_ROLES = {"drug_sale": "dealing", "drug_use": "drug_use", "outreach_contact": "outreach"}


def incident_kind(study: Study | None, name: str) -> str:
    """The study's incident code for an incident the analyses name.

    ``name`` is ``drug_sale``, ``drug_use`` or ``outreach_contact`` (the names of
    the results contract); ``analysis:`` in ``study.yaml`` says which of the
    study's codes it is. Without a study (or a mapping) the name itself.

    Examples
    --------
    >>> incident_kind(None, "drug_sale")
    'drug_sale'
    """
    if study is None:
        return name
    return study.analysis.get(_INCIDENT_ROLES.get(name, name), name)


def method_conflict_code(study: Study | None) -> str | None:
    """The codebook code counted as the method conflict: the first code of the first
    question whose results include ``method_conflict`` (``None`` when there is none).

    Examples
    --------
    >>> s = load_study("data/example")
    >>> method_conflict_code(None), method_conflict_code(s) in s.question_codes(s.questions[0].id) + tuple(
    ...     c for q in s.questions for c in q.codes)
    (None, True)
    """
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
    "its_end",
)


def study_defaults(study: Study | None, **params: Any) -> dict[str, Any]:
    """The parameters given, with every ``None`` among :data:`STUDY_PARAMETERS` taken from the study.

    ``codebook`` becomes the study's codebook path inside the data folder
    (relative to it) or the project's default; ``target_*`` the target
    group; ``activation_states`` every activation kind of the study; ``area``,
    ``comparison_areas`` and ``survey_reference`` the study's crime areas;
    ``categories`` the crime categories it analyses (``crime_areas.categories``);
    ``intervention``, ``its_end`` and ``survey_item`` the study's
    (``study.intervention``, ``study.its_end``, ``crime_areas.survey_item``;
    no ``its_end``: all data). A missing ``intervention`` is a
    :class:`~evaluation.errors.ParameterError`.

    Examples
    --------
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
        "its_end": study.its_end,
    }
    for k, v in params.items():
        if v is None and k in fill:
            out[k] = fill[k]
        if out[k] is None and k in _REQUIRED:
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

    Examples
    --------
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
