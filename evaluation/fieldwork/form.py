"""The observation protocol as an XLSForm, for ODK Collect and KoBoToolbox.

:func:`build_form` lays out the three sheets of an XLSForm (``survey``,
``choices``, ``settings``) from the study's :class:`~.vocab.Vocabulary`;
:func:`write_form` saves them as ``.xlsx`` with openpyxl and
:func:`check_form` converts the file with pyxform, the reference converter
that ODK Central and KoBoToolbox use, and returns its warnings.

The field names are the contract between the form and the import
(:mod:`evaluation.fieldwork.importer`): ``observer``, ``session_date``,
``start_time``, ``end_time``, ``zone``, ``activation``, ``weather``,
``temperature_c``, ``anyone_seen``, one integer ``n_<activity>_<gender>_<age>``
per cell of the count grid (:func:`count_name`), one integer ``i_<kind>`` per
incident kind (:func:`incident_name`) and ``note``. Groups only lay out the
pages; the import reads a field by its own name whatever the group path.

References
----------
XLSForm specification, https://xlsform.org/en/ (survey, choices and settings
sheets; ``label::Language (code)`` columns; ``relevant``, ``constraint``,
``default``; the ``field-list`` appearance).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

from ..errors import ParameterError
from ..i18n import t
from .vocab import Vocabulary, age_name, load_vocabulary

__all__ = [
    "LANGUAGES",
    "FIELDS",
    "count_name",
    "incident_name",
    "field_paths",
    "build_form",
    "write_form",
    "check_form",
]

#: The form's languages, as XLSForm column suffixes (``label::Svenska (sv)``).
LANGUAGES = {"sv": "Svenska (sv)", "en": "English (en)"}

#: The session fields of the form (name -> column of observations/sessions.csv).
FIELDS = {
    "observer": "observer",
    "session_date": "date",
    "start_time": "start",
    "end_time": "end",
    "zone": "zone",
    "activation": "activation",
    "weather": "weather",
    "temperature_c": "temperature_c",
}

_MAX_COUNT = 999


def count_name(activity: str, gender: str, age_band: str) -> str:
    """The form field of one count cell.

    Examples
    --------
    >>> count_name("staying", "female", "13-18")
    'n_staying_female_13_18'
    """
    return f"n_{activity}_{gender}_{age_name(age_band)}"


def incident_name(kind: str) -> str:
    """The form field of one incident kind.

    Examples
    --------
    >>> incident_name("drug_sale")
    'i_drug_sale'
    """
    return f"i_{kind}"


def _labels(prefix: str, sv: str, en: str) -> dict[str, str]:
    return {f"{prefix}::{LANGUAGES['sv']}": sv, f"{prefix}::{LANGUAGES['en']}": en}


def _msg(key: str, prefix: str = "label", **values) -> dict[str, str]:
    return _labels(
        prefix,
        t(f"fieldwork.form.{key}", "sv", **values),
        t(f"fieldwork.form.{key}", "en", **values),
    )


def build_form(vocab: Vocabulary | None = None) -> dict[str, list[dict[str, str]]]:
    """The XLSForm as ``{sheet: [row dict, ...]}`` (survey, choices, settings).

    Parameters
    ----------
    vocab : Vocabulary, optional
        The study's codes; :func:`~.vocab.load_vocabulary` without a folder
        (one placeholder zone) when omitted.

    Examples
    --------
    >>> form = build_form(load_vocabulary("data/example"))
    >>> [r["name"] for r in form["survey"][:4]]
    ['session', 'observer', 'session_date', 'start_time']
    >>> sum(r["type"] == "integer" for r in form["survey"])  # 3 x 5 x 2 counts + 6 incidents
    36
    """
    v = vocab or load_vocabulary()
    survey: list[dict[str, str]] = []
    choices: list[dict[str, str]] = []

    def q(type_: str, name: str, **cols) -> None:
        survey.append({"type": type_, "name": name, **cols})

    def choice_list(list_name: str, items) -> None:
        for c in items:
            choices.append({"list_name": list_name, "name": c.code, **_labels("label", c.sv, c.en)})

    required = {"required": "yes"}
    q("begin_group", "session", **_msg("session"))
    q(
        "text",
        "observer",
        **_msg("observer"),
        **_msg("observer_hint", "hint"),
        **required,
        constraint="regex(., '^[a-z0-9][a-z0-9_]*$')",
        **_msg("observer_constraint", "constraint_message"),
    )
    q("date", "session_date", **_msg("date"), **required)
    q("time", "start_time", **_msg("start"), **_msg("start_hint", "hint"), **required)
    q(
        "time",
        "end_time",
        **_msg("end"),
        **_msg("end_hint", "hint"),
        **required,
        # later than start, or (crossing midnight) earlier by at least 12 h: at most 12 h
        constraint="decimal-time(.) > decimal-time(${start_time})"
        " or decimal-time(${start_time}) - decimal-time(.) >= 0.5",
        **_msg("end_constraint", "constraint_message"),
    )
    q("select_one zone", "zone", **_msg("zone"), **required)
    q("select_one activation", "activation", **_msg("activation"), **required)
    q("select_one weather", "weather", **_msg("weather"))
    q(
        "decimal",
        "temperature_c",
        **_msg("temperature"),
        constraint=". >= -40 and . <= 45",
        **_msg("temperature_constraint", "constraint_message"),
    )
    q("end_group", "")
    q(
        "select_one yes_no",
        "anyone_seen",
        **_msg("anyone_seen"),
        **_msg("anyone_seen_hint", "hint"),
        **required,
    )
    for act in v.activities:
        for g in v.genders:
            q(
                "begin_group",
                f"c_{act.code}_{g.code}",
                **_labels(
                    "label",
                    t("fieldwork.form.count_group", "sv", activity=act.sv, gender=g.sv),
                    t("fieldwork.form.count_group", "en", activity=act.en, gender=g.en),
                ),
                appearance="field-list",
                relevant="${anyone_seen} = 'yes'",
            )
            for a in v.age_bands:
                q(
                    "integer",
                    count_name(act.code, g.code, a.code),
                    **_labels("label", a.sv, a.en),
                    **_msg("count_hint", "hint"),
                    **required,
                    default="0",
                    constraint=f". >= 0 and . <= {_MAX_COUNT}",
                    **_msg("count_constraint", "constraint_message"),
                )
            q("end_group", "")
    q(
        "begin_group",
        "incidents",
        **_msg("incidents"),
        **_msg("incident_hint", "hint"),
        appearance="field-list",
    )
    for k in v.incident_kinds:
        q(
            "integer",
            incident_name(k.code),
            **_labels("label", k.sv, k.en),
            **required,
            default="0",
            constraint=f". >= 0 and . <= {_MAX_COUNT}",
            **_msg("count_constraint", "constraint_message"),
        )
    q("end_group", "")
    q("text", "note", **_msg("note"), **_msg("note_hint", "hint"), appearance="multiline")

    choice_list("zone", v.zones)
    choice_list("activation", v.activations)
    choice_list("weather", v.weather)
    for code, key in (("yes", "answer_yes"), ("no", "answer_no")):
        choices.append({"list_name": "yes_no", "name": code, **_msg(key)})

    body = json.dumps([survey, choices], sort_keys=True, ensure_ascii=False).encode()
    settings = [
        {
            "form_title": v.title.sv,
            "form_id": v.title.code,
            "version": "v" + hashlib.sha256(body).hexdigest()[:10],
            "default_language": LANGUAGES["sv"],
            "instance_name": "concat(${session_date}, ' ', ${zone}, ' ', ${start_time}, ' ', ${observer})",
        }
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def field_paths(vocab: Vocabulary | None = None) -> dict[str, list[str]]:
    """Every data field of the form with its group path (outermost first).

    Examples
    --------
    >>> field_paths()["observer"], field_paths()["note"]
    (['session'], [])
    """
    path: list[str] = []
    out: dict[str, list[str]] = {}
    for row in build_form(vocab)["survey"]:
        if row["type"] == "begin_group":
            path.append(row["name"])
        elif row["type"] == "end_group":
            path.pop()
        else:
            out[row["name"]] = list(path)
    return out


def write_form(
    out: str | Path, data: str | Path | None = None, vocab: Vocabulary | None = None
) -> Path:
    """Write the XLSForm of the study in ``data`` to ``out`` (``.xlsx``).

    Parameters
    ----------
    out : path
        The file to write; must end in ``.xlsx``.
    data : path, optional
        The data folder whose zones (and ``study.yaml``) the form offers.
    vocab : Vocabulary, optional
        Instead of ``data``.

    Returns
    -------
    Path
        ``out``. Its bytes depend only on the vocabulary (a fixed timestamp).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_form(pathlib.Path(tmp) / "observation_form.xlsx", "data/example")
    ...     check_form(path)  # pyxform's warnings: none
    []
    """
    from datetime import datetime

    from openpyxl import Workbook

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ParameterError(f"observations form: --out {out} must end in .xlsx")
    form = build_form(vocab or load_vocabulary(data))
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, rows in form.items():
        ws = wb.create_sheet(sheet)
        header = list(dict.fromkeys(k for r in rows for k in r))
        ws.append(header)
        for r in rows:
            ws.append([r.get(h, "") or None for h in header])
    fixed = datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    out.write_bytes(_fixed_zip_times(buffer.getvalue()))
    return out


def _fixed_zip_times(data: bytes) -> bytes:
    """The xlsx (a zip) dated 2000-01-01 throughout, so equal forms are equal bytes.

    openpyxl dates the zip members and the ``modified`` property with the
    clock (whatever the workbook says); two writes a second apart differed.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>2000-01-01T00:00:00Z\2", body
                )
            dst.writestr(fixed, body)
    return out.getvalue()


def check_form(path: str | Path) -> list[str]:
    """Convert the XLSForm with pyxform; return its warnings (an error raises).

    Raises
    ------
    pyxform.errors.PyXFormError
        The form does not convert.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> form = write_form(pathlib.Path(tempfile.mkdtemp()) / "form.xlsx")  # no study: placeholders
    >>> check_form(form)
    []
    """
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    convert(xlsform=str(path), warnings=warnings)
    return warnings
