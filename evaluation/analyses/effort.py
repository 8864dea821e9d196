"""Observation effort and the activation periods: when, where and under which activation the square was observed.

Readers weigh a rate by the effort behind it: a zone observed for three hours
says less than one observed for thirty. :func:`observation_effort` counts
sessions and hours by zone, hour of day, weekday and activation state;
:func:`activation_periods` describes each period of the calendar (what, when,
how long, how many sessions fell in it). The figure is
:func:`evaluation.plots.effort_figure`.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from ..sources.order import order_activation, order_codes

__all__ = ["EFFORT_COLUMNS", "observation_effort", "effort_by", "activation_periods"]

#: the columns of :func:`observation_effort`'s table
EFFORT_COLUMNS = ["zone", "weekday", "hour", "activation", "sessions", "hours"]


def _minutes(sessions: pd.DataFrame) -> pd.Series:
    if "minutes" in sessions:
        return sessions["minutes"].astype(float)
    start = pd.to_timedelta(sessions["start"].astype(str) + ":00")
    end = pd.to_timedelta(sessions["end"].astype(str) + ":00")
    d = (end - start).dt.total_seconds() / 60
    return d.where(d >= 0, d + 24 * 60)  # a session past midnight


def observation_effort(sessions: pd.DataFrame) -> pd.DataFrame:
    """Sessions and hours observed by zone, weekday, hour of day and activation state.

    Parameters
    ----------
    sessions
        The observation sessions (``observations/sessions.csv`` as loaded):
        ``session_id``, ``date``, ``start`` (``HH:MM``), ``zone``,
        ``activation``, and ``minutes`` or ``end``.

    Returns
    -------
    DataFrame
        One row per combination observed, columns :data:`EFFORT_COLUMNS`:
        ``weekday`` 0 (Monday) to 6, ``hour`` the hour the session started
        (0–23), ``sessions`` the number of sessions, ``hours`` their length.

    Examples
    --------
    >>> s = pd.DataFrame({"session_id": ["a", "b", "c"], "date": ["2022-06-13", "2022-06-13", "2022-06-18"],
    ...                   "start": ["09:15", "09:40", "22:30"], "end": ["09:45", "10:40", "00:30"],
    ...                   "zone": ["zone_a", "zone_a", "zone_b"], "activation": ["none", "none", "art"]})
    >>> observation_effort(s)
         zone  weekday  hour activation  sessions  hours
    0  zone_a        0     9       none         2    1.5
    1  zone_b        5    22        art         1    2.0
    """
    need = ["session_id", "date", "start", "zone", "activation"]
    missing = [c for c in need if c not in sessions]
    if "minutes" not in sessions and "end" not in sessions:
        missing.append("end")
    if missing:
        raise DataError(f"observations/sessions.csv: missing column(s) {', '.join(missing)}")
    date = pd.to_datetime(sessions["date"])
    hour = sessions["start"].astype(str).str.slice(0, 2).astype(int)
    d = pd.DataFrame(
        {
            "zone": sessions["zone"].to_numpy(),
            "weekday": date.dt.day_of_week.to_numpy(),
            "hour": hour.to_numpy(),
            "activation": sessions["activation"].to_numpy(),
            "session_id": sessions["session_id"].to_numpy(),
            "minutes": _minutes(sessions).to_numpy(),
        }
    )
    out = (
        d.groupby(["zone", "weekday", "hour", "activation"], sort=True)
        .agg(sessions=("session_id", "nunique"), hours=("minutes", "sum"))
        .reset_index()
    )
    out["hours"] = out["hours"] / 60
    return out[EFFORT_COLUMNS]


def effort_by(effort: pd.DataFrame, by: str) -> pd.DataFrame:
    """Sessions and hours by one dimension (``zone``, ``hour`` or ``weekday``) x activation state.

    Returns a tidy table: ``by``, ``activation``, ``sessions``, ``hours``;
    hours of the day and weekdays with no session appear with zeros.

    Examples
    --------
    >>> e = pd.DataFrame({"zone": ["a", "a"], "weekday": [0, 6], "hour": [9, 9],
    ...                   "activation": ["none", "art"], "sessions": [2, 1], "hours": [1.5, 2.0]})
    >>> effort_by(e, "weekday").query("sessions > 0").reset_index(drop=True)
       weekday activation  sessions  hours
    0        0       none         2    1.5
    1        6        art         1    2.0
    """
    if by not in ("zone", "hour", "weekday"):
        raise ValueError(f"by must be zone, hour or weekday, not {by!r}")
    g = effort.groupby([by, "activation"])[["sessions", "hours"]].sum()
    levels = {"hour": range(24), "weekday": range(7)}.get(
        by, order_codes(sorted(effort[by].unique()), "zones")
    )
    states = order_activation(dict.fromkeys(effort["activation"]))
    full = pd.MultiIndex.from_product([list(levels), states], names=[by, "activation"])
    out = g.reindex(full, fill_value=0).reset_index()
    out["sessions"] = out["sessions"].astype(int)
    return out


def activation_periods(
    calendar: pd.DataFrame, sessions: pd.DataFrame | None = None, language: str = "sv"
) -> pd.DataFrame:
    """The calendar's periods described: kind, name, first and last day, length, sessions observed.

    Parameters
    ----------
    calendar
        ``calendar.csv`` as loaded: ``start``, ``end`` (dates), ``kind``, ``name``.
    sessions
        Optional observation sessions (``date``): how many fell within each period.
    language
        The kind is shown by its label in this language (``art`` -> ``konst``).

    Returns
    -------
    DataFrame
        ``kind`` (label), ``name`` (from the data, as written), ``start``,
        ``end`` (dates in ``language``'s long style), ``days``, and with
        ``sessions`` given ``sessions``; in order of start.

    Examples
    --------
    >>> cal = pd.DataFrame({"start": pd.to_datetime(["2022-06-10", "2022-06-11"]),
    ...                     "end": pd.to_datetime(["2022-08-20", "2022-06-11"]),
    ...                     "kind": ["art", "event"], "name": ["Konst på torget 2022", "Scenkväll"]})
    >>> activation_periods(cal, language="en")
         kind                  name         start             end  days
    0     art  Konst på torget 2022  10 June 2022  20 August 2022    72
    1  events             Scenkväll  11 June 2022    11 June 2022     1
    """
    from .. import i18n

    need = [c for c in ("start", "end", "kind", "name") if c not in calendar]
    if need:
        raise DataError(f"calendar.csv: missing column(s) {', '.join(need)}")
    cal = calendar.assign(
        start=pd.to_datetime(calendar["start"]), end=pd.to_datetime(calendar["end"])
    ).sort_values(["start", "end"], kind="stable")
    out = pd.DataFrame(
        {
            "kind": [i18n.label(k, language) for k in cal["kind"]],
            "name": cal["name"].astype(str).to_numpy(),
            "start": [i18n.date(d, language) for d in cal["start"]],
            "end": [i18n.date(d, language) for d in cal["end"]],
            "days": ((cal["end"] - cal["start"]).dt.days + 1).astype(int).to_numpy(),
        }
    )
    if sessions is not None:
        dates = pd.to_datetime(sessions["date"])
        out["sessions"] = [
            int(((dates >= a) & (dates <= b)).sum())
            for a, b in zip(cal["start"], cal["end"], strict=True)
        ]
    return out
