"""Legitimate large inputs still work under the limits of issue 14 (in a process limited to
1 GB of address space, like the hostile corpus): a flat codebook of 100,000 codes, a
transcript set of 50 MB, and the inputs that used to take quadratic time (a source of
200,000 paragraphs, 8,000 codes with one name)."""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import textwrap

from .corpus import ROOT, qde, qdpx, selection

MEMORY = 1 << 30


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(code: str, timeout: float) -> str:
    r = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        preexec_fn=_limit,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_flat_codebook_of_100000_codes(tmp_path):
    head = 'codebook: {id: big, title: Big, version: "1", language: sv}\ncodes:\n'
    body = "".join(
        f"  - {{id: c{k}, label: {{sv: Kod {k}, en: Code {k}}}, definition: Def {k},"
        f" parent: {f'c{k % 100}' if k >= 100 else 'null'}}}\n"
        for k in range(100_000)
    )
    path = tmp_path / "big.yaml"
    path.write_text(head + body, encoding="utf-8")
    out = run(
        f"""
        from evaluation.coding.codebook import load_codebook
        cb = load_codebook({str(path)!r})
        f = cb.to_frame()
        print(len(cb.codes), len(cb.roots()), int(f["depth"].max()), f["path"].iloc[1])
        """,
        timeout=300,
    )
    assert out.split() == ["100000", "100", "1", "c0/c100"]


def test_transcript_set_of_50_mb(tmp_path):
    folder = tmp_path / "focus_groups"
    (folder / "transcripts").mkdir(parents=True)
    rng = random.Random(14)
    words = "jag tycker att konsten på plattan har gjort skillnad men langning oroar".split()
    utterances = [" ".join(rng.choice(words) for _ in range(80)) for _ in range(97)]
    rows = ["participant,group,role"]
    total = 0
    for g in range(10):
        rows += [f"P{g}A,fg{g},polis", f"P{g}B,fg{g},ungdomsjour"]
        who = ["MOD", f"P{g}A", f"P{g}B"]
        n = 5_000_000 // 480
        text = "".join(f"{who[k % 3]}: {utterances[k % 97]}\n\n" for k in range(n))
        total += len(text.encode("utf-8"))
        (folder / "transcripts" / f"fg{g}.txt").write_text(text, encoding="utf-8")
    (folder / "participants.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert total > 50_000_000
    out = run(
        f"""
        from evaluation.sources import load_focus_groups
        data, problems = load_focus_groups({str(folder)!r})
        print(len(data["segments"]), len(problems))
        """,
        timeout=300,
    )
    turns, problems = map(int, out.split())
    assert turns > 80_000 and problems == 0


def test_qdpx_of_200000_paragraphs_and_8000_namesakes(tmp_path):
    # was quadratic: 34 s for the paragraphs (a regex and text[:a].count per paragraph), 5 s
    # for the namesakes (renaming by trial); both are linear now
    sels = "".join(
        selection(f"d0000000-0000-4000-8000-{k:012d}", 3 * k, 3 * k + 1)
        for k in range(0, 200_000, 50)
    )
    p1 = qdpx(tmp_path / "paras.qdpx", qde(selections=sels), {"sources/s1.txt": b"x\n\n" * 200_000})
    codes = '<Code guid="a1b2c3d4-0000-4000-8000-000000000001" name="Trygghet"/>' + "".join(
        f'<Code guid="c{k:07d}-0000-4000-8000-000000000000" name="Samma namn"/>'
        for k in range(8000)
    )
    p2 = qdpx(tmp_path / "same.qdpx", qde(codes=codes))
    out = run(
        f"""
        import time
        from evaluation.coding.refiqda import read_qdpx
        t = time.monotonic()
        cb, seg, cod = read_qdpx({str(p1)!r})
        print(len(seg), len(cod), sorted(set(cod["end"] - cod["start"])))
        cb, seg, cod = read_qdpx({str(p2)!r})
        ids = list(cb.codes)
        print(len(set(ids)), ids[2], ids[-1])
        print(time.monotonic() - t)
        """,
        timeout=120,
    )
    lines = out.splitlines()
    assert lines[0] == "200000 4000 [1]"
    assert lines[1] == "8001 samma_namn_2 samma_namn_8000"
    assert float(lines[2]) < 60  # seconds; quadratic code took minutes here
