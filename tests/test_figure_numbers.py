"""Figure numbers are unique across the report (issue 18): "Figur 3.2" is notebook 03's second
figure, whatever order the notebooks ran in."""

from __future__ import annotations

import re

import nbformat

from evaluation.report import chapter, number_figures, render_html


def _notebook(captions, hidden=()):
    cells = []
    for i, cap in enumerate(captions):
        cell = nbformat.v4.new_code_cell("plot()")
        md = {"image/png": {"alt": f"alt {i}", "caption": cap}}
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="},
                                               metadata=md)]  # fmt: skip
        if i in hidden:
            cell.metadata["tags"] = ["report-hide"]
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), *cells])


def test_chapter_is_the_notebooks_number():
    assert chapter("notebooks/03_crime_and_safety.ipynb") == 3
    assert chapter("run/12_extra.ipynb") == 12
    assert chapter("appendix.ipynb") is None


def test_figures_are_numbered_by_notebook_in_reading_order(tmp_path):
    nb = _notebook(["Figur 1. Antal", "Figur 2. Andel", "Figur 3. Karta"], hidden={1})
    path = tmp_path / "03_crime.ipynb"
    nbformat.write(nb, path)
    html = render_html(path, tmp_path / "03_crime.html", language="sv").read_text()
    caps = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    # the hidden figure is not shown, so the map is the page's second figure
    assert caps == ["Figur 3.1. Antal", "Figur 3.2. Karta"]


def test_caption_text_from_the_kernel_is_used_and_languages_follow_the_page():
    nb = _notebook(["Figure 1. Counts"])
    nb.cells[1].outputs[0].metadata["image/png"]["caption_text"] = "Counts per year"
    assert number_figures(nb, 5, "en") == 1
    assert nb.cells[1].outputs[0].metadata["image/png"]["caption"] == "Figure 5.1. Counts per year"
    nb = _notebook(["Figur 1. Antal"])
    number_figures(nb, None, "sv")  # no number in the file name: numbered on the page
    assert nb.cells[1].outputs[0].metadata["image/png"]["caption"] == "Figur 1. Antal"


def test_a_figure_number_is_not_a_decimal_point_in_swedish():
    from evaluation import langcheck

    page = '<html lang="sv"><body><figcaption>Figur 3.2. Antal brott per månad</figcaption></body></html>'
    assert langcheck.problems(page, "sv") == []
    bad = '<html lang="sv"><body><p>Kvoten var 1.25 i år.</p></body></html>'
    assert langcheck.problems(bad, "sv")  # a real decimal point is still found
