"""Focus groups: participants, transcripts parsed into turn segments, codings.

A transcript ``focus_groups/transcripts/<group>.txt`` holds one turn per
paragraph (paragraphs are separated by a blank line)::

    [00:01:12] MOD: Hur ser ni på konsten på torget?

    [00:01:20] POL1: Den har gjort stor skillnad ...

The timestamp is optional; the speaker is a participant pseudonym of that group
or ``MOD`` (the moderator). A *segment* is one turn, numbered from 1; its id is
``<group>:<n>``. Coding offsets (``start``, ``end`` in ``codings.csv``) count
characters of the turn's utterance (the text after ``SPEAKER:``), end exclusive.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import Problem
from ._io import confined, read_csv_text, read_text
from ._schema import Field, FileSpec, ProblemList, check_frame, line_of

if TYPE_CHECKING:
    from .study_model import Study

__all__ = [
    "PARTICIPANTS",
    "CODINGS",
    "MODERATOR",
    "parse_transcript",
    "load_focus_groups",
    "MAX_TRANSCRIPT_LINES",
]

MODERATOR = "MOD"
#: Most lines in one transcript (or REFI-QDA source): a 50 MB transcript set has a few
#: hundred thousand; a file of millions of tiny lines is refused before it is split.
MAX_TRANSCRIPT_LINES = 1_000_000
_TURN = re.compile(
    r"^(?:\[(?P<time>\d{1,2}:\d{2}:\d{2})\]\s*)?(?P<speaker>[A-Za-z][A-Za-z0-9_]*):[ \t]*(?P<text>.*)\Z",
    re.S,
)
_PSEUDONYM = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

PARTICIPANTS = FileSpec(
    "focus_groups/participants.csv",
    "Who took part in which group, by pseudonym and professional role. Never real names.",
    (
        Field("participant", "str", "pseudonym used as SPEAKER in the transcript", "POL1"),
        Field("group", "code", "focus group (transcript file name without .txt)", "fg1_outreach"),
        Field(
            "role", "str", "professional role (study.yaml roles)", "outreach", vocabulary="roles"
        ),
    ),
    key=("participant",),
)
CODINGS = FileSpec(
    "focus_groups/codings.csv",
    "Codes applied to transcript segments by each coder. Groups coded by two or more "
    "coders feed the reliability figures.",
    (
        Field("group", "code", "focus group", "fg1_outreach"),
        Field("segment", "int", "turn number within the group's transcript (from 1)", "12", min=1),
        Field("code", "code", "code id from the codebook", "dealing_seen"),
        Field("coder", "code", "coder pseudonym", "k1"),
        Field(
            "start",
            "int",
            "optional: first character of the coded span in the turn",
            "0",
            min=0,
            required=False,
            optional_column=True,
        ),
        Field(
            "end",
            "int",
            "optional: end (exclusive) of the coded span",
            "57",
            min=0,
            required=False,
            optional_column=True,
        ),
    ),
)


def parse_transcript(
    text: str, group: str, label: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Split a transcript into turn segments.

    Returns a DataFrame with one row per turn: ``group``, ``segment`` (1..n),
    ``segment_id`` (``group:n``), ``line`` (first line of the turn in the
    file), ``time`` (``hh:mm:ss`` or empty), ``speaker``, ``text`` (the
    utterance; line breaks inside a turn kept), ``doc_start``, ``doc_end``
    (character offsets of the utterance in the whole file text) — and the
    problems found.

    Examples
    --------
    >>> df, probs = parse_transcript("[00:00:01] MOD: Hej!\\n\\nPOL1: Hej hej.\\n", "fg1")
    >>> df[["segment_id", "speaker", "text", "doc_start"]].values.tolist()
    [['fg1:1', 'MOD', 'Hej!', 16], ['fg1:2', 'POL1', 'Hej hej.', 28]]
    """
    label = label or f"{group}.txt"
    rows: list[dict] = []
    problems = ProblemList(label)
    n_lines = text.count("\n") + 1
    if n_lines > MAX_TRANSCRIPT_LINES:
        problems.append(
            Problem(
                label,
                None,
                None,
                f"{n_lines:,} lines, more than the limit of {MAX_TRANSCRIPT_LINES:,} for one"
                " transcript; it was not parsed",
                f"a transcript of at most {MAX_TRANSCRIPT_LINES:,} lines",
            )
        )
        text = ""
    # Paragraphs: maximal runs of non-blank lines, with their offsets.
    buf: list[str] = []
    pos, line_no, para_start, para_line = 0, 1, None, None
    lines = text.split("\n")
    paragraphs = []
    for ln in lines:
        if ln.strip():
            if para_start is None:
                para_start, para_line, buf = pos, line_no, []
            buf.append(ln)
        elif para_start is not None:
            paragraphs.append((para_start, para_line, "\n".join(buf)))
            para_start = None
        pos += len(ln) + 1
        line_no += 1
    if para_start is not None:
        paragraphs.append((para_start, para_line, "\n".join(buf)))

    for start, first_line, para in paragraphs:
        para = para.rstrip("\r").rstrip()
        m = _TURN.match(para)
        if not m:
            problems.append(
                Problem(
                    label,
                    first_line,
                    None,
                    f"cannot read a turn from {para[:40]!r}",
                    "a paragraph '[hh:mm:ss] SPEAKER: text'",
                )
            )
            continue
        utter = m.group("text")
        doc_start = start + m.start("text")
        rows.append(
            {
                "group": group,
                "segment": len(rows) + 1,
                "segment_id": f"{group}:{len(rows) + 1}",
                "line": first_line,
                "time": m.group("time") or "",
                "speaker": m.group("speaker"),
                "text": utter,
                "doc_start": doc_start,
                "doc_end": doc_start + len(utter),
            }
        )
    cols = [
        "group",
        "segment",
        "segment_id",
        "line",
        "time",
        "speaker",
        "text",
        "doc_start",
        "doc_end",
    ]
    return pd.DataFrame(rows, columns=cols), problems.done()


def _participants(
    folder: Path, plabel: str, study: Study | None
) -> tuple[pd.DataFrame, list[Problem]]:
    """``participants.csv``, checked; pseudonyms must be usable as speakers."""
    parts, problems = check_frame(
        read_csv_text(folder / "participants.csv", plabel), PARTICIPANTS.for_study(study), plabel
    )
    if not parts.empty:
        for idx, p in zip(parts.index, parts["participant"].tolist(), strict=True):
            if p is not None and (not _PSEUDONYM.match(p) or p == MODERATOR):
                problems.append(
                    Problem(
                        plabel,
                        line_of(idx),
                        "participant",
                        f"{p!r} is not a usable pseudonym",
                        "letters, digits and _ (not MOD), e.g. POL1",
                    )
                )
    return parts, problems


def _speakers(
    seg: pd.DataFrame, parts: pd.DataFrame, f: Path, label: str, plabel: str
) -> list[Problem]:
    """A group without participants, and speakers who are not participants of the group."""
    problems = []
    members = set(parts.loc[parts["group"] == f.stem, "participant"])
    if not members:
        problems.append(
            Problem(
                plabel,
                None,
                "group",
                f"no participants listed for group {f.stem!r}",
                f"rows for the participants of {f.name}",
            )
        )
    unknown = seg[(seg["speaker"] != MODERATOR) & ~seg["speaker"].isin(members)]
    row: Any
    for row in unknown.itertuples():
        problems.append(
            Problem(
                label,
                int(row.line),
                "SPEAKER",
                f"{row.speaker!r} is not a participant of group {f.stem!r}",
                f"MOD or one of {', '.join(sorted(members)) or '(none listed)'}",
            )
        )
    return problems


def _transcripts(
    folder: Path, prefix: str, parts: pd.DataFrame, plabel: str
) -> tuple[pd.DataFrame, list[dict[str, str]], list[Problem]]:
    """Every transcript parsed into turns (with the speaker's role), and its text."""
    problems: list[Problem] = []
    tdir = folder / "transcripts"
    seg_frames, texts = [], []
    files = sorted(tdir.glob("*.txt")) if tdir.is_dir() else []
    if not files:
        problems.append(
            Problem(
                f"{prefix}/transcripts/",
                None,
                None,
                "no transcripts found",
                "one <group>.txt per focus group",
            )
        )
    for f in files:
        label = f"{prefix}/transcripts/{f.name}"
        text = read_text(f, label)
        seg, probs = parse_transcript(text, f.stem, label)
        problems += probs
        if not parts.empty:
            problems += _speakers(seg, parts, f, label, plabel)
        seg_frames.append(seg)
        texts.append({"group": f.stem, "text": text})
    segments = (
        pd.concat(seg_frames, ignore_index=True) if seg_frames else parse_transcript("", "")[0]
    )
    role = dict(zip(parts.get("participant", []), parts.get("role", []), strict=True))
    segments["role"] = (
        segments["speaker"].map(role).where(segments["speaker"] != MODERATOR, "moderator")
    )
    return segments, texts, problems


def _offsets_problem(clabel: str, line: int, a: Any, b: Any, length: int) -> Problem | None:
    """A coding's ``start``/``end``: both or neither, inside the turn."""
    if pd.notna(a) != pd.notna(b):
        return Problem(
            clabel, line, "end", "start and end must be given together", "both offsets or neither"
        )
    if pd.notna(a) and not (0 <= a < b <= length):
        return Problem(
            clabel,
            line,
            "end",
            f"span {a}..{b} is outside the turn (length {length})",
            f"0 <= start < end <= {length}",
        )
    return None


def _coding_problems(
    codings: pd.DataFrame, segments: pd.DataFrame, code_ids: set[str] | None, clabel: str,
    cprobs: ProblemList
) -> None:  # fmt: skip
    """Each coding's group, turn, code and offsets, against the transcripts and the codebook."""
    n_turns = segments.groupby("group")["segment"].max().to_dict()
    seg_len = {
        (g, s): len(t)
        for g, s, t in zip(segments["group"], segments["segment"], segments["text"], strict=True)
    }
    has_offsets = "start" in codings and "end" in codings
    starts = codings["start"].tolist() if has_offsets else [None] * len(codings)
    ends = codings["end"].tolist() if has_offsets else [None] * len(codings)
    for idx, g, s, c, a, b in zip(
        codings.index,
        codings["group"].tolist(),
        codings["segment"].tolist(),
        codings["code"].tolist(),
        starts,
        ends,
        strict=True,
    ):
        line = line_of(idx)
        if g is None or pd.isna(s):
            continue
        if g not in n_turns:
            cprobs.append(
                Problem(clabel, line, "group", f"{g!r} has no transcript",
                        "a group with a file in transcripts/")
            )  # fmt: skip
            continue
        if s > n_turns[g]:
            cprobs.append(
                Problem(
                    clabel,
                    line,
                    "segment",
                    f"{s} is past the end of {g} ({n_turns[g]} turns)",
                    f"a turn number 1..{n_turns[g]}",
                )
            )
            continue
        if code_ids is not None and c is not None and c not in code_ids:
            cprobs.append(
                Problem(clabel, line, "code", f"{c!r} is not in the codebook",
                        "a code id from the codebook")
            )  # fmt: skip
        bad = _offsets_problem(clabel, line, a, b, seg_len[(g, s)]) if has_offsets else None
        if bad is not None:
            cprobs.append(bad)


def _duplicate_codings(codings: pd.DataFrame, clabel: str, cprobs: ProblemList) -> None:
    """The same coding twice (group, segment, code, coder and span)."""
    keycols = [c for c in ("group", "segment", "code", "coder", "start", "end") if c in codings]
    first: dict[tuple, int] = {}
    for idx, key in zip(
        codings.index, zip(*(codings[c].tolist() for c in keycols), strict=True), strict=True
    ):
        key = tuple("" if pd.isna(v) else str(v) for v in key)
        if key in first:
            cprobs.append(
                Problem(
                    clabel,
                    line_of(idx),
                    "code",
                    f"the same coding appears twice: also on line {first[key]}",
                    "each group/segment/code/coder (and span) once",
                )
            )
        else:
            first[key] = line_of(idx)


@confined
def load_focus_groups(
    folder: str | Path,
    code_ids: set[str] | None = None,
    prefix: str = "focus_groups",
    study: Study | None = None,
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Load participants, every transcript and the codings, and cross-check them.

    Returns ``({"participants", "segments", "codings", "texts"}, problems)``;
    ``segments`` has the columns of :func:`parse_transcript` plus ``role``
    (``moderator`` for MOD); ``texts`` has ``group``, ``text`` (the whole file).
    ``code_ids``: the codebook's ids; codes outside it are errors.

    Examples
    --------
    >>> from evaluation.paths import resolve
    >>> fg, problems = load_focus_groups(resolve("data/example/focus_groups"))
    >>> sorted(fg), problems
    (['codings', 'participants', 'segments', 'texts'], [])
    >>> "moderator" in set(fg["segments"]["role"])
    True
    """
    folder = Path(folder)
    plabel = f"{prefix}/participants.csv"
    parts, problems = _participants(folder, plabel, study)
    segments, texts, probs = _transcripts(folder, prefix, parts, plabel)
    problems += probs
    clabel = f"{prefix}/codings.csv"
    codings = pd.DataFrame(columns=[f.name for f in CODINGS.fields])
    if (folder / "codings.csv").exists():
        codings, probs = check_frame(read_csv_text(folder / "codings.csv", clabel), CODINGS, clabel)
        problems += probs
    if not codings.empty:
        cprobs = ProblemList(clabel)  # capped: a hostile file must not make a million lines
        _coding_problems(codings, segments, code_ids, clabel, cprobs)
        _duplicate_codings(codings, clabel, cprobs)
        problems += cprobs.done()
    return {
        "participants": parts,
        "segments": segments,
        "codings": codings,
        "texts": pd.DataFrame(texts, columns=["group", "text"]),
    }, problems
