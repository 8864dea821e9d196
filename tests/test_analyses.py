"""The per-notebook analysis helpers that tables and figures are built from."""

import pytest

from evaluation.analyses.crime import analyse_crime
from evaluation.analyses.focus import analyse_focus_groups, role_shares


@pytest.fixture(scope="module")
def crime(example_ds):
    return analyse_crime(example_ds)


def test_comparison_table_matches_the_fitted_models(crime):
    t = crime.comparison_table()
    assert list(t.columns) == [
        "category",
        "comparison",
        "effect",
        "rate_ratio",
        "ci_low",
        "ci_high",
        "p_value",
        "family",
    ]
    assert len(t) == 2 * 2 * 2  # categories x comparison areas x (level, slope)
    row = t[
        (t["category"] == "violence")
        & (t["comparison"] == "odenplan")
        & (t["effect"] == "level change")
    ].iloc[0]
    ref = crime.its[("violence", "odenplan")].effects.loc["level_change"]
    assert row["rate_ratio"] == ref["rate_ratio"] and row["ci_low"] == ref["ci_low"]


def test_comparison_table_skips_models_that_failed(example_ds):
    t = analyse_crime(
        example_ds, intervention="2016-03"
    ).comparison_table()  # too few months before
    assert t.empty


def test_role_shares(example_ds):
    fg = analyse_focus_groups(example_ds, language="en")
    cb = example_ds.codebook
    from evaluation.i18n import use_study

    use_study(example_ds.study)  # role labels come from study.yaml (open_study in 02)
    try:
        themes = role_shares(fg.by_role, cb, "theme", "en")
    finally:
        use_study(None)
    assert list(dict.fromkeys(themes["code"])) == cb.roots()
    roles = example_ds.study.vocabularies["roles"]
    assert set(themes["role"]) == {roles[r]["en"] for r in set(fg.by_role["role"])}
    assert "field assistant" in set(themes["role"])
    codes = role_shares(fg.by_role, cb, "code", "en")
    assert not set(codes["code"]) & set(cb.roots())
    x = fg.by_role.set_index(["code", "role"]).loc[("metodkonflikt", "polis"), "share"]
    assert themes.set_index(["code", "role"]).loc[("metodkonflikt", "police"), "share"] == x
    with pytest.raises(ValueError):
        role_shares(fg.by_role, cb, "leaf")


def test_coverage_counts_each_source_and_names_missing_ones(example_ds):
    import dataclasses

    from evaluation.analyses.quality import coverage

    t = coverage(example_ds).set_index("source")
    assert list(t.index) == ["calendar", "observations", "focus_groups", "crime", "survey"]
    assert t["present"].all()
    cal = example_ds.calendar
    n_pol = int((cal["kind"] == "policing").sum())
    assert t.loc["calendar", "rows"] == len(cal)
    assert t.loc["calendar", "notes"] == (
        f"{len(cal) - n_pol} activation periods, {n_pol} co-interventions"
    )
    sessions = example_ds.observations["sessions"]
    assert t.loc["observations", "from"] == f"{sessions['date'].min():%Y-%m-%d}"
    assert t.loc["crime", "rows"] == len(example_ds.crime["reported"])

    without = coverage(dataclasses.replace(example_ds, survey=None, focus_groups=None))
    missing = without[~without["present"]]
    assert list(missing["source"]) == ["focus_groups", "survey"]
    assert (missing["rows"] == 0).all() and (missing["notes"] == "missing").all()


def test_coverage_notes_in_the_report_language(example_ds):
    import dataclasses

    from evaluation.analyses.quality import coverage

    cal = example_ds.calendar
    n_pol = int((cal["kind"] == "policing").sum())
    sv = coverage(example_ds, "sv").set_index("source")
    assert sv.loc["calendar", "notes"] == (
        f"{len(cal) - n_pol} aktiveringsperioder, {n_pol} samtidiga insatser"
    )
    without = coverage(dataclasses.replace(example_ds, survey=None), "sv").set_index("source")
    assert without.loc["survey", "notes"] == "saknas"


def test_site_texts_follow_the_parameters(example_ds):
    from evaluation.analyses.findings import site_co_interventions, site_reading, target_group
    from evaluation.analyses.site import analyse_site

    site = analyse_site(example_ds, target_age_band="19-29")
    assert target_group(site.record.target, "sv") == "flickor 19–29 år"
    reading = site_reading(site.record, "en")
    assert "19–29" in reading and "13–18" not in reading
    # the co-interventions named are those in the calendar that overlap the observations
    names = set(example_ds.calendar.loc[example_ds.calendar["kind"] == "policing", "name"])
    text = site_co_interventions(site.record, "en")
    first, last = site.record.period["first"], site.record.period["last"]
    overlapping = {
        e.name for e in site.record.co_interventions if e.start <= last and e.end >= first
    }
    assert overlapping <= names and all(n in text for n in overlapping)
