"""The ``evaluation`` command: a thin layer over pipeline, sources and coding.

Exit status (:data:`EXIT_CODES`): 0 success (``run``: every notebook ok); 1 invalid
data, a failed notebook, or leaks with ``--release``; 2 a usage or parameter
error; 3 ``run`` completed but a notebook could not compute some of its key
results (``incomplete``; ``--allow-incomplete`` makes that 0). Bad data never
give a traceback.
``evaluation scan``: 0 nothing found, 1 possible leaks, 2 something could not be
scanned (a missing path, an unreadable register, a file that cannot be parsed).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import DataError, EvaluationError, NotebookError, ParameterError

__all__ = ["main", "build_parser", "EXIT_CODES"]

#: The exit status of every command, as the README and ``--help`` list them.
EXIT_CODES = {
    0: "success (run: every notebook ok)",
    1: "invalid data, a failed notebook, or (--release) possible leaks",
    2: "usage or parameter error (nothing was run)",
    3: "run: a notebook completed without some of its key results (incomplete); "
    "--allow-incomplete gives 0",
}
EXIT_HELP = "exit status:\n" + "\n".join(f"  {k}  {v}" for k, v in EXIT_CODES.items())


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_run(a) -> int:
    from .pipeline import run

    verbosity = 0 if a.quiet else (2 if a.verbose else 1)
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
        verbosity=verbosity,
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
    elif not a.quiet:
        print("leak scan: nothing found (releasable)")
    status = result.status
    incomplete = [n for n in result.manifest["notebooks"] if n.get("status") == "incomplete"]
    if incomplete:
        print(f"status: incomplete - {len(incomplete)} notebook(s) without some key results:")
        for n in incomplete:
            for item in n.get("incomplete", []):
                print(f"  {n['name']}: {item['result']}: {item['why']}")
    elif not a.quiet:
        print(f"status: {status}")
    print(f"report: {result.shown_index}")
    if getattr(a, "pdf", False):  # --pdf: the printable report (evaluation.pdf)
        from .pdf import write_pdf

        print(f"pdf: {write_pdf(result.run_dir)}")
    if a.release and leaks:
        _err(
            "--release: refused, the leak scan found possible personal data (see above and manifest.json)"
        )
        return 1
    if status == "failed":
        return 1
    if status == "incomplete" and not a.allow_incomplete:
        _err(
            "exit status 3: the run is incomplete (see above); --allow-incomplete accepts it "
            "for exploratory runs"
        )
        return 3
    return 0


def _out_of_memory(what: str) -> int:
    _err(
        f"INVALID: {what} is too large for the memory available; it was not read"
        " (see README: 'Files from other people' for the limits)"
    )
    return 1


def cmd_pdf(a) -> int:
    from .pdf import write_pdf

    print(f"pdf: {write_pdf(a.run_dir)}")
    return 0


def cmd_validate(a) -> int:
    from .paths import EXAMPLE_DATA, project_root
    from .sources import load_dataset

    # paths typed on the command line are relative to the current folder (issue 20.5)
    data = Path(a.data).expanduser().resolve() if a.data else project_root() / EXAMPLE_DATA
    codebook = Path(a.codebook).expanduser().resolve() if a.codebook else None
    try:
        ds = load_dataset(data, codebook=codebook)
    except DataError as exc:
        print(f"INVALID: {exc}")
        return 1
    except MemoryError:
        return _out_of_memory(f"the data folder {a.data}")
    print("VALID")
    print(ds.summary())
    return 0


def cmd_new_study(a) -> int:
    from .scaffold import new_study

    out = new_study(Path(a.dir).expanduser())
    print(f"wrote a new study folder {out}: fill in study.yaml, the CSV files and the codebook;")
    print(
        f"then `evaluation validate --data {out}` lists what is still missing (see its README.md)"
    )
    return 0


def cmd_make_example(a) -> int:
    from .synthetic import make_example_data

    out = Path(a.out)
    if out.exists() and any(out.iterdir()) and not a.force:
        _err(f"{out} exists and is not empty; use --force to overwrite the data set files in it")
        return 2
    from .synthetic_study import DEFAULT_STUDY, make_other_example

    if getattr(a, "study", DEFAULT_STUDY) != DEFAULT_STUDY:
        if a.reverse_effects or a.scale != 1:
            _err(f"--study {a.study} takes neither --reverse-effects nor --scale")
            return 2
        seed = make_other_example(a.study, out, a.seed)
        print(f"wrote the synthetic example study {a.study!r} to {out} (seed {seed})")
        return 0
    make_example_data(out, seed=a.seed, scale=a.scale, reverse_effects=a.reverse_effects)
    rev = ", effects reversed" if a.reverse_effects else ""
    print(f"wrote synthetic example data to {out} (seed {a.seed}, scale {a.scale}{rev})")
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


def cmd_clean(a) -> int:
    from .paths import REPORTS, project_root
    from .pipeline import clean_runs

    if a.keep < 0:
        raise ParameterError("clean --keep: N must be 0 or more")
    reports = project_root() / REPORTS
    removed, kept = clean_runs(reports, a.keep, dry_run=a.dry_run)
    verb = "would remove" if a.dry_run else "removed"
    for d in removed:
        print(f"{verb} {d}")
    print(f"{verb} {len(removed)} run(s); kept {len(kept)} in {reports}")
    return 0


def lab_command(args: list[str] = ()) -> tuple[list[str], dict[str, str], Path]:
    """The ``jupyter lab`` command line, environment and folder of ``evaluation lab``."""
    from .paths import project_root

    root = project_root()
    bin_dir = str(Path(sys.executable).parent)
    env = dict(os.environ)
    path = env.get("PATH", "")
    if path.split(os.pathsep)[0] != bin_dir:
        env["PATH"] = bin_dir + (os.pathsep + path if path else "")
    env.setdefault("VIRTUAL_ENV", str(Path(sys.executable).parent.parent))
    args = [x for x in args if x != "--"]
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}"]
    if not any("terminado_settings" in x for x in args):
        # Lab starts a *login* shell when its output is not a terminal, and a login shell
        # resets PATH from /etc/profile: ask for the user's shell as is, so that its PATH
        # (this environment's bin first) holds in Lab's terminals
        import shlex
        import shutil

        shell = env.get("SHELL") or shutil.which("bash") or "sh"
        cmd.append(f"--ServerApp.terminado_settings=shell_command={shlex.quote(shell)}")
    return [*cmd, *args], env, root


def cmd_lab(a) -> int:
    import subprocess

    cmd, env, root = lab_command(a.args)
    print(f"JupyterLab at {root} (the report: reports/latest/index.html)")
    try:
        return subprocess.call(cmd, env=env, cwd=root)
    except KeyboardInterrupt:
        return 0


def cmd_scan(a) -> int:
    """0: nothing found; 1: possible leaks; 2: something could not be scanned (never "0 leaks")."""
    from .leaks import ScanError, scan_for_leaks

    try:
        leaks = scan_for_leaks(a.paths, a.identifiers)
    except ScanError as exc:
        _err(f"error: {exc}")
        _err("scan: not completed - nothing can be said about leaks")
        return 2
    for lk in leaks:
        print(lk)
    print(f"{len(leaks)} possible leak(s)")
    return 1 if leaks else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="evaluation",
        description="sergel-eval: evaluation of place activation of a square (the study: the data"
        " folder's study.yaml)",
        epilog=EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)

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
    r.set_defaults(func=cmd_run)

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
    from .synthetic_study import DEFAULT_STUDY, STUDIES

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

    from .fieldwork.cli import add_parser as add_observations

    add_observations(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .synthetic_study import DEFAULT_STUDY

    if getattr(args, "seed", 0) is None and getattr(args, "study", DEFAULT_STUDY) == DEFAULT_STUDY:
        from .synthetic import DEFAULT_SEED, REVERSED_SEED

        args.seed = REVERSED_SEED if getattr(args, "reverse_effects", False) else DEFAULT_SEED
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
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
    except BrokenPipeError:
        # the reader went away (`evaluation validate ... | head -1`): stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except OSError:
            pass
        return 141


if __name__ == "__main__":
    sys.exit(main())
