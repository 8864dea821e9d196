"""Figures, tables, the index page and the notebooks take every text from the catalogue."""

from __future__ import annotations

import json
import re
import string

import matplotlib
import nbformat
import pandas as pd
import pytest

from evaluation import i18n, labels, langcheck, plots, report, tables

from .conftest import ROOT

matplotlib.use("Agg")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb"))


def figure_texts(fig) -> list[str]:
    """Every text a reader sees on a figure: titles, axis labels, ticks, legends, annotations."""
    import matplotlib.text

    return [
        t.get_text()
        for t in fig.findobj(matplotlib.text.Text)
        if t.get_visible() and t.get_text().strip()
    ]


def assert_in_language(texts: list[str], language: str):
    blocks = [("figure", t, "") for t in texts]
    assert langcheck.foreign_blocks(blocks, language) == [], texts


@pytest.fixture(scope="module")
def crime_its(example_ds):
    from evaluation.analyses.crime import analyse_crime

    return analyse_crime(example_ds)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_its_figure_is_labelled_in_the_language(crime_its, language):
    import matplotlib.pyplot as plt

    res = crime_its.its[("violence", None)]
    ax = plots.its_figure(res, events=crime_its.co_interventions, language=language, title="x")
    texts = figure_texts(ax.figure)
    assert i18n.t("plot.its.counterfactual", language) in texts
    # co-interventions are named in the legend: "co-intervention: <name from the calendar>"
    assert any(t.startswith(i18n.t("plot.its.co_intervention", language)) for t in texts)
    assert ax.get_xlabel() == i18n.t("plot.its.month", language)
    # the calendar's event names are data (proper names in the study's language), not report text
    names = (
        set(crime_its.co_interventions["name"]) if crime_its.co_interventions is not None else set()
    )
    for n in names:
        texts = [t.replace(str(n), "") for t in texts]
    assert_in_language(texts, language)
    plt.close("all")


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_other_figures_are_labelled_in_the_language(example_ds, language):
    import matplotlib.pyplot as plt

    from evaluation.stats import survey_proportions

    sessions = example_ds.observations["sessions"]
    figs = [
        plots.timeline(example_ds.calendar, sessions, language=language).figure,
        plots.calendar_heatmap(sessions, language=language),
        plots.survey_plot(
            survey_proportions(example_ds.survey), "safe_evening", language=language
        ).figure,
    ]
    rates = pd.DataFrame(
        {
            "activation": ["none", "art"],
            "rate": [1.0, 2.0],
            "ci_low": [0.5, 1.5],
            "ci_high": [1.5, 2.5],
        }
    )
    figs.append(plots.rate_plot(rates, "activation", language=language).figure)
    texts = [t for f in figs for t in figure_texts(f)]
    assert labels.label("art", language) in texts and labels.label("policing", language) in texts
    assert i18n.weekday_names(language)[0] in texts
    assert_in_language(texts, language)
    plt.close("all")


def test_triangulation_labels_directions_in_the_language():
    import matplotlib.pyplot as plt

    ev = pd.DataFrame(
        {
            "question": ["Fråga ett", "Fråga ett"],
            "source": ["observations", "crime"],
            "direction": ["increase", "no_clear_change"],
        }
    )
    ax = plots.triangulation(ev, language="sv")
    texts = figure_texts(ax.figure)
    assert "ökning" in texts and "ingen tydlig förändring" in texts and "brottsstatistik" in texts
    plt.close("all")


def test_labels_come_from_the_catalogue_and_unknown_codes_stay():
    assert labels.LABELS["sv"]["violence"] == i18n.t("label.violence", "sv") == "våldsbrott"
    assert labels.label("violence", "en") == "violent crime"
    assert labels.label("kungstradgarden", "sv") == "kungstradgarden"
    # one home (evaluation.labels); the old import path re-exports the same objects
    assert plots.label is labels.label and plots.LABELS is labels.LABELS


def test_pretty_formats_numbers_and_headings_for_the_language():
    df = pd.DataFrame(
        {
            "year": [2016, 2022],
            "count": [12345, 7],
            "ratio": [1.2345, 0.5],
            "p_value": [0.0412, 1e-9],
            "present": [True, False],
        }
    )
    cols = {
        "year": "Year",
        "count": "Reported",
        "ratio": "Rate ratio",
        "p_value": "p",
        "present": "Present",
    }
    sv = tables.pretty(df, columns=cols, digits=2, language="sv")
    html = sv._repr_html_()
    # source: CLDR sv (Babel): decimal comma, U+00A0 grouping; years never grouped
    assert "Incidenskvot" in html and "Anmälda" in html and ">År<" in html
    assert ">2016<" in html and ">12\xa0345<" in html and ">1,23<" in html and ">0,041<" in html
    assert "0,001<" in html and ">ja<" in html and ">nej<" in html
    en = tables.pretty(df, columns=cols, digits=2, language="en")._repr_html_()
    assert "Rate ratio" in en and ">12,345<" in en and ">1.23<" in en and ">2016<" in en
    assert langcheck.problems(f'<html lang="sv">{html}</html>', "sv") == []


def test_every_heading_has_both_languages():
    # the English text of each table heading finds its Swedish text
    for text, key in i18n.reverse("en", "table").items():
        assert tables.heading(text, "sv") == i18n.t(key, "sv")


def manifest(language):
    return {
        "run_id": "r1",
        "started": "2026-01-01T10:00:00",
        "parameters": {"language": language, "min_cell": 5},
        "notebooks": [
            {
                "name": "00_data_quality",
                "title": "00 Datakvalitet",
                "summary": "",
                "status": "ok",
                "seconds": 1234.5,
                "html": "00_data_quality.html",
            },
            {
                "name": "01_x",
                "status": "failed",
                "seconds": 1.0,
                "error": {"ename": "ValueError", "evalue": "bad"},
                "notebook": "01_x.ipynb",
            },
        ],
        "inputs": [{"path": "data/x.csv", "bytes": 123456, "sha256": "ab" * 32}],
        "release": {"releasable": True},
        "synthetic": True,
        "git": {"commit": "abc", "dirty": True},
        "python": "3.11.4",
        "data_dir": "data/example",
    }


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_index_page_is_in_the_run_language(tmp_path, language):
    out = report.write_index(
        tmp_path,
        manifest(language),
        summary=["En mening."] if language == "sv" else ["A sentence."],
    )
    html = out.read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in html
    assert i18n.t("report.synthetic_banner", language) in html
    assert i18n.number(123456, language, 0) in html and i18n.number(1234.5, language, 1) in html
    assert i18n.label("failed", language) in html
    assert langcheck.problems(html, language) == []


def test_notebook_title_from_a_markdown_output():
    from evaluation.notebook import study_questions
    from evaluation.sources.study import load_study

    study = load_study(ROOT / "data" / "example")
    text = i18n.t(
        "nb01.intro",
        "sv",
        group="flickor 13–18 år",
        **study.values("sv"),
        questions=study_questions(study, "01", "sv"),
    )
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('show("nb01.intro", language)')
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/markdown": text,
                "text/plain": "<Markdown>",
            },
        )
    ]
    nb.cells = [nbformat.v4.new_code_cell("language = 'sv'"), cell]
    title, summary = report.notebook_title(json.loads(nbformat.writes(nb)))
    # the title names the study's site (study.yaml); the summary is the intro's first paragraph
    assert title == f"01 Platsobservationer – {study.site_name('sv')}"
    assert summary.startswith("Kommer flickor")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_take_their_texts_from_the_catalogue(path):
    nb = nbformat.read(path, as_version=4)
    source = "\n".join(c.source for c in nb.cells)
    assert "language ==" not in source, "a notebook holds no language branch"
    assert not [c for c in nb.cells if c.cell_type == "markdown"], "prose comes from the catalogue"
    # every message a notebook names exists, with the fields it is given
    for key in re.findall(r'\b(?:show|t)\("([a-z0-9_.]+)"', source):
        for language in i18n.LANGUAGES:
            assert i18n.has(key, language), f"{path.name}: no message {key!r} in {language}"
    # the first cell a reader sees shows the H1 of the title
    first = next(c for c in nb.cells if "parameters" not in c.metadata.get("tags", []))
    key = re.search(r'show\("([a-z0-9_.]+)"', first.source).group(1)
    fill = {"group": "x", "Group": "X", "age": "1", "area": "x", "site": "SITE", "roles": "x"}
    fill.update(questions="", title="x", target="x")
    for language in i18n.LANGUAGES:
        heading = i18n.t(key, language, **fill).splitlines()[0]
        # the title is an H1 naming the study's site (issue 16)
        assert heading.startswith("# ") and "SITE" in heading, (path.name, language, heading)


def test_catalogue_markdown_headings_match_between_languages():
    # each notebook message has the same heading levels in both languages, so the TOC has the same shape
    for key, sv in i18n.catalogue("sv").items():
        if not key.startswith("nb0"):
            continue
        en = i18n.t(key, "en", **{f: 1 for _, f, _, _ in string.Formatter().parse(sv) if f})
        levels = lambda text: [ln.split(" ")[0] for ln in text.splitlines() if ln.startswith("#")]  # noqa: E731
        assert levels(sv) == levels(en), key


def test_numbers_on_swedish_figures_have_a_decimal_comma():
    import matplotlib.pyplot as plt

    m = pd.DataFrame([[0.25, 0.5], [0.125, 1.0]], index=["a", "b"], columns=["c", "d"])
    ax = plots.heatmap(m, fmt=".2f", language="sv")
    ax.figure.canvas.draw()
    assert sorted(t.get_text() for t in ax.texts) == ["0,12", "0,25", "0,50", "1,00"]
    cbar = ax.figure.axes[-1]
    assert any("," in t.get_text() for t in cbar.get_yticklabels())
    ax_en = plots.heatmap(m, fmt=".2f", language="en")
    assert "0.25" in [t.get_text() for t in ax_en.texts]
    plt.close("all")
