"""06_methods_appendix: the methods appendix, references, ethics statement and glossary.

Everything here is generated from the run's parameters and the data, with
texts from ``messages/<language>/methods.yaml``:

- :func:`study_facts` counts what the data hold (sessions, zones, observers,
  focus groups, coders, crime months, survey years);
- :func:`methods_text` describes the protocol, age estimation, the models
  with their formulas in words (count model and the family rule, the
  interrupted time series, the survey trend), the reliability thresholds,
  the suppression rule, the quote rule and the coding process, each with the
  values this run used;
- :func:`report_metadata` reads the authors, the commissioning body and the
  ethics and consent statement from the data folder's ``study.yaml`` (when it
  has these fields) or ``report.yaml``; what neither states is "not stated";
- :func:`load_references` reads the reference list, a CSL-JSON file
  (``evaluation/references.json``), and :func:`format_reference` renders an item
  (author-year style);
- :func:`glossary` lists the terms the report uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, Problem
from ..i18n import number, t

__all__ = [
    "REFERENCES",
    "PARAMETERS",
    "METADATA_FILES",
    "METADATA_FIELDS",
    "GLOSSARY_TERMS",
    "ReportMetadata",
    "report_metadata",
    "metadata_table",
    "load_references",
    "format_reference",
    "reference_list",
    "reference_markdown",
    "study_facts",
    "methods_text",
    "glossary",
    "ethics_text",
    "metadata_note",
    "EXAMPLE_REPORT_YAML",
    "write_example_report",
]

#: The reference list of the report (CSL-JSON), shipped with the package.
REFERENCES = Path(__file__).resolve().parent.parent / "references.json"
#: Files of the data folder that may state the report's metadata, in order of precedence.
METADATA_FILES = ("study.yaml", "report.yaml")
#: The metadata fields read, and other names they may have in ``study.yaml``.
METADATA_FIELDS = {
    "title": ("title",),
    "authors": ("authors", "author"),
    "commissioned_by": ("commissioned_by", "commissioner", "client"),
    "ethics": ("ethics", "ethics_statement"),
    "consent": ("consent", "consent_statement"),
    "contact": ("contact",),
}
#: The glossary's terms (texts: ``methods.glossary.<term>.term`` / ``.text``), in order.
GLOSSARY_TERMS = (
    "activation",
    "session",
    "zone",
    "staying",
    "rate_ratio",
    "ci",
    "overdispersion",
    "its",
    "co_intervention",
    "odds_ratio",
    "alpha",
    "suppression",
    "evidence_strength",
    "drug_scene",
)
#: The run parameters the methods text describes (notebook 06 declares them all).
PARAMETERS = (
    "min_cell", "target_gender", "target_age_band", "activation_states", "covariates",
    "count_family", "cluster", "quotes_per_theme", "min_quote_group", "area", "categories",
    "comparison_areas", "intervention", "transition", "its_end", "seasonality", "its_family",
    "hac_lags", "survey_item", "survey_reference",
)  # fmt: skip
#: Largest reference list read (bytes).
MAX_REFERENCES_BYTES = 1024 * 1024


def _m(key: str, language: str, **values) -> str:
    return t(f"methods.{key}", language, **values)


# ------------------------------------------------------------------ metadata
@dataclass
class ReportMetadata:
    """Who wrote the report, for whom, and the ethics and consent statement.

    Each field is the text found, or ``None`` when not stated; ``source``
    names the file each field came from (``study.yaml`` or ``report.yaml``).
    """

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    commissioned_by: str | None = None
    ethics: str | None = None
    consent: str | None = None
    contact: str | None = None
    source: dict[str, str] = field(default_factory=dict)


def _text(value: Any, language: str, file: str, key: str) -> str:
    """A metadata value as text: a string, or a mapping by language (``{sv: ..., en: ...}``)."""
    if isinstance(value, dict):
        value = value.get(language) or next(iter(value.values()), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise DataError(
            [
                Problem(
                    file, None, key, f"{type(value).__name__} found", "a text, or texts by language"
                )
            ]
        )
    return value.strip()


def _authors(value: Any, language: str, file: str) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out = []
    for i, a in enumerate(items):
        if isinstance(a, dict) and "name" in a:
            name = _text(a["name"], language, file, f"authors[{i}].name")
            aff = a.get("affiliation")
            out.append(
                f"{name} ({_text(aff, language, file, f'authors[{i}].affiliation')})"
                if aff
                else name
            )
        else:
            out.append(_text(a, language, file, f"authors[{i}]"))
    return out


def report_metadata(data_dir: str | Path, language: str = "sv") -> ReportMetadata:
    """The report's metadata from the data folder: ``study.yaml`` first, then ``report.yaml``.

    A field is taken from the first file that has it (``study.yaml`` may use
    other names, see :data:`METADATA_FIELDS`); texts may be given per language
    (``ethics: {sv: ..., en: ...}``). Files are read bounded and confined to
    the data folder (:func:`evaluation.yamlio.load_yaml_file`); a file that is
    not a mapping, or a field of the wrong type, is a
    :class:`~evaluation.errors.DataError` naming the file and the field.
    Neither file is required.
    """
    from ..textio import confine
    from ..yamlio import load_yaml_file

    data_dir = Path(data_dir)
    meta = ReportMetadata()
    with confine(data_dir, keep_outer=False):
        for name in METADATA_FILES:
            p = data_dir / name
            if not p.exists() and not p.is_symlink():
                continue
            doc = load_yaml_file(p, str(p))
            if doc is None:
                continue
            if not isinstance(doc, dict):
                raise DataError(
                    [
                        Problem(
                            str(p), None, None, f"{type(doc).__name__} found", "a mapping of fields"
                        )
                    ]
                )
            for fld, names in METADATA_FIELDS.items():
                if fld in meta.source:
                    continue
                key = next((k for k in names if doc.get(k) not in (None, "", [])), None)
                if key is None:
                    continue
                if fld == "authors":
                    meta.authors = _authors(doc[key], language, str(p))
                else:
                    setattr(meta, fld, _text(doc[key], language, str(p), key))
                meta.source[fld] = name
    return meta


def metadata_table(meta: ReportMetadata, language: str = "sv") -> pd.DataFrame:
    """The metadata as a two-column table (field, value); "not stated" where missing."""
    from .findings import and_list

    none = _m("not_stated", language)
    rows = [
        (_m("meta.title", language), meta.title or none),
        (_m("meta.authors", language), and_list(meta.authors, language) if meta.authors else none),
        (_m("meta.commissioned_by", language), meta.commissioned_by or none),
        (_m("meta.contact", language), meta.contact or none),
    ]
    return pd.DataFrame(rows, columns=[_m("meta.field", language), _m("meta.value", language)])


# ---------------------------------------------------------------- references
def load_references(path: str | Path | None = None) -> list[dict]:
    """The reference list: a CSL-JSON array of items (default :data:`REFERENCES`).

    Every item needs ``id``, ``type`` and ``title``, and an ``author`` list;
    a missing or malformed one is a :class:`~evaluation.errors.DataError`
    naming the file, the item and the field.
    """
    from ..textio import read_text

    p = Path(path) if path is not None else REFERENCES
    raw = read_text(p, str(p), limit=MAX_REFERENCES_BYTES)
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DataError(
            [Problem(str(p), exc.lineno, None, f"not valid JSON ({exc.msg})", "a CSL-JSON array")]
        ) from None
    if not isinstance(items, list):
        raise DataError([Problem(str(p), None, None, "not an array", "a CSL-JSON array of items")])
    seen = set()
    for i, it in enumerate(items):
        where = f"item {i + 1}" + (
            f" ({it.get('id')})" if isinstance(it, dict) and it.get("id") else ""
        )
        if not isinstance(it, dict):
            raise DataError([Problem(str(p), None, where, "not an object", "a CSL-JSON item")])
        for key in ("id", "type", "title"):
            if not isinstance(it.get(key), str) or not it[key].strip():
                raise DataError([Problem(str(p), None, f"{where}: {key}", "missing", "a text")])
        if it["id"] in seen:
            raise DataError([Problem(str(p), None, f"{where}: id", "defined twice", "a unique id")])
        seen.add(it["id"])
        authors = it.get("author")
        if (
            not isinstance(authors, list)
            or not authors
            or not all(
                isinstance(a, dict) and (a.get("family") or a.get("literal")) for a in authors
            )
        ):
            raise DataError(
                [Problem(str(p), None, f"{where}: author", "missing or malformed", "a list of {family, given} or {literal}")]
            )  # fmt: skip
    return items


def _name(a: dict) -> str:
    if a.get("literal"):
        return a["literal"]
    initials = " ".join(p[0] + "." for p in str(a.get("given", "")).replace(".", " ").split() if p)
    return f"{a['family']}, {initials}" if initials else a["family"]


def _year(item: dict, language: str) -> str:
    try:
        return str(item["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError):
        return _m("ref.no_date", language)


def format_reference(item: dict, language: str = "sv") -> str:
    """One CSL-JSON item as an author-year reference in Markdown (title of a book in italics).

    >>> item = {"id": "w", "type": "article-journal", "title": "Probable inference",
    ...         "author": [{"family": "Wilson", "given": "Edwin B."}], "issued": {"date-parts": [[1927]]},
    ...         "container-title": "JASA", "volume": "22", "issue": "158", "page": "209-212",
    ...         "DOI": "10.1080/01621459.1927.10502953"}
    >>> format_reference(item, "en")
    'Wilson, E. B. (1927). Probable inference. *JASA*, 22(158), 209–212. doi:10.1080/01621459.1927.10502953'
    """
    names = [_name(a) for a in item.get("author", [])]
    if len(names) > 1:
        who = ", ".join(names[:-1]) + " & " + names[-1]
    else:
        who = names[0] if names else ""
    out = f"{who} ({_year(item, language)}). "
    title = item["title"].rstrip(".")
    if item.get("container-title"):
        out += f"{title}. *{item['container-title']}*"
        if item.get("volume"):
            out += f", {item['volume']}"
            if item.get("issue"):
                out += f"({item['issue']})"
        if item.get("page"):
            out += f", {item['page'].replace('-', '–')}"
        out += "."
    else:
        out += f"*{title}*"
        if item.get("edition"):
            out += " " + _m("ref.edition", language, n=item["edition"])
        out += "."
        if item.get("genre"):
            out += f" [{item['genre']}]."
        place = item.get("publisher-place")
        pub = item.get("publisher")
        if pub and pub not in names:
            out += f" {place + ': ' if place else ''}{pub}."
        elif place:
            out += f" {place}."
    if item.get("DOI"):  # as text, not a link: the page shows no link a reader cannot tell apart
        out += f" doi:{item['DOI']}"
    return out


def reference_list(items: list[dict], language: str = "sv") -> list[str]:
    """Every item formatted, sorted by first author and year."""

    def key(it):
        a = (it.get("author") or [{}])[0]
        return (str(a.get("family") or a.get("literal") or "").lower(), _year(it, language))

    return [format_reference(it, language) for it in sorted(items, key=key)]


def reference_markdown(items: list[dict], language: str = "sv") -> str:
    """The reference list as a Markdown list, each reference marked with its own language.

    A reference is written in the language of the work cited (an English
    title in a Swedish report): each item is wrapped in ``<span lang="..."
    translate="no">`` from its CSL ``language`` (default English), so screen
    readers pronounce it in that language and the report's language check
    does not read it as text of the report. The text comes from a file: it is
    made inert (:func:`evaluation.safehtml.inert_markdown`) before wrapping.

    >>> item = {"id": "b", "type": "book", "title": "Läsbarhet", "language": "sv",
    ...         "author": [{"family": "Björnsson", "given": "Carl-Hugo"}], "issued": {"date-parts": [[1968]]}}
    >>> print(reference_markdown([item], "en"))
    - <span lang="sv" translate="no">Björnsson, C. (1968). *Läsbarhet*.</span>
    """
    import html
    import re

    from ..safehtml import inert_markdown

    def item_lang(it: dict) -> str:
        code = str(it.get("language") or "en").split("-")[0].lower()
        return code if re.fullmatch(r"[a-z]{2,3}", code) else "en"

    def key(it):
        a = (it.get("author") or [{}])[0]
        return (str(a.get("family") or a.get("literal") or "").lower(), _year(it, language))

    return "\n".join(
        f'- <span lang="{html.escape(item_lang(it))}" translate="no">'
        f"{inert_markdown(format_reference(it, language))}</span>"
        for it in sorted(items, key=key)
    )


# ------------------------------------------------------------------ methods
def study_facts(ds) -> dict[str, Any]:
    """What the data hold, for the methods text: counts and periods (``None`` where a source is absent)."""
    f: dict[str, Any] = {}
    obs = ds.observations if "observations" in ds.sources else None
    if obs is not None:
        s = obs["sessions"]
        f.update(
            sessions=int(len(s)),
            zones=int(s["zone"].nunique()),
            observers=int(s["observer"].nunique()),
            first=str(pd.Timestamp(s["date"].min()).date()),
            last=str(pd.Timestamp(s["date"].max()).date()),
            minutes=int(round(float(s["minutes"].median()))),
            hours=float(s["minutes"].sum()) / 60,
        )
    fg = ds.focus_groups if "focus_groups" in ds.sources else None
    if fg is not None:
        c = fg["codings"]
        per_group = c.groupby("group")["coder"].nunique()
        f.update(
            groups=int(fg["participants"]["group"].nunique()),
            participants=int(len(fg["participants"])),
            roles=int(fg["participants"]["role"].nunique()),
            coders=int(c["coder"].nunique()),
            double_coded=int((per_group > 1).sum()),
        )
    if "survey" in ds.sources:
        f.update(
            survey_first=int(ds.survey["year"].min()), survey_last=int(ds.survey["year"].max())
        )
    if "crime" in ds.sources:
        r = ds.crime["reported"]
        col = "month" if "month" in r else ("date" if "date" in r else None)
        if col is not None:
            months = pd.to_datetime(r[col].astype(str)).dt.to_period("M")
            f.update(crime_first=str(months.min()), crime_last=str(months.max()))
    return f


def _list(values, language: str) -> str:
    from .findings import and_list, label

    vals = [label(str(v), language) for v in (values or [])]
    return and_list(vals, language) if vals else _m("none", language)


def methods_text(params: dict[str, Any], facts: dict[str, Any], language: str = "sv") -> str:
    """The methods appendix as Markdown: one section per method, with this run's values.

    ``params``: the run's parameters (``notebooks/params.yaml`` layered with
    the run's overrides); ``facts``: :func:`study_facts`. A source the data
    do not have is said to be absent instead of described with numbers.
    """
    from ..coding.reliability import THRESHOLDS
    from ..stats._inference import DISPERSION_THRESHOLD, MEAN_SPREAD_NB
    from .findings import family_label, target_group

    p = params
    sec = []
    m = lambda k, **v: _m(k, language, **v)  # noqa: E731
    group = target_group(
        {"gender": p.get("target_gender"), "age_band": p.get("target_age_band")}, language
    )
    if "sessions" in facts:
        sec.append(
            m(
                "protocol",
                sessions=facts["sessions"],
                zones=facts["zones"],
                observers=facts["observers"],
                first=facts["first"],
                last=facts["last"],
                minutes=facts["minutes"],
                hours=number(facts["hours"], language, 0),
            )
        )
    else:
        sec.append(m("heading.protocol") + "\n\n" + m("absent", source=m("source.observations")))
    sec.append(m("age", group=group))
    fam = p.get("count_family", "auto")
    sec.append(
        m(
            "count_model",
            group=group,
            states=_list(p.get("activation_states"), language),
            covariates=_list(p.get("covariates"), language),
            cluster=m(f"cluster.{p.get('cluster') or 'none'}"),
            family=m(
                "family_rule",
                threshold=number(DISPERSION_THRESHOLD, language, 1),
                spread=number(MEAN_SPREAD_NB, language, 0),
            )
            if fam == "auto"
            else family_label(fam, language),
        )
    )
    its_fam = p.get("its_family", "auto")
    sec.append(
        m(
            "its",
            area=_list([p.get("area")], language),
            categories=_list(p.get("categories"), language),
            intervention=p.get("intervention", ""),
            transition=p.get("transition", 0),
            end=p.get("its_end") or m("none"),
            seasonality=m(f"seasonality.{p.get('seasonality', 'fourier')}"),
            family=m("its_family_rule") if its_fam == "auto" else family_label(its_fam, language),
            hac=m("hac_none") if p.get("hac_lags") in (None, 0) else m("hac", lags=p["hac_lags"]),
            comparisons=_list(p.get("comparison_areas"), language),
            first=facts.get("crime_first", "?"),
            last=facts.get("crime_last", "?"),
        )
    )
    sec.append(
        m(
            "survey",
            item=_list([p.get("survey_item")], language),
            area=_list([p.get("area")], language),
            reference=_list([p.get("survey_reference")], language),
            first=facts.get("survey_first", "?"),
            last=facts.get("survey_last", "?"),
        )
    )
    if "groups" in facts:
        sec.append(
            m(
                "coding",
                groups=facts["groups"],
                participants=facts["participants"],
                roles=facts["roles"],
                coders=facts["coders"],
                double=facts["double_coded"],
            )
        )
    else:
        sec.append(m("heading.coding") + "\n\n" + m("absent", source=m("source.focus_groups")))
    sec.append(
        m(
            "reliability",
            reliable=number(THRESHOLDS[1], language, 3).rstrip("0").rstrip(",."),
            tentative=number(THRESHOLDS[0], language, 3),
        )
    )
    min_cell = int(p.get("min_cell", 5))
    sec.append(m("suppression", min_cell=min_cell, min_cell_minus=min_cell - 1))
    sec.append(
        m(
            "quotes",
            min_quote_group=p.get("min_quote_group", 3),
            quotes_per_theme=p.get("quotes_per_theme", 2),
        )
    )
    sec.append(m("evidence"))
    return "\n\n".join(sec)


def glossary(language: str = "sv", zones: list[str] | None = None) -> pd.DataFrame:
    """The glossary: ``term`` and ``meaning``, in :data:`GLOSSARY_TERMS` order.

    ``zones``: the study's zone codes (``study.codes("zones")``); with two or
    more, the zone's meaning names the first two as examples (by their labels
    in ``language``), else it names none.

    >>> g = glossary("en", ["zone_a", "zone_b"])
    >>> g.iloc[2, 1]
    'A part of the square observed on its own, e.g. zone_a or zone_b.'
    >>> glossary("en").iloc[2, 1]
    'A part of the square observed on its own.'
    """
    from .findings import label

    def text(k: str) -> str:
        if k == "zone" and zones is not None and len(zones) >= 2:
            first, second = (label(str(z), language) for z in zones[:2])
            return _m("glossary.zone.text_examples", language, first=first, second=second)
        return _m(f"glossary.{k}.text", language)

    return pd.DataFrame(
        [(_m(f"glossary.{k}.term", language), text(k)) for k in GLOSSARY_TERMS],
        columns=[_m("glossary.heading_term", language), _m("glossary.heading_text", language)],
    )


def ethics_text(meta: ReportMetadata, min_cell: int = 5, language: str = "sv") -> str:
    """The ethics and consent statement: as the metadata state it, else that it is not stated.

    The privacy paragraph (what the toolkit does: counts without identities,
    pseudonyms, the small-number rule, the leak scan) follows always.
    """
    parts = []
    if meta.ethics:
        parts.append(_m("ethics", language, text=meta.ethics))
    if meta.consent:
        parts.append(_m("consent", language, text=meta.consent))
    if not parts:
        parts.append(_m("ethics_none", language))
    parts.append(_m("privacy", language, min_cell=min_cell))
    return "\n\n".join(parts)


def metadata_note(meta: ReportMetadata, language: str = "sv") -> str:
    """Where the report's metadata came from (the files), or that no file states them."""
    files = list(dict.fromkeys(meta.source.values()))
    if not files:
        return _m("meta.no_file", language)
    from .findings import and_list

    return _m("meta.from_file", language, files=and_list(files, language))


#: The report metadata of the synthetic example data (``report.yaml``): it says that the data
#: are synthetic and what a real study states in each field.
EXAMPLE_REPORT_YAML = """\
# Report metadata (optional; see data/README.md). A real study states who wrote the report, who
# commissioned it, and the ethics approval and consent; study.yaml's fields take precedence.
title:
  sv: Exempelrapport på syntetiska data
  en: Example report on synthetic data
authors:
  - name: sergel-eval
    affiliation: {sv: exempeldata, en: example data}
commissioned_by:
  sv: Ingen (syntetiska exempeldata; en verklig studie anger beställaren här)
  en: None (synthetic example data; a real study names the commissioning body here)
ethics:
  sv: >-
    Exempeldata är syntetiska och gäller inga personer, så ingen etikprövning behövs. En verklig
    studie anger här Etikprövningsmyndighetens beslut med diarienummer.
  en: >-
    The example data are synthetic and concern no one, so no ethics review is needed. A real study
    states the Swedish Ethical Review Authority's decision and its reference number here.
consent:
  sv: >-
    Inga personer deltog. I en verklig studie: de professionella i fokusgrupperna ger skriftligt
    informerat samtycke; platsobservationerna räknar personer utan att identifiera dem.
  en: >-
    No one took part. In a real study: the professionals in the focus groups give written informed
    consent; the site observations count people without identifying them.
"""


def write_example_report(out_dir: str | Path) -> Path:
    """Write :data:`EXAMPLE_REPORT_YAML` to ``<out_dir>/report.yaml`` (used by the generator)."""
    out = Path(out_dir) / "report.yaml"
    out.write_text(EXAMPLE_REPORT_YAML, encoding="utf-8")
    return out
