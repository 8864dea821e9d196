"""Shared model checks: overdispersion and separation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ModelError

__all__ = ["cameron_trivedi", "check_separation", "check_outcome"]


def cameron_trivedi(y: np.ndarray, mu: np.ndarray) -> dict:
    """Cameron & Trivedi (1990) regression test of Poisson equidispersion (NB2 alternative).

    Auxiliary OLS without intercept of ((y - mu)^2 - y) / mu on mu; the slope
    estimates alpha in Var(y) = mu + alpha * mu^2. One-sided test of alpha > 0.

    Returns ``{"alpha": a, "t": t, "p_value": p}``.
    """
    y, mu = np.asarray(y, float), np.asarray(mu, float)
    z = ((y - mu) ** 2 - y) / mu
    x = mu
    beta = float((x @ z) / (x @ x))
    resid = z - beta * x
    n = len(y)
    se = float(np.sqrt((resid @ resid) / (n - 1) / (x @ x)))
    t = beta / se if se > 0 else np.inf
    return {"alpha": beta, "t": t, "p_value": float(stats.t.sf(t, n - 1))}


def check_outcome(df: pd.DataFrame, outcome: str, exposure: str | None) -> None:
    if outcome not in df:
        raise ModelError(f"no column {outcome!r} for the outcome")
    y = pd.to_numeric(df[outcome], errors="coerce")
    if y.isna().any():
        raise ModelError(
            f"outcome {outcome!r} has {int(y.isna().sum())} missing or non-numeric values"
        )
    if (y < 0).any() or (y != np.floor(y)).any():
        raise ModelError(f"outcome {outcome!r} must be counts (whole numbers >= 0)")
    if len(y) == 0:
        raise ModelError("no rows to fit")
    if y.sum() == 0:
        raise ModelError(
            f"outcome {outcome!r} is zero in every row: there is nothing to model (no rate ratio can be estimated)"
        )
    if exposure is not None:
        if exposure not in df:
            raise ModelError(f"no column {exposure!r} for the exposure")
        e = pd.to_numeric(df[exposure], errors="coerce")
        if e.isna().any() or (e <= 0).any():
            raise ModelError(
                f"exposure {exposure!r} must be > 0 in every row ({int((e.isna() | (e <= 0)).sum())} rows are not)"
            )


def check_separation(y: np.ndarray, X: pd.DataFrame) -> None:
    """Refuse designs with a constant term or a 0/1 column whose rows are all zero (infinite log rate ratio)."""
    for col in X.columns:
        if col == "Intercept":
            continue
        x = X[col].to_numpy()
        vals = np.unique(x)
        if len(vals) == 1:
            raise ModelError(
                f"term {col!r} takes only one value ({vals[0]:g}) in these data: its effect cannot be estimated (e.g. only one activation state observed)"
            )
        if set(vals) <= {0.0, 1.0}:
            if y[x == 1].sum() == 0:
                raise ModelError(
                    f"perfect separation: the outcome is zero in every row where {col!r} = 1, so its rate ratio is 0 with no finite CI; merge or drop that level"
                )
            if y[x == 0].sum() == 0:
                raise ModelError(
                    f"perfect separation: the outcome is zero in every row where {col!r} = 0, so its rate ratio is infinite; merge or drop that level"
                )
