"""Site observations: ``observations/{zones,sessions,counts,incidents}.csv``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import Problem
from ._io import confined, read_csv_text
from ._schema import MAX_PROBLEMS_PER_FILE, Field, FileSpec, check_frame, line_of, unknown_reference
from .codes import ACTIVITIES, GENDERS, NO_ACTIVATION

if TYPE_CHECKING:
    from .study_model import Study

__all__ = [
    "ZONES",
    "SESSIONS",
    "COUNTS",
    "INCIDENTS",
    "load_observations",
    "add_session_features",
    "primary_sessions",
    "session_minutes",
    "session_span_problem",
    "MAX_OVERNIGHT_MINUTES",
]

#: Longest session that crosses midnight (``end`` earlier than ``start``), in minutes. A
#: longer span is far more likely a slip (start 14:00, end 13:45) than a 23-hour session.
MAX_OVERNIGHT_MINUTES = 12 * 60

ZONES = FileSpec(
    "observations/zones.csv",
    "The zones of the site that observers count in.",
    (
        Field(
            "zone", "code", "zone identifier (study.yaml zones)", "north_steps", vocabulary="zones"
        ),
        Field("area_m2", "float", "area of the zone in square metres", "3200", min=0),
        Field(
            "description", "str", "where the zone is", "The steps on the north side", required=False
        ),
    ),
    key=("zone",),
)
SESSIONS = FileSpec(
    "observations/sessions.csv",
    "One row per observation session (one observer, one zone, one time span). Two rows "
    "with the same date, zone, start and end but different observers are a double "
    "observation. A session that crosses midnight is recorded with the date it started "
    "and an `end` earlier than `start`: `2023-06-17,23:30,00:30` is 60 minutes from 23:30 on "
    "17 June (such a session may last at most 12 hours; `end` equal to `start` is an error). "
    "Every session needs rows in counts.csv (a session in which nobody was seen has rows "
    "with count 0).",
    (
        Field("session_id", "code", "session identifier", "s0001"),
        Field("date", "date", "date of the session", "2022-06-14"),
        Field("start", "time", "start time", "14:00"),
        Field(
            "end",
            "time",
            "end time; earlier than start means the next day (23:30 to 00:30 is 60 minutes);"
            " exposure = end - start",
            "14:45",
        ),
        Field("observer", "code", "observer pseudonym", "obs_a"),
        Field("zone", "code", "zone (see zones.csv)", "north_steps"),
        Field(
            "activation",
            "str",
            "activation state during the session: none or a study.yaml activation kind",
            "art",
            vocabulary="activation_kinds",
            extra=(NO_ACTIVATION,),
        ),
        Field("weather", "code", "weather", "sunny", required=False),
        Field("temperature_c", "float", "air temperature, degrees Celsius", "21.5", required=False),
    ),
    key=("session_id",),
)
COUNTS = FileSpec(
    "observations/counts.csv",
    "People counted in a session by gender, age band and activity (estimated by the "
    "observer). Every session of sessions.csv has at least one row here: a session without "
    "rows is an error, because it cannot be told apart from a session whose counts were "
    "lost. A session in which nobody was seen is recorded with count 0, e.g. "
    "`s0001,female,13-18,staying,0` (the fieldwork importer writes all 30 gender x age band "
    "x activity rows, zeros included). Within a session that has rows, a combination "
    "without a row counts as 0.",
    (
        Field("session_id", "code", "session (see sessions.csv)", "s0001"),
        Field("gender", "str", "observed gender", "female", allowed=GENDERS),
        Field(
            "age_band",
            "str",
            "estimated age band (study.yaml age_bands)",
            "13-18",
            vocabulary="age_bands",
        ),
        Field(
            "activity",
            "str",
            "staying (stopped >= 2 min) or passing",
            "staying",
            allowed=ACTIVITIES,
        ),
        Field("count", "int", "number of people", "4", min=0),
    ),
    key=("session_id", "gender", "age_band", "activity"),
)
INCIDENTS = FileSpec(
    "observations/incidents.csv",
    "Incidents seen during a session. A session without rows here had no incidents; the "
    "file itself may be absent (no incidents recorded at all).",
    (
        Field("session_id", "code", "session (see sessions.csv)", "s0001"),
        Field(
            "kind",
            "str",
            "kind of incident (study.yaml incident_kinds)",
            "drug_sale",
            vocabulary="incident_kinds",
        ),
        Field("count", "int", "number of incidents seen", "1", min=0),
    ),
    key=("session_id", "kind"),
)


def _clock(t: Sequence[Any] | pd.Series) -> pd.Series:
    """Minutes after midnight of times given as ``HH:MM`` text or as datetimes."""
    t = pd.Series(t)
    if pd.api.types.is_datetime64_any_dtype(t):
        return (t.dt.hour * 60 + t.dt.minute).astype("float64")
    parts = t.astype(str).str.strip().str.extract(r"^(\d{1,2}):(\d{2})").astype("float64")
    return parts[0] * 60 + parts[1]  # NaN where the text is not a time


def session_minutes(start: Sequence[Any] | pd.Series, end: Sequence[Any] | pd.Series) -> pd.Series:
    """Exposure of sessions in minutes: ``end - start``, on the next day when ``end`` is
    earlier than ``start`` (the session crossed midnight).

    ``start`` and ``end`` are sequences of ``HH:MM`` texts or of datetimes. Every
    computation of exposure uses this (the loaders, the fieldwork planner).

    Examples
    --------
    >>> session_minutes(["14:00", "23:30"], ["14:45", "00:30"]).tolist()
    [45.0, 60.0]
    """
    a, b = _clock(start), _clock(end)
    a.index = b.index
    return (b - a).mod(24 * 60)


def session_span_problem(start: str, end: str) -> tuple[str, str] | None:
    """``(message, expected)`` when ``start``-``end`` (``HH:MM``) is not a session span,
    else ``None``: ``end`` equal to ``start``, or a span crossing midnight longer than
    :data:`MAX_OVERNIGHT_MINUTES`.

    Examples
    --------
    >>> session_span_problem("23:30", "00:30") is None
    True
    >>> session_span_problem("14:00", "13:45")[0]
    'end 13:45 is not after start 14:00 on the same day, and read as the next day (crossing midnight) the session would last 23 h 45 min, more than 12 h'
    """
    expected = (
        "end later than start, or earlier than start for a session that crosses midnight"
        f" (at most {MAX_OVERNIGHT_MINUTES // 60} h)"
    )
    if start == end:
        return f"end {end} is the same as start (a session of no time)", expected
    minutes = int(session_minutes([start], [end]).iloc[0])
    if end < start and minutes > MAX_OVERNIGHT_MINUTES:
        return (
            f"end {end} is not after start {start} on the same day, and read as the next day"
            f" (crossing midnight) the session would last {minutes // 60} h {minutes % 60} min,"
            f" more than {MAX_OVERNIGHT_MINUTES // 60} h",
            expected,
        )
    return None


def add_session_features(sessions: pd.DataFrame) -> pd.DataFrame:
    """Add derived columns used by the analyses.

    ``minutes`` (exposure; :func:`session_minutes`, so a session ending after
    midnight counts until its end on the next day), ``hours``, ``overnight``
    (the session crossed midnight), ``daypart`` (of the start: morning < 12:00
    <= afternoon < 17:00 <= evening), ``weekend``, ``month``, ``year`` (of the
    start date), ``activated`` (any activation) and ``pair`` (the
    double-observation group: sessions sharing date, zone, start and end).

    Examples
    --------
    >>> s = pd.DataFrame({"date": pd.to_datetime(["2023-06-03"]), "zone": ["z1"], "activation": ["art"],
    ...     "start": pd.to_datetime(["22:00"], format="%H:%M"), "end": pd.to_datetime(["01:00"], format="%H:%M")})
    >>> add_session_features(s)[["minutes", "overnight", "daypart", "weekend", "start", "pair"]].values.tolist()
    [[180.0, True, 'evening', True, '22:00', 0]]
    """
    s = sessions.copy()
    s["minutes"] = session_minutes(s["start"], s["end"])
    s["hours"] = s["minutes"] / 60.0
    s["overnight"] = s["end"] < s["start"]
    hour = s["start"].dt.hour
    s["daypart"] = pd.Categorical(
        pd.cut(hour, [-1, 11, 16, 24], labels=["morning", "afternoon", "evening"]).astype(str),
        categories=["morning", "afternoon", "evening"],
    )
    s["weekend"] = s["date"].dt.day_of_week >= 5
    s["month"] = s["date"].dt.month
    s["year"] = s["date"].dt.year
    s["activated"] = (s["activation"] != "none").astype(int)
    s["start"] = s["start"].dt.strftime("%H:%M")
    s["end"] = s["end"].dt.strftime("%H:%M")
    key = s["date"].dt.strftime("%Y-%m-%d") + "|" + s["zone"] + "|" + s["start"] + "|" + s["end"]
    s["pair"] = key.map({k: i for i, k in enumerate(dict.fromkeys(key))}).astype(int)
    return s


def primary_sessions(sessions: pd.DataFrame) -> pd.DataFrame:
    """One session per double observation (the first by ``session_id``).

    Rate and model analyses use these, so that a doubly observed time span is
    not counted twice; inter-observer agreement uses the pairs.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["s2", "s1", "s3"], "pair": [0, 0, 1]})
    >>> primary_sessions(s)["session_id"].tolist()
    ['s1', 's3']
    """
    return sessions.sort_values("session_id").drop_duplicates("pair", keep="first")


def _sessions_without_counts(s: pd.DataFrame, counts: pd.DataFrame, prefix: str) -> list[Problem]:
    """An error for every session without a row in counts.csv (data/README.md: a session in
    which nobody was seen has rows with count 0)."""
    if "session_id" not in counts:  # counts.csv lacks the column: already an error
        return []
    lacking = s["session_id"].notna() & ~s["session_id"].isin(counts["session_id"].dropna())
    return [
        Problem(
            f"{prefix}/sessions.csv",
            line_of(idx),
            "session_id",
            f"session {s.at[idx, 'session_id']!r} has no rows in {prefix}/counts.csv",
            "at least one counts row per session; if nobody was seen, rows with count 0"
            f" (e.g. {str(s.at[idx, 'session_id'])},female,13-18,staying,0)",
        )
        for idx in s.index[lacking.to_numpy()][:MAX_PROBLEMS_PER_FILE]
    ]


@confined
def load_observations(
    folder: str | Path, prefix: str = "observations", study: Study | None = None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Load the four observation files of ``folder`` and cross-check them.

    Returns ``({"zones", "sessions", "counts", "incidents"}, problems)``;
    ``sessions`` carries the derived columns of :func:`add_session_features`.
    ``study`` (a :class:`~evaluation.sources.study.Study`) restricts zones, activation
    kinds, age bands and incident kinds to its vocabularies.

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> obs, problems = load_observations(resolve("data/example/observations"))
    >>> sorted(obs), problems
    (['counts', 'incidents', 'sessions', 'zones'], [])
    """
    folder = Path(folder)
    out: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, spec in (
        ("zones", ZONES),
        ("sessions", SESSIONS),
        ("counts", COUNTS),
        ("incidents", INCIDENTS),
    ):
        label = f"{prefix}/{name}.csv"
        path = folder / f"{name}.csv"
        if name == "incidents" and not path.exists():
            out[name] = pd.DataFrame(columns=[f.name for f in spec.fields])
            continue
        df, probs = check_frame(read_csv_text(path, label), spec.for_study(study), label)
        out[name], problems = df, problems + probs

    s = out["sessions"]
    if not s.empty:
        span = session_minutes(s["start"], s["end"])  # NaN where a time is missing
        bad = (span == 0) | ((s["end"] < s["start"]) & (span > MAX_OVERNIGHT_MINUTES))
        for idx in s.index[bad.to_numpy()][:MAX_PROBLEMS_PER_FILE]:
            start: Any = s.at[idx, "start"]
            end: Any = s.at[idx, "end"]
            got = session_span_problem(f"{start:%H:%M}", f"{end:%H:%M}")
            if got is None:  # pragma: no cover - every span flagged above is a problem
                continue
            msg, expected = got
            problems.append(Problem(f"{prefix}/sessions.csv", line_of(idx), "end", msg, expected))
        if not out["zones"].empty:
            problems += unknown_reference(
                s,
                "zone",
                out["zones"]["zone"].dropna(),
                f"{prefix}/sessions.csv",
                "zone (zones.csv)",
            )
        ids = s["session_id"].dropna()
        for name in ("counts", "incidents"):
            df = out[name]
            if not df.empty and "session_id" in df:
                problems += unknown_reference(
                    df, "session_id", ids, f"{prefix}/{name}.csv", "session (sessions.csv)"
                )
        problems += _sessions_without_counts(s, out["counts"], prefix)
        if not bad.any() and s[["date", "start", "end"]].notna().all().all():
            out["sessions"] = add_session_features(s)
    return out, problems
