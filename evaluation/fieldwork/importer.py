"""Merging the observers' submissions into ``observations/*.csv`` of a data folder.

:func:`import_submissions` reads an export (:func:`~.exports.read_export`),
turns every submission of the observation form (:mod:`.form`) into one row of
``sessions.csv``, one row per count cell in ``counts.csv`` and one row per
incident kind in ``incidents.csv``, and appends what is new:

- the session id is derived from the submission's UUID (``u`` and its first
  16 hex digits), the same whichever tool exported it, so importing the same
  export twice changes nothing (idempotent);
- a submission already in the folder with *different* values is a conflict:
  reported with the differences, never overwritten;
- a submission that breaks the data contract (unknown zone, end not after
  start, a negative or missing count, ...) or that a reviewer rejected in
  KoBoToolbox or ODK Central is not imported and is listed with its reasons;
- the folder is validated with the new rows before anything is written; the
  files are then replaced atomically. The export is only read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..sources.observations import COUNTS, INCIDENTS, SESSIONS
from .exports import Export, read_export
from .form import field_paths
from .submission import Rejected, Submission, parse_submission
from .vocab import Vocabulary, load_vocabulary

__all__ = ["Rejected", "Conflict", "ImportReport", "session_id_for", "import_submissions"]

_INCIDENT_REPEAT = ("incident_kind", "incident_count")


@dataclass(frozen=True)
class Conflict:
    """A submission already in the folder with other values (not overwritten).

    Examples
    --------
    >>> c = Conflict("u6b2d8c3e1f0a4a5b", "6b2d8c3e-...", "export.csv:2", ("zone: 'a' in the folder, 'b' in the export",))
    >>> c.differences[0]
    "zone: 'a' in the folder, 'b' in the export"
    """

    session_id: str
    uuid: str
    where: str
    differences: tuple[str, ...]


@dataclass
class ImportReport:
    """What an import did.

    Attributes
    ----------
    export : Path
    into : Path
    tool : str
    submissions : int
        Rows in the export.
    added, unchanged : list of str
        Session ids appended, and those already in the folder with the same values.
    conflicts : list of Conflict
    rejected : list of Rejected
        One entry per reason (a submission may have several).
    written : list of str
        Files rewritten (empty when nothing was new).
    notes : list of str
        Things to check that are not errors: sessions of two observers in the
        same zone on the same date whose times overlap but differ (a double
        observation needs identical date, zone, start and end to be paired).

    Examples
    --------
    >>> r = ImportReport(Path("export.csv"), Path("data"), "kobo_csv", 1, added=["u6b2d8c3e1f0a4a5b"])
    >>> print(r.summary())
    export.csv (kobo_csv): 1 submission(s); 1 added, 0 already imported, 0 conflict(s), 0 rejected
    no file changed
    """

    export: Path
    into: Path
    tool: str
    submissions: int = 0
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rejected_table(self) -> pd.DataFrame:
        """``uuid, where, field, reason``: one row per reason."""
        return pd.DataFrame(
            [r.__dict__ for r in self.rejected], columns=["uuid", "where", "field", "reason"]
        )

    def summary(self) -> str:
        """A plain-text account, one line per conflict, rejection and note."""
        n_rej = len({r.uuid or r.where for r in self.rejected})
        out = [
            f"{self.export.name} ({self.tool}): {self.submissions} submission(s); "
            f"{len(self.added)} added, {len(self.unchanged)} already imported, "
            f"{len(self.conflicts)} conflict(s), {n_rej} rejected",
        ]
        for c in self.conflicts:
            out.append(
                f"  CONFLICT {c.where} (uuid {c.uuid}, session {c.session_id}): already in "
                f"{self.into} with other values, not overwritten: " + "; ".join(c.differences)
            )
        for r in self.rejected:
            out.append(f"  REJECTED {r.where} (uuid {r.uuid or '?'}): {r.field}: {r.reason}")
        out.extend(f"  NOTE {n}" for n in self.notes)
        out.append("wrote " + ", ".join(self.written) if self.written else "no file changed")
        return "\n".join(out)


def session_id_for(uuid: str) -> str:
    """The session id of a submission: ``u`` and the first 16 hex digits of its UUID.

    Examples
    --------
    >>> session_id_for("uuid:6B2D8C3E-1F0A-4A5B-9C7D-0E1F2A3B4C5D")
    'u6b2d8c3e1f0a4a5b'
    """
    u = uuid.strip().lower()
    u = u[5:] if u.startswith("uuid:") else u
    hexd = u.replace("-", "")
    if not re.fullmatch(r"[0-9a-f]{16,}", hexd):
        hexd = hashlib.sha256(u.encode()).hexdigest()
    return "u" + hexd[:16]


def _read_rows(path: Path, columns: list[str]) -> tuple[list[str], list[dict[str, str]], str]:
    """Header, rows and newline of a CSV file (or the contract's header if absent)."""
    if not path.exists():
        return columns, [], "\n"
    raw = path.read_bytes().decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in raw else "\n"
    rows = list(csv.reader(io.StringIO(raw)))
    if not rows:
        return columns, [], newline
    header = [h.strip() for h in rows[0]]
    return header, [dict(zip(header, r, strict=False)) for r in rows[1:] if any(r)], newline


def _append(path: Path, header: list[str], rows: list[dict[str, str]], newline: str) -> bytes:
    """The file's bytes with ``rows`` appended (existing bytes kept as they are)."""
    old = path.read_bytes() if path.exists() else b""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    if not old:
        w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header])
    if old and not old.endswith(b"\n"):
        old += newline.encode()
    return old + buf.getvalue().encode("utf-8")


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def import_submissions(
    export: str | Path, into: str | Path, *, vocab: Vocabulary | None = None
) -> ImportReport:
    """Import an export of the observation form into a data folder.

    Parameters
    ----------
    export : path
        KoBoToolbox XLSX or CSV ("XML values and headers") or ODK Central's
        CSV zip (:func:`~.exports.read_export`). Only read.
    into : path
        The data folder; ``observations/zones.csv`` must exist (the zones are
        checked against it). ``sessions.csv``, ``counts.csv`` and
        ``incidents.csv`` are created or appended to.
    vocab : Vocabulary, optional
        The codes; read from ``into`` by default.

    Returns
    -------
    ImportReport

    Raises
    ------
    DataError
        The export is unreadable or lacks the form's fields, the folder has no
        zones, or the folder would not validate with the new rows (then
        nothing is written).

    Examples
    --------
    A folder with the example's zones and study definition, and a KoBoToolbox
    CSV export of one submission in which no one was seen:

    >>> import shutil, tempfile
    >>> from evaluation.paths import EXAMPLE_DATA, resolve
    >>> from evaluation.fieldwork.form import field_paths
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "observations").mkdir()
    >>> _ = shutil.copy(resolve(EXAMPLE_DATA) / "observations" / "zones.csv", folder / "observations")
    >>> _ = shutil.copy(resolve(EXAMPLE_DATA) / "study.yaml", folder)
    >>> fields = field_paths(load_vocabulary(folder))
    >>> zone = (folder / "observations" / "zones.csv").read_text().splitlines()[1].split(",")[0]
    >>> answers = {"observer": "obs_a", "session_date": "2025-06-02", "start_time": "14:00",
    ...            "end_time": "14:45", "zone": zone, "activation": "none",
    ...            "weather": "sunny", "temperature_c": "18", "anyone_seen": "no"}
    >>> header = ["/".join([*group, f]) for f, group in fields.items()]
    >>> header += ["_uuid", "_submission_time", "_index"]
    >>> row = [answers.get(f, "0" if f.startswith(("n_", "i_")) else "") for f in fields]
    >>> row += ["6b2d8c3e-1f0a-4a5b-9c7d-0e1f2a3b4c5d", "2025-06-02T15:00:00", "1"]
    >>> export = folder / "export.csv"
    >>> _ = export.write_text(";".join(header) + "\\n" + ";".join(row) + "\\n", encoding="utf-8")
    >>> import_submissions(export, folder).added
    ['u6b2d8c3e1f0a4a5b']
    >>> import_submissions(export, folder).unchanged  # a second import changes nothing
    ['u6b2d8c3e1f0a4a5b']
    """
    into = Path(into)
    obs = into / "observations"
    if not (obs / "zones.csv").exists():
        raise DataError(
            [
                Problem(
                    str(obs / "zones.csv"),
                    None,
                    None,
                    "no zones file in the target folder",
                    "observations/zones.csv of the study (copy it there before the first import)",
                )
            ]
        )
    vocab = vocab or load_vocabulary(into)
    ex: Export = read_export(export)
    report = ImportReport(Path(export), into, ex.tool, submissions=len(ex.main))
    _check_columns(ex, vocab)
    zones = vocab.codes("zones")

    repeat = next((r for r in ex.repeats.values() if _INCIDENT_REPEAT[0] in r.columns), None)
    by_parent = dict(tuple(repeat.groupby("_parent"))) if repeat is not None else {}

    s_head, s_rows, s_nl = _read_rows(obs / "sessions.csv", [f.name for f in SESSIONS.fields])
    c_head, c_rows, c_nl = _read_rows(obs / "counts.csv", [f.name for f in COUNTS.fields])
    i_head, i_rows, i_nl = _read_rows(obs / "incidents.csv", [f.name for f in INCIDENTS.fields])
    have_s = {r.get("session_id", ""): r for r in s_rows}
    have_c: dict[str, dict[tuple, str]] = {}
    for r in c_rows:
        key = (r.get("gender"), r.get("age_band"), r.get("activity"))
        have_c.setdefault(r.get("session_id", ""), {})[key] = r.get("count", "")
    have_i: dict[str, dict[str, str]] = {}
    for r in i_rows:
        have_i.setdefault(r.get("session_id", ""), {})[r.get("kind", "")] = r.get("count", "")

    new: dict[str, Submission] = {}
    for _, row in ex.main.iterrows():
        parsed, rej = parse_submission(row, vocab, zones, by_parent.get(row["_key"]))
        if parsed is None:
            report.rejected += rej
            continue
        sid = session_id_for(parsed.uuid)
        if sid in have_s:
            diffs = _differences(parsed, have_s[sid], have_c.get(sid, {}), have_i.get(sid, {}))
        elif sid in new:
            diffs = _differences(
                parsed,
                {"session_id": sid, **new[sid].session},
                {(c["gender"], c["age_band"], c["activity"]): c["count"] for c in new[sid].counts},
                {i["kind"]: i["count"] for i in new[sid].incidents},
            )
            if not diffs:
                continue  # the same submission twice in one export
        else:
            new[sid] = parsed
            continue
        if diffs:
            report.conflicts.append(Conflict(sid, parsed.uuid, parsed.where, tuple(diffs)))
        else:
            report.unchanged.append(sid)

    if not new:
        return report
    order = sorted(new, key=lambda k: (new[k].session["date"], new[k].session["start"], k))
    files = {
        "sessions.csv": _append(
            obs / "sessions.csv",
            s_head,
            [{"session_id": k, **new[k].session} for k in order],
            s_nl,
        ),
        "counts.csv": _append(
            obs / "counts.csv",
            c_head,
            [{"session_id": k, **c} for k in order for c in new[k].counts],
            c_nl,
        ),
        "incidents.csv": _append(
            obs / "incidents.csv",
            i_head,
            [{"session_id": k, **i} for k in order for i in new[k].incidents],
            i_nl,
        ),
    }
    _validate_then_write(obs, files)
    report.added = order
    report.notes = _near_pairs(s_rows, {k: new[k].session for k in order})
    report.written = [f"observations/{n}" for n in files]
    return report


def _near_pairs(old: list[dict[str, str]], new: dict[str, dict[str, str]]) -> list[str]:
    """New sessions overlapping another observer's session in the same zone with other times."""
    every = [(r.get("session_id", ""), r) for r in old] + list(new.items())
    notes = []
    for sid, s in new.items():
        for oid, o in every:
            if oid == sid or (oid in new and oid > sid):
                continue  # each pair once
            same_place = o.get("date") == s["date"] and o.get("zone") == s["zone"]
            if not same_place or o.get("observer") == s["observer"]:
                continue
            overlap = o.get("start", "") < s["end"] and s["start"] < o.get("end", "")
            if overlap and (o.get("start"), o.get("end")) != (s["start"], s["end"]):
                notes.append(
                    f"sessions {oid} ({o.get('observer')}, {o.get('start')}-{o.get('end')}) and "
                    f"{sid} ({s['observer']}, {s['start']}-{s['end']}) overlap in zone "
                    f"{s['zone']} on {s['date']} with different times: a double observation is "
                    "paired only when date, zone, start and end are identical"
                )
    return notes


def _differences(
    p: Submission, s_old: dict[str, str], c_old: dict[tuple, str], i_old: dict[str, str]
) -> list[str]:
    diffs = []
    for col, val in p.session.items():
        old = s_old.get(col, "")
        if not _same(str(old).strip(), val):
            diffs.append(f"{col}: {old!r} in the folder, {val!r} in the export")
    for c in p.counts:
        key = (c["gender"], c["age_band"], c["activity"])
        old = c_old.get(key, "0")
        if not _same(old, c["count"]):
            diffs.append(f"count {'/'.join(key)}: {old} in the folder, {c['count']} in the export")
    for i in p.incidents:
        old = i_old.get(i["kind"], "0")
        if not _same(old, i["count"]):
            diffs.append(f"incidents {i['kind']}: {old} in the folder, {i['count']} in the export")
    return diffs


def _check_columns(ex: Export, vocab: Vocabulary) -> None:
    needed = [
        n
        for n in field_paths(vocab)
        if n.startswith(("n_", "i_"))
        or n in ("observer", "session_date", "start_time", "end_time", "zone", "activation")
    ]
    missing = [n for n in needed if n not in ex.main.columns]
    if missing and len(ex.main):
        shown = ", ".join(missing[:6]) + (
            f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        )
        raise DataError(
            [
                Problem(
                    str(ex.path),
                    1,
                    shown,
                    f"{len(missing)} field(s) of the observation form missing from the export",
                    "an export of the form made by 'evaluation observations form' for this study, "
                    "with XML values and headers (not labels)",
                )
            ]
        )


def _validate_then_write(obs: Path, files: dict[str, bytes]) -> None:
    from ..sources import load_observations

    with tempfile.TemporaryDirectory(prefix="import-", dir=obs) as tmp:
        tmpd = Path(tmp)
        for f in ("zones.csv", "sessions.csv", "counts.csv", "incidents.csv"):
            if (obs / f).exists():
                shutil.copyfile(obs / f, tmpd / f)
        for name, data in files.items():
            (tmpd / name).write_bytes(data)
        _, problems = load_observations(tmpd)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DataError(
                [
                    Problem(
                        "observations/" + Path(p.file).name,
                        p.line,
                        p.column,
                        p.message + " (after the import; nothing was written)",
                        p.expected,
                    )
                    for p in errors
                ]
            )
        for name in files:
            os.replace(tmpd / name, obs / name)
