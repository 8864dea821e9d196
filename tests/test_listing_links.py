"""The cache key's folder listing never follows links (issue 14 follow-up)."""

from __future__ import annotations

import os

from evaluation.cache import listing_hash


def test_listing_does_not_follow_links(tmp_path):
    data, outside = tmp_path / "data", tmp_path / "outside"
    data.mkdir()
    outside.mkdir()
    (data / "calendar.csv").write_text("x\n")
    (data / "sub").symlink_to(outside, target_is_directory=True)
    if hasattr(os, "mkfifo"):
        os.mkfifo(data / "pipe")  # listed, never opened
    before = listing_hash(data)
    (outside / "new.csv").write_text("y\n")  # a change behind the link: not listed
    assert listing_hash(data) == before
    (data / "sub").unlink()
    (data / "sub").mkdir()  # a real folder of the same name is listed as a folder
    assert listing_hash(data) != before
