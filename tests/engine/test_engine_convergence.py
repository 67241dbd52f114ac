"""σ-convergence, β-convergence, growth co-movement (engine/convergence.py) and the member → core flow mean:
hand-computed cases, edge cases, and a year's value independent of the years asked for."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.engine.aggregation_rules import apply_rule
from indicators.engine.convergence import beta_slope, mean_pairwise_correlation, sigma_change
from indicators.engine.flows import flow_indicator


@pytest.mark.parametrize("start, end, window, expected", [
    # σ of ln values falls from sd([0, 1, 2]) = 0.8165 to sd([0.5, 1, 1.5]) = 0.4082 over 5 years
    ([0, 1, 2], [0.5, 1, 1.5], 5, 100 * (np.std([0.5, 1, 1.5]) - np.std([0, 1, 2])) / 5),
    ([0, 1, 2], [0, 1, 2], 5, 0.0),                       # no change
    ([0, 1, 2], [0, 2, 4], 4, 100 * (np.std([0, 2, 4]) - np.std([0, 1, 2])) / 4),   # diverging: positive
    ([0, 1], [0, 1], 5, np.nan),                          # fewer than 3 members: no value
])
def test_sigma_change(start, end, window, expected):
    got = sigma_change(np.array(start, float), np.array(end, float), window)
    assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected)


@pytest.mark.parametrize("start, end, window, expected", [
    # growth 100*(end-start)/w = [20, 10, 0] on start [0, 1, 2]: slope -10
    ([0, 1, 2], [1, 1.5, 2], 5, -10.0),
    ([0, 1, 2], [1, 2, 3], 5, 0.0),                       # equal growth: no β-convergence
    ([0, 1, 3], [0.5, 1.5, 3.5], 5, 0.0),
    ([1, 1, 1], [1, 2, 3], 5, np.nan),                    # no spread in initial levels
    ([0, 1], [1, 1], 5, np.nan),                          # fewer than 3 members
])
def test_beta_slope(start, end, window, expected):
    got = beta_slope(np.array(start, float), np.array(end, float), window)
    assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected)


def test_beta_slope_equals_numpy_polyfit():
    rng = np.random.default_rng(3)
    start = rng.normal(11, 0.4, 9)
    end = start + rng.normal(0.4, 0.1, 9)
    expected = np.polyfit(start, 100 * (end - start) / 5, 1)[0]
    assert beta_slope(start, end, 5) == pytest.approx(expected)


@pytest.mark.parametrize("columns, expected", [
    ({"a": [1, 2, 3, 4, 5], "b": [2, 4, 6, 8, 10]}, 1.0),
    ({"a": [1, 2, 3, 4, 5], "b": [5, 4, 3, 2, 1]}, -1.0),
    ({"a": [1, 2, 3, 4, 5], "b": [2, 4, 6, 8, 10], "c": [5, 4, 3, 2, 1]}, (1 - 1 - 1) / 3),
    ({"a": [1, 2, 3, 4], "b": [2, 4, 6, 8]}, np.nan),                      # fewer than 5 common years
    ({"a": [1, 2, 3, 4, 5, np.nan], "b": [2, 4, 6, 8, 10, 3]}, 1.0),       # pairs use common years only
    ({"a": [1, 1, 1, 1, 1], "b": [1, 2, 3, 4, 5]}, np.nan),                # a flat series has no correlation
])
def test_mean_pairwise_correlation(columns, expected):
    got = mean_pairwise_correlation(pd.DataFrame(columns))
    assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected)


def _panel(values: dict[str, dict[int, tuple[float, float]]], metro="m") -> pd.DataFrame:
    """W indexed by (metro_id, year, code) with gdp, resident_population and role (first code = core)."""
    rows = []
    for i, (code, by_year) in enumerate(values.items()):
        for year, (gdp, pop) in by_year.items():
            rows.append((metro, year, code, "core" if i == 0 else "member", gdp, pop))
    W = pd.DataFrame(rows, columns=["metro_id", "year", "code", "role", "gdp", "resident_population"])
    return W.set_index(["metro_id", "year", "code"]).sort_index()


def test_sigma_rule_on_a_panel_matches_the_formula():
    years = range(2010, 2017)
    pc = {"a": [100 * 1.02 ** k for k in range(7)], "b": [50 * 1.06 ** k for k in range(7)],
          "c": [25 * 1.10 ** k for k in range(7)]}
    W = _panel({c: {y: (v[k], 1.0) for k, y in enumerate(years)} for c, v in pc.items()})
    res = apply_rule(W, "s", {"rule": "sigma_convergence", "numerator": "gdp", "denominator": "resident_population",
                              "window": 5})
    got = res["value"].xs("m", level="metro_id")
    assert got.loc[2010:2014].isna().all()                   # no year t-5 yet
    for t in (2015, 2016):
        a = np.log([pc[c][t - 2010 - 5] for c in "abc"])
        b = np.log([pc[c][t - 2010] for c in "abc"])
        assert got.loc[t] == pytest.approx(100 * (np.std(b) - np.std(a)) / 5)
        assert got.loc[t] < 0                                # poorer members grow faster: converging
    beta = apply_rule(W, "b", {"rule": "beta_convergence", "numerator": "gdp", "denominator": "resident_population",
                               "window": 5})["value"].xs("m", level="metro_id")
    assert beta.loc[2015] < 0


def test_members_missing_an_end_are_left_out_not_zero():
    years = range(2010, 2016)
    W = _panel({"a": {y: (100.0, 1.0) for y in years}, "b": {y: (50.0, 1.0) for y in years},
                "c": {y: (25.0, 1.0) for y in years}, "d": {2015: (10.0, 1.0)}})   # d reports 2015 only
    got = apply_rule(W, "s", {"rule": "sigma_convergence", "numerator": "gdp", "denominator": "resident_population",
                              "window": 5})["value"].xs("m", level="metro_id")
    assert got.loc[2015] == pytest.approx(0.0)               # a, b, c unchanged; d not counted


def test_growth_comovement_rule():
    years = list(range(2010, 2019))
    common = [0.08, 0.07, 0.09, 0.05, 0.06, 0.04, 0.07, 0.03]
    gdp_a = np.exp(np.cumsum([0.0] + common))
    gdp_b = np.exp(np.cumsum([0.0] + [2 * g for g in common]))          # same cycle, twice as strong
    gdp_c = np.exp(np.cumsum([0.0] + [0.16 - g for g in common]))       # mirror image
    W = _panel({"a": dict(zip(years, zip(gdp_a, [1] * 9))), "b": dict(zip(years, zip(gdp_b, [1] * 9))),
                "c": dict(zip(years, zip(gdp_c, [1] * 9)))})
    got = apply_rule(W, "g", {"rule": "growth_comovement", "input": "gdp", "window": 8})["value"].xs("m", level="metro_id")
    assert got.loc[2018] == pytest.approx((1 - 1 - 1) / 3)
    assert np.isnan(got.loc[2012])                           # two growth years: too few


def test_member_to_core_mean_flow_rule():
    members = pd.DataFrame({"code": ["c", "m1", "m2"], "role": ["core", "member", "member"]})
    flows = pd.DataFrame({"origin_code": ["m1", "m2", "c", "m1"], "dest_code": ["c", "c", "m1", "m2"],
                          "year": [2017] * 4, "value": [60.0, 80.0, 5.0, 99.0]})
    assert flow_indicator("member_to_core_mean", flows, members).loc[2017] == pytest.approx(70.0)


def test_window_values_do_not_depend_on_the_years_asked_for(default_db):
    """compute --years 2023-2023 and the full panel give the same 2023 convergence values."""
    from indicators.engine.panel import metro_indicator_panel
    from indicators.store.db import connect
    con = connect(default_db, read_only=True)
    try:
        ids = ["gdp_pc_sigma_convergence", "gdp_pc_beta_convergence", "gdp_growth_comovement"]
        full = metro_indicator_panel(con, ids, 2010, 2023, use_cache=False)
        one = metro_indicator_panel(con, ids, 2023, 2023, use_cache=False)
    finally:
        con.close()
    a = full[full["year"] == 2023].set_index(["metro_id", "indicator"])["value"].sort_index()
    b = one.set_index(["metro_id", "indicator"])["value"].sort_index()
    assert len(b) >= 20
    pd.testing.assert_series_equal(a, b)
