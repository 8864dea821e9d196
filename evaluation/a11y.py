"""Accessibility check of a run's HTML pages with axe-core in headless Chromium, offline.

axe-core is the engine bundled by ``axe-playwright-python`` (a dev
dependency); the browser is the system's Chromium, driven by Playwright as in
:mod:`evaluation.chromium`. WCAG 2.1 AA is the bar for what Swedish public
bodies publish (lagen om tillgänglighet till digital offentlig service).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["SEVERE", "WCAG_TAGS", "axe_violations"]

#: axe impacts a published report must not have
SEVERE = ("serious", "critical")

#: the WCAG 2.0/2.1 A and AA rules (the law's bar; axe's best practices are the rest)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(
    run_dir: str | Path,
    executable: str | None = None,
    pages: list[str] | None = None,
    tags: list[str] | None = None,
) -> pd.DataFrame:
    """Run axe-core on every ``*.html`` page of a run folder (network off).

    Parameters
    ----------
    run_dir
        A run folder (``evaluation run --output DIR``).
    executable
        Chromium binary (default: :func:`evaluation.chromium.find_chromium`).
    pages
        File names to check (default: every ``*.html`` in ``run_dir``).
    tags
        axe rule tags, e.g. :data:`WCAG_TAGS` (default: every rule, WCAG and
        axe's best practices).

    Returns
    -------
    DataFrame
        One row per violated rule and page: ``page``, ``rule``, ``impact``
        (``minor`` … ``critical``), ``nodes`` (how many elements), ``help``,
        ``example`` (the first offending element's HTML, shortened).

    Examples
    --------
    The WCAG 2.1 A and AA rules, and the impacts a published page must not have:

    >>> WCAG_TAGS, SEVERE
    (['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], ('serious', 'critical'))

    On a run folder (``evaluation run --output RUN``; needs Chromium):

    >>> v = axe_violations("RUN", tags=WCAG_TAGS)  # doctest: +SKIP
    >>> v[v["impact"].isin(SEVERE)].empty  # doctest: +SKIP
    True
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from .chromium import CHROMIUM_ARGS, find_chromium

    run_dir = Path(run_dir)
    exe = executable or find_chromium()
    if exe is None:
        raise FileNotFoundError("no Chromium found (install Debian's chromium)")
    files = [run_dir / p for p in pages] if pages is not None else sorted(run_dir.glob("*.html"))
    axe = Axe()
    options: dict = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": list(tags)}
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        ctx = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
        for f in files:
            page = ctx.new_page()
            page.goto(f.resolve().as_uri(), wait_until="load")
            res = axe.run(page, options=options).response
            for v in res.get("violations", []):
                nodes = v.get("nodes", [])
                rows.append(
                    {
                        "page": f.name,
                        "rule": v["id"],
                        "impact": v.get("impact") or "",
                        "nodes": len(nodes),
                        "help": v.get("help", ""),
                        "example": (nodes[0].get("html", "") if nodes else "")[:200],
                    }
                )
            page.close()
        browser.close()
    return pd.DataFrame(rows, columns=["page", "rule", "impact", "nodes", "help", "example"])
