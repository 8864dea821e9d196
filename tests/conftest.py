"""Shared fixtures: the project root, the example data and throw-away copies of it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def example_ds():
    from evaluation import load_dataset

    return load_dataset(EXAMPLE)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the example data set."""
    dst = tmp_path / "data"
    shutil.copytree(EXAMPLE, dst)
    return dst


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli(*args, env=None, cwd=ROOT, timeout=600) -> subprocess.CompletedProcess:
    """Run ``python -m evaluation.cli *args`` with extra environment; text output captured."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "evaluation.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=e,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def example_report(tmp_path_factory):
    """``example_report(language)``: a full run of the example in a language, once per session.

    ``evaluation run --no-cache --pdf -p language=...``: the HTML pages and
    ``report.pdf`` (the PDF only where Playwright, pypdf and Chromium are
    installed; otherwise the run is made without ``--pdf``). Tests that only
    read a finished report share it instead of running the notebooks again.
    """
    runs: dict[str, Path] = {}

    def make(language: str = "sv") -> Path:
        if language not in runs:
            from evaluation.chromium import find_chromium

            out = tmp_path_factory.mktemp(f"example_report_{language}") / "run"
            try:
                import playwright  # noqa: F401
                import pypdf  # noqa: F401

                pdf = ["--pdf"] if find_chromium() else []
            except ImportError:
                pdf = []
            res = cli(
                "run",
                "--no-cache",
                *pdf,
                "--output",
                str(out),
                "-p",
                f"language={language}",
                timeout=900,
            )
            assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
            runs[language] = out
        return runs[language]

    return make
