"""City → metro rules and flow indicators on small hand-made panels (expected values worked by hand)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.engine.flows import flow_indicator, gravity_linkage, great_circle_km
from indicators.engine.aggregation_rules import apply_rule


@pytest.fixture
def W():
    # one metro, one year: core A (GDP 300, pop 100), members B and C (GDP 100, pop 100 each), C has no PM2.5
    idx = pd.MultiIndex.from_tuples([("m", 2020, "A"), ("m", 2020, "B"), ("m", 2020, "C")], names=["metro_id", "year", "code"])
    return pd.DataFrame({"role": ["core", "member", "partial"], "gdp": [300.0, 100.0, 100.0],
                         "resident_population": [100.0, 100.0, 100.0], "pm25_mean": [40.0, 60.0, None],
                         "land_area_km2": [1000.0, 2000.0, 2000.0], "rail_length_km": [100.0, 50.0, 50.0]}, index=idx)


def value(W, rule: dict, iid="x", sign=1):
    return float(apply_rule(W, iid, rule, sign=sign)["value"].iloc[0])


def test_rules_by_hand(W):
    assert value(W, {"rule": "sum", "input": "gdp"}) == 500.0
    # rail density: (100 + 50 + 50) km / 5000 km² × 10⁴ = 400 km/万km²
    assert value(W, {"rule": "ratio_of_sums", "numerator": "rail_length_km", "denominator": "land_area_km2", "scale": 1e4}) == pytest.approx(400.0)
    # population-weighted PM2.5 over members that report it: (40·100 + 60·100) / 200 = 50
    assert value(W, {"rule": "weighted_mean", "input": "pm25_mean", "weight_by": "resident_population"}) == pytest.approx(50.0)
    # worst member: lower is better → the maximum, 60
    assert value(W, {"rule": "worst_member", "input": "pm25_mean"}, sign=-1) == 60.0
    assert value(W, {"rule": "worst_member", "input": "gdp"}, sign=1) == 100.0
    # 首位度: 300 / 500 = 60 %
    assert value(W, {"rule": "core_share", "input": "gdp"}) == pytest.approx(60.0)
    pc = {"numerator": "gdp", "denominator": "resident_population"}
    # core per capita 3, rest 200/200 = 1 → 3.0; whole 500/300 → 3 / (5/3) = 1.8
    assert value(W, {"rule": "core_rest_ratio", **pc}) == pytest.approx(3.0)
    assert value(W, {"rule": "core_whole_ratio", **pc}) == pytest.approx(1.8)
    # CV: y = (3, 1, 1), mean 5/3, var = ((4/3)² + 2·(2/3)²)/3 = 8/9 → sd 0.942809 / (5/3) = 0.565685
    assert value(W, {"rule": "cv", **pc}) == pytest.approx(math.sqrt(8 / 9) / (5 / 3))
    # Theil: 0.6 ln(1.8) + 2 · 0.2 ln(0.6) = 0.148342
    assert value(W, {"rule": "theil", **pc}) == pytest.approx(0.6 * math.log(1.8) + 0.4 * math.log(0.6))


def test_members_used_counts_missing_inputs(W):
    res = apply_rule(W, "pm25_mean", {"rule": "weighted_mean", "weight_by": "resident_population"})
    assert int(res["members_used"].iloc[0]) == 2 and int(res["members_total"].iloc[0]) == 3


def test_flow_rules_by_hand():
    members = pd.DataFrame({"code": ["A", "B", "C"], "role": ["core", "member", "member"]})
    flows = pd.DataFrame({"origin_code": ["B", "C", "B", "A", "A", "B"], "dest_code": ["A", "A", "C", "B", "C", "X"],
                          "year": 2020, "value": [50.0, 30.0, 10.0, 8.0, 4.0, 40.0]})
    # to the core: mean(50, 30) = 40
    assert flow_indicator("core_bound_share", flows, members).loc[2020] == pytest.approx(40.0)
    # internal: B 50+10 = 60, C 30, A 8+4 = 12 → mean 34 (B→X is outside the metro)
    assert flow_indicator("internal_flow_share", flows, members).loc[2020] == pytest.approx(34.0)
    minutes = pd.DataFrame({"origin_code": ["B", "A"], "dest_code": ["A", "C"], "year": 2017, "value": [45.0, 90.0]})
    assert flow_indicator("minutes_to_core_mean", minutes, members).loc[2017] == pytest.approx(67.5)
    assert flow_indicator("share_within_minutes", minutes, members, minutes=60).loc[2017] == pytest.approx(50.0)


def test_gravity_by_hand():
    # one degree of latitude ≈ 111.2 km; masses √(100·400) = 200 and √(25·100) = 50 → 200·50 / 111.2² ≈ 0.8087
    cities = pd.DataFrame({"code": ["A", "B"], "population": [100.0, 25.0], "gdp": [400.0, 100.0],
                           "lon": [110.0, 110.0], "lat": [30.0, 31.0]})
    d = great_circle_km(110, 30, 110, 31)
    assert d == pytest.approx(111.195, abs=0.01)
    g = gravity_linkage(cities)
    assert len(g) == 2 and g["value"].iloc[0] == pytest.approx(200 * 50 / d ** 2)
