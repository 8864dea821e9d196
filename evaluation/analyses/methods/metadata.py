"""The report's metadata: who wrote it, for whom, and the ethics and consent statement.

:func:`report_metadata` reads the authors, the commissioning body and the
ethics and consent statement from the data folder's ``study.yaml`` (when it
has these fields) or ``report.yaml``; what neither states is "not stated"
(:func:`metadata_table`, :func:`ethics_text`, :func:`metadata_note`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import DataError, Problem
from ...i18n import t
from ...textio import confine
from ...yamlio import load_yaml_file
from ..findings import and_list

__all__ = [
    "METADATA_FILES",
    "METADATA_FIELDS",
    "ReportMetadata",
    "report_metadata",
    "metadata_table",
    "metadata_note",
    "ethics_text",
    "EXAMPLE_REPORT_YAML",
    "write_example_report",
]

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


def _m(key: str, language: str, **values: Any) -> str:
    return t(f"methods.{key}", language, **values)


@dataclass
class ReportMetadata:
    """Who wrote the report, for whom, and the ethics and consent statement.

    Each field is the text found, or ``None`` when not stated; ``source``
    names the file each field came from (``study.yaml`` or ``report.yaml``).

    Examples
    --------
    >>> ReportMetadata(title="Norrtorget", source={"title": "study.yaml"}).authors
    []
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

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = write_example_report(d)
    ...     meta = report_metadata(d, "en")
    >>> meta.title, meta.source["ethics"]
    ('Example report on synthetic data', 'report.yaml')
    """
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
            _take_fields(meta, doc, name, str(p), language)
    return meta


def _take_fields(
    meta: ReportMetadata, doc: dict[str, Any], name: str, file: str, language: str
) -> None:
    """The fields ``doc`` states that no earlier file did, into ``meta`` (``source``: ``name``)."""
    for fld, names in METADATA_FIELDS.items():
        if fld in meta.source:
            continue
        key = next((k for k in names if doc.get(k) not in (None, "", [])), None)
        if key is None:
            continue
        if fld == "authors":
            meta.authors = _authors(doc[key], language, file)
        else:
            setattr(meta, fld, _text(doc[key], language, file, key))
        meta.source[fld] = name


def metadata_table(meta: ReportMetadata, language: str = "sv") -> pd.DataFrame:
    """The metadata as a two-column table (field, value); "not stated" where missing.

    Examples
    --------
    >>> metadata_table(ReportMetadata(authors=["A", "B"]), "en").iloc[1].tolist()
    ['Authors', 'A and B']
    """
    none = _m("not_stated", language)
    rows = [
        (_m("meta.title", language), meta.title or none),
        (_m("meta.authors", language), and_list(meta.authors, language) if meta.authors else none),
        (_m("meta.commissioned_by", language), meta.commissioned_by or none),
        (_m("meta.contact", language), meta.contact or none),
    ]
    return pd.DataFrame(rows, columns=[_m("meta.field", language), _m("meta.value", language)])


def ethics_text(meta: ReportMetadata, min_cell: int = 5, language: str = "sv") -> str:
    """The ethics and consent statement: as the metadata state it, else that it is not stated.

    The privacy paragraph (what the toolkit does: counts without identities,
    pseudonyms, the small-number rule, the leak scan) follows always.

    Examples
    --------
    >>> text = ethics_text(ReportMetadata(ethics="Approved (Dnr 2024-01234)."), 5, "en")
    >>> "Approved (Dnr 2024-01234)." in text, len(text.splitlines()) > 1
    (True, True)
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
    """Where the report's metadata came from (the files), or that no file states them.

    Examples
    --------
    >>> metadata_note(ReportMetadata(), "en") != metadata_note(ReportMetadata(source={"title": "report.yaml"}), "en")
    True
    """
    files = list(dict.fromkeys(meta.source.values()))
    if not files:
        return _m("meta.no_file", language)
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
    """Write :data:`EXAMPLE_REPORT_YAML` to ``<out_dir>/report.yaml`` (used by the generator).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_example_report(d).name
    'report.yaml'
    """
    out = Path(out_dir) / "report.yaml"
    out.write_text(EXAMPLE_REPORT_YAML, encoding="utf-8")
    return out
