"""The identifier register is read like every data file: a regular file inside its folder
(issue 14 follow-up). A link out of the data folder or a FIFO is refused, never read."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from evaluation.leaks import ScanError, load_identifiers, release_check


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    return d


def test_register_inside_the_folder_is_read(data):
    (data / "identifiers.txt").write_text("# names\nKarin Lindqvist\n", encoding="utf-8")
    assert load_identifiers(data / "identifiers.txt", root=data) == ["Karin Lindqvist"]


def test_link_out_of_the_data_folder_is_refused(data, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE-KEY-MATERIAL\n", encoding="utf-8")
    (data / "identifiers.txt").symlink_to(secret)
    with pytest.raises(ScanError) as exc:
        load_identifiers(data / "identifiers.txt", root=data)
    assert "outside" in str(exc.value) and "PRIVATE-KEY" not in str(exc.value)
    run = tmp_path / "run"
    run.mkdir()
    (run / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    rel = release_check(run, data)
    assert rel["releasable"] is False
    assert any("identifiers.txt" in e and "outside" in e for e in rel["errors"])
    assert "PRIVATE-KEY" not in str(rel)


def test_dangling_link_fails_closed(data, tmp_path):
    (data / "identifiers.txt").symlink_to(tmp_path / "gone.txt")
    run = tmp_path / "run"
    run.mkdir()
    rel = release_check(run, data)
    assert rel["releasable"] is False and "identifiers.txt" in rel["errors"][0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_register_is_refused_without_hanging(data):
    os.mkfifo(data / "identifiers.txt")
    code = textwrap.dedent(
        f"""
        from evaluation.leaks import ScanError, load_identifiers
        try:
            load_identifiers({str(data / "identifiers.txt")!r}, root={str(data)!r})
        except ScanError as exc:
            print("refused:", exc)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "refused:" in out.stdout and "FIFO" in out.stdout, out.stdout + out.stderr
