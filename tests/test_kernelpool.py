"""Preloaded kernels (evaluation.kernelpool): forked kernels behave like fresh ones.

That whole notebooks give the same outputs on preloaded and on fresh kernels is
checked in ``tests/test_cache.py``; here the mechanics: preloading, working
directory and environment, signals, clean-up, the fallback, and what must not
leak from the server into a kernel.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from evaluation import kernelpool
from evaluation.errors import ParameterError
from evaluation.kernelpool import KernelPool, preload_modules

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not kernelpool.available(), reason="preloaded kernels need Linux")

KERNEL_MODULES = ["ipykernel.kernelapp", "ipykernel.ipkernel"]


@contextlib.contextmanager
def kernel(pool: KernelPool, cwd: Path, **env: str):
    """A started kernel from ``pool`` and a blocking client."""
    from jupyter_client.manager import KernelManager

    km = pool.manager_class(KernelManager)(kernel_name="python3")
    km.start_kernel(cwd=str(cwd), env={**os.environ, **env})
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        yield km, kc
    finally:
        kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=True)


def run_code(kc, code: str, timeout: float = 60) -> tuple[str, str, dict]:
    """Execute ``code``; return (stdout, stderr, reply content)."""
    out = {"stdout": "", "stderr": ""}

    def hook(msg):
        if msg["msg_type"] == "stream":
            out[msg["content"]["name"]] += msg["content"]["text"]

    reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
    return out["stdout"], out["stderr"], reply["content"]


def test_preload_modules_takes_the_notebooks_package_imports(tmp_path):
    nb = tmp_path / "01_x.ipynb"
    nb.write_text(
        """{"cells": [
        {"cell_type": "code", "source": ["import numpy\\n", "from evaluation.analyses.site import analyse_site\\n"]},
        {"cell_type": "code", "source": ["%matplotlib inline\\n", "import evaluation.plots"]},
        {"cell_type": "code", "source": ["import evaluation.tables as t, json"]},
        {"cell_type": "markdown", "source": ["import evaluation.report"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""",
        encoding="utf-8",
    )
    mods = preload_modules([nb, tmp_path / "missing.ipynb"])
    assert mods[: len(kernelpool.BASE_PRELOAD)] == list(kernelpool.BASE_PRELOAD)
    extra = mods[len(kernelpool.BASE_PRELOAD) :]
    # package modules from parseable code cells only; other libraries are not preloaded
    assert extra == ["evaluation.analyses.site", "evaluation.tables"]
    assert "matplotlib_inline" not in " ".join(mods)


def test_forked_kernel_runs_in_its_own_folder_and_environment(tmp_path):
    with (
        KernelPool([*KERNEL_MODULES, "wave"]) as pool,
        kernel(pool, tmp_path, SERGEL_TEST_VAR="from-the-manager") as (km, kc),
    ):
        out, _, reply = run_code(
            kc,
            "import os, sys\n"
            "print('wave' in sys.modules, os.getcwd(), os.environ.get('SERGEL_TEST_VAR'), "
            "os.getpid(), os.getppid())",
        )
        assert reply["status"] == "ok", reply
        preloaded, cwd, var, pid, ppid = out.split()
        assert preloaded == "True"  # imported by the server, not by this code
        assert Path(cwd) == tmp_path
        assert var == "from-the-manager"
        assert int(ppid) == pool.process.pid  # forked from the server
        assert (
            int(pid) != km.provisioner.process.pid
        )  # the manager holds the client, not the kernel


def test_interrupt_reaches_the_kernel(tmp_path):
    with KernelPool(KERNEL_MODULES) as pool, kernel(pool, tmp_path) as (km, kc):
        msg_id = kc.execute("import time; print('sleeping', flush=True); time.sleep(60)")
        while True:  # interrupt only once the cell is running
            msg = kc.get_iopub_msg(timeout=20)
            if msg["msg_type"] == "stream" and "sleeping" in msg["content"]["text"]:
                break
        t0 = time.monotonic()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - t0 < 15
        # and the kernel lives on
        out, err, reply = run_code(kc, "print(6 * 7)")
        assert out.strip() == "42", (out, err, reply)


def test_killed_client_takes_its_kernel_along(tmp_path):
    with KernelPool(KERNEL_MODULES) as pool, kernel(pool, tmp_path) as (km, kc):
        out, _, _ = run_code(kc, "import os; print(os.getpid())")
        pid = int(out)
        km.provisioner.process.send_signal(signal.SIGKILL)  # what a failed shutdown ends with
        assert _gone(pid, 5), f"kernel {pid} outlived its client"


def test_closing_the_pool_stops_the_server(tmp_path):
    pool = KernelPool(KERNEL_MODULES).start()
    folder = Path(pool.socket_path).parent
    assert pool.alive and Path(pool.socket_path).exists()
    pool.close()
    assert not pool.alive
    assert not folder.exists()


def test_without_a_server_the_client_starts_an_ordinary_kernel(tmp_path):
    pool = KernelPool(KERNEL_MODULES).start()
    pool.close()  # the socket is gone
    with kernel(pool, tmp_path) as (km, kc):
        out, _, reply = run_code(kc, "import os; print(os.getpid())")
        assert reply["status"] == "ok"
        assert int(out) == km.provisioner.process.pid  # the client became the kernel (exec)


def test_warnings_shown_by_the_server_show_again_in_a_kernel(tmp_path, monkeypatch):
    """A property of forked kernels, whoever provides it: ipykernel itself changes the
    warning filters when a kernel starts (which invalidates the once-registries), so this
    passes even without the server's own reset in ``_become_kernel``; it guards the
    property if ipykernel ever stops doing that."""
    # a module that warns once per location, at import (in the server) and when called
    (tmp_path / "warns_once.py").write_text(
        "import warnings\n\ndef f():\n    warnings.warn('watch out', UserWarning)\n\nf()\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with KernelPool([*KERNEL_MODULES, "warns_once"]) as pool, kernel(pool, tmp_path) as (_, kc):
        _, err, reply = run_code(kc, "import sys, warns_once; warns_once.f()")
        assert reply["status"] == "ok"
        assert "watch out" in err  # as in a fresh kernel, where the import is the first time


def test_forked_kernels_get_their_own_random_state(tmp_path):
    draws = []
    with KernelPool([*KERNEL_MODULES, "numpy"]) as pool:
        for _ in range(2):
            with kernel(pool, tmp_path) as (_, kc):
                code = "import numpy, random; print(numpy.random.random(), random.random())"
                out, _, _ = run_code(kc, code)
                draws.append(out.split())
    assert draws[0][0] != draws[1][0] and draws[0][1] != draws[1][1]


def test_kernels_option_is_checked(monkeypatch):
    from evaluation.pipeline import scheduler

    with pytest.raises(ParameterError, match="expected 'auto', 'preloaded' or 'fresh'"):
        scheduler.use_pool("warm")
    monkeypatch.setattr(scheduler, "pool_available", lambda: False)
    with pytest.raises(ParameterError, match="needs Linux"):
        scheduler.use_pool("preloaded")
    assert scheduler.use_pool("auto") is False


def test_the_study_notebooks_preload_what_they_import():
    mods = preload_modules(sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    assert "evaluation.analyses.site" in mods and "evaluation.analyses.synthesis" in mods


def _gone(pid: int, seconds: float = 10) -> bool:
    for _ in range(int(seconds / 0.05)):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_kernels_do_not_outlive_a_killed_server(tmp_path):
    pool = KernelPool(KERNEL_MODULES).start()
    try:
        with kernel(pool, tmp_path) as (km, kc):
            out, _, _ = run_code(kc, "import os; print(os.getpid())")
            pid = int(out)
            pool.process.kill()  # no clean-up at all: the kernel's parent poller must notice
            assert _gone(pid), f"kernel {pid} outlived the server"
            client = km.provisioner.process
            client.wait(timeout=10)  # the client stands in for the kernel: it ends too
    finally:
        pool.close()


def test_a_bad_request_does_not_stop_the_server(tmp_path):
    import socket

    with KernelPool(KERNEL_MODULES) as pool:
        bad = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        bad.connect(pool.socket_path)
        socket.send_fds(bad, [b"not json\n"], [0, 1, 2])
        assert bad.recv(100) == b""  # closed without a kernel: a real client would fall back
        bad.close()
        with kernel(pool, tmp_path) as (km, kc):  # and the next kernel still comes from the pool
            out, _, _ = run_code(kc, "import os; print(os.getppid())")
            assert int(out) == pool.process.pid


def test_a_run_uses_fresh_kernels_when_the_server_does_not_start(monkeypatch, tmp_path):
    import subprocess
    import sys

    from evaluation import pipeline

    def broken_start(self):
        self.process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
        self.process.wait()
        return self

    monkeypatch.setattr(KernelPool, "start", broken_start)
    said: list[str] = []
    res = pipeline.run(
        only=["00_data_quality"], output=tmp_path / "out", cache=False, progress=said.append
    )
    assert res.ok, res.error
    assert res.manifest["kernels"] == "fresh"
    assert any("did not start; using fresh kernels" in s for s in said)


@pytest.mark.parametrize("kernels", ["fresh", "preloaded"])
def test_local_kernels_over_ipc_quietly(tmp_path, kernels):
    """Fresh and preloaded kernels talk over Unix sockets: no TCP warning, no interrupt
    noise at the end of a successful run (issue 20.7)."""
    import json
    import shutil

    import nbformat

    from .conftest import cli

    proj = tmp_path / "proj"
    (proj / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    for i in range(2):
        nb = nbformat.v4.new_notebook()
        nb.cells = [
            nbformat.v4.new_markdown_cell("# T\n\nTransport."),
            nbformat.v4.new_code_cell('run_dir = ""', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(
                "import json\nfrom ipykernel import get_connection_info\n"
                "from evaluation.report import write_results\n"
                f'write_results(run_dir, "0{i}_t", '
                '{"transport": json.loads(get_connection_info())["transport"]})'
            ),
        ]
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, proj / "notebooks" / f"0{i}_t.ipynb")
    res = cli(
        "run",
        "--no-cache",
        "--kernels",
        kernels,
        "--output",
        str(proj / "out"),
        env={"SERGEL_EVAL_ROOT": str(proj)},
        cwd=proj,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    for i in range(2):
        got = json.loads((proj / "out" / "results" / f"0{i}_t.json").read_text())
        assert got["transport"] == "ipc"
    assert "TCP" not in res.stderr and "eavesdropping" not in res.stderr, res.stderr
    assert "KeyboardInterrupt" not in res.stderr, res.stderr


def test_no_interrupt_while_shutting_down(monkeypatch):
    """jupyter_client interrupts before every shutdown; an idle kernel logs that as an error."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from evaluation.kernelpool import local_manager_class

    sent = []

    async def fake_interrupt(self):
        sent.append(self.shutting_down)

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", fake_interrupt)
    km = local_manager_class(AsyncKernelManager)(kernel_name="python3")
    assert km.transport == "ipc"
    km.shutting_down = True
    asyncio.run(km._async_interrupt_kernel())
    assert sent == []
    km.shutting_down = False
    asyncio.run(km._async_interrupt_kernel())
    assert sent == [False], "an interrupt asked for while running is still sent"
