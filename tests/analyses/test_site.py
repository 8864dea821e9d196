"""analyse_site's covariates: the default adjustment set and covariates a data folder lacks."""

from __future__ import annotations

import shutil

import pandas as pd

from evaluation import load_dataset
from evaluation.analyses.site import DEFAULT_COVARIATES, analyse_site


def test_default_covariates_are_the_params_default(root):
    import yaml

    params = yaml.safe_load((root / "notebooks" / "params.yaml").read_text())
    assert params["covariates"] == list(DEFAULT_COVARIATES)


def test_covariates_the_sessions_lack_are_left_out_with_a_note(example_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(example_dir, data)
    f = data / "observations" / "sessions.csv"
    s = pd.read_csv(f, dtype=str, keep_default_na=False)
    s["weather"] = ""  # optional values: a data folder without weather
    s.loc[s.index[:3], "temperature_c"] = ""
    s.to_csv(f, index=False)
    site = analyse_site(load_dataset(data))
    assert site.results["covariates"] == ["zone", "observer"]
    notes = site.results["target_staying_rate_ratio"]["notes"]
    assert "covariate temperature_c left out: 3 session(s) without a value" in notes
    assert (
        f"covariate weather left out: {site.results['n_sessions']} session(s) without a value"
        in notes
    )
    assert site.results["target_staying_rate_ratio"]["estimate"] is not None
