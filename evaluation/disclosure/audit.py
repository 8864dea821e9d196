"""The intruder's audit of a suppressed table: how narrowly can a reader who knows what
the labels mean place each hidden cell? An integer program per cell (scipy's HiGHS).
"""

from __future__ import annotations

import numpy as np

__all__ = ["cell_bounds", "default_protection"]

_BIG = 10**7  # "no upper bound" for the audit's integer program


def with_margins(values: np.ndarray) -> np.ndarray:
    """The table with its row totals (last column), column totals (last row) and grand total."""
    r, c = values.shape
    full = np.zeros((r + 1, c + 1))
    full[:r, :c] = values
    full[:r, c] = values.sum(axis=1)
    full[r, :c] = values.sum(axis=0)
    full[r, c] = values.sum()
    return full


def default_protection(min_count: int) -> int:
    """The documented protection interval: ``min_count - 2``, the width of a ``"<k"`` label's range 1..k-1.

    Examples
    --------
    >>> default_protection(5)
    3
    """
    return max(int(min_count) - 2, 0)


Cell = tuple[int, int]


def _cell_kinds(full: np.ndarray, idx: list[Cell], k: int, margins: bool) -> list[str]:
    """What each suppressed cell's label says: ``primary`` ("<k": 1..k-1), ``x_body`` (a body
    "x": 0 or >= k) or ``x_total`` (a hidden total: any whole number >= 0)."""
    n_r, n_c = full.shape
    body_r, body_c = (n_r - 1, n_c - 1) if margins else (n_r, n_c)
    kinds = []
    for cell in idx:
        in_body = cell[0] < body_r and cell[1] < body_c
        v = full[cell]
        kinds.append("primary" if in_body and 0 < v < k else "x_body" if in_body else "x_total")
    return kinds


class _Audit:
    """The intruder's integer program: one variable per suppressed cell, then one binary per
    body ``"x"`` cell (0 if the cell is 0, 1 if it is >= k)."""

    def __init__(self, full: np.ndarray, idx: list[Cell], min_count: int, margins: bool) -> None:
        self.k = int(min_count)
        self.idx = idx
        self.kinds = _cell_kinds(full, idx, self.k, margins)
        self.xs = [i for i, kind in enumerate(self.kinds) if kind == "x_body" and self.k > 1]
        self.nv = len(idx) + len(self.xs)
        self.rows: list[np.ndarray] = []
        self.lo: list[float] = []
        self.hi: list[float] = []
        if margins:
            self._add_totals(full)
        self._add_zero_or_k()
        self._bounds()
        from scipy.optimize import Bounds, LinearConstraint

        self.cons = [LinearConstraint(np.array(self.rows), self.lo, self.hi)] if self.rows else []
        self.var_bounds = Bounds(self.lb, self.ub)

    def _add(self, coef: np.ndarray, lo: float, hi: float) -> None:
        self.rows.append(coef)
        self.lo.append(lo)
        self.hi.append(hi)

    def _add_totals(self, full: np.ndarray) -> None:
        """Each row and column adds up to its total (the last cell of the line)."""
        pos = {cell: i for i, cell in enumerate(self.idx)}
        for line in _lines(*full.shape):  # sum of the first cells = the last (the total)
            coef = np.zeros(self.nv)
            rhs = 0.0
            for m, cell in enumerate(line):
                sign = -1.0 if m == len(line) - 1 else 1.0
                if cell in pos:
                    coef[pos[cell]] += sign
                else:
                    rhs -= sign * full[cell]
            if coef.any():
                self._add(coef, rhs, rhs)

    def _add_zero_or_k(self) -> None:
        """A body "x" is 0 or >= k (big-M): y - k z >= 0 and y - BIG z <= 0."""
        for b, i in enumerate(self.xs):
            z = len(self.idx) + b
            c1 = np.zeros(self.nv)
            c1[i], c1[z] = 1.0, -float(self.k)
            self._add(c1, 0.0, np.inf)
            c2 = np.zeros(self.nv)
            c2[i], c2[z] = 1.0, -float(_BIG)
            self._add(c2, -np.inf, 0.0)

    def _bounds(self) -> None:
        k, n_x = self.k, len(self.xs)
        self.lb = np.array([1.0 if kd == "primary" else 0.0 for kd in self.kinds] + [0.0] * n_x)
        self.ub = np.array(
            [float(k - 1) if kd == "primary" else float(_BIG) for kd in self.kinds] + [1.0] * n_x
        )

    def solve(self, i: int, sense: float) -> float:
        """The smallest (``sense`` 1) or largest (-1) value cell ``i`` can take."""
        from scipy.optimize import milp

        c = np.zeros(self.nv)
        c[i] = sense
        res = milp(c, constraints=self.cons, integrality=np.ones(self.nv), bounds=self.var_bounds)
        if res.status != 0:
            raise RuntimeError(f"disclosure audit: integer program failed ({res.message})")
        return float(round(sense * res.fun))

    def bounds(self) -> np.ndarray:
        """[low, high] of every suppressed cell; ``inf`` for no upper bound."""
        out = np.zeros((len(self.idx), 2))
        for i in range(len(self.idx)):
            out[i, 0] = self.solve(i, 1.0)
            top = self.solve(i, -1.0)
            out[i, 1] = np.inf if top >= _BIG / 2 else top
        return out

    def first_narrow(self, truth: np.ndarray, protection: int) -> Cell | None:
        """The first cell narrower than ``protection`` ("<k" cells first), or ``None``."""
        k = self.k
        order = sorted(range(len(self.idx)), key=lambda i: self.kinds[i] != "primary")
        for i in order:
            v = truth[self.idx[i]]
            # a "<k" cell cannot be wider than its label: it must keep all of 1..k-1
            width = min(protection, k - 2) if self.kinds[i] == "primary" else protection
            hi = self.solve(i, -1.0)
            if hi >= _BIG / 2 or hi - v >= width:
                continue
            if hi - self.solve(i, 1.0) < width:
                return self.idx[i]
        return None


def cell_bounds(
    full: np.ndarray,
    mask: np.ndarray,
    min_count: int,
    margins: bool = True,
    only: tuple[np.ndarray, int] | None = None,
) -> np.ndarray | Cell | None:
    """Feasible [low, high] of every suppressed cell, as an intruder who knows the labels finds them.

    ``full`` is the table with its totals in the last row and column (see
    :func:`~evaluation.disclosure.suppression_mask`; with ``margins=False`` the body alone); ``mask``
    marks the suppressed cells, totals included. What the intruder knows:
    every published cell and total; that each row and column adds up to its
    total; that every cell is a whole number; that a body cell shown ``"<k"``
    lies in 1..k-1; and, because of that label, that a body cell shown
    ``"x"`` is 0 or at least k (it would have been ``"<k"`` otherwise). A
    suppressed total is any whole number >= 0. Bounds come from an integer
    program per cell (scipy's HiGHS ``milp``, big-M for the "0 or >= k"
    disjunction).

    Parameters
    ----------
    full : ndarray
        The true table (with totals when ``margins``).
    mask : ndarray of bool
        The suppressed cells, same shape.
    min_count : int
        The suppression threshold k.
    margins : bool
        Whether ``full`` has totals (and the rows and columns add up to them).
    only : (ndarray, int), optional
        ``(truth, protection)``: instead of all bounds, the first cell whose
        range is narrower than ``protection`` (``None`` if there is none).

    Returns
    -------
    ndarray or tuple or None
        An array of shape (n_suppressed, 2) in row-major order of the mask;
        ``inf`` for no upper bound. With ``only``: a cell or ``None``.

    Examples
    --------
    A label-blind choice of cells gives them back: the "<5" and the "x" of
    the first row add up to 6, and an "x" body cell is 0 or at least 5.

    >>> full = np.array([[1, 5, 6], [10, 12, 22], [11, 17, 28]])
    >>> mask = np.array([[True, True, False], [True, True, False], [False, False, False]])
    >>> cell_bounds(full, mask, 5)
    array([[ 1.,  1.],
           [ 5.,  5.],
           [10., 10.],
           [12., 12.]])
    >>> from evaluation.disclosure import suppression_mask
    >>> b = cell_bounds(full, suppression_mask(full[:2, :2]), 5)  # cells chosen knowing the labels
    >>> bool((b[:, 1] - b[:, 0] >= default_protection(5)).all())
    True
    """
    idx = [(int(a), int(b)) for a, b in np.argwhere(mask)]
    if not idx:
        return None if only is not None else np.zeros((0, 2))
    audit = _Audit(full, idx, min_count, margins)
    if only is not None:  # the first cell narrower than ``only[1]``, or None (see _protected)
        return audit.first_narrow(only[0], only[1])
    return audit.bounds()


def _protected(
    full: np.ndarray, mask: np.ndarray, min_count: int, protection: int, margins: bool = True
) -> list[Cell]:
    """The first suppressed cell whose feasible range is narrower than ``protection`` (or none).

    Uses the true table (always feasible) to skip half the integer programs:
    a cell whose maximum is ``protection`` above its true value is protected.
    """
    idx = [(int(a), int(b)) for a, b in np.argwhere(mask)]
    if not idx:
        return []
    weak = _Audit(full, idx, min_count, margins).first_narrow(full, protection)
    return [] if weak is None else [weak]


def _lines(n_r: int, n_c: int) -> list[list[Cell]]:
    """Every row, then every column, of a table with totals: the total is each line's last cell."""
    return [[(i, j) for j in range(n_c)] for i in range(n_r)] + [
        [(i, j) for i in range(n_r)] for j in range(n_c)
    ]
