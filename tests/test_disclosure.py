"""Disclosure control: no suppressed cell can be recovered; the leak scan finds what it must and nothing else."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from evaluation.disclosure import suppress_small_counts

tables = st.integers(2, 4).flatmap(
    lambda r: st.integers(2, 4).flatmap(
        lambda c: st.lists(
            st.lists(st.integers(0, 30), min_size=c, max_size=c), min_size=r, max_size=r
        )
    )
)


def integer_range(published: pd.DataFrame, min_count: int, k: int) -> tuple[float, float]:
    """Smallest and largest *integer* value the k-th hidden cell can take given the published table.

    Independent of the package's audit: an integer program (scipy milp) built
    only from what is printed: the shown numbers, that every row and column
    adds up to its printed total, and the meaning of the labels ("<5": 1..4,
    "x": any whole number >= 0).
    """
    pub = published.to_numpy()
    hidden = [
        (i, j)
        for i in range(pub.shape[0])
        for j in range(pub.shape[1])
        if isinstance(pub[i, j], str)
    ]
    pos = {c: n for n, c in enumerate(hidden)}
    rows = [[(i, j) for j in range(pub.shape[1])] for i in range(pub.shape[0])]
    cols = [[(i, j) for i in range(pub.shape[0])] for j in range(pub.shape[1])]
    A, rhs = [], []
    for line in rows + cols:
        coef, b = np.zeros(len(hidden)), 0.0
        for n, cell in enumerate(line):
            sign = -1.0 if n == len(line) - 1 else 1.0
            if cell in pos:
                coef[pos[cell]] += sign
            else:
                b -= sign * float(pub[cell])
        if coef.any():
            A.append(coef)
            rhs.append(b)
    lb = [1 if pub[c] == f"<{min_count}" else 0 for c in hidden]
    ub = [min_count - 1 if pub[c] == f"<{min_count}" else np.inf for c in hidden]
    cons = LinearConstraint(np.array(A), rhs, rhs)
    c = np.zeros(len(hidden))
    c[k] = 1
    low = milp(c, constraints=cons, integrality=np.ones(len(hidden)), bounds=Bounds(lb, ub))
    assert low.success, "the published table must be consistent with some true table"
    high = milp(-c, constraints=cons, integrality=np.ones(len(hidden)), bounds=Bounds(lb, ub))
    # the minimum exists (cells are >= 0), so a failed maximum means unbounded: not recoverable
    out = [low.fun, -high.fun if high.success else np.inf]
    return out[0], out[1]


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(tables)
def test_no_suppressed_cell_can_be_recovered(rows):
    t = pd.DataFrame(rows)
    values = t.to_numpy()
    pub = suppress_small_counts(t, min_count=5)
    body = pub.iloc[:-1, :-1].to_numpy()
    # every small cell is hidden, and every shown number is the truth
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if 0 < values[i, j] < 5:
                assert body[i, j] == "<5"
            elif not isinstance(body[i, j], str):
                assert body[i, j] == values[i, j]
    shown_totals = [x for x in [*pub.iloc[:-1, -1], *pub.iloc[-1, :]] if not isinstance(x, str)]
    assert all(x in [*values.sum(axis=1), *values.sum(axis=0), values.sum()] for x in shown_totals)
    n_hidden = int(sum(isinstance(x, str) for x in pub.to_numpy().ravel()))
    for k in range(n_hidden):
        lo, hi = integer_range(pub, 5, k)
        assert hi - lo >= 1, f"hidden cell {k} is pinned to {lo}:\n{pub}"


def test_suppression_without_margins_is_primary_only():
    t = pd.DataFrame({"a": [3, 10], "b": [0, 7]})
    pub = suppress_small_counts(t, margins=False)
    assert pub.values.tolist() == [["<5", 0], [10, 7]]


def test_naive_suppression_would_leak():
    """The audit in the property test can fail: primary suppression alone gives a cell back."""
    t = pd.DataFrame({"a": [3, 10], "b": [8, 7]})
    naive = suppress_small_counts(t, margins=False)
    naive["Total"] = t.sum(axis=1)
    naive.loc["Total"] = [*t.sum(axis=0), t.to_numpy().sum()]
    lo, hi = integer_range(naive, 5, 0)
    assert lo == hi == 3


def test_regression_cases_found_by_hypothesis():
    for rows in ([[0, 0], [0, 1]], [[0, 1], [0, 1]], [[1, 1], [1, 1]], [[4, 0, 0], [0, 0, 0]]):
        pub = suppress_small_counts(pd.DataFrame(rows))
        n_hidden = int(sum(isinstance(x, str) for x in pub.to_numpy().ravel()))
        for k in range(n_hidden):
            lo, hi = integer_range(pub, 5, k)
            assert hi - lo >= 1, (rows, k)


def test_totals_hidden_when_they_would_reveal_a_person():
    pub = suppress_small_counts(pd.DataFrame([[0, 0], [0, 1]]))
    assert pub.iat[1, 1] == "<5" and pub.iat[2, 2] == "x"


def test_bad_input():
    with pytest.raises(ValueError):
        suppress_small_counts(pd.DataFrame({"a": [1.5, 2]}))
    with pytest.raises(ValueError):
        suppress_small_counts(pd.DataFrame({"a": [-1, 2]}))
