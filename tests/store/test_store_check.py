"""`check` on the built default database: 0 observations without a source, 0 orphan codes, 简阳 2016 listed."""
from __future__ import annotations

import duckdb

from indicators.cli import main
from indicators.store.integrity import format_report, integrity_report


def test_default_database_is_clean_and_lists_jianyang(store_con):
    report = integrity_report(store_con)
    assert report["observations_without_source"] == 0
    assert report["orphan_codes"] == 0
    assert report["hard_problems"] == 0
    jianyang = [b for b in report["series_breaks"]
                if b["year"] == 2016 and b["code"] in ("510100", "512000") and b["kind"] == "boundary_change"]
    assert {b["code"] for b in jianyang} == {"510100", "512000"}
    assert any("简阳" in b["description"] for b in jianyang)
    text = format_report(report)
    assert "简阳" in text and "result: OK" in text


def test_check_cli_exit_codes(db_copy, capsys):
    assert main(["check", "--db", str(db_copy)]) == 0
    out = capsys.readouterr().out
    assert "orphan codes: 0" in out and "observations without source: 0" in out and "资阳市 2016" in out
    con = duckdb.connect(str(db_copy))
    con.execute("INSERT INTO observation (code, year, indicator, value, source_id, quality, note) VALUES (?, ?, ?, ?, ?, ?, ?)", ["999999", 2020, "gdp", 1.0, "nowhere", "official", None])
    con.close()
    assert main(["check", "--db", str(db_copy)]) == 1
    out = capsys.readouterr().out
    assert "[BAD] observations without source: 1" in out and "[BAD] orphan codes: 1" in out


def test_check_cli_missing_database(tmp_path, capsys):
    assert main(["check", "--db", str(tmp_path / "absent.duckdb")]) == 2
