"""A stratified random observation schedule, and its printable weekly pages.

:func:`make_schedule` plans ``n`` sessions between two dates over the strata
zone × daypart × weekday × activation state (the state of each date comes
from ``calendar.csv``), balanced as far as the calendar allows, with a share
of the sessions counted by two observers for inter-observer agreement.
:func:`write_week_pages` writes one printable HTML page per ISO week.

Notes
-----
Allocation, in order (every random choice from one generator seeded by ``seed``):

1. **Activation states**: the states present in the period get equal shares,
   except that a state cannot take more sessions than its dates hold
   (``max_per_day`` each); what it cannot take goes to the others
   (water-filling).
2. **Weekdays within a state**: equal shares over the weekdays the state
   occurs on, capped the same way; left-over sessions go to the weekdays with
   the fewest sessions so far, so that the weekday margin stays balanced
   across states.
3. **Dates**: the sessions of a state × weekday are spread evenly over its dates.
4. **Zone and daypart**: each session takes the zone and daypart with the
   fewest sessions so far (then the fewest within its activation state, then
   random), never the same zone and daypart twice on one date. The zone and
   daypart margins therefore differ by at most one session.
5. **Start time**: random on a 15-minute grid inside the daypart.
6. **Double observations**: ``round(double_share * n)`` sessions, taken in
   turn from each activation state (random within it), are assigned two
   observers.

A state × weekday that the calendar does not have (e.g. events only on
Saturdays) cannot be balanced; the margins then follow the calendar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .vocab import Vocabulary, load_vocabulary
from .weekpages import write_week_pages

__all__ = ["DAYPARTS", "COLUMNS", "date_states", "make_schedule", "write_week_pages"]

#: Dayparts: name -> (first start, latest end), matching the analyses'
#: morning < 12:00 <= afternoon < 17:00 <= evening.
DAYPARTS = {
    "morning": ("09:00", "12:00"),
    "afternoon": ("12:00", "17:00"),
    "evening": ("17:00", "22:00"),
}

#: Columns of the schedule.
COLUMNS = [
    "slot",
    "date",
    "weekday",
    "week",
    "start",
    "end",
    "zone",
    "daypart",
    "activation",
    "observers",
    "observer_1",
    "observer_2",
]


def date_states(
    calendar: pd.DataFrame | None,
    dates: pd.DatetimeIndex,
    kinds: list[str] | tuple[str, ...] | None = None,
) -> pd.Series:
    """The activation state of each date from the calendar.

    A date covered by one activation period has that period's kind; where
    periods overlap, the shortest wins (a one-day event inside a summer
    programme is that event). A ``pilot`` period, which covers every kind,
    gives the study's first activation kind (``kinds``, in the order of
    ``study.yaml``; without ``kinds`` the pilot's own code). Dates outside
    every period are ``none``; policing periods do not count.

    Examples
    --------
    >>> cal = pd.DataFrame({"start": pd.to_datetime(["2024-06-01", "2024-06-08"]),
    ...                     "end": pd.to_datetime(["2024-06-30", "2024-06-08"]),
    ...                     "kind": ["kind_a", "kind_b"], "name": ["a", "b"]})
    >>> date_states(cal, pd.date_range("2024-06-07", "2024-06-09")).tolist()
    ['kind_a', 'kind_b', 'kind_a']
    >>> pilot = pd.DataFrame({"start": pd.to_datetime(["2024-06-01"]), "end": pd.to_datetime(["2024-06-02"]),
    ...                       "kind": ["pilot"], "name": ["p"]})
    >>> date_states(pilot, pd.date_range("2024-06-02", "2024-06-03"), kinds=["kind_a", "pilot"]).tolist()
    ['kind_a', 'none']
    """
    out = pd.Series("none", index=dates, dtype=object)
    if calendar is None or calendar.empty:
        return out
    real = [k for k in (kinds or ()) if k not in ("none", "pilot")]
    periods = calendar[calendar["kind"] != "policing"].assign(
        _days=lambda d: (d["end"] - d["start"]).dt.days
    )
    # longest first, so that shorter periods overwrite the dates they cover
    for row in periods.sort_values("_days", ascending=False, kind="stable").to_dict("records"):
        kind = real[0] if row["kind"] == "pilot" and real else str(row["kind"])
        covered = (dates >= pd.Timestamp(row["start"])) & (dates <= pd.Timestamp(row["end"]))
        out[np.asarray(covered)] = kind
    return out


def _fill(n: int, caps: dict, order: list, weight=None) -> dict:
    """Split ``n`` as evenly as possible over ``caps``' keys, each at most its cap.

    Left-over units go to keys in ``order`` (sorted by ``weight`` if given).
    """
    alloc = dict.fromkeys(caps, 0)
    open_ = [k for k in caps if caps[k] > 0]
    left = n
    while left > 0 and open_:
        share = left // len(open_)
        if share == 0:
            keys = sorted(open_, key=lambda k: (weight(k) if weight else 0, order.index(k)))
            for k in keys[:left]:
                alloc[k] += 1
            left = 0
            break
        for k in list(open_):
            add = min(share, caps[k] - alloc[k])
            alloc[k] += add
            left -= add
        open_ = [k for k in open_ if alloc[k] < caps[k]]
    if left > 0:
        raise ParameterError(
            f"the period holds at most {sum(caps.values())} sessions at the allowed sessions "
            f"per day; asked for {sum(caps.values()) + left}"
        )
    return alloc


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _hhmm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


def make_schedule(
    start: str | dt.date,
    end: str | dt.date,
    n: int,
    *,
    data: str | Path | None = None,
    vocab: Vocabulary | None = None,
    seed: int = 1,
    double_share: float = 0.10,
    minutes: int = 45,
    observers: list[str] | None = None,
    max_per_day: int | None = None,
    dayparts: dict[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Plan ``n`` observation sessions between ``start`` and ``end`` (inclusive).

    Parameters
    ----------
    start, end : date or ``YYYY-MM-DD``
    n : int
        Sessions to plan (a double observation is one session).
    data : path, optional
        Data folder giving the zones (``observations/zones.csv``) and the
        activation calendar (``calendar.csv``; without one every date is ``none``).
    vocab : Vocabulary, optional
        Instead of ``data``.
    seed : int
        The same seed gives the same schedule.
    double_share : float
        Share of sessions counted by two observers (0 to 1).
    minutes : int
        Length of a session.
    observers : list of str, optional
        Observer pseudonyms; when given, every session gets its observer(s),
        nobody in two places at once and every observer in at least one
        double observation where possible.
    max_per_day : int, optional
        Most sessions on one date (default: zones × dayparts).
    dayparts : dict, optional
        Name -> (first start, latest end); default :data:`DAYPARTS`.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, one row per session, sorted by date and time;
        ``observers`` is 1 or 2; ``week`` is the ISO week ``YYYY-Www``.

    Raises
    ------
    ParameterError
        An empty period, ``n`` < 1, more sessions than the period holds, a
        session longer than a daypart, too few observers.

    Examples
    --------
    >>> s = make_schedule("2024-06-03", "2024-06-30", 40, data="data/example", seed=7)
    >>> len(s), int((s["observers"] == 2).sum())
    (40, 4)
    >>> s["zone"].value_counts().tolist()
    [8, 8, 8, 8, 8]
    """
    v = vocab or load_vocabulary(data)
    dayparts = dayparts or DAYPARTS
    d0, d1 = _check_request(start, end, n, double_share, minutes, dayparts)
    zones = v.codes("zones")
    parts = list(dayparts)
    per_day = max_per_day or len(zones) * len(parts)
    rng = np.random.default_rng(seed)

    dates = pd.date_range(d0, d1, freq="D")
    state = date_states(v.calendar, dates, [c.code for c in v.activations])
    # 1. activation states
    states = [s for s in v.codes("activations") if (state == s).any()]
    s_order = [str(x) for x in rng.permutation(states)]
    s_alloc = _fill(n, {s: int((state == s).sum()) * per_day for s in states}, s_order)
    # 2. weekdays within each state, 3. dates
    slots = _date_slots(state, s_order, s_alloc, per_day, rng)
    # 4. zone and daypart; 5. start time
    assigned, used = _zones_and_dayparts(slots, zones, parts, rng)
    _rebalance(assigned, 2, zones, used)
    _rebalance(assigned, 3, parts, used)
    out = _with_times(assigned, dayparts, minutes, rng)
    # 6. double observations, in turn from each state
    _mark_doubles(out, s_order, int(round(double_share * n)), rng)
    out["observer_1"], out["observer_2"] = "", ""
    if observers:
        _assign_observers(out, list(observers), minutes, rng)
    return _finish(out)


def _check_request(
    start: str | dt.date,
    end: str | dt.date,
    n: int,
    double_share: float,
    minutes: int,
    dayparts: dict[str, tuple[str, str]],
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period as timestamps, after checking every parameter of :func:`make_schedule`."""
    try:
        d0, d1 = pd.Timestamp(start), pd.Timestamp(end)
    except ValueError as exc:
        raise ParameterError(f"schedule: dates must be YYYY-MM-DD ({exc})") from None
    if d1 < d0:
        raise ParameterError(f"schedule: --to {d1:%Y-%m-%d} is before --from {d0:%Y-%m-%d}")
    if n < 1:
        raise ParameterError("schedule: --sessions must be at least 1")
    if not 0 <= double_share <= 1:
        raise ParameterError("schedule: the double-observation share must be between 0 and 1")
    for name, (a, b) in dayparts.items():
        if _minutes(b) - _minutes(a) < minutes:
            raise ParameterError(f"schedule: a {minutes}-minute session does not fit the {name}")
    return d0, d1


def _date_slots(
    state: pd.Series,
    s_order: list[str],
    s_alloc: dict,
    per_day: int,
    rng: np.random.Generator,
) -> list[tuple[pd.Timestamp, str]]:
    """Steps 2 and 3: each state's sessions over its weekdays, then evenly over their dates."""
    weekday = pd.Series(pd.DatetimeIndex(state.index).day_of_week, index=state.index)
    wd_total: dict[int, int] = dict.fromkeys(range(7), 0)
    slots: list[tuple[pd.Timestamp, str]] = []
    for s in s_order:
        days = state.index[state == s]
        wds = sorted({int(x) for x in weekday[days]})
        caps = {w: int((weekday[days] == w).sum()) * per_day for w in wds}
        w_order = [int(x) for x in rng.permutation(wds)]
        w_alloc = _fill(s_alloc[s], caps, w_order, weight=lambda w: wd_total[w])
        for w in wds:
            wd_total[w] += w_alloc[w]
            ds = [pd.Timestamp(x) for x in rng.permutation(days[(weekday[days] == w).to_numpy()])]
            d_alloc = _fill(w_alloc[w], dict.fromkeys(ds, per_day), ds)
            slots += [(d, s) for d in ds for _ in range(d_alloc[d])]
    return slots


class _Tally:
    """Sessions so far by zone, daypart, zone x daypart and (zone or daypart) x state."""

    def __init__(self, zones: list[str], parts: list[str]) -> None:
        self.zone = dict.fromkeys(zones, 0)
        self.part = dict.fromkeys(parts, 0)
        self.cell: dict[tuple, int] = {}
        self.joint: dict[tuple, int] = {}

    def key(self, z: str, p: str, s: str, taken: set, noise: float) -> tuple:
        """Sort key of a zone and daypart for a session in state ``s`` (smallest is chosen)."""
        return (
            (z, p) in taken,
            self.zone[z] + self.part[p],
            self.joint.get((z, s), 0) + self.joint.get((p, s), 0),
            self.cell.get((z, p), 0),
            noise,
        )

    def add(self, z: str, p: str, s: str) -> None:
        self.zone[z] += 1
        self.part[p] += 1
        self.cell[(z, p)] = self.cell.get((z, p), 0) + 1
        self.joint[(z, s)] = self.joint.get((z, s), 0) + 1
        self.joint[(p, s)] = self.joint.get((p, s), 0) + 1


def _zones_and_dayparts(
    slots: list[tuple[pd.Timestamp, str]],
    zones: list[str],
    parts: list[str],
    rng: np.random.Generator,
) -> tuple[list[list], dict[pd.Timestamp, set]]:
    """Step 4: each session (in random order) takes the least used zone and daypart."""
    tally = _Tally(zones, parts)
    used: dict[pd.Timestamp, set] = {}
    assigned: list[list] = []
    for i in rng.permutation(len(slots)):
        d, s = slots[int(i)]
        taken = used.setdefault(d, set())
        noise = rng.random((len(zones), len(parts)))
        cells = [(z, p) for z in zones for p in parts]
        keys = [tally.key(z, p, s, taken, noise.flat[k]) for k, (z, p) in enumerate(cells)]
        z, p = cells[min(range(len(cells)), key=keys.__getitem__)]
        taken.add((z, p))
        tally.add(z, p, s)
        assigned.append([d, s, z, p])
    return assigned, used


def _with_times(
    assigned: list[list],
    dayparts: dict[str, tuple[str, str]],
    minutes: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Step 5: a start on a 15-minute grid inside each session's daypart; sorted by time."""
    rows = []
    for d, s, z, p in assigned:
        a, b = dayparts[p]
        first, last = _minutes(a), _minutes(b) - minutes
        begin = first + 15 * int(rng.integers(0, (last - first) // 15 + 1))
        rows.append(
            {
                "date": d,
                "start": _hhmm(begin),
                "end": _hhmm(begin + minutes),
                "zone": z,
                "daypart": p,
                "activation": s,
            }
        )
    out = pd.DataFrame(rows)
    return out.sort_values(["date", "start", "zone"], kind="stable").reset_index(drop=True)


def _mark_doubles(out: pd.DataFrame, s_order: list[str], k: int, rng: np.random.Generator) -> None:
    """Step 6: ``k`` sessions get two observers, taken in turn from each state."""
    pools = {s: list(rng.permutation(out.index[out["activation"] == s])) for s in s_order}
    doubles: list[int] = []
    while len(doubles) < k:
        for s in s_order:
            if pools[s] and len(doubles) < k:
                doubles.append(int(pools[s].pop()))
    out["observers"] = 1
    out.loc[doubles, "observers"] = 2


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    """Slot ids, weekday, ISO week and the date as text, in :data:`COLUMNS` order."""
    out.insert(0, "slot", [f"p{i:03d}" for i in range(1, len(out) + 1)])
    iso = out["date"].dt.isocalendar()
    out.insert(2, "weekday", out["date"].dt.day_name().str.lower().str[:3])
    out.insert(3, "week", [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)])
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out[COLUMNS]


def _rebalance(assigned: list[list], col: int, values: list[str], used: dict) -> None:
    """Move sessions from the fullest to the emptiest zone (col 2) or daypart (col 3).

    The greedy choice keeps the margins within one session unless a date is
    full; then a session is moved where its date still has the room.
    """
    for _ in range(len(assigned)):
        counts = dict.fromkeys(values, 0)
        for a in assigned:
            counts[a[col]] += 1
        hi = max(values, key=lambda v: counts[v])
        lo = min(values, key=lambda v: counts[v])
        if counts[hi] - counts[lo] <= 1:
            return
        for a in assigned:
            if a[col] != hi:
                continue
            new = (lo, a[3]) if col == 2 else (a[2], lo)
            if new not in used[a[0]]:
                used[a[0]].discard((a[2], a[3]))
                used[a[0]].add(new)
                a[col] = lo
                break
        else:
            return


def _assign_observers(out: pd.DataFrame, observers: list[str], minutes: int, rng) -> None:
    if len(observers) < 2 and (out["observers"] == 2).any():
        raise ParameterError("schedule: double observations need at least two observers")
    load = dict.fromkeys(observers, 0)
    doubled = dict.fromkeys(observers, 0)
    busy: dict[tuple, list[tuple[int, int]]] = {}
    gap = 15  # minutes to move between zones
    for i, row in out.iterrows():
        a = _minutes(row["start"])
        span = (a - gap, a + minutes + gap)

        def free(o, span=span, day=row["date"]):
            return all(e <= span[0] or s >= span[1] for s, e in busy.get((o, day), []))

        cands = [o for o in observers if free(o)]
        need = int(row["observers"])
        if len(cands) < need:
            raise ParameterError(
                f"schedule: not enough observers free on {row['date']:%Y-%m-%d} at "
                f"{row['start']}; give more observers or fewer sessions per day"
            )
        tie = {o: rng.random() for o in cands}
        if need == 2:
            cands.sort(key=lambda o: (doubled[o], load[o], tie[o]))
        else:
            cands.sort(key=lambda o: (load[o], tie[o]))
        chosen = cands[:need]
        for j, o in enumerate(chosen):
            load[o] += 1
            if need == 2:
                doubled[o] += 1
            busy.setdefault((o, row["date"]), []).append((a, a + minutes))
            out.at[i, f"observer_{j + 1}"] = o
