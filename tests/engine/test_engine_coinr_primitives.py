"""COINr ASEM validation E01–E09: treatment, normalisation and aggregation primitives.

Expected values are COINr's published vignette output, transcribed in ../shared/validation/coinr_asem/expected
(see its README for every formula and tolerance).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.methods.aggregate import aggregate
from indicators.methods.normalise import normalize
from indicators.methods.treat import kurt, log_ct, passes_skew_kurt, skew, treat, treat_column, winsorise
from .validation_data import asem_tables, expected

X = list(range(1, 11)) + [30, 100]


def test_e01_skew_kurt_and_treat_vector():
    e = expected("E01_skew_kurt_vector.csv").set_index("case")
    assert skew(X) == pytest.approx(float(e.loc["E01a", "expected"]), abs=1e-6)
    assert kurt(X) == pytest.approx(float(e.loc["E01b", "expected"]), abs=1e-6)
    assert passes_skew_kurt(X) is False
    out, rep = treat_column(X, "x", winmax=2)
    assert rep.skew_after == pytest.approx(float(e.loc["E01d", "expected"]), abs=1e-6)
    assert rep.kurt_after == pytest.approx(float(e.loc["E01e", "expected"]), abs=1e-6)
    assert rep.passed_after is True


def _check_treat_rows(reports, exp, with_log=False):
    by = {r.column: r for r in reports}
    for _, row in exp.iterrows():
        r = by[row["iCode"]]
        assert r.passed_before == bool(row["SkewKurt0_Pass"]), row["iCode"]
        assert r.skew_before == pytest.approx(row["SkewKurt0_Skew"], abs=1e-6)
        assert r.kurt_before == pytest.approx(row["SkewKurt0_Kurt"], abs=1e-6)
        if not r.passed_before:
            assert r.winsorised == int(row["winsorise_nwin"])
            if with_log and r.log_applied:
                assert r.skew_after == pytest.approx(row["SkewKurt2_Skew"], abs=1e-6)
                assert r.kurt_after == pytest.approx(row["SkewKurt2_Kurt"], abs=1e-6)
            else:
                assert r.skew_after == pytest.approx(row["SkewKurt1_Skew"], abs=1e-6)
                assert r.kurt_after == pytest.approx(row["SkewKurt1_Kurt"], abs=1e-6)


def test_e02_treat_three_columns_defaults():
    data, _ = asem_tables()
    exp = expected("E02_treat_df_defaults_Flights_Goods_Services.csv")
    treated, reports = treat(data[["Flights", "Goods", "Services"]])
    _check_treat_rows(reports, exp)
    by = {r.column: r for r in reports}
    # winsorised rows (1-based, file order): Flights 30; Goods 11 and 35
    assert [p + 1 for p in by["Flights"].winsorised_positions] == [30]
    assert [p + 1 for p in by["Goods"].winsorised_positions] == [11, 35]
    assert treated["Services"].equals(data["Services"].astype(float))


def test_e03_treat_all_raw_defaults():
    data, meta = asem_tables()
    inds = meta.loc[meta["Type"] == "Indicator", "iCode"].tolist()
    _, reports = treat(data[inds])
    _check_treat_rows(reports, expected("E03_treat_raw_all_defaults_head6.csv"))


def test_e04_treat_winmax1_falls_back_to_log():
    data, meta = asem_tables()
    inds = meta.loc[meta["Type"] == "Indicator", "iCode"].tolist()
    _, reports = treat(data[inds], winmax=1)
    _check_treat_rows(reports, expected("E04_treat_raw_winmax1_head10.csv"), with_log=True)
    goods = {r.column: r for r in reports}["Goods"]
    assert goods.log_applied and goods.passed_after


def test_e05_special_cases():
    data, _ = asem_tables()
    e = expected("E05_treat_special_cases.csv").set_index("case")
    # E05a: winmax=0 for Flights -> log_CT on the original values
    _, reps = treat(data[["Flights"]], per_column={"Flights": {"winmax": 0}})
    assert reps[0].winsorised == 0 and reps[0].log_applied
    assert reps[0].skew_after == pytest.approx(e.loc["E05a", "SkewKurt2_Skew"], abs=1e-6)
    assert reps[0].kurt_after == pytest.approx(e.loc["E05a", "SkewKurt2_Kurt"], abs=1e-6)
    # E05b-d: winmax=1, skew_thresh=1.5, kurt_thresh=3
    _, reps = treat(data[["Flights", "Goods", "Services"]], winmax=1, skew_thresh=1.5, kurt_thresh=3)
    by = {r.column: r for r in reps}
    for case, col in (("E05b", "Flights"), ("E05c", "Goods")):
        assert by[col].winsorised == 1 and by[col].log_applied
        assert by[col].skew_after == pytest.approx(e.loc[case, "SkewKurt2_Skew"], abs=1e-6)
        assert by[col].kurt_after == pytest.approx(e.loc[case, "SkewKurt2_Kurt"], abs=1e-6)
    assert by["Services"].passed_before and by["Services"].action == "none"


def test_signalling_nan_is_quietened_before_treatment():
    """R's NA_real_ is a signalling NaN (0x7FF00000000007A2); treatment must behave as with a quiet NaN."""
    snan = np.array([0x7FF00000000007A2], dtype=np.uint64).view(np.float64)[0]
    assert np.isnan(snan)
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100, snan, 9.99, snan], dtype=float)
    q = x.copy()
    q[np.isnan(q)] = np.nan
    out_s, rep_s = treat_column(x, "s", winmax=5)
    out_q, rep_q = treat_column(q, "q", winmax=5)
    np.testing.assert_array_equal(np.isnan(out_s), np.isnan(out_q))
    np.testing.assert_allclose(out_s[~np.isnan(out_s)], out_q[~np.isnan(out_q)])
    assert rep_s.winsorised == rep_q.winsorised
    w, nwin, _ = winsorise(x, winmax=3)
    assert nwin <= 3 and np.nanmax(w) < 100
    assert np.nanmax(log_ct(x)) == pytest.approx(np.log(99 + 0.99))


def test_e06_normalise_individual_methods():
    data, meta = asem_tables()
    exp = expected("E06_normalise_indiv_specs_head10.csv").set_index("uCode")
    d = data.set_index("uCode").sort_index()
    lpi = normalize(d[["LPI"]], "borda")["LPI"]
    flights = normalize(d[["Flights"]], "zscore", mean=10, sd=2)["Flights"]
    ship = normalize(d[["Ship"]], "minmax", lower=0, upper=100)["Ship"]
    for u in exp.index:
        assert lpi[u] == pytest.approx(exp.loc[u, "LPI"], abs=1e-5)
        assert flights[u] == pytest.approx(exp.loc[u, "Flights"], abs=1e-5)
        assert ship[u] == pytest.approx(exp.loc[u, "Ship"], abs=1e-5)


def test_e07_minmax_default_0_100():
    e = expected("E07_qnormalise_madeup.csv").set_index("uCode")
    # the inputs are printed to 7 significant digits, so the outputs can only agree to ~1e-4 on 0-100
    out = normalize(e[["a_input", "b_input"]], "minmax")
    np.testing.assert_allclose(out["a_input"], e["a_expected"], atol=1e-4)
    np.testing.assert_allclose(out["b_input"], e["b_expected"], atol=1e-4)


def test_e08_amean_drops_missing_and_applies_threshold():
    df = pd.DataFrame({"i1": [1, 2, 3], "i2": [3, np.nan, np.nan], "i3": [1, np.nan, 1]})
    e = expected("E08_aggregate_small_cases.csv")
    y = aggregate(df, {"i1": 1, "i2": 1, "i3": 1}, "amean", dat_thresh=2 / 3)
    for _, row in e.iterrows():
        got = y.iloc[int(row["row"]) - 1]
        if pd.isna(row["expected"]):
            assert np.isnan(got)
        else:
            assert got == pytest.approx(row["expected"], abs=1e-6)


def test_e09_weighted_harmonic_mean():
    data, _ = asem_tables()
    e = expected("E09_hmean_weighted_head5_signif3.csv")
    cols = ["LPI", "Flights", "Ship", "Bord"]
    norm = normalize(data[cols], "minmax", lower=1, upper=100)
    y = aggregate(norm, {"LPI": 1, "Flights": 1, "Ship": 2, "Bord": 1}, "hmean")
    for _, row in e.iterrows():
        i = int(row["row_1based"]) - 1
        assert float(f"{y.iloc[i]:.3g}") == pytest.approx(row["y_hmean"], rel=1e-9)
        assert float(f"{norm['Flights'].iloc[i]:.3g}") == pytest.approx(row["Flights_norm"], rel=1e-9)
