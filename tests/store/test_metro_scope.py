"""Issue 11: metros as their plans draw them — county-level members, every national metro, the scope as a choice."""
from __future__ import annotations

import contextlib
import io
import shutil

import pandas as pd
import pytest

from indicators.engine.panel import metro_indicator_panel
from indicators.engine.scope import ScopeModel, metro_summary
from indicators.paths import DATA_DIR
from indicators.store import scope_queries as sq
from indicators.store.build import BuildError, build_database
from indicators.store.derive.common import DEFAULT_SHARED

needs_shared = pytest.mark.skipif(not (DEFAULT_SHARED / "facts/metro_plans.csv").exists(), reason="../shared/data not present")


@pytest.fixture
def con(store_con):
    return store_con


def _census_2020(con, scope, metro_id, indicator="census_population"):
    p = metro_indicator_panel(con, [indicator], 2020, 2020, scope=scope, use_cache=False)
    row = p[(p["metro_id"] == metro_id) & (p["year"] == 2020)]
    assert len(row) == 1, (metro_id, scope)
    return float(row["value"].iloc[0])


# the plans' own figures (metro_plans.csv: 成都 row 2, 重庆 row 7, 上海 row 9): 2020 resident population
@pytest.mark.parametrize("metro_id, stated", [("chengdu", 27_610_000), ("chongqing", 24_400_000), ("shanghai", 77_420_000)])
def test_plan_scope_census_population_matches_the_plan(con, metro_id, stated):
    value = _census_2020(con, "plan", metro_id)
    assert abs(value / stated - 1) < 0.005, (metro_id, value)
    # and the metro summary (CLI `metros`) gives the same number
    s = metro_summary(con, "plan").set_index("metro_id")
    assert s.at[metro_id, "population_census_2020"] == pytest.approx(value)
    assert s.at[metro_id, "stated_population"] == stated


def test_plan_scope_is_smaller_than_whole_prefectures_where_the_plan_is_county_level(con):
    plan, ext = _census_2020(con, "plan", "chongqing"), _census_2020(con, "extended", "chongqing")
    assert plan < 0.75 * ext            # 21 districts + 广安 against the whole municipality + 广安
    assert _census_2020(con, "plan", "shanghai") == pytest.approx(_census_2020(con, "extended", "shanghai"))


def test_census_ratios_are_exact_from_member_counties(con):
    """成都 plan 2020: urbanisation and schooling recomputed by hand from census_value."""
    model = ScopeModel(con, "plan")
    cells = model.census_cells()
    c = cells[(cells["metro_id"] == "chengdu") & (cells["year"] == 2020)].pivot_table(index="code", columns="indicator", values="value")
    urban = 100 * c["census_urban_population"].sum() / c["census_population"].sum()
    school = (c["census_schooling_years_6plus"] * c["census_pop_6plus_attainment"]).sum() / c["census_pop_6plus_attainment"].sum()
    assert _census_2020(con, "plan", "chengdu", "urbanization_rate") == pytest.approx(urban)
    assert _census_2020(con, "plan", "chengdu", "census_schooling_years_6plus") == pytest.approx(school)
    # the 德阳 part is the four listed counties, summed exactly
    v = sq.census_values(con)
    four = v[(v["year"] == 2020) & (v["indicator"] == "census_population") & (v["level"] == "county")
             & v["code"].isin(["510603", "510623", "510681", "510682"])]["value"].sum()
    assert c.at["510600", "census_population"] == pytest.approx(four)


def test_bengbu_is_in_hefei_extended_only_from_2019(con):
    m = sq.scope_members(con, "extended", "hefei")
    bengbu = m[m["code"] == "340300"]
    assert list(bengbu["valid_from"]) == ["2019-09-05"]
    groups = ScopeModel(con, "extended").shares([2018, 2019, 2020])
    h = groups[groups["metro_id"] == "hefei"]
    assert "340300" not in set(h[h["year"] == 2018]["code"])
    assert "340300" in set(h[h["year"] == 2019]["code"]) and "340300" in set(h[h["year"] == 2020]["code"])
    # never in the plan scope (the 2024 plan lists no 蚌埠 county)
    assert "340300" not in set(sq.scope_members(con, "plan", "hefei")["code"])
    p = metro_indicator_panel(con, ["gdp"], 2018, 2019, scope="extended", use_cache=False).set_index(["metro_id", "year"])
    assert p.at[("hefei", 2019), "members_total"] == p.at[("hefei", 2018), "members_total"] + 1


def test_a_missing_member_makes_a_gap_not_a_smaller_total(con):
    """渭南 has no 2023 GDP: 西安都市圈's 2023 GDP is a gap (3/4 members), never the sum of three."""
    p = metro_indicator_panel(con, ["gdp"], 2022, 2023, scope="plan", use_cache=False)
    xian = p[p["metro_id"] == "xian"]
    assert set(xian["year"]) == {2022}
    gaps = metro_indicator_panel(con, ["gdp"], 2023, 2023, scope="plan", use_cache=False, keep_gaps=True)
    g = gaps[(gaps["metro_id"] == "xian")].iloc[0]
    assert pd.isna(g["value"]) and (g["members_used"], g["members_total"]) == (3, 4)
    partial = metro_indicator_panel(con, ["gdp"], 2023, 2023, scope="plan", use_cache=False, partial=True)
    x = partial[partial["metro_id"] == "xian"].iloc[0]
    assert "partial" in x["quality"] and x["value"] > 0


def test_apportioned_values_say_so(con):
    p = metro_indicator_panel(con, ["gdp"], 2020, 2020, scope="plan", use_cache=False).set_index("metro_id")
    assert "apportioned" in p.at["chengdu", "quality"]          # 德阳/眉山/资阳 only in part
    assert "apportioned" not in p.at["shanghai", "quality"]     # nine whole cities


@needs_shared
def test_every_metro_of_metro_plans_is_in_the_store(con):
    from indicators.store.derive.metros import PLANS, parse_plans

    names = {r.metro_zh for r in parse_plans(DEFAULT_SHARED / PLANS)}
    scopes = sq.metro_scopes(con)
    assert set(scopes["name_zh"]) == names
    assert len(names) >= 21
    for scope in ("plan", "extended"):
        assert set(scopes.loc[scopes["scope"] == scope, "name_zh"]) == names
        s = metro_summary(con, scope)
        assert set(s["name_zh"]) == names
        assert s["population_census_2020"].notna().all(), s[s["population_census_2020"].isna()]


def test_status_is_recorded_per_metro_and_scope(con):
    s = sq.metro_scopes(con, "plan").set_index("metro_id")
    assert s.at["shenyang", "status"] == "from_memory"
    assert s.at["wuhan", "status"] == "unverified"
    assert s.at["chengdu", "status"] == "verified_page"


def test_metros_cli_prints_every_metro_in_both_scopes(store_db):
    from indicators.cli import main
    from indicators.cli.metros import COLUMNS

    for scope in ("plan", "extended"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["metros", "--scope", scope, "--format", "csv", "--db", str(store_db)]) == 0
        df = pd.read_csv(io.StringIO(out.getvalue()), dtype={"metro_id": str})
        assert list(df.columns) == COLUMNS
        assert len(df) == 21 and set(df["scope"]) == {scope}
        assert {"changzhutan", "shenzhen", "guangzhou", "zhengzhou", "shenyang", "xiazhangquan"} <= set(df["metro_id"])
    table = io.StringIO()
    with contextlib.redirect_stdout(table):
        assert main(["metros", "--db", str(store_db)]) == 0
    assert "长株潭都市圈" in table.getvalue() and "from_memory" in table.getvalue()


# ---------------------------------------------------------------- bad membership rows are build errors
def _data_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst)
    return dst


def _append(path, row: dict):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = pd.concat([df, pd.DataFrame([row])], ignore_index=True)
    df.to_csv(path, index=False, lineterminator="\n")
    return len(df) + 1            # the new row's line number


def _county_row(**kw):
    base = dict(metro_id="chengdu", scope="plan", county_code="510681", prefecture_code="510600", valid_from="",
                valid_to="", status="verified_page", source_id="metroplan_chengdu", plan_row="3", listed_as="x",
                part_only="False", note="")
    base.update(kw)
    return base


@pytest.mark.parametrize("row, reason", [
    (_county_row(county_code="510185", prefecture_code="512000", valid_from="2021-11-29"),     # 简阳: 成都 since 2016
     "is not in prefecture 512000"),
    (_county_row(county_code="999999"), "unknown county 999999"),
    (_county_row(), "claimed twice"),                                                            # 广汉 already listed
    (_county_row(valid_from="2025-01-01", valid_to="2024-01-01", county_code="510683", prefecture_code="510600"),
     "validity inverted"),
])
def test_bad_county_membership_is_a_build_error_naming_file_and_row(tmp_path, row, reason):
    data = _data_copy(tmp_path)
    line = _append(data / "metro_county_member.csv", row)
    with pytest.raises(BuildError) as err:
        build_database(tmp_path / "x.duckdb", data_dir=data)
    msg = str(err.value)
    assert f"metro_county_member.csv: row {line}" in msg and reason in msg, msg
    assert not (tmp_path / "x.duckdb").exists()


def test_county_in_another_prefecture_at_that_date(tmp_path):
    """寿县 was in 六安 until 2014 and is in 淮南 from 2015 (crosswalk): the date decides."""
    data = _data_copy(tmp_path)
    ok = _county_row(metro_id="hefei", county_code="340422", prefecture_code="341500", valid_from="2012-01-01",
                     valid_to="2014-12-31", source_id="metroplan_hefei", scope="extended")
    _append(data / "metro_county_member.csv", ok)
    sm = pd.read_csv(data / "metro_scope_member.csv", dtype=str, keep_default_na=False)
    assert ((sm["metro_id"] == "hefei") & (sm["scope"] == "extended") & (sm["code"] == "341500")).any()
    sm.loc[(sm["metro_id"] == "hefei") & (sm["scope"] == "extended") & (sm["code"] == "341500"), "coverage"] = "part"
    sm.to_csv(data / "metro_scope_member.csv", index=False, lineterminator="\n")
    from indicators.store.membership_checks import check_membership_files

    check_membership_files(data)                          # in 六安 in 2012: fine
    bad = dict(ok, prefecture_code="340400", valid_from="2012-01-01")
    line = _append(data / "metro_county_member.csv", bad)
    with pytest.raises(Exception, match=rf"row {line}: county 340422 寿县 is not in prefecture 340400"):
        check_membership_files(data)


@needs_shared
def test_metro_tables_are_reproducible_from_metro_plans(monkeypatch):
    """Re-deriving the metro tables from ../shared/data/facts/metro_plans.csv gives the committed data/ files."""
    from indicators.store.derive import metros

    metro, scope, sm, cm, legacy, sources = metros.derive(DEFAULT_SHARED)
    for frame, name in ((metro, "metro"), (scope, "metro_scope"), (sm, "metro_scope_member"),
                        (cm, "metro_county_member"), (legacy, "metro_member")):
        shipped = pd.read_csv(DATA_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        fresh = pd.read_csv(io.StringIO(frame.to_csv(index=False, lineterminator="\n")), dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(fresh, shipped, obj=name)


def test_boundary_sensitivity_ranks_each_metro_in_both_scopes(store_db, tmp_path):
    """compute --boundary-sensitivity: rank in the plan scope, in the extended scope, and the movement."""
    from indicators.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["compute", "--framework", "chengdu_eight", "--years", "2020-2023", "--out", str(tmp_path / "s.csv"),
                     "--db", str(store_db), "--boundary-sensitivity"]) == 0
    text = out.getvalue()
    assert "boundary sensitivity" in text and "scope plan" in text
    lines = {ln.split()[0]: ln for ln in text.splitlines() if ln.startswith("  ")}
    assert "chengdu" in lines and "→" in lines["chengdu"]
    scores = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
    assert set(scores["scope"]) == {"plan"}
