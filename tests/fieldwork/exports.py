"""Small exports shaped like KoBoToolbox's and ODK Central's, built in code.

Written from the tools' documentation of their export formats:

- KoBoToolbox, "XML values and headers", groups included with the separator
  ``/``: the main sheet (named after the form) has the fields by group path,
  then ``__version__, _id, _uuid, _submission_time, _validation_status,
  _notes, _status, _submitted_by, _tags, _index``; a repeat group has its own
  sheet with its fields, then ``_index, _parent_table_name, _parent_index,
  _submission__id, _submission__uuid, _submission__submission_time, ...``.
  CSV exports hold the main table only, separated by ``;`` and quoted.
- ODK Central, "submissions.csv.zip": ``<form id>.csv`` with
  ``SubmissionDate``, the fields with group paths joined by ``-``, then
  ``meta-instanceID, KEY, SubmitterID, SubmitterName, AttachmentsPresent,
  AttachmentsExpected, Status, ReviewState, DeviceID, Edits, FormVersion``;
  ``<form id>-<group path>-<repeat>.csv`` per repeat group, its fields named
  relative to the repeat, then ``PARENT_KEY`` and ``KEY``
  (``<parent KEY>/<group>/<repeat>[n]``).
  Times are ``HH:MM:SS.sss+hh:mm``, dates ``YYYY-MM-DD``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from evaluation.fieldwork.form import count_name, field_paths, incident_name
from evaluation.fieldwork.vocab import load_vocabulary
from evaluation.sources.codes import ACTIVITIES, GENDERS
from evaluation.sources.study import load_study

_EXAMPLE_STUDY = load_study(Path(__file__).resolve().parents[2] / "data" / "example")
AGE_BANDS = _EXAMPLE_STUDY.codes("age_bands")
INCIDENT_KINDS = _EXAMPLE_STUDY.codes("incident_kinds")

FORM_ID = "site_observation"
PATHS = field_paths(load_vocabulary(Path(__file__).resolve().parents[2] / "data" / "example"))
KOBO_META = [
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]
ODK_META = [
    "meta-instanceID",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
]


def uuid(n: int) -> str:
    return f"{n:08x}-1f0a-4a5b-9c7d-0e1f2a3b4c5d"


def submission(n: int, **over) -> dict:
    """One filled-in observation form; counts are ``(n + cell index) % 4``."""
    s = {
        "observer": "obs_a",
        "session_date": "2024-06-14",
        "start_time": f"{10 + n % 9:02d}:00:00.000+02:00",
        "end_time": f"{10 + n % 9:02d}:45:00.000+02:00",
        "zone": "plattan",
        "activation": "art",
        "weather": "sunny",
        "temperature_c": "21.5",
        "anyone_seen": "yes",
        "note": "",
        "_uuid": uuid(n),
        "_submission_time": f"2024-06-14T{10 + n % 9:02d}:52:07",
        "_review": "",
    }
    i = 0
    for a in ACTIVITIES:
        for g in GENDERS:
            for band in AGE_BANDS:
                s[count_name(a, g, band)] = str((n + i) % 4)
                i += 1
    for k in INCIDENT_KINDS:
        s[incident_name(k)] = "1" if k == "drug_sale" else "0"
    s.update(over)
    return s


def _fields() -> list[str]:
    return [n for n in PATHS]


def kobo_rows(subs: list[dict], typed: bool = False) -> tuple[list[str], list[list]]:
    header = ["/".join([*PATHS[f], f]) for f in _fields()] + KOBO_META
    rows = []
    for i, s in enumerate(subs, start=1):
        vals = []
        for f in _fields():
            v = s.get(f, "")
            if typed and v and f.startswith(("n_", "i_")):
                v = int(v)  # "store numbers as numbers": Excel numbers
            if typed and f == "session_date" and v:
                v = dt.datetime.fromisoformat(v)  # an Excel date
            vals.append(v)
        status = {
            "rejected": "validation_status_not_approved",
            "approved": "validation_status_approved",
        }
        vals += [
            1000 + i if typed else str(1000 + i),
            s["_uuid"],
            s["_submission_time"],
            status.get(s["_review"], ""),
            "",
            "submitted_via_web",
            "",
            "vAbCdEf123",
            "",
            i if typed else str(i),
        ]
        rows.append(vals)
    return header, rows


def kobo_xlsx(
    path: Path, subs: list[dict], incidents: dict[int, list[tuple[str, int]]] | None = None
):
    """A KoBoToolbox XLSX export; ``incidents`` maps a row (1-based) to a repeat's entries."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Platsobservation"
    header, rows = kobo_rows(subs, typed=True)
    ws.append(header)
    for r in rows:
        ws.append(r)
    if incidents:
        rep = wb.create_sheet("incident")
        rep.append(
            [
                "incidents/incident/incident_kind",
                "incidents/incident/incident_count",
                "_index",
                "_parent_table_name",
                "_parent_index",
                "_submission__id",
                "_submission__uuid",
                "_submission__submission_time",
                "_submission__validation_status",
                "_submission__notes",
                "_submission__status",
                "_submission__submitted_by",
                "_submission___version__",
                "_submission__tags",
            ]
        )
        k = 0
        for parent, entries in incidents.items():
            s = subs[parent - 1]
            for kind, count in entries:
                k += 1
                rep.append(
                    [
                        kind,
                        count,
                        k,
                        "Platsobservation",
                        parent,
                        1000 + parent,
                        s["_uuid"],
                        s["_submission_time"],
                        "",
                        "",
                        "submitted_via_web",
                        "",
                        "vAbCdEf123",
                        "",
                    ]
                )
    wb.save(path)
    return path


def kobo_csv(path: Path, subs: list[dict]):
    """A KoBoToolbox CSV export: ';'-separated, every value quoted."""
    header, rows = kobo_rows(subs)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def odk_zip(
    path: Path, subs: list[dict], incidents: dict[int, list[tuple[str, int]]] | None = None
):
    """ODK Central's submissions CSV zip (``<form id>.csv`` and one file per repeat)."""
    header = ["SubmissionDate"] + ["-".join([*PATHS[f], f]) for f in _fields()] + ODK_META
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for s in subs:
        key = "uuid:" + s["_uuid"]
        review = {"rejected": "rejected", "approved": "approved"}.get(s["_review"], "")
        w.writerow(
            [s["_submission_time"] + ".123Z"]
            + [s.get(f, "") for f in _fields()]
            + [
                key,
                key,
                "5",
                "Observer tablet 1",
                "0",
                "0",
                "",
                review,
                "collect:abc",
                "0",
                "vAbCdEf123",
            ]
        )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{FORM_ID}.csv", buf.getvalue())
        if incidents:
            rb = io.StringIO()
            rw = csv.writer(rb, lineterminator="\n")
            rw.writerow(["incident_kind", "incident_count", "PARENT_KEY", "KEY"])
            for parent, entries in incidents.items():
                key = "uuid:" + subs[parent - 1]["_uuid"]
                for j, (kind, count) in enumerate(entries, start=1):
                    rw.writerow([kind, count, key, f"{key}/incidents/incident[{j}]"])
            zf.writestr(f"{FORM_ID}-incidents-incident.csv", rb.getvalue())
        zf.writestr("media/", "")
    return path
