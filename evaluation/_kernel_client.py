"""The kernel command of a preloaded kernel (see :mod:`evaluation.kernelpool`).

Run by path with ``python -I -S`` (standard library only, so it starts in
milliseconds): ``_kernel_client.py SOCKET -f CONNECTION_FILE [ARGS ...]``.

It asks the pool's server on ``SOCKET`` for a kernel, handing over its own
stdin, stdout and stderr, its working directory and its environment, and then
stands in for that kernel towards jupyter_client: signals it receives are
passed on to the kernel's process group, and it exits with the kernel's exit
code. When it is killed, the server kills the kernel.

If there is no server, or the server cannot fork, it turns itself into an
ordinary kernel (``python -m ipykernel_launcher``), so a run never depends on
the pool being there.
"""

# standard library only, and as little of it as will do: no typing (start-up time)
import json
import os
import signal
import socket
import sys

FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")


def _fresh_kernel(kernel_args: list[str], why: str) -> None:
    """Replace this process by an ordinary ipykernel with the same arguments."""
    sys.stderr.write(f"kernel pool: {why}; starting an ordinary kernel instead\n")
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *kernel_args])


def _read_line(sock: socket.socket, buf: bytes) -> tuple[dict | None, bytes]:
    while b"\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    line, _, rest = buf.partition(b"\n")
    return json.loads(line), rest


def _ask_for_kernel(
    sock: socket.socket, sock_path: str, kernel_args: list[str]
) -> tuple[dict | None, bytes, str]:
    """Send the request with our standard streams; (the server's reply, unread bytes, why not)."""
    why = "no reply from the pool's server"
    try:
        sock.connect(sock_path)
        request = {"argv": kernel_args, "cwd": os.getcwd(), "env": dict(os.environ)}
        payload = json.dumps(request).encode() + b"\n"
        sent = socket.send_fds(sock, [payload], [0, 1, 2])
        if sent < len(payload):
            sock.sendall(payload[sent:])
        reply, buf = _read_line(sock, b"")
    except OSError as exc:
        reply, buf, why = None, b"", f"cannot reach the pool's server ({exc})"
    return reply, buf, why


def _forward_signals(pid: int) -> None:
    """Pass the signals this process receives on to the kernel's process group."""

    def forward(signum: int, frame: object) -> None:
        try:
            os.killpg(pid, signum)  # the kernel leads its own session, like a launched kernel
        except OSError:
            try:
                os.kill(pid, signum)
            except OSError:
                pass

    for name in FORWARDED:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), forward)


def _wait_for_exit(sock: socket.socket, buf: bytes) -> None:
    """Exit with the kernel's exit code when the server reports it (1 if the server goes)."""
    while True:
        try:
            msg, buf = _read_line(sock, buf)
        except InterruptedError:
            continue
        except OSError:
            msg = None
        if msg is None:  # the server is gone; the kernel goes with it (parent poller)
            sys.exit(1)
        if "exit" in msg:
            code = msg["exit"]
            sys.exit(code if code >= 0 else 128 - code)


def main(argv: list[str]) -> None:
    sock_path, kernel_args = argv[0], argv[1:]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    reply, buf, why = _ask_for_kernel(sock, sock_path, kernel_args)
    if not reply or "pid" not in reply:
        sock.close()
        _fresh_kernel(kernel_args, why)
        return  # (not reached: the process is now a fresh kernel)
    _forward_signals(reply["pid"])
    _wait_for_exit(sock, buf)


if __name__ == "__main__":
    main(sys.argv[1:])
