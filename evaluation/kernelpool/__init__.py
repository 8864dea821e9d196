"""Preloaded kernels: fork each notebook's kernel from a process that has imported the stack once.

Kernel start-up and imports (IPython, pandas, statsmodels, seaborn, pandera and
this package: ~2 s of CPU) dominate the cost of a run; a run of five notebooks
on two cores pays them five times. A :class:`KernelPool` starts one server
process that imports all of that once, and then *forks* a fresh kernel for
each notebook. Every notebook still gets its own process, its own namespace
and its own kernel (papermill and nbclient drive it as usual); it only
inherits the already imported modules. This is what ``multiprocessing``'s
``forkserver`` with preloading does, applied to Jupyter kernels.

How it is wired: :meth:`KernelPool.kernel_manager_class` is a
``jupyter_client.KernelManager`` whose kernel command is
``evaluation/_kernel_client.py`` (standard library only). That client sends its
connection file, working directory, environment and standard streams to the
server over a Unix socket; the server forks, and the child becomes an
``ipykernel`` kernel exactly as ``python -m ipykernel_launcher -f ...`` would.
The client stands in for the kernel towards jupyter_client: it passes signals
on (interrupts work) and exits with the kernel's exit code; if it is killed,
the server kills the kernel; if the server goes away, its kernels exit
(ipykernel's parent poller).

What a forked kernel shares with the server is what the imports left behind.
So that this cannot change a notebook's output:

- the server imports only modules the notebooks import anyway (and the
  kernel's own), and does nothing else;
- ``MPLBACKEND`` is set before matplotlib is imported, as ipykernel would set it
  (``matplotlib_inline`` itself is *not* preloaded: it hooks into IPython when
  imported, which must happen inside the kernel);
- in the child: the working directory, the environment and ``sys.argv`` are
  those of the requested kernel, signal handlers are reset, warning registries
  are cleared, and numpy's legacy global random state is re-seeded from the OS
  as in a new process (Python's ``random`` re-seeds itself after a fork).

Before forking, the server calls ``gc.freeze()`` (as the ``gc`` documentation
advises for fork servers): the kernel's garbage collector then does not scan
the millions of objects the imports made, and their memory pages stay shared.

``tests/test_cache.py`` runs the notebooks both ways and requires the same
outputs, byte for byte.

Forking is used where it is safe: Linux (``os.fork`` and ``os.pidfd_open``).
Elsewhere (macOS, Windows) :func:`available` is false and the pipeline starts
ordinary kernels. If the server fails for any reason, the client turns itself
into an ordinary kernel, so a run never depends on the pool.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .server import INLINE_BACKEND, NEVER_PRELOAD, serve

__all__ = [
    "KernelPool",
    "available",
    "preload_modules",
    "local_manager_class",
    "serve",
    "BASE_PRELOAD",
    "NEVER_PRELOAD",
    "INLINE_BACKEND",
]

CLIENT = Path(__file__).parent.parent / "_kernel_client.py"

#: Imported by the server before it forks: the kernel's own modules and the
#: scientific stack this package and the notebooks use (some lazily, inside functions).
BASE_PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.display",
    "numpy",
    "pandas",
    "scipy.stats",
    "statsmodels.api",
    "statsmodels.formula.api",
    "matplotlib.pyplot",
    "seaborn",
    "pandera.pandas",
    "krippendorff",
    "evaluation",
    "evaluation.sources",
)


@functools.cache
def available() -> bool:
    """Whether preloaded kernels can be used here: Linux, with ``fork`` and a working
    ``pidfd_open`` (Linux 5.3+; some sandboxes refuse the call, so it is tried)."""
    if not (sys.platform.startswith("linux") and hasattr(os, "fork")):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError):
        return False
    return True


def preload_modules(notebooks: Iterable[str | Path] = ()) -> list[str]:
    """The modules the server imports: :data:`BASE_PRELOAD` plus the ``evaluation``
    modules the notebooks' code cells import.

    Only this package's modules are taken from the notebooks: they are known to
    have no import-time output. Other imports of a notebook run in its kernel.

    Examples
    --------
    >>> "evaluation.analyses.site" in preload_modules(["notebooks/01_site_observations.ipynb"])
    True
    """
    import ast

    mods = list(BASE_PRELOAD)
    for path in notebooks:
        try:
            nb = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            src = "".join(cell.get("source", []))
            try:
                tree = ast.parse(src)
            except SyntaxError:  # IPython magics; then take no module from this cell
                continue
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                for name in names:
                    if name.split(".")[0] == "evaluation" and name not in mods:
                        mods.append(name)
    return mods


#: Local kernels talk over Unix sockets (ZeroMQ ``ipc``) where there are any: nothing is
#: listening on a network port, and ipykernel has no reason to warn that "the kernel is
#: running over TCP without encryption".
LOCAL_TRANSPORT = "ipc" if os.name == "posix" else "tcp"
_IPC_MAX = 90  # a Unix socket path must stay short (108 bytes on Linux, 104 on macOS)


@functools.cache
def local_manager_class(base: type) -> type:
    """A subclass of the kernel manager class ``base`` for this machine's own kernels.

    - transport :data:`LOCAL_TRANSPORT` (IPC on POSIX; the socket files sit next to the
      connection file, or in a short private folder under ``/tmp`` when that path is too
      long for a Unix socket);
    - no interrupt at shutdown: jupyter_client interrupts a kernel before asking it to shut
      down, which an idle kernel logs as "KeyboardInterrupt caught in kernel"; a kernel that
      is still busy is killed after the shutdown request times out, as before. Interrupts
      asked for while the kernel runs (a cell timeout) are sent as usual.

    The pipeline uses it for fresh kernels and :class:`KernelPool` for forked ones.
    """
    from traitlets import CaselessStrEnum

    class LocalKernelManager(base):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value=LOCAL_TRANSPORT, config=True)

        def _ip_default(self) -> str:
            ip = super()._ip_default()
            if self.transport == "ipc" and (not os.path.isabs(ip) or len(ip) > _IPC_MAX):
                # jupyter_client's default is relative ("kernel-ipc") when no connection file
                # is set yet: the kernel (another working directory) would bind elsewhere
                import uuid

                ip = os.path.join(_ipc_dir(), uuid.uuid4().hex[:12])
            return ip

        async def _async_interrupt_kernel(self) -> None:
            if getattr(self, "shutting_down", False):
                return
            await super()._async_interrupt_kernel()

    LocalKernelManager.__name__ = LocalKernelManager.__qualname__ = f"Local{base.__name__}"
    return LocalKernelManager


@functools.cache
def _ipc_dir() -> str:
    """A private folder (0700) with a short path for this process's kernel sockets."""
    import shutil

    short = len(tempfile.gettempdir()) > 40 and os.path.isdir("/tmp")
    path = tempfile.mkdtemp(prefix="sergel-ipc-", dir="/tmp" if short else None)
    atexit.register(shutil.rmtree, path, True)
    return path


class KernelPool:
    """A server process that forks preloaded kernels; use as a context manager.

    Parameters
    ----------
    modules : iterable of str
        What the server imports before forking (see :func:`preload_modules`).
    cwd : path, optional
        The server's working directory (the kernels get their own).

    Examples
    --------
    Run notebooks on kernels forked from a server that imported pandas
    (``tests/test_kernelpool.py`` runs kernels this way)::

        with KernelPool(["ipykernel.kernelapp", "pandas"]) as pool:
            papermill.execute_notebook(
                "in.ipynb", "out.ipynb", kernel_manager_class=pool.kernel_manager_class
            )

    A pool does nothing until started:

    >>> pool = KernelPool(["pandas"])
    >>> pool.alive, pool.socket_path.endswith("pool.sock")
    (False, True)
    >>> pool.close()
    """

    def __init__(self, modules: Iterable[str] = BASE_PRELOAD, cwd: str | Path | None = None):
        self.modules = list(modules)
        self.cwd = cwd
        # a Unix socket path must stay short (108 bytes on Linux): avoid a deep TMPDIR
        short = len(tempfile.gettempdir()) > 60 and os.path.isdir("/tmp")
        self._dir = tempfile.mkdtemp(prefix="sergel-kernels-", dir="/tmp" if short else None)
        self.socket_path = os.path.join(self._dir, "pool.sock")
        self.process: subprocess.Popen | None = None
        self._km_class: type | None = None

    def start(self) -> KernelPool:
        """Start the server; returns at once (the server imports while the caller goes on)."""
        env = dict(os.environ)
        env.setdefault("MPLBACKEND", INLINE_BACKEND)
        # the socket is bound before the slow imports, so early clients queue in its backlog
        boot = (
            "import socket, sys; s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); "
            "s.bind(sys.argv[1]); s.listen(64); "
            "from evaluation.kernelpool import serve; serve(s, sys.argv[2:])"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", boot, self.socket_path, *self.modules],
            stdin=subprocess.PIPE,  # its lifeline: the server ends when this closes
            cwd=self.cwd,
            env=env,
            start_new_session=True,  # like launched kernels: a terminal's Ctrl-C is not theirs
        )
        deadline = time.monotonic() + 10
        while not os.path.exists(self.socket_path) and self.alive and time.monotonic() < deadline:
            time.sleep(0.005)
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def kernel_manager_class(self) -> type:
        """A ``jupyter_client.AsyncKernelManager`` that starts its kernel through this pool.

        Pass it to ``papermill.execute_notebook(..., kernel_manager_class=...)``
        (or nbclient's ``NotebookClient``, which needs the asynchronous manager:
        with a blocking one it cannot notice a kernel that died).
        """
        if self._km_class is None:
            from jupyter_client.manager import AsyncKernelManager

            self._km_class = self.manager_class(AsyncKernelManager)
        return self._km_class

    def manager_class(self, base: type) -> type:
        """A subclass of the kernel manager class ``base`` whose kernels come from this pool."""
        from jupyter_client.kernelspec import KernelSpec

        argv = [sys.executable, "-I", "-S", str(CLIENT), self.socket_path]

        class PooledKernelManager(local_manager_class(base)):  # type: ignore[misc]
            """Starts ``python3`` kernels by forking them from the pool's server."""

            @property
            def kernel_spec(self) -> KernelSpec | None:
                if self._kernel_spec is None:  # type: ignore[has-type]
                    spec = self.kernel_spec_manager.get_kernel_spec(self.kernel_name)
                    tail = [a for a in spec.argv if a.startswith("-f") or "{" in a]
                    self._kernel_spec = KernelSpec(
                        argv=argv + (tail or ["-f", "{connection_file}"]),
                        display_name=spec.display_name,
                        language=spec.language,
                        env=spec.env,
                        interrupt_mode="signal",
                        metadata=spec.metadata,
                        resource_dir=spec.resource_dir,
                    )
                return self._kernel_spec

        PooledKernelManager.__name__ = PooledKernelManager.__qualname__ = f"Pooled{base.__name__}"
        return PooledKernelManager

    def close(self) -> None:
        """Stop the server (its kernels exit with it) and remove its socket."""
        if self.process is not None:
            try:
                if self.process.stdin:
                    self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        for p in (self.socket_path, self._dir):
            try:
                os.rmdir(p) if p == self._dir else os.unlink(p)
            except OSError:
                pass

    def __enter__(self) -> KernelPool:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()
