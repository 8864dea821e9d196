"""Issue 14's corpus of hostile inputs: each case, in its own process limited to 1 GB of
address space, ends within 10 seconds with exit status 1 or 2 (the command) or a
``DataError`` (Python), a message naming the file and the problem, no traceback, no byte
of the planted secret (or of /etc/passwd) in the output, and its input files unchanged.

The files are built by ``tests/hostile/corpus.py`` into a temporary folder.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from .corpus import FORBIDDEN, ROOT, build

MEMORY = 1 << 30  # bytes of address space per case
SECONDS = 10
RUNNER = Path(__file__).with_name("run_case.py")


def _limit() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def snapshot(paths: list[Path]) -> dict[str, str]:
    """What every input is, without following links or opening anything but regular files."""
    out: dict[str, str] = {}

    def one(p: Path) -> None:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            out[str(p)] = "link -> " + os.readlink(p)
        elif stat.S_ISREG(st.st_mode):
            if st.st_size > 8 << 20:  # the sparse giants: size and time suffice
                out[str(p)] = f"{st.st_size} {st.st_mtime_ns}"
            else:
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[str(p)] = f"mode {stat.S_IFMT(st.st_mode)}"

    for p in paths:
        one(p)
        if p.is_dir() and not p.is_symlink():
            for folder, dirs, files in os.walk(p):
                for name in sorted(dirs + files):
                    one(Path(folder) / name)
    return out


# Built once, when the tests are collected (the case names are the test ids), and removed
# when the process ends.
_DIR = Path(tempfile.mkdtemp(prefix="hostile-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)
CASES = {c.name: c for c in build(_DIR / "corpus")}
NAMES = list(CASES)


def test_corpus_is_built_not_committed():
    here = Path(__file__).parent
    assert len(NAMES) >= 60 and len(set(NAMES)) == len(NAMES)
    big = [p for p in here.rglob("*") if p.is_file() and p.stat().st_size > 64 * 1024]
    assert not big, big


@pytest.mark.parametrize("name", NAMES)
def test_hostile_case(name):
    root, case = _DIR / "corpus", CASES[name]
    secret = root / "secret" / "id_rsa"
    before = snapshot([*case.inputs, secret])
    if case.cli is not None:
        argv = [sys.executable, "-m", "evaluation.cli", *case.cli]
    else:
        argv = [
            sys.executable,
            str(RUNNER),
            case.call,
            json.dumps(case.args),
            json.dumps(case.kwargs),
        ]
    env = dict(os.environ, PYTHONFAULTHANDLER="", OPENBLAS_NUM_THREADS="1")
    t0 = time.monotonic()
    try:
        r = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            errors="replace",
            cwd=ROOT,
            env=env,
            timeout=SECONDS,
            preexec_fn=_limit,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: did not end within {SECONDS} s")
    took = time.monotonic() - t0
    output = r.stdout + r.stderr
    if case.cli is not None:
        assert r.returncode in (1, 2), (r.returncode, output)
    else:
        assert r.returncode == 3, (r.returncode, output)
        assert "Error: " in output.splitlines()[0], output
    assert "Traceback" not in output, output
    for word in case.words:
        assert word.lower() in output.lower(), (word, output)
    for forbidden in FORBIDDEN:
        assert forbidden not in output, (forbidden, output)
    assert snapshot([*case.inputs, secret]) == before, "an input changed"
    assert took < SECONDS
