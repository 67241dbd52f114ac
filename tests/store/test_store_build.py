"""The shipped dataset builds into every metro with its members; the build is atomic and validated."""
from __future__ import annotations

import shutil
import time

import duckdb
import pytest

from indicators.paths import DATA_DIR
from indicators.store import db
from indicators.store import queries as q
from indicators.store.build import BuildError, build_database
from indicators.store.db import connect as store_connect

# every metro of ../shared/data/facts/metro_plans.csv (21): the first eleven plus the national metros added in issue 11
METROS = {"chengdu", "shanghai", "nanjing", "hangzhou", "hefei", "suxichang", "ningbo", "fuzhou", "wuhan", "xian",
          "chongqing", "changzhutan", "shenzhen", "guangzhou", "zhengzhou", "shenyang", "xiazhangquan", "jinan",
          "qingdao", "changchun", "nanchang"}


@pytest.fixture
def con(store_con):
    return store_con


def test_schema_ddl_is_idempotent(tmp_path):
    from indicators.store.build import EXTRA_SCHEMA_PATH

    c = duckdb.connect(str(tmp_path / "x.duckdb"))
    for _ in range(2):
        db.ensure_schema(c)
        c.execute(EXTRA_SCHEMA_PATH.read_text(encoding="utf-8"))
    c.execute("INSERT INTO source (source_id, title) VALUES (?, ?)", ["s", "t"])
    db.ensure_schema(c)  # running the DDL again keeps the data
    assert c.execute("SELECT count(*) FROM source").fetchone()[0] == 1
    c.close()


def test_every_metro_with_its_members(con):
    m = q.metros(con)
    assert set(m.metro_id) == METROS
    members = q.metro_members(con)
    for metro_id, core in zip(m.metro_id, m.core_code):
        g = members[members.metro_id == metro_id]
        assert len(g) >= 2, metro_id
        assert g.loc[g.role == "core", "code"].tolist() == [core], metro_id


def test_chengdu_core_and_partial_members_with_parts(con):
    g = q.metro_members(con, "chengdu")
    assert dict(zip(g.code, g.role)) == {"510100": "core", "510600": "partial", "511400": "partial", "512000": "partial"}
    parts = dict(zip(g.code, g.parts))
    # the plan's county lists (metro_plans.csv rows 3-5), not the seed's abbreviations
    assert set(parts["510600"].split("、")) == {"旌阳区", "什邡市", "广汉市", "中江县"}
    assert set(parts["511400"].split("、")) == {"东坡区", "彭山区", "仁寿县", "青神县"}
    assert set(parts["512000"].split("、")) == {"雁江区", "乐至县"}
    assert set(g.source_id) == {"metroplan_chengdu"}


def test_cities_in_several_metros_and_later_additions(con):
    both = q.metro_members(con)
    metros_of = both.groupby("code").metro_id.apply(set)
    assert {"nanjing", "hefei"} <= metros_of["341100"]  # 滁州
    assert {"shanghai", "ningbo"} <= metros_of["330200"]
    assert "341000" not in set(q.metro_members(con, "hangzhou", 2015).code)  # 黄山 joins later
    assert "341000" in set(q.metro_members(con, "hangzhou", 2020).code)
    chongqing = q.metro_members(con, "chongqing")
    assert set(chongqing.code) == {"500100", "511600"}
    assert chongqing.loc[chongqing.code == "500100", "parts"].notna().all()


def test_membership_basis_is_recorded(con):
    m = q.metros(con).set_index("metro_id")
    # membership_basis carries the plan scope's status from metro_plans.csv
    assert m.at["chengdu", "membership_basis"] == "verified_page"
    assert m.at["shenyang", "membership_basis"] == "from_memory"
    assert m.at["suxichang", "membership_basis"] == "unverified"
    assert set(m.membership_basis) <= {"verified_page", "partial_verified", "unverified", "from_memory"}


def test_build_is_fast_and_counts_rows(tmp_path):
    t0 = time.perf_counter()
    counts = build_database(tmp_path / "fast.duckdb")
    assert time.perf_counter() - t0 < 10
    assert counts["observation"] > 29_000 and counts["region"] >= 360 and counts["flow"] > 0
    c = store_connect(tmp_path / "fast.duckdb", read_only=True)
    meta = dict(c.execute("SELECT key, value FROM meta").fetchall())
    assert len(meta["data_digest"]) == 64 and meta["built_at"]
    assert c.execute("SELECT count(*) FROM data_origin").fetchone()[0] == len(list(DATA_DIR.glob("*.csv")))
    c.close()


def _copy_data(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst)
    return dst


def test_failed_build_leaves_existing_database_untouched(tmp_path):
    target = tmp_path / "live.duckdb"
    build_database(target)
    before = target.read_bytes()
    bad = _copy_data(tmp_path)
    with open(bad / "observation.csv", "a", encoding="utf-8") as f:  # a value citing a source that does not exist
        f.write("510100,2030,gdp,1.0,no_such_source,official,\n")
    with pytest.raises(BuildError, match="source_id missing from source"):
        build_database(target, data_dir=bad)
    assert target.read_bytes() == before
    assert not target.with_suffix(".tmp").exists()
    c = store_connect(target, read_only=True)
    assert c.execute("SELECT count(*) FROM observation WHERE year = 2030").fetchone()[0] == 0
    c.close()


@pytest.mark.parametrize("edit, message", [
    (lambda d: (d / "metro_member.csv").open("a", encoding="utf-8").write("chengdu,999999,member,,1900,9999,seed_001,x\n"),
     "codes missing from region"),
    (lambda d: (d / "metro_member.csv").open("a", encoding="utf-8").write("nowhere,510100,member,,1900,9999,seed_001,x\n"),
     "missing from metro"),
    (lambda d: (d / "fact.meta.yaml").unlink(), "no origin sidecar"),
    (lambda d: (d / "observation.csv").open("a", encoding="utf-8").write("510100,2030,gdp,1.0,seed_001,made_up_flag,\n"),
     "observation"),
])
def test_inconsistent_data_fails_with_a_clear_message(tmp_path, edit, message):
    bad = _copy_data(tmp_path)
    edit(bad)
    with pytest.raises(BuildError, match=message):
        build_database(tmp_path / "x.duckdb", data_dir=bad)
    assert not (tmp_path / "x.duckdb").exists()


def test_build_cli(tmp_path, capsys):
    from indicators.cli import main

    assert main(["build", "--db", str(tmp_path / "cli.duckdb")]) == 0
    assert "observation" in capsys.readouterr().out
    assert (tmp_path / "cli.duckdb").exists()


def test_build_reads_only_data_dir():
    import ast
    import inspect

    import indicators.store.build as build_module

    tree = ast.parse(inspect.getsource(build_module))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any("derive" in (m or "") for m in imported)
    code_only = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                 and "shared/" in n.value and not n.value.lstrip().startswith("Build the DuckDB")]
    assert code_only == []
    assert "DEFAULT_SHARED" not in inspect.getsource(build_module)
