"""The results contract (evaluation.results): records, direction, envelope, validated reading."""

from __future__ import annotations

import json

import pytest

from evaluation.errors import DataError
from evaluation.results import (
    SCHEMA,
    Check,
    CoIntervention,
    Estimate,
    RateRatioEstimate,
    SiteResults,
    SynthesisResults,
    direction,
    envelope,
    parse,
    read_results,
    starts_within,
    write_results,
)


# (estimate, ci_low, ci_high, scale, expected): the CI against the null decides
@pytest.mark.parametrize(
    "est, lo, hi, scale, expected",
    [
        (1.8, 1.4, 2.3, "ratio", "increase"),
        (0.6, 0.45, 0.8, "ratio", "decrease"),
        (1.1, 0.9, 1.3, "ratio", "no_clear_change"),
        (1.2, 1.0, 1.4, "ratio", "no_clear_change"),  # touching the null is not excluding it
        (0.8, 0.6, 1.0, "ratio", "no_clear_change"),
        (0.3, 0.1, 0.5, "difference", "increase"),
        (-0.3, -0.5, -0.1, "difference", "decrease"),
        (0.1, -0.2, 0.4, "difference", "no_clear_change"),
        (None, None, None, "ratio", "no_clear_change"),
        (1.5, None, None, "ratio", "no_clear_change"),  # no CI: nothing is excluded
        (1.5, float("nan"), 2.0, "ratio", "no_clear_change"),
    ],
)
def test_direction_from_the_ci_against_the_null(est, lo, hi, scale, expected):
    assert direction(Estimate("m", est, lo, hi, scale=scale)) == expected


def test_direction_uses_a_given_null_value_and_refuses_a_share_without_one():
    assert direction(Estimate("m", 0.6, 0.55, 0.65, scale="share", null_value=0.5)) == "increase"
    with pytest.raises(ValueError, match="no null value"):
        direction(Estimate("m", 0.6, 0.55, 0.65, scale="share"))
    with pytest.raises(ValueError, match="scale"):
        Estimate("m", 1.0, scale="odds")


def test_estimate_round_trip_keeps_checks_and_subclass_fields():
    e = RateRatioEstimate(
        "target_staying_rate_ratio",
        1.9,
        1.5,
        2.4,
        1e-9,
        family="negbin",
        n=300,
        checks=[Check("overdispersion", True, 1.4, 1.25)],
        n_sessions=300,
        dispersion=1.4,
    )
    d = e.to_dict()
    # issue 5's contract fields are all there, plus the new ones
    for k in ("estimate", "ci_low", "ci_high", "p_value", "family", "n_sessions"):
        assert k in d
    assert d["scale"] == "ratio" and d["null_value"] == 1.0
    assert d["checks"] == [
        {"name": "overdispersion", "passed": True, "value": 1.4, "threshold": 1.25}
    ]
    assert RateRatioEstimate.from_dict(d) == e


def test_starts_within_counts_only_what_starts_inside_the_period():
    cam = CoIntervention("cameras", "policing", "2019-03-01", "2025-12-31")
    op = CoIntervention("operation", "policing", "2022-09-05", "2022-11-30")
    assert starts_within([cam, op], "2016-01", "2022-12") == [cam, op]
    assert starts_within([cam, op], "2022-05-16", "2022-08-31") == []  # cameras run throughout
    assert starts_within([cam, op], "2022-05-16", "2022-09-05") == [op]  # the last day counts
    assert starts_within([cam], None, "2022-12") == []


def test_write_then_read_gives_the_envelope(tmp_path):
    rec = SiteResults(target_staying_rate_ratio=RateRatioEstimate("t", 1.2, 1.1, 1.3))
    out = write_results(tmp_path, "01_site_observations", rec)
    payload = read_results(tmp_path / "results", "01_site_observations")
    assert out.name == "01_site_observations.json"
    assert payload["schema"] == SCHEMA == 1
    assert payload["notebook"] == "01_site_observations"
    assert payload["incomplete"] == [] and payload["sensitivity"] == []
    assert "inputs" in payload
    back = parse(payload)
    assert isinstance(back, SiteResults)
    assert back.target_staying_rate_ratio.estimate == 1.2
    assert write_results("", "01_site_observations", rec) is None  # no run folder: nothing


def test_a_missing_source_is_marked_incomplete():
    p = envelope("02_focus_groups", {"missing": "focus_groups"})
    assert p["incomplete"] == [{"result": "02_focus_groups", "why": "source missing: focus_groups"}]


def _write(tmp_path, payload, name="01_site_observations"):
    (tmp_path / f"{name}.json").write_text(
        payload if isinstance(payload, str) else json.dumps(payload)
    )


@pytest.mark.parametrize(
    "payload, key, text",
    [
        ({"notebook": "01_site_observations"}, "schema", "no schema version"),
        ({"schema": 2, "notebook": "01_site_observations"}, "schema", "schema version 2"),
        ({"schema": 1, "notebook": "03_crime_and_safety"}, "notebook", "03_crime_and_safety"),
        (
            {"schema": 1, "notebook": "01_site_observations", "incomplete": [{"result": "x"}]},
            "incomplete[0].why",
            "missing",
        ),
        (
            {"schema": 1, "notebook": "01_site_observations", "incomplete": [], "sensitivity": {}},
            "sensitivity",
            "a list",
        ),
        ("{not json", "(file)", "not valid JSON"),
        ("[1, 2]", "(top level)", "a JSON object"),
    ],
)
def test_read_results_refuses_other_schemas_and_malformed_files(tmp_path, payload, key, text):
    _write(tmp_path, payload)
    with pytest.raises(DataError) as err:
        read_results(tmp_path, "01_site_observations")
    p = err.value.problems[0]
    assert p.file.endswith("01_site_observations.json") and p.column == key
    assert text in str(err.value)


def test_parse_names_the_key_with_a_wrong_type():
    p = envelope(
        "01_site_observations", {"target_staying_rate_ratio": {"measure": "t", "estimate": "big"}}
    )
    with pytest.raises(DataError, match=r"target_staying_rate_ratio\.estimate"):
        parse(p)


def test_absent_results_are_none(tmp_path):
    assert read_results(tmp_path, "01_site_observations") is None
    assert read_results("", "01_site_observations") is None


def test_report_re_exports_the_same_functions():
    from evaluation import report, results

    assert report.write_results is results.write_results
    assert report.read_results is results.read_results


def test_synthesis_record_keeps_the_contract_vocabulary():
    bad = envelope("04_synthesis", {"language": "sv", "findings": [{
        "question": "q", "source": "s", "measure": "m", "estimate": None, "ci_low": None,
        "ci_high": None, "direction": "unclear", "strength": "weak", "text": "",
    }]})  # fmt: skip
    with pytest.raises(DataError, match="direction"):
        parse(bad)
    assert isinstance(parse(envelope("04_synthesis", {"language": "en"})), SynthesisResults)
