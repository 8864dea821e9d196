"""Where a project's selections fall: character positions, turns and paragraphs.

Tools count a line break as one character or as two (``\\r\\n``); the reading is
decided per source (:func:`line_break_reading`). Everything here is linear or
``O(log n)`` per position: sorted offsets and bisection, no table the size of the text.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET

import pandas as pd

from ...errors import Problem
from ..focus_groups import parse_transcript
from ._xml import bare_guid, short

__all__ = [
    "Positions",
    "paragraphs",
    "segments_of",
    "selection_spans",
    "line_break_reading",
    "turns_overlapped",
]


def paragraphs(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, line)`` of each paragraph (a run of non-blank lines), in linear time.

    Examples
    --------
    >>> paragraphs("Ett\\ntvå\\n\\n\\ntre\\n")
    [(0, 7, 1), (10, 13, 5)]
    """
    out = []
    pos, line_no, start, first, end = 0, 1, None, 0, 0
    for ln in text.split("\n"):
        if ln.strip():
            if start is None:
                start, first = pos, line_no
            end = pos + len(ln)
        elif start is not None:
            out.append((start, end, first))
            start = None
        pos += len(ln) + 1
        line_no += 1
    if start is not None:
        out.append((start, end, first))
    return out


class Positions:
    """Map a tool's character positions to positions in the text with ``\\n`` line breaks.

    ``"one"``: a line break counts as one character (the identity); ``"two"``: it counts
    as two (``\\r\\n``, as Windows tools count), and a position between the two characters
    maps to the break. Uses the sorted line-break offsets and bisection: O(log n) per
    position, no table the size of the text.

    Examples
    --------
    >>> pos = Positions("ab\\ncd")
    >>> pos.map(4, "two"), pos.map(3, "two"), pos.map(4, "one"), pos.length
    (3, 2, 4, {'one': 5, 'two': 6})
    >>> pos.score([(4, 6)], "two"), pos.score([(4, 6)], "one")
    (1.0, -1.0)
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        # end of each break in the "two" count: breaks[m] + m + 1
        self.two_end = [b + m + 1 for m, b in enumerate(self.breaks)]
        self.length = {"one": len(text), "two": len(text) + len(self.breaks)}

    def map(self, p: int, mode: str) -> int:
        """Position ``p`` counted in ``mode`` as a position in the text."""
        if mode == "one":
            return p
        c = bisect.bisect_left(self.two_end, p)
        if c < len(self.two_end) and self.two_end[c] == p:
            return self.breaks[c]
        return p - c

    def score(self, spans: list[tuple[int, int]], mode: str) -> float:
        """Share of span boundaries on word boundaries; -1 if a span does not fit."""
        n, text, ok = self.length[mode], self.text, 0
        for a, b in spans:
            if b > n:
                return -1.0
            s, e = self.map(a, mode), self.map(b, mode)
            ok += (s == 0 or not text[s - 1].isalnum()) + (e >= len(text) or not text[e].isalnum())
        return ok / max(2 * len(spans), 1)


def line_break_reading(pos: Positions, spans: list[tuple[int, int]]) -> str:
    """``"one"`` or ``"two"``: the reading that puts span boundaries on word boundaries,
    or the only one that fits (``"one"`` on a tie).

    Examples
    --------
    >>> line_break_reading(Positions("ab\\ncd"), [(4, 6)]), line_break_reading(Positions("ab"), [])
    ('two', 'one')
    """
    scores = {k: pos.score(spans, k) for k in ("one", "two")}
    return "one" if scores["one"] >= scores["two"] else "two"


def segments_of(text: str, group: str) -> pd.DataFrame:
    """The turns of a source: as :func:`~evaluation.sources.parse_transcript` for our turn
    format, otherwise one row per paragraph with an empty speaker.

    Examples
    --------
    >>> seg = segments_of("Första stycket.\\n\\nAndra.", "g")
    >>> seg[["segment", "doc_start", "doc_end", "speaker"]].values.tolist()
    [[1, 0, 15, ''], [2, 17, 23, '']]
    """
    seg, problems = parse_transcript(text, group)
    if problems or seg.empty:  # not our turn format: paragraphs are the segments
        paras = paragraphs(text)
        seg = pd.DataFrame(
            {
                "group": group,
                "segment": range(1, len(paras) + 1),
                "segment_id": [f"{group}:{i}" for i in range(1, len(paras) + 1)],
                "line": [ln for _, _, ln in paras],
                "time": "",
                "speaker": "",
                "text": [text[a:b] for a, b, _ in paras],
                "doc_start": [a for a, _, _ in paras],
                "doc_end": [b for _, b, _ in paras],
            }
        )
    return seg


def _span(s: ET.Element, file: str, sname: str) -> tuple[str, int, int] | Problem:
    """``(guid, start, end)`` of a selection, or the problem with its positions."""
    guid = bare_guid(s.get("guid")) or "(no guid)"
    raw = (s.get("startPosition"), s.get("endPosition"))
    where = f"PlainTextSelection {guid}"
    try:
        a, b = int(raw[0]), int(raw[1])  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return Problem(
            file,
            None,
            where,
            f"source {sname}: startPosition={short(raw[0], 30)}"
            f" endPosition={short(raw[1], 30)} are not whole numbers",
            "character positions 0 <= startPosition <= endPosition",
        )
    why = (
        "a negative position"
        if a < 0 or b < 0
        else "startPosition is after endPosition"
        if a > b
        else ""
    )
    if why:
        return Problem(
            file,
            None,
            where,
            f"source {sname}: startPosition={a} endPosition={b}: {why}",
            "character positions 0 <= startPosition <= endPosition",
        )
    return guid, a, b


def selection_spans(
    sels: list[ET.Element], file: str, sname: str, problems: list[Problem]
) -> list[tuple[ET.Element, str, int, int]]:
    """``(selection, guid, start, end)`` of each well-formed selection; problems for the rest.

    Examples
    --------
    >>> import xml.etree.ElementTree as ET
    >>> ok = ET.Element("PlainTextSelection", guid="{AB}", startPosition="2", endPosition="5")
    >>> bad = ET.Element("PlainTextSelection", guid="cd", startPosition="-1", endPosition="5")
    >>> problems = []
    >>> [x[1:] for x in selection_spans([ok, bad], "p.qdpx", "'a.txt'", problems)]
    [('ab', 2, 5)]
    >>> print(problems[0])
    p.qdpx: PlainTextSelection cd: source 'a.txt': startPosition=-1 endPosition=5: a negative position; expected character positions 0 <= startPosition <= endPosition
    """
    out = []
    for s in sels:
        got = _span(s, file, sname)
        if isinstance(got, Problem):
            problems.append(got)
        else:
            out.append((s, *got))
    return out


def turns_overlapped(starts: list[int], ends: list[int], da: int, db: int) -> list[int]:
    """Indices of the turns (sorted ``starts``/``ends``) that span ``[da, db)`` overlaps,
    by bisection on the turn ends; an empty span belongs to the turns it touches.

    Examples
    --------
    >>> turns_overlapped([0, 10, 20], [8, 18, 28], 5, 12), turns_overlapped([0, 10], [8, 18], 8, 8)
    ([0, 1], [0])
    """
    over = []
    if db > da:
        i = bisect.bisect_right(ends, da)
        while i < len(starts) and starts[i] < db:
            over.append(i)
            i += 1
    else:
        i = bisect.bisect_left(ends, da)
        while i < len(starts) and starts[i] <= da:
            over.append(i)
            i += 1
    return over
