"""What a notebook calls besides the analyses: its one setup call, key numbers, event lists.

Every notebook starts, after its parameters cell, with::

    from evaluation.notebook import setup
    ds, study, p, pretty = setup(data_dir, language, area=area, ...)

:func:`setup` does what each notebook's import cell used to repeat: the
report theme and accessible tables in the report's language
(:func:`notebook_setup`), the study of the data folder (``study.yaml``: its
labels are used by :func:`evaluation.labels.label` from then on, its activation
kinds fix the kind colours, and every parameter left ``None`` is taken from it,
:func:`evaluation.sources.study.open_study`), the dataset
(:func:`evaluation.sources.load_dataset`) and :func:`evaluation.tables.pretty`
bound to the language.

The parameters' defaults live in ``notebooks/params.yaml`` only; ``setup``
adds none of its own. :func:`notebook_setup`, :func:`key_numbers` and
:func:`event_list` are also re-exported by :mod:`evaluation.report`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from . import i18n
from .i18n import t
from .paths import resolve
from .sources import Dataset, load_dataset
from .sources.study import RESULTS, Study, open_study

__all__ = ["Setup", "setup", "study_questions", "notebook_setup", "key_numbers", "event_list"]


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
    from .tables import pretty

    root = resolve(data_dir)
    study, filled = open_study(root, **params)
    notebook_setup(language, study=study)
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
    mine = {r for r, what in RESULTS.items() if what.startswith(f"{part}:")}
    lines = [
        f"- {q.text.get(language) or q.text.get('en', '')}"
        for q in study.questions
        if mine.intersection(q.results)
    ]
    if not lines:
        return ""
    return "\n\n" + t("notebook.questions", language) + "\n\n" + "\n".join(lines)


def notebook_setup(language: str | None = None, study: Any = None) -> None:
    """Call once at the top of a notebook: the report theme, quiet library deprecation noise.

    Also, for readers with a screen reader: every figure shown carries its alt
    text and a numbered caption (:func:`evaluation.plots.set_theme`), and every
    DataFrame displayed is an accessible table (:func:`evaluation.tables.frame_html`),
    in ``language`` (default: the notebook's ``language`` parameter). ``study``
    (default: the notebook's ``study``) fixes the colours of its activation
    kinds (:func:`evaluation.plots.kind_colours`).

    Examples
    --------
    >>> import pandas as pd
    >>> notebook_setup("en"); pd.get_option("display.max_colwidth")
    300
    >>> pd.reset_option("display.max_colwidth"); pd.reset_option("display.width")
    >>> from evaluation.plots import set_theme; set_theme()  # (back to the notebook's language)
    """
    import warnings

    import pandas as pd

    from .plots import set_theme
    from .plots.alttext import _language

    set_theme(language=language, study=study)
    try:
        from IPython import get_ipython

        ip = get_ipython()
    except ImportError:  # pragma: no cover
        ip = None
    if ip is not None:
        from .tables import frame_html

        ip.display_formatter.formatters["text/html"].for_type(
            pd.DataFrame, lambda df: frame_html(df, _language())
        )
    for cat in (FutureWarning, DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=cat)
    pd.set_option("display.max_colwidth", 300)
    pd.set_option("display.width", 120)


def key_numbers(entries: dict[str, dict | None], digits: int = 3) -> str:
    """Plain-text lines ``name: estimate (ci_low-ci_high)`` for the cells nbval compares.

    Examples
    --------
    >>> print(key_numbers({"rr": {"estimate": 1.23456, "ci_low": 1.0, "ci_high": 1.5}, "x": None}))
    rr: 1.235 (1.000-1.500)
    x: not available
    """
    out = []
    for name, e in entries.items():
        if not e or e.get("estimate") is None:
            out.append(f"{name}: not available")
        else:
            out.append(
                f"{name}: {e['estimate']:.{digits}f} ({e['ci_low']:.{digits}f}-{e['ci_high']:.{digits}f})"
            )
    return "\n".join(out)


def event_list(events: Any, language: str = "sv") -> str:
    """Calendar periods (``name``, ``start``, ``end``) as a Markdown list, dates in ``language``.

    Names come from the data: they are HTML-escaped and marked
    ``translate="no"`` (a name, in whatever language the data are written).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"name": ["Kamerabevakning"], "start": pd.to_datetime(["2019-03-01"]),
    ...                    "end": pd.to_datetime(["2025-12-31"])})
    >>> print(event_list(ev, "sv")); print(event_list(ev, "en"))
    - <span translate="no">Kamerabevakning</span>: 1 mars 2019 – 31 december 2025
    - <span translate="no">Kamerabevakning</span>: 1 March 2019 – 31 December 2025
    """
    return "\n".join(
        t(
            "report.event",
            language,
            # a name from the data: escaped, and marked as a name (not text of the report language)
            name=f'<span translate="no">{html.escape(str(r.name))}</span>',
            start=i18n.date(r.start, language),
            end=i18n.date(r.end, language),
        )
        for r in events.itertuples()
    )
