"""The one home of code labels: human names of data codes in the report's languages.

A code from the data (a zone, role, area, crime category, activation kind ...)
is shown to readers by its label: the catalogue's ``label.*`` messages
(``evaluation/messages/<lang>/labels.yaml``) for the universal codes, else the
study's own label (``study.yaml`` vocabularies, taken by
:func:`evaluation.i18n.use_study`), else the code itself. Every module that
shows a code imports :func:`label` from here (``evaluation.plots.label`` and
``evaluation.plots.LABELS`` stay importable as re-exports).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from . import i18n

__all__ = ["LABELS", "label"]


class _Labels(Mapping[str, dict[str, str]]):
    """``LABELS[language][code]``: a read-only view of the catalogues' ``label.*`` messages.

    Examples
    --------
    >>> LABELS["sv"]["passing"], sorted(LABELS)
    ('passerar', ['en', 'sv'])
    """

    def __getitem__(self, language: str) -> dict[str, str]:
        return {
            k[len("label.") :]: v
            for k, v in i18n.catalogue(language).items()
            if k.startswith("label.")
        }

    def __iter__(self) -> Iterator[str]:
        return iter(i18n.LANGUAGES)

    def __len__(self) -> int:
        return len(i18n.LANGUAGES)


#: Human labels of codes per language, from ``evaluation/messages/<lang>/labels.yaml``.
LABELS: Mapping[str, dict[str, str]] = _Labels()


def label(code: Any, language: str = "sv") -> str:
    """Human label of a code in ``language`` (the code itself when unknown).

    Parameters
    ----------
    code
        A data code (``"passing"``, a zone, an area ...) or a boolean (``ja``/``nej``).
    language
        A report language (``"sv"`` or ``"en"``).

    Returns
    -------
    str
        The study's label, else the catalogue's label, else ``str(code)``.

    Examples
    --------
    >>> label("passing", "en"), label("passing", "sv"), label("kungstradgarden", "en")
    ('passing', 'passerar', 'kungstradgarden')
    """
    return i18n.label(code, language)
