"""The study's vocabularies for the field tools: zones, activation states, age bands, ...

The form, the import and the schedule share one :class:`Vocabulary`, built
from a data folder: zones from ``observations/zones.csv``, weather codes
already used in ``observations/sessions.csv``, the closed code lists of the
data contract (:mod:`evaluation.sources.codes`), and labels in Swedish and
English from the message catalogue ``messages/<lang>/fieldwork.yaml``. Where
the folder has a study definition (``study.yaml``), its vocabularies and their
sv/en labels take precedence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..i18n import has, t
from ..sources import codes

__all__ = ["Choice", "Vocabulary", "load_vocabulary", "DEFAULT_WEATHER", "age_name"]

#: Weather codes offered in the form, besides those already in the data.
DEFAULT_WEATHER = ("sunny", "cloudy", "rain", "snow")
#: Offered when there is no data folder (a data folder's study.yaml gives its own).
_DEFAULT_AGE_BANDS = ("0-12", "13-18", "19-29", "30-64", "65+")
_DEFAULT_ACTIVATIONS = ("art",)
_DEFAULT_INCIDENTS = ("incident",)


@dataclass(frozen=True)
class Choice:
    """One code with its Swedish and English label."""

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

    >>> age_name("13-18"), age_name("65+")
    ('13_18', '65plus')
    """
    return band.replace("-", "_").replace("+", "plus").replace(" ", "_")


def _label(kind: str, code: str, lang: str) -> str:
    key = f"fieldwork.{kind}.{code}"
    return t(key, lang) if has(key, lang) else code


def _choices(kind: str, values, study: dict | None = None) -> list[Choice]:
    out = []
    for code in values:
        lab = (study or {}).get(code, {})
        out.append(
            Choice(
                code,
                lab.get("sv") or _label(kind, code, "sv"),
                lab.get("en") or _label(kind, code, "en"),
            )
        )
    return out


def _study(root: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Vocabularies of ``study.yaml`` where one exists, as ``{name: {code: {sv, en}}}``.

    Read leniently (its own validator reports its problems): a vocabulary is a
    list of ``{id, label: {sv, en}}`` or a mapping ``code: {sv, en}``.
    """
    path = root / "study.yaml"
    if not path.exists():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, dict[str, dict[str, str]]] = {}
    aliases = {
        "zones": ("zones",),
        "activations": ("activations", "activation_kinds", "activation_states"),
        "age_bands": ("age_bands",),
        "genders": ("genders",),
        "incident_kinds": ("incident_kinds", "incidents"),
        "weather": ("weather",),
    }
    for name, keys in aliases.items():
        for key in keys:
            node = data.get(key)
            if node is None and isinstance(data.get("vocabularies"), dict):
                node = data["vocabularies"].get(key)
            items: dict[str, dict[str, str]] = {}
            if isinstance(node, list):
                for it in node:
                    if isinstance(it, dict) and "id" in it:
                        lab = it.get("label", {})
                        items[str(it["id"])] = lab if isinstance(lab, dict) else {}
                    elif isinstance(it, str):
                        items[it] = {}
            elif isinstance(node, dict):
                items = {str(k): (v if isinstance(v, dict) else {}) for k, v in node.items()}
            if items:
                out[name] = items
                break
    for key in ("site", "title", "name"):
        lab = data.get(key)
        if isinstance(lab, dict) and ("sv" in lab or "en" in lab):
            out["_title"] = {"": lab}
            break
    return out


def load_vocabulary(data: str | Path | None = None) -> Vocabulary:
    """The vocabularies of a data folder (or the contract's defaults without one).

    Parameters
    ----------
    data : path, optional
        A data folder laid out as in ``data/README.md``. Its
        ``observations/zones.csv`` gives the zones (required when ``data`` is
        given), ``observations/sessions.csv`` any weather codes already in
        use, ``calendar.csv`` the activation calendar and ``study.yaml``, where
        present, the study's vocabularies and labels.

    Raises
    ------
    DataError
        ``data`` is not a folder, or has no readable zones file.

    Examples
    --------
    >>> v = load_vocabulary("data/example")
    >>> v.codes("activations")  # none, then the study's activation kinds
    ['none', 'art', 'event', 'park', 'pilot']
    >>> v.age_bands[1]  # labels from study.yaml
    Choice(code='13-18', sv='13–18 år', en='aged 13–18')
    """
    from ..sources._io import read_csv_text

    study: dict = {}
    zones: list[Choice] = []
    weather = list(DEFAULT_WEATHER)
    calendar = None
    if data is not None:
        root = Path(data)
        if not root.is_dir():
            raise DataError([Problem(str(data), None, None, "no such data folder", "a folder")])
        study = _study(root)
        zpath = root / "observations" / "zones.csv"
        if zpath.exists():
            z = read_csv_text(zpath, "observations/zones.csv")
            if "zone" not in z.columns:
                raise DataError(
                    [Problem("observations/zones.csv", 1, "zone", "no column 'zone'", "zone")]
                )
            desc = z["description"] if "description" in z.columns else pd.Series("", index=z.index)
            labels = study.get("zones", {})
            for code, d in zip(z["zone"], desc, strict=True):
                code = str(code).strip()
                if not code:
                    continue
                lab = labels.get(code, {})
                default = d.strip() if isinstance(d, str) and d.strip() else code
                zones.append(Choice(code, lab.get("sv") or default, lab.get("en") or default))
        elif "zones" in study:
            zones = _choices("zone", study["zones"], study["zones"])
        spath = root / "observations" / "sessions.csv"
        if spath.exists():
            s = read_csv_text(spath, "observations/sessions.csv")
            if "weather" in s.columns:
                used = [w for w in s["weather"].dropna().astype(str).str.strip() if w]
                weather += sorted(set(used) - set(weather))
        if (root / "calendar.csv").exists():
            from ..sources import load_calendar

            calendar, problems = load_calendar(root / "calendar.csv")
            errors = [p for p in problems if p.severity == "error"]
            if errors:
                raise DataError(errors)
        if not zones:
            raise DataError(
                [
                    Problem(
                        f"{data}/observations/zones.csv",
                        None,
                        None,
                        "no zones found",
                        "observations/zones.csv with at least one zone (or zones in study.yaml)",
                    )
                ]
            )
    else:
        zones = [Choice("zone_1", "Zon 1", "Zone 1")]

    def vocab(name: str, default, kind: str) -> list[Choice]:
        given = study.get(name)
        return _choices(kind, list(given) if given else default, given)

    ages = vocab("age_bands", _DEFAULT_AGE_BANDS, "age")
    ages = [
        Choice(
            c.code,
            c.sv if c.sv != c.code else t("fieldwork.form.age", "sv", band=c.code),
            c.en if c.en != c.code else t("fieldwork.form.age", "en", band=c.code),
        )
        for c in ages
    ]
    title = study.get("_title", {}).get("", {})
    return Vocabulary(
        zones=zones,
        activations=_choices("activation", [codes.NO_ACTIVATION])
        + [c for c in vocab("activations", _DEFAULT_ACTIVATIONS, "activation") if c.code != "none"],
        genders=vocab("genders", codes.GENDERS, "gender"),
        age_bands=ages,
        activities=_choices("activity", codes.ACTIVITIES),
        incident_kinds=vocab("incident_kinds", _DEFAULT_INCIDENTS, "incident"),
        weather=vocab("weather", weather, "weather"),
        title=Choice(
            "site_observation",
            " – ".join(x for x in (t("fieldwork.form.title", "sv"), title.get("sv", "")) if x),
            " – ".join(x for x in (t("fieldwork.form.title", "en"), title.get("en", "")) if x),
        ),
        calendar=calendar,
    )
