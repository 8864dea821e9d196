"""Codebooks: the study's codebook loads; bad codebooks fail with file, line and what was expected."""

import pytest

from evaluation.coding import load_codebook
from evaluation.errors import CodebookError

from ..conftest import ROOT

GOOD = """codebook: {id: t, title: T, version: "1", language: sv}
codes:
  - id: a
    label: {sv: A, en: A}
    definition: d
    children:
      - id: a1
        label: {sv: A1, en: A1}
  - id: b
    label: {sv: B, en: B}
"""


def write(tmp_path, text):
    p = tmp_path / "cb.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_study_codebook():
    cb = load_codebook(ROOT / "codebooks" / "focus_groups.yaml")
    f = cb.to_frame()
    assert list(f.columns[:3]) == ["id", "parent", "depth"]
    assert {"label_sv", "label_en", "definition", "include", "exclude", "examples"} <= set(
        f.columns
    )
    assert set(cb.roots()) == {
        "flickor_narvaro",
        "trygghet_risk",
        "konst_gestaltning",
        "professionellt_arbete",
        "metodkonflikt",
    }
    assert f["id"].is_unique and (f["label_sv"] != "").all() and (f["definition"] != "").all()
    assert cb.path("exploatering") == "trygghet_risk/exploatering"
    assert cb.top("samverkan") == "professionellt_arbete"


def test_tree_and_frame(tmp_path):
    cb = load_codebook(write(tmp_path, GOOD))
    f = cb.to_frame()
    assert f[["id", "parent", "depth"]].values.tolist() == [
        ["a", "", 0],
        ["a1", "a", 1],
        ["b", "", 0],
    ]


def test_flat_parent_form_equals_nesting(tmp_path):
    flat = (
        GOOD.replace("    children:\n      - id: a1\n        label: {sv: A1, en: A1}\n", "")
        + "  - id: a1\n    parent: a\n    label: {sv: A1, en: A1}\n"
    )
    assert load_codebook(write(tmp_path, flat)).to_frame()[["id", "parent"]].values.tolist()[
        :2
    ] == [["a", ""], ["a1", "a"]]


@pytest.mark.parametrize(
    "mutate, line, words",
    [
        (lambda t: t.replace("  - id: b\n", "  - id: a1\n"), 9, "duplicate code id 'a1'"),
        (
            lambda t: t.replace("    label: {sv: B, en: B}", "    label: {sv: '', en: ''}"),
            10,
            "empty label",
        ),
        (
            lambda t: t.replace("    definition: d\n", "    definition: d\n    colour: red\n"),
            6,
            "unknown field",
        ),
        (
            lambda t: t.replace("    definition: d\n", "    definition: d\n    definition: e\n"),
            6,
            "duplicate key 'definition'",
        ),
        (lambda t: t.replace("  - id: b\n", "  - id: B-code\n"), 9, "not a valid id"),
        (lambda t: t.replace('version: "1", ', ""), 1, "codebook.version"),
    ],
)
def test_bad_codebooks(tmp_path, mutate, line, words):
    with pytest.raises(CodebookError) as exc:
        load_codebook(write(tmp_path, mutate(GOOD)))
    hit = [p for p in exc.value.problems if words in f"{p.column} {p.message}"]
    assert hit, str(exc.value)
    assert hit[0].line == line and hit[0].file.endswith("cb.yaml")


def test_parent_cycle(tmp_path):
    text = """codebook: {id: t, title: T, version: "1", language: sv}
codes:
  - {id: a, label: A, parent: b}
  - {id: b, label: B, parent: a}
"""
    with pytest.raises(CodebookError, match="cycle"):
        load_codebook(write(tmp_path, text))


def test_yaml_round_trip(tmp_path):
    cb = load_codebook(ROOT / "codebooks" / "focus_groups.yaml")
    cb.write_yaml(tmp_path / "out.yaml")
    again = load_codebook(tmp_path / "out.yaml")
    assert again.to_frame().equals(cb.to_frame())


def test_texts_per_language(tmp_path):
    """definition/include/exclude as {sv, en} like label; a plain text stays valid (issue 12)."""
    text = GOOD.replace(
        "    definition: d\n",
        "    definition: {sv: Prat om A, en: Talk about A}\n    include: {sv: När A, en: When A}\n",
    )
    cb = load_codebook(write(tmp_path, text))
    a = cb.codes["a"]
    assert a.definition == "Prat om A"  # the codebook's language (sv)
    assert a.text("definition", "en") == "Talk about A" and a.text("include", "sv") == "När A"
    f = cb.to_frame().set_index("id")
    assert f.loc["a", "definition_en"] == "Talk about A" and f.loc["a", "include_en"] == "When A"
    assert f.loc["b", "definition_sv"] == ""
    again = load_codebook(write(tmp_path, __import__("yaml").safe_dump(cb.to_dict())))
    assert again.codes["a"].texts == a.texts
    plain = load_codebook(write(tmp_path, GOOD)).codes["a"]
    assert plain.text("definition", "en") == "d"  # one text: shown in every language


def test_study_codebook_in_both_languages():
    f = load_codebook(ROOT / "codebooks" / "focus_groups.yaml").to_frame()
    for col in ("definition", "include", "exclude"):
        assert (f[f"{col}_sv"] != f[f"{col}_en"]).all(), col


def test_the_codebook_model_loads_no_schema_checks():
    """Importing the codebook (model and reader, by either path) loads neither pandera nor
    the CSV loaders (issue 17: the codebook is a plain model)."""
    import subprocess
    import sys

    code = (
        "import sys, evaluation.coding.codebook, evaluation.sources.codebook_reader;"
        "print(sorted(m for m in ('pandera', 'evaluation.sources.dataset',"
        " 'evaluation.sources._schema') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
