"""The whole report in each language: no text of the other language on any page (issue 12).

Each language renders the full report once (``evaluation run --no-cache
--output DIR -p language=<lang>``) and every HTML page is read by
:func:`evaluation.langcheck.problems`: ``<html lang>``, text blocks of the
other language (quotes and proper names excepted), years with a separator,
and in Swedish decimals with a point.
"""

from __future__ import annotations

import pytest

from evaluation import i18n, langcheck

from .conftest import EXAMPLE, cli  # noqa: F401


@pytest.fixture(autouse=True)
def _example_names():
    """The example study's proper names (study.yaml), as open_study sets them for a report."""
    from evaluation.sources.study import load_study

    from .conftest import EXAMPLE

    langcheck.use_names(langcheck.study_names(load_study(EXAMPLE)))
    yield
    langcheck.use_names([])


PAGES = [
    "index.html",
    "00_data_quality.html",
    "01_site_observations.html",
    "02_focus_groups.html",
    "03_crime_and_safety.html",
    "04_synthesis.html",
    "05_committee_summary.html",
    "06_methods_appendix.html",
]


@pytest.fixture(scope="module", params=i18n.LANGUAGES)
def report(request, tmp_path_factory):
    language = request.param
    out = tmp_path_factory.mktemp(f"report-{language}") / "r"
    res = cli(
        "run",
        "--data",
        str(EXAMPLE),
        "--no-cache",
        "--output",
        str(out),
        "-p",
        f"language={language}",
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    return language, out


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_in_the_report_language(report, name):
    language, out = report
    html = (out / name).read_text(encoding="utf-8")
    found = langcheck.problems(html, language)
    assert not found, f"{name} ({language}): {len(found)} problem(s):\n" + "\n".join(
        f"  {p[:200]}" for p in found
    )


def test_titles_and_contents_come_from_the_catalogue(report):
    language, out = report
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}"' in index
    assert i18n.t("report.sections", language) in index
    page = (out / "01_site_observations.html").read_text(encoding="utf-8")
    from evaluation.sources.study import load_study

    site = load_study(EXAMPLE).site_name(language)  # titles name the study's site
    title = i18n.t("nb01.intro", language, group="", site=site, questions="").splitlines()[0]
    title = title.lstrip("# ")
    assert site in title
    # the title is found in the notebook's Markdown output (index row and <title>)
    assert f"<title>{title}</title>" in page and title in index
    assert f"<strong>{i18n.t('report.contents', language)}</strong>" in page
