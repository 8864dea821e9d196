"""What a notebook calls besides the analyses: the setup of its first cell, key numbers, event lists.

Re-exported by :mod:`evaluation.report` (``from evaluation.report import
notebook_setup, key_numbers, event_list``).
"""

from __future__ import annotations

import html
from typing import Any

from . import i18n
from .i18n import t

__all__ = ["notebook_setup", "key_numbers", "event_list"]


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
