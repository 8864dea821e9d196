"""``evaluation observations form|import|schedule|precision``: the field tools' commands.

Registered in :func:`evaluation.cli.build_parser` by :func:`add_parser`; errors
are the package's own (``DataError``, ``ParameterError``), which the main
command turns into a message and an exit status.
"""

from __future__ import annotations

import argparse

__all__ = ["add_parser"]


def cmd_form(a) -> int:
    from .form import check_form, write_form

    out = write_form(a.out, data=a.data)
    warnings = check_form(out)
    for w in warnings:
        print(f"pyxform warning: {w}")
    print(f"wrote {out} (XLSForm; converts with pyxform, {len(warnings)} warning(s))")
    return 1 if warnings else 0


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``observations`` and its four subcommands to the ``evaluation`` command."""
    p = sub.add_parser(
        "observations",
        help="field work: observers' form, import of submissions, schedule, precision",
    )
    osub = p.add_subparsers(dest="observations_command", required=True)

    f = osub.add_parser("form", help="write the observation form as an XLSForm (ODK, KoBoToolbox)")
    f.add_argument(
        "--data", default="data/example", metavar="DIR", help="data folder with the study's zones"
    )
    f.add_argument("--out", required=True, metavar="FILE.xlsx")
    f.set_defaults(func=cmd_form)
    return p
