"""Progress to plan targets (worked by hand) and the Monte Carlo rank analysis."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.engine.prepare import prepare_frame
from indicators.engine.score import score_panel
from indicators.engine.robustness import indicator_influence, sensitivity
from indicators.engine.targets import progress_row, target_progress


def test_progress_by_hand():
    # urbanisation 60 % in 2020 (base) → 64 % in 2023, target 70 % by 2025:
    # share of way = (64 − 60) / (70 − 60) = 0.4; time elapsed (2023 − 2020)/(2025 − 2020) = 0.6 → behind
    r = progress_row(64.0, 2023, 70.0, ">=", 2025, 60.0, 2020)
    assert r["gap"] == pytest.approx(6.0) and r["share_of_way"] == pytest.approx(0.4) and r["on_track"] is False
    r = progress_row(67.0, 2023, 70.0, ">=", 2025, 60.0, 2020)          # 0.7 ≥ 0.6 → on track
    assert r["on_track"] is True
    r = progress_row(1.15, 2023, 1.2, "<=", 2025, 1.3, 2020)            # met
    assert r["on_track"] is True and r["status"].startswith("已达标")
    r = progress_row(1.25, 2023, 1.2, "<=", 2025, 1.1, 2020)            # met at base, lost since
    assert r["on_track"] is False
    assert progress_row(None, None, 80.0, ">=", 2025, None, 2020)["on_track"] is None


def test_target_progress_from_frames():
    frames = {
        "targets": pd.DataFrame([{"target_id": "t", "scope": "G", "scope_kind": "group", "indicator": "urbanization_rate",
                                  "comparator": ">=", "value": 70.0, "target_year": 2025, "base_year": 2020,
                                  "base_value": None, "source_id": "s", "note": ""}]),
        "panel": pd.DataFrame({"metro_id": ["a", "a", "b"], "year": [2020, 2023, 2020], "indicator": "urbanization_rate",
                               "value": [60.0, 64.0, 75.0]}),
        "metros": pd.DataFrame({"metro_id": ["a", "b", "c"], "group_name": ["G", "G", "H"]}),
    }
    out = target_progress(frames).set_index("metro_id")
    assert list(out.index) == ["a", "b"]
    # issue 12: a group-wide target is a reference (参照) for each metro, never "met" or "on track" by one metro
    assert out["on_track"].isna().all() and out["status"].str.startswith("参照").all()
    assert "未达参照值" in out.loc["a", "status"] and "已越过参照值" in out.loc["b", "status"]
    assert not out["status"].str.contains("已达标").any()
    # a metro's own target keeps the progress arithmetic
    frames["targets"] = frames["targets"].assign(scope="a", scope_kind="metro")
    own = target_progress(frames).set_index("metro_id")
    assert list(own.index) == ["a"]
    assert own.loc["a", "share_of_way"] == pytest.approx(0.4) and bool(own.loc["a", "on_track"]) is False


def test_target_progress_default_data(default_db):
    from indicators.store.db import connect
    con = connect(default_db, read_only=True)
    try:
        out = target_progress(con)
    finally:
        con.close()
    assert {"scope", "indicator", "value", "target", "gap", "share_of_way", "on_track", "status"} <= set(out.columns)
    ratio = out[out["indicator"] == "core_whole_gdp_per_capita_ratio"]
    assert len(ratio) >= 5 and ratio["value"].notna().all()
    nodata = out[out["indicator"] == "good_air_day_rate"]
    assert nodata["value"].isna().all() and nodata["on_track"].isna().all()


def _panel(n_units=12, n_years=3, k=8, seed=0):
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product([[f"u{i:02d}" for i in range(n_units)], range(2020, 2020 + n_years)], names=["unit", "year"])
    return pd.DataFrame(rng.lognormal(size=(len(idx), k)), index=idx, columns=[f"i{j}" for j in range(k)])


def test_sensitivity_is_deterministic_and_consistent():
    p = prepare_frame(_panel(), {"a": ["i0", "i1", "i2", "i3"], "b": ["i4", "i5", "i6", "i7"]})
    s1 = sensitivity(p, n_draws=500, seed=7)
    s2 = sensitivity(p, n_draws=500, seed=7)
    pd.testing.assert_frame_equal(s1.summary, s2.summary)
    s = s1.summary
    assert s1.year == 2022 and len(s) == 12
    assert (s["p05"] <= s["median_rank"]).all() and (s["median_rank"] <= s["p95"]).all()
    np.testing.assert_allclose(s1.rank_probabilities.sum(axis=1), 1.0)
    np.testing.assert_allclose(s1.rank_probabilities.sum(axis=0), 1.0)     # each rank taken once per draw


def test_sensitivity_without_variation_gives_nominal_ranks():
    p = prepare_frame(_panel(), {"a": ["i0", "i1", "i2", "i3"], "b": ["i4", "i5", "i6", "i7"]})
    s = sensitivity(p, n_draws=50, seed=1, weight_noise=0.0, normalisations=("minmax",), aggregations=("amean",),
                    vary_missing=False, drop_one=False).summary
    assert (s["median_rank"] == s["nominal_rank"]).all() and (s["p05"] == s["p95"]).all()


def test_indicator_influence_dominant_indicator():
    # i0 decides everything when the other indicator is constant-ish: dropping i0 moves ranks, dropping i1 does not
    f = pd.DataFrame({"i0": np.arange(10.0), "i1": np.r_[np.zeros(9), 1.0]}, index=pd.Index([f"u{i}" for i in range(10)], name="unit"))
    inf = indicator_influence(prepare_frame(f))
    assert inf.iloc[0]["indicator"] == "i0" and inf.iloc[0]["mean_abs_rank_change"] > 0


def test_sensitivity_on_default_metros(default_db):
    from indicators.engine.prepare import prepare_panel
    from indicators.store.db import connect
    con = connect(default_db, read_only=True)
    try:
        p = prepare_panel(con, "qigeyi", (2010, 2023))
    finally:
        con.close()
    res = sensitivity(p, n_draws=300, seed=0)
    assert len(res.summary) == p.units.get_level_values(0).nunique() and res.summary["n_valid"].min() == 300
    inf = indicator_influence(p)
    assert inf["has_data"].sum() >= 5 and inf.iloc[0]["mean_abs_rank_change"] > 0
