"""The message catalogues: the same keys in both languages, formats per language."""

import pytest

from evaluation import i18n


def test_languages_have_the_same_keys():
    sv, en = set(i18n.catalogue("sv")), set(i18n.catalogue("en"))
    assert sv - en == set(), f"only in Swedish: {sorted(sv - en)}"
    assert en - sv == set(), f"only in English: {sorted(en - sv)}"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_formats_with_its_own_fields(language):
    # each field a message names is filled; none raises (a typo in a field name would)
    import string

    for key, text in i18n.catalogue(language).items():
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        i18n.t(key, language, **{f.split(".")[0].split("[")[0]: 1.5 for f in fields})


def test_swedish_numbers_use_a_decimal_comma_and_years_stay_whole():
    # CLDR sv: decimal ",", grouping U+00A0; a year passed as int is never grouped
    assert i18n.number(1234.5, "sv", 1) == "1\xa0234,5"
    assert i18n.t("fmt.year_range", "sv", start=2016, end=2022) == "2016–2022"


def test_missing_key_and_missing_field_are_clear_errors():
    with pytest.raises(i18n.MessageError, match="no message 'nope'"):
        i18n.t("nope", "sv")
    with pytest.raises(i18n.MessageError, match="needs the value 'lo'"):
        i18n.t("fmt.ci", "en", est=1, hi=2)
