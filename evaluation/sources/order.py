"""The order of a study's codes: rows and lists follow ``study.yaml``, not the codes' spelling.

Renaming every code of a study consistently must change nothing but the
labels of the report (issue 16), so a table of zones, roles or activation
kinds lists them in the order the study gives them (``study.yaml``
vocabularies), never alphabetically by code. Codes the study does not know
come last, in the order they came in; without a study the order is left as
it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import pandas as pd

from .codes import NO_ACTIVATION

__all__ = ["order_codes", "order_activation", "order_rows", "order_index"]


def _study(study: Any) -> Any:
    if study is not None:
        return study
    from ..i18n import study_in_use

    return study_in_use()


def order_codes(codes: Iterable[Any], vocabulary: str, study: Any = None) -> list[Any]:
    """``codes`` in the order of the study's ``vocabulary`` (unknown codes last, as they came).

    Parameters
    ----------
    codes : iterable
        Codes of one vocabulary (e.g. the zones of a table).
    vocabulary : str
        ``zones``, ``roles``, ``activation_kinds`` ... (``study.yaml`` vocabularies).
    study : Study, optional
        The study; by default the one in use
        (:func:`evaluation.i18n.use_study`); none: ``codes`` as they are.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> s = NS(codes=lambda v: ("zeta", "alfa") if v == "zones" else ())
    >>> order_codes(["alfa", "none", "zeta"], "zones", s)
    ['zeta', 'alfa', 'none']
    >>> order_codes(["alfa", "zeta"], "roles", s), order_codes(["b", "a"], "zones")
    (['alfa', 'zeta'], ['b', 'a'])
    """
    codes = list(codes)
    study = _study(study)
    if study is None:
        return codes
    pos = {c: i for i, c in enumerate(study.codes(vocabulary))}
    return sorted(codes, key=lambda c: pos.get(str(c), len(pos)))


def order_activation(states: Iterable[Any], study: Any = None) -> list[Any]:
    """Activation states: ``none`` (no activation) first, then the study's activation kinds.

    Without a study (given or in use) the states as they are.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> order_activation(["park", "none", "art"], NS(codes=lambda v: ("park", "art")))
    ['none', 'park', 'art']
    """
    study = _study(study)
    if study is None:
        return list(states)
    ordered = order_codes(states, "activation_kinds", study)
    return sorted(ordered, key=lambda s: str(s) != NO_ACTIVATION)


def order_rows(
    frame: pd.DataFrame, column: str, vocabulary: str, study: Any = None
) -> pd.DataFrame:
    """The rows of ``frame`` ordered (stably) by ``column`` in the study's order.

    Rows with the same code keep their order; the index is kept.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> s = NS(codes=lambda v: ("zeta", "alfa"))
    >>> d = pd.DataFrame({"zone": ["alfa", "alfa", "zeta"], "x": [1, 2, 3]})
    >>> order_rows(d, "zone", "zones", s)["x"].tolist()
    [3, 1, 2]
    """
    if frame.empty or column not in frame:
        return frame
    rank = {c: i for i, c in enumerate(_order(pd.unique(frame[column]), vocabulary, study))}
    key = frame[column].map(rank)
    return frame.iloc[key.argsort(kind="stable").to_numpy()]


def order_index(
    frame: pd.DataFrame, vocabulary: str, study: Any = None, axis: Literal[0, 1] = 0
) -> pd.DataFrame:
    """``frame`` with its index (``axis=0``) or columns (``axis=1``) in the study's order.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> s = NS(codes=lambda v: ("zeta", "alfa"))
    >>> t = pd.DataFrame({"alfa": [1], "zeta": [2]}, index=["r"])
    >>> order_index(t, "zones", s, axis=1).columns.tolist()
    ['zeta', 'alfa']
    """
    labels = frame.index if axis == 0 else frame.columns
    return frame.reindex(_order(labels, vocabulary, study), axis=axis)


def _order(codes: Iterable[Any], vocabulary: str, study: Any) -> list[Any]:
    """:func:`order_activation` for activation kinds, else :func:`order_codes`."""
    if vocabulary == "activation_kinds":
        return order_activation(codes, study)
    return order_codes(codes, vocabulary, study)
