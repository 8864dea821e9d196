"""The XLSForm: pyxform converts it without error or warning, in both languages."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pyxform.xls2xform import convert

from evaluation.cli import main
from evaluation.fieldwork.form import LANGUAGES, build_form, check_form, count_name, write_form
from evaluation.fieldwork.vocab import load_vocabulary
from evaluation.sources.codes import ACTIVITIES, GENDERS
from evaluation.sources.study import load_study

_EXAMPLE_STUDY = load_study(Path(__file__).resolve().parents[2] / "data" / "example")
AGE_BANDS = _EXAMPLE_STUDY.codes("age_bands")
INCIDENT_KINDS = _EXAMPLE_STUDY.codes("incident_kinds")


@pytest.fixture(scope="module")
def form_file(tmp_path_factory, example_dir):
    return write_form(tmp_path_factory.mktemp("form") / "observation_form.xlsx", example_dir)


def test_pyxform_converts_the_form_without_errors_or_warnings(form_file):
    warnings: list[str] = []
    result = convert(xlsform=str(form_file), warnings=warnings)
    assert warnings == []
    assert check_form(form_file) == []
    xform = result.xform
    for lang in LANGUAGES.values():
        assert f'lang="{lang}"' in xform
    # every count cell and every incident kind is a field of the XForm
    for a in ACTIVITIES:
        for g in GENDERS:
            for band in AGE_BANDS:
                assert f"<{count_name(a, g, band)}>" in xform
    for k in INCIDENT_KINDS:
        assert f"<i_{k}>" in xform


def test_form_offers_the_folder_zones_and_both_label_languages(form_file, example_dir):
    wb = openpyxl.load_workbook(form_file)
    assert wb.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in wb["survey"][1]]
    assert "label::Svenska (sv)" in header and "label::English (en)" in header
    rows = list(wb["choices"].iter_rows(min_row=2, values_only=True))
    zones = [r[1] for r in rows if r[0] == "zone"]
    expected = (example_dir / "observations" / "zones.csv").read_text().splitlines()[1:]
    assert zones == [line.split(",")[0] for line in expected]
    # every label is filled in both languages
    sv, en = header.index("label::Svenska (sv)"), header.index("label::English (en)")
    for row in wb["survey"].iter_rows(min_row=2, values_only=True):
        if row[0] != "end_group":
            assert row[sv] and row[en], row


def test_counts_are_non_negative_integers_with_a_no_one_seen_shortcut():
    survey = build_form(load_vocabulary())["survey"]
    by_name = {r["name"]: r for r in survey}
    cell = by_name[count_name("staying", "female", "13-18")]
    assert cell["type"] == "integer" and cell["default"] == "0"
    assert ". >= 0" in cell["constraint"]
    group = by_name["c_staying_female"]
    assert group["relevant"] == "${anyone_seen} = 'yes'"


def test_form_is_byte_reproducible(tmp_path, example_dir):
    a = write_form(tmp_path / "a.xlsx", example_dir).read_bytes()
    b = write_form(tmp_path / "b.xlsx", example_dir).read_bytes()
    assert a == b


def test_study_yaml_labels_take_precedence(tmp_path, example_dir):
    import shutil

    shutil.copytree(example_dir / "observations", tmp_path / "observations")
    study = (example_dir / "study.yaml").read_text(encoding="utf-8")
    study = study.replace(
        "plattan: {sv: Plattan, en: Plattan}", "plattan: {sv: Torget, en: The square}"
    )
    study = study.replace("art: {sv: konst, en: art}", "mural: {sv: väggmålning, en: mural}")
    (tmp_path / "study.yaml").write_text(study, encoding="utf-8")
    v = load_vocabulary(tmp_path)
    assert (v.zones[0].sv, v.zones[0].en) == ("Torget", "The square")
    # the activation kinds are the study's, whatever they are called (issue 16)
    assert v.codes("activations") == ["none", "mural", "event", "park", "pilot"]
    assert (v.activations[1].sv, v.activations[1].en) == ("väggmålning", "mural")


def test_a_broken_study_yaml_is_reported_with_its_line(tmp_path, example_dir):
    import shutil

    from evaluation.errors import DataError

    shutil.copytree(example_dir / "observations", tmp_path / "observations")
    (tmp_path / "study.yaml").write_text("study: [\n", encoding="utf-8")
    with pytest.raises(DataError, match="study.yaml"):
        load_vocabulary(tmp_path)


def test_without_a_study_the_kinds_come_from_the_calendar_or_are_generic(tmp_path, example_dir):
    import shutil

    shutil.copytree(example_dir / "observations", tmp_path / "observations")
    assert load_vocabulary(tmp_path).codes("activations") == ["none", "activation"]
    (tmp_path / "calendar.csv").write_text(
        "start,end,kind,name\n2024-06-01,2024-06-30,concert,Concerts\n"
        "2024-07-01,2024-07-05,policing,Operation\n",
        encoding="utf-8",
    )
    assert load_vocabulary(tmp_path).codes("activations") == ["none", "concert"]


def test_cli_form_writes_a_form_that_converts(tmp_path, example_dir, capsys):
    out = tmp_path / "f.xlsx"
    assert main(["observations", "form", "--data", str(example_dir), "--out", str(out)]) == 0
    assert "0 warning(s)" in capsys.readouterr().out
    assert check_form(out) == []


def test_cli_form_rejects_a_missing_folder_and_a_wrong_suffix(tmp_path, capsys):
    assert main(["observations", "form", "--data", str(tmp_path / "nope"), "--out", "x.xlsx"]) == 1
    assert "no such data folder" in capsys.readouterr().err
    assert main(["observations", "form", "--out", str(tmp_path / "x.xls")]) == 2
