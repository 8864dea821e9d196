"""The researcher's daily loop (issue 20): paths from the current folder, `evaluation clean`,
`evaluation lab` at the project root."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from .conftest import ROOT, cli


def test_paths_relative_to_the_current_folder(tmp_path):
    # from notebooks/, as a researcher in JupyterLab's terminal would type it
    # (--data and -p data_dir=... alike)
    res = cli(
        "run",
        "-q",
        "-p",
        "data_dir=../data/example",
        "--only",
        "00_data_quality",
        "--output",
        str(tmp_path / "a"),
        cwd=ROOT / "notebooks",
    )
    assert res.returncode == 0, res.stdout + res.stderr
    m = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert m["data_dir"] == str(ROOT / "data" / "example")
    # --output and --params relative to the current folder too
    (tmp_path / "mine.yaml").write_text("language: en\n")
    res = cli(
        "run",
        "-q",
        "--params",
        "mine.yaml",
        "--only",
        "00_data_quality",
        "--output",
        "b",
        cwd=tmp_path,
        env={"SERGEL_EVAL_ROOT": str(ROOT)},
    )
    assert res.returncode == 0, res.stdout + res.stderr
    m = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert m["parameters"]["language"] == "en"
    # a file that is not there: the message shows the absolute path tried
    res = cli("run", "--params", "nope.yaml", cwd=tmp_path, env={"SERGEL_EVAL_ROOT": str(ROOT)})
    assert res.returncode == 2 and str(tmp_path / "nope.yaml") in res.stderr


def _fake_runs(root: Path) -> Path:
    reports = root / "reports"
    for name in (
        "20240101-090000",
        "20240102-090000",
        "20240103-090000",
        "20240103-090000-2",
        "20240104-090000",
        "refresh-20240101-090000",
    ):
        (reports / name).mkdir(parents=True)
        (reports / name / "index.html").write_text("x")
    (reports / ".cache" / "nb").mkdir(parents=True)
    (reports / "20240101-090000" / "KEEP").write_text("")
    os.symlink("20240102-090000", reports / "latest")
    return reports


def test_clean_keeps_newest_latest_and_marked(tmp_path):
    proj = tmp_path / "proj"
    (proj / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", proj)
    reports = _fake_runs(proj)
    env = {"SERGEL_EVAL_ROOT": str(proj)}
    dry = cli("clean", "--keep", "1", "--dry-run", env=env, cwd=proj)
    assert dry.returncode == 0 and "would remove 2 run(s)" in dry.stdout
    assert (reports / "20240103-090000").exists()
    res = cli("clean", "--keep", "1", env=env, cwd=proj)
    assert res.returncode == 0, res.stderr
    left = sorted(p.name for p in reports.iterdir())
    assert left == sorted(
        [
            ".cache",  # never the cache
            "20240101-090000",  # marked KEEP
            "20240102-090000",  # reports/latest points here
            "20240104-090000",  # the newest
            "latest",
            "refresh-20240101-090000",  # not a run folder
        ]
    )
    assert cli("clean", "--keep", "-1", env=env, cwd=proj).returncode == 2


def test_lab_at_the_project_root_with_the_venv_on_path():
    from evaluation.cli import lab_command

    cmd, env, root = lab_command(["--", "--no-browser"])
    assert root == ROOT
    assert f"--ServerApp.root_dir={ROOT}" in cmd and cmd[-1] == "--no-browser"
    assert cmd[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    # the terminals get this PATH: a shell that is not a login shell (which would reset it)
    (shell_arg,) = [a for a in cmd if "terminado_settings" in a]
    from jupyter_server.serverapp import ServerApp

    app = ServerApp()
    app.parse_command_line([a for a in cmd[4:] if a != "--no-browser"])
    assert app.root_dir == str(ROOT)
    shell = app.terminado_settings["shell_command"]
    assert "-l" not in shell and "--login" not in shell, shell_arg
    res = cli("lab", "--help")
    assert res.returncode == 0 and "project root" in res.stdout


def test_validate_data_relative_to_the_current_folder(tmp_path):
    res = cli("validate", "--data", "../data/example", cwd=ROOT / "notebooks")
    assert res.returncode == 0 and res.stdout.startswith("VALID"), res.stdout + res.stderr
    res = cli("validate", "--data", "nowhere", cwd=tmp_path, env={"SERGEL_EVAL_ROOT": str(ROOT)})
    assert res.returncode == 1 and str(tmp_path / "nowhere") in res.stdout + res.stderr
