"""Idempotent re-import, explicit replace with recoverable history, dry run through the CLI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from .helpers import FIXTURES, ROOT, digest
from indicators.ingest import apply_import, plan_import




@pytest.mark.parametrize("name, options", [("long_utf8.csv", {}), ("yearbook_merged.xlsx", {}), ("long.parquet", {}),
                                           ("wide_years_gbk.csv", {"indicator": "常住人口", "source": "s"})])
def test_reimporting_the_same_file_changes_nothing(tiny_con, name, options):
    first = apply_import(plan_import(FIXTURES / name, name, tiny_con, options), tiny_con)
    assert first.inserted > 0
    after_first = digest(tiny_con)
    plan = plan_import(FIXTURES / name, name, tiny_con, options)
    assert len(plan.inserts) == 0 and len(plan.conflicts) == 0 and plan.unchanged == first.inserted
    second = apply_import(plan, tiny_con)
    assert (second.inserted, second.updated, second.import_id) == (0, 0, None)
    assert digest(tiny_con) == after_first          # not even an import_log row


def test_replace_overwrites_and_keeps_the_old_value_in_history(tiny_con):
    csv = "region,year,indicator,value,source\n成都,2019,gdp,17100,seed_src\n成都,2019,常住人口,1658.1,seed_src\n".encode()
    plan = plan_import(csv, "fix.csv", tiny_con)
    assert len(plan.updates) == 1 and plan.unchanged == 1
    result = apply_import(plan, tiny_con, replace=True)
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 1)
    assert tiny_con.execute("SELECT value FROM observation WHERE code='510100' AND year=2019 AND indicator='gdp'"
                            ).fetchall() == [(17100.0,)]
    history = tiny_con.execute("SELECT value, source_id, replaced_by_import FROM observation_history").fetchall()
    assert history == [(17012.65, "seed_src", result.import_id)]
    log = tiny_con.execute("SELECT file_name, rows_updated, rows_unchanged FROM import_log").fetchall()
    assert log == [("fix.csv", 1, 1)]


def test_other_source_is_not_a_conflict(tiny_con):
    csv = "region,year,indicator,value\n成都,2019,gdp,17100\n".encode()
    plan = plan_import(csv, "o.csv", tiny_con, {"source": "另一个来源"})
    assert plan.ok and len(plan.inserts) == 1 and len(plan.conflicts) == 0


def test_existing_source_id_is_reused_and_new_source_created_once(tiny_con):
    csv = "region,year,indicator,value\n成都,2018,gdp,15342.8\n".encode()
    apply_import(plan_import(csv, "a.csv", tiny_con, {"source": "seed_src"}), tiny_con)
    assert tiny_con.execute("SELECT count(*) FROM source").fetchone() == (1,)
    apply_import(plan_import(csv, "b.csv", tiny_con, {"source": "新来源 2024"}), tiny_con)
    apply_import(plan_import(csv.replace(b"2018", b"2017"), "c.csv", tiny_con, {"source": "新来源 2024"}), tiny_con)
    assert tiny_con.execute("SELECT count(*) FROM source WHERE title = '新来源 2024'").fetchone() == (1,)


def _cli(*args: str) -> subprocess.CompletedProcess:
    """A real subprocess (slow: ~2 s of imports); most CLI tests use _cli_inline."""
    return subprocess.run([sys.executable, "-m", "indicators", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def _cli_inline(capsys, *args: str) -> subprocess.CompletedProcess:
    from indicators.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, out.out, out.err)


def test_cli_dry_run_prints_plan_and_writes_nothing(tiny_db):
    con = duckdb.connect(str(tiny_db))
    before = digest(con)
    con.close()
    out = _cli("import", str(FIXTURES / "long_utf8.csv"), "--db", str(tiny_db), "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "insert 6" in out.stdout and "dry run" in out.stdout
    con = duckdb.connect(str(tiny_db))
    assert digest(con) == before
    con.close()


def test_cli_import_then_conflict_then_replace(tiny_db, tmp_path, capsys):
    ok = _cli_inline(capsys, "import", str(FIXTURES / "wide_years_gbk.csv"), "--db", str(tiny_db), "--indicator", "年末常住人口",
              "--source", "测试")
    assert ok.returncode == 0, ok.stderr
    assert "inserted 9" in ok.stdout
    changed = tmp_path / "changed.csv"
    changed.write_bytes((FIXTURES / "wide_years_gbk.csv").read_bytes().replace(b"353.9", b"354.0"))
    conflict = _cli_inline(capsys, "import", str(changed), "--db", str(tiny_db), "--indicator", "常住人口", "--source", "测试")
    assert conflict.returncode == 1
    assert "353.9" in conflict.stdout and "354.0" in conflict.stdout
    replaced = _cli_inline(capsys, "import", str(changed), "--db", str(tiny_db), "--indicator", "常住人口", "--source", "测试", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert "updated 1" in replaced.stdout


def test_cli_rejection_exit_code_and_full_report(tiny_db, capsys):
    bad = Path(__file__).parent / "bad_inputs" / "impossible_values.csv"
    out = _cli_inline(capsys, "import", str(bad), "--db", str(tiny_db), "--source", "x")
    assert out.returncode == 1
    assert out.stderr.count("impossible_values.csv, row ") == 4
    assert "nothing written" in out.stderr


def test_source_given_by_its_stored_title_reuses_the_stored_source(tiny_con):
    csv = "region,year,indicator,value\n成都,2019,gdp,17012.65\n".encode()
    plan = plan_import(csv, "t.csv", tiny_con, {"source": "四川统计年鉴2020"})   # the title of seed_src
    assert plan.ok and plan.unchanged == 1 and len(plan.inserts) == 0


def test_import_into_a_database_without_regions_is_a_clear_error(tmp_path, capsys):
    from indicators.cli import main
    from indicators.store.db import connect

    con = connect(tmp_path / "empty.duckdb")
    plan = plan_import(FIXTURES / "long_utf8.csv", "long_utf8.csv", con)
    assert not plan.ok and "no regions" in plan.report.errors[0].reason
    con.close()
    assert main(["import", str(FIXTURES / "long_utf8.csv"), "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "does not exist" in capsys.readouterr().err
