"""The synthetic national generator: shape, flags, determinism, and that it never touches the default db."""
from __future__ import annotations

import duckdb
import numpy as np
import pytest

from indicators.synth import SMALL, generate_national
from indicators.synth.national import prepare_out
from indicators.synth.regions import generate_counties, synthetic_reference
from indicators.store.db import connect as store_connect


@pytest.fixture(scope="module")
def small(default_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "national_small.duckdb"
    res = generate_national(out, SMALL, source_db=default_db)
    return res


def q(path, sql, params=None):
    con = store_connect(path, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_counts_match_the_spec(small):
    c = small.counts
    assert small.from_store
    assert c["prefectures"] == SMALL.max_prefectures
    assert c["years"] == 2 and c["indicators"] == SMALL.n_indicators
    assert c["observations"] == (c["prefectures"] + c["counties"]) * c["years"] * c["indicators"]
    assert c["od_rows"] >= SMALL.od_rows
    assert q(small.db_path, "SELECT count(*) FROM observation")[0][0] == c["observations"]
    assert q(small.db_path, "SELECT count(*) FROM od_flow")[0][0] == c["od_rows"]
    assert q(small.db_path, "SELECT count(DISTINCT year) FROM od_flow")[0][0] == SMALL.od_years


def test_every_generated_value_is_flagged_synthetic(small):
    assert q(small.db_path, "SELECT DISTINCT quality, source_id FROM observation") == [("synthetic", "synthetic_national")]
    assert q(small.db_path, "SELECT DISTINCT quality, source_id FROM od_flow") == [("synthetic", "synthetic_national")]
    assert q(small.db_path, "SELECT value FROM meta WHERE key = 'dataset'") == [("synthetic_national",)]
    assert q(small.db_path, "SELECT count(*) FROM source WHERE source_id = 'synthetic_national'")[0][0] == 1


def test_prefectures_are_real_codes_and_counties_hang_under_them(small, default_db):
    real = {r[0] for r in q(default_db, "SELECT code FROM region WHERE level = 'prefecture'")}
    prefs = [r[0] for r in q(small.db_path, "SELECT code FROM region WHERE level = 'prefecture'")]
    assert set(prefs) <= real
    counties = q(small.db_path, "SELECT code, parent_code, name_zh, source_id FROM region WHERE level = 'county'")
    assert len(counties) == small.counts["counties"]
    codes = [c[0] for c in counties]
    assert len(set(codes)) == len(codes) and not set(codes) & set(prefs)
    for code, parent, name, source in counties:
        assert len(code) == 6 and code.isdigit() and code[:4] == parent[:4]
        assert parent in prefs and "·县" in name and source == "synthetic_national"


def test_od_rows_are_distinct_and_never_self_flows(small):
    dup = q(small.db_path, "SELECT count(*) - count(DISTINCT (origin_code, dest_code, year, kind)) FROM od_flow")[0][0]
    assert dup == 0
    assert q(small.db_path, "SELECT count(*) FROM od_flow WHERE origin_code = dest_code OR value < 0")[0][0] == 0
    county = {r[0] for r in q(small.db_path, "SELECT code FROM region WHERE level = 'county'")}
    od_codes = {r[0] for r in q(small.db_path, "SELECT origin_code FROM od_flow UNION SELECT dest_code FROM od_flow")}
    assert od_codes <= county


def test_generation_is_deterministic(small, tmp_path, default_db):
    again = generate_national(tmp_path / "again.duckdb", SMALL, source_db=default_db)
    sql = "SELECT code, year, indicator, value FROM observation ORDER BY ALL"
    assert q(small.db_path, sql) == q(again.db_path, sql)
    sql = "SELECT origin_code, dest_code, year, value FROM od_flow ORDER BY ALL LIMIT 500"
    assert q(small.db_path, sql) == q(again.db_path, sql)


def test_values_are_finite_and_percentages_in_range(small):
    bad = q(small.db_path, """SELECT count(*) FROM observation o JOIN synthetic_indicator i USING (indicator)
                             WHERE isnan(o.value) OR isinf(o.value) OR o.value < 0
                                OR (i.kind = 'percent' AND o.value > 100)""")[0][0]
    assert bad == 0


def test_never_writes_the_default_database(default_db, monkeypatch, tmp_path):
    monkeypatch.setenv("TONGCHENG_DB", str(default_db))
    with pytest.raises(ValueError, match="default database"):
        prepare_out(default_db)
    other = tmp_path / "real.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(ValueError, match="not a synthetic dataset"):
        generate_national(other, SMALL, source_db=default_db)


def test_regenerating_replaces_an_earlier_synthetic_file(small, default_db):
    before = small.db_path.stat().st_size
    res = generate_national(small.db_path, SMALL, source_db=default_db)
    assert res.db_path.exists() and abs(res.db_path.stat().st_size - before) < before


def test_without_a_store_it_uses_flagged_stand_ins(tmp_path):
    res = generate_national(tmp_path / "nostore.duckdb", SMALL, source_db=tmp_path / "missing.duckdb")
    assert not res.from_store
    names = [r[0] for r in q(res.db_path, "SELECT name_zh FROM region WHERE level = 'prefecture'")]
    assert names and all(n.startswith("合成") for n in names)


def test_county_codes_skip_taken_codes():
    ref = synthetic_reference(5)
    prefs = ref.prefectures.copy()
    prefs.loc[len(prefs)] = prefs.iloc[0]
    prefs.loc[len(prefs) - 1, "code"] = prefs.iloc[0]["code"][:4] + "02"   # a county-level unit at prefecture level
    counties = generate_counties(prefs, 5.0, np.random.default_rng(1))
    assert not set(counties["code"]) & set(prefs["code"])
    assert counties["code"].is_unique
