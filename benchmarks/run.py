"""Benchmarks of sergel-eval (``make bench``; not part of ``make test``).

Run times of the whole report, on the example data and on data 10x and 100x
larger (generated), as medians of several repetitions:

(a) cold run: ``evaluation run --force`` (parallel, default jobs = cores,
    preloaded kernels); (a') the same with ``--kernels fresh``
(b) warm run: the same again, nothing changed (everything from the cache)
(c) after touching one notebook (03_crime_and_safety's text changed)
(d) plain sequential papermill over the same notebooks (no HTML, no cache)
(e) the floor: the notebooks' own code, every cell, run in one Python process
    (an in-process IPython shell, inline figures) -- the same analyses, tables
    and figures with no kernels, no papermill, no notebook files, no HTML
(e0) for comparison, the analysis functions alone (``analyse_*`` and the
    synthesis), one process, no figures and no tables

The targets compare (a) with (e): what the notebook machinery costs on top of
the work the notebooks do. (e0) leaves out the figures and tables that the
report consists of.

and the component targets of the issues: validating a 10x data set, coding
analysis of 100 groups x 200 turns x 3 coders x 150 codes, and 1,000,000
count rows from files to a fitted model. Writes ``benchmarks/results.md``.

    python benchmarks/run.py [--scales 1 10 100] [--reps 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def project_copy(base: Path) -> Path:
    proj = base / "proj"
    for name in ("notebooks", "codebooks"):
        shutil.copytree(ROOT / name, proj / name)
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    return proj


def cli_run(proj: Path, data: Path, out: Path, *extra: str) -> None:
    env = dict(os.environ, SERGEL_EVAL_ROOT=str(proj))
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "evaluation.cli",
            "run",
            "--data",
            str(data),
            "--output",
            str(out),
            *extra,
        ],
        env=env,
        cwd=proj,
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        raise SystemExit(f"run failed:\n{res.stdout}\n{res.stderr}")


def papermill_sequential(proj: Path, data: Path, out: Path) -> None:
    code = f"""
import papermill, pathlib
out = pathlib.Path({str(out)!r}); out.mkdir(parents=True)
(out / "results").mkdir()
for nb in sorted(pathlib.Path({str(proj / "notebooks")!r}).glob("[0-9][0-9]_*.ipynb")):
    params = {{"data_dir": {str(data)!r}}}
    if "run_dir" in papermill.inspect_notebook(str(nb)):
        params["run_dir"] = str(out)
    papermill.execute_notebook(str(nb), str(out / nb.name), parameters=params, kernel_name="python3", cwd=str(nb.parent), progress_bar=False)
"""
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        env=dict(os.environ, SERGEL_EVAL_ROOT=str(proj)),
    )


FLOOR = """
import sys
from evaluation import load_dataset
from evaluation.analyses.site import analyse_site
from evaluation.analyses.focus import analyse_focus_groups
from evaluation.analyses.crime import analyse_crime
from evaluation.analyses.synthesis import evidence_table, plain_summary
ds = load_dataset(sys.argv[1])
res = {"01_site_observations": analyse_site(ds).results, "02_focus_groups": analyse_focus_groups(ds).results, "03_crime_and_safety": analyse_crime(ds).results}
evidence_table(res); plain_summary(res)
"""


def floor_analyses(data: Path) -> None:
    subprocess.run([sys.executable, "-c", FLOOR, str(data)], check=True, capture_output=True)


FLOOR_NOTEBOOKS = """
import json, os, sys, tempfile
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

class Shell(InteractiveShell):
    def enable_gui(self, gui=None):  # inline figures need no event loop
        pass

data, notebooks = sys.argv[1], sys.argv[2:]
run_dir = tempfile.mkdtemp(prefix="floor-")
shell = Shell.instance()
n_png = n_html = 0
for path in notebooks:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    shell.reset(new_session=False)
    with capture_output() as cap:
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            res = shell.run_cell("".join(cell["source"]))
            if not res.success:
                raise SystemExit(f"{path}: {res.error_in_exec or res.error_before_exec!r}")
            if "parameters" in cell["metadata"].get("tags", []):  # as papermill injects them
                shell.user_ns.update(data_dir=data, run_dir=run_dir)
    n_png += sum("image/png" in o.data for o in cap.outputs)
    n_html += sum("text/html" in o.data for o in cap.outputs)
if not (n_png and n_html):
    raise SystemExit(f"figures {n_png}, tables {n_html}: expected both")
print(n_png, n_html)
"""


def floor_notebooks(proj: Path, data: Path) -> None:
    nbs = sorted(str(p) for p in (proj / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    subprocess.run(
        [sys.executable, "-c", FLOOR_NOTEBOOKS, str(data), *nbs],
        check=True,
        capture_output=True,
        cwd=proj / "notebooks",
        env=dict(os.environ, SERGEL_EVAL_ROOT=str(proj)),
    )


def touch_notebook(proj: Path, k: int) -> None:
    import nbformat

    p = proj / "notebooks" / "03_crime_and_safety.ipynb"
    nb = nbformat.read(str(p), as_version=4)
    nb.cells[0].source = nb.cells[0].source.rstrip() + f"\n\n<!-- edit {k} -->"
    nbformat.write(nb, str(p))


def bench_scale(scale: int, reps: int, tmp: Path) -> dict[str, float]:
    from evaluation.synthetic import make_example_data

    data = (
        ROOT / "data" / "example"
        if scale == 1
        else make_example_data(tmp / f"data{scale}", scale=scale)
    )
    proj = project_copy(tmp / f"s{scale}")
    times: dict[str, list[float]] = {
        k: [] for k in ("cold", "fresh", "warm", "touched", "papermill", "floor", "analyses")
    }
    for r in range(reps):
        times["cold"].append(
            timed(lambda r=r: cli_run(proj, data, tmp / f"c{scale}-{r}", "--force"))
        )
        times["fresh"].append(
            timed(
                lambda r=r: cli_run(
                    proj, data, tmp / f"f{scale}-{r}", "--force", "--kernels", "fresh"
                )
            )
        )
        times["warm"].append(timed(lambda r=r: cli_run(proj, data, tmp / f"w{scale}-{r}")))
        touch_notebook(proj, r)
        times["touched"].append(timed(lambda r=r: cli_run(proj, data, tmp / f"t{scale}-{r}")))
        times["papermill"].append(
            timed(lambda r=r: papermill_sequential(proj, data, tmp / f"p{scale}-{r}"))
        )
        times["floor"].append(timed(lambda: floor_notebooks(proj, data)))
        times["analyses"].append(timed(lambda: floor_analyses(data)))
    return {k: statistics.median(v) for k, v in times.items()}


def components(tmp: Path) -> list[tuple[str, float, str]]:
    import numpy as np
    import pandas as pd

    from evaluation import load_dataset
    from evaluation.coding import (
        code_by_role,
        code_frequencies,
        cooccurrence,
        intercoder_reliability,
        primary_codings,
        saturation,
    )
    from evaluation.coding.codebook import codebook_from_dict
    from evaluation.sources import load_observations
    from evaluation.stats import rate_ratio_model
    from evaluation.stats.rates import session_totals
    from evaluation.synthetic import make_example_data

    out = []
    d10 = (
        tmp / "data10" if (tmp / "data10").exists() else make_example_data(tmp / "data10", scale=10)
    )
    out.append(
        ("validate a 10x data set (load_dataset)", timed(lambda: load_dataset(d10)), "< 5 s")
    )

    rng = np.random.default_rng(1)
    codes = [f"c{i:03d}" for i in range(150)]
    cb = codebook_from_dict(
        {
            "codebook": {"id": "b", "title": "b", "version": "1", "language": "sv"},
            "codes": [
                {
                    "id": f"t{j}",
                    "label": f"T{j}",
                    "children": [{"id": c, "label": c} for c in codes[j * 15 : (j + 1) * 15]],
                }
                for j in range(10)
            ],
        }
    )
    groups = [f"g{i:03d}" for i in range(100)]
    seg = pd.DataFrame(
        [
            (
                g,
                s,
                f"{g}:{s}",
                f"P{s % 5}",
                ["polis", "ungdomsjour", "faltassistent", "ordningsvakt"][s % 4],
                "text",
            )
            for g in groups
            for s in range(1, 201)
        ],
        columns=["group", "segment", "segment_id", "speaker", "role", "text"],
    )
    rows = []
    for g in groups:
        for s in range(1, 201):
            true = rng.choice(150, size=2, replace=False)
            for coder in ("k1", "k2", "k3"):
                for t in true:
                    if rng.random() < 0.9:
                        rows.append((g, s, codes[t], coder))
    cod = pd.DataFrame(rows, columns=["group", "segment", "code", "coder"])

    def coding():
        pc = primary_codings(cod)
        code_frequencies(pc, seg, cb)
        code_by_role(pc, seg, cb)
        cooccurrence(pc, cb)
        saturation(pc)
        intercoder_reliability(cod, seg, cb)

    out.append(
        (
            f"coding analysis: 100 groups x 200 turns x 3 coders x 150 codes ({len(cod):,} codings)",
            timed(coding),
            "< 10 s",
        )
    )

    d = tmp / "million"
    make_example_data(d, scale=max(1, 1_000_000 // 9_000))

    def model():
        o, _ = load_observations(d / "observations")
        from evaluation.sources import primary_sessions

        s = primary_sessions(o["sessions"])
        x = session_totals(
            o["counts"], s, {"gender": "female", "age_band": "13-18", "activity": "staying"}, "y"
        )
        x["date"] = x["date"].astype(str)
        rate_ratio_model(x, "y", "minutes", "activated + C(zone)", cluster="date")
        return len(o["counts"])

    n = {}
    t = timed(lambda: n.setdefault("rows", model()))
    out.append((f"{n['rows']:,} count rows from files to a fitted model", t, "< 20 s"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--scales",
        type=int,
        nargs="*",
        default=[1, 10, 100],
        help="data sizes; none: components only",
    )
    ap.add_argument(
        "--append",
        action="store_true",
        help="append to benchmarks/results.md instead of replacing it",
    )
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-components", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sergel-bench-"))
    lines = (
        []
        if a.append
        else [
            "# Benchmark results",
            "",
            f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
            f"Medians of {a.reps} repetitions (100x: 1). Written by `make bench` ({time.strftime('%Y-%m-%d %H:%M')}).",
            "",
            "| data | (a) cold | (a') cold, fresh kernels | (b) warm | (c) one notebook touched | (d) sequential papermill | (e) floor: notebook code in one process | (e0) analysis functions only | b/a | a/d | a/e | a/e0 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
    )
    cold = {}
    floors: dict[int, tuple[float, float]] = {}
    for scale in a.scales:
        print(f"scale {scale} ...", flush=True)
        t = bench_scale(scale, a.reps if scale < 100 else 1, tmp)
        cold[scale] = t["cold"]
        floors[scale] = (t["floor"], t["analyses"])
        lines.append(
            f"| {'example' if scale == 1 else f'{scale}x'} | {t['cold']:.1f} s | {t['fresh']:.1f} s | {t['warm']:.1f} s | {t['touched']:.1f} s | {t['papermill']:.1f} s | {t['floor']:.1f} s | {t['analyses']:.1f} s | {t['warm'] / t['cold']:.2f} | {t['cold'] / t['papermill']:.2f} | {t['cold'] / t['floor']:.2f} | {t['cold'] / t['analyses']:.2f} |"
        )
        print(lines[-1], flush=True)
    if a.scales:
        lines += [
            "",
            "Targets: warm <= 0.10 x cold (b/a); cold <= 0.7 x sequential papermill (a/d); cold <= 2 x floor (a/e); cold at 100x no more than linear in data size.",
            "",
            "The floor (e) runs every code cell of the notebooks in one Python process (an in-process "
            "IPython shell with inline figures): the same analyses, tables and figures, with no kernels, "
            "papermill, notebook files or HTML. (e0), the analysis functions alone without figures "
            "or tables, is shown for comparison: "
            + ", ".join(
                f"(e) is {floors[k][0] / floors[k][1]:.1f} x (e0) at {'example' if k == 1 else f'{k}x'}"
                for k in sorted(floors)
            )
            + ": the notebooks' figures and tables cost more than the analyses themselves. "
            "On two cores a parallel run can still beat (e) on large data, where the work outweighs start-up.",
            "",
        ]
    if len(cold) > 1:
        base = cold[min(cold)]
        lines.append(
            "Growth of the cold run: "
            + ", ".join(f"{s}x data -> {cold[s] / base:.1f}x time" for s in sorted(cold))
            + "."
        )
        lines.append("")
    if not a.no_components:
        lines += ["## Components", "", "| what | time | target |", "|---|---|---|"]
        for what, secs, target in components(tmp):
            lines.append(f"| {what} | {secs:.1f} s | {target} |")
            print(lines[-1], flush=True)
    target = ROOT / "benchmarks" / "results.md"
    old = target.read_text(encoding="utf-8") if a.append and target.exists() else ""
    target.write_text(old + "\n".join(lines) + "\n", encoding="utf-8")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {ROOT / 'benchmarks' / 'results.md'}")


if __name__ == "__main__":
    main()
