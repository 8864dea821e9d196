"""The fixed world of the synthetic example: zones and their plan, observers, base rates,
focus groups, the calendar of activations and the season's temperature.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, timedelta

__all__ = [
    "ZONES",
    "PLAN",
    "OBSERVERS",
    "TEMPERATURE_REFERENCE",
    "BASE_STAYING",
    "GENDER_MULT",
    "PASSING_MULT",
    "GROUPS",
    "ROLE_WEIGHTS",
    "COOCCUR",
    "IDENTIFIERS",
]

ZONES = [
    ("plattan", 3200, "Plattan: the sunken plaza in front of Kulturhuset", 1.0, 1.5),
    ("trapporna", 900, "The stairs and ramps between Plattan and street level", 1.4, 1.2),
    ("kulturhuset", 1100, "The entrance area of Kulturhuset", 0.7, 0.3),
    ("tunnelbanan", 600, "The entrance to T-Centralen under the glass roof", 0.4, 0.8),
    ("sergelgatan", 1500, "Sergelgatan and the shopping street corner", 0.6, 0.4),
]  # id, m2, description, staying factor, drug-sale factor


def _rect(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


#: The schematic plan of the example square (metres east, north of the plaza's south-west
#: corner; not to scale of the real square): each zone's area equals its ``area_m2`` in
#: :data:`ZONES`. The sunken plaza in the middle, Kulturhuset's front along its south
#: side, the stairs up to street level along its north side, the passage to the metro
#: (T-Centralen) to the west, and Sergelgatan leaving to the north-east. Written by
#: :func:`evaluation.zonemap.write_example_plan` as ``observations/zones.geojson``.
PLAN: dict[str, list[tuple[float, float]]] = {
    "plattan": _rect(0, 0, 80, 40),  # 3200 m²
    "kulturhuset": _rect(0, -13.75, 80, 0),  # 1100 m²
    "trapporna": _rect(20, 40, 80, 55),  # 900 m²
    "tunnelbanan": _rect(-20, 5, 0, 35),  # 600 m²
    "sergelgatan": _rect(80, 40, 110, 90),  # 1500 m²
}
OBSERVERS = ["obs_a", "obs_b", "obs_c", "obs_d"]
#: temperature (degrees Celsius) at which the base rates hold
TEMPERATURE_REFERENCE = 15.0

# Base rates, people per hour in a zone with factor 1, by (gender, age band) for staying;
# passing is this times PASSING_MULT.
BASE_STAYING = {
    "0-12": 1.0,
    "13-18": 2.5,
    "19-29": 4.0,
    "30-64": 3.5,
    "65+": 0.8,
}
GENDER_MULT = {"female": 1.0, "male": 1.1, "unknown": 0.08}
PASSING_MULT = 12.0

GROUPS = [
    ("fg1_polis", [("POL1", "polis"), ("POL2", "polis"), ("POL3", "polis"), ("POL4", "polis")]),
    (
        "fg2_ungdomsjour",
        [
            ("UJ1", "ungdomsjour"),
            ("UJ2", "ungdomsjour"),
            ("UJ3", "ungdomsjour"),
            ("UJ4", "ungdomsjour"),
        ],
    ),
    (
        "fg3_falt",
        [
            ("FA1", "faltassistent"),
            ("FA2", "faltassistent"),
            ("FA3", "faltassistent"),
            ("FA4", "faltassistent"),
        ],
    ),
    (
        "fg4_vakter",
        [
            ("OV1", "ordningsvakt"),
            ("OV2", "ordningsvakt"),
            ("OV3", "ordningsvakt"),
            ("OV4", "ordningsvakt"),
        ],
    ),
    (
        "fg5_blandad",
        [
            ("POL5", "polis"),
            ("UJ5", "ungdomsjour"),
            ("FA5", "faltassistent"),
            ("OV5", "ordningsvakt"),
        ],
    ),
    (
        "fg6_falt_vakter",
        [
            ("FA6", "faltassistent"),
            ("FA7", "faltassistent"),
            ("OV6", "ordningsvakt"),
            ("OV7", "ordningsvakt"),
        ],
    ),
]
ROLE_WEIGHTS = {
    "polis": {
        "narkotikahandel": 4,
        "samverkan": 3,
        "upplevd_trygghet": 2,
        "exploatering": 2,
        "konst_kritik": 2,
        "arbetsmiljo": 2,
        "metodkonflikt": 1.5,
        "flickor_vistas": 1.5,
    },
    "ungdomsjour": {
        "exploatering": 4,
        "kontaktskapande": 3,
        "flickor_motesplats": 2.5,
        "metodkonflikt": 2.5,
        "flickor_vistas": 2,
        "samverkan": 1.5,
    },
    "faltassistent": {
        "flickor_vistas": 3.5,
        "kontaktskapande": 3.5,
        "metodkonflikt": 2,
        "konst_positiv": 2,
        "flickor_motesplats": 2,
        "flickor_passerar": 1.5,
    },
    "ordningsvakt": {
        "upplevd_trygghet": 3.5,
        "arbetsmiljo": 3,
        "tillfallig_park": 3,
        "narkotikahandel": 2.5,
        "konst_positiv": 2,
        "flickor_passerar": 1.5,
    },
}
COOCCUR = {
    "metodkonflikt": ["flickor_vistas", "narkotikahandel", "konst_positiv"],
    "exploatering": ["flickor_motesplats"],
    "tillfallig_park": ["narkotikahandel", "upplevd_trygghet"],
}

# Fictional register of "real" identities behind the pseudonyms: the leak scan
# looks for these strings in every output. None of them may appear in a report.
IDENTIFIERS = [
    "Karin Lindqvist",
    "Johan Berggren",
    "Amira Haddad",
    "Per-Olof Sundin",
    "Elin Norrgård",
    "Mikael Åström",
    "Sofia Lundmark",
    "Daniel Öberg",
    "Leila Farah",
    "Tobias Wikström",
    "Hanna Sjöberg",
    "Oskar Nyqvist",
    "Maria Ekholm",
    "Jonas Fält",
    "Ingrid Rask",
    "Fredrik Holm",
    "Sara Qvist",
    "Ali Nasser",
    "Lina Bergkvist",
    "Erik Dahl",
    "Nora Lindahl",
    "Viktor Sandberg",
    "Kerstin Ahl",
    "Peter Strand",
]


def _csv(rows: list[list], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _fmt(x: float, nd: int = 1) -> str:
    return f"{x:.{nd}f}"


def _calendar() -> list[list]:
    rows = [
        ["2019-03-01", "2025-12-31", "policing", "Kamerabevakning Sergels torg"],
        ["2019-06-01", "2019-09-30", "pilot", "Pilotprojekt Plattan 2019"],
        ["2020-06-10", "2020-08-20", "art", "Konst på Plattan 2020"],
        ["2021-06-10", "2021-08-20", "art", "Konst på Plattan 2021"],
        ["2022-06-10", "2022-08-20", "art", "Konst på Plattan 2022"],
        ["2022-09-05", "2022-11-30", "policing", "Polisinsats Klara hösten 2022"],
        ["2023-06-10", "2023-08-20", "park", "Tillfällig park Sergels torg 2023"],
        ["2024-06-10", "2024-08-20", "park", "Tillfällig park Sergels torg 2024"],
        ["2025-06-10", "2025-08-20", "art", "Konst på Plattan 2025"],
    ]
    for year in (2022, 2023):
        d = date(year, 6, 11)
        while d <= date(year, 8, 20):
            if d.weekday() == 5:  # Saturday stage events, every other week
                rows.append([d.isoformat(), d.isoformat(), "event", f"Scenkväll {d.isoformat()}"])
                d += timedelta(days=14)
            else:
                d += timedelta(days=1)
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


def _activation(day: date, cal: list[list]) -> str:
    kinds = {
        r[2]
        for r in cal
        if r[2] in ("art", "event", "park", "pilot") and r[0] <= day.isoformat() <= r[1]
    }
    for k in ("event", "park", "art"):
        if k in kinds:
            return k
    return "art" if "pilot" in kinds else "none"


def _seasonal_temperature(day: date) -> float:
    """The season's mean temperature on ``day`` (warmest in mid July), degrees Celsius."""
    return 14 + 8 * math.sin(math.pi * (day.timetuple().tm_yday - 120) / 150)
