"""The argument parser of the ``evaluation`` command: one function per subcommand."""

from __future__ import annotations

import argparse
from typing import Any

from .codebook import cmd_codebook
from .commands import (
    cmd_clean,
    cmd_lab,
    cmd_make_example,
    cmd_new_study,
    cmd_pdf,
    cmd_refresh,
    cmd_run,
    cmd_scan,
    cmd_validate,
)
from .exits import EXIT_HELP

__all__ = ["build_parser"]

#: ``sub.add_parser``'s result (argparse has no public name for the subparsers action).
Sub = Any


def _add_run_output(r: argparse.ArgumentParser) -> None:
    """The options of ``run`` about what it prints and how it runs kernels."""
    loud = r.add_mutually_exclusive_group()
    loud.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only problems (missing results, leaks, errors) and the report's path",
    )
    loud.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print why each notebook runs or comes from the cache, and its parameters",
    )
    r.add_argument(
        "--kernels",
        choices=("auto", "preloaded", "fresh"),
        default="auto",
        help="preloaded: fork each kernel from a process that has imported the stack once "
        "(Linux); fresh: start every kernel from scratch; auto (default): preloaded where possible",
    )
    r.add_argument(
        "--pdf", action="store_true", help="also write report.pdf into the run folder (Chromium)"
    )


def _add_run(sub: Sub) -> None:
    r = sub.add_parser(
        "run",
        help="run the notebooks into a new report folder",
        description="Run the notebooks (papermill) into a new report folder and write the "
        "HTML report. Paths (--data, --params, --output, path values given with -p) are "
        "relative to the current folder. Every notebook ends ok, incomplete (it ran, but "
        "named key results could not be computed: the run says which and why) or failed.",
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument(
        "--params", metavar="FILE.yaml", help="YAML file of parameters (over notebooks/params.yaml)"
    )
    r.add_argument(
        "-p",
        action="append",
        metavar="key=value",
        help="set one parameter (repeatable; value parsed as YAML; checked against notebooks/params.schema.yaml)",
    )
    r.add_argument(
        "--only",
        nargs="+",
        metavar="NOTEBOOK",
        help="run only these notebooks (file name or stem) and the notebooks they need "
        "(from the cache when current); a partial run does not move reports/latest",
    )
    r.add_argument(
        "--output",
        metavar="DIR",
        help="write the run into DIR (new or empty; not inside a data, codebook or notebooks "
        "folder) instead of reports/<time>/",
    )
    r.add_argument(
        "--data", metavar="DIR", help="data folder for every notebook (default data/example)"
    )
    r.add_argument(
        "--release", action="store_true", help="exit non-zero if the leak scan finds anything"
    )
    r.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="notebooks run at the same time (default: number of cores)",
    )
    r.add_argument(
        "--force", action="store_true", help="re-execute every notebook (ignore the cache)"
    )
    r.add_argument("--no-cache", action="store_true", help="neither use nor fill the cache")
    r.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="exit 0 also when a notebook could not compute some key results (exploratory runs)",
    )
    _add_run_output(r)
    r.set_defaults(func=cmd_run)


def _add_pdf_and_validate(sub: Sub) -> None:
    pdf = sub.add_parser(
        "pdf", help="write report.pdf of a run folder: contents, index, notebooks, page numbers"
    )
    pdf.add_argument("run_dir", metavar="RUN_DIR")
    pdf.set_defaults(func=cmd_pdf)

    v = sub.add_parser("validate", help="validate a data folder")
    v.add_argument(
        "--data",
        default=None,
        metavar="DIR",
        help="the data folder to check (relative to the current folder; default data/example "
        "of the project)",
    )
    v.add_argument(
        "--codebook",
        metavar="FILE",
        help="codebook that codings are checked against (default codebooks/focus_groups.yaml)",
    )
    v.set_defaults(func=cmd_validate)


def _add_make_example(sub: Sub) -> None:
    from ..synthetic_study import DEFAULT_STUDY, STUDIES

    m = sub.add_parser("make-example-data", help="generate the synthetic example data set")
    m.add_argument(
        "--out", required=True, metavar="DIR", help="the folder to write the data set into"
    )
    m.add_argument(
        "--seed",
        type=int,
        default=None,
        help="random seed (default: the example's; with --reverse-effects, synthetic.REVERSED_SEED)",
    )
    m.add_argument(
        "--scale", type=int, default=1, help="multiply sessions and focus groups (benchmarks)"
    )
    m.add_argument(
        "--force", action="store_true", help="overwrite the data set files in a non-empty folder"
    )
    m.add_argument(
        "--study",
        choices=sorted(STUDIES),
        default=DEFAULT_STUDY,
        help=f"which example study (default {DEFAULT_STUDY}; each has its own study.yaml,"
        " names and codebook)",
    )
    m.add_argument(
        "--reverse-effects",
        action="store_true",
        help="plant every effect the other way (fewer girls during activation, more drug sales, "
        "violence up, the drug-scene area growing): checks that the report follows the data",
    )
    m.set_defaults(func=cmd_make_example)


def _add_new_study_and_codebook(sub: Sub) -> None:
    ns = sub.add_parser(
        "new-study",
        help="write a new data folder to fill in (study.yaml, CSV headers, codebook, README)",
        description="Write a new data folder DIR: a commented study.yaml to fill in, every CSV "
        "with its header row, an empty codebook and a README of what to collect. "
        "`evaluation validate --data DIR` then lists what is still missing.",
    )
    ns.add_argument("dir", metavar="DIR", help="the new folder (must not exist or be empty)")
    ns.set_defaults(func=cmd_new_study)

    c = sub.add_parser(
        "codebook",
        help="check, export or import a codebook (YAML, REFI-QDA .qdc, or a .qdpx project)",
    )
    c.add_argument("action", choices=["check", "export", "import"])
    c.add_argument("file", metavar="FILE", help=".yaml, .yml, .qdc or (check, import) .qdpx")
    c.add_argument(
        "--to",
        metavar="OUT",
        help="export: a .qdc file; import: a .yaml file, or a new folder for a .qdpx project "
        "(codebook.yaml, codings.csv, transcripts/)",
    )
    c.add_argument("--force", action="store_true", help="overwrite an existing --to")
    c.add_argument(
        "--sources-dir",
        metavar="DIR",
        help="folder from which a .qdpx project's external sources (relative:// or "
        "absolute:// paths) may be read; without it only the archive is read",
    )
    c.set_defaults(func=cmd_codebook)


def _add_housekeeping(sub: Sub) -> None:
    f = sub.add_parser(
        "refresh-notebooks", help="re-execute the committed notebooks on the example data"
    )
    f.set_defaults(func=cmd_refresh)

    k = sub.add_parser(
        "clean",
        help="remove old report runs",
        description="Remove old run folders in reports/, keeping the newest N. Never removes "
        "the run reports/latest points at, nor a run folder that holds a file named KEEP "
        "(touch reports/<run>/KEEP to keep one), nor the cache.",
    )
    k.add_argument(
        "--keep", type=int, required=True, metavar="N", help="how many of the newest runs to keep"
    )
    k.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    k.set_defaults(func=cmd_clean)

    lab = sub.add_parser(
        "lab",
        help="start JupyterLab at the project root",
        description="Start JupyterLab at the project root (data/, codebooks/, notebooks/ and "
        "reports/ visible) with this environment's bin folder first on PATH, so that "
        "`evaluation ...` works in Lab's terminals. Arguments after -- go to jupyter lab.",
    )
    lab.add_argument("args", nargs=argparse.REMAINDER, help="passed on to jupyter lab")
    lab.set_defaults(func=cmd_lab)

    s = sub.add_parser(
        "scan",
        help="scan files or folders for personal data (exit 0 clean, 1 leaks, 2 cannot scan)",
    )
    s.add_argument("paths", nargs="+")
    s.add_argument("--identifiers", metavar="FILE", help="identifier register, one per line")
    s.set_defaults(func=cmd_scan)


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``evaluation`` command and all its subcommands.

    Examples
    --------
    >>> a = build_parser().parse_args(["run", "--only", "01_site_observations", "--pdf"])
    >>> a.only, a.pdf, a.kernels
    (['01_site_observations'], True, 'auto')
    """
    p = argparse.ArgumentParser(
        prog="evaluation",
        description="sergel-eval: evaluation of place activation of a square (the study: the data"
        " folder's study.yaml)",
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)
    _add_run(sub)
    _add_pdf_and_validate(sub)
    _add_make_example(sub)
    _add_new_study_and_codebook(sub)
    _add_housekeeping(sub)

    from ..fieldwork.cli import add_parser as add_observations

    add_observations(sub)
    return p
