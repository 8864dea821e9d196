"""The system's Chromium for the printable report and the accessibility check, run offline.

Playwright drives Debian's ``chromium`` (its own browser download is never
used) with :data:`CHROMIUM_ARGS`: no sandbox (containers), no GPU, no
background networking, updates or sync, so nothing leaves the machine.
Used by :mod:`evaluation.pdf` and :mod:`evaluation.a11y`.
"""

from __future__ import annotations

import shutil

__all__ = ["CHROMIUM_ARGS", "CHROMIUM_NAMES", "find_chromium"]

#: Command-line switches of every headless Chromium the toolkit starts.
CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Executable names looked for on ``PATH``, in order.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """Path of a Chromium binary on ``PATH`` (:data:`CHROMIUM_NAMES` in order), or ``None``.

    Examples
    --------
    >>> path = find_chromium()
    >>> path is None or "chrom" in path
    True
    """
    for name in CHROMIUM_NAMES:
        p = shutil.which(name)
        if p:
            return p
    return None
