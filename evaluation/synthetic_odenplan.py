"""The second synthetic example study: Odenplan/Observatorielunden (``--study odenplan``).

The same generator as the first example (:mod:`evaluation.synthetic`, its
planted effects, another seed), with every identifier of that study renamed:
the site, its zones, the areas, the activation programme, the roles and
focus groups of the professionals, the incident kinds, the codebook and the
proper names in the transcripts. The folder gets its own ``study.yaml``
(:data:`evaluation.synthetic_study.STUDIES`), its own codebook
(``focus_groups/codebook.yaml``) and a README with the planted effects. The
result is written byte for byte the same every time.

This is also what outside validation does to a study: renaming every
identifier consistently must change nothing in the report but its labels.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

__all__ = ["make_odenplan_data", "make_other_example", "ODENPLAN_SEED", "CODES", "NAMES"]

#: Seed of the Odenplan example (the first example's generator, other numbers).
ODENPLAN_SEED = 2023

#: Codes of the first example -> codes of the Odenplan study, per column kind.
CODES = {
    "zone": {
        "plattan": "lunden",
        "trapporna": "kullen",
        "kulturhuset": "biblioteket",
        "tunnelbanan": "pendeltaget",
        "sergelgatan": "odengatan",
    },
    "activation": {"art": "musik", "event": "marknad", "park": "lekplats", "pilot": "pilot"},
    "role": {
        "polis": "kvarterspolis",
        "ungdomsjour": "fritidsledare",
        "faltassistent": "socialsekreterare",
        "ordningsvakt": "vaktare",
    },
    "group": {
        "fg1_polis": "fg1_kvarterspolis",
        "fg2_ungdomsjour": "fg2_fritid",
        "fg3_falt": "fg3_social",
        "fg4_vakter": "fg4_vaktare",
        "fg5_blandad": "fg5_blandad",
        "fg6_falt_vakter": "fg6_social_vaktare",
    },
    "area": {
        "sergels_torg": "odenplan",
        "norrmalm": "vasastan",
        "odenplan": "sankt_eriksplan",
        "klara": "sveaplan",
        "stockholm": "stockholm",
    },
    "incident": {
        "drug_sale": "langning",
        "drug_use": "narkotikabruk",
        "conflict": "brak",
        "guard_intervention": "vaktingripande",
        "police_intervention": "polisingripande",
        "outreach_contact": "uppsokande_kontakt",
    },
    "code": {
        "flickor_narvaro": "malgrupp_narvaro",
        "flickor_vistas": "malgrupp_vistas",
        "flickor_passerar": "malgrupp_passerar",
        "flickor_motesplats": "malgrupp_motesplats",
        "trygghet_risk": "trygghet_och_risk",
        "konst_gestaltning": "aktivering_gestaltning",
        "konst_positiv": "aktivering_positiv",
        "konst_kritik": "aktivering_kritik",
        "tillfallig_park": "lekplats_tillfallig",
        "professionellt_arbete": "yrkesarbete",
        "metodkonflikt": "risk_av_aktivering",
    },
}

#: Proper names and period names in texts (transcripts, calendar, codebook, README).
NAMES = {
    "Sergels torg": "Odenplan",
    "Sergelstorg": "Odenplan",
    "Plattan": "Observatorielunden",
    "plattan": "lunden",
    "Kulturhuset": "Stadsbiblioteket",
    "T-Centralen": "pendeltågsstationen",
    "Drottninggatan": "Odengatan",
    "Sergelgatan": "Odengatan",
    "Ungdomsjouren": "fritidsgården",
    "Norrmalm": "Vasastan",
    "Klara": "Sveaplan",
    "Odenplan": "Sankt Eriksplan",
    "Konst på": "Musik i",
    "Scenkväll": "Marknadsdag",
    "Tillfällig park": "Lekplats",
    "Pilotprojekt": "Pilotprojekt",
}

#: Which CSV columns hold which kind of code.
_COLUMNS = {
    "calendar.csv": {"kind": "activation"},
    "observations/zones.csv": {"zone": "zone"},
    "observations/sessions.csv": {"zone": "zone", "activation": "activation"},
    "observations/incidents.csv": {"kind": "incident"},
    "focus_groups/participants.csv": {"group": "group", "role": "role"},
    "focus_groups/codings.csv": {"group": "group", "code": "code"},
    "crime/reported.csv": {"area": "area"},
    "crime/areas.csv": {"area": "area"},
    "survey/safety.csv": {"area": "area"},
}
#: Text columns whose proper names are renamed.
_TEXT_COLUMNS = {"calendar.csv": ("name",), "observations/zones.csv": ("description",)}


def _sub(mapping: dict[str, str], text: str, word: bool = True) -> str:
    """Replace every key by its value at once (no chains), whole words only when ``word``."""
    keys = sorted(mapping, key=len, reverse=True)
    pat = "|".join(map(re.escape, keys))
    rx = re.compile(rf"(?<![\w-])({pat})(?![\w-])" if word else f"({pat})")
    return rx.sub(lambda m: mapping[m.group(1)], text)


def _all_codes() -> dict[str, str]:
    out: dict[str, str] = {}
    for kind, m in CODES.items():
        if kind != "activation":  # "art", "event" are English words in texts
            out.update(m)
    return out


def _csv_file(rel: str, text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    cols = _COLUMNS.get(rel, {})
    texts = _TEXT_COLUMNS.get(rel, ())
    for r in body:
        for i, name in enumerate(header):
            if name in cols:
                r[i] = CODES[cols[name]].get(r[i], r[i])
            elif name in texts:
                r[i] = _sub(NAMES, r[i])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(body)
    return buf.getvalue()


def _text(text: str) -> str:
    return _sub(NAMES, _sub(_all_codes(), text))


_README_HEAD = """\
# Second example data set: Odenplan (SYNTHETIC)

**Every number, name and sentence in this folder is synthetic.** It is the
second example study of the toolkit: the place activation of Odenplan and
Observatorielunden, with its own zones, activation programme (music, markets,
a temporary playground), professionals (community police, youth leaders,
social workers, guards), incident kinds, codebook
(`focus_groups/codebook.yaml`), crime areas (the city and two districts as
comparisons) and goals, all in `study.yaml`. Regenerate it byte for byte with

    evaluation make-example-data --study odenplan --out data/example-odenplan --force

It is made by the generator of the first example (seed {seed}) with every
identifier of that study renamed, so its planted effects are the first
example's, listed below under the Odenplan names: the analyses must recover
them, and `tests/test_second_study.py` checks that they do and that the report
names nothing of the first study.

"""


#: The first study's transcripts of the run in progress (group -> text), for the spans.
_SOURCE: dict[str, str] = {}


def _shift_spans(out: Path) -> None:
    """Coding spans (``start``, ``end``: characters of a turn) moved to the renamed turns."""
    from .sources.focus_groups import parse_transcript

    turns = {}
    for group, text in _SOURCE.items():
        df, _ = parse_transcript(text, group)
        turns[group] = dict(zip(df["segment"].astype(int), df["text"], strict=True))
    path = out / "focus_groups" / "codings.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    g, seg, a, b = (header.index(c) for c in ("group", "segment", "start", "end"))
    for r in body:
        utt = turns.get(r[g], {}).get(int(r[seg]))
        if utt is None:
            continue
        for i in (a, b):
            if r[i] != "":
                r[i] = str(len(_text(utt[: int(r[i])])))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(body)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="\n")


def make_odenplan_data(out: str | Path, seed: int = ODENPLAN_SEED) -> Path:
    """Write the Odenplan example data set into ``out`` (created; its files overwritten).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = make_odenplan_data(pathlib.Path(tempfile.mkdtemp()) / "o")
    >>> "Sergel" in (d / "focus_groups" / "codebook.yaml").read_text(encoding="utf-8")
    False
    """
    from .paths import resolve
    from .synthetic import make_example_data
    from .synthetic_study import write_study

    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        src = make_example_data(Path(tmp) / "src", seed=seed)
        global _SOURCE
        _SOURCE = {
            CODES["group"].get(f.stem, f.stem): f.read_text(encoding="utf-8")
            for f in (src / "focus_groups" / "transcripts").glob("*.txt")
        }
        for f in sorted(p for p in src.rglob("*") if p.is_file()):
            rel = f.relative_to(src).as_posix()
            if rel in ("study.yaml", "SYNTHETIC", "observations/zones.geojson"):
                continue  # its own study and marker below; no plan of this square is drawn
            text = f.read_text(encoding="utf-8")
            if rel.endswith(".csv"):
                text = _csv_file(rel, text)
            elif rel == "README.md":
                body = text.split("## Planted effects", 1)[-1]
                text = _README_HEAD.format(seed=seed) + "## Planted effects" + _text(body)
            else:
                text = _text(text)
            rel = _sub(CODES["group"], rel)  # transcript file names are group ids
            dst = out / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_text(text, encoding="utf-8", newline="\n")
    _shift_spans(out)
    for old in sorted((out / "focus_groups" / "transcripts").glob("*.txt")):
        if old.stem in CODES["group"] and CODES["group"][old.stem] != old.stem:
            old.unlink()  # a stale transcript under the first study's name
    codebook = resolve("codebooks/focus_groups.yaml").read_text(encoding="utf-8")
    (out / "focus_groups" / "codebook.yaml").write_text(
        _text(codebook), encoding="utf-8", newline="\n"
    )
    write_study(out, "odenplan")
    from .marker import write_marker
    from .synthetic import SYNTHETIC_NOTE

    # last: the marker's fingerprint covers every other file of this folder
    write_marker(out, SYNTHETIC_NOTE + f"\nseed: {seed}\nstudy: odenplan\n")
    return out


def make_other_example(study: str, out: str | Path, seed: int | None = None) -> int:
    """Write the example study ``study`` (not the first) into ``out``; returns the seed used.

    ``evaluation make-example-data --study NAME`` calls it; the first study
    is :func:`evaluation.synthetic.make_example_data`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> make_other_example("odenplan", pathlib.Path(tempfile.mkdtemp()) / "o")
    2023
    """
    makers = {"odenplan": (make_odenplan_data, ODENPLAN_SEED)}
    make, default = makers[study]
    seed = default if seed is None else seed
    make(out, seed=seed)
    return seed
