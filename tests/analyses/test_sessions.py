"""analyses.sessions: the sessions of 01 as every model sees them (site, conflict, sensitivity)."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.analyses.conflict import method_conflict_rates
from evaluation.analyses.sessions import per_session_table
from evaluation.analyses.site import analyse_site
from evaluation.errors import ModelError


def test_per_session_table_is_the_sites(example_ds):
    """The table the conflict and sensitivity functions build from a dataset (without running
    the whole site analysis) is analyse_site's, row for row."""
    site = analyse_site(example_ds)
    per = per_session_table(example_ds)
    pd.testing.assert_frame_equal(per, site.per_session)
    # a dataset and its SiteAnalysis give the same conflict rates
    pd.testing.assert_frame_equal(method_conflict_rates(example_ds), method_conflict_rates(site))


def test_per_session_table_follows_the_target_and_activation_states(example_ds):
    art = per_session_table(example_ds, activation_states=["art"])
    assert set(art["activation"]) == {"none", "art"}
    assert art["activated"].tolist() == (art["activation"] == "art").astype(int).tolist()


def test_no_observations_is_a_clear_error(example_ds):
    from types import SimpleNamespace as NS

    with pytest.raises(ModelError, match="no observations"):
        per_session_table(NS(observations=None, study=example_ds.study))
