"""The study's vocabularies for the field tools: zones, activation states, age bands, ...

The form, the import and the schedule share one :class:`Vocabulary`, built
from a data folder: its study definition (``study.yaml``, read with
:func:`evaluation.sources.study.load_study`) gives the codes of the zones,
activation kinds, age bands and incident kinds with their Swedish and English
labels; ``observations/zones.csv`` the zones in use, ``observations/sessions.csv``
any weather codes already used, ``calendar.csv`` the activation calendar, and
the closed code lists of the data contract (:mod:`evaluation.sources.codes`)
the genders and activities, labelled from the message catalogue
``messages/<lang>/fieldwork.yaml``. The package names no study's codes: without
a study definition the activation kinds are those of ``calendar.csv``, and
without a data folder the lists are generic placeholders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..i18n import has, t
from ..sources import codes
from ..sources.study import STUDY_FILE, Study, load_study

__all__ = ["Choice", "Vocabulary", "load_vocabulary", "DEFAULT_WEATHER", "age_name"]

#: Weather codes offered in the form, besides those already in the data.
DEFAULT_WEATHER = ("sunny", "cloudy", "rain", "snow")
#: Offered when there is no study definition (a folder's study.yaml gives its own).
_DEFAULT_AGE_BANDS = ("0-12", "13-18", "19-29", "30-64", "65+")
#: Generic placeholders without a study definition: code -> catalogue key of its label.
_PLACEHOLDERS = {
    "activations": {"activation": "fieldwork.schedule.activation"},
    "incident_kinds": {"incident": "fieldwork.form.incidents"},
}


@dataclass(frozen=True)
class Choice:
    """One code with its Swedish and English label.

    Examples
    --------
    >>> Choice("rain", "Regn", "Rain").en
    'Rain'
    """

    code: str
    sv: str
    en: str


@dataclass
class Vocabulary:
    """Every list of codes the field tools need, each with sv/en labels.

    Attributes
    ----------
    zones, activations, genders, age_bands, activities, incident_kinds, weather : list of Choice
    title : Choice
        The form's title (``code`` is the form id).
    calendar : DataFrame or None
        ``calendar.csv`` of the folder (``start, end, kind, name``), if any.

    Examples
    --------
    >>> v = load_vocabulary()
    >>> v.codes("zones"), v.codes("genders")
    (['zone_1'], ['female', 'male', 'unknown'])
    """

    zones: list[Choice]
    activations: list[Choice]
    genders: list[Choice]
    age_bands: list[Choice]
    activities: list[Choice]
    incident_kinds: list[Choice]
    weather: list[Choice]
    title: Choice = field(default_factory=lambda: Choice("site_observation", "", ""))
    calendar: pd.DataFrame | None = None

    def codes(self, name: str) -> list[str]:
        """The codes of one vocabulary, e.g. ``vocab.codes("zones")``."""
        return [c.code for c in getattr(self, name)]


def age_name(band: str) -> str:
    """An age band as an XML-safe name part: ``13-18`` -> ``13_18``, ``65+`` -> ``65plus``.

    Examples
    --------
    >>> age_name("13-18"), age_name("65+")
    ('13_18', '65plus')
    """
    return band.replace("-", "_").replace("+", "plus").replace(" ", "_")


def _label(kind: str, code: str, lang: str) -> str:
    key = f"fieldwork.{kind}.{code}"
    return t(key, lang) if has(key, lang) else code


def _choices(
    kind: str, values: Iterable[str], labels: Mapping[str, Mapping[str, str]] | None = None
) -> list[Choice]:
    """Choices of ``values``: the study's labels where given, else the catalogue's, else the code."""
    out = []
    for code in values:
        lab = (labels or {}).get(code, {})
        out.append(
            Choice(
                code,
                lab.get("sv") or _label(kind, code, "sv"),
                lab.get("en") or _label(kind, code, "en"),
            )
        )
    return out


def _placeholders(name: str) -> list[Choice]:
    return [Choice(code, t(key, "sv"), t(key, "en")) for code, key in _PLACEHOLDERS[name].items()]


def _folder(data: str | Path) -> Path:
    root = Path(data)
    if not root.is_dir():
        raise DataError([Problem(str(data), None, None, "no such data folder", "a folder")])
    return root


def _zones(root: Path, study: Study | None) -> list[Choice]:
    """The zones of ``observations/zones.csv`` (labels from the study, else the description)."""
    from ..sources._io import read_csv_text

    labels = study.vocabularies.get("zones", {}) if study is not None else {}
    zpath = root / "observations" / "zones.csv"
    zones: list[Choice] = []
    if zpath.exists():
        z = read_csv_text(zpath, "observations/zones.csv")
        if "zone" not in z.columns:
            raise DataError(
                [Problem("observations/zones.csv", 1, "zone", "no column 'zone'", "zone")]
            )
        desc = z["description"] if "description" in z.columns else pd.Series("", index=z.index)
        for code, d in zip(z["zone"].astype(str).str.strip(), desc, strict=True):
            if code:
                lab = labels.get(code, {})
                default = d.strip() if isinstance(d, str) and d.strip() else code
                zones.append(Choice(code, lab.get("sv") or default, lab.get("en") or default))
    elif labels:
        zones = _choices("zone", labels, labels)
    if not zones:
        raise DataError(
            [
                Problem(
                    f"{root}/observations/zones.csv",
                    None,
                    None,
                    "no zones found",
                    "observations/zones.csv with at least one zone (or zones in study.yaml)",
                )
            ]
        )
    return zones


def _weather_used(root: Path) -> list[str]:
    """Weather codes already in ``observations/sessions.csv`` (sorted)."""
    from ..sources._io import read_csv_text

    spath = root / "observations" / "sessions.csv"
    if not spath.exists():
        return []
    s = read_csv_text(spath, "observations/sessions.csv")
    if "weather" not in s.columns:
        return []
    return sorted({w for w in s["weather"].dropna().astype(str).str.strip() if w})


def _calendar(root: Path) -> pd.DataFrame | None:
    if not (root / "calendar.csv").exists():
        return None
    from ..sources import load_calendar

    calendar, problems = load_calendar(root / "calendar.csv")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    return calendar


def _activations(study: Study | None, calendar: pd.DataFrame | None) -> list[Choice]:
    """``none``, then the study's activation kinds (or those of the calendar, or a placeholder)."""
    none = _choices("activation", [codes.NO_ACTIVATION])
    if study is not None and study.codes("activation_kinds"):
        given = study.vocabularies["activation_kinds"]
        return none + _choices("activation", [c for c in given if c != "none"], given)
    if calendar is not None:
        skip = {codes.NO_ACTIVATION, *codes.CO_INTERVENTIONS}
        kinds = list(dict.fromkeys(k for k in calendar["kind"].astype(str) if k not in skip))
        if kinds:
            return none + _choices("activation", kinds)
    return none + _placeholders("activations")


def _of_study(study: Study | None, name: str, kind: str) -> list[Choice] | None:
    """One vocabulary of the study with its labels (``None`` when the study has none)."""
    given = study.vocabularies.get(name) if study is not None else None
    return _choices(kind, given, given) if given else None


def _age_bands(study: Study | None) -> list[Choice]:
    ages = _of_study(study, "age_bands", "age") or _choices("age", _DEFAULT_AGE_BANDS)
    return [
        Choice(
            c.code,
            c.sv if c.sv != c.code else t("fieldwork.form.age", "sv", band=c.code),
            c.en if c.en != c.code else t("fieldwork.form.age", "en", band=c.code),
        )
        for c in ages
    ]


def _title(study: Study | None) -> Choice:
    title = study.title if study is not None else {}
    return Choice(
        "site_observation",
        " – ".join(x for x in (t("fieldwork.form.title", "sv"), title.get("sv", "")) if x),
        " – ".join(x for x in (t("fieldwork.form.title", "en"), title.get("en", "")) if x),
    )


def load_vocabulary(data: str | Path | None = None) -> Vocabulary:
    """The vocabularies of a data folder (or generic placeholders without one).

    Parameters
    ----------
    data : path, optional
        A data folder laid out as in ``data/README.md``. Its ``study.yaml``
        gives the study's vocabularies and labels (checked with
        :func:`evaluation.sources.study.load_study`), ``observations/zones.csv``
        the zones (required when ``data`` is given, unless ``study.yaml``
        lists them), ``observations/sessions.csv`` any weather codes already
        in use and ``calendar.csv`` the activation calendar.

    Returns
    -------
    Vocabulary

    Raises
    ------
    DataError
        ``data`` is not a folder, its ``study.yaml`` is invalid (line and key
        named), or it has no readable zones file.

    Examples
    --------
    >>> from evaluation.paths import EXAMPLE_DATA, resolve
    >>> v = load_vocabulary(resolve(EXAMPLE_DATA))
    >>> v.codes("activations")  # none, then the study's activation kinds
    ['none', 'art', 'event', 'park', 'pilot']
    >>> v.age_bands[1]  # labels from study.yaml
    Choice(code='13-18', sv='13–18 år', en='aged 13–18')
    >>> load_vocabulary().codes("activations")  # no study: a generic placeholder
    ['none', 'activation']
    """
    study: Study | None = None
    weather = list(DEFAULT_WEATHER)
    calendar = None
    if data is None:
        zones = [Choice("zone_1", "Zon 1", "Zone 1")]
    else:
        root = _folder(data)
        if (root / STUDY_FILE).exists():
            study = load_study(root)
        zones = _zones(root, study)
        weather += [w for w in _weather_used(root) if w not in weather]
        calendar = _calendar(root)
    return Vocabulary(
        zones=zones,
        activations=_activations(study, calendar),
        genders=_of_study(study, "genders", "gender") or _choices("gender", codes.GENDERS),
        age_bands=_age_bands(study),
        activities=_choices("activity", codes.ACTIVITIES),
        incident_kinds=_of_study(study, "incident_kinds", "incident")
        or _placeholders("incident_kinds"),
        weather=_choices("weather", weather),
        title=_title(study),
        calendar=calendar,
    )
