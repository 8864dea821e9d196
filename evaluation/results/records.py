"""The records every results file shares: an estimate with its checks, and the envelope's rows.

An :class:`Estimate` is one estimate with its 95% confidence interval, its
scale and null value and its model :class:`Check` s; :func:`direction` decides
its direction from the CI against the null (the one place a direction is
decided). :class:`Incomplete` and :class:`Sensitivity` are the rows of the
envelope's ``incomplete`` and ``sensitivity`` lists; a
:class:`CoIntervention` is something else that started around the
intervention, and :func:`starts_within` picks those that start inside a period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from .codec import as_json, decode

__all__ = [
    "SCALES",
    "DIRECTIONS",
    "Scale",
    "DirectionName",
    "Check",
    "Estimate",
    "Incomplete",
    "Sensitivity",
    "CoIntervention",
    "direction",
    "starts_within",
]

#: The scales an estimate can be on (``ratio``: null 1; ``difference``: null 0).
SCALES = ("ratio", "difference", "share")
#: What :func:`direction` can return.
DIRECTIONS = ("increase", "decrease", "no_clear_change")

Scale = Literal["ratio", "difference", "share"]
DirectionName = Literal["increase", "decrease", "no_clear_change"]


@dataclass(frozen=True)
class Check:
    """One named model check and whether it passed.

    ``value`` is what was measured (e.g. a Ljung-Box p-value) and ``threshold``
    what it was compared with, so that a reader can see why.

    Attributes
    ----------
    name : str
        The check (``overdispersion``, ``autocorrelation`` ...).
    passed : bool
        Whether the model passed it.
    value, threshold : float or None
        What was measured, and what it was compared with.

    Examples
    --------
    >>> Check("autocorrelation", False, value=0.01, threshold=0.05).passed
    False
    """

    name: str
    passed: bool
    value: float | None = None
    threshold: float | None = None


@dataclass
class Estimate:
    """One estimate with its 95% confidence interval.

    Attributes
    ----------
    measure : str
        What is estimated (an id such as ``target_staying_rate_ratio``).
    estimate, ci_low, ci_high, p_value : float or None
        ``None`` when it could not be estimated (see ``notes``).
    scale : {"ratio", "difference", "share"}
    null_value : float or None
        The value meaning "no effect"; by default 1 for a ratio and 0 for a
        difference (a share has none unless given).
    family : str or None
        The model family used (e.g. ``poisson``, ``negbin``, ``binomial``).
    n : int or None
        Number of units behind it (sessions, months, respondents...).
    checks : list of Check
        The model checks, each with passed true/false.
    notes : list of str
        Anything a reader must know (e.g. why it could not be estimated).

    Examples
    --------
    >>> e = Estimate("rr", 1.8, 1.4, 2.3, checks=[Check("overdispersion", True)])
    >>> e.null_value, e.available, e.failed_checks()
    (1.0, True, [])
    >>> Estimate("d", 0.2, scale="difference").null_value
    0.0
    """

    measure: str
    estimate: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    scale: Scale = "ratio"
    null_value: float | None = None
    family: str | None = None
    n: int | None = None
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise ValueError(f"scale {self.scale!r}: expected one of {', '.join(SCALES)}")
        if self.null_value is None:
            self.null_value = {"ratio": 1.0, "difference": 0.0}.get(self.scale)

    @property
    def available(self) -> bool:
        """Whether there is an estimate with a finite confidence interval."""
        return all(
            v is not None and math.isfinite(v) for v in (self.estimate, self.ci_low, self.ci_high)
        )

    def failed_checks(self) -> list[str]:
        """Names of the model checks that did not pass."""
        return [c.name for c in self.checks if not c.passed]

    def to_dict(self) -> dict[str, Any]:
        """The estimate as JSON-ready plain values (NaN as ``None``).

        Examples
        --------
        >>> Estimate("rr", 1.5, 1.1, 2.0).to_dict()["null_value"]
        1.0
        """
        out: dict[str, Any] = as_json(self)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "") -> Estimate:
        """The estimate (of this class) from :meth:`to_dict`'s values, checked field by field.

        Raises
        ------
        evaluation.errors.DataError
            A field is missing or of the wrong type; the error names ``where``.

        Examples
        --------
        >>> Estimate.from_dict({"measure": "rr", "estimate": 2}).estimate
        2.0
        """
        out: Estimate = decode(cls, d, where or cls.__name__, "<results>")
        return out


@dataclass(frozen=True)
class Incomplete:
    """A key result that could not be computed, and why (a row of the envelope's ``incomplete``).

    Examples
    --------
    >>> Incomplete("method_conflict", "the codebook has no such code").result
    'method_conflict'
    """

    result: str
    why: str


@dataclass(frozen=True)
class Sensitivity:
    """One estimate re-computed under a variant of the analysis (a row of ``sensitivity``).

    Examples
    --------
    >>> Sensitivity("target_staying_rate_ratio", "family=poisson", 1.7, 1.3, 2.2).variant
    'family=poisson'
    """

    estimate: str
    variant: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class CoIntervention:
    """Something else that started around the intervention (from ``calendar.csv``).

    ``start`` and ``end`` are ISO dates (``YYYY-MM-DD``).

    Examples
    --------
    >>> CoIntervention("cameras", "policing", "2019-03-01", "2025-12-31").kind
    'policing'
    """

    name: str
    kind: str
    start: str  # YYYY-MM-DD
    end: str  # YYYY-MM-DD


def direction(est: Estimate) -> DirectionName:
    """``increase``, ``decrease`` or ``no_clear_change``: the 95% CI against the null value.

    The one place where a direction is decided. An estimate whose CI lies
    wholly above its null value is an increase, wholly below a decrease;
    a CI that contains the null, or a missing estimate, is no clear change.

    Parameters
    ----------
    est : Estimate
        The estimate; its ``null_value`` is what "no change" is.

    Returns
    -------
    str
        ``increase``, ``decrease`` or ``no_clear_change``.

    Raises
    ------
    ValueError
        The estimate has no null value (a share given without one).

    Examples
    --------
    >>> direction(Estimate("rr", 0.6, 0.45, 0.8)), direction(Estimate("d", 0.1, -0.2, 0.4, scale="difference"))
    ('decrease', 'no_clear_change')
    >>> direction(Estimate("rr", None))
    'no_clear_change'
    """
    if est.null_value is None:
        raise ValueError(f"{est.measure}: a {est.scale} has no null value to compare with")
    if not est.available or est.ci_low is None or est.ci_high is None:
        return "no_clear_change"
    if est.ci_low > est.null_value:
        return "increase"
    if est.ci_high < est.null_value:
        return "decrease"
    return "no_clear_change"


def starts_within(
    events: list[CoIntervention], first: str | None, last: str | None
) -> list[CoIntervention]:
    """The co-interventions that start inside the period ``first``..``last`` (ISO dates or months).

    A co-intervention that starts inside the period analysed can cause a change
    there; one running through the whole period cannot. Without a period,
    none.

    Examples
    --------
    >>> cam = CoIntervention("cameras", "policing", "2019-03-01", "2025-12-31")
    >>> [c.name for c in starts_within([cam], "2016-01", "2022-12")], starts_within([cam], "2022-05-16", "2023-09-15")
    (['cameras'], [])
    """
    if not first or not last:
        return []
    lo = first if len(first) > 7 else first + "-01"
    hi = last if len(last) > 7 else last + "-31"
    return [c for c in events if lo <= c.start <= hi]
