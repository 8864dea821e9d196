"""Words the findings' sentences share: lists, labels of codes, model families and covariates, the target group."""

from __future__ import annotations

from typing import Any

from ...i18n import has, t
from ...wording import and_list

__all__ = ["and_list", "label", "family_label", "covariate_label", "target_group", "group_values"]


def family_label(family: str | None, language: str) -> str:
    """A model family in words (``negbin``: negative binomial); unknown ones as given.

    Examples
    --------
    >>> family_label("negbin", "sv"), family_label("tweedie", "en")
    ('negativ binomial', 'tweedie')
    """
    key = f"findings.family.{family}"
    return t(key, language) if family and has(key, language) else (family or "")


def covariate_label(name: str, language: str) -> str:
    """A model covariate in words (``zone``: zon), else its label from :func:`label`.

    Examples
    --------
    >>> covariate_label("zone", "sv"), covariate_label("daypart", "en")
    ('zon', 'time of day')
    """
    key = f"findings.covariate.{name}"
    return t(key, language) if has(key, language) else label(name, language)


def label(code: str, language: str) -> str:
    """A code's label in the report's language (areas, crime categories, survey items).

    A code without a label is shown as it is.

    Examples
    --------
    >>> label("no_such_code", "en")
    'no_such_code'
    """
    from ...labels import label as _label

    return _label(code, language)


def period_text(first: str | None, last: str | None, language: str) -> str:
    """A period ``first``–``last`` in words (``?`` for an end not known).

    Examples
    --------
    >>> period_text("2016-01", None, "en")
    '2016-01–?'
    """
    return t("fmt.year_range", language, start=first or "?", end=last or "?")


def target_group(target: dict[str, Any] | None, language: str) -> str:
    """The target group in words, from the parameters (``{"gender", "age_band"}``).

    Without a target group (``None`` or no gender and age band) the words
    ``people of the target group``: never a group the run did not analyse.

    Examples
    --------
    >>> target_group({"gender": "female", "age_band": "13-18"}, "sv")
    'flickor 13–18 år'
    >>> target_group({"gender": "male", "age_band": "19-29"}, "en"), target_group(None, "en")
    ('boys aged 19–29', 'people of the target group')
    """
    target = target or {}
    gender, band = target.get("gender"), target.get("age_band")
    if not gender and not band:
        return t("context.unknown_group", language)
    key = f"context.who.{gender}"
    who = t(key, language) if gender and has(key, language) else t("context.who.other", language)
    if not band:
        return who
    return t("context.group", language, who=who, age=str(band).replace("-", "–"))


def group_values(target: dict[str, Any] | None, language: str) -> dict[str, str]:
    """The values messages about the target group take: ``group``, ``Group`` (capitalised), ``age``.

    Examples
    --------
    >>> group_values({"gender": "female", "age_band": "19-29"}, "en")
    {'group': 'girls aged 19–29', 'Group': 'Girls aged 19–29', 'age': '19–29'}
    """
    group = target_group(target, language)
    age = str((target or {}).get("age_band") or "").replace("-", "–")
    return {"group": group, "Group": group[:1].upper() + group[1:], "age": age}
