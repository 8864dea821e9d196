"""HTML rendering of executed notebooks: one self-contained page each, code hidden, figures numbered.

The run's index page lives in :mod:`evaluation.report_index`, the helpers a
notebook calls (``notebook_setup``, ``key_numbers``, ``event_list``) in
:mod:`evaluation.notebook`, the results contract in :mod:`evaluation.results`;
all are re-exported here, so ``from evaluation.report import ...`` keeps working.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from . import i18n
from .i18n import t
from .notebook import event_list, key_numbers, notebook_setup
from .report_index import pages_to_be_written, write_index
from .results import read_results, write_results

__all__ = [
    "write_results",
    "read_results",
    "render_html",
    "notebook_title",
    "notebook_language",
    "chapter",
    "number_figures",
    "write_index",
    "pages_to_be_written",
    "notebook_setup",
    "key_numbers",
    "event_list",
    "TEMPLATES",
]

TEMPLATES = Path(__file__).parent / "templates"
HIDDEN_TAGS = {"remove-cell", "report-hide", "parameters", "injected-parameters"}


def _text(src) -> str:
    return "".join(src) if isinstance(src, list) else (src or "")


def _markdown_sources(nb):
    """The Markdown a reader sees, cell by cell: markdown cells and code cells' Markdown outputs.

    A notebook's prose may be markdown cells or code cells that display
    Markdown from the catalogue (``i18n.show``); the title is found in either.
    """
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            yield _text(cell["source"])
        elif cell["cell_type"] == "code":
            for out in cell.get("outputs", []):
                md = out.get("data", {}).get("text/markdown")
                if md:
                    yield _text(md)


def notebook_title(nb: Any) -> tuple[str, str]:
    """(title, one-line summary): the first H1 a reader sees and the paragraph after it.

    ``nb`` is a notebook node or the notebook's plain JSON. The H1 is taken
    from a markdown cell or from a code cell's Markdown output (an executed
    notebook whose headings come from the message catalogue).

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "markdown", "source": "# Crime\\n\\nReported *crime* by month."}]}
    >>> notebook_title(nb)
    ('Crime', 'Reported crime by month.')
    """
    for source in _markdown_sources(nb):
        lines = source.strip().splitlines()
        title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), "")
        para: list[str] = []
        for ln in lines:
            if ln.startswith("#"):
                if para:
                    break
                continue
            if not ln.strip():
                if para:
                    break
                continue
            para.append(ln.strip())
        summary = re.sub(r"[*_`]", "", " ".join(para))
        if title:
            return title, summary
    return "", ""


def notebook_language(nb: Any, default: str = "sv") -> str:
    """The report language a notebook was executed with (its papermill ``language`` parameter).

    ``default`` when the notebook has no such parameter or names no report language.

    Examples
    --------
    >>> nb = {"metadata": {"papermill": {"parameters": {"language": "en"}}}}
    >>> notebook_language(nb), notebook_language({"metadata": {}})
    ('en', 'sv')
    """
    meta = nb.get("metadata", {}) if hasattr(nb, "get") else {}
    params = (meta.get("papermill") or {}).get("parameters") or {}
    lang = params.get("language", default)
    from . import i18n

    return lang if lang in i18n.LANGUAGES else default


def _toc(body: str, language: str = "sv") -> str:
    heads = re.findall(r'<h([23])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', body, flags=re.S)
    if len(heads) < 2:
        return body
    items = []
    for level, ident, inner in heads:
        text = re.sub(r"<[^>]+>", "", inner).replace("¶", "").strip()
        items.append(f'<li class="toc-h{level}"><a href="#{ident}">{text}</a></li>')
    nav = (
        f'<nav class="sergel-toc"><strong>{html.escape(t("report.contents", language))}</strong><ul>'
        + "".join(items)
        + "</ul></nav>"
    )
    m = re.search(r"</h1>", body)
    if not m:
        return body.replace("<main>", "<main>" + nav, 1)
    return body[: m.end()] + nav + body[m.end() :]


def chapter(nb_path: str | Path) -> int | None:
    """The number a notebook's file name starts with (``03_crime.ipynb`` -> 3), else ``None``.

    Examples
    --------
    >>> chapter("notebooks/03_crime_and_safety.ipynb"), chapter("appendix.ipynb")
    (3, None)
    """
    m = re.match(r"(\d+)", Path(nb_path).name)
    return int(m.group(1)) if m else None


def number_figures(nb: Any, chapter: int | None, language: str) -> int:
    """Number the figures of an executed notebook across the report: ``Figur 3.2`` (notebook 03,
    second figure shown), in the order a reader sees them; returns how many.

    Each figure's caption comes from its ``image/png`` metadata (set by
    :func:`evaluation.plots.set_theme`): ``caption_text``, else the caption
    without its page-local number. The numbers depend only on the notebook's
    own file name and outputs, so they are the same when notebooks run in
    parallel. Without a ``chapter`` the figures are numbered 1, 2, ... on the page.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "code", "outputs": [
    ...     {"output_type": "display_data", "data": {"image/png": ""},
    ...      "metadata": {"image/png": {"alt": "a", "caption": "Figur 7. Antal per år"}}}]}]}
    >>> number_figures(nb, 3, "sv"), nb["cells"][0]["outputs"][0]["metadata"]["image/png"]["caption"]
    (1, 'Figur 3.1. Antal per år')
    """
    k = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            md = out.get("metadata", {}).get("image/png")
            if not isinstance(md, dict) or not md.get("caption"):
                continue
            k += 1
            text = md.get("caption_text") or re.sub(r"^\S+ \d+(\.\d+)?\. ", "", md["caption"])
            n = f"{chapter}.{k}" if chapter is not None else str(k)
            md["caption"] = t("a11y.figure_caption", language, n=n, text=text)
    return k


#: banners the runner used to pass as bilingual text, now catalogue keys
_BANNER_KEYS = {"Syntetiska exempeldata / synthetic example data": "report.synthetic_banner_short"}


def render_html(
    nb_path: str | Path,
    html_path: str | Path,
    banner: str | None = None,
    language: str | None = None,
) -> Path:
    """Render an executed notebook to one self-contained HTML page, code hidden.

    Code cells' inputs and prompts are hidden, cells tagged ``remove-cell``,
    ``report-hide`` (e.g. nbval's diagnostic cells), ``parameters`` or
    ``injected-parameters`` are dropped, and so are stderr
    streams (warnings belong in the text of the notebook). Figures are inline
    base64 images, numbered across the report by the notebook's number
    (:func:`number_figures`: ``Figur 3.2``); the template loads no script from
    the network. A table of contents built from the H2/H3 headings follows the title.

    ``language`` (default: the notebook's papermill ``language`` parameter)
    sets the page's ``lang`` attribute and the texts this function adds. A
    ``banner`` is shown as given, or translated when it is a catalogue key.
    Returns ``html_path``.

    Examples
    --------
    >>> import nbformat, pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title\\n\\nText.")])
    >>> nbformat.write(nb, d / "01_x.ipynb")
    >>> page = render_html(d / "01_x.ipynb", d / "01_x.html", language="en").read_text()
    >>> '<html lang="en"' in page, "Title" in page, "¶" in page
    (True, True, False)
    """
    import nbformat
    from nbconvert import HTMLExporter
    from papermill.execute import remove_error_markers

    nb = nbformat.read(str(nb_path), as_version=4)
    nb = remove_error_markers(nb)
    cells = []
    for cell in nb.cells:
        if HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        cells.append(cell)
    nb.cells = cells
    language = language or notebook_language(nb)
    number_figures(nb, chapter(nb_path), language)
    title, _ = notebook_title(nb)
    exporter = HTMLExporter(
        template_name="sergel",
        language_code=language,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": title or Path(nb_path).stem}}
    )
    # nbconvert's "¶" anchor links would be read as part of every heading: drop them (the
    # headings keep their ids, which the table of contents links to)
    body = re.sub(r'<a class="anchor-link" href="#[^"]*">¶</a>', "", body)
    body = _toc(body, language)
    back = html.escape(t("report.back_to_index", language))
    top = f'<div class="sergel-back"><a href="index.html">&larr; {back}</a></div>'
    if banner:
        key = _BANNER_KEYS.get(banner, banner)
        text = t(key, language) if i18n.has(key, language) else banner
        top += f'<div class="sergel-banner">{html.escape(text)}</div>'
    body = (
        body.replace("<main>", "<main>" + top, 1)
        if "<main>" in body
        else re.sub(r"(<body[^>]*>)", r"\1" + top, body, count=1)
    )
    out = Path(html_path)
    out.write_text(body, encoding="utf-8")
    return out
