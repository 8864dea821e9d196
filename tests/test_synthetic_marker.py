"""Issue 20.9: the SYNTHETIC marker carries the generator's fingerprint; a copy of the example
filled with other data is not called synthetic."""

from __future__ import annotations

import json
import shutil

import nbformat

from evaluation.marker import MARKER, data_fingerprint, synthetic_status

from .conftest import EXAMPLE, ROOT, cli


def test_example_marker_matches_its_files():
    text = (EXAMPLE / MARKER).read_text(encoding="utf-8")
    assert f"fingerprint: {data_fingerprint(EXAMPLE)}" in text
    assert synthetic_status(EXAMPLE) == "synthetic"


def test_changed_copy_is_not_synthetic(data_copy):
    assert synthetic_status(data_copy) == "synthetic"  # an exact copy is still the example
    p = data_copy / "observations" / "counts.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(",9\n", ",8\n", 1), encoding="utf-8")
    assert synthetic_status(data_copy) == "mismatch"
    (data_copy / MARKER).unlink()
    assert synthetic_status(data_copy) == "none"


def test_marker_without_fingerprint_is_not_trusted(data_copy):
    (data_copy / MARKER).write_text("SYNTHETIC EXAMPLE DATA\nseed: 2030\n", encoding="utf-8")
    assert synthetic_status(data_copy) == "mismatch"


def test_added_file_and_line_endings(data_copy):
    (data_copy / ".ipynb_checkpoints").mkdir()  # hidden: ignored
    assert synthetic_status(data_copy) == "synthetic"
    cal = data_copy / "calendar.csv"
    cal.write_bytes(cal.read_bytes().replace(b"\n", b"\r\n"))  # a CRLF checkout
    assert synthetic_status(data_copy) == "synthetic"
    (data_copy / "survey" / "extra.csv").write_text("x\n")
    assert synthetic_status(data_copy) == "mismatch"


def test_data_dictionary_documents_the_marker():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "## SYNTHETIC" in text and "fingerprint" in text


def test_run_on_a_changed_copy_is_not_called_synthetic(tmp_path):
    proj = tmp_path / "proj"
    (proj / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    shutil.copytree(EXAMPLE, proj / "data" / "mine")
    cal = proj / "data" / "mine" / "calendar.csv"
    cal.write_text(cal.read_text(encoding="utf-8") + "2026-06-01,2026-06-30,art,Ny\n", "utf-8")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny\n\nOne cell."),
        nbformat.v4.new_code_cell("data_dir = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(data_dir)"),
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, proj / "notebooks" / "00_tiny.ipynb")
    (proj / "notebooks" / "params.yaml").write_text("data_dir: data/mine\n")
    res = cli("run", "--no-cache", env={"SERGEL_EVAL_ROOT": str(proj)}, cwd=proj)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "does not match the files" in res.stdout + res.stderr
    man = json.loads((proj / "reports" / "latest" / "manifest.json").read_text())
    assert man["synthetic"] is False
    index = (proj / "reports" / "latest" / "index.html").read_text(encoding="utf-8")
    assert 'class="banner synthetic"' not in index
