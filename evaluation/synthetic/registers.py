"""The registers of the synthetic example: monthly reported crime, the drug-scene area,
and the safety survey."""

from __future__ import annotations

import math

import numpy as np

from .truth import TRUTH
from .world import _fmt

__all__: list[str] = []


def _crime(rng: np.random.Generator, truth: dict = TRUTH):
    t = truth["crime"]
    months = [(y, m) for y in range(2016, 2024) for m in range(1, 13)]
    base = {
        "sergels_torg": {"violence": 14, "robbery": 4, "drug_offences": 25, "theft": 30},
        "odenplan": {"violence": 6, "robbery": 2, "drug_offences": 5, "theft": 20},
        "norrmalm": {"violence": 120, "robbery": 30, "drug_offences": 150, "theft": 900},
        "stockholm": {"violence": 2400, "robbery": 400, "drug_offences": 2600, "theft": 16000},
    }
    iy, im = map(int, t["intervention"].split("-"))
    k = t["negbin_shape"]
    rows = []
    for area, cats in base.items():
        for cat, mu0 in cats.items():
            for i, (y, m) in enumerate(months):
                season = math.exp(
                    0.15 * math.cos(2 * math.pi * (m - 7) / 12)
                    + 0.05 * math.sin(4 * math.pi * m / 12)
                )
                mu = mu0 * season * t["baseline_trend_per_month"] ** i
                post = (y, m) >= (iy, im)
                if area == t["area"] and post:
                    if cat == "violence":
                        mu *= t["violence_level_change"]
                    elif cat == "drug_offences":
                        mu *= t["drug_offences_level_change"]
                if area == t["area"] and cat == "violence" and y == 2023:
                    mu *= t["area_2023_violence_factor"]
                lam = rng.gamma(k, mu / k)
                rows.append([f"{y}-{m:02d}", area, cat, int(rng.poisson(lam))])
    areas = []
    pop = {"norrmalm": 72000, "stockholm": 975000, "odenplan": 24000}
    ha = {"norrmalm": 680.0, "stockholm": 18800.0, "odenplan": 12.0}
    for area in base:
        for y in range(2016, 2024):
            if area == "sergels_torg":
                h = t["hectares_2023"] if y == 2023 else t["hectares_before_2023"]
                areas.append([area, y, _fmt(h, 1), ""])
            else:
                areas.append(
                    [area, y, _fmt(ha[area], 1), int(pop[area] * (1 + 0.008 * (y - 2016)))]
                )
    return rows, areas


def _survey(rng: np.random.Generator, truth: dict = TRUTH):
    t = truth["survey"]["safe_evening_odds_ratio_per_year"]
    rows = []
    base = {
        "sergels_torg": (-1.3, 0.4),
        "klara": (-0.6, 0.9),
        "stockholm": (0.3, 1.8),
    }  # logit evening, daytime
    nbase = {"sergels_torg": 360, "klara": 640, "stockholm": 14800}
    for year in range(2015, 2024):
        for area, (ev, day) in base.items():
            n_ev = int(nbase[area] * rng.uniform(0.85, 1.15))
            n_day = int(n_ev * 1.02)
            for item, logit, n in (
                ("safe_daytime", day, n_day),
                ("safe_evening", ev + math.log(t[area]) * (year - 2015), n_ev),
            ):
                p = 1 / (1 + math.exp(-logit))
                rows.append([year, area, item, n, int(rng.binomial(n, p))])
    return rows
