"""evaluation new-study: a folder to fill in; validate on it says exactly what is missing."""

from __future__ import annotations

import shutil

import pytest

from evaluation.cli import main
from evaluation.errors import ParameterError
from evaluation.scaffold import new_study
from evaluation.sources import FILE_SPECS

from .conftest import EXAMPLE


def test_scaffold_has_every_file_with_its_header(tmp_path):
    d = new_study(tmp_path / "s")
    assert (d / "study.yaml").read_text(encoding="utf-8").startswith("# study.yaml")
    for spec in FILE_SPECS:
        assert (d / spec.path).read_text() == ",".join(f.name for f in spec.fields) + "\n"
        assert f"### {spec.path}" in (d / "README.md").read_text(encoding="utf-8")
    assert "codes: []" in (d / "focus_groups" / "codebook.yaml").read_text()


def test_new_study_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "x").write_text("keep me")
    with pytest.raises(ParameterError):
        new_study(tmp_path)
    assert (tmp_path / "x").read_text() == "keep me"


def test_validate_on_the_untouched_scaffold_lists_what_is_missing(tmp_path, capsys):
    d = tmp_path / "s"
    assert main(["new-study", str(d)]) == 0
    capsys.readouterr()
    assert main(["validate", "--data", str(d)]) == 1
    out = capsys.readouterr().out
    for needed in (
        "study.yaml:6: study.id: missing",
        "study.title.sv: missing or empty",
        "study.site.en: missing or empty",
        "study.period.start: missing",
        "target_group.gender: missing",
        "vocabularies.zones: empty",
        "vocabularies.areas: empty",
        "crime_areas.site: missing",
        "questions: empty",
        "the codebook has no codes",
        "no transcripts found",
        "observations/sessions.csv: no rows yet",
        "crime/reported.csv: no rows yet",
        "survey/safety.csv: no rows yet",
    ):
        assert needed in out, (needed, out)
    # nothing in the scaffold is reported as broken beyond what is missing
    assert "cannot be read" not in out and "Traceback" not in out


def test_filled_in_scaffold_validates(tmp_path, capsys):
    """Filled in with the example's files (and its codebook in the folder), it validates."""
    d = new_study(tmp_path / "s")
    for src in EXAMPLE.rglob("*"):
        rel = src.relative_to(EXAMPLE)
        if src.is_file():
            (d / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, d / rel)
    shutil.copyfile(
        EXAMPLE.parents[1] / "codebooks" / "focus_groups.yaml", d / "focus_groups" / "codebook.yaml"
    )
    text = (d / "study.yaml").read_text(encoding="utf-8")
    (d / "study.yaml").write_text(
        text.replace("  period:", "  codebook: focus_groups/codebook.yaml\n  period:", 1),
        encoding="utf-8",
    )
    assert main(["validate", "--data", str(d)]) == 0, capsys.readouterr().out
