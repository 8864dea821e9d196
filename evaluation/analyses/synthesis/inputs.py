"""What the synthesis reads: the other notebooks' results, from a run folder or computed now.

A run hands the synthesis the results files of the notebooks before it
(:func:`evaluation.results.read_results`); without a run folder the same
package functions compute them (:func:`collect_results`). :func:`source_records`
turns the payloads into the typed records the findings are drafted from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...errors import EvaluationError
from ...provenance import files_read
from ...results import CrimeResults, FocusResults, SiteResults, envelope, parse, read_results
from ...sources import load_dataset
from ..crime import analyse_crime
from ..focus import analyse_focus_groups
from ..quality import quality_results
from ..site import analyse_site

__all__ = [
    "NOTEBOOKS",
    "USES",
    "SynthesisInputs",
    "SourceRecords",
    "collect_results",
    "records",
    "source_records",
]

NOTEBOOKS = ("00_data_quality", "01_site_observations", "02_focus_groups", "03_crime_and_safety")
#: The notebooks whose results the synthesis reads as typed records.
USES = ("01_site_observations", "02_focus_groups", "03_crime_and_safety")


@dataclass
class SynthesisInputs:
    """The other notebooks' results payloads (``None`` for a missing one) and where they came from.

    Attributes
    ----------
    results : dict
        Notebook name -> its results payload (the envelope included), or ``None``.
    origin : str
        ``"run folder"`` (read) or ``"computed"``.

    Examples
    --------
    >>> SynthesisInputs({"01_site_observations": None}, "run folder").origin
    'run folder'
    """

    results: dict[str, dict[str, Any] | None]
    origin: str  # "run folder" or "computed"


def collect_results(
    results_dir: str | None,
    data_dir: str,
    codebook: str | None = None,
    params: dict[str, Any] | None = None,
) -> SynthesisInputs:
    """The other notebooks' results: read from ``results_dir`` when given, else computed now.

    Reading is what a run does (the synthesis runs after the others). With no
    run folder (a researcher's JupyterLab session, nbval), the same package
    functions compute them from ``data_dir`` with the default parameters
    (``params``: per analysis, ``{"site": {...}, "focus": {...}, "crime": {...}}``).
    A notebook whose source is missing gives ``None``.

    Raises
    ------
    evaluation.errors.DataError
        A results file is malformed or of another schema version.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     found = collect_results(empty, "")
    >>> found.origin, found.results["01_site_observations"]
    ('run folder', None)
    """
    if results_dir:
        found = {nb: read_results(results_dir, nb) for nb in NOTEBOOKS}
        return SynthesisInputs(
            {nb: (None if r is None or r.get("missing") else r) for nb, r in found.items()},
            "run folder",
        )
    return SynthesisInputs(_compute(data_dir, codebook, params or {}), "computed")


def _compute(
    data_dir: str, codebook: str | None, p: dict[str, Any]
) -> dict[str, dict[str, Any] | None]:
    """Each notebook's results computed from the data, as the notebooks would write them."""
    ds = load_dataset(data_dir, codebook=codebook)
    out: dict[str, dict[str, Any] | None] = {
        "00_data_quality": envelope(NOTEBOOKS[0], quality_results(ds))
    }
    analyses: tuple[tuple[str, Any, dict[str, Any]], ...] = (
        ("01_site_observations", analyse_site, p.get("site", {})),
        ("02_focus_groups", analyse_focus_groups, p.get("focus", {})),
        ("03_crime_and_safety", analyse_crime, p.get("crime", {})),
    )
    for nb, fn, kw in analyses:
        try:
            out[nb] = envelope(nb, fn(ds, **kw).results)
        except EvaluationError:
            out[nb] = None
    for res in out.values():
        if res is not None:
            res["inputs"] = files_read()
    return out


@dataclass
class SourceRecords:
    """The typed records the synthesis drafts its findings from (``None``: that source is missing).

    Examples
    --------
    >>> SourceRecords(site=SiteResults(n_sessions=3)).site.n_sessions
    3
    """

    site: SiteResults | None = None
    focus: FocusResults | None = None
    crime: CrimeResults | None = None


def source_records(results: dict[str, dict[str, Any] | None]) -> SourceRecords:
    """The typed records of 01, 02 and 03 from their payloads (:func:`evaluation.results.parse`).

    Examples
    --------
    >>> r = source_records({"02_focus_groups": envelope("02_focus_groups", {"groups": 6})})
    >>> r.focus.groups, r.site
    (6, None)
    """
    rec = records(results)
    return SourceRecords(
        rec["01_site_observations"], rec["02_focus_groups"], rec["03_crime_and_safety"]
    )


def records(results: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    """The typed record of each notebook's results that the synthesis uses (``None`` if missing).

    Parameters
    ----------
    results : dict
        Notebook name -> results payload (or ``None``).

    Returns
    -------
    dict
        Each notebook of :data:`USES` -> its record (:data:`evaluation.results.RESULT_CLASSES`)
        or ``None``.

    Examples
    --------
    >>> rec = records({"01_site_observations": envelope("01_site_observations", {"n_sessions": 3})})
    >>> {nb: type(r).__name__ for nb, r in rec.items()}
    {'01_site_observations': 'SiteResults', '02_focus_groups': 'NoneType', '03_crime_and_safety': 'NoneType'}
    """
    out: dict[str, Any] = {}
    for nb in USES:
        payload = results.get(nb)
        out[nb] = None if payload is None else parse(payload, nb)
    return out
