"""Disclosure control: small-cell suppression and the leak scan of a run.

The data concern minors and named professionals. Published tables of people
counts go through :func:`suppress_small_counts`, audited against an intruder
who knows what the labels mean (:func:`cell_bounds`); every other output built
from the same counts (figures, rate tables with CIs, results JSON) goes
through :func:`hide_small_counts` and, where it repeats a table's cells,
:func:`hide_where_suppressed`, with the report's ``min_cell``. Every executed notebook and
HTML page of a run goes through :func:`scan_for_leaks` before the run is
called releasable (``manifest.json``: ``release``). The leak scan lives in
:mod:`evaluation.leaks` (it needs neither numpy nor pandas, so a cached run
does not import them) and is re-exported here.

The modules: :mod:`.suppression` (the published table), :mod:`.audit` (what a
reader who knows the labels can recover: the protection interval) and
:mod:`.outputs` (figures, rate tables and JSON built from the same counts).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"art": [12, 3], "none": [9, 8]}, index=["fountain", "stairs"])
>>> suppress_small_counts(t).loc["stairs"].tolist()
['<5', 'x', 11]
"""

from __future__ import annotations

from ..leaks import Leak, load_identifiers, luhn_ok, release_check, scan_for_leaks
from .audit import cell_bounds, default_protection
from .outputs import hide_small_counts, hide_where_suppressed
from .suppression import SECONDARY, suppress_small_counts, suppressed, suppression_mask

__all__ = [
    "suppress_small_counts",
    "suppressed",
    "hide_small_counts",
    "hide_where_suppressed",
    "suppression_mask",
    "cell_bounds",
    "default_protection",
    "Leak",
    "scan_for_leaks",
    "luhn_ok",
    "load_identifiers",
    "release_check",
    "SECONDARY",
]
