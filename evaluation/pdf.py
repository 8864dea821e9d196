"""The printable report: ``report.pdf`` of a run, printed by headless Chromium from the HTML pages.

The run's pages are put into one print document, in the order of
:data:`FRONT_PAGES`, ``index.html``, the notebooks (in the manifest's order)
and :data:`BACK_PAGES` (pages that do not exist are left out), after a table
of contents. Chromium prints it once, so the PDF matches the HTML (same
figures, tables and alt texts), page numbers run through the whole document,
every section starts on a new page, the headings become the PDF's outline
(bookmarks) and the PDF is tagged (Playwright ``page.pdf(tagged=True,
outline=True)``). The table of contents gets its page numbers from a first
print (the outline's destinations, read with pypdf). Nothing is fetched from
the network: the pages are self-contained and the browser runs offline.

Needs Playwright and pypdf (``pip install -e '.[pdf]'``, both in the ``dev``
extra) and a Chromium (Debian's ``chromium``; Playwright's own browser
download is never used).
"""

from __future__ import annotations

import html
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import EvaluationError

__all__ = ["FRONT_PAGES", "BACK_PAGES", "Section", "sections", "print_document", "write_pdf"]

#: pages printed before the index, when the run has them (the committee summary, issue 18 item 6;
#: notebook 05, printed first and not again among the notebooks)
FRONT_PAGES: list[str] = ["05_committee_summary.html"]
#: pages printed after the notebooks, when the run has them (the methods appendix with the
#: references, item 5: notebook 06, printed last)
BACK_PAGES: list[str] = ["06_methods_appendix.html"]

_PRINT_CSS = """
@page { size: A4; margin: 18mm 15mm 20mm 15mm; }
html, body { background: #fff; }
body { margin: 0; }
section.sergel-section { break-before: page; }
section.sergel-toc-page { break-after: page; }
nav.sergel-toc, .sergel-back { display: none !important; }
.jp-Notebook { max-width: none !important; padding: 0 !important; }
.jp-OutputArea-output { overflow: visible !important; }
figure.sergel-figure, .jp-RenderedImage { break-inside: avoid; }
figure.sergel-figure img { max-width: 100% !important; height: auto !important; }
table { break-inside: auto; } tr { break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
.sergel-pdf-toc ol { list-style: none; padding: 0; font-size: 1.05em; }
.sergel-pdf-toc li { display: flex; gap: 0.5em; margin: 0.45em 0; }
.sergel-pdf-toc li .title { flex: 1 1 auto; border-bottom: 1px dotted #555; }
.sergel-pdf-toc li .page { flex: 0 0 auto; }
.sergel-pdf-toc a { color: #0b57a4; text-decoration: none; }
"""

_FOOTER = (
    '<div style="font-size:9px; width:100%; text-align:center; color:#333;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


@dataclass
class Section:
    """One page of the run in the PDF: its file, anchor id and title.

    Examples
    --------
    >>> from pathlib import Path
    >>> Section(Path("run/index.html"), "sec-index", "Utvärdering").ident
    'sec-index'
    """

    file: Path
    ident: str
    title: str


def _title(page: str, fallback: str) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S) or re.search(
        r"<title>(.*?)</title>", page, flags=re.S
    )
    text = re.sub(r"<[^>]+>", "", m.group(1)).replace("¶", "").strip() if m else ""
    return html.unescape(text) or fallback


def sections(run_dir: str | Path, manifest: dict | None = None) -> list[Section]:
    """The run's pages in print order: :data:`FRONT_PAGES`, the index, the notebooks, :data:`BACK_PAGES`.

    Notebooks come in the manifest's order; a notebook without an HTML page
    (failed, or not run) is left out, as is any page the run does not have.
    ``manifest`` defaults to the run's ``manifest.json``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> run = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (run / "index.html").write_text("<html><body><h1>Report</h1></body></html>")
    >>> _ = (run / "01_a.html").write_text("<html><body><main><h1>Sites</h1></main></body></html>")
    >>> [(s.ident, s.title) for s in sections(run, {"notebooks": [{"html": "01_a.html"}, {"name": "02"}]})]
    [('sec-index', 'Report'), ('sec-01_a', 'Sites')]
    """
    run_dir = Path(run_dir)
    if manifest is None:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    names = [*FRONT_PAGES, "index.html"]
    names += [
        nb["html"]
        for nb in manifest.get("notebooks", [])
        if nb.get("html") and nb["html"] not in BACK_PAGES
    ]
    names += BACK_PAGES
    out, seen = [], set()
    for name in names:
        f = run_dir / name
        if name in seen or not f.is_file():
            continue
        seen.add(name)
        page = f.read_text(encoding="utf-8")
        out.append(Section(f, "sec-" + re.sub(r"\W+", "-", f.stem), _title(page, f.stem)))
    return out


def _scope_css(css: str, scope: str) -> str:
    """Prefix every selector of a plain style sheet (no @-rules) with ``scope``."""
    rules = []
    for block in css.split("}"):
        if "{" not in block:
            continue
        sel, props = block.split("{", 1)
        sels = []
        for s in sel.split(","):
            s = s.strip()
            if not s:
                continue
            sels.append(scope if s in ("body", "html") else f"{scope} {s}")
        rules.append(", ".join(sels) + " {" + props + "}")
    return "\n".join(rules)


def _body(page: str) -> str:
    m = re.search(r"<main[^>]*>(.*)</main>", page, flags=re.S) or re.search(
        r"<body[^>]*>(.*)</body>", page, flags=re.S
    )
    return m.group(1) if m else page


def print_document(secs: list[Section], language: str, pages: dict[str, int] | None = None) -> str:
    """One HTML document of the sections for printing, with a table of contents first.

    ``pages``: section id -> page number, shown in the table of contents
    (from a first print); without it the numbers are left blank.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> run = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (run / "index.html").write_text("<html><head><style>h1 {color: #222}</style></head>"
    ...                                     "<body><main><h1>Report</h1></main></body></html>")
    >>> doc = print_document(sections(run, {}), "en", {"sec-index": 2})
    >>> '<html lang="en">' in doc, '<span class="page">2</span>' in doc
    (True, True)
    >>> "section.sergel-index h1 {color: #222}" in doc
    True
    """
    from .i18n import t

    styles: list[str] = []
    body_tag = "<body>"
    for s in secs:
        page = s.file.read_text(encoding="utf-8")
        if s.file.name != "index.html" and 'class="jp-Notebook"' in page:
            head = page.split("</head>", 1)[0]
            styles = re.findall(r"<style[^>]*>.*?</style>", head, flags=re.S)
            m = re.search(r"<body[^>]*>", page)
            body_tag = m.group(0) if m else body_tag
            break
    links = {s.file.name: s.ident for s in secs}
    parts = []
    for s in secs:
        page = s.file.read_text(encoding="utf-8")
        body = _body(page)
        # links between the pages become links inside the PDF
        body = re.sub(
            r'href="([^"#]+\.html)(#[^"]*)?"',
            lambda m: f'href="#{links[m.group(1)]}"' if m.group(1) in links else m.group(0),
            body,
        )
        if s.file.name == "index.html":
            css = re.search(r"<style>(.*?)</style>", page, flags=re.S)
            scoped = _scope_css(css.group(1), "section.sergel-index") if css else ""
            parts.append(
                f'<style>{scoped}</style><section id="{s.ident}" class="sergel-section sergel-index">{body}</section>'
            )
        else:
            parts.append(f'<section id="{s.ident}" class="sergel-section">{body}</section>')
    items = "".join(
        f'<li><a class="title" href="#{s.ident}">{html.escape(s.title)}</a>'
        f'<span class="page">{(pages or {}).get(s.ident, "")}</span></li>'
        for s in secs
    )
    contents = html.escape(t("report.contents", language))
    # the report's title as its index page states it (the site's name comes from the study)
    index_title = next((s.title for s in secs if s.file.name == "index.html"), None)
    title = html.escape(index_title or t("report.page_title", language, site=""))
    toc = (
        f'<section class="sergel-toc-page sergel-pdf-toc"><p><strong>{title}</strong></p>'
        f"<h1>{contents}</h1><ol>{items}</ol></section>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language)}"><head><meta charset="utf-8">'
        f"<title>{title}</title>{''.join(styles)}<style>{_PRINT_CSS}</style></head>\n"
        f"{body_tag}<main>{toc}{''.join(parts)}</main></body></html>"
    )


def _print(ctx, doc: Path, out: Path) -> None:
    page = ctx.new_page()
    page.goto(doc.resolve().as_uri(), wait_until="load")
    page.emulate_media(media="print")
    page.pdf(
        path=str(out),
        format="A4",
        print_background=True,
        display_header_footer=True,
        header_template="<div></div>",
        footer_template=_FOOTER,
        margin={"top": "18mm", "bottom": "20mm", "left": "15mm", "right": "15mm"},
        tagged=True,
        outline=True,
    )
    page.close()


def _section_pages(pdf: Path, secs: list[Section]) -> dict[str, int]:
    """Page number (1-based) where each section starts, from the PDF's outline.

    Chromium's outline has one top-level entry per H1 (each section's title),
    with its page as destination. Titles are matched in order (the index page
    names the notebooks too, so searching the text would find them there).
    """
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))

    def norm(x: str | None) -> str:
        # without white space: where a long title wraps, Chromium's outline loses the
        # space at the break ("stadsdelsnämnden –Norrtorget")
        return re.sub(r"\s+", "", x or "")

    top = [o for o in reader.outline if not isinstance(o, list)]
    out, k = {}, 0
    for s in secs:
        for j in range(k, len(top)):
            if norm(top[j].title) == norm(s.title):
                page = reader.get_destination_page_number(top[j])
                if page is not None:
                    out[s.ident] = page + 1
                k = j + 1
                break
    return out


def write_pdf(
    run_dir: str | Path, executable: str | None = None, out: str | Path | None = None
) -> Path:
    """Write ``report.pdf`` into a run folder (or ``out``) from the run's HTML pages.

    Returns the path. Raises :class:`~evaluation.errors.EvaluationError` when
    the run folder has no manifest, Playwright or pypdf is not installed, or no
    Chromium is found.

    Examples
    --------
    >>> import tempfile
    >>> write_pdf(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    evaluation.errors.EvaluationError: ...: not a run folder (no manifest.json)

    A run folder made by ``evaluation run --output RUN`` (Chromium prints it):

    >>> write_pdf("RUN")  # doctest: +SKIP
    PosixPath('RUN/report.pdf')
    """
    run_dir = Path(run_dir)
    mf = run_dir / "manifest.json"
    if not mf.is_file():
        raise EvaluationError(f"{run_dir}: not a run folder (no manifest.json)")
    manifest = json.loads(mf.read_text(encoding="utf-8"))
    try:
        from playwright.sync_api import sync_playwright
        from pypdf import PdfReader  # noqa: F401
    except ImportError as exc:
        raise EvaluationError(
            f"the PDF needs Playwright and pypdf: pip install -e '.[pdf]' ({exc})"
        ) from None
    from .chromium import CHROMIUM_ARGS, find_chromium

    exe = executable or find_chromium()
    if exe is None:
        raise EvaluationError("the PDF needs Chromium: install Debian's chromium")
    language = manifest.get("parameters", {}).get("language", "sv")
    secs = sections(run_dir, manifest)
    if not secs:
        raise EvaluationError(f"{run_dir}: no HTML page to print")
    out = Path(out) if out is not None else run_dir / "report.pdf"
    with tempfile.TemporaryDirectory(prefix="sergel-pdf-") as tmp:
        doc, first = Path(tmp) / "report.html", Path(tmp) / "first.pdf"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
            ctx = browser.new_context(offline=True)  # no network: the pages are self-contained
            try:
                doc.write_text(print_document(secs, language), encoding="utf-8")
                _print(ctx, doc, first)
                pages = _section_pages(first, secs)
                doc.write_text(print_document(secs, language, pages), encoding="utf-8")
                _print(ctx, doc, out)
            finally:
                browser.close()
    _link_from_index(run_dir, out, language)
    return out


def _link_from_index(run_dir: Path, pdf: Path, language: str) -> None:
    """A link to the PDF on the run's index page (once; only for a PDF inside the run folder)."""
    from .i18n import t

    index = run_dir / "index.html"
    if pdf.parent.resolve() != run_dir.resolve() or not index.is_file():
        return
    page = index.read_text(encoding="utf-8")
    if 'class="sergel-pdf-link"' in page or "</h1>" not in page:
        return
    link = (
        f'<p class="sergel-pdf-link"><a href="{html.escape(pdf.name)}">'
        f"{html.escape(t('pdf.link', language))}</a></p>"
    )
    index.write_text(page.replace("</h1>", "</h1>" + link, 1), encoding="utf-8")
