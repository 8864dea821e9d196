"""01's published outputs: the people table and every rate table built from the same counts."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from evaluation.analyses.site import analyse_site, published_tables

STATES = ["art", "event", "none", "park"]


def _site(people: pd.DataFrame, rng) -> SimpleNamespace:
    """A SiteAnalysis stand-in whose rate tables are built from ``people`` (hours random)."""

    def rates(frame: pd.DataFrame) -> pd.DataFrame:
        hours = rng.uniform(5, 50, len(frame))
        return frame.assign(
            sessions=10, hours=hours, rate=frame["count"] / hours, ci_low=0.0, ci_high=1.0
        )

    zone = [
        {"zone": z, "activated": a, "count": int(people.loc[z, cols].sum())}
        for z in people.index
        for a, cols in ((0, ["none"]), (1, ["art", "event", "park"]))
    ]
    act = [{"activation": s, "count": int(people[s].sum())} for s in people.columns]
    # two dayparts splitting the column totals of none and of the activated states
    day = []
    for a, cols in ((0, ["none"]), (1, ["art", "event", "park"])):
        total = int(people[cols].to_numpy().sum())
        first = int(rng.integers(0, total + 1))
        day += [
            {"daypart": "day", "activated": a, "count": first},
            {"daypart": "evening", "activated": a, "count": total - first},
        ]
    return SimpleNamespace(
        people_by_zone=people,
        rates_activation=rates(pd.DataFrame(act)),
        rates_zone=rates(pd.DataFrame(zone)),
        rates_daypart=rates(pd.DataFrame(day)),
    )


def _intruder_ranges(out, people: pd.DataFrame, k: int) -> dict[tuple[str, str], tuple[int, int]]:
    """Independent integer program: the range of each hidden body cell, knowing every output.

    Knows: the published cells and totals, what "<k" (1..k-1) and a body "x"
    (0 or >= k) mean, that rows and columns add up, and every count the rate
    tables still show (a rate table's count is a sum of cells).
    """
    zones, states = list(people.index), list(people.columns)
    cell = {(z, s): i for i, (z, s) in enumerate((z, s) for z in zones for s in states)}
    n = len(cell)
    pub = out.people
    xs = [c for c in cell if pub.loc[c] == "x"]
    nv = n + len(xs)
    rows, lo, hi = [], [], []

    def eq(cells, value):
        a = np.zeros(nv)
        for c in cells:
            a[cell[c]] = 1
        rows.append(a)
        lo.append(value)
        hi.append(value)

    for z in zones:  # published row totals
        if not isinstance(pub.loc[z, "Total"], str):
            eq([(z, s) for s in states], pub.loc[z, "Total"])
    for s in states:  # published column totals
        if not isinstance(pub.loc["Total", s], str):
            eq([(z, s) for z in zones], pub.loc["Total", s])
    if not isinstance(pub.loc["Total", "Total"], str):
        eq(list(cell), pub.loc["Total", "Total"])
    for r in out.rates_zone.itertuples():
        if not r.suppressed:
            cols = ["none"] if r.activated == 0 else [s for s in states if s != "none"]
            eq([(r.zone, s) for s in cols], r.count)
    for r in out.rates_activation.itertuples():
        if not r.suppressed:
            eq([(z, r.activation) for z in zones], r.count)
    for a in (0, 1):
        d = out.rates_daypart[out.rates_daypart["activated"] == a]
        if len(d) and not d["suppressed"].any():
            cols = ["none"] if a == 0 else [s for s in states if s != "none"]
            eq([(z, s) for z in zones for s in cols], d["count"].sum())
    lb, ub = np.zeros(nv), np.full(nv, 1e6)
    for c, i in cell.items():
        v = pub.loc[c]
        if v == f"<{k}":
            lb[i], ub[i] = 1, k - 1
        elif not isinstance(v, str):
            lb[i] = ub[i] = v
    for b, c in enumerate(xs):  # a body "x": 0 or >= k
        z = n + b
        ub[z] = 1
        a = np.zeros(nv)
        a[cell[c]], a[z] = 1, -k
        rows.append(a), lo.append(0), hi.append(np.inf)
        a = np.zeros(nv)
        a[cell[c]], a[z] = 1, -1e6
        rows.append(a), lo.append(-np.inf), hi.append(0)
    cons = LinearConstraint(np.array(rows), lo, hi)
    ranges = {}
    for c, i in cell.items():
        if not isinstance(pub.loc[c], str):
            continue
        ends = []
        for sense in (1, -1):
            obj = np.zeros(nv)
            obj[i] = sense
            res = milp(obj, constraints=cons, integrality=np.ones(nv), bounds=Bounds(lb, ub))
            assert res.status == 0, res.message
            ends.append(round(sense * res.fun))
        ranges[c] = tuple(ends)
    return ranges


@pytest.mark.parametrize("seed", range(12))
def test_rate_tables_give_back_no_hidden_cell(seed):
    """Over random tables: what the people table hides stays hidden with the rate tables shown.

    The protection interval (``min_cell - 2``, the width of a "<k" label) must
    hold for every hidden cell against an intruder who also reads every count
    the rate tables (figures) show.
    """
    rng = np.random.default_rng(seed)
    k = 5
    means = rng.choice([0.5, 2, 4, 8, 20], size=(5, 4))
    people = pd.DataFrame(
        rng.poisson(means), index=[f"z{i}" for i in range(5)], columns=STATES
    ).rename_axis(index="zone", columns="activation")
    site = _site(people, rng)
    out = published_tables(site, min_cell=k)
    for (z, s), (low, high) in _intruder_ranges(out, people, k).items():
        assert low <= people.loc[z, s] <= high
        if out.people.loc[z, s] == f"<{k}":
            assert (low, high) == (1, k - 1), (z, s, low, high)
        else:
            assert high - low >= k - 2, (z, s, low, high)
    # the rows still shown are the true values
    shown = out.rates_zone[~out.rates_zone["suppressed"]]
    for r in shown.itertuples():
        cols = ["none"] if r.activated == 0 else ["art", "event", "park"]
        assert r.count == people.loc[r.zone, cols].to_numpy().sum()
        assert r.rate == pytest.approx(r.count / r.hours)


def test_rate_tables_unprotected_would_give_cells_back():
    """The test above can fail: without hiding, the zone rates give a hidden cell exactly."""
    rng = np.random.default_rng(1)
    people = pd.DataFrame(
        [[12, 9, 3, 20], [8, 15, 11, 7], [30, 6, 14, 9]],
        index=["a", "b", "c"],
        columns=STATES,
    )
    site = _site(people, rng)
    out = published_tables(site, min_cell=5)
    raw = SimpleNamespace(
        people=out.people,
        rates_zone=site.rates_zone.assign(suppressed=False),
        rates_activation=site.rates_activation.assign(suppressed=False),
        rates_daypart=site.rates_daypart.assign(suppressed=False),
    )
    ranges = _intruder_ranges(raw, people, 5)
    assert ranges[("a", "none")] == (3, 3)  # the "<5" cell recovered from zone a's none rate
    assert all(
        high - low >= 3 or out.people.loc[c] == "<5"
        for c, (low, high) in _intruder_ranges(out, people, 5).items()
    )


def test_daypart_rates_hidden_when_a_column_total_is(example_ds):
    site = analyse_site(example_ds)
    out = published_tables(site, min_cell=60)  # hides the Total cells of event and none
    assert out.people.loc["Total"].map(lambda v: isinstance(v, str)).any()
    assert out.rates_daypart["suppressed"].all() and out.rates_daypart["count"].isna().all()
    act = out.rates_activation.set_index("activation")
    for s in site.people_by_zone.columns:
        assert act.loc[s, "suppressed"] == isinstance(out.people.loc["Total", s], str)
    small = published_tables(site, min_cell=5)
    assert not small.rates_daypart["suppressed"].any()
    assert (small.rates_daypart["count"] == site.rates_daypart["count"]).all()


# ---------------------------------------------------------------- method conflict (issue 15.6)
def test_site_results_carry_the_method_conflict_rate(example_ds):
    from evaluation.analyses.conflict import method_conflict_rate_ratio, method_conflict_rates
    from evaluation.results import envelope, parse

    site = analyse_site(example_ds)
    rec = site.record
    by_state = method_conflict_rates(site.per_session, ["activation"])
    assert set(rec.method_conflict_rates) == set(by_state["activation"])
    for r in by_state.itertuples():
        got = rec.method_conflict_rates[r.activation]
        assert (got.co_presence_sales, got.hours, got.sessions) == (
            r.co_presence_sales,
            r.hours,
            r.sessions,
        )
        assert got.rate == pytest.approx(r.co_presence_sales / r.hours)
        assert got.ci_low < got.rate < got.ci_high
    act = rec.method_conflict_activated
    pooled = by_state[by_state["activation"] != "none"]
    assert act.co_presence_sales == pooled["co_presence_sales"].sum()
    assert act.hours == pytest.approx(pooled["hours"].sum())
    rr = rec.method_conflict_rate_ratio
    fit = method_conflict_rate_ratio(site.per_session)
    assert rr.measure == "method_conflict_rate_ratio" and rr.scale == "ratio"
    assert rr.estimate == pytest.approx(fit.table.loc["activated", "rate_ratio"])
    assert rr.ci_low < rr.estimate < rr.ci_high and rr.checks
    # the JSON round trip of the results contract
    back = parse(envelope("01_site_observations", site.results))
    assert back.method_conflict_rate_ratio == rr
    assert back.method_conflict_rates == rec.method_conflict_rates
    assert "method_conflict_rate_ratio" not in [i.result for i in rec.incomplete]


def test_an_unfittable_method_conflict_model_is_incomplete(example_ds):
    """No drug sale in any activated session: the rate ratio is 0 with no CI (separation)."""
    import copy

    ds = copy.copy(example_ds)
    obs = dict(ds.observations)
    s = obs["sessions"]
    activated = set(s.loc[s["activation"] != "none", "session_id"])
    inc = obs["incidents"]
    obs["incidents"] = inc[~((inc["kind"] == "drug_sale") & inc["session_id"].isin(activated))]
    ds.observations = obs
    site = analyse_site(ds)
    rec = site.record
    assert site.conflict_fit is None and "separation" in site.conflict_error
    assert rec.method_conflict_rate_ratio.estimate is None
    assert rec.method_conflict_activated.co_presence_sales == 0
    why = {i.result: i.why for i in rec.incomplete}
    assert "separation" in why["method_conflict_rate_ratio"]
    assert rec.target_staying_rate_ratio.estimate is not None
