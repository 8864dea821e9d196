"""The exit status of every ``evaluation`` command, as the README and ``--help`` list them."""

from __future__ import annotations

__all__ = ["EXIT_CODES", "EXIT_HELP"]

#: The exit status of every command, as the README and ``--help`` list them.
EXIT_CODES = {
    0: "success (run: every notebook ok)",
    1: "invalid data, a failed notebook, or (--release) possible leaks",
    2: "usage or parameter error (nothing was run)",
    3: "run: a notebook completed without some of its key results (incomplete); "
    "--allow-incomplete gives 0",
}
#: The exit status as the epilog of ``--help``.
EXIT_HELP = "exit status:\n" + "\n".join(f"  {k}  {v}" for k, v in EXIT_CODES.items())
