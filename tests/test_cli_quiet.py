"""Quiet, honest command-line output (issue 20.7): no traceback on a closed pipe, the
SPDX licence string (no setuptools deprecation warning)."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from .conftest import ROOT


def test_closed_pipe_gives_no_traceback():
    # `evaluation validate ... | head -1`: the reader goes away (here at once, before any line)
    cmd = f"{sys.executable} -m evaluation.cli validate --data data/example | (head -c 0; exit 0)"
    res = subprocess.run(
        ["bash", "-o", "pipefail", "-c", cmd], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert res.stdout == ""
    assert "Traceback" not in res.stderr and "BrokenPipeError" not in res.stderr, res.stderr
    assert "Exception ignored" not in res.stderr, res.stderr


def test_license_is_an_spdx_string():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert meta["project"]["license"] == "MIT"
    req = meta["build-system"]["requires"]
    assert any(r.startswith("setuptools>=77") for r in req), req  # PEP 639 support
