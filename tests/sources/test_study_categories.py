"""Crime categories default from the study (``crime_areas.categories``; ``categories: null``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.errors import DataError, ParameterError
from evaluation.sources.study import study_defaults, study_from_text

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "data" / "example" / "study.yaml").read_text(encoding="utf-8")
LINE = "  categories: [violence, drug_offences]  # the crime categories analysed (default: all)\n"


def test_the_example_names_the_categories_it_analyses():
    assert LINE in TEXT
    s = study_from_text(TEXT)
    assert s.crime_categories == ("violence", "drug_offences")
    assert study_defaults(s, categories=None)["categories"] == ["violence", "drug_offences"]
    assert study_defaults(s, categories=["robbery"])["categories"] == ["robbery"]


def test_without_the_key_every_crime_category_of_the_study():
    s = study_from_text(TEXT.replace(LINE, ""))
    assert s.crime_categories == s.codes("crime_categories")
    assert len(s.crime_categories) > 2


def test_a_category_the_study_does_not_have():
    bad = TEXT.replace(LINE, "  categories: [violence, arson]\n")
    with pytest.raises(DataError) as e:
        study_from_text(bad)
    line = TEXT.splitlines().index(LINE.rstrip("\n")) + 1
    assert f"study.yaml:{line}: crime_areas.categories" in str(e.value)
    assert "arson" in str(e.value)
    with pytest.raises(ParameterError, match="categories: 'arson'"):
        study_defaults(study_from_text(TEXT), categories=["arson"])


def test_crime_analysis_takes_the_studys_categories():
    from evaluation import load_dataset
    from evaluation.analyses.crime import analyse_crime

    cr = analyse_crime(load_dataset(ROOT / "data" / "example-odenplan"), categories=None)
    assert list(cr.yearly) == ["violence", "drug_offences"]
