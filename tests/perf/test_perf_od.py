"""OD import (all-or-nothing validation) and aggregation to metro level (set-based SQL vs pandas)."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from indicators.store.od import ODImportError, aggregate_to_metro, aggregate_to_metro_pandas, ensure_od_table, import_od
from indicators.store.db import connect
from indicators.synth import SMALL, generate_national
from indicators.store.db import connect as store_connect

# Three cities in one metro (A core, B, C members) plus an outside city D; two counties each.
REGIONS = pd.DataFrame({
    "code": ["110100", "110101", "110102", "120100", "120101", "120102", "130100", "130101", "130102",
             "140100", "140101", "140102"],
    "level": ["prefecture", "county", "county"] * 4,
    "parent_code": ["110000", "110100", "110100", "120000", "120100", "120100", "130000", "130100", "130100",
                    "140000", "140100", "140100"],
})
REGIONS["name_zh"] = REGIONS["code"]
METROS = pd.DataFrame({"metro_id": ["m1"], "name_zh": ["甲都市圈"], "name_en": ["M1"], "core_code": ["110100"]})
MEMBERS = pd.DataFrame({"metro_id": ["m1"] * 3, "code": ["110100", "120100", "130100"],
                        "role": ["core", "member", "member"], "valid_from": [1900, 1900, 2021],
                        "valid_to": [9999, 9999, 9999]})
OD = pd.DataFrame([
    # origin, dest, year, value
    ("110101", "110102", 2020, 100.0),   # within core city
    ("110101", "120101", 2020, 10.0),    # core -> member
    ("120101", "110101", 2020, 40.0),    # member -> core (core-bound)
    ("120102", "110102", 2020, 20.0),    # member -> core (core-bound)
    ("120101", "140101", 2020, 40.0),    # member -> outside
    ("130101", "110101", 2020, 7.0),     # C not yet a member in 2020: ignored as origin
    ("120101", "130101", 2020, 5.0),     # member -> C (not a member in 2020): leaves the metro
    ("120101", "130101", 2021, 5.0),     # 2021: C is a member: internal, not core-bound
    ("130101", "110101", 2021, 15.0),    # 2021: C -> core, core-bound
    ("140101", "110101", 2021, 99.0),    # outside -> core: not an outflow of the metro
    ("999901", "110101", 2021, 50.0),    # unknown code: left out
], columns=["origin_code", "dest_code", "year", "value"]).assign(kind="commuting")


@pytest.fixture
def small_db(tmp_path):
    path = tmp_path / "od.duckdb"
    con = connect(path)
    con.register("r", REGIONS)
    con.execute("INSERT INTO region BY NAME SELECT * FROM r")
    con.register("m", METROS)
    con.execute("INSERT INTO metro BY NAME SELECT * FROM m")
    con.register("mm", MEMBERS)
    con.execute("INSERT INTO metro_member BY NAME SELECT * FROM mm")
    ensure_od_table(con)
    yield con
    con.close()


def write(df: pd.DataFrame, path, fmt="parquet"):
    if fmt == "parquet":
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)
    return path


def test_hand_computed_metro_figures(small_db, tmp_path):
    import_od(small_db, write(OD, tmp_path / "od.parquet"), unit="人次", source_id="test", quality="synthetic")
    got = aggregate_to_metro(small_db, "commuting").set_index("year")
    y20, y21 = got.loc[2020], got.loc[2021]
    assert y20["outflow"] == 10 + 40 + 20 + 40 + 5
    assert y20["internal"] == 10 + 40 + 20
    assert y20["within_city"] == 100
    assert y20["member_outflow"] == 40 + 20 + 40 + 5
    assert y20["core_bound"] == 60
    assert y20["core_bound_share"] == pytest.approx(100 * 60 / 105)
    assert y20["internal_share"] == pytest.approx(100 * 70 / 115)
    assert y21["outflow"] == 20 and y21["internal"] == 20 and y21["core_bound"] == 15
    assert aggregate_to_metro(small_db, "commuting", year=2021)["year"].tolist() == [2021]


def test_sql_equals_pandas_on_the_hand_table(small_db, tmp_path):
    import_od(small_db, write(OD, tmp_path / "od.parquet"), unit="人次", source_id="test", quality="synthetic")
    sql = aggregate_to_metro(small_db, "commuting")
    ref = aggregate_to_metro_pandas(OD, REGIONS, METROS, MEMBERS, "commuting")
    pd.testing.assert_frame_equal(sql, ref, check_dtype=False)


def test_sql_equals_plain_pandas_groupby_on_generated_data(default_db, tmp_path):
    res = generate_national(tmp_path / "n.duckdb", SMALL, source_db=default_db)
    con = store_connect(res.db_path, read_only=True)
    try:
        sql = aggregate_to_metro(con, "commuting")
        od = con.execute("SELECT * FROM od_flow").df()
        regions = con.execute("SELECT * FROM region").df()
        metros = con.execute("SELECT * FROM metro").df()
        members = con.execute("SELECT * FROM metro_member").df()
    finally:
        con.close()
    assert len(sql) > 0 and sql["internal"].sum() > 0
    # An independent plain groupby: county -> city, then the city pair sums per metro.
    city = regions.set_index("code")["parent_code"].where(regions.set_index("code")["level"] == "county",
                                                           regions.set_index("code").index.to_series())
    od = od.assign(o=od["origin_code"].map(city), d=od["dest_code"].map(city))
    inter = od[od["o"] != od["d"]]
    for metro_id, grp in members.groupby("metro_id"):
        core = metros.set_index("metro_id").loc[metro_id, "core_code"]
        mem = set(grp["code"])
        out = inter[inter["o"].isin(mem)].groupby("year")["value"].sum()
        internal = inter[inter["o"].isin(mem) & inter["d"].isin(mem)].groupby("year")["value"].sum()
        cb = inter[inter["o"].isin(mem - {core}) & (inter["d"] == core)].groupby("year")["value"].sum()
        mine = sql[sql["metro_id"] == metro_id].set_index("year")
        for year, v in out.items():
            assert mine.loc[year, "outflow"] == pytest.approx(v)
            assert mine.loc[year, "internal"] == pytest.approx(internal.get(year, 0.0))
            assert mine.loc[year, "core_bound"] == pytest.approx(cb.get(year, 0.0))


def test_csv_and_parquet_import_the_same_rows(small_db, tmp_path):
    full = OD.assign(unit="人次", source_id="csv_src", quality="estimate")
    r = import_od(small_db, write(full, tmp_path / "od.csv", "csv"))
    assert r.rows == len(OD)
    r = import_od(small_db, write(OD, tmp_path / "od.parquet"), unit="人次", source_id="pq_src", quality="estimate")
    assert r.rows == len(OD)
    rows = small_db.execute("""SELECT source_id, count(*), sum(value) FROM od_flow GROUP BY 1 ORDER BY 1""").fetchall()
    assert rows == [("csv_src", len(OD), OD["value"].sum()), ("pq_src", len(OD), OD["value"].sum())]
    assert small_db.execute("SELECT DISTINCT quality FROM od_flow").fetchall() == [("estimate",)]


@pytest.mark.parametrize("mutate, problem", [
    (lambda d: d.assign(origin_code=d["origin_code"].where(d.index != 3, "12AB01")), "bad_code"),
    (lambda d: d.assign(dest_code=d["dest_code"].where(d.index != 3, "1101")), "bad_code"),
    (lambda d: d.assign(value=d["value"].where(d.index != 2, -1.0)), "bad_value"),
    (lambda d: d.assign(year=d["year"].where(d.index != 2, 1800)), "bad_year"),
    (lambda d: pd.concat([d, d.iloc[[0]]]), "duplicate"),
])
def test_a_bad_row_rejects_the_whole_file(small_db, tmp_path, mutate, problem):
    with pytest.raises(ODImportError) as err:
        import_od(small_db, write(mutate(OD.copy()), tmp_path / "bad.parquet"), unit="人次", source_id="s",
                  quality="synthetic")
    assert problem in err.value.problems
    assert small_db.execute("SELECT count(*) FROM od_flow").fetchone()[0] == 0


def test_bad_quality_and_missing_provenance_are_refused(small_db, tmp_path):
    path = write(OD, tmp_path / "od.parquet")
    with pytest.raises(ODImportError, match="bad_quality"):
        import_od(small_db, path, unit="人次", source_id="s", quality="made_up")
    with pytest.raises(ODImportError, match="missing_unit_source_or_quality"):
        import_od(small_db, path)
    full = OD.assign(unit="人次", source_id="s", quality="guess")
    with pytest.raises(ODImportError, match="bad_unit_source_or_quality"):
        import_od(small_db, write(full, tmp_path / "q.parquet"))
    with pytest.raises(ODImportError, match="missing_column"):
        import_od(small_db, write(OD.drop(columns="kind"), tmp_path / "nokind.parquet"), unit="人次",
                  source_id="s", quality="synthetic")


def test_the_same_rows_twice_are_refused(small_db, tmp_path):
    path = write(OD, tmp_path / "od.parquet")
    import_od(small_db, path, unit="人次", source_id="s", quality="synthetic")
    with pytest.raises(ODImportError, match="already_stored"):
        import_od(small_db, path, unit="人次", source_id="s", quality="synthetic")
    assert small_db.execute("SELECT count(*) FROM od_flow").fetchone()[0] == len(OD)
    import_od(small_db, path, unit="人次", source_id="other", quality="synthetic")   # another source is fine
    assert small_db.execute("SELECT count(*) FROM od_flow").fetchone()[0] == 2 * len(OD)
