"""Every value has a source and a valid quality flag; modelled and proxy values are visibly marked."""
from __future__ import annotations

import pytest

QUALITY = {"official", "cross_checked", "single_source", "conflict", "census", "estimate", "modelled", "synthetic"}


@pytest.fixture
def con(store_con):
    return store_con


@pytest.mark.parametrize("table", ["observation", "flow", "fact", "target"])
def test_every_row_cites_an_existing_source(con, table):
    sql = {  # constant SQL per table
        "observation": "SELECT count(*) FROM observation o LEFT JOIN source s USING (source_id) WHERE s.source_id IS NULL",
        "flow": "SELECT count(*) FROM flow o LEFT JOIN source s USING (source_id) WHERE s.source_id IS NULL",
        "fact": "SELECT count(*) FROM fact o LEFT JOIN source s USING (source_id) WHERE s.source_id IS NULL",
        "target": "SELECT count(*) FROM target o LEFT JOIN source s USING (source_id) WHERE s.source_id IS NULL",
    }[table]
    assert con.execute(sql).fetchone()[0] == 0


def test_quality_flags_are_valid(con):
    flags = {r[0] for r in con.execute(
        "SELECT quality FROM observation UNION SELECT quality FROM flow UNION SELECT quality FROM fact").fetchall()}
    assert flags <= QUALITY
    # the curated facts keep their flags
    obs = {r[0] for r in con.execute("SELECT DISTINCT quality FROM observation").fetchall()}
    assert {"cross_checked", "single_source", "conflict", "census"} <= obs


def test_modelled_rows_are_flagged_and_explained(con):
    kinds = dict(con.execute("SELECT kind, min(quality) || '/' || max(quality) FROM flow GROUP BY kind").fetchall())
    assert kinds["gravity_linkage"] == "modelled/modelled"
    assert kinds["migration_share"] == "single_source/single_source"
    notes = [r[0] for r in con.execute("SELECT DISTINCT note FROM flow WHERE quality = 'modelled'").fetchall()]
    assert notes and all("MODELLED" in n for n in notes)
    source = con.execute("SELECT notes FROM source WHERE source_id = 'gravity_model_tongcheng'").fetchone()[0]
    assert "P_i" in source and "d_ij" in source
    # nothing observed is passed off as modelled without a note, and nothing modelled hides among observations
    assert con.execute("SELECT count(*) FROM observation WHERE quality IN ('modelled', 'estimate') AND note IS NULL").fetchone()[0] == 0


def test_pm25_proxy_is_labelled(con):
    rows = con.execute("SELECT quality, note FROM observation WHERE indicator = 'pm25_good_day_share'").fetchall()
    assert rows and all(q == "single_source" and "PROXY" in n for q, n in rows)
    assert con.execute("SELECT count(*) FROM observation WHERE indicator = 'good_air_day_rate'").fetchone()[0] == 0


def test_gravity_matches_its_formula(con):
    import math

    from indicators.store.derive.flows import great_circle_km

    (g,) = con.execute("""SELECT value FROM flow WHERE kind = 'gravity_linkage' AND origin_code = '510600'
                          AND dest_code = '510100' AND year = 2020""").fetchone()
    pop = dict(con.execute("""SELECT code, value FROM observation WHERE indicator = 'resident_population' AND year = 2020
                              AND code IN ('510100', '510600')""").fetchall())
    seats = {c: (lon, lat) for c, lon, lat in con.execute(
        "SELECT code, seat_lon, seat_lat FROM region WHERE code IN ('510100', '510600')").fetchall()}
    d = great_circle_km(*seats["510100"], *seats["510600"])
    assert math.isclose(g, pop["510100"] * pop["510600"] / d ** 2, rel_tol=1e-3)
    assert 40 < d < 80  # 成都-德阳 seats are about 60 km apart


def test_rail_minutes_and_migration_are_cited_figures(con):
    (m,) = con.execute("""SELECT value FROM flow WHERE kind = 'rail_minutes' AND origin_code = '510600'
                          AND dest_code = '510100'""").fetchone()
    assert m == pytest.approx(23, abs=0.5)  # seed 001 reports 23 minutes to 德阳/眉山/资阳
    (s,) = con.execute("""SELECT value FROM flow WHERE kind = 'migration_share' AND origin_code = '510600'
                          AND dest_code = '510100'""").fetchone()
    assert 55 < s < 60  # 德阳 -> 成都 57.5% on 2020-01-07 (shared data README)


def test_yrd_targets_and_seed_facts(con):
    t = dict(con.execute("SELECT indicator, value FROM target WHERE scope = 'YRD'").fetchall())
    assert t["rail_density"] == 507 and t["urbanization_rate"] == 70 and t["good_air_day_rate"] == 80
    note = con.execute("SELECT note FROM target WHERE indicator = 'public_expenditure_per_capita'").fetchone()[0]
    assert "21万元" in note and "UNCONFIRMED" in note
    f = dict(con.execute("SELECT fact_id, value FROM fact").fetchall())
    assert f["chengdu_train_pairs"] == 104 and f["chengdu_train_minutes"] == 23 and f["yrd_action_plan_tasks"] == 165
    assert con.execute("SELECT count(*) FROM fact WHERE source_id NOT LIKE 'seed_%'").fetchone()[0] == 0
