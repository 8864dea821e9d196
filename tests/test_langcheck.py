"""The language check itself: it finds the other language, grouped years and wrong decimals."""

from __future__ import annotations

import pytest

from evaluation import langcheck


@pytest.fixture(autouse=True)
def _example_names():
    """The example study's proper names (study.yaml), as open_study sets them for a report."""
    from evaluation.sources.study import load_study

    from .conftest import EXAMPLE

    langcheck.use_names(langcheck.study_names(load_study(EXAMPLE)))
    yield
    langcheck.use_names([])


def page(body: str, lang: str = "sv") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><title>x</title></head><body>{body}</body></html>'


# Texts taken from the report as it was before the catalogue (issue 12): each must be caught.
OLD_REPORT_IN_SWEDISH = [
    "<h2>Sources and coverage</h2>",
    "<nav><strong>Innehåll / Contents</strong></nav>",
    "<p>Rates are people per observation hour with exact Poisson 95% confidence intervals.</p>",
    "<td>no activation</td>",  # a label (no function word): caught by the catalogue match
    "<pre>why this family: Pearson chi2/df = 1.42 > 1.25 and the Cameron-Trivedi test rejects</pre>",
    "<p><strong>Reading.</strong> During activation about <strong>2.0 times</strong> as many girls stayed.</p>",
]


@pytest.mark.parametrize("snippet", OLD_REPORT_IN_SWEDISH)
def test_english_in_a_swedish_page_is_found(snippet):
    found = langcheck.problems(page(snippet), "sv")
    assert any(p.startswith("English text") for p in found), found


@pytest.mark.parametrize(
    "snippet",
    [
        "<h2>Rapportens delar</h2>",
        "<p>Att våldet per hektar ökade beror på att området som räknas krympte.</p>",
        "<td>ingen aktivering</td>",
    ],
)
def test_swedish_in_an_english_page_is_found(snippet):
    found = langcheck.problems(page(snippet, "en"), "en")
    assert any(p.startswith("Swedish text") for p in found), found


def test_quotes_code_and_proper_names_are_not_counted():
    body = (
        "<p>Flickor 13–18 som vistas vid Sergels torg, enligt Ungdomsjouren och Krippendorff.</p>"
        "<blockquote>The girls sit on the stairs for hours and this is what they do.</blockquote>"
        "<p>Datamapp <code>data/the/example of that</code>.</p>"
        "<td>Sergels torg</td><td>Stockholm</td>"
    )
    assert langcheck.problems(page(body), "sv") == []
    assert (
        langcheck.problems(page("<p>Girls at Sergels torg, said Ungdomsjouren.</p>", "en"), "en")
        == []
    )


def test_a_page_in_its_language_passes():
    sv = "<h1>01 Platsobservationer</h1><p>Kvoten var 1,96 (95 % KI 1,59–2,41) år 2019.</p><td>12\xa0345</td>"
    en = "<h1>01 Site observations</h1><p>The ratio was 1.96 (95% CI 1.59–2.41) in 2019.</p><td>12,345</td>"
    assert langcheck.problems(page(sv), "sv") == []
    assert langcheck.problems(page(en, "en"), "en") == []


def test_grouped_years_and_wrong_decimal_marks():
    assert langcheck.problems(page("<p>Från 2\xa0016 till 2022.</p>"), "sv") == [
        "year with a separator: 2\xa0016"
    ]
    assert langcheck.problems(page("<p>In 2,016 it rose.</p>", "en"), "en") == [
        "year with a separator: 2,016"
    ]
    # a year column of a table: the plain number cell is checked too
    found = langcheck.problems(
        page("<table><tr><th>År</th></tr><tr><td>2 016</td></tr></table>"), "sv"
    )
    assert found == ["year with a separator: 2 016"]
    # a count cell of 2 016 people under another heading is a grouped number, not a year
    assert (
        langcheck.problems(
            page("<table><tr><th>Rader</th></tr><tr><td>2 016</td></tr></table>"), "sv"
        )
        == []
    )
    assert langcheck.problems(page("<p>Kvoten var 1.25.</p>"), "sv") == [
        "decimal point in Swedish: Kvoten var 1.25."
    ]
    assert langcheck.problems(page("<p>The ratio was 1,25.</p>", "en"), "en") == [
        "decimal comma in English: The ratio was 1,25."
    ]
    # dates, versions and thousands are not decimals
    assert langcheck.problems(page("<p>Python 3.11.4, 2019-06, 12,345 rows.</p>", "en"), "en") == []


def test_the_html_lang_attribute_must_be_the_language():
    assert langcheck.problems(page("<p>Kvoten.</p>", "en"), "sv") == [
        "<html lang> is 'en', not 'sv'"
    ]


def test_fragments_without_function_words_are_found_by_vocabulary():
    # the notes column of 00 before the catalogue: no function word, but catalogue vocabulary
    found = langcheck.problems(page("<td>18 activation periods, 2 co-interventions</td>"), "sv")
    assert found and found[0].startswith("English text"), found
    assert (
        langcheck.problems(page("<td>18 aktiveringsperioder, 2 samtidiga insatser</td>"), "sv")
        == []
    )


def test_names_marked_translate_no_are_not_read():
    body = '<li><span translate="no">Tillfällig park vid Sergels torg och Plattan</span>: 1 June 2023</li>'
    assert langcheck.problems(page(body, "en"), "en") == []
    assert langcheck.problems(page("<li>Tillfällig park och bänkar på torget</li>", "en"), "en")
