"""The focus groups of the synthetic example: transcripts built from a bank of sentences,
and the codings of two coders with planted disagreement."""

from __future__ import annotations

import numpy as np

from .._phrases import FILLERS, MODERATOR_QUESTIONS, PHRASES
from .truth import TRUTH
from .world import COOCCUR, ROLE_WEIGHTS

__all__: list[str] = []


def _transcript(
    rng: np.random.Generator, group: str, members: list[tuple[str, str]]
) -> tuple[str, list[list[tuple[str, int, int]]]]:
    n_turns = int(rng.integers(40, 81))
    lines: list[str] = []
    truth: list[list[tuple[str, int, int]]] = []  # per turn a list of (code, start, end)
    secs = 5
    pools = {c: list(rng.permutation(len(p))) for c, p in PHRASES.items()}

    def phrase(code):
        if not pools[code]:
            pools[code] = list(rng.permutation(len(PHRASES[code])))
        return PHRASES[code][pools[code].pop()]

    q = 0
    spans: list[tuple[str, int, int]]
    for i in range(n_turns):
        if i == 0 or rng.random() < 0.16:
            speaker, text, spans = "MOD", MODERATOR_QUESTIONS[q % len(MODERATOR_QUESTIONS)], []
            q += 1
        else:
            speaker, role = members[int(rng.integers(len(members)))]
            if rng.random() < 0.1:
                speaker, text, spans = speaker, str(rng.choice(FILLERS)), []
            else:
                w = {c: 1.0 for c in PHRASES}
                w.update(ROLE_WEIGHTS[role])
                codes = list(w)
                p = np.array([w[c] for c in codes])
                first = codes[int(rng.choice(len(codes), p=p / p.sum()))]
                chosen = [first]
                if rng.random() < 0.45:
                    partners = COOCCUR.get(first) or [c for c in codes if c != first]
                    chosen.append(str(rng.choice(partners)))
                parts, spans, pos = [], [], 0
                for c in chosen:
                    s = phrase(c)
                    spans.append((c, pos, pos + len(s)))
                    parts.append(s)
                    pos += len(s) + 1
                text = " ".join(parts)
        stamp = f"[{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}]"
        lines.append(f"{stamp} {speaker}: {text}")
        truth.append(spans)
        secs += int(len(text) / 14 + rng.integers(2, 12))
    return "\n\n".join(lines) + "\n", truth


def _code(rng, coder: str, group: str, truth: list, all_codes: list[str]) -> list[list]:
    t = TRUTH["focus_groups"]
    rows = []
    for seg, spans in enumerate(truth, start=1):
        for code, a, b in spans:
            recall = (
                t["k1_recall"]
                if coder == "k1"
                else (t["k2_metodkonflikt_recall"] if code == "metodkonflikt" else t["k2_recall"])
            )
            if rng.random() < recall:
                rows.append([group, seg, code, coder, a, b])
            elif coder == "k2" and code == "metodkonflikt" and rng.random() < 0.5:
                rows.append([group, seg, "konst_kritik", coder, a, b])
        if spans and rng.random() < 0.04:
            wrong = str(rng.choice(all_codes))
            if wrong not in {s[0] for s in spans}:
                rows.append([group, seg, wrong, coder, spans[0][1], spans[-1][2]])
    # a segment's two spans with the same code (or a miss coded as the same other code)
    # would be the same coding twice, which the loader rejects: keep each once
    return [list(r) for r in dict.fromkeys(map(tuple, rows))]
