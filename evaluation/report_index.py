"""The run's index page: the notebooks with their summaries and status, parameters, provenance.

Its own small style sheet (no script, the Content-Security-Policy of
:mod:`evaluation.safehtml`); every text from the ``report.*`` messages in the
run's language. Re-exported by :mod:`evaluation.report`.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from . import i18n
from .i18n import t

__all__ = ["write_index", "pages_to_be_written"]


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


def _manifest_study(manifest: dict) -> Any:
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


def pages_to_be_written(run_dir: str | Path, manifest: dict) -> dict[str, str]:
    """``manifest.json`` and ``index.html`` as they will be written from ``manifest`` (path -> text).

    The release check (:func:`evaluation.leaks.release_check`, ``pages=``) scans
    them before they exist; the ``release`` entry is provisional (not releasable).

    Examples
    --------
    >>> import tempfile
    >>> run = Path(tempfile.mkdtemp())
    >>> pages = pages_to_be_written(run, {"run_id": "20240601-101500", "notebooks": []})
    >>> sorted(Path(p).name for p in pages)
    ['index.html', 'manifest.json']
    >>> json.loads(pages[str(run / "manifest.json")])["release"]["releasable"]
    False
    """
    import tempfile

    run_dir = Path(run_dir)
    provisional = dict(manifest)
    provisional["release"] = {"releasable": False, "leaks": []}
    out = {
        str(run_dir / "manifest.json"): json.dumps(provisional, indent=2, ensure_ascii=False),
    }
    summary = None
    synth = run_dir / "results" / "04_synthesis.json"
    if synth.exists():
        summary = json.loads(synth.read_text(encoding="utf-8")).get("summary")
    with tempfile.TemporaryDirectory() as tmp:
        page = write_index(Path(tmp), provisional, summary)
        out[str(run_dir / "index.html")] = Path(page).read_text(encoding="utf-8")
    return out
