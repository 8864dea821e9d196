"""Alt text and numbered captions of figures, in the report's language.

Every plotting function of :mod:`evaluation.plots` describes its figure in
words from its data (:func:`describe`); in a notebook, the display hook
installed by :func:`evaluation.plots.set_theme` sends that description with
the image (``alt`` in the ``image/png`` output's metadata) and a numbered
caption, which the report template renders as ``<img alt>`` and
``<figcaption>``. Figures drawn with matplotlib or seaborn directly get a
description from their titles, axis labels and legend (:func:`figure_text`).
"""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..labels import label

__all__ = ["describe", "figure_text"]

#: the notebook's language (set by set_theme) and the number of the last figure shown
_STATE: dict[str, Any] = {"language": None, "figure": 0}


def _t(key: str, language: str, **values: Any) -> str:
    return i18n.t(key, language, **values)


def _kernel_variable(name: str) -> Any:
    """A variable of the notebook's kernel (a papermill parameter such as ``area``), else ``None``."""
    try:
        from IPython import get_ipython

        ip = get_ipython()
        return ip.user_ns.get(name) if ip is not None else None
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None


def _language(default: str = "sv") -> str:
    """The report language: set_theme's, else the kernel's ``language`` variable, else ``default``."""
    lang = _STATE.get("language")
    if lang is None:
        lang = _kernel_variable("language")
    return lang if lang in i18n.LANGUAGES else default


def _figure(obj: Any) -> Any:
    """The matplotlib figure of a figure, an axes or a seaborn grid."""
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        return obj
    if hasattr(obj, "figure") and isinstance(obj.figure, Figure):
        return obj.figure
    return obj.fig  # a seaborn grid


def describe(obj: Any, alt: str | None = None, caption: str | None = None) -> Any:
    """Give a figure its alt text and caption (both in the report's language).

    Parameters
    ----------
    obj
        A matplotlib figure, an axes or a seaborn grid.
    alt
        Replaces the description the plotting functions wrote from the data.
    caption
        The text after "Figur n." (default: the figure's titles).

    Returns
    -------
    object
        ``obj``, for chaining.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.set_title("Antal per år")
    >>> _ = describe(ax, alt="Staplar: 12 år 2020, 15 år 2021.")
    >>> figure_text(fig, "sv")
    ('Staplar: 12 år 2020, 15 år 2021.', 'Antal per år')
    >>> plt.close("all")
    """
    fig = _figure(obj)
    if alt is not None:
        fig._sergel_alt = [alt]
    if caption is not None:
        fig._sergel_caption = caption
    return obj


def _add_alt(ax: Any, text: str) -> None:
    """Append a description of one axes to its figure's alt text."""
    fig = ax.figure
    parts = getattr(fig, "_sergel_alt", [])
    fig._sergel_alt = [*parts, text]


def _titles(fig: Any) -> str:
    sup = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    titles = [t for ax in fig.axes if (t := ax.get_title().strip())]
    return "; ".join([sup] if sup else titles)


def _generic_alt(fig: Any, language: str) -> str:
    """A description from what the figure says about itself: titles, axis labels, legend."""
    parts = [
        _t("a11y.figure_generic", language, title=_titles(fig) or _t("a11y.no_title", language))
    ]
    for ax in fig.axes:
        x, y = ax.get_xlabel().strip(), ax.get_ylabel().strip()
        if x or y:
            parts.append(_t("a11y.axes", language, x=x or "–", y=y or "–"))
        leg = ax.get_legend()
        if leg is not None:
            items = [t.get_text() for t in leg.get_texts() if t.get_text()]
            if items:
                parts.append(_t("a11y.legend", language, items=", ".join(items)))
    return " ".join(parts)


def figure_text(fig: Any, language: str | None = None) -> tuple[str, str]:
    """``(alt, caption)`` of a figure: the description from its data and its caption text.

    Figures not drawn by :mod:`evaluation.plots` get a description from their
    titles, axis labels and legend. The caption is the one given to
    :func:`describe`, else the figure's titles, else the first sentence of the
    description.

    Parameters
    ----------
    fig
        A figure, an axes or a seaborn grid.
    language
        ``"sv"`` or ``"en"`` (default: the notebook's language).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(); _ = ax.plot([1, 2], [3, 4]); _ = ax.set_title("Antal")
    >>> figure_text(fig, "en")
    ('Figure: Antal.', 'Antal')
    >>> plt.close("all")
    """
    language = language or _language()
    fig = _figure(fig)
    parts = getattr(fig, "_sergel_alt", None)
    alt = " ".join(parts) if parts else _generic_alt(fig, language)
    caption = getattr(fig, "_sergel_caption", None) or _titles(fig) or alt.split(". ")[0]
    return alt, caption


def _caption_metadata(fig: Any, metadata: dict[str, Any] | None) -> dict[str, Any] | None:
    """The ``image/png`` metadata of a figure shown: its alt text and numbered caption.

    ``figure`` (its number on the page) and ``caption_text`` (the caption
    without the number) let :func:`evaluation.report.render_html` number the
    figures across the whole report (``Figur 3.2``).
    """
    md = dict(metadata or {})
    try:
        language = _language()
        alt, caption = figure_text(fig, language)
        _STATE["figure"] += 1
        n = _STATE["figure"]
        md["image/png"] = {
            **md.get("image/png", {}),
            "alt": alt,
            "caption": _t("a11y.figure_caption", language, n=n, text=caption),
            "figure": n,
            "caption_text": caption,
        }
    except Exception:  # a description must never stop a figure from being shown
        pass
    return md or None


def _install_display_hook() -> None:
    """Make the inline backend send each figure's alt text and numbered caption as metadata.

    The report template (``templates/sergel``) renders them as ``<img alt>`` and
    ``<figcaption>``. Outside an IPython kernel with the inline backend this does nothing.
    """
    try:
        import matplotlib_inline.backend_inline as bi
    except ImportError:  # pragma: no cover - matplotlib-inline comes with ipykernel
        return
    if getattr(bi._fetch_figure_metadata, "_sergel", False):
        return
    original = bi._fetch_figure_metadata

    def fetch(fig: Any) -> dict[str, Any] | None:
        return _caption_metadata(fig, original(fig))

    fetch._sergel = True  # type: ignore[attr-defined]
    bi._fetch_figure_metadata = fetch


def _variable(code: str, language: str) -> str:
    """A column's name in words (``activation`` -> ``aktiveringsläge``), else its label."""
    key = f"a11y.variable.{code}"
    return i18n.t(key, language) if i18n.has(key, language) else label(code, language)


def _n(x: Any, language: str, digits: int = 2) -> str:
    return i18n.number(float(x), language, digits)


def _ax(ax: Any, figsize: tuple[float, float] = (9, 4.5)) -> Any:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax
