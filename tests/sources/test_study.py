"""study.yaml: the typed Study, its checks with lines, the vocabularies it imposes on the data."""

from __future__ import annotations

import pytest

from evaluation.errors import DataError
from evaluation.sources import load_dataset
from evaluation.sources.study import VOCABULARIES, load_study, study_from_text
from evaluation.synthetic_study import STUDIES, write_study


def test_example_study_is_typed(example_dir):
    s = load_study(example_dir)
    assert set(s.vocabularies) == set(VOCABULARIES)
    assert s.target_age_band in s.codes("age_bands")
    assert s.site_area in s.codes("areas") and set(s.comparison_areas) <= set(s.codes("areas"))
    assert [q.id for q in s.questions] and all(q.text["sv"] and q.text["en"] for q in s.questions)
    # a goal with no results is kept (the report says: not assessed by these data)
    assert any(not g.results for g in s.goals)


def test_dataset_exposes_the_study(example_ds):
    assert example_ds.study is not None
    assert example_ds.study.site_area in set(example_ds.crime["reported"]["area"])


def test_generator_writes_the_study_byte_for_byte(tmp_path, example_dir):
    write_study(tmp_path, "sergels_torg")
    assert (tmp_path / "study.yaml").read_bytes() == (example_dir / "study.yaml").read_bytes()
    assert STUDIES["sergels_torg"].encode() == (example_dir / "study.yaml").read_bytes()


def _problems(text: str) -> list[str]:
    with pytest.raises(DataError) as e:
        study_from_text(text)
    return [str(p) for p in e.value.problems]


def test_problems_name_line_and_key(example_dir):
    text = (example_dir / "study.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    n = next(i for i, x in enumerate(lines) if x.strip().startswith("site:") and i > 60) + 1
    bad = text.replace(lines[n - 1], "  site: nowhere", 1)
    probs = _problems(bad)
    assert probs == [
        f"study.yaml:{n}: crime_areas.site: 'nowhere' is not an area of the study; expected"
        " the area that is the site (one of vocabularies.areas)"
    ]


def test_missing_texts_and_unknown_results_are_listed(example_dir):
    text = (example_dir / "study.yaml").read_text(encoding="utf-8")
    bad = text.replace("en: Whole and clean", "fr: Propre", 1).replace(
        "results: [its, survey_trend]", "results: [its, crime_rate]", 1
    )
    probs = _problems(bad)
    assert any("goals.whole_clean.text.en: missing or empty" in p for p in probs), probs
    assert any("goals.whole_clean.text.fr: unknown language" in p for p in probs), probs
    assert any("goals.safe.results: 'crime_rate' is not known" in p for p in probs), probs
    assert all(p.startswith("study.yaml:") and p.split(":")[1].isdigit() for p in probs), probs


def test_missing_study_yaml_is_an_error(data_copy):
    (data_copy / "study.yaml").unlink()
    with pytest.raises(DataError) as e:
        load_dataset(data_copy)
    assert "study.yaml: missing" in str(e.value) and "evaluation new-study" in str(e.value)


def test_codes_outside_the_study_are_errors(data_copy):
    p = data_copy / "observations" / "counts.csv"
    lines = p.read_text().splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[2], "12-17", 1)
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as e:
        load_dataset(data_copy)
    msg = str(e.value)
    assert "observations/counts.csv:2: age_band:" in msg and "13-18" in msg


def test_renamed_zone_follows_the_study(data_copy):
    """A zone renamed in zones.csv, sessions.csv and study.yaml loads, with the study's label."""
    from evaluation.i18n import label, use_study

    study = load_study(data_copy)
    old = study.codes("zones")[0]
    for rel in ("study.yaml", "observations/zones.csv", "observations/sessions.csv"):
        f = data_copy / rel
        f.write_text(f.read_text(encoding="utf-8").replace(old, "zone_x"), encoding="utf-8")
    ds = load_dataset(data_copy)
    assert "zone_x" in set(ds.observations["sessions"]["zone"])
    use_study(ds.study)
    try:
        assert label("zone_x", "en") == ds.study.vocabularies["zones"]["zone_x"]["en"]
    finally:
        use_study(None)


def test_parameters_default_to_the_study_and_must_name_its_codes(example_dir):
    from evaluation.errors import ParameterError
    from evaluation.sources.study import study_defaults

    s = load_study(example_dir)
    p = study_defaults(s, area=None, comparison_areas=None, target_age_band=None)
    assert (p["area"], tuple(p["comparison_areas"])) == (s.site_area, s.comparison_areas)
    assert p["target_age_band"] == s.target_age_band
    with pytest.raises(ParameterError, match="target_age_band: '13-19' is not one of"):
        study_defaults(s, target_age_band="13-19")
    with pytest.raises(ParameterError, match="comparison_areas: 'nowhere'"):
        study_defaults(s, comparison_areas=["nowhere"])


@pytest.mark.parametrize(
    "line, key",
    [
        ('  intervention: "2019-13"', "study.intervention"),
        ('  its_end: "dec 2022"', "study.its_end"),
    ],
)
def test_months_of_the_study_are_checked_with_their_line(example_dir, line, key):
    text = (example_dir / "study.yaml").read_text(encoding="utf-8")
    field = line.split(":")[0]
    lines = [ln for ln in text.splitlines() if not ln.startswith(field + ":")]
    at = lines.index("study:") + 1
    lines.insert(at, line)
    problems = _problems("\n".join(lines) + "\n")
    assert any(f"study.yaml:{at + 1}: {key}:" in p and "is not a month" in p for p in problems), (
        problems
    )


def test_its_end_and_survey_item_come_from_the_study(example_dir):
    from evaluation.sources.study import study_defaults

    s = load_study(example_dir)
    p = study_defaults(s, its_end=None, survey_item=None, intervention=None)
    assert (p["its_end"], p["survey_item"], p["intervention"]) == (
        s.its_end,
        s.survey_item,
        s.intervention,
    )
    assert s.its_end is not None and s.intervention is not None
    # a value given wins over the study's
    assert study_defaults(s, its_end="2021-12")["its_end"] == "2021-12"


def _rename_survey_item(folder, old: str, new: str) -> None:
    import re

    for rel in ("study.yaml", "survey/safety.csv"):
        f = folder / rel
        text = re.sub(rf"\b{old}\b", new, f.read_text(encoding="utf-8"))
        f.write_text(text, encoding="utf-8")


def test_renamed_survey_item_is_labelled_by_the_study(data_copy):
    """Issue 16: a survey item renamed (code and label) in study.yaml and safety.csv is shown by
    the study's label, not by its code (the catalogue knows no survey item)."""
    from evaluation.i18n import use_study
    from evaluation.labels import label

    _rename_survey_item(data_copy, "safe_evening", "trygg_kvall")
    f = data_copy / "study.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(
        text.replace("trygg på kvällen", "trygg en sen kväll").replace(
            "safe in the evening", "safe late at night"
        ),
        encoding="utf-8",
    )
    ds = load_dataset(data_copy)
    assert ds.study.survey_item == "trygg_kvall"
    assert "trygg_kvall" in set(ds.survey["item"])
    use_study(ds.study)
    try:
        assert label("trygg_kvall", "sv") == "trygg en sen kväll"
        assert label("trygg_kvall", "en") == "safe late at night"
        # the example's code means nothing to the toolkit itself
        assert label("safe_evening", "en") == "safe_evening"
    finally:
        use_study(None)


def test_example_survey_item_label_comes_from_the_study(example_dir):
    from evaluation.i18n import use_study
    from evaluation.labels import label

    assert label("safe_evening", "sv") == "safe_evening"
    use_study(load_study(example_dir))
    try:
        assert label("safe_evening", "sv") == "trygg på kvällen"
        assert label("safe_evening", "en") == "safe in the evening"
    finally:
        use_study(None)


def test_survey_item_outside_the_survey_items_is_an_error(example_dir):
    text = (example_dir / "study.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    n = next(i for i, x in enumerate(lines) if x.strip().startswith("survey_item:")) + 1
    probs = _problems(text.replace("survey_item: safe_evening", "survey_item: safe_at_noon", 1))
    assert probs == [
        f"study.yaml:{n}: crime_areas.survey_item: 'safe_at_noon' is not a survey item of the"
        " study; expected one of vocabularies.survey_items"
    ]


def test_survey_items_are_optional(example_dir):
    text = (example_dir / "study.yaml").read_text(encoding="utf-8")
    start = text.index("  survey_items:\n")
    end = text.index("  areas:\n", start)
    s = study_from_text(text[:start] + text[end:])
    assert "survey_items" not in s.vocabularies and s.survey_item == "safe_evening"


def test_survey_rows_must_use_the_studys_survey_items(data_copy):
    p = data_copy / "survey" / "safety.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    n = next(i for i, x in enumerate(lines) if ",safe_daytime," in x) + 1
    lines[n - 1] = lines[n - 1].replace(",safe_daytime,", ",safe_at_noon,")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        load_dataset(data_copy)
    msg = str(e.value)
    assert f"survey/safety.csv:{n}: item:" in msg and "safe_evening" in msg, msg
