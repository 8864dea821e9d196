"""The site observations of the synthetic example: sessions, counts and incidents.

Every draw from the random generator happens in the same order as it always
has (session design, people counted, incidents, a second observer, the second
observer's counts), so that a seed gives the same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from ..sources.codes import GENDERS
from ..synthetic_study import AGE_BANDS
from .truth import TRUTH
from .world import (
    BASE_STAYING,
    GENDER_MULT,
    OBSERVERS,
    PASSING_MULT,
    TEMPERATURE_REFERENCE,
    ZONES,
    _activation,
    _fmt,
    _seasonal_temperature,
)

__all__ = ["observations"]


@dataclass
class _Session:
    """One observed span: where, when, in what weather, by whom, and its common factors."""

    day: date
    zone: tuple[Any, ...]
    hour: int
    start: datetime
    end: datetime
    activation: str
    weather: str
    temperature: float
    frailty: float
    hours: float
    daypart: float
    common: float  # hours x frailty x daypart x weekend x weather x season (people)
    season_incidents: float
    shares: dict[str, float]
    observers: list[str]


def _design(rng: np.random.Generator, day: date, cal: list[list], t: dict[str, Any]) -> _Session:
    """Draw a session's zone, time, weather, temperature, frailty and first observer."""
    zone = ZONES[rng.integers(len(ZONES))]
    hour = int(rng.integers(9, 22))
    minute = int(rng.choice([0, 15, 30]))
    dur = int(rng.choice([30, 45, 60]))
    st = datetime(day.year, day.month, day.day, hour, minute)
    en = st + timedelta(minutes=dur)
    if en.date() != day:
        en = datetime(day.year, day.month, day.day, 23, 59)
    act = _activation(day, cal)
    weather = str(rng.choice(["sunny", "cloudy", "rain"], p=[0.5, 0.35, 0.15]))
    temp = _seasonal_temperature(day) + rng.normal(0, 2.5) - (3 if weather == "rain" else 0)
    frailty = rng.gamma(t["session_frailty_shape"], 1 / t["session_frailty_shape"])
    hours = (en - st).seconds / 3600
    daypart_f = 0.6 if hour < 12 else (1.0 if hour < 17 else 1.3)
    weekend_f = 1.25 if day.weekday() >= 5 else 1.0
    weather_f = {"rain": t["rain_rate_ratio"], "cloudy": t["cloudy_rate_ratio"]}.get(weather, 1.0)
    temp = round(temp, 1)  # the model sees the recorded temperature
    season_f = t["temperature_rate_ratio_per_degree"] ** (temp - TEMPERATURE_REFERENCE)
    season_inc = t["incident_temperature_rate_ratio_per_degree"] ** (temp - TEMPERATURE_REFERENCE)
    shares = t["observer_share_activated" if act != "none" else "observer_share_not_activated"]
    observers = [str(rng.choice(OBSERVERS, p=[shares[o] for o in OBSERVERS]))]
    return _Session(
        day=day,
        zone=zone,
        hour=hour,
        start=st,
        end=en,
        activation=act,
        weather=weather,
        temperature=temp,
        frailty=frailty,
        hours=hours,
        daypart=daypart_f,
        common=hours * frailty * daypart_f * weekend_f * weather_f * season_f,
        season_incidents=season_inc,
        shares=shares,
        observers=observers,
    )


def _activation_effect(gender: str, age: str, t: dict[str, Any]) -> float:
    """The planted rate ratio of activation on a staying group."""
    if age == "13-18" and gender == "female":
        return float(t["target_staying_rate_ratio"])
    if age == "13-18" and gender == "male":
        return float(t["male_13_18_staying_rate_ratio"])
    return float(t["other_staying_rate_ratio"])


def _people(
    rng: np.random.Generator, s: _Session, t: dict[str, Any]
) -> dict[tuple[str, str, str], int]:
    """The first observer's count of each (gender, age band, activity)."""
    factor = t["observer_count_factor"][s.observers[0]]
    counts = {}
    for g in GENDERS:
        for a in AGE_BANDS:
            for activity in ("staying", "passing"):
                mu = s.common * BASE_STAYING[a] * GENDER_MULT[g]
                if activity == "staying":
                    mu *= s.zone[3]
                    if s.activation != "none":
                        mu *= _activation_effect(g, a, t)
                else:
                    mu *= PASSING_MULT * t["passing_rate_ratio"]
                counts[(g, a, activity)] = int(rng.poisson(mu * factor))
    return counts


def _incidents(rng: np.random.Generator, s: _Session, t: dict[str, Any]) -> dict[str, Any]:
    """The incidents of each kind seen in the session."""
    hours, daypart, season = s.hours, s.daypart, s.season_incidents
    activated = s.activation != "none"
    drug_f = (
        (0.5 if s.hour < 12 else (1.0 if s.hour < 17 else 2.0))
        * s.zone[4]
        * hours
        * s.frailty**0.5
        * season
    )
    return {
        "drug_sale": rng.poisson(1.2 * drug_f * (t["drug_sale_rate_ratio"] if activated else 1)),
        "drug_use": rng.poisson(0.8 * drug_f * (t["drug_use_rate_ratio"] if activated else 1)),
        "conflict": rng.poisson(0.25 * hours * daypart * season),
        "guard_intervention": rng.poisson(0.4 * hours * daypart * season),
        "police_intervention": rng.poisson(0.2 * hours * daypart * season),
        "outreach_contact": rng.poisson(
            0.5 * hours * season * (t["outreach_contact_rate_ratio"] if activated else 1.0)
        ),
    }


def _maybe_second_observer(rng: np.random.Generator, s: _Session) -> None:
    """About 10% of the spans are counted by another observer too."""
    if rng.random() < 0.1:
        others = [o for o in OBSERVERS if o != s.observers[0]]
        w = np.array([s.shares[o] for o in others])
        s.observers.append(str(rng.choice(others, p=w / w.sum())))


@dataclass
class _Tables:
    """The rows of sessions.csv, counts.csv and incidents.csv."""

    sessions: list[list[Any]]
    counts: list[list[Any]]
    incidents: list[list[Any]]


def _write_rows(
    rng: np.random.Generator,
    s: _Session,
    people: dict[tuple[str, str, str], int],
    inc: dict[str, Any],
    sid: int,
    out: _Tables,
    t: dict[str, Any],
) -> int:
    """One session row per observer with its counts and incidents; the last session number."""
    observer_f = t["observer_count_factor"]
    first = s.observers[0]
    for k, obs in enumerate(s.observers):
        sid += 1
        sess = f"s{sid:04d}"
        out.sessions.append(
            [
                sess,
                s.day.isoformat(),
                s.start.strftime("%H:%M"),
                s.end.strftime("%H:%M"),
                obs,
                s.zone[0],
                s.activation,
                s.weather,
                _fmt(s.temperature),
            ]
        )
        for (g, a, activity), c in people.items():
            if k:  # the second observer's own count of the same span
                noise = math.exp(rng.normal(0, t["double_observation_noise_sd"]))
                c = int(round(c * observer_f[obs] / observer_f[first] * noise))
            out.counts.append([sess, g, a, activity, c])
        for kind, c in inc.items():
            if k and c and rng.random() < 0.15:
                c -= 1
            out.incidents.append([sess, kind, int(c)])
    return sid


def observations(
    rng: np.random.Generator, cal: list[list], n_per_year: int = 150, truth: dict = TRUTH
) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """The rows of ``sessions.csv``, ``counts.csv`` and ``incidents.csv``.

    Two summers (16 May to 15 September of 2022 and 2023), ``n_per_year``
    sessions a year on days drawn with replacement.

    Examples
    --------
    >>> from evaluation.synthetic.world import _calendar
    >>> s, c, i = observations(np.random.default_rng(1), _calendar(), n_per_year=2)
    >>> len(s) >= 4, s[0][0], len(c) == len(s) * 30
    (True, 's0001', True)
    """
    t = truth["observations"]
    days = []
    for year in (2022, 2023):
        start, end = date(year, 5, 16), date(year, 9, 15)
        days += [start + timedelta(days=i) for i in range((end - start).days + 1)]
    chosen = sorted(rng.choice(len(days), size=2 * n_per_year, replace=True))
    out = _Tables([], [], [])
    sid = 0
    for di in chosen:
        s = _design(rng, days[di], cal, t)
        people = _people(rng, s, t)
        inc = _incidents(rng, s, t)
        _maybe_second_observer(rng, s)
        sid = _write_rows(rng, s, people, inc, sid, out, t)
    return out.sessions, out.counts, out.incidents
