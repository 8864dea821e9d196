"""One setup call for every notebook: theme, study, parameters, data.

Every notebook starts, after its parameters cell, with::

    from evaluation.notebook import setup
    ds, study, p, pretty = setup(data_dir, language, area=area, ...)

:func:`setup` does what each notebook's import cell used to repeat: the
report theme and accessible tables in the report's language
(:func:`evaluation.report.notebook_setup`), the study of the data folder
(``study.yaml``: its labels are used by :func:`evaluation.i18n.label` from then
on, and every parameter left ``None`` is taken from it,
:func:`evaluation.sources.study.open_study`), the dataset
(:func:`evaluation.sources.load_dataset`) and :func:`evaluation.tables.pretty`
bound to the language.

The parameters' defaults live in ``notebooks/params.yaml`` only; ``setup``
adds none of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from .paths import resolve
from .sources import Dataset, load_dataset
from .sources.study import RESULTS, Study, open_study

__all__ = ["Setup", "setup", "study_questions"]


class Setup(NamedTuple):
    """What :func:`setup` gives a notebook.

    Attributes
    ----------
    ds : Dataset or None
        The data folder, loaded and cross-checked (``None`` with ``data=False``).
    study : Study
        The data folder's ``study.yaml``.
    params : dict
        The parameters given, every ``None`` taken from the study.
    pretty : callable
        :func:`evaluation.tables.pretty` in the report's language.

    Examples
    --------
    >>> s = setup("data/example", "en", data=False, area=None)
    >>> s.ds is None, s.params["area"] == s.study.site_area
    (True, True)
    """

    ds: Dataset | None
    study: Study
    params: dict[str, Any]
    pretty: Callable[..., Any]


def setup(
    data_dir: str | Path,
    language: str,
    *,
    codebook: str | Path | None = None,
    data: bool = True,
    **params: Any,
) -> Setup:
    """Set a notebook up: theme, the study's labels and parameters, the dataset.

    Parameters
    ----------
    data_dir : str or Path
        The data folder (relative paths from the project root).
    language : str
        The report's language (``sv`` or ``en``).
    codebook : str or Path, optional
        The codebook parameter; ``None`` takes the study's (or the project's).
    data : bool
        Load the dataset; ``False`` for notebooks that read results only.
    **params
        The notebook's parameters that may default to the study (``None``);
        returned with those ``None`` filled in (see
        :data:`evaluation.sources.study.STUDY_PARAMETERS`).

    Returns
    -------
    Setup
        ``ds, study, params, pretty``.

    Raises
    ------
    DataError
        The data folder or its ``study.yaml`` has problems (each named by file,
        line and column).
    ParameterError
        A parameter names a code the study does not have.

    Examples
    --------
    >>> ds, study, p, pretty = setup("data/example", "sv", target_age_band=None)
    >>> p["target_age_band"] == study.target_age_band, ds.study == study
    (True, True)
    >>> import pandas as pd
    >>> "Räknat" in pretty(pd.DataFrame({"n": [1]}), columns={"n": "Counted"})._repr_html_()
    True
    >>> from evaluation.i18n import use_study
    >>> use_study(None)  # (the doctest leaves no study behind)
    """
    from .report import notebook_setup
    from .tables import pretty

    notebook_setup(language)
    root = resolve(data_dir)
    study, filled = open_study(root, **params)
    ds = None
    if data:
        ds = load_dataset(root, codebook=resolve(codebook) if codebook else None)
    return Setup(ds, study, filled, partial(pretty, language=language))


def study_questions(study: Study, part: str, language: str) -> str:
    """The study's questions a notebook bears on, as a Markdown block for its intro.

    A question bears on notebook ``part`` (``"01"``, ``"02"``, ``"03"``) when one
    of its ``results`` comes from that notebook (:data:`~evaluation.sources.study.RESULTS`).
    The block starts with a blank line and a lead-in (``notebook.questions``),
    so that an intro message can end with ``{questions}``; empty when no
    question bears on the notebook.

    Examples
    --------
    >>> from evaluation.sources.study import load_study
    >>> s = load_study("data/example")
    >>> print(study_questions(s, "03", "en"))  # doctest: +ELLIPSIS
    <BLANKLINE>
    <BLANKLINE>
    **The study's questions this page bears on**:
    <BLANKLINE>
    - ...
    >>> study_questions(s, "99", "en")
    ''
    """
    from .i18n import t

    mine = {r for r, what in RESULTS.items() if what.startswith(f"{part}:")}
    lines = [
        f"- {q.text.get(language) or q.text.get('en', '')}"
        for q in study.questions
        if mine.intersection(q.results)
    ]
    if not lines:
        return ""
    return "\n\n" + t("notebook.questions", language) + "\n\n" + "\n".join(lines)
