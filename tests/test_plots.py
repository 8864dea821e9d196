"""One visual language: the colour scheme, goal colours, axes and legends of the figures."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from evaluation import plots  # noqa: E402

# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of
# color vision deficiency", IEEE TVCG 15(6): the severity-1.0 matrices (linear RGB).
MACHADO = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def _lab(hex_colour, vision=None):
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if vision:
        lin = np.clip(np.array(MACHADO[vision]) @ lin, 0, 1)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ lin
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _delta_e(a, b, vision=None):
    return float(np.linalg.norm(_lab(a, vision) - _lab(b, vision)))


# colours that appear together in one figure must stay apart for colour-blind readers too;
# ΔE (CIE76) >= 10 is a conservative "clearly different" (Tol's palettes are built for this)
GROUPS = {
    "activation kinds": [
        "activation_off",
        *plots.ACTIVATION_KINDS,
        "co_intervention",
        "sessions",
    ],
    "activation on/off": ["activation_off", "activation_on"],
    "areas": ["target", "comparison", "comparison_2", "comparison_3"],
    "time series": ["target", "comparison", "co_intervention"],
}


@pytest.mark.parametrize("vision", [None, *MACHADO])
@pytest.mark.parametrize("group", list(GROUPS))
def test_colours_shown_together_stay_distinct_for_colour_blind_readers(group, vision):
    cols = [plots.COLOURS[k] for k in GROUPS[group]]
    for i in range(len(cols)):
        for j in range(i + 1, len(cols)):
            assert _delta_e(cols[i], cols[j], vision) >= 10, (group, vision, cols[i], cols[j])


@pytest.mark.parametrize("vision", [None, *MACHADO])
def test_toward_and_away_from_the_goal_stay_distinct(vision):
    g = plots.GOAL_COLOURS
    for a, b in [
        ("toward", "away"),
        ("toward", "unclear"),
        ("away", "unclear"),
        ("concern", "away"),
    ]:
        assert _delta_e(g[a], g[b], vision) >= 10, (a, b, vision)


def test_each_colour_has_one_meaning():
    by_colour = {}
    for meaning, c in plots.COLOURS.items():
        by_colour.setdefault(c.upper(), []).append(meaning)
    assert all(len(m) == 1 for m in by_colour.values()), by_colour
    # the colours without a fixed meaning and the goal colours use none of the fixed ones
    fixed = {c.upper() for c in plots.COLOURS.values()}
    assert not fixed & {c.upper() for c in plots.PALETTE}
    assert not fixed & {c.upper() for c in plots.GOAL_COLOURS.values()}


def test_goal_direction_follows_the_goal_not_the_sign():
    # a drop in crime and a rise in girls staying both move toward the goal
    assert plots.goal_direction("its", "decrease") == "toward"
    assert plots.goal_direction("its", "increase") == "away"
    assert plots.goal_direction("per_hectare", "decrease") == "toward"
    assert plots.goal_direction("target_staying_rate_ratio", "increase") == "toward"
    assert plots.goal_direction("dealing_rate_ratio", "increase") == "away"
    assert plots.goal_direction("method_conflict_rate_ratio", "increase") == "away"
    assert plots.goal_direction("survey_trend", "increase") == "toward"
    assert plots.goal_direction("method_conflict", "concern") == "concern"
    # a result the goals say nothing about has no colour of its own
    assert plots.goal_direction("outreach_rate_ratio", "increase") == "unclear"


def _faces(ax):
    return [matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in ax.patches]


@pytest.mark.parametrize("questions", [("crime_safety", "girls"), ("q_trygghet", "q_malgrupp")])
def test_triangulation_colours_by_goal_with_a_legend(questions):
    # the colours follow the results, whatever the study calls its questions (issue 16)
    safety, group = questions
    ev = pd.DataFrame(
        {
            "question": [safety, safety, group],
            "source": ["crime", "survey", "observations"],
            "direction": ["increase", "increase", "increase"],
            "result": ["its", "survey_trend", "target_staying_rate_ratio"],
        }
    )
    ax = plots.triangulation(ev, language="en")
    faces = _faces(ax)
    toward, away = plots.GOAL_COLOURS["toward"].upper(), plots.GOAL_COLOURS["away"].upper()
    assert faces.count(toward) == 2  # survey up, the target group staying more
    assert faces.count(away) == 1  # crime up
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "moves toward the goal" in legend and "moves away from the goal" in legend
    plt.close("all")


@pytest.fixture(scope="module")
def crime(example_ds):
    from evaluation.analyses.crime import analyse_crime

    return analyse_crime(example_ds)


def test_its_axis_ends_with_the_data_and_co_interventions_are_hatched_and_named(crime):
    res = crime.its[("violence", None)]
    events = crime.co_interventions
    assert (events["end"] > pd.Timestamp("2023-01-01")).any()  # a period beyond the data
    ax = plots.its_figure(res, events=events, language="sv")
    cf = res.counterfactual()
    last = pd.Period(cf["period"].iloc[-1], freq="M").to_timestamp()
    assert matplotlib.dates.num2date(ax.get_xlim()[1]).replace(tzinfo=None) <= last
    legend = dict(
        zip(
            [t.get_text() for t in ax.get_legend().get_texts()],
            ax.get_legend().legend_handles,
            strict=True,
        )
    )
    named = [k for k in legend if k.startswith("samtidig insats: ")]
    assert len(named) == len(events[events["start"] <= last]) >= 1
    assert all(legend[k].get_hatch() for k in named)  # hatched, unlike the band
    band = legend["95 %-konfidensband"]
    assert not band.get_hatch()
    plt.close("all")


def test_rate_plot_legend_is_outside_the_points_and_colours_follow_the_scheme():
    rates = pd.DataFrame(
        {
            "zone": ["plattan", "plattan", "trapporna", "trapporna"],
            "activated": [0, 1, 0, 1],
            "rate": [1.0, 2.0, 0.5, 0.8],
            "ci_low": [0.5, 1.5, 0.2, 0.4],
            "ci_high": [1.5, 2.5, 0.9, 1.2],
        }
    )
    ax = plots.rate_plot(rates, "zone", hue="activated", language="en")
    fig = ax.figure
    fig.canvas.draw()
    leg = ax.get_legend().get_window_extent()
    assert leg.x0 >= ax.get_window_extent().x1 - 1  # to the right of the axes
    colours = {
        matplotlib.colors.to_hex(h.get_color()).upper() for h in ax.get_legend().legend_handles
    }
    assert colours == {
        plots.COLOURS["activation_off"].upper(),
        plots.COLOURS["activation_on"].upper(),
    }
    alt, caption = plots.figure_text(fig, "en")
    # the alt text gives every estimate: 2.00 (95% CI 1.50–2.50) for Plattan during activation
    assert "2.00 (95% CI 1.50–2.50)" in alt and "Highest" in alt
    plt.close("all")


def test_figures_drawn_elsewhere_get_a_description_from_their_texts():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], label="a")
    ax.set_title("Antal")
    ax.set_xlabel("år")
    ax.legend()
    alt, caption = plots.figure_text(fig, "sv")
    assert alt == "Figur: Antal. Vågrät axel: år; lodrät axel: –. Teckenförklaring: a."
    assert caption == "Antal"
    plt.close("all")


def test_share_bars_alt_names_each_groups_largest_share():
    shares = pd.DataFrame(
        {
            "theme": ["Trygghet", "Handel", "Trygghet", "Handel"],
            "role": ["polis", "polis", "fältassistent", "fältassistent"],
            "share": [10.0, 24.0, 30.0, 5.0],
        }
    )
    ax = plots.share_bars(shares, title="Teman", language="sv")
    alt, caption = plots.figure_text(ax.figure, "sv")
    assert "polis: Handel (24 %)" in alt and "fältassistent: Trygghet (30 %)" in alt
    assert caption == "Teman"
    plt.close("all")


def test_monthly_counts_target_in_its_colour_axis_to_the_data(example_ds):
    from evaluation.i18n import use_study

    use_study(example_ds.study)  # area labels come from the study, as in a notebook
    rep = example_ds.crime["reported"]
    fig = plots.monthly_counts(
        rep, ["violence"], ["sergels_torg", "odenplan"], target="sergels_torg", language="en"
    )
    ax = fig.axes[0]
    colours = {ln.get_label(): matplotlib.colors.to_hex(ln.get_color()).upper() for ln in ax.lines}
    assert colours == {
        "Sergels torg": plots.COLOURS["target"].upper(),
        "Odenplan": plots.COLOURS["comparison"].upper(),
    }
    last = pd.to_datetime(rep["month"].astype(str)).max()
    assert matplotlib.dates.num2date(ax.get_xlim()[1]).replace(tzinfo=None) == last
    alt, _ = plots.figure_text(fig, "en")
    # the first year's mean for Sergels torg, by hand from reported.csv
    s = rep[(rep["area"] == "sergels_torg") & (rep["category"] == "violence")]
    m = s[s["month"].astype(str).str.startswith("2016")]["count"].mean()
    assert f"Sergels torg {m:.1f} (2016)" in alt
    plt.close("all")
    use_study(None)


# WCAG 2.1 success criterion 1.4.11 (non-text contrast): graphical objects needed to understand
# a figure have a contrast ratio of at least 3:1 against adjacent colours (the white background);
# 1.4.3: text at least 4.5:1 against its background.
def _luminance(h):
    rgb = [int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _ratio(a, b="#FFFFFF"):
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_ratio_matches_the_wcag_definition():
    # WCAG 2.1: black on white is 21:1; #777777 on white is the well-known 4.48:1 (just fails AA)
    assert plots.contrast_ratio("#000000") == pytest.approx(21.0, abs=1e-9)
    assert plots.contrast_ratio("#777777") == pytest.approx(4.48, abs=0.005)
    assert plots.contrast_ratio("#117733", "#117733") == pytest.approx(1.0)


@pytest.mark.parametrize(
    "name, hex_colour",
    [
        *plots.COLOURS.items(),
        *[(f"palette {i}", c) for i, c in enumerate(plots.PALETTE)],
        *[(f"goal {g}", plots.GOAL_COLOURS[g]) for g in ("toward", "away", "concern")],
    ],
)
def test_colours_that_mark_data_have_3_to_1_contrast_against_white(name, hex_colour):
    assert _ratio(hex_colour) >= 3.0, (name, hex_colour, round(_ratio(hex_colour), 2))
    assert plots.contrast_ratio(hex_colour) == pytest.approx(_ratio(hex_colour))


@pytest.mark.parametrize("goal", list(plots.GOAL_COLOURS))
def test_text_on_the_goal_colours_has_4_5_to_1_contrast(goal):
    text = matplotlib.colors.to_hex(plots.GOAL_TEXT[goal]).upper()
    assert _ratio(plots.GOAL_COLOURS[goal], text) >= 4.5, goal


def test_kind_colours_follow_the_study_order_not_the_codes(example_ds):
    from evaluation.plots.alttext import _STATE

    kinds = list(example_ds.study.vocabularies["activation_kinds"])
    _STATE["study"] = example_ds.study
    try:
        cols = plots.kind_colours(["none", *reversed(kinds), "policing"])
    finally:
        _STATE["study"] = None
    assert cols["none"] == plots.COLOURS["activation_off"]
    assert cols["policing"] == plots.COLOURS["co_intervention"]
    for i, k in enumerate(kinds[:4]):
        assert cols[k] == plots.COLOURS[plots.ACTIVATION_KINDS[i]]
    # another study's kinds get the same scheme, by their sorted order
    other = plots.kind_colours(["zeta", "alpha"])
    assert other == {"alpha": plots.COLOURS["activation_1"], "zeta": plots.COLOURS["activation_2"]}
