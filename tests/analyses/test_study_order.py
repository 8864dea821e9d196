"""Issue 16: renaming a study's codes consistently changes nothing but the labels.

Tables and lists of zones, roles and activation kinds follow the order of
``study.yaml``, not the alphabetical order of the codes: the example's zones
and roles are renamed so that their alphabetical order is reversed, and every
table must come out in the same order (of labels) with the same numbers.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from evaluation import load_dataset
from evaluation.i18n import use_study
from evaluation.sources.order import order_activation, order_codes, order_index, order_rows
from evaluation.sources.study import load_study

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example"


def _reversing(codes) -> dict[str, str]:
    """New names whose alphabetical order is the reverse of the old ones'."""
    return {c: f"{chr(ord('z') - i)}_{c}" for i, c in enumerate(sorted(codes))}


def _rename_column(path: Path, column: str, new: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    at = rows[0].index(column)
    for r in rows[1:]:
        if r and r[at] in new:
            r[at] = new[r[at]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _rename_yaml_keys(path: Path, vocabulary: str, new: dict[str, str]) -> None:
    """Rename the codes of one vocabulary of ``study.yaml`` (its block of ``vocabularies:``)."""
    text = path.read_text(encoding="utf-8")
    block = re.search(rf"(?ms)^  {vocabulary}:\n(.*?)(?=^  \S)", text)
    assert block is not None, vocabulary
    body = block.group(1)
    for old, name in new.items():
        body, n = re.subn(rf"(?m)^(    ){re.escape(old)}:", rf"\g<1>{name}:", body)
        assert n == 1, old
    path.write_text(text[: block.start(1)] + body + text[block.end(1) :], encoding="utf-8")


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    """A copy of the example with its zones and roles renamed (alphabetical order reversed)."""
    study = load_study(EXAMPLE)
    dst = tmp_path_factory.mktemp("renamed") / "data"
    shutil.copytree(EXAMPLE, dst)
    zones, roles = _reversing(study.codes("zones")), _reversing(study.codes("roles"))
    _rename_yaml_keys(dst / "study.yaml", "zones", zones)
    _rename_yaml_keys(dst / "study.yaml", "roles", roles)
    _rename_column(dst / "observations" / "sessions.csv", "zone", zones)
    _rename_column(dst / "observations" / "zones.csv", "zone", zones)
    geo = dst / "observations" / "zones.geojson"
    text = geo.read_text(encoding="utf-8")
    for old, name in zones.items():
        text = text.replace(f'"zone": "{old}"', f'"zone": "{name}"')
    geo.write_text(text, encoding="utf-8")
    _rename_column(dst / "focus_groups" / "participants.csv", "role", roles)
    return dst, zones, roles


def test_renamed_codes_give_the_same_tables_in_the_study_order(renamed, example_ds):
    from evaluation.analyses.focus import analyse_focus_groups
    from evaluation.analyses.site import analyse_site

    dst, zones, roles = renamed
    ds = load_dataset(dst)
    # the renaming does reverse the alphabetical order (else the test could not fail)
    assert sorted(zones.values()) == [zones[c] for c in sorted(zones, reverse=True)]
    try:
        use_study(example_ds.study)
        a_site, a_fg = analyse_site(example_ds), analyse_focus_groups(example_ds)
        use_study(ds.study)
        b_site, b_fg = analyse_site(ds), analyse_focus_groups(ds)
    finally:
        use_study(None)
    study_zones = list(example_ds.study.codes("zones"))
    back = {v: k for k, v in zones.items()}
    for a, b in (
        (a_site.rates_zone, b_site.rates_zone),
        (a_site.co_presence_zone, b_site.co_presence_zone),
    ):
        assert list(dict.fromkeys(a["zone"])) == study_zones
        assert list(dict.fromkeys(b["zone"].map(back))) == study_zones
        pd.testing.assert_frame_equal(a.drop(columns="zone"), b.drop(columns="zone"))
    assert list(a_site.people_by_zone.index) == study_zones
    assert [back[z] for z in b_site.people_by_zone.index] == study_zones
    assert a_site.people_by_zone.to_numpy().tolist() == b_site.people_by_zone.to_numpy().tolist()
    # roles: the results list, the roles table and code x role follow study.yaml
    had = set(example_ds.focus_groups["participants"]["role"])
    study_roles = [r for r in example_ds.study.codes("roles") if r in had]
    rback = {v: k for k, v in roles.items()}
    assert a_fg.results["roles"] == study_roles
    assert [rback[r] for r in b_fg.results["roles"]] == study_roles
    assert list(a_fg.roles["role"]) == study_roles
    assert [rback[r] for r in b_fg.roles["role"]] == study_roles
    assert list(dict.fromkeys(a_fg.by_role["role"])) == study_roles
    assert list(dict.fromkeys(b_fg.by_role["role"].map(rback))) == study_roles
    pd.testing.assert_frame_equal(
        a_fg.by_role.drop(columns="role"), b_fg.by_role.drop(columns="role")
    )


def test_role_list_leaves_out_roles_nobody_had_whatever_their_code(renamed):
    dst, _, roles = renamed
    study = load_study(dst)
    ds = load_dataset(dst)
    present = ds.focus_groups["participants"]["role"]
    # the example's catch-all role ("other", renamed) has no participants: not listed
    assert study.role_list("sv", present=present) == (
        "polis, Ungdomsjouren, fältassistent och ordningsvakt"
    )
    assert "annan" in study.role_list("sv")  # without the participants: every role


def test_order_codes_follows_the_study_and_keeps_unknown_codes_last():
    from types import SimpleNamespace as NS

    s = NS(
        codes=lambda v: {"zones": ("c", "a", "b"), "activation_kinds": ("park", "art")}.get(v, ())
    )
    assert order_codes(["a", "x", "b", "c", "w"], "zones", s) == ["c", "a", "b", "x", "w"]
    assert order_codes(["b", "a"], "zones") == ["b", "a"]  # no study: unchanged
    assert order_activation(["art", "none", "park"], s) == ["none", "park", "art"]
    assert order_activation(["art", "none"]) == ["art", "none"]
    d = pd.DataFrame({"zone": ["a", "b", "c", "a"], "n": [1, 2, 3, 4]})
    assert order_rows(d, "zone", "zones", s)["n"].tolist() == [3, 1, 4, 2]
    t = pd.DataFrame({"n": [1, 2]}, index=["a", "c"])
    assert order_index(t, "zones", s).index.tolist() == ["c", "a"]
