"""The report's two languages: one message catalogue per language, numbers by Babel.

Every text the report shows comes from the catalogue
``evaluation/messages/<language>/*.yaml``: one folder per language, any number
of YAML files in it (one per part of the report, so that parts can be edited
independently), each a mapping of message keys to texts. Nested mappings are
flattened with dots: ``{"synthesis": {"title": "..."}}`` is the key
``synthesis.title``. A key defined twice in one language is an error, and a
test requires the same keys in every language.

Texts are Python format strings with named fields. Numbers are formatted for
the language by Babel (CLDR data): a decimal comma and a non-breaking space as
thousands separator in Swedish, a point and a comma in English. Integers
without a format spec print as plain digits, so years are never separated.

>>> t("fmt.ci", "sv", est=1.234, lo=1.01, hi=1.5)
'1,23 (95\xa0% KI 1,01–1,50)'
>>> t("fmt.ci", "en", est=1.234, lo=1.01, hi=1.5)
'1.23 (95% CI 1.01–1.50)'
>>> number(12345.678, "sv", 1), number(12345.678, "en", 1), number(2016, "sv", 0)
('12\xa0345,7', '12,345.7', '2\xa0016')
>>> t("fmt.year_range", "sv", start=2016, end=2022)
'2016–2022'
"""

from __future__ import annotations

import math
import string
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = [
    "LANGUAGES",
    "MessageError",
    "catalogue",
    "t",
    "has",
    "number",
    "percent",
    "ci",
    "p_value",
    "date",
    "label",
    "use_study",
    "study_in_use",
    "markdown",
    "show",
    "weekday_names",
    "reverse",
    "decimal_mark",
    "timestamp",
]

#: The languages a report can be written in.
LANGUAGES = ("sv", "en")

_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
_DIR = Path(__file__).parent / "messages"


class MessageError(KeyError):
    """A message key or language that the catalogue does not have.

    Examples
    --------
    >>> try:
    ...     t("no.such.key", "sv")
    ... except MessageError as exc:
    ...     print(exc)
    no message 'no.such.key' in the 'sv' catalogue
    """

    def __str__(self) -> str:  # KeyError quotes its argument; say it plainly
        return str(self.args[0]) if self.args else ""


def _check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise MessageError(
            f"language {language!r} is not available; expected one of {', '.join(LANGUAGES)}"
        )
    return language


def _flatten(prefix: str, node: Any, out: dict[str, str], source: Path) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out, source)
        return
    if prefix in out:
        raise MessageError(f"{source}: message key {prefix!r} is defined twice")
    if not isinstance(node, str):
        raise MessageError(f"{source}: message {prefix!r} must be text, not {type(node).__name__}")
    out[prefix] = node


@cache
def catalogue(language: str) -> dict[str, str]:
    """Every message of one language, keys flattened with dots.

    >>> "fmt.ci" in catalogue("en")
    True
    """
    import yaml

    _check_language(language)
    out: dict[str, str] = {}
    for f in sorted((_DIR / language).glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise MessageError(f"{f}: a message file must be a mapping of keys to texts")
        _flatten("", data, out, f)
    return out


def has(key: str, language: str) -> bool:
    """Whether the catalogue of ``language`` has ``key``.

    Examples
    --------
    >>> has("fmt.ci", "sv"), has("no.such.key", "sv")
    (True, False)
    """
    return key in catalogue(language)


def _babel_locale(language: str):
    from babel import Locale

    return Locale.parse(_LOCALES[_check_language(language)])


def number(x: float | int | None, language: str, digits: int = 2, missing: str = "–") -> str:
    """A number with ``digits`` decimals, grouped and with the language's decimal mark.

    Examples
    --------
    >>> number(0.5, "sv"), number(0.5, "en"), number(None, "en"), number(float("nan"), "sv")
    ('0,50', '0.50', '–', '–')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "−∞"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(x, format=pattern, locale=_babel_locale(language))


def percent(share: float | None, language: str, digits: int = 0) -> str:
    """A share (0–1) as a percentage in the language's style.

    Examples
    --------
    >>> percent(0.256, "sv"), percent(0.256, "en", 1)
    ('26\xa0%', '25.6%')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    from babel.numbers import format_percent

    loc = _babel_locale(language)
    # the locale's own pattern (Swedish puts a no-break space before %), with our decimals
    pattern = loc.percent_formats[None].pattern.replace(
        "#,##0", "#,##0" + ("." + "0" * digits if digits > 0 else ""), 1
    )
    return format_percent(share, format=pattern, locale=loc)


def p_value(p: float | None, language: str) -> str:
    """A p-value as a report shows it: ``<0.001`` or three decimals.

    Examples
    --------
    >>> p_value(3e-10, "sv"), p_value(0.0412, "sv"), p_value(0.0412, "en")
    ('<0,001', '0,041', '0.041')
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    if p < 0.001:
        return "<" + number(0.001, language, 3)
    return number(p, language, 3)


def ci(
    est: float | None, lo: float | None, hi: float | None, language: str, digits: int = 2
) -> str:
    """An estimate with its 95% confidence interval, e.g. ``1,23 (95 % KI 1,01–1,50)``.

    Examples
    --------
    >>> ci(2.0, 1.5, 2.5, "en", 1), ci(None, None, None, "sv")
    ('2.0 (95% CI 1.5–2.5)', '–')
    """
    if est is None or (isinstance(est, float) and math.isnan(est)):
        return "–"
    return t(
        "fmt.ci",
        language,
        est=number(est, language, digits),
        lo=number(lo, language, digits),
        hi=number(hi, language, digits),
    )


def date(value: Any, language: str, format: str = "long") -> str:
    """A date (``datetime.date``, pandas Timestamp or ISO text) in the language's style.

    Examples
    --------
    >>> date("2019-06-01", "sv"), date("2019-06-01", "en")
    ('1 juni 2019', '1 June 2019')
    """
    import datetime as _dt

    from babel.dates import format_date

    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return format_date(value, format=format, locale=_babel_locale(language))


class _Formatter(string.Formatter):
    """``str.format`` whose numbers follow the language (Babel); plain ints stay plain."""

    def __init__(self, language: str):
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return super().format_field(value, format_spec)
        if format_spec.endswith("%"):
            digits = int(format_spec[1:-1] or 0) if format_spec.startswith(".") else 0
            return percent(value, self.language, digits)
        if format_spec.endswith("f"):
            digits = int(format_spec[1:-1] or 0) if format_spec.startswith(".") else 6
            return number(value, self.language, digits)
        if format_spec == "," or format_spec == ",d":
            return number(value, self.language, 0)
        if not format_spec and isinstance(value, float):
            return number(value, self.language, 2)
        return super().format_field(value, format_spec)


def t(key: str, language: str, /, **values: Any) -> str:
    """The message ``key`` in ``language``, with ``values`` filled in.

    Floats with a spec such as ``{x:.2f}`` or ``{share:.0%}`` are formatted for
    the language; ints without a spec (years, counts) print as plain digits.

    Raises
    ------
    MessageError
        The language is not available, the key is missing, or a field the
        message needs was not given.

    Examples
    --------
    >>> t("fmt.ci", "fr", est=1, lo=0, hi=2)
    Traceback (most recent call last):
    ...
    evaluation.i18n.MessageError: language 'fr' is not available; expected one of sv, en
    """
    messages = catalogue(_check_language(language))
    try:
        text = messages[key]
    except KeyError:
        raise MessageError(f"no message {key!r} in the {language!r} catalogue") from None
    try:
        return _Formatter(language).format(text, **values)
    except KeyError as e:
        raise MessageError(f"message {key!r} ({language}) needs the value {e.args[0]!r}") from None


def label(code: Any, language: str) -> str:
    """The human label of a data code: the study's, else the catalogue's, else the code.

    Codes come from the data (zones, roles, areas, categories ...). The study's
    label (``study.yaml`` vocabularies, :func:`use_study`) comes first, so a
    study that uses a code the catalogue also knows (``art``, ``violence``)
    with its own label is shown by its own label; a code neither knows is shown
    as it is, so a new area in real data still renders, under its own name.

    Examples
    --------
    >>> label("female", "sv"), label("female", "en"), label("kungstradgarden", "en")
    ('flickor', 'girls', 'kungstradgarden')
    >>> label(True, "sv"), label(False, "en")
    ('ja', 'no')
    """
    if isinstance(code, bool) or type(code).__name__ == "bool_":
        code = "yes" if code else "no"
    messages = catalogue(_check_language(language))
    study = _STUDY.get(language)
    if study and str(code) in study:
        return study[str(code)]
    key = f"label.{code}"
    if key in messages:
        return messages[key]
    return str(code)


#: Labels of the codes of the study in use, per language (:func:`use_study`).
_STUDY: dict[str, dict[str, str]] = {}


def use_study(study: Any) -> None:
    """Take the labels of a study's codes (zones, roles, areas ...) for :func:`label`.

    The study's label of a code (``study.yaml`` vocabularies) comes first, then
    the catalogue's, so a study's own label of ``art`` is not replaced by the
    catalogue's. Called by
    :func:`evaluation.sources.study.open_study` (a notebook's first cell);
    ``None`` forgets the study.

    Parameters
    ----------
    study : Study or None
        Anything with ``labels(language) -> dict`` of code to label.

    Examples
    --------
    >>> class OtherStudy:
    ...     def labels(self, language):
    ...         return {"fontan": "the fountain" if language == "en" else "fontänen",
    ...                 "art": "street art" if language == "en" else "gatukonst"}
    >>> use_study(OtherStudy())
    >>> label("fontan", "sv"), label("female", "en"), label("art", "en")
    ('fontänen', 'girls', 'street art')
    >>> use_study(None)
    >>> label("fontan", "sv")
    'fontan'
    """
    _STUDY.clear()
    _IN_USE.clear()
    if study is not None:
        _IN_USE.append(study)
        for lang in LANGUAGES:
            _STUDY[lang] = study.labels(lang)


#: The study in use (:func:`use_study`), for the order of its codes (:func:`study_in_use`).
_IN_USE: list[Any] = []


def study_in_use() -> Any:
    """The study given to :func:`use_study` (``None`` when there is none).

    Examples
    --------
    >>> use_study(None); study_in_use() is None
    True
    """
    return _IN_USE[0] if _IN_USE else None


@cache
def reverse(language: str, prefix: str) -> dict[str, str]:
    """Text -> key for the messages under ``prefix`` (e.g. English headings to their keys).

    >>> reverse("en", "table")["Rate ratio"]
    'table.rate_ratio'
    """
    start = prefix + "."
    return {v: k for k, v in catalogue(language).items() if k.startswith(start)}


def markdown(key: str, language: str, /, **values: Any) -> Markdown:
    """The message ``key`` as an IPython ``Markdown`` object (for notebook prose and headings).

    The message is trusted; the values may come from data, so the result is
    made inert (:func:`evaluation.safehtml.safe_markdown`): nothing in it
    becomes markup.

    Examples
    --------
    >>> markdown("a11y.figure_generic", "en", title="<img src=x onerror=alert(1)>").data
    'Figure: &lt;img src=x onerror=alert(1)>.'
    """
    from .safehtml import safe_markdown

    # the message is trusted, the values may come from data: nothing may become markup
    return safe_markdown(t(key, language, **values))


def show(key: str, language: str, /, **values: Any) -> None:
    """Display the message ``key`` as Markdown in a notebook.

    A notebook's headings and prose are cells calling ``show("nb01.intro",
    language)``: the text comes from the catalogue of the report's language,
    and its headings still make the report's table of contents.

    Examples
    --------
    Outside a notebook, IPython's ``display`` prints the object's text form:

    >>> show("a11y.figure_generic", "en", title="Visits by zone")
    <IPython.core.display.Markdown object>
    """
    from IPython.display import display

    display(markdown(key, language, **values))


def weekday_names(
    language: str, width: Literal["abbreviated", "narrow", "short", "wide"] = "abbreviated"
) -> list[str]:
    """Monday..Sunday in the language (Babel/CLDR).

    Examples
    --------
    >>> weekday_names("sv")[0], weekday_names("en")[6]
    ('mån', 'Sun')
    """
    from babel.dates import get_day_names

    names = get_day_names(width, context="format", locale=_babel_locale(language))
    return [str(names[i]).rstrip(".") for i in range(7)]


def decimal_mark(language: str) -> str:
    """The language's decimal mark (CLDR).

    Examples
    --------
    >>> decimal_mark("sv"), decimal_mark("en")
    (',', '.')
    """
    return _babel_locale(language).number_symbols["latn"]["decimal"]


def timestamp(value: str, language: str) -> str:
    """An ISO date and time (a run's start) in the language's style; other text as it is.

    Examples
    --------
    >>> timestamp("2026-11-26T08:24:01+00:00", "sv"), timestamp("2026-11-26T08:24:01", "en")
    ('26 nov. 2026 08:24:01', '26 Nov 2026, 08:24:01')
    >>> timestamp("yesterday", "sv")
    'yesterday'
    """
    import datetime as _dt

    from babel.dates import format_datetime

    try:
        when = _dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    # the time as written (the run's own clock), in the locale's medium pattern (CLDR)
    return format_datetime(when.replace(tzinfo=None), "medium", locale=_babel_locale(language))
