"""The ``evaluation`` command: a thin layer over pipeline, sources and coding.

Exit status (:data:`EXIT_CODES`): 0 success (``run``: every notebook ok); 1 invalid
data, a failed notebook, or leaks with ``--release``; 2 a usage or parameter
error; 3 ``run`` completed but a notebook could not compute some of its key
results (``incomplete``; ``--allow-incomplete`` makes that 0). Bad data never
give a traceback.
``evaluation scan``: 0 nothing found, 1 possible leaks, 2 something could not be
scanned (a missing path, an unreadable register, a file that cannot be parsed).

The parser is :mod:`evaluation.cli.parser`; the subcommands are
:mod:`evaluation.cli.commands` and :mod:`evaluation.cli.codebook`.
"""

from __future__ import annotations

import os
import sys

from ..errors import DataError, EvaluationError, NotebookError, ParameterError
from .commands import _err, lab_command
from .exits import EXIT_CODES, EXIT_HELP
from .parser import build_parser

__all__ = ["main", "build_parser", "EXIT_CODES", "EXIT_HELP", "lab_command"]


def _default_seed(args: object) -> None:
    """``make-example-data`` without ``--seed``: the example's seed (or the reversed one)."""
    from ..synthetic_study import DEFAULT_STUDY

    if getattr(args, "seed", 0) is None and getattr(args, "study", DEFAULT_STUDY) == DEFAULT_STUDY:
        from ..synthetic import DEFAULT_SEED, REVERSED_SEED

        reverse = getattr(args, "reverse_effects", False)
        args.seed = REVERSED_SEED if reverse else DEFAULT_SEED  # type: ignore[attr-defined]


def _quiet_stdout() -> None:
    """The reader of stdout went away (``evaluation validate ... | head -1``): stop quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the ``evaluation`` command with ``argv`` (default ``sys.argv[1:]``); its exit status.

    Examples
    --------
    >>> main(["scan", "no/such/file"])
    2
    >>> main(["clean", "--keep", "-1"])
    2
    """
    args = build_parser().parse_args(argv)
    _default_seed(args)
    try:
        code: int = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except DataError as exc:
        _err(f"INVALID: {exc}")
        return 1
    except (NotebookError, ParameterError) as exc:
        _err(f"error: {exc}")
        return 2 if isinstance(exc, ParameterError) else 1
    except EvaluationError as exc:
        _err(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 141
