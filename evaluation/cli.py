"""The ``evaluation`` command: a thin layer over pipeline, sources and coding.

Exit status: 0 success; 1 invalid data, a failed notebook, or leaks with
``--release``; 2 a usage or parameter error. Bad data never give a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError, EvaluationError, NotebookError, ParameterError

__all__ = ["main", "build_parser"]


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_run(a) -> int:
    from .pipeline import run

    result = run(
        params_file=a.params,
        overrides=a.p or [],
        only=a.only,
        output=a.output,
        data=a.data,
        release=a.release,
        jobs=a.jobs,
        force=a.force,
        cache=not a.no_cache,
        kernels=a.kernels,
    )
    rel = result.manifest.get("release", {})
    if result.error is not None:
        _err(f"error: {result.error}")
        _err(f"manifest: {result.run_dir / 'manifest.json'}")
        return 1
    leaks = rel.get("leaks", [])
    if leaks:
        print(f"leak scan: {len(leaks)} possible leak(s) - the report is NOT FOR RELEASE")
        for lk in leaks[:50]:
            print(f"  {lk['file']}: {lk['location']}: {lk['rule']}")
    else:
        print("leak scan: nothing found (releasable)")
    print(f"report: {result.index}")
    if getattr(a, "pdf", False):  # --pdf: the printable report (evaluation.pdf)
        from .pdf import write_pdf

        print(f"pdf: {write_pdf(result.run_dir)}")
    if a.release and leaks:
        _err(
            "--release: refused, the leak scan found possible personal data (see above and manifest.json)"
        )
        return 1
    return 0


def cmd_pdf(a) -> int:
    from .pdf import write_pdf

    print(f"pdf: {write_pdf(a.run_dir)}")
    return 0


def cmd_validate(a) -> int:
    from .sources import load_dataset

    try:
        ds = load_dataset(a.data, codebook=a.codebook)
    except DataError as exc:
        print(f"INVALID: {exc}")
        return 1
    print("VALID")
    print(ds.summary())
    return 0


def cmd_make_example(a) -> int:
    from .synthetic import make_example_data

    out = Path(a.out)
    if out.exists() and any(out.iterdir()) and not a.force:
        _err(f"{out} exists and is not empty; use --force to overwrite the data set files in it")
        return 2
    make_example_data(out, seed=a.seed, scale=a.scale, reverse_effects=a.reverse_effects)
    rev = ", effects reversed" if a.reverse_effects else ""
    print(f"wrote synthetic example data to {out} (seed {a.seed}, scale {a.scale}{rev})")
    return 0


def cmd_codebook(a) -> int:
    from .coding.codebook import load_codebook

    cb = load_codebook(a.file)
    if a.action == "check":
        print(
            f"OK: {a.file}: codebook {cb.id!r} version {cb.version}, {len(cb.codes)} codes ({len(cb.roots())} top-level)"
        )
        return 0
    if not a.to:
        raise ParameterError(f"codebook {a.action}: --to FILE is required")
    to = Path(a.to)
    if a.action == "export":
        from .coding.refiqda import write_qdc

        if to.suffix.lower() != ".qdc":
            raise ParameterError("codebook export: --to must end in .qdc")
        write_qdc(cb, to)
    else:
        if to.suffix.lower() not in (".yaml", ".yml"):
            raise ParameterError("codebook import: --to must end in .yaml or .yml")
        cb.write_yaml(to)
    print(f"wrote {to} ({len(cb.codes)} codes)")
    return 0


def cmd_refresh(a) -> int:
    from .pipeline import refresh_notebooks

    refresh_notebooks()
    return 0


def cmd_scan(a) -> int:
    from .leaks import scan_for_leaks

    leaks = scan_for_leaks(a.paths, a.identifiers)
    for lk in leaks:
        print(lk)
    print(f"{len(leaks)} possible leak(s)")
    return 1 if leaks else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="evaluation",
        description="sergel-eval: evaluation of the art activation of Sergels torg",
    )
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run the notebooks into a new report folder")
    r.add_argument(
        "--params", metavar="FILE.yaml", help="YAML file of parameters (over notebooks/params.yaml)"
    )
    r.add_argument(
        "-p",
        action="append",
        metavar="key=value",
        help="set one parameter (repeatable; value parsed as YAML)",
    )
    r.add_argument(
        "--only", nargs="+", metavar="NOTEBOOK", help="run only these notebooks (file name or stem)"
    )
    r.add_argument(
        "--output",
        metavar="DIR",
        help="write the run into DIR (new or empty) instead of reports/<time>/",
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
        "--kernels",
        choices=("auto", "preloaded", "fresh"),
        default="auto",
        help="preloaded: fork each kernel from a process that has imported the stack once "
        "(Linux); fresh: start every kernel from scratch; auto (default): preloaded where possible",
    )
    r.add_argument(
        "--pdf", action="store_true", help="also write report.pdf into the run folder (Chromium)"
    )
    r.set_defaults(func=cmd_run)

    pdf = sub.add_parser(
        "pdf", help="write report.pdf of a run folder: contents, index, notebooks, page numbers"
    )
    pdf.add_argument("run_dir", metavar="RUN_DIR")
    pdf.set_defaults(func=cmd_pdf)

    v = sub.add_parser("validate", help="validate a data folder")
    v.add_argument("--data", default="data/example", metavar="DIR")
    v.add_argument(
        "--codebook",
        metavar="FILE",
        help="codebook that codings are checked against (default codebooks/focus_groups.yaml)",
    )
    v.set_defaults(func=cmd_validate)

    m = sub.add_parser("make-example-data", help="generate the synthetic example data set")
    m.add_argument("--out", required=True, metavar="DIR")
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
        "--reverse-effects",
        action="store_true",
        help="plant every effect the other way (fewer girls during activation, more drug sales, "
        "violence up, the drug-scene area growing): checks that the report follows the data",
    )
    m.set_defaults(func=cmd_make_example)

    c = sub.add_parser("codebook", help="check, export or import a codebook")
    c.add_argument("action", choices=["check", "export", "import"])
    c.add_argument("file", metavar="FILE")
    c.add_argument("--to", metavar="OUT")
    c.set_defaults(func=cmd_codebook)

    f = sub.add_parser(
        "refresh-notebooks", help="re-execute the committed notebooks on the example data"
    )
    f.set_defaults(func=cmd_refresh)

    s = sub.add_parser("scan", help="scan files or folders for personal data")
    s.add_argument("paths", nargs="+")
    s.add_argument("--identifiers", metavar="FILE", help="identifier register, one per line")
    s.set_defaults(func=cmd_scan)

    from .fieldwork.cli import add_parser as add_observations

    add_observations(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "seed", 0) is None:
        from .synthetic import DEFAULT_SEED, REVERSED_SEED

        args.seed = REVERSED_SEED if getattr(args, "reverse_effects", False) else DEFAULT_SEED
    try:
        return args.func(args)
    except DataError as exc:
        _err(f"INVALID: {exc}")
        return 1
    except NotebookError as exc:
        _err(f"error: {exc}")
        return 1
    except ParameterError as exc:
        _err(f"error: {exc}")
        return 2
    except EvaluationError as exc:
        _err(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
