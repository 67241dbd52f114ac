"""The read queries answer with the documented columns, filter correctly and never run injected SQL."""
from __future__ import annotations

import pytest

from indicators.store import queries as q


@pytest.fixture
def con(store_con):
    return store_con


def test_regions_and_aliases(con):
    prov = q.regions(con, "province")
    assert len(prov) >= 31 and set(prov.level) == {"province"}
    pref = q.regions(con, "prefecture")
    assert 330 <= len(pref) <= 345
    assert set(q.resolve_region(con, "成都").code) == {"510100"}
    assert set(q.resolve_region(con, "Chengdu").code) == {"510100"}
    assert set(q.resolve_region(con, "成都市").code) == {"510100"}
    assert set(q.resolve_region(con, "510100").code) == {"510100"}
    assert set(q.resolve_region(con, "襄樊").code) == {"420600"}
    assert set(q.resolve_region(con, "Suzhou").code) == {"320500", "341300"}  # ambiguous on purpose
    r = pref.set_index("code")
    assert r.at["510100", "name_en"] == "Chengdu" and r.at["510100", "seat_basis"] == "rail_cityinfo"
    assert r.at["341400", "valid_to"] == 2011


def test_observations_filters(con):
    df = q.observations(con, indicators=["gdp"], codes="510100", years=[2015, 2016])
    assert list(df.year) == [2015, 2016] and set(df.indicator) == {"gdp"}
    assert {"value", "quality", "source_id", "source_title", "note"} <= set(df.columns)
    assert df.source_title.notna().all()
    everything = q.observations(con)
    assert len(everything) > 29_000


def test_metro_city_panel_respects_membership_years(con):
    p = q.metro_city_panel(con, 2010, 2023)
    assert {"metro_id", "code", "role", "year", "indicator", "value", "quality", "source_id"} <= set(p.columns)
    quzhou = p[(p.metro_id == "hangzhou") & (p.code == "330800")]
    assert quzhou.year.min() == 2018
    chengdu = p[(p.metro_id == "chengdu") & (p.indicator == "gdp")]
    assert set(chengdu.code) == {"510100", "510600", "511400", "512000"} and chengdu.year.min() == 2010
    assert q.metro_city_panel(con, 2015, 2015).year.unique().tolist() == [2015]


def test_flows_by_kind_and_metro(con):
    f = q.flows(con, kind="migration_share", metro_id="chengdu")
    assert len(f) == 12  # every ordered pair of the 4 members is in the top 100
    assert set(f.kind) == {"migration_share"}
    rail = q.flows(con, kind="rail_minutes", metro_id="chengdu")
    assert set(rail.dest_code) == {"510100"}
    # Baidu 2020 shares, 12306 minutes c.2017 and their cut from c.2007, the modelled gravity term, Tencent 2017 trips
    assert set(q.flows(con).kind) == {"migration_share", "rail_minutes", "rail_minutes_cut_pct", "gravity_linkage",
                                      "tencent_trip_share"}


def test_targets_facts_sources_breaks(con):
    tg = q.targets(con)   # 9 YRD 2025 targets (seed 003) + 成都都市圈's own 2025 targets (issue 12: GDP, urbanisation)
    assert (tg["scope"] == "YRD").sum() == 9 and set(tg.loc[tg["scope"] == "chengdu", "indicator"]) == {"gdp", "urbanization_rate"}
    assert set(q.facts(con, "chengdu").metro_id) == {"chengdu"}
    assert len(q.facts(con)) > len(q.facts(con, "chengdu"))
    assert "seed_001" in set(q.sources(con).source_id)
    b = q.series_breaks(con, ["512000"])
    assert ((b.year == 2016) & (b.kind == "boundary_change")).any() and set(b.code) == {"512000"}
    assert len(q.data_origins(con)) >= 12


def test_provenance(con):
    p = q.provenance(con, "510100", 2016, "gdp")
    assert len(p) == 1
    row = p.iloc[0]
    assert row.source_id == "bulletins_via_gp" and row.quality == "cross_checked"
    assert row.source_title.startswith("各市国民经济和社会发展统计公报") and row.licence
    assert "简阳" in row.series_breaks_near
    assert q.provenance(con, "510100", 1999, "gdp").empty


@pytest.mark.parametrize("evil", ["510100' OR '1'='1", "x'); DROP TABLE observation; --"])
def test_parameters_are_not_sql(con, evil):
    assert q.observations(con, codes=[evil]).empty
    assert q.metro_members(con, evil).empty
    assert q.resolve_region(con, evil).empty
    assert con.execute("SELECT count(*) FROM observation").fetchone()[0] > 0


def test_queries_are_thread_safe_on_a_shared_connection(store_con):
    from concurrent.futures import ThreadPoolExecutor

    expected = len(q.metro_members(store_con, "wuhan"))
    with ThreadPoolExecutor(4) as pool:
        sizes = list(pool.map(lambda _: len(q.metro_members(store_con, "wuhan")), range(40)))
    assert sizes == [expected] * 40
