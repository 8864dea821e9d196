"""Reliability coefficients against published worked examples and an independent implementation."""

import numpy as np
import pandas as pd
import pytest

from evaluation.coding import cohen_kappa, intercoder_reliability, krippendorff_alpha

NAN = np.nan
# Krippendorff K (2011) "Computing Krippendorff's alpha-reliability", section C:
# 4 coders x 12 units with missing values. Published: nominal .743, ordinal .815,
# interval .849, ratio .797.
KRIPP_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


@pytest.mark.parametrize(
    "level,expected",
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_published_example(level, expected):
    assert krippendorff_alpha(KRIPP_2011, level) == pytest.approx(expected, abs=0.0005)


def _nominal_alpha(data):
    """Independent implementation: coincidence matrix, alpha = 1 - D_o / D_e (Krippendorff 2011, C)."""
    arr = np.asarray(data, dtype=float)
    values = sorted(set(arr[~np.isnan(arr)]))
    idx = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for col in arr.T:
        vals = col[~np.isnan(col)]
        m = len(vals)
        if m < 2:
            continue
        for i, a in enumerate(vals):
            for j, b in enumerate(vals):
                if i != j:
                    o[idx[a], idx[b]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d_o = (o.sum() - np.trace(o)) / n
    d_e = (n * n - (n_c**2).sum()) / (n * (n - 1))
    return 1 - d_o / d_e


def test_nominal_alpha_matches_independent_implementation():
    assert krippendorff_alpha(KRIPP_2011, "nominal") == pytest.approx(
        _nominal_alpha(KRIPP_2011), abs=1e-12
    )
    rng = np.random.default_rng(5)
    for _ in range(5):
        d = rng.integers(0, 3, size=(3, 40)).astype(float)
        d[rng.random(d.shape) < 0.15] = np.nan
        assert krippendorff_alpha(d, "nominal") == pytest.approx(_nominal_alpha(d), abs=1e-10)


def test_interval_closed_form_equals_package():
    import krippendorff

    rng = np.random.default_rng(3)
    for _ in range(10):
        d = rng.poisson(8, size=(3, 60)).astype(float)
        d[rng.random(d.shape) < 0.2] = np.nan
        assert krippendorff_alpha(d, "interval") == pytest.approx(
            krippendorff.alpha(reliability_data=d, level_of_measurement="interval"), abs=1e-10
        )


def test_interval_alpha_scales_to_many_distinct_values():
    rng = np.random.default_rng(4)
    import krippendorff

    truth = rng.poisson(400, 20000).astype(float)
    d = np.vstack([truth, np.round(truth + rng.normal(0, 5, truth.size))])
    # signal variance 400, measurement noise 25: alpha close to 1 - 25 / (400 + 25) / ... ~ 0.97
    assert 0.95 < krippendorff_alpha(d, "interval") < 0.99
    sub = d[:, :300]
    assert krippendorff_alpha(sub, "interval") == pytest.approx(
        krippendorff.alpha(reliability_data=sub, level_of_measurement="interval"), abs=1e-10
    )


def test_cohen_kappa_worked_examples():
    # Wikipedia "Cohen's kappa", first example: 50 proposals, a = 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> 0.4
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)
    # same article: 45/15/25/15 -> p_o 0.6, p_e 0.54 -> 0.1304
    a = ["y"] * 60 + ["n"] * 40
    b = ["y"] * 45 + ["n"] * 15 + ["y"] * 25 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.1304, abs=0.00005)


def test_cohen_kappa_by_hand():
    rng = np.random.default_rng(1)
    a = rng.integers(0, 3, 200)
    b = np.where(rng.random(200) < 0.7, a, rng.integers(0, 3, 200))
    po = (a == b).mean()
    pe = sum((a == k).mean() * (b == k).mean() for k in range(3))
    assert cohen_kappa(a, b) == pytest.approx((po - pe) / (1 - pe), abs=1e-12)


def test_binary_fast_path_equals_statsmodels_kappa():
    from evaluation.coding.reliability import _binary_kappa

    rng = np.random.default_rng(9)
    for _ in range(20):
        x = rng.integers(0, 2, 300)
        y = np.where(rng.random(300) < 0.8, x, 1 - x)
        assert _binary_kappa(x.astype(float), y.astype(float)) == pytest.approx(
            cohen_kappa(x, y), abs=1e-12
        )


def test_missing_pairs_dropped_and_degenerate_cases():
    assert cohen_kappa([1, 1, 0, None], [1, 0, 0, 1]) == pytest.approx(
        cohen_kappa([1, 1, 0], [1, 0, 0])
    )
    assert np.isnan(cohen_kappa([1, 1], [1, 1]))
    assert np.isnan(krippendorff_alpha([[1, 1], [1, 1]]))
    with pytest.raises(ValueError):
        krippendorff_alpha(KRIPP_2011, "cardinal")


def test_intercoder_table_independent_recalculation():
    segs = pd.DataFrame({"group": "g", "segment": range(1, 11), "speaker": ["P1"] * 10})
    rows = [("g", s, "a", "k1") for s in (1, 2, 3, 4, 5)] + [
        ("g", s, "a", "k2") for s in (1, 2, 3, 6)
    ]
    cod = pd.DataFrame(rows, columns=["group", "segment", "code", "coder"])
    t = intercoder_reliability(cod, segs).set_index("code")
    k1 = np.isin(range(1, 11), [1, 2, 3, 4, 5]).astype(int)
    k2 = np.isin(range(1, 11), [1, 2, 3, 6]).astype(int)
    assert t.loc["a", "n_units"] == 10
    assert t.loc["a", "percent_agreement"] == pytest.approx(70.0)
    assert t.loc["a", "cohen_kappa"] == pytest.approx(cohen_kappa(k1, k2))
    assert t.loc["a", "krippendorff_alpha"] == pytest.approx(_nominal_alpha([k1, k2]))


def test_planted_disagreement_is_visible(example_ds):
    f = example_ds.focus_groups
    t = intercoder_reliability(f["codings"], f["segments"], example_ds.codebook).set_index("code")
    codes = t[t["level"] == "code"]
    assert codes["krippendorff_alpha"].idxmin() == "metodkonflikt"
    assert t.loc["metodkonflikt", "flag"] == "unreliable"
    assert t.loc["(all codes)", "krippendorff_alpha"] > 0.667
    assert list(t.reset_index().columns) == [
        "code",
        "level",
        "n_units",
        "n_coders",
        "n_present",
        "percent_agreement",
        "cohen_kappa",
        "krippendorff_alpha",
        "flag",
    ]


def test_kappa_numeric_labels_of_different_types_agree():
    # issue 15 fix 2. By hand (Cohen 1960): after dropping the pair with a missing label,
    # a = 1,2,1,2,3,1 and b = 1,2,1,2,3,2; p_o = 5/6, marginals a (3,2,1), b (2,3,1) of 6,
    # p_e = (3*2 + 2*3 + 1*1)/36 = 13/36, kappa = (30 - 13)/(36 - 13) = 17/23 = 0.7391.
    # Same as R: irr::kappa2(cbind(c(1,2,NA,1,2,3,1), c(1,2,NA,1,2,3,2)))$value.
    a = [1, 2, None, 1, 2, 3, 1]
    b = np.array([1.0, 2.0, np.nan, 1.0, 2.0, 3.0, 2.0])
    assert cohen_kappa(a, b) == pytest.approx(17 / 23, abs=1e-12)
    assert cohen_kappa(b, a) == pytest.approx(17 / 23, abs=1e-12)
    assert cohen_kappa(np.array(a[:2] + a[3:], dtype=np.int64), b[[0, 1, 3, 4, 5, 6]]) == (
        pytest.approx(17 / 23, abs=1e-12)
    )
    # text stays text: "1" and 1 are different labels, as in R (factor levels "1" and "1.0" differ)
    assert cohen_kappa(["1", "2", "1"], ["1.0", "2", "1"]) < 1
