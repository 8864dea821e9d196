"""Reading the submissions as KoBoToolbox and ODK Central export them.

Three shapes are read, each only for reading (the export is never written):

- **KoBoToolbox XLSX** ("XML values and headers", groups included, group
  separator ``/``): the first sheet holds one row per submission, with the
  metadata columns ``_id``, ``_uuid``, ``_submission_time``,
  ``_validation_status``, ..., ``_index``; every repeat group has its own
  sheet whose rows point to their submission by ``_parent_index`` (the
  ``_index`` of the main sheet) and ``_submission__uuid``.
- **KoBoToolbox CSV** (the same columns; KoBoToolbox separates with ``;`` by
  default, ``,`` is also read). A CSV export holds no repeat groups.
- **ODK Central CSV zip** (``submissions.csv.zip``): ``<form id>.csv`` with
  ``SubmissionDate``, the fields (group path joined with ``-``),
  ``meta-instanceID``, ``KEY``, ``SubmitterID``, ..., ``ReviewState``, ...;
  each repeat group in ``<form id>-<group path>-<repeat>.csv`` linked by
  ``PARENT_KEY`` to the submission's ``KEY`` (a nested repeat's
  ``PARENT_KEY`` is its parent row's ``KEY``, ``<KEY>/<path>[n]``). A single
  ``<form id>.csv`` is read as well.

Columns are renamed to the field's own name (the last part of the group
path), so that the import does not depend on how the form groups its pages.

References
----------
KoBoToolbox documentation, "Exporting and downloading your data"
(https://support.kobotoolbox.org/export_download.html); ODK Central
documentation, "Submissions: CSV export"
(https://docs.getodk.org/central-submissions/) and the ODK Briefcase CSV
export format it follows (https://github.com/getodk/briefcase, docs/export-format.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem

__all__ = ["Export", "read_export"]


@dataclass
class Export:
    """Submissions read from one export file.

    Attributes
    ----------
    path : Path
    tool : str
        ``"kobo_xlsx"``, ``"kobo_csv"`` or ``"odk_central"``.
    main : DataFrame
        One row per submission, every value a string (``""`` if empty);
        columns are field names plus ``_uuid`` (the submission's stable UUID,
        without ``uuid:``), ``_submission_time``, ``_review`` (the review
        state: ``""``, ``approved``, ``rejected``, ...), ``_key`` (what
        repeat rows point to) and ``_where`` (sheet or file and row, for
        messages).
    repeats : dict of str to DataFrame
        Repeat group name -> rows, with ``_parent`` (the ``_key`` of their
        submission) and ``_where``.

    Examples
    --------
    >>> ex = Export(Path("export.csv"), "kobo_csv", pd.DataFrame({"_uuid": ["6b2d"]}))
    >>> ex.tool, len(ex.main), ex.repeats
    ('kobo_csv', 1, {})
    """

    path: Path
    tool: str
    main: pd.DataFrame
    repeats: dict[str, pd.DataFrame] = field(default_factory=dict)


def _text(v) -> str:
    """A cell as the text an XML-values export would hold."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _strip_uuid(u: str) -> str:
    u = u.strip()
    return u[5:] if u.lower().startswith("uuid:") else u


def _rename(columns: list[str], sep: str) -> list[str]:
    out, seen = [], set()
    for c in columns:
        name = c if c.startswith("_") else c.split(sep)[-1]
        if name in seen:  # keep the full path rather than lose a column
            name = c
        seen.add(name)
        out.append(name)
    return out


def _frame(header: list, rows: list[list], sep: str, where: str, first_line: int) -> pd.DataFrame:
    header = [_text(h) for h in header]
    n = len(header)
    data = [[_text(v) for v in (list(r) + [None] * n)[:n]] for r in rows]
    df = pd.DataFrame(data, columns=_rename(header, sep), dtype=object)
    df["_where"] = [f"{where}:{first_line + i}" for i in range(len(df))]
    blank = (df.drop(columns="_where") == "").all(axis=1)
    return df[~blank].reset_index(drop=True)


def _kobo_main(df: pd.DataFrame, label: str) -> pd.DataFrame:
    missing = [c for c in ("_uuid", "_index") if c not in df.columns]
    if missing:
        raise DataError(
            [
                Problem(
                    label,
                    1,
                    ", ".join(missing),
                    "not a KoBoToolbox export: metadata column(s) missing",
                    "an export with 'XML values and headers' and the metadata columns "
                    "_uuid, _submission_time, _index",
                )
            ]
        )
    root = df["rootUuid"] if "rootUuid" in df.columns else pd.Series("", index=df.index)
    df["_uuid"] = [_strip_uuid(r or u) for r, u in zip(root, df["_uuid"], strict=True)]
    if "_submission_time" not in df.columns:
        df["_submission_time"] = ""
    status = df.get("_validation_status", pd.Series("", index=df.index)).str.lower()
    df["_review"] = [
        "rejected"
        if "not_approved" in s or "not approved" in s
        else ("approved" if "approved" in s else ("on_hold" if "hold" in s else ""))
        for s in status
    ]
    df["_key"] = df["_index"]
    return df


def _read_kobo_xlsx(path: Path) -> Export:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged file
        raise DataError(
            [Problem(str(path), None, None, f"not a readable XLSX file ({exc})", "an .xlsx export")]
        ) from None
    try:
        sheets = {}
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if rows:
                sheets[ws.title] = _frame(
                    list(rows[0]), rows[1:], "/", f"{path.name}[{ws.title}]", 2
                )
    finally:
        wb.close()
    if not sheets:
        raise DataError([Problem(str(path), None, None, "the workbook is empty", "submissions")])
    names = list(sheets)
    main = _kobo_main(sheets[names[0]], f"{path.name}[{names[0]}]")
    repeats = {}
    for name in names[1:]:
        r = sheets[name]
        if "_parent_index" not in r.columns:
            continue  # not a repeat sheet (e.g. a sheet added by hand)
        r["_parent"] = r["_parent_index"]
        repeats[name] = r
    return Export(path, "kobo_xlsx", main, repeats)


def _sniff(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _csv_rows(text: str, label: str) -> tuple[list[str], list[list[str]]]:
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=_sniff(text)))
    except csv.Error as exc:
        raise DataError(
            [Problem(label, None, None, f"not a readable CSV file ({exc})", "a CSV export")]
        ) from None
    if not rows:
        raise DataError([Problem(label, None, None, "the file is empty", "a header row")])
    return rows[0], rows[1:]


def _decode(raw: bytes, label: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(label, None, None, f"not UTF-8 text ({exc.reason})", "UTF-8")]
        ) from None


def _odk(df: pd.DataFrame, label: str) -> pd.DataFrame:
    if "KEY" not in df.columns:
        raise DataError(
            [
                Problem(
                    label,
                    1,
                    "KEY",
                    "not an ODK Central export: no KEY column",
                    "the CSV of ODK Central's submissions export",
                )
            ]
        )
    df["_uuid"] = [_strip_uuid(k) for k in df["KEY"]]
    df["_submission_time"] = df.get("SubmissionDate", pd.Series("", index=df.index))
    df["_review"] = df.get("ReviewState", pd.Series("", index=df.index)).str.strip()
    df["_key"] = df["KEY"]
    return df


def _read_odk_zip(path: Path) -> Export:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise DataError(
            [Problem(str(path), None, None, f"not a readable zip file ({exc})", "a CSV zip")]
        ) from None
    with zf:
        tables = {}
        for info in zf.infolist():
            name = info.filename
            if name.endswith("/") or not name.lower().endswith(".csv") or "/" in name.strip("/"):
                continue  # folders and media/ attachments
            label = f"{path.name}[{name}]"
            header, rows = _csv_rows(_decode(zf.read(info), label), label)
            tables[name] = _frame(header, rows, "-", label, 2)
    mains = [n for n, t in tables.items() if "KEY" in t.columns and "PARENT_KEY" not in t.columns]
    if len(mains) != 1:
        raise DataError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"{len(mains)} main tables (CSV files with KEY and no PARENT_KEY) in the zip",
                    "ODK Central's submissions CSV zip: one <form id>.csv and one "
                    "<form id>-<repeat>.csv per repeat group",
                )
            ]
        )
    main_name = mains[0]
    main = _odk(tables[main_name], f"{path.name}[{main_name}]")
    stem = main_name[: -len(".csv")]
    repeats = {}
    for name, t in tables.items():
        if name == main_name or "PARENT_KEY" not in t.columns:
            continue
        rep = name[: -len(".csv")]
        rep = (rep[len(stem) + 1 :] if rep.startswith(stem + "-") else rep).split("-")[-1]
        # a nested repeat points to its parent repeat row; resolve to the submission's KEY
        t["_parent"] = [p.split("/")[0] for p in t["PARENT_KEY"]]
        repeats[rep] = t
    return Export(path, "odk_central", main, repeats)


def read_export(path: str | Path) -> Export:
    """Read a KoBoToolbox (XLSX, CSV) or ODK Central (CSV zip, CSV) export.

    Parameters
    ----------
    path : path
        ``.xlsx`` (KoBoToolbox), ``.zip`` (ODK Central) or ``.csv`` (either:
        told apart by ODK Central's ``KEY`` column).

    Returns
    -------
    Export

    Raises
    ------
    DataError
        The file is missing, unreadable, or not shaped like either tool's export.

    Examples
    --------
    An ODK Central CSV (group paths joined by ``-``; ``KEY`` tells it apart):

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "site_observation.csv"
    >>> _ = path.write_text(
    ...     "SubmissionDate,session-observer,session-zone,meta-instanceID,KEY,ReviewState\\n"
    ...     "2025-06-01T12:00:00.000Z,obs_a,zone_1,uuid:6b2d,uuid:6b2d,approved\\n",
    ...     encoding="utf-8")
    >>> ex = read_export(path)
    >>> ex.tool, ex.main.loc[0, ["observer", "zone", "_uuid", "_review", "_where"]].tolist()
    ('odk_central', ['obs_a', 'zone_1', '6b2d', 'approved', 'site_observation.csv:2'])
    """
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(str(path), None, None, "no such file", "an export file")])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_kobo_xlsx(path)
    if suffix == ".zip":
        return _read_odk_zip(path)
    if suffix == ".csv":
        header, rows = _csv_rows(_decode(path.read_bytes(), path.name), path.name)
        if "KEY" in header:
            return Export(
                path, "odk_central", _odk(_frame(header, rows, "-", path.name, 2), path.name)
            )
        return Export(
            path, "kobo_csv", _kobo_main(_frame(header, rows, "/", path.name, 2), path.name)
        )
    raise DataError(
        [
            Problem(
                str(path),
                None,
                None,
                f"unknown export type {suffix or '(no suffix)'}",
                ".xlsx or .csv (KoBoToolbox), .zip or .csv (ODK Central)",
            )
        ]
    )
