"""Open every HTML page of a run in headless Chromium, offline, and check what a reader sees.

Uses Playwright with the system's Chromium (Debian's ``chromium``; Playwright's
own browser download is never used). For each page: no failed request, no
console error, every image loaded, no code cell visible; a screenshot is saved
under ``<run>/screenshots/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

__all__ = ["find_chromium", "check_pages"]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """Path of a Chromium binary, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def check_pages(
    run_dir: str | Path, executable: str | None = None, width: int = 1200
) -> pd.DataFrame:
    """Check every ``*.html`` page of a run folder in headless Chromium with the network off.

    Returns
    -------
    DataFrame
        One row per page: ``page``, ``images``, ``images_broken``,
        ``failed_requests``, ``console_errors``, ``code_cells_visible``,
        ``screenshot`` (path), ``ok``.
    """
    from playwright.sync_api import sync_playwright

    run_dir = Path(run_dir)
    exe = executable or find_chromium()
    if exe is None:
        raise FileNotFoundError("no Chromium found (install Debian's chromium)")
    shots = run_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        ctx = browser.new_context(offline=True, viewport={"width": width, "height": 900})
        for page_path in sorted(run_dir.glob("*.html")):
            page = ctx.new_page()
            errors, failed = [], []
            page.on(
                "console",
                lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
            page.goto(page_path.resolve().as_uri(), wait_until="load")
            imgs = page.evaluate(
                "Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)"
            )
            code = page.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt").count()
            shot = shots / f"{page_path.stem}.png"
            page.screenshot(path=str(shot), full_page=True)
            rows.append(
                {
                    "page": page_path.name,
                    "images": len(imgs),
                    "images_broken": int(sum(not ok for ok in imgs)),
                    "failed_requests": len(failed),
                    "console_errors": len(errors),
                    "code_cells_visible": int(code),
                    "screenshot": str(shot),
                    "ok": not failed and not errors and all(imgs) and code == 0,
                    "details": "; ".join([*failed, *errors])[:500],
                }
            )
            page.close()
        browser.close()
    return pd.DataFrame(rows)
