"""Site observations: ``observations/{zones,sessions,counts,incidents}.csv``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import Problem
from ._io import confined, read_csv_text
from ._schema import MAX_PROBLEMS_PER_FILE, Field, FileSpec, check_frame, line_of, unknown_reference
from .codes import ACTIVITIES, GENDERS, NO_ACTIVATION

__all__ = [
    "ZONES",
    "SESSIONS",
    "COUNTS",
    "INCIDENTS",
    "load_observations",
    "add_session_features",
    "primary_sessions",
]

ZONES = FileSpec(
    "observations/zones.csv",
    "The zones of the square that observers count in.",
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
    "with the same date, zone, start and end but different observers are a double observation.",
    (
        Field("session_id", "code", "session identifier", "s0001"),
        Field("date", "date", "date of the session", "2022-06-14"),
        Field("start", "time", "start time", "14:00"),
        Field("end", "time", "end time, later than start; exposure = end - start", "14:45"),
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
    "People counted in a session by gender, age band and activity (estimated by the observer).",
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
    "Incidents seen during a session.",
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


def add_session_features(sessions: pd.DataFrame) -> pd.DataFrame:
    """Add derived columns used by the analyses.

    ``minutes`` (exposure), ``hours``, ``daypart`` (morning < 12:00 <=
    afternoon < 17:00 <= evening), ``weekend``, ``month``, ``year``,
    ``activated`` (any activation) and ``pair`` (the double-observation group:
    sessions sharing date, zone, start and end).
    """
    s = sessions.copy()
    start_min = s["start"].dt.hour * 60 + s["start"].dt.minute
    end_min = s["end"].dt.hour * 60 + s["end"].dt.minute
    s["minutes"] = (end_min - start_min).astype("float64")
    s["hours"] = s["minutes"] / 60.0
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
    """
    return sessions.sort_values("session_id").drop_duplicates("pair", keep="first")


@confined
def load_observations(
    folder: str | Path, prefix: str = "observations", study=None
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Load the four observation files of ``folder`` and cross-check them.

    Returns ``({"zones", "sessions", "counts", "incidents"}, problems)``;
    ``sessions`` carries the derived columns of :func:`add_session_features`.
    ``study`` (a :class:`~evaluation.sources.study.Study`) restricts zones, activation
    kinds, age bands and incident kinds to its vocabularies.
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
        bad = s["start"].notna() & s["end"].notna() & (s["end"] <= s["start"])
        for idx in s.index[bad.to_numpy()][:MAX_PROBLEMS_PER_FILE]:
            problems.append(
                Problem(
                    f"{prefix}/sessions.csv",
                    line_of(idx),
                    "end",
                    f"{s.at[idx, 'end']:%H:%M} is not after start {s.at[idx, 'start']:%H:%M}",
                    "end later than start (sessions do not cross midnight)",
                )
            )
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
        if not bad.any() and s[["date", "start", "end"]].notna().all().all():
            out["sessions"] = add_session_features(s)
    return out, problems
