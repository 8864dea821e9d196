"""Results files: the envelope, writing into a run folder, validated reading, typed records.

Every file carries the envelope ``"schema"``, ``"notebook"``, ``"incomplete"``
and ``"sensitivity"`` (:func:`envelope`); :func:`write_results` writes one
into ``<run_dir>/results/``, :func:`read_results` reads and validates one
(another schema version is a clear :class:`~evaluation.errors.DataError`,
never a ``KeyError``), and :func:`parse` turns a payload into its typed record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import provenance
from .codec import as_json, bad, decode
from .notebooks import RESULT_CLASSES
from .records import Incomplete, Sensitivity

__all__ = ["SCHEMA", "envelope", "write_results", "read_results", "parse"]

#: Version of the results contract; a file of another version is refused when read.
SCHEMA = 1


def envelope(notebook: str, results: Any) -> dict[str, Any]:
    """The JSON payload of ``results`` (a record or a dict) with the contract's envelope.

    ``incomplete`` and ``sensitivity`` are kept when given, else empty lists;
    a payload ``{"missing": <source>}`` (a notebook whose source was absent)
    is marked incomplete.

    Parameters
    ----------
    notebook : str
        The notebook the results are of (``01_site_observations``).
    results : record or dict
        What the notebook hands on.

    Returns
    -------
    dict
        ``schema``, ``notebook``, ``incomplete``, ``sensitivity``, then the
        results' own keys.

    Raises
    ------
    TypeError
        ``results`` is neither a mapping nor a record.

    Examples
    --------
    >>> envelope("x", {"a": 1.5})
    {'schema': 1, 'notebook': 'x', 'incomplete': [], 'sensitivity': [], 'a': 1.5}
    >>> envelope("03_crime_and_safety", {"missing": "crime"})["incomplete"]
    [{'result': '03_crime_and_safety', 'why': 'source missing: crime'}]
    """
    payload = as_json(results)
    if not isinstance(payload, dict):
        raise TypeError("results must be a mapping or a dataclass record")
    incomplete = payload.pop("incomplete", None) or []
    if payload.get("missing") and not incomplete:  # a notebook whose source was absent
        incomplete = [{"result": notebook, "why": f"source missing: {payload['missing']}"}]
    head = {
        "schema": SCHEMA,
        "notebook": notebook,
        "incomplete": incomplete,
        "sensitivity": payload.pop("sensitivity", None) or [],
    }
    payload.pop("schema", None)
    payload.pop("notebook", None)
    return {**head, **payload}


def write_results(run_dir: str | Path | None, notebook: str, results: Any) -> Path | None:
    """Write a notebook's key results to ``<run_dir>/results/<notebook>.json``.

    ``results`` is the notebook's record (e.g. :class:`~evaluation.results.SiteResults`)
    or its dict; the file gets the contract's envelope (see :func:`envelope`) and
    ``inputs``: the files this process read (for the manifest and the cache).
    With an empty ``run_dir`` (interactive use, nbval) nothing is written and
    ``None`` is returned: a notebook only writes into a run folder.

    Parameters
    ----------
    run_dir : str, Path or None
        The run folder; empty or ``None`` writes nothing.
    notebook : str
        The notebook's name (the file's name without ``.json``).
    results : record or dict
        What the notebook hands on.

    Returns
    -------
    Path or None
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from evaluation.results import QualityResults
    >>> with tempfile.TemporaryDirectory() as run:
    ...     p = write_results(run, "00_data_quality", QualityResults(sources=["survey"]))
    ...     p.relative_to(run).as_posix(), read_results(p.parent, "00_data_quality")["sources"]
    ('results/00_data_quality.json', ['survey'])
    >>> write_results("", "00_data_quality", {}) is None
    True
    """
    if not run_dir:
        return None
    out = Path(run_dir) / "results" / f"{notebook}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = envelope(notebook, results)
    _validate(payload, str(out), notebook)
    payload["inputs"] = provenance.files_read()
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def _validate(payload: Any, file: str, notebook: str | None) -> None:
    """Refuse a payload that is not an object, of another schema or notebook, or a malformed envelope."""
    if not isinstance(payload, dict):
        raise bad(file, "(top level)", f"{type(payload).__name__} found", "a JSON object")
    schema = payload.get("schema")
    if schema != SCHEMA:
        found = "no schema version" if schema is None else f"schema version {schema!r}"
        raise bad(
            file,
            "schema",
            f"{found}: written by another version of sergel-eval",
            f"schema {SCHEMA}; run the notebooks again to rewrite it",
        )
    if notebook is not None and payload.get("notebook") != notebook:
        raise bad(file, "notebook", f"{payload.get('notebook')!r} found", repr(notebook))
    decode(list[Incomplete], payload.get("incomplete"), "incomplete", file)
    decode(list[Sensitivity], payload.get("sensitivity"), "sensitivity", file)


def read_results(results_dir: str | Path | None, notebook: str) -> dict[str, Any] | None:
    """A notebook's results from a run folder's ``results/``, validated; ``None`` if absent.

    Parameters
    ----------
    results_dir : str, Path or None
        The run folder's ``results/``; empty or ``None`` reads nothing.
    notebook : str
        The notebook whose results to read.

    Returns
    -------
    dict or None
        The payload, envelope included; ``None`` when there is no such file.

    Raises
    ------
    evaluation.errors.DataError
        The file is not JSON, is of another schema version, belongs to
        another notebook, or its ``incomplete``/``sensitivity`` lists are
        malformed; the error names the file and the key.

    Examples
    --------
    >>> import tempfile
    >>> from evaluation.errors import DataError
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "02_focus_groups.json").write_text('{"schema": 0}')
    ...     try:
    ...         read_results(d, "02_focus_groups")
    ...     except DataError as exc:
    ...         print(exc.problems[0].message)
    ...     read_results(d, "03_crime_and_safety") is None
    schema version 0: written by another version of sergel-eval
    True
    """
    if not results_dir:
        return None
    p = Path(results_dir) / f"{notebook}.json"
    if not p.exists():
        return None
    try:
        payload = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad(str(p), "(file)", f"not valid JSON ({exc})", "a results JSON file") from None
    _validate(payload, str(p), notebook)
    out: dict[str, Any] = payload
    return out


def parse(payload: dict[str, Any], notebook: str | None = None, file: str = "<results>") -> Any:
    """The typed record of a results payload (the class from :data:`RESULT_CLASSES`).

    Parameters
    ----------
    payload : dict
        A results payload (as :func:`read_results` returns it).
    notebook : str, optional
        Its notebook; by default the payload's ``notebook``.
    file : str
        The file it came from, for errors.

    Raises
    ------
    evaluation.errors.DataError
        No result class for the notebook, or a key does not fit its record.

    Examples
    --------
    >>> r = parse(envelope("02_focus_groups", {"groups": 6}))
    >>> type(r).__name__, r.groups, r.incomplete
    ('FocusResults', 6, [])
    """
    nb = notebook or payload.get("notebook")
    cls = RESULT_CLASSES.get(nb) if isinstance(nb, str) else None
    if cls is None:
        raise bad(file, "notebook", f"{nb!r} has no result class", " or ".join(RESULT_CLASSES))
    return decode(cls, payload, str(nb), file)
