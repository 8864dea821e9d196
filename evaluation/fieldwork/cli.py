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


def cmd_import(a) -> int:
    from pathlib import Path

    from ..errors import ParameterError
    from .importer import import_submissions

    if a.rejected and Path(a.rejected).resolve() == Path(a.export).resolve():
        raise ParameterError("observations import: --rejected must not be the export itself")
    report = import_submissions(a.export, a.into)
    print(report.summary())
    if a.rejected:
        report.rejected_table().to_csv(a.rejected, index=False)
        print(f"rejected submissions listed in {a.rejected}")
    return 1 if report.conflicts or report.rejected else 0


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

    i = osub.add_parser(
        "import",
        help="import a KoBoToolbox (XLSX, CSV) or ODK Central (CSV zip) export into a data folder",
        description="Append the submissions of an export to observations/sessions.csv, "
        "counts.csv and incidents.csv of DIR. Re-importing changes nothing; a submission "
        "already imported with other values is reported, not overwritten; rejected "
        "submissions are listed. Exit status 1 when there are conflicts or rejections.",
    )
    i.add_argument(
        "export", metavar="EXPORT", help=".xlsx or .csv (KoBoToolbox), .zip (ODK Central)"
    )
    i.add_argument(
        "--into", required=True, metavar="DIR", help="data folder with observations/zones.csv"
    )
    i.add_argument(
        "--rejected", metavar="FILE.csv", help="also write the rejections to this CSV file"
    )
    i.set_defaults(func=cmd_import)
    return p
