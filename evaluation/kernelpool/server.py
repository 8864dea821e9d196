"""The pool's server: imports the stack once, then forks a kernel for each request.

Runs in its own process (started by :meth:`evaluation.kernelpool.KernelPool.start`);
see :mod:`evaluation.kernelpool` for how the pieces fit and what a forked kernel
shares with the server.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import json
import os
import selectors
import signal
import socket
import sys
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["serve", "INLINE_BACKEND", "NEVER_PRELOAD"]

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Never preloaded: importing it registers hooks with the *running* IPython shell.
NEVER_PRELOAD = ("matplotlib_inline",)


def _preload(modules: list[str]) -> None:
    """Import ``modules`` (not :data:`NEVER_PRELOAD`); a failure is reported, not raised."""
    for name in modules:
        if name.split(".")[0] in NEVER_PRELOAD:
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - a module that fails here fails in the kernel, visibly
            print(f"kernel pool: not preloaded {name}: {exc}", file=sys.stderr)


class _Server:
    """The state of the pool's server loop: the listener, what it waits on, its kernels.

    Each event the selector reports has a kind: ``lifeline`` (stdin: the pool
    closed it, so the server ends), ``accept`` (a client connects),
    ``request`` (a client sends its request and standard streams), ``client``
    (a kernel's client went away) and ``exited`` (a kernel ended).
    """

    def __init__(self, listener: socket.socket):
        self.listener = listener
        self.sel = selectors.DefaultSelector()
        self.sel.register(listener, selectors.EVENT_READ, ("accept", None))
        self.sel.register(sys.stdin, selectors.EVENT_READ, ("lifeline", None))
        self.kernels: dict[int, dict[str, Any]] = {}  # pid -> {conn, pidfd}
        self.pending: dict[socket.socket, bytearray] = {}

    def loop(self) -> None:
        """Serve until the lifeline closes."""
        handlers: dict[str, Callable[[Any, Any], None]] = {
            "accept": self._accept,
            "request": self._request,
            "client": self._client,
            "exited": self._exited,
        }
        while True:
            for key, _ in self.sel.select():
                kind, data = key.data
                if kind == "lifeline":
                    if not os.read(sys.stdin.fileno(), 4096):
                        return
                else:
                    handlers[kind](key.fileobj, data)

    def _accept(self, fileobj: Any, data: Any) -> None:
        conn, _ = self.listener.accept()
        self.pending[conn] = bytearray()
        self.sel.register(conn, selectors.EVENT_READ, ("request", [None]))

    def _request(self, conn: socket.socket, data: list[Any]) -> None:
        """Read a request; once it is whole, fork its kernel (or close a bad one)."""
        try:
            chunk, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
        except OSError:
            chunk, fds = b"", []
        if fds:
            data[0] = fds
        self.pending[conn] += chunk
        if chunk and b"\n" not in self.pending[conn]:
            return
        self.sel.unregister(conn)
        raw = bytes(self.pending.pop(conn))
        if not chunk or not data[0] or len(data[0]) != 3:
            for fd in data[0] or []:
                os.close(fd)
            conn.close()
            return
        self._start_kernel(conn, raw, data[0])

    def _in_child(self, conn: socket.socket) -> Callable[[], None]:
        """What a forked kernel closes first: every file of the server."""

        def in_child() -> None:
            self.listener.close()
            self.sel.close()
            for c in [*self.pending, *(k["conn"] for k in self.kernels.values()), conn]:
                c.close()
            for k in self.kernels.values():
                os.close(k["pidfd"])

        return in_child

    def _start_kernel(self, conn: socket.socket, raw: bytes, fds: list[int]) -> None:
        pid = None
        try:
            request = json.loads(raw.partition(b"\n")[0])
            pid = _fork_kernel(request, fds, self._in_child(conn))
            pidfd = os.pidfd_open(pid)
        except Exception as exc:  # noqa: BLE001 - the client falls back to a fresh kernel
            print(f"kernel pool: cannot fork a kernel: {exc}", file=sys.stderr)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            conn.close()
            return
        finally:
            for fd in fds:
                os.close(fd)
        self.kernels[pid] = {"conn": conn, "pidfd": pidfd}
        conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        self.sel.register(conn, selectors.EVENT_READ, ("client", pid))
        self.sel.register(pidfd, selectors.EVENT_READ, ("exited", pid))

    def _client(self, conn: socket.socket, pid: int) -> None:
        """The client went away (killed): so does its kernel."""
        if conn.recv(1) == b"":
            self.sel.unregister(conn)
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass

    def _exited(self, fileobj: Any, pid: int) -> None:
        """A kernel ended: tell its client the exit code."""
        k = self.kernels.pop(pid)
        _, status = os.waitpid(pid, 0)
        self.sel.unregister(k["pidfd"])
        os.close(k["pidfd"])
        try:
            k["conn"].sendall(
                json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n"
            )
        except OSError:
            pass
        try:
            self.sel.unregister(k["conn"])
        except (KeyError, ValueError):
            pass
        k["conn"].close()

    def close(self) -> None:
        """Kill the kernels still running; remove the socket and its folder."""
        for pid in self.kernels:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        path = self.listener.getsockname()
        self.listener.close()
        try:  # also when the caller was killed and could not clean up
            os.unlink(path)
            os.rmdir(os.path.dirname(path))
        except OSError:
            pass


def serve(listener: socket.socket, modules: list[str]) -> None:
    """The pool's server: import ``modules``, then fork a kernel for each request on the
    (bound, listening) Unix socket ``listener`` until stdin closes.

    Examples
    --------
    Run in its own process by :meth:`KernelPool.start`; a server whose
    lifeline is already closed ends at once and removes its socket:

    >>> import subprocess, sys, tempfile
    >>> sock = tempfile.mkdtemp() + "/s.sock"
    >>> code = (
    ...     "import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); "
    ...     "s.listen(); from evaluation.kernelpool import serve; serve(s, [])"
    ... )
    >>> subprocess.run([sys.executable, "-c", code, sock], input=b"").returncode
    0
    >>> os.path.exists(sock)
    False
    """
    _preload(modules)
    server = _Server(listener)
    try:
        server.loop()
    finally:
        server.close()


def _fork_kernel(request: dict[str, Any], fds: list[int], in_child: Callable[[], None]) -> int:
    """Fork; in the child, close the server's files (``in_child``) and become the kernel
    the request asks for. The child never returns into the server's loop."""
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # preloaded objects: not scanned by the kernel's collector, pages stay shared
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        in_child()
        _become_kernel(request, fds)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - the child must never return into the server's loop
        import traceback

        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()  # IPython saves its history there
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _become_kernel(request: dict[str, Any], fds: list[int]) -> None:
    """Turn the forked child into ``python -m ipykernel_launcher <argv>``."""
    server = os.getppid()
    os.setsid()  # a process group of its own, as launch_kernel gives a kernel
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGUSR1):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; InteractiveShellApp.init_path adds it back
    # the filters are those the imports left, as in a new kernel; but warnings already
    # shown by the server must show again: invalidate every module's once-registry
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:
        mutated()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
    kernelapp.launch_new_instance(argv=[*request["argv"], f"--IPKernelApp.parent_handle={server}"])
