"""Issue 12, points 1, 2, 4 and 5: evidence and vintage per cell, the carry rule, bounds, comparable rankings,
one normalisation reference, implausible inputs, data-hygiene flags. Table-driven where it fits."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.catalog import load_catalog
from indicators.catalog.models import CarryRule, Dimension, Framework, IndicatorRef, Reference
from indicators.engine.evidence import vintage_label
from indicators.engine.index import compute_index
from indicators.engine.prepare import prepare_panel
from indicators.engine.score import score_panel
from indicators.store import hygiene
from indicators.store.db import connect

FRAMEWORKS = ["chengdu_eight", "ndrc_six", "qigeyi"]


@pytest.fixture(scope="module")
def con(default_db):
    c = connect(default_db, read_only=True)
    yield c
    c.close()


def _fw(carry=None, floor=None, goalposts=None, missing_rule="reweight") -> Framework:
    return Framework(id="t", name_zh="测试", name_en="test", missing_rule=missing_rule, min_coverage=0.0,
                     coverage_floor=floor, carry=CarryRule(latest_within=carry) if carry else None,
                     reference=Reference(goalposts=goalposts or {}),
                     dimensions=[Dimension(id="a", name_zh="甲", name_en="A",
                                           indicators=[IndicatorRef(id="tertiary_share"), IndicatorRef(id="gdp_per_capita")]),
                                 Dimension(id="b", name_zh="乙", name_en="B",
                                           indicators=[IndicatorRef(id="core_bound_outflow_share")])])


def _panel(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["metro_id", "year", "indicator", "value", "quality"])
    return df.assign(source_ids="s", members_used=1, members_total=1)


BASE = [(m, y, "tertiary_share", v + y - 2018, "cross_checked") for m, v in (("a", 50.0), ("b", 60.0), ("c", 55.0))
        for y in (2018, 2019, 2020)] + \
       [(m, y, "gdp_per_capita", v * (1 + 0.05 * (y - 2018)), "cross_checked")
        for m, v in (("a", 1e5), ("b", 8e4), ("c", 9e4)) for y in (2018, 2019, 2020)]


@pytest.mark.parametrize("within, flow_year, year, carried", [
    (3, 2018, 2020, True),      # two years old: carried
    (1, 2018, 2020, False),     # too old for a 1-year rule: missing
    (3, 2020, 2020, False),     # own year: observed, not carried
    (None, 2018, 2020, False),  # no carry rule: a value never enters another year
])
def test_carry_rule_table(within, flow_year, year, carried):
    rows = BASE + [(m, flow_year, "core_bound_outflow_share", v, "single_source") for m, v in (("a", 40), ("b", 30), ("c", 20))]
    p = prepare_panel(None, _fw(carry=within), (2018, 2020), panel=_panel(rows), catalog=load_catalog())
    r = score_panel(p)
    c = r.contributions
    cell = c[(c["metro_id"] == "a") & (c["year"] == year) & (c["indicator"] == "core_bound_outflow_share")].iloc[0]
    assert bool(cell["carried"]) == carried
    if carried:
        assert cell["vintage"] == flow_year and cell["raw_value"] == 40
        # a carried cell never counts as observed: dimension b has data but zero observed coverage
        s = r.scores.set_index(["metro_id", "year", "dimension"])
        assert s.loc[("a", year, "b"), "coverage"] == 0 and s.loc[("a", year, "b"), "data_coverage"] == 1
        assert s.loc[("a", year, "index"), "estimate_share"] == pytest.approx(0.5)
    elif flow_year != year:
        assert np.isnan(cell["raw_value"])


@pytest.mark.parametrize("values, expect_max", [
    ([90.0, 95.0, 99.5], 100.0),   # a rising share would pass 100 % by trend: clipped to the bound
    ([10.0, 5.0, 1.0], 10.0),      # a falling share would go below 0: clipped at 0, never above its data
])
def test_own_trend_estimates_stay_within_bounds(values, expect_max):
    rows = [(m, y, "tertiary_share", v, "cross_checked") for m in ("a", "b") for y, v in zip((2015, 2016, 2017), values)]
    p = prepare_panel(None, _fw(missing_rule="own_trend"), (2015, 2020), panel=_panel(rows), catalog=load_catalog())
    col = p.indicators.index("tertiary_share")
    est = p.raw[p.imputed[:, col], col]
    assert len(est) and est.min() >= 0.0 and est.max() <= 100.0
    assert p.raw[:, col][~np.isnan(p.raw[:, col])].max() <= expect_max + 1e-9
    assert set(p.evidence[p.imputed[:, col], col]) == {"estimated"}
    step = next(s for s in p.log if s.name == "missing")
    assert step.params["clipped_to_bounds"] > 0


@pytest.mark.parametrize("lacking, floor, ranked_expect", [
    (None, None, {"a", "b", "c"}),            # same composition: all ranked
    ("c", None, {"a", "b"}),                  # c lacks the flow: not ranked, told what to import
    (None, 0.9, set()),                       # observed coverage 2/3 below a 0.9 floor: nobody ranked
])
def test_rankings_only_among_comparable_metros(lacking, floor, ranked_expect):
    rows = BASE + [(m, 2020, "core_bound_outflow_share", v, "single_source")
                   for m, v in (("a", 40), ("b", 30), ("c", 20)) if m != lacking]
    p = prepare_panel(None, _fw(floor=floor), (2020, 2020), panel=_panel(rows), catalog=load_catalog())
    s = score_panel(p).scores
    idx = s[s["dimension"] == "index"].set_index("metro_id")
    assert set(idx.index[idx["ranked"]]) == ranked_expect
    assert sorted(idx.loc[idx["ranked"], "rank"].astype(int)) == list(range(1, len(ranked_expect) + 1))
    assert idx.loc[~idx["ranked"], "rank"].isna().all()
    if lacking:
        assert idx.loc[lacking, "missing"] == "core_bound_outflow_share" and not np.isnan(idx.loc[lacking, "score"])


def test_fixed_goalposts_from_the_framework():
    p = prepare_panel(None, _fw(goalposts={"tertiary_share": (40.0, 80.0)}), (2018, 2020), panel=_panel(BASE),
                      catalog=load_catalog())
    col = p.indicators.index("tertiary_share")
    np.testing.assert_allclose(p.normalised[:, col], (p.raw[:, col] - 40.0) / 40.0 * 100.0)
    gp = next(s for s in p.log if s.name == "normalise").params["goalposts"]["tertiary_share"]
    assert gp == {"worst": 40.0, "best": 80.0, "fixed": True}


@pytest.mark.parametrize("year, evidence, period, carried, lang, for_year, text", [
    (2020, "snapshot", "2020-01-07..2020-01-08", False, "zh", 2020, "2020年1月快照"),
    (2020, "snapshot", "2020-01-07..2020-01-08", True, "zh", 2023, "2020年1月快照（沿用至2023年）"),
    (2020, "snapshot", "2020-01-07..2020-01-08", True, "en", 2022, "snapshot Jan 2020 (carried to 2022)"),
    (2017, "snapshot", "c.2017", False, "zh", 2017, "约2017年快照"),
    (2021, "observed", None, False, "zh", 2021, "2021年"),
    (2016, "proxy", None, True, "en", 2018, "proxy 2016 (carried to 2018)"),
    (np.nan, "estimated", None, False, "zh", 2019, "估算"),
])
def test_vintage_labels(year, evidence, period, carried, lang, for_year, text):
    assert vintage_label(year, evidence, period, carried, lang, for_year) == text


# ---------------------------------------------------------------- the default data (Done-when of issue 12)

@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_one_year_alone_equals_the_full_panel(con, framework):
    full = compute_index(con, framework, (2010, 2023)).scores
    alone = compute_index(con, framework, (2023, 2023)).scores
    a = full[full["year"] == 2023].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, alone.reset_index(drop=True))
    ref = next(s for s in compute_index(con, framework, (2023, 2023)).log if s.name == "normalise").params["reference"]
    assert ref["years"] == [2010, 2023] and ref["kind"] == "panel"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_2023_no_carried_value_counts_as_observed_and_ranked_metros_share_composition(con, framework):
    r = compute_index(con, framework, (2010, 2023))
    c = r.contributions
    c = c[(c["year"] == 2023) & c["raw_value"].notna()]
    carried = c[c["carried"].astype(bool)]
    assert (carried["vintage"] < 2023).all()
    s = r.scores[(r.scores["year"] == 2023)]
    idx = s[s["dimension"] == "index"].set_index("metro_id")
    # observed coverage, recomputed from the contributions: cells observed in 2023 only
    p = r.prepared
    m = p.membership
    dw = r.dimension_weights.reindex(p.dimensions).to_numpy()
    rows = np.flatnonzero(p.units.get_level_values("year") == 2023)
    for k in rows:
        metro = p.units[k][0]
        obs = ~np.isnan(p.normalised[k]) & np.isin(p.evidence[k], ["observed", "apportioned"]) & ~p.carried[k] & ~p.imputed[k]
        expect = ((obs.astype(float) @ m) / m.sum(axis=0)) @ dw / dw.sum()
        assert idx.loc[metro, "coverage"] == pytest.approx(expect)
    ranked = idx.index[idx["ranked"]]
    assert len(ranked) >= 2
    comps = {tuple(sorted(c[(c["metro_id"] == mm)]["indicator"].unique())) for mm in ranked}
    assert len(comps) == 1, comps


def test_implausible_inputs_excluded_by_default_with_a_switch(con):
    default = compute_index(con, "chengdu_eight", (2017, 2017))
    kept = compute_index(con, "chengdu_eight", (2017, 2017), include_implausible=True)
    excl = next(s for s in default.log if s.name == "exclude").params["flows"]
    assert any("341100->320100 2017: 341" in f for f in excl) and any("610400->610100 2017: 96" in f for f in excl)
    d = default.prepared.raw_frame["rail_minutes_cut_to_core"] if "rail_minutes_cut_to_core" in default.prepared.indicators else None
    k = kept.prepared.raw_frame["rail_minutes_cut_to_core"] if d is not None else None
    if d is not None:
        assert d.notna().sum() < k.notna().sum()
    assert next(s for s in kept.log if s.name == "load").params["include_implausible"] is True


# ---------------------------------------------------------------- data hygiene (store/hygiene.py)

@pytest.mark.parametrize("p2019, flag", [
    (1000.0 * (1.1) ** 0.9, "pop_census_consistent"),   # on the census path
    (1000.0 * (1.1) ** 0.9 * 0.90, "pop_pre_census"),     # 10 % below what the censuses imply
    (1000.0 * (1.1) ** 0.9 * 0.96, None),                # in between: no flag
])
def test_population_vintage_flags(p2019, flag):
    obs = pd.DataFrame([("x", 2019, "resident_population", p2019), ("x", 2015, "resident_population", 1050.0),
                        ("x", 2010, "census_population", 1000e4), ("x", 2020, "census_population", 1100e4)],
                       columns=["code", "year", "indicator", "value"])
    got = hygiene.population_vintage(obs)
    assert (set(got["flag"]) == {flag}) if flag else got.empty
    if flag:
        assert set(got["year"]) == {2015, 2019}


@pytest.mark.parametrize("values, rounded_years", [
    ({2020: 100.25, 2021: 110.5, 2022: 121.0, 2023: 130.75}, {2022}),
    ({2020: 100.0, 2021: 110.0, 2022: 121.0}, set()),   # a whole-number series is not "rounded" against itself
])
def test_rounded_gdp_flags(values, rounded_years):
    obs = pd.DataFrame([("x", y, "gdp", v) for y, v in values.items()], columns=["code", "year", "indicator", "value"])
    assert set(hygiene.rounded_gdp(obs)["year"]) == rounded_years


def test_share_breaks_detect_the_2019_tertiary_jump():
    rows = [("x", y, "gdp", 100.0) for y in (2017, 2018, 2019)] + \
           [("x", 2017, "gdp_tertiary", 50.0), ("x", 2018, "gdp_tertiary", 51.0), ("x", 2019, "gdp_tertiary", 62.5)]
    br = hygiene.share_breaks(pd.DataFrame(rows, columns=["code", "year", "indicator", "value"]))
    assert list(br["year"]) == [2019] and br["kind"].iloc[0] == "share_break" and "economic census" in br["description"].iloc[0]


def test_default_store_carries_evidence_and_flags(con):
    cur = con.cursor()
    try:
        ev = dict(cur.execute("SELECT evidence, count(*) FROM flow GROUP BY evidence").fetchall())
        chuzhou = cur.execute("SELECT flags FROM flow WHERE origin_code = '341100' AND dest_code = '320100' "
                              "AND kind = 'rail_minutes' AND year = 2017").fetchone()[0]
        cd_break = cur.execute("SELECT count(*) FROM series_break WHERE code = '510100' AND year = 2019 "
                               "AND kind = 'share_break'").fetchone()[0]
        rounded_2022 = cur.execute("SELECT count(*) FROM observation WHERE indicator = 'gdp' AND year = 2022 "
                                   "AND flags LIKE '%rounded%'").fetchone()[0]
        cd_pop = cur.execute("SELECT flags FROM observation WHERE code = '510100' AND year = 2015 "
                             "AND indicator = 'resident_population'").fetchone()[0]
        null_ev = cur.execute("SELECT count(*) FROM observation WHERE evidence IS NULL").fetchone()[0]
    finally:
        cur.close()
    assert ev.get("snapshot", 0) > 0 and ev.get("modelled", 0) > 0 and null_ev == 0
    assert chuzhou == "implausible" and cd_break == 1 and rounded_2022 >= 40
    assert cd_pop == "pop_census_consistent"


def test_metro_plan_targets_are_assessed_and_region_targets_are_references(con):
    from indicators.engine.targets import target_progress

    out = target_progress(con)
    cd = out[(out["scope"] == "chengdu") & (out["metro_id"] == "chengdu")].set_index("indicator")
    assert cd.loc["gdp", "target"] == 33000 and cd.loc["urbanization_rate", "target"] == 75
    assert not cd["status"].str.startswith("参照").any()
    from indicators.store import queries
    t = queries.targets(con)
    per_city = set(t.loc[t["applies_to"] == "each_city", "indicator"])   # e.g. good-air days: each city must meet it
    yrd = out[(out["scope_kind"] == "group") & ~out["indicator"].isin(per_city)]
    assert len(yrd) and yrd["status"].str.startswith("参照").all() and yrd["on_track"].isna().all()
    assert not yrd["status"].str.contains("已达标").any()


@pytest.mark.parametrize("year, lang, expect", [
    (2015, "zh", "武汉都市圈"),     # 武汉 2011–2019 population is a pre-census estimate; 成都, 杭州 follow the census
    (2015, "en", "pre-census"),
    (2021, "zh", ""),               # after the census: one vintage
])
def test_population_vintage_warning(con, year, lang, expect):
    from indicators.engine.evidence import population_vintage_warning

    p = prepare_panel(con, "chengdu_eight", (2010, 2023))
    text = population_vintage_warning(con, p, year, lang=lang)
    assert (expect in text) if expect else text == ""
