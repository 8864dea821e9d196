"""One submission of the observation form, checked and turned into rows of the data contract.

:func:`parse_submission` reads one row of an export's main table (with the
rows of its incident repeat group, if any) and gives either a
:class:`Submission` (one row of ``sessions.csv``, one per count cell of
``counts.csv``, one per incident kind of ``incidents.csv``) or every reason
(:class:`Rejected`) why it cannot be imported: an unknown zone or activation
state, an end not after the start, a negative or missing count, a count
although "no one seen" was answered, a reviewer's rejection, ...
:func:`~.importer.import_submissions` merges the submissions into a folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..sources.observations import session_span_problem
from .form import count_name, incident_name
from .vocab import Vocabulary

__all__ = ["Rejected", "Submission", "parse_submission"]

_CODE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")


@dataclass(frozen=True)
class Rejected:
    """A submission not imported: where it is in the export and why.

    Examples
    --------
    >>> Rejected("uuid:1", "row 2", "zone", "unknown zone 'x'").field
    'zone'
    """

    uuid: str
    where: str
    field: str
    reason: str


@dataclass
class Submission:
    """A submission that passed every check, as rows of the data contract.

    Attributes
    ----------
    uuid, where : str
        The submission's UUID and where it is in the export.
    session : dict
        ``sessions.csv`` columns but ``session_id``: ``observer, date, start,
        end, zone, activation, weather, temperature_c``.
    counts : list of dict
        ``gender, age_band, activity, count``, one per count cell.
    incidents : list of dict
        ``kind, count``, one per incident kind of the study.

    Examples
    --------
    >>> Submission("uuid:1", "row 2", {"zone": "z"}, [], []).session
    {'zone': 'z'}
    """

    uuid: str
    where: str
    session: dict[str, str]
    counts: list[dict[str, str]]
    incidents: list[dict[str, str]]


def _time(v: str) -> str | None:
    v = v.strip()
    if "T" in v:  # an Excel date-time cell holding a time of day
        v = v.split("T", 1)[1]
    m = _TIME.match(v)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _int(v: str) -> int | None:
    try:
        f = float(v)
    except ValueError:
        return None
    return int(f) if f.is_integer() else None


_Get = Callable[[str], str]
_Bad = Callable[[str, str], None]


def _observer_and_date(get: _Get, bad: _Bad) -> dict[str, str]:
    s = {"observer": get("observer")}
    if not _CODE.match(s["observer"]):
        bad(
            "observer", f"{s['observer']!r} is not a pseudonym code (lower-case letters, digits, _)"
        )
    m = _DATE.match(get("session_date"))
    if not m:
        bad("session_date", f"{get('session_date')!r} is not a date YYYY-MM-DD")
        return s
    try:
        pd.Timestamp(m.group(1))
        s["date"] = m.group(1)
    except ValueError:
        bad("session_date", f"{m.group(1)!r} is not a calendar date")
    return s


def _times(get: _Get, bad: _Bad) -> dict[str, str]:
    s = {}
    for name, col in (("start_time", "start"), ("end_time", "end")):
        t = _time(get(name))
        if t is None:
            bad(name, f"{get(name)!r} is not a time HH:MM")
        s[col] = t or ""
    span = s["start"] and s["end"] and session_span_problem(s["start"], s["end"])
    if span:  # (an end earlier than start: the session crossed midnight, data/README.md)
        bad("end_time", span[0])
    return s


def _place_and_conditions(
    get: _Get, bad: _Bad, vocab: Vocabulary, zones: list[str]
) -> dict[str, str]:
    s = {"zone": get("zone"), "activation": get("activation"), "weather": get("weather")}
    if s["zone"] not in zones:
        bad("zone", f"unknown zone {s['zone']!r}; zones.csv has {', '.join(zones)}")
    states = vocab.codes("activations")
    if s["activation"] not in states:
        bad("activation", f"{s['activation']!r}; expected one of {', '.join(states)}")
    if s["weather"] and not _CODE.match(s["weather"]):
        bad("weather", f"{s['weather']!r} is not a code")
    temp = get("temperature_c")
    try:
        s["temperature_c"] = f"{float(temp):g}" if temp else ""
    except ValueError:
        bad("temperature_c", f"{temp!r} is not a number")
        s["temperature_c"] = ""
    return s


def _count(raw: str, name: str, no_one: bool, bad: _Bad) -> int:
    """One count cell (0 when "no one seen" was answered)."""
    if no_one:
        if raw and _int(raw) != 0:
            bad(name, f"{raw} people counted although 'no one seen' was answered")
        return 0
    n = _int(raw) if raw else None
    if n is None:
        bad(name, f"{raw!r} is not a whole number" if raw else "missing count")
    elif n < 0:
        bad(name, f"negative count {n}")
    return n or 0


def _counts(get: _Get, bad: _Bad, vocab: Vocabulary) -> list[dict[str, str]]:
    no_one = get("anyone_seen") == "no"
    return [
        {
            "gender": g,
            "age_band": band,
            "activity": act,
            "count": str(
                _count(get(count_name(act, g, band)), count_name(act, g, band), no_one, bad)
            ),
        }
        for act in vocab.codes("activities")
        for g in vocab.codes("genders")
        for band in vocab.codes("age_bands")
    ]


def _incidents(
    get: _Get, bad: _Bad, vocab: Vocabulary, rows: pd.DataFrame | None
) -> list[dict[str, str]]:
    """Incident counts of the form's fields plus those of its repeat group, by kind."""
    inc = {}
    for kind in vocab.codes("incident_kinds"):
        name = incident_name(kind)
        raw = get(name)
        n = _int(raw) if raw else 0
        if n is None:
            bad(name, f"{raw!r} is not a whole number")
        elif n < 0:
            bad(name, f"negative count {n}")
        inc[kind] = max(n or 0, 0)
    for r in rows.to_dict("records") if rows is not None else []:
        kind = str(r.get("incident_kind", "")).strip()
        raw = str(r.get("incident_count", "") or "1").strip()
        n = _int(raw)
        if kind not in inc:
            bad("incident_kind", f"unknown incident kind {kind!r} ({r['_where']})")
        elif n is None or n < 0:
            bad("incident_count", f"{raw!r} is not a count >= 0 ({r['_where']})")
        else:
            inc[kind] += n
    return [{"kind": k, "count": str(n)} for k, n in inc.items()]


def parse_submission(
    row: pd.Series, vocab: Vocabulary, zones: list[str], incident_rows: pd.DataFrame | None = None
) -> tuple[Submission | None, list[Rejected]]:
    """Check one submission; its rows of the data contract, or every reason it is rejected.

    Parameters
    ----------
    row : Series
        One row of :attr:`~.exports.Export.main`: the form's fields by name,
        ``_uuid``, ``_where`` (where it is in the export) and ``_review``.
    vocab : Vocabulary
        The study's codes.
    zones : list of str
        The zones of the target folder.
    incident_rows : DataFrame, optional
        The rows of the incident repeat group belonging to this submission.

    Returns
    -------
    (Submission or None, list of Rejected)
        ``(submission, [])``, or ``(None, reasons)``: one per problem found.

    Examples
    --------
    >>> from evaluation.fieldwork.vocab import load_vocabulary
    >>> v = load_vocabulary()  # no study: zone_1, activation, incident
    >>> row = pd.Series({"_uuid": "uuid:1", "_where": "row 2", "_review": "",
    ...                  "observer": "obs_a", "session_date": "2025-06-01",
    ...                  "start_time": "14:00:00.000+02:00", "end_time": "14:45",
    ...                  "zone": "zone_1", "activation": "none", "anyone_seen": "no"})
    >>> sub, rejected = parse_submission(row, v, ["zone_1"])
    >>> sub.session["start"], sub.incidents, rejected
    ('14:00', [{'kind': 'incident', 'count': '0'}], [])
    >>> _, rejected = parse_submission(row.replace("zone_1", "zone_9"), v, ["zone_1"])
    >>> [(r.field, r.reason) for r in rejected]
    [('zone', "unknown zone 'zone_9'; zones.csv has zone_1")]
    """
    uuid, where = str(row["_uuid"]), str(row["_where"])
    rej: list[Rejected] = []

    def bad(fld: str, reason: str) -> None:
        rej.append(Rejected(uuid, where, fld, reason))

    def get(name: str) -> str:
        return str(row.get(name, "") or "").strip()

    if not uuid:
        bad("_uuid", "no submission UUID")
    if row["_review"] == "rejected":
        bad("review", "rejected by a reviewer in the collection server")
    session = {
        **_observer_and_date(get, bad),
        **_times(get, bad),
        **_place_and_conditions(get, bad, vocab, zones),
    }
    counts = _counts(get, bad, vocab)
    incidents = _incidents(get, bad, vocab, incident_rows)
    if rej:
        return None, rej
    return Submission(uuid, where, session, counts, incidents), []
