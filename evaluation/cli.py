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
    if a.release and leaks:
        _err(
            "--release: refused, the leak scan found possible personal data (see above and manifest.json)"
        )
        return 1
    return 0


def _out_of_memory(what: str) -> int:
    _err(
        f"INVALID: {what} is too large for the memory available; it was not read"
        " (see README: 'Files from other people' for the limits)"
    )
    return 1


def cmd_validate(a) -> int:
    from .sources import load_dataset

    try:
        ds = load_dataset(a.data, codebook=a.codebook)
    except DataError as exc:
        print(f"INVALID: {exc}")
        return 1
    except MemoryError:
        return _out_of_memory(f"the data folder {a.data}")
    print("VALID")
    print(ds.summary())
    return 0


def cmd_make_example(a) -> int:
    from .synthetic import make_example_data

    out = Path(a.out)
    if out.exists() and any(out.iterdir()) and not a.force:
        _err(f"{out} exists and is not empty; use --force to overwrite the data set files in it")
        return 2
    make_example_data(out, seed=a.seed, scale=a.scale)
    print(f"wrote synthetic example data to {out} (seed {a.seed}, scale {a.scale})")
    return 0


def _refuse_overwrite(to: Path, force: bool, inputs: list[Path], what: str) -> None:
    """Stop (exit 2) before writing ``to`` over an existing file or an input."""
    target = to.resolve()
    for inp in inputs:
        r = inp.resolve()
        if target == r or (inp.is_dir() and r in target.parents):
            raise ParameterError(f"{what}: --to {to} would write over the input {inp}")
    if to.exists() and not force:
        if to.is_dir() and not any(to.iterdir()):
            return
        raise ParameterError(f"{what}: {to} exists; use --force to overwrite it")


def cmd_codebook(a) -> int:
    try:
        return _codebook(a)
    except MemoryError:
        return _out_of_memory(a.file)


def _codebook(a) -> int:
    from .coding.codebook import load_codebook

    src = Path(a.file)
    suffix = src.suffix.lower()
    sources_dir = Path(a.sources_dir) if a.sources_dir else None
    if sources_dir is not None and suffix != ".qdpx":
        raise ParameterError("codebook: --sources-dir applies to a .qdpx project only")
    if suffix == ".qdpx":
        from .coding.refiqda import read_qdpx_texts

        cb, segments, codings, texts = read_qdpx_texts(src, sources_dir=sources_dir)
    else:
        cb, codings, texts = load_codebook(src), None, {}
    if a.action == "check":
        extra = ""
        if codings is not None:
            extra = (
                f"; {len(texts)} source(s), {len(segments)} segments,"
                f" {codings['selection'].nunique()} coded selections"
            )
        print(
            f"OK: {a.file}: codebook {cb.id!r} version {cb.version}, {len(cb.codes)} codes"
            f" ({len(cb.roots())} top-level){extra}"
        )
        return 0
    if not a.to:
        raise ParameterError(f"codebook {a.action}: --to is required")
    to = Path(a.to)
    inputs = [src] + ([sources_dir] if sources_dir is not None else [])
    if a.action == "export":
        from .coding.refiqda import write_qdc

        if to.suffix.lower() != ".qdc":
            raise ParameterError("codebook export: --to must end in .qdc")
        _refuse_overwrite(to, a.force, inputs, "codebook export")
        write_qdc(cb, to)
        print(f"wrote {to} ({len(cb.codes)} codes)")
        return 0
    if codings is None:
        if to.suffix.lower() not in (".yaml", ".yml"):
            raise ParameterError("codebook import: --to must end in .yaml or .yml")
        _refuse_overwrite(to, a.force, inputs, "codebook import")
        cb.write_yaml(to)
        print(f"wrote {to} ({len(cb.codes)} codes)")
        return 0
    # a project: codebook, codings and transcripts into a (new) folder
    from .coding.refiqda import write_import_folder

    if to.suffix:
        raise ParameterError("codebook import: for a .qdpx project --to names a folder")
    _refuse_overwrite(to, a.force, inputs, "codebook import")
    write_import_folder(to, cb, codings, texts)
    breaks = ", ".join(f"{g}: {v}" for g, v in codings.attrs.get("line_breaks", {}).items())
    print(
        f"wrote {to}: codebook.yaml ({len(cb.codes)} codes), codings.csv ({len(codings)} rows),"
        f" transcripts/ ({len(texts)} files); line breaks counted as: {breaks or '-'}"
    )
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
    r.set_defaults(func=cmd_run)

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
    m.add_argument("--seed", type=int, default=None)
    m.add_argument(
        "--scale", type=int, default=1, help="multiply sessions and focus groups (benchmarks)"
    )
    m.add_argument(
        "--force", action="store_true", help="overwrite the data set files in a non-empty folder"
    )
    m.set_defaults(func=cmd_make_example)

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

    f = sub.add_parser(
        "refresh-notebooks", help="re-execute the committed notebooks on the example data"
    )
    f.set_defaults(func=cmd_refresh)

    s = sub.add_parser("scan", help="scan files or folders for personal data")
    s.add_argument("paths", nargs="+")
    s.add_argument("--identifiers", metavar="FILE", help="identifier register, one per line")
    s.set_defaults(func=cmd_scan)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "seed", 0) is None:
        from .synthetic import DEFAULT_SEED

        args.seed = DEFAULT_SEED
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
