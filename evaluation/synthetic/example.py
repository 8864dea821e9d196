"""Write the synthetic example data set (``evaluation make-example-data``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .._phrases import PHRASES
from ..analyses.methods import write_example_report
from ..marker import write_marker
from ..synthetic_study import write_study
from ..zonemap import write_example_plan, write_example_scene
from .observations import observations
from .readme import _readme
from .registers import _crime, _survey
from .talk import _code, _transcript
from .truth import DEFAULT_SEED, SYNTHETIC_NOTE, TRUTH, planted_effects
from .world import GROUPS, IDENTIFIERS, PLAN, ZONES, _calendar, _csv

__all__ = ["make_example_data"]

#: ``write(relative path, text)``: one file of the data set.
Writer = Callable[[str, str], None]

SESSION_COLUMNS = [
    "session_id",
    "date",
    "start",
    "end",
    "observer",
    "zone",
    "activation",
    "weather",
    "temperature_c",
]


def _write_observations(
    write: Writer, rng: np.random.Generator, cal: list[list], scale: int, planted: dict[str, Any]
) -> None:
    write(
        "observations/zones.csv",
        _csv([[z[0], z[1], z[2]] for z in ZONES], ["zone", "area_m2", "description"]),
    )
    sessions, counts, incidents = observations(rng, cal, n_per_year=150 * scale, truth=planted)
    write("observations/sessions.csv", _csv(sessions, SESSION_COLUMNS))
    write(
        "observations/counts.csv",
        _csv(counts, ["session_id", "gender", "age_band", "activity", "count"]),
    )
    write("observations/incidents.csv", _csv(incidents, ["session_id", "kind", "count"]))


def _write_focus_groups(write: Writer, rng: np.random.Generator, scale: int) -> None:
    participants, codings = [], []
    all_codes = list(PHRASES)
    for rep in range(scale):
        for group, members in GROUPS:
            g = group if rep == 0 else f"{group}_{rep}"
            mem = [(p if rep == 0 else f"{p}_{rep}", r) for p, r in members]
            participants += [[p, g, r] for p, r in mem]
            text, truth = _transcript(rng, g, mem)
            write(f"focus_groups/transcripts/{g}.txt", text)
            codings += _code(rng, "k1", g, truth, all_codes)
            if group in TRUTH["focus_groups"]["double_coded_groups"]:
                codings += _code(rng, "k2", g, truth, all_codes)
    write("focus_groups/participants.csv", _csv(participants, ["participant", "group", "role"]))
    write(
        "focus_groups/codings.csv",
        _csv(codings, ["group", "segment", "code", "coder", "start", "end"]),
    )


def _write_registers(
    write: Writer, rng_crime: np.random.Generator, rng_survey: np.random.Generator, planted: dict
) -> None:
    crime, areas = _crime(rng_crime, planted)
    write("crime/reported.csv", _csv(crime, ["month", "area", "category", "count"]))
    write("crime/areas.csv", _csv(areas, ["area", "year", "hectares", "population"]))
    write(
        "survey/safety.csv",
        _csv(_survey(rng_survey, planted), ["year", "area", "item", "n", "n_yes"]),
    )


def make_example_data(
    out: str | Path, seed: int = DEFAULT_SEED, scale: int = 1, reverse_effects: bool = False
) -> Path:
    """Write the synthetic example data set into the folder ``out``.

    Parameters
    ----------
    out : path
        Target folder; created. Existing files of the data set are overwritten.
    seed : int
        Seed of the random generator; the default reproduces ``data/example``
        byte for byte.
    scale : int
        Multiplies the number of observation sessions (and focus groups) for
        benchmarks; 1 gives the example data set.
    reverse_effects : bool
        Plant every effect the other way (:func:`planted_effects`): a world in
        which activation keeps girls away and draws dealing, violence rises
        and the drug-scene area grows. For checking that the report follows
        the data; its README lists the reversed true values.

    Returns
    -------
    Path
        The folder written.

    Examples
    --------
    >>> import filecmp, tempfile
    >>> from evaluation.paths import EXAMPLE_DATA, project_root
    >>> out = make_example_data(Path(tempfile.mkdtemp()) / "example")
    >>> filecmp.cmp(out / "observations" / "sessions.csv",
    ...             project_root() / EXAMPLE_DATA / "observations" / "sessions.csv", shallow=False)
    True
    """
    planted = planted_effects(reverse_effects)
    # one independent stream per source, so that changing one source's generator
    # leaves the others' numbers as they were
    rng_obs, rng_fg, rng_crime, rng_survey = (np.random.default_rng([seed, k]) for k in range(1, 5))
    out = Path(out)
    for sub in ("observations", "focus_groups/transcripts", "crime", "survey"):
        (out / sub).mkdir(parents=True, exist_ok=True)

    def write(rel: str, text: str) -> None:
        (out / rel).write_text(text, encoding="utf-8", newline="\n")

    cal = _calendar()
    write("calendar.csv", _csv(cal, ["start", "end", "kind", "name"]))
    _write_observations(write, rng_obs, cal, scale, planted)
    _write_focus_groups(write, rng_fg, scale)
    _write_registers(write, rng_crime, rng_survey, planted)
    write(
        "identifiers.txt",
        "# Fictional identifier register of the synthetic example (for the leak scan).\n"
        + "\n".join(IDENTIFIERS)
        + "\n",
    )
    write_study(out)
    write_example_plan(out, PLAN, [z[0] for z in ZONES])  # observations/zones.geojson (the map)
    write_example_scene(out, TRUTH["crime"]["area"])  # crime/areas.geojson (drug scene by year)
    write_example_report(out)  # report.yaml (authors, commissioning body, ethics)
    write("README.md", _readme(seed, planted))
    # last: the marker holds the fingerprint of every other file (evaluation.marker)
    write_marker(
        out,
        SYNTHETIC_NOTE + f"\nseed: {seed}\n" + ("effects: reversed\n" if reverse_effects else ""),
    )
    return out
