"""The ``evaluation`` subcommands other than ``codebook``: one function each, ``cmd_<name>(args)``.

Each takes the parsed arguments and returns the exit status
(:data:`~evaluation.cli.exits.EXIT_CODES`); errors of the package
(:mod:`evaluation.errors`) are turned into messages by :func:`evaluation.cli.main`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import DataError, ParameterError

__all__ = [
    "cmd_run",
    "cmd_pdf",
    "cmd_validate",
    "cmd_new_study",
    "cmd_make_example",
    "cmd_refresh",
    "cmd_clean",
    "cmd_lab",
    "cmd_scan",
    "lab_command",
]


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def _print_leaks(leaks: list[dict[str, Any]], quiet: bool) -> None:
    """The leak scan's verdict (and the first 50 findings)."""
    if leaks:
        print(f"leak scan: {len(leaks)} possible leak(s) - the report is NOT FOR RELEASE")
        for lk in leaks[:50]:
            print(f"  {lk['file']}: {lk['location']}: {lk['rule']}")
    elif not quiet:
        print("leak scan: nothing found (releasable)")


def _print_status(status: str, notebooks: list[dict[str, Any]], quiet: bool) -> None:
    """The run's status, and each key result an incomplete notebook is missing."""
    incomplete = [n for n in notebooks if n.get("status") == "incomplete"]
    if incomplete:
        print(f"status: incomplete - {len(incomplete)} notebook(s) without some key results:")
        for n in incomplete:
            for item in n.get("incomplete", []):
                print(f"  {n['name']}: {item['result']}: {item['why']}")
    elif not quiet:
        print(f"status: {status}")


def _run_exit(status: str, leaks: bool, a: argparse.Namespace) -> int:
    """Exit status of ``run``: 1 for leaks with --release or a failure, 3 when incomplete."""
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


def cmd_run(a: argparse.Namespace) -> int:
    """``evaluation run``: run the notebooks (:func:`evaluation.pipeline.run`).

    Examples
    --------
    >>> from evaluation.cli import main
    >>> main(["run", "--only", "no_such_notebook"])
    2
    """
    from ..pipeline import run

    pdf = bool(getattr(a, "pdf", False))
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
        verbosity=0 if a.quiet else (2 if a.verbose else 1),
        pdf=pdf,
    )
    if result.error is not None:
        _err(f"error: {result.error}")
        _err(f"manifest: {result.run_dir / 'manifest.json'}")
        return 1
    leaks = result.manifest.get("release", {}).get("leaks", [])
    _print_leaks(leaks, a.quiet)
    _print_status(result.status, result.manifest["notebooks"], a.quiet)
    print(f"report: {result.shown_index}")
    if pdf:  # --pdf: the printable report (evaluation.pdf), covered by the leak scan
        if result.pdf_error is not None:
            _err(f"error: {result.pdf_error}")
            return 1
        print(f"pdf: {result.pdf}")
    return _run_exit(result.status, bool(leaks), a)


def cmd_pdf(a: argparse.Namespace) -> int:
    """``evaluation pdf RUN_DIR``: print ``report.pdf`` of a run and check the run again.

    Examples
    --------
    >>> import tempfile
    >>> from evaluation.cli import main
    >>> main(["pdf", tempfile.mkdtemp()])
    1
    """
    from ..pipeline import add_pdf

    path, release = add_pdf(a.run_dir)
    print(f"pdf: {path}")
    _print_leaks(release.get("leaks", []), quiet=False)
    return 0


def _out_of_memory(what: str) -> int:
    _err(
        f"INVALID: {what} is too large for the memory available; it was not read"
        " (see README: 'Files from other people' for the limits)"
    )
    return 1


def cmd_validate(a: argparse.Namespace) -> int:
    """``evaluation validate``: check a data folder; 0 valid, 1 invalid.

    Examples
    --------
    >>> from evaluation.cli import main
    >>> main(["validate", "--data", "no/such/folder"])  # doctest: +ELLIPSIS
    INVALID: 1 problem in the data:
    ...no/such/folder: no such data folder; expected a folder laid out as in data/README.md
    1
    """
    from ..paths import EXAMPLE_DATA, project_root
    from ..sources import load_dataset

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


def cmd_new_study(a: argparse.Namespace) -> int:
    """``evaluation new-study DIR``: a new data folder to fill in.

    Examples
    --------
    >>> import tempfile
    >>> from evaluation.cli import main
    >>> main(["new-study", tempfile.mkdtemp() + "/s"])  # doctest: +ELLIPSIS
    wrote a new study folder .../s: ...
    0
    """
    from ..scaffold import new_study

    out = new_study(Path(a.dir).expanduser())
    print(f"wrote a new study folder {out}: fill in study.yaml, the CSV files and the codebook;")
    print(
        f"then `evaluation validate --data {out}` lists what is still missing (see its README.md)"
    )
    return 0


def cmd_make_example(a: argparse.Namespace) -> int:
    """``evaluation make-example-data``: write a synthetic example study.

    Examples
    --------
    A folder that is not empty is refused without ``--force``:

    >>> import tempfile
    >>> from evaluation.cli import main
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = (out / "notes.txt").write_text("mine")
    >>> main(["make-example-data", "--out", str(out)])
    2
    """
    from ..synthetic_study import DEFAULT_STUDY

    out = Path(a.out)
    if out.exists() and any(out.iterdir()) and not a.force:
        _err(f"{out} exists and is not empty; use --force to overwrite the data set files in it")
        return 2
    if getattr(a, "study", DEFAULT_STUDY) != DEFAULT_STUDY:
        if a.reverse_effects or a.scale != 1:
            _err(f"--study {a.study} takes neither --reverse-effects nor --scale")
            return 2
        from ..synthetic_odenplan import make_other_example

        seed = make_other_example(a.study, out, a.seed)
        print(f"wrote the synthetic example study {a.study!r} to {out} (seed {seed})")
        return 0
    from ..synthetic import make_example_data

    make_example_data(out, seed=a.seed, scale=a.scale, reverse_effects=a.reverse_effects)
    rev = ", effects reversed" if a.reverse_effects else ""
    print(f"wrote synthetic example data to {out} (seed {a.seed}, scale {a.scale}{rev})")
    return 0


def cmd_refresh(a: argparse.Namespace) -> int:
    """``evaluation refresh-notebooks``: re-execute the committed notebooks (``make notebooks``).

    Examples
    --------
    Not run here (it executes every notebook); the parser routes the command to it:

    >>> from evaluation.cli import build_parser
    >>> build_parser().parse_args(["refresh-notebooks"]).func is cmd_refresh
    True
    """
    from ..pipeline import refresh_notebooks

    refresh_notebooks()
    return 0


def cmd_clean(a: argparse.Namespace) -> int:
    """``evaluation clean --keep N``: remove old run folders.

    Examples
    --------
    >>> from evaluation.cli import main
    >>> main(["clean", "--keep", "-1"])
    2
    """
    from ..paths import REPORTS, project_root
    from ..pipeline import clean_runs

    if a.keep < 0:
        raise ParameterError("clean --keep: N must be 0 or more")
    reports = project_root() / REPORTS
    removed, kept = clean_runs(reports, a.keep, dry_run=a.dry_run)
    verb = "would remove" if a.dry_run else "removed"
    for d in removed:
        print(f"{verb} {d}")
    print(f"{verb} {len(removed)} run(s); kept {len(kept)} in {reports}")
    return 0


def lab_command(args: Sequence[str] = ()) -> tuple[list[str], dict[str, str], Path]:
    """The ``jupyter lab`` command line, environment and folder of ``evaluation lab``.

    Examples
    --------
    >>> cmd, env, root = lab_command(["--", "--no-browser"])
    >>> cmd[1:4], cmd[-1], env["PATH"].startswith(str(Path(sys.executable).parent))
    (['-m', 'jupyter', 'lab'], '--no-browser', True)
    """
    from ..paths import project_root

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


def cmd_lab(a: argparse.Namespace) -> int:
    """``evaluation lab``: JupyterLab at the project root (:func:`lab_command`).

    Examples
    --------
    Not run here (it starts a server); what follows ``--`` goes to ``jupyter lab``:

    >>> from evaluation.cli import build_parser
    >>> a = build_parser().parse_args(["lab", "--", "--no-browser"])
    >>> a.func is cmd_lab, lab_command(a.args)[0][-1]
    (True, '--no-browser')
    """
    import subprocess

    cmd, env, root = lab_command(a.args)
    print(f"JupyterLab at {root} (the report: reports/latest/index.html)")
    try:
        return subprocess.call(cmd, env=env, cwd=root)
    except KeyboardInterrupt:
        return 0


def cmd_scan(a: argparse.Namespace) -> int:
    """``evaluation scan``: 0 nothing found; 1 possible leaks; 2 something could not be
    scanned (never "0 leaks").

    Examples
    --------
    >>> from evaluation.cli import main
    >>> main(["scan", "evaluation/errors.py"])
    0 possible leak(s)
    0
    """
    from ..leaks import ScanError, scan_for_leaks

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
