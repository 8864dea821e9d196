"""Results JSON, HTML rendering of executed notebooks, and the run's index page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from . import i18n
from .i18n import t
from .results import read_results, write_results  # noqa: F401  (moved to evaluation.results)

__all__ = [
    "write_results",
    "read_results",
    "render_html",
    "notebook_title",
    "notebook_language",
    "chapter",
    "number_figures",
    "write_index",
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


_INDEX_CSS = """
body { font-family: "Helvetica Neue", Arial, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; } th, td { text-align: left; padding: 0.35em 0.6em; border-bottom: 1px solid #eee; vertical-align: top; }
thead th { background: #f4f4f4; } tbody th { font-weight: normal; } code { font-size: 0.9em; }
.status-ok { color: #1a7f37; } .status-incomplete { color: #9a5b00; font-weight: bold; } .status-failed { color: #b42318; font-weight: bold; } .status-cached { color: #555; }
.banner { padding: 0.8em 1em; margin: 1em 0; border-radius: 4px; }
.banner.notrelease { background: #fde8e8; border: 2px solid #b42318; color: #7a1010; font-weight: bold; font-size: 1.1em; }
.banner.synthetic { background: #fff4ce; border: 1px solid #e0c060; }
.banner.ok { background: #e7f6ea; border: 1px solid #9bd3a7; }
.summary { font-size: 1.05em; background: #f7f9fc; border-left: 4px solid #4477aa; padding: 0.6em 1em; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
a { color: #0b57a4; }
"""


def _manifest_study(manifest: dict):
    """The study of the run's data folder (``None`` when it cannot be read: the index still renders)."""
    from .errors import DataError
    from .paths import resolve
    from .sources.study import load_study

    data = manifest.get("data_dir") or manifest.get("parameters", {}).get("data_dir")
    if not data:
        return None
    try:
        return load_study(resolve(data))
    except (DataError, OSError):
        return None


def write_index(
    run_dir: str | Path,
    manifest: dict,
    summary: list[str] | None = None,
    language: str | None = None,
) -> Path:
    """Write ``index.html`` of a run: notebooks with summaries, run time, parameters, provenance.

    Every text is in ``language`` (default: the run's ``language`` parameter
    in ``manifest["parameters"]``, else Swedish), from the ``report.*``
    messages; numbers follow the language (Babel). Returns the page's path.

    Examples
    --------
    >>> import tempfile
    >>> m = {"run_id": "r1", "parameters": {"language": "en"},
    ...      "notebooks": [{"name": "00", "title": "Data quality", "html": "00.html",
    ...                     "status": "ok", "seconds": 1.5}]}
    >>> page = write_index(tempfile.mkdtemp(), m).read_text()
    >>> '<html lang="en">' in page, 'href="00.html">Data quality</a>' in page
    (True, True)
    """
    from .safehtml import CSP_META

    run_dir = Path(run_dir)
    if language is None:
        language = manifest.get("parameters", {}).get("language", "sv")
    if language not in i18n.LANGUAGES:
        language = "sv"
    lang = language
    e = html.escape

    def m(key: str, **values) -> str:
        return e(t(f"report.{key}", lang, **values))

    from .analyses.findings import target_group

    run_params = manifest.get("parameters", {})
    study = _manifest_study(manifest)
    site = {"site": study.site_name(lang) if study is not None else ""}
    group = target_group(
        {
            "gender": run_params.get("target_gender") or getattr(study, "target_gender", None),
            "age_band": run_params.get("target_age_band")
            or getattr(study, "target_age_band", None),
        },
        lang,
    )

    rows = []
    for nb in manifest.get("notebooks", []):
        status = nb.get("status", "")
        link = (
            f'<a href="{e(nb["html"])}">{e(nb.get("title") or nb["name"])}</a>'
            if nb.get("html")
            else e(nb.get("title") or nb["name"])
        )
        extra = ""
        if status == "failed":
            err = nb.get("error", {})
            extra = (
                # the error is Python's own message: shown as technical text, not translated
                f'<br><span class="status-failed"><code>{e(err.get("ename", ""))}: '
                f"{e(err.get('evalue', '')[:200])}</code></span><br>"
                f"{m('partial_notebook')} <code>{e(nb.get('notebook', ''))}</code>"
            )
        if status == "incomplete":  # named key results could not be computed (the run says why)
            extra = "".join(
                f'<br><span class="status-incomplete">{e(i.get("result", ""))}: {e(i.get("why", ""))}</span>'
                for i in nb.get("incomplete", [])
            )
        seconds = i18n.number(float(nb.get("seconds", 0) or 0), lang, 1)
        rows.append(
            f'<tr><th scope="row">{link}<br><small>{e(nb.get("summary", ""))}</small>{extra}</th>'
            f'<td class="status-{e(status)}">{e(i18n.label(status, lang))}</td>'
            f"<td>{m('seconds', seconds=seconds)}</td></tr>"
        )
    params = "".join(
        f'<tr><th scope="row"><code>{e(str(k))}</code></th>'
        f"<td><code>{e(json.dumps(v, ensure_ascii=False))}</code></td></tr>"
        for k, v in sorted(manifest.get("parameters", {}).items())
    )
    inputs = manifest.get("inputs", [])
    inp = "".join(
        f'<tr><th scope="row"><code>{e(i["path"])}</code></th>'
        f"<td>{e(i18n.number(int(i['bytes']), lang, 0))}</td>"
        f"<td><code>{e(i['sha256'][:16])}…</code></td></tr>"
        for i in inputs
    )
    banners = []
    release = manifest.get("release")
    if release is not None and not release.get("releasable", False):
        banners.append(
            f'<div class="banner notrelease">{m("not_for_release", n=len(release.get("leaks", [])))}</div>'
        )
    elif release is not None:
        banners.append(f'<div class="banner ok">{m("releasable")}</div>')
    if manifest.get("synthetic"):
        banners.append(f'<div class="banner synthetic">{m("synthetic_banner")}</div>')
    summ = ""
    if summary:
        summ = (
            f'<h2>{m("summary")}</h2><div class="summary">'
            + "".join(f"<p>{e(s)}</p>" for s in summary)
            + "</div>"
        )
    git = manifest.get("git", {})
    commit = f"<code>{e(str(git.get('commit') or t('report.unknown', lang)))}</code>"
    provenance_text = t(
        "report.provenance_text",
        lang,
        data_dir=f"<code>{e(str(manifest.get('data_dir', '')))}</code>",
        commit=commit,
        dirty=t("report.dirty", lang) if git.get("dirty") else "",
        python=e(manifest.get("python", "")),
        manifest='<a href="manifest.json">manifest.json</a>',
    )
    run_text = t(
        "report.run",
        lang,
        run_id=f"<code>{e(manifest.get('run_id', ''))}</code>",
        started=e(i18n.timestamp(manifest.get("started", ""), lang)),
    )
    page = f"""<!DOCTYPE html>
<html lang="{e(lang)}"><head><meta charset="utf-8">{CSP_META}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{m("page_title", **site)}</title><style>{_INDEX_CSS}</style></head>
<body>
<main>
<h1>{m("heading", **site)}</h1>
<p>{m("intro", group=group, **site)} {run_text}</p>
{"".join(banners)}
{summ}
<h2>{m("sections")}</h2>
<table><caption class="sr-only">{m("sections")}</caption><thead><tr><th scope="col">{m("col_notebook")}</th><th scope="col">{m("col_status")}</th><th scope="col">{m("col_time")}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>
<h2>{m("parameters")}</h2>
<table><caption class="sr-only">{m("parameters")}</caption><thead><tr><th scope="col">{m("col_parameter")}</th><th scope="col">{m("col_value")}</th></tr></thead><tbody>{params}</tbody></table>
<h2>{m("provenance")}</h2>
<p>{provenance_text}</p>
<table><caption class="sr-only">{m("provenance")}</caption><thead><tr><th scope="col">{m("col_input")}</th><th scope="col">{m("col_bytes")}</th><th scope="col">SHA-256</th></tr></thead><tbody>{inp}</tbody></table>
</main>
</body></html>
"""
    out = run_dir / "index.html"
    out.write_text(page, encoding="utf-8")
    return out


def notebook_setup(language: str | None = None, study: Any = None) -> None:
    """Call once at the top of a notebook: the report theme, quiet library deprecation noise.

    Also, for readers with a screen reader: every figure shown carries its alt
    text and a numbered caption (:func:`evaluation.plots.set_theme`), and every
    DataFrame displayed is an accessible table (:func:`evaluation.tables.frame_html`),
    in ``language`` (default: the notebook's ``language`` parameter). ``study``
    (default: the notebook's ``study``) fixes the colours of its activation
    kinds (:func:`evaluation.plots.kind_colours`).

    Examples
    --------
    >>> import pandas as pd
    >>> notebook_setup("en"); pd.get_option("display.max_colwidth")
    300
    >>> pd.reset_option("display.max_colwidth"); pd.reset_option("display.width")
    >>> from evaluation.plots import set_theme; set_theme()  # (back to the notebook's language)
    """
    import warnings

    import pandas as pd

    from .plots import set_theme
    from .plots.alttext import _language

    set_theme(language=language, study=study)
    try:
        from IPython import get_ipython

        ip = get_ipython()
    except ImportError:  # pragma: no cover
        ip = None
    if ip is not None:
        from .tables import frame_html

        ip.display_formatter.formatters["text/html"].for_type(
            pd.DataFrame, lambda df: frame_html(df, _language())
        )
    for cat in (FutureWarning, DeprecationWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=cat)
    pd.set_option("display.max_colwidth", 300)
    pd.set_option("display.width", 120)


def key_numbers(entries: dict[str, dict | None], digits: int = 3) -> str:
    """Plain-text lines ``name: estimate (ci_low-ci_high)`` for the cells nbval compares.

    >>> print(key_numbers({"rr": {"estimate": 1.23456, "ci_low": 1.0, "ci_high": 1.5}, "x": None}))
    rr: 1.235 (1.000-1.500)
    x: not available
    """
    out = []
    for name, e in entries.items():
        if not e or e.get("estimate") is None:
            out.append(f"{name}: not available")
        else:
            out.append(
                f"{name}: {e['estimate']:.{digits}f} ({e['ci_low']:.{digits}f}-{e['ci_high']:.{digits}f})"
            )
    return "\n".join(out)


def event_list(events, language: str = "sv") -> str:
    """Calendar periods (``name``, ``start``, ``end``) as a Markdown list, dates in ``language``.

    Names come from the data: they are HTML-escaped and marked
    ``translate="no"`` (a name, in whatever language the data are written).

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"name": ["Kamerabevakning"], "start": pd.to_datetime(["2019-03-01"]),
    ...                    "end": pd.to_datetime(["2025-12-31"])})
    >>> print(event_list(ev, "sv")); print(event_list(ev, "en"))
    - <span translate="no">Kamerabevakning</span>: 1 mars 2019 – 31 december 2025
    - <span translate="no">Kamerabevakning</span>: 1 March 2019 – 31 December 2025
    """
    return "\n".join(
        t(
            "report.event",
            language,
            # a name from the data: escaped, and marked as a name (not text of the report language)
            name=f'<span translate="no">{html.escape(str(r.name))}</span>',
            start=i18n.date(r.start, language),
            end=i18n.date(r.end, language),
        )
        for r in events.itertuples()
    )
