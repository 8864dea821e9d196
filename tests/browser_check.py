"""Open every HTML page of a run in headless Chromium, offline, and check what a reader sees.

The page-loading test harness (moved from ``evaluation/browser.py``: it is used by the tests
only). Uses Playwright with the system's Chromium (:func:`evaluation.chromium.find_chromium`;
Playwright's own browser download is never used). For each page: no failed request, no
request for anything but the page itself, no dialog (``alert``), no console error, the
Content-Security-Policy in place, every image loaded, no code cell visible; a screenshot is
saved under ``<run>/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaluation.chromium import CHROMIUM_ARGS, find_chromium

__all__ = ["check_pages"]


def check_pages(
    run_dir: str | Path,
    executable: str | None = None,
    width: int = 1200,
    with_text: bool = False,
    screenshots: bool = True,
) -> pd.DataFrame:
    """Check every ``*.html`` page of a run folder in headless Chromium with the network off.

    Parameters
    ----------
    with_text : bool
        Add a ``text`` column: the page's visible text (``document.body.innerText``).
    screenshots : bool
        Save a full-page screenshot of each page under ``<run>/screenshots/``.

    Returns
    -------
    DataFrame
        One row per page: ``page``, ``images``, ``images_broken``,
        ``failed_requests``, ``outside_requests`` (requests for anything but
        the page itself and ``data:`` URIs), ``dialogs`` (alert, confirm,
        prompt: a script ran), ``console_errors``, ``csp`` (the page carries
        the Content-Security-Policy of :mod:`evaluation.safehtml`),
        ``code_cells_visible``, ``screenshot`` (path), ``ok``, ``details``.
    """
    from playwright.sync_api import sync_playwright

    from evaluation.safehtml import CSP

    run_dir = Path(run_dir)
    exe = executable or find_chromium()
    if exe is None:
        raise FileNotFoundError("no Chromium found (install Debian's chromium)")
    shots = run_dir / "screenshots"
    if screenshots:
        shots.mkdir(exist_ok=True)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        ctx = browser.new_context(offline=True, viewport={"width": width, "height": 900})
        for page_path in sorted(run_dir.glob("*.html")):
            page = ctx.new_page()
            url = page_path.resolve().as_uri()
            errors, failed, outside, dialogs = [], [], [], []
            page.on(
                "console",
                lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
            page.on(
                "request",
                lambda r, outside=outside, url=url: (
                    outside.append(r.url)
                    if r.url.split("#")[0] != url and not r.url.startswith("data:")
                    else None
                ),
            )

            def on_dialog(d, dialogs=dialogs):
                dialogs.append(f"{d.type}: {d.message}")
                d.dismiss()

            page.on("dialog", on_dialog)
            page.goto(url, wait_until="load")
            page.wait_for_timeout(200)  # let onerror/onload handlers of a missed escape fire
            imgs = page.evaluate(
                "Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)"
            )
            policy = page.evaluate(
                "Array.from(document.querySelectorAll('meta[http-equiv=\"Content-Security-Policy\"]'))"
                ".map(m => m.content)"
            )
            code = page.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt").count()
            shot = shots / f"{page_path.stem}.png"
            if screenshots:
                page.screenshot(path=str(shot), full_page=True)
            row = {
                "page": page_path.name,
                "images": len(imgs),
                "images_broken": int(sum(not ok for ok in imgs)),
                "failed_requests": len(failed),
                "outside_requests": len(outside),
                "dialogs": len(dialogs),
                "console_errors": len(errors),
                "csp": CSP in policy,
                "code_cells_visible": int(code),
                "screenshot": str(shot) if screenshots else "",
                "ok": not failed
                and not outside
                and not dialogs
                and not errors
                and CSP in policy
                and all(imgs)
                and code == 0,
                "details": "; ".join([*dialogs, *outside, *failed, *errors])[:500],
            }
            if with_text:
                row["text"] = page.evaluate("document.body.innerText")
            rows.append(row)
            page.close()
        browser.close()
    return pd.DataFrame(rows)
