"""The methods appendix (issue 18 item 5): texts from the parameters and data, metadata, references."""

from __future__ import annotations

import json
import os

import pytest

from evaluation import load_dataset
from evaluation.analyses import methods
from evaluation.errors import DataError
from evaluation.yamlio import load_yaml_file

from ..conftest import EXAMPLE, ROOT

DEFAULTS = load_yaml_file(ROOT / "notebooks" / "params.yaml")


@pytest.fixture(scope="module")
def facts():
    return methods.study_facts(load_dataset(EXAMPLE))


def test_facts_count_the_example_data(facts):
    assert facts["zones"] == 5 and facts["groups"] >= 1 and facts["coders"] >= 2
    assert 250 <= facts["sessions"] <= 400 and facts["first"] < facts["last"]


def test_methods_text_follows_the_parameters(facts):
    base = methods.methods_text(DEFAULTS, facts, "sv")
    assert f"{facts['sessions']} pass i 5 zoner" in base
    assert "högst 1,2" in base and "Cameron och Trivedis (1990)" in base  # family rule, auto
    assert "”<5”" in base and "mellan 1 och 4" in base
    assert "modellens egna" in base
    other = dict(DEFAULTS, count_family="negbin", hac_lags=3, min_cell=7, min_quote_group=4)
    text = methods.methods_text(other, facts, "en")
    assert "Model family: negative binomial." in text
    assert "Newey–West robust with 3 months of lag" in text
    assert "“<7”" in text and "1 to 6 people" in text and "at least 4 participants" in text
    assert "0.667" in text and "at least 0.8 " in text  # Krippendorff's thresholds


def test_methods_text_says_a_source_is_absent():
    text = methods.methods_text(DEFAULTS, {}, "en")
    assert "No data: the site observations are not in the data folder." in text
    assert "No data: the focus groups are not in the data folder." in text


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_metadata_study_yaml_first_then_report_yaml(tmp_path):
    meta = methods.report_metadata(tmp_path, "sv")
    assert meta.authors == [] and meta.ethics is None and meta.source == {}
    table = methods.metadata_table(meta, "sv")
    assert (table.iloc[:, 1] == "inte angivet").all()
    assert "inte angiven" in methods.ethics_text(meta, 5, "sv")
    _write(tmp_path / "report.yaml", "authors: [A. Author, {name: B. Author, affiliation: SLU}]\n"
           "commissioned_by: Norrmalms stadsdelsförvaltning\nethics: {sv: Prövad., en: Reviewed.}\n")  # fmt: skip
    _write(tmp_path / "study.yaml", "name: x\ncommissioner: Kulturförvaltningen\n")
    meta = methods.report_metadata(tmp_path, "en")
    assert meta.authors == ["A. Author", "B. Author (SLU)"]
    assert meta.commissioned_by == "Kulturförvaltningen"  # study.yaml wins
    assert meta.ethics == "Reviewed."
    assert meta.source == {
        "commissioned_by": "study.yaml",
        "authors": "report.yaml",
        "ethics": "report.yaml",
    }
    assert "study.yaml and report.yaml" in methods.metadata_note(meta, "en")
    assert methods.ethics_text(meta, 5, "en").startswith("**Ethics.** Reviewed.")


def test_bad_metadata_names_file_and_field(tmp_path):
    _write(tmp_path / "report.yaml", "ethics: [1, 2]\n")
    with pytest.raises(DataError, match=r"report\.yaml.*ethics"):
        methods.report_metadata(tmp_path)
    _write(tmp_path / "report.yaml", "- a list\n")
    with pytest.raises(DataError, match=r"report\.yaml.*mapping"):
        methods.report_metadata(tmp_path)


def test_metadata_link_out_of_the_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.yaml"
    _write(secret, "ethics: secret-value\n")
    data = tmp_path / "data"
    data.mkdir()
    os.symlink(secret, data / "report.yaml")
    with pytest.raises(DataError, match="outside") as e:
        methods.report_metadata(data)
    assert "secret-value" not in str(e.value)


def test_repository_references_are_complete():
    items = methods.load_references()
    ids = {it["id"] for it in items}
    assert {"lopezbernal2017", "krippendorff2004", "cameron1990", "wilson1927", "garwood1936",
            "mckenzie2006"} <= ids  # fmt: skip
    refs = methods.reference_list(items, "en")
    assert refs == sorted(refs, key=str.lower)
    lb = next(r for r in refs if r.startswith("Lopez Bernal"))
    # the tutorial's details (Int J Epidemiol 2017;46(1):348-355)
    assert "(2017)" in lb and "46(1), 348–355" in lb and "10.1093/ije/dyw098" in lb


def test_bad_reference_file_names_item_and_field(tmp_path):
    bad = tmp_path / "refs.json"
    bad.write_text(json.dumps([{"id": "x", "type": "book", "title": "T"}]))
    with pytest.raises(DataError, match=r"refs\.json.*item 1 \(x\): author"):
        methods.load_references(bad)
    bad.write_text("[{]")
    with pytest.raises(DataError, match="not valid JSON"):
        methods.load_references(bad)
    bad.write_text(
        json.dumps([{"id": "x", "type": "book", "title": "T", "author": [{"literal": "A"}]}] * 2)
    )
    with pytest.raises(DataError, match="defined twice"):
        methods.load_references(bad)


def test_glossary_in_both_languages():
    sv, en = methods.glossary("sv"), methods.glossary("en")
    assert len(sv) == len(en) == len(methods.GLOSSARY_TERMS)
    assert sv.iloc[:, 1].str.len().min() > 20


def test_example_report_metadata_is_the_generators():
    assert (EXAMPLE / "report.yaml").read_text(encoding="utf-8") == methods.EXAMPLE_REPORT_YAML
    meta = methods.report_metadata(EXAMPLE, "sv")
    assert (
        meta.ethics.startswith("Exempeldata är syntetiska")
        and meta.source["ethics"] == "report.yaml"
    )
    assert "Etik." in methods.ethics_text(meta, 5, "sv")
