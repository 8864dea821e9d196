"""Results JSON, HTML rendering of executed notebooks, and the run's index page."""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any

from . import provenance

__all__ = [
    "write_results",
    "read_results",
    "render_html",
    "notebook_title",
    "write_index",
    "TEMPLATES",
]

TEMPLATES = Path(__file__).parent / "templates"
HIDDEN_TAGS = {"remove-cell", "report-hide", "parameters", "injected-parameters"}


def _clean(x: Any) -> Any:
    """JSON-safe values: numpy scalars to Python, NaN/inf to None."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        try:
            x = x.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def write_results(run_dir: str | Path | None, notebook: str, results: dict) -> Path | None:
    """Write a notebook's key figures to ``<run_dir>/results/<notebook>.json``.

    Adds ``inputs``: the files this process read (for the manifest and the
    cache). With an empty ``run_dir`` (interactive use, nbval) nothing is
    written and ``None`` is returned: a notebook only writes into a run folder.
    """
    if not run_dir:
        return None
    out = Path(run_dir) / "results" / f"{notebook}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = dict(_clean(results))
    payload["inputs"] = provenance.files_read()
    out.write_text(
        json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
    )
    return out


def read_results(results_dir: str | Path | None, notebook: str) -> dict | None:
    """A notebook's results JSON from a run folder's ``results/``, or ``None`` if absent."""
    if not results_dir:
        return None
    p = Path(results_dir) / f"{notebook}.json"
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def _text(src) -> str:
    return "".join(src) if isinstance(src, list) else (src or "")


def notebook_title(nb) -> tuple[str, str]:
    """(title, one-line summary) from the first markdown cell: its H1 and first paragraph.

    ``nb`` is a notebook node or the notebook's plain JSON.
    """
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        lines = _text(cell["source"]).strip().splitlines()
        title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), "")
        para = []
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


def _toc(body: str) -> str:
    heads = re.findall(r'<h([23])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', body, flags=re.S)
    if len(heads) < 2:
        return body
    items = []
    for level, ident, inner in heads:
        text = re.sub(r"<[^>]+>", "", inner).replace("¶", "").strip()
        items.append(f'<li class="toc-h{level}"><a href="#{ident}">{text}</a></li>')
    nav = (
        '<nav class="sergel-toc"><strong>Innehåll / Contents</strong><ul>'
        + "".join(items)
        + "</ul></nav>"
    )
    m = re.search(r"</h1>", body)
    if not m:
        return body.replace("<main>", "<main>" + nav, 1)
    return body[: m.end()] + nav + body[m.end() :]


def render_html(nb_path: str | Path, html_path: str | Path, banner: str | None = None) -> Path:
    """Render an executed notebook to one self-contained HTML page, code hidden.

    Code cells' inputs and prompts are hidden, cells tagged ``remove-cell``,
    ``report-hide`` (e.g. nbval's diagnostic cells), ``parameters`` or
    ``injected-parameters`` are dropped, and so are stderr
    streams (warnings belong in the text of the notebook). Figures are inline
    base64 images; the template loads no script from the network. A table of
    contents built from the H2/H3 headings follows the title.
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
    title, _ = notebook_title(nb)
    exporter = HTMLExporter(
        template_name="sergel",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": title or Path(nb_path).stem}}
    )
    body = _toc(body)
    top = '<div class="sergel-back"><a href="index.html">&larr; Rapportens startsida / report index</a></div>'
    if banner:
        top += f'<div class="sergel-banner">{html.escape(banner)}</div>'
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
th { background: #f4f4f4; } code { font-size: 0.9em; }
.status-ok { color: #1a7f37; } .status-incomplete { color: #9a5b00; font-weight: bold; } .status-failed { color: #b42318; font-weight: bold; } .status-cached { color: #555; }
.banner { padding: 0.8em 1em; margin: 1em 0; border-radius: 4px; }
.banner.notrelease { background: #fde8e8; border: 2px solid #b42318; color: #7a1010; font-weight: bold; font-size: 1.1em; }
.banner.synthetic { background: #fff4ce; border: 1px solid #e0c060; }
.banner.ok { background: #e7f6ea; border: 1px solid #9bd3a7; }
.summary { font-size: 1.05em; background: #f7f9fc; border-left: 4px solid #4477aa; padding: 0.6em 1em; }
"""


def write_index(run_dir: str | Path, manifest: dict, summary: list[str] | None = None) -> Path:
    """Write ``index.html`` of a run: notebooks with summaries, run time, parameters, provenance."""
    run_dir = Path(run_dir)
    e = html.escape
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
            extra = f'<br><span class="status-failed">{e(err.get("ename", ""))}: {e(err.get("evalue", "")[:200])}</span><br>partial notebook: <code>{e(nb.get("notebook", ""))}</code>'
        if status == "incomplete":  # named key results could not be computed (the run says why)
            extra = "".join(
                f'<br><span class="status-incomplete">{e(i.get("result", ""))}: {e(i.get("why", ""))}</span>'
                for i in nb.get("incomplete", [])
            )
        rows.append(
            f"<tr><td>{link}<br><small>{e(nb.get('summary', ''))}</small>{extra}</td>"
            f'<td class="status-{e(status)}">{e(status)}</td><td>{nb.get("seconds", 0):.1f} s</td></tr>'
        )
    params = "".join(
        f"<tr><td><code>{e(str(k))}</code></td><td><code>{e(json.dumps(v, ensure_ascii=False))}</code></td></tr>"
        for k, v in sorted(manifest.get("parameters", {}).items())
    )
    inputs = manifest.get("inputs", [])
    inp = "".join(
        f"<tr><td><code>{e(i['path'])}</code></td><td>{i['bytes']:,}</td><td><code>{e(i['sha256'][:16])}…</code></td></tr>"
        for i in inputs
    )
    banners = []
    release = manifest.get("release")
    if release is not None and not release.get("releasable", False):
        banners.append(
            f'<div class="banner notrelease">NOT FOR RELEASE — the leak scan found {len(release.get("leaks", []))} possible leak(s); see manifest.json.</div>'
        )
    elif release is not None:
        banners.append('<div class="banner ok">Leak scan: nothing found (releasable).</div>')
    if manifest.get("synthetic"):
        banners.append(
            '<div class="banner synthetic">Syntetiska exempeldata / synthetic example data: the numbers illustrate the method and describe no real people or events.</div>'
        )
    summ = ""
    if summary:
        summ = (
            '<h2>Sammanfattning / Summary</h2><div class="summary">'
            + "".join(f"<p>{e(s)}</p>" for s in summary)
            + "</div>"
        )
    git = manifest.get("git", {})
    page = f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sergels torg – utvärdering av platsaktivering</title><style>{_INDEX_CSS}</style></head>
<body>
<h1>Platsaktivering av Sergels torg – utvärdering</h1>
<p>Art activation of Sergels torg, Stockholm: how it affects girls aged 13–18 and the professionals who work there. Run <code>{e(manifest.get("run_id", ""))}</code>, {e(manifest.get("started", ""))}.</p>
{"".join(banners)}
{summ}
<h2>Rapportens delar / Report sections</h2>
<table><tr><th>Notebook</th><th>Status</th><th>Run time</th></tr>{"".join(rows)}</table>
<h2>Parametrar / Parameters</h2>
<table><tr><th>Parameter</th><th>Value</th></tr>{params}</table>
<h2>Ursprung / Provenance</h2>
<p>Data folder <code>{e(str(manifest.get("data_dir", "")))}</code>; code at git commit <code>{e(str(git.get("commit", "unknown")))}</code>{" (with uncommitted changes)" if git.get("dirty") else ""}; Python {e(manifest.get("python", ""))}. Full details in <a href="manifest.json">manifest.json</a>.</p>
<table><tr><th>Input file</th><th>Bytes</th><th>SHA-256</th></tr>{inp}</table>
</body></html>
"""
    out = run_dir / "index.html"
    out.write_text(page, encoding="utf-8")
    return out


def notebook_setup() -> None:
    """Call once at the top of a notebook: the report theme, quiet library deprecation noise."""
    import warnings

    import pandas as pd

    from .plots import set_theme

    set_theme()
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
