"""Dataset-level sensitivity tables of 01 and 03 on the example data."""

import json

import numpy as np
import pytest

from evaluation.analyses.sensitivity import (
    attach_sensitivity,
    crime_and_survey_sensitivity,
    crime_sensitivity,
    robustness_summary,
    robustness_table,
    sensitivity_records,
    sensitivity_tables,
    site_sensitivity,
    survey_sensitivity,
)
from evaluation.analyses.site import analyse_site
from evaluation.stats.sensitivity import SENSITIVITY_COLUMNS


@pytest.fixture(scope="module")
def crime_table(example_ds):
    return crime_sensitivity(example_ds, categories=("violence",), comparison_areas=("stockholm",))


def test_in_time_placebos_not_significant_on_example(crime_table):
    """Issue 15: an in-time placebo at a date with no intervention is not significant on the
    example data (placebos over 2015-2019 pre-period; the activation began 2019-06)."""
    plac = crime_table[crime_table["variant"].str.startswith("placebo=")]
    assert len(plac) == 6  # 3 dates x (single, comparative)
    assert ((plac["ci_low"] <= 1) & (plac["ci_high"] >= 1)).all(), plac


def test_crime_main_rows_match_the_analysis(example_ds, crime_table):
    from evaluation.analyses.crime import analyse_crime

    cr = analyse_crime(example_ds, categories=("violence",), comparison_areas=("stockholm",))
    t = crime_table.set_index(["estimate", "variant"])
    for key in ("violence", "violence_vs_stockholm"):
        got = t.loc[(f"{key}.level_change", "main")]
        exp = cr.results["its"][key]["level_change"]
        assert got["value"] == pytest.approx(exp["estimate"], rel=1e-9)
        assert got["ci_low"] == pytest.approx(exp["ci_low"], rel=1e-9)
    assert {"its_end=2021-12", "its_end=none", "transition=3", "seasonality=none"} <= set(
        crime_table["variant"]
    )
    assert not crime_table.attrs["errors"], crime_table.attrs["errors"]


def test_site_table_matches_analysis_and_compares_kinds(example_ds):
    site = analyse_site(example_ds)
    s = site_sensitivity(site, outcomes=("target_staying",))
    assert list(s.columns) == SENSITIVITY_COLUMNS
    t = s.set_index("variant")
    main = site.results["target_staying_rate_ratio"]
    assert t.loc["main", "value"] == pytest.approx(main["estimate"], rel=1e-9)
    assert t.loc["main", "ci_high"] == pytest.approx(main["ci_high"], rel=1e-9)
    assert {"activation=art", "activation=event", "activation=park", "clusters=none"} <= set(
        t.index
    )
    # the default adjustment set, none, each adjustment left out in turn, and each other
    # plausible confounder added in turn (issue 15 item 7: with and without the adjustments)
    main_set = site.results["covariates"]
    assert main_set == ["zone", "weather", "temperature_c", "observer"]
    dropped = {"covariates=" + "+".join(c for c in main_set if c != d) for d in main_set}
    added = {"covariates=" + "+".join([*main_set, c]) for c in ("daypart", "weekend")}
    assert {"covariates=none", *dropped, *added} <= set(t.index)
    rec = sensitivity_records(s)
    assert set(rec[0]) == set(SENSITIVITY_COLUMNS)
    json.dumps(rec)  # plain JSON


def test_survey_and_robustness(example_ds):
    v = survey_sensitivity(example_ds, areas=["sergels_torg"])
    assert set(v["variant"]) >= {"main", "ci=z", "without=2015"}
    r = robustness_table(v)
    assert r.loc[0, "estimate"] == "survey_trend.sergels_torg"
    assert r.loc[0, "variants"] == len(v) - 1
    assert np.isfinite(r.loc[0, "min"])


def test_attach_puts_the_rows_into_the_record(example_ds):
    site = analyse_site(example_ds)
    table = site_sensitivity(site, outcomes=("target_staying",))
    attach_sensitivity(site, table)
    assert len(site.record.sensitivity) == len(table) == len(site.results["sensitivity"])
    assert site.record.sensitivity[0].estimate == "target_staying_rate_ratio"
    assert site.record.sensitivity[0].variant == "main"


def test_tables_for_the_report_are_in_words(example_ds):
    table = site_sensitivity(analyse_site(example_ds), outcomes=("drug_sale",))
    (caption, rows), *_ = sensitivity_tables(table, "sv")
    assert caption.startswith("Observerad narkotikaförsäljning")
    assert rows["variant"].iloc[0] == "huvudanalys" and "=" not in "".join(rows["variant"])
    summary = robustness_summary(table, "en")
    assert summary["direction_robust"].iloc[0] in ("yes", "no", "–")


def test_crime_and_survey_rows_without_a_source(example_ds):
    import dataclasses

    no_crime = dataclasses.replace(example_ds, crime=None)
    t = crime_and_survey_sensitivity(no_crime, categories=("violence",), comparison_areas=())
    assert len(t) and t["estimate"].str.startswith("survey_trend.").all()
    empty = crime_and_survey_sensitivity(dataclasses.replace(no_crime, survey=None))
    assert empty.empty and list(empty.columns) == SENSITIVITY_COLUMNS
