"""Validity in time (issue 15, failure 5): values for prefectures that no longer existed (巢湖 2015, 莱芜 2021)
were accepted and `check` said OK. Now they are errors (or, with an explicit option, stored and flagged), and
`check` lists every such row."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from indicators.ingest import IngestError, apply_import, plan_import
from indicators.store.integrity import integrity_report

ROOT = Path(__file__).resolve().parents[2]
CSV = "地区,年份,指标,数值,来源\n巢湖,2015,地区生产总值,1200,validity test (synthetic)\n莱芜,2021,地区生产总值,900,validity test (synthetic)\n"


@pytest.fixture
def con(db_copy):
    c = duckdb.connect(str(db_copy))
    yield c
    c.close()


def _count(con) -> int:
    return con.execute("SELECT count(*) FROM observation").fetchone()[0]


def test_values_outside_a_regions_validity_years_are_errors(con):
    before = _count(con)
    plan = plan_import(CSV.encode(), "gone.csv", con)
    assert not plan.ok
    reasons = " ".join(i.reason for i in plan.report.errors)
    assert "巢湖" in reasons and "2015 is outside its validity years" in reasons
    assert "莱芜" in reasons and "2021 is outside its validity years" in reasons
    assert {i.row for i in plan.report.errors} == {2, 3}
    with pytest.raises(IngestError):
        apply_import(plan, con)
    assert _count(con) == before


def test_with_the_explicit_option_they_are_stored_and_flagged(con):
    plan = plan_import(CSV.encode(), "gone.csv", con, {"allow_outside_validity": True})
    assert plan.ok, plan.report.format()
    assert any("outside its validity years" in w.reason for w in plan.report.warnings)
    apply_import(plan, con)
    flags = dict(con.execute("SELECT code, flags FROM observation WHERE source_id IN (SELECT source_id FROM source "
                             "WHERE title = 'validity test (synthetic)')").fetchall())
    assert set(flags) == {"341400", "371200"} and all("outside_validity" in f for f in flags.values())
    report = integrity_report(con)
    assert report["observations_outside_validity"] == []
    assert report["observations_outside_validity_flagged"] >= 2


def test_check_reports_unflagged_rows_outside_validity(con, db_copy):
    assert integrity_report(con)["observations_outside_validity"] == []      # the build flags shipped ones
    con.execute("INSERT INTO observation (code, year, indicator, value, source_id, quality) "
                "SELECT '341400', 2015, 'gdp', 1200, source_id, 'official' FROM source LIMIT 1")
    report = integrity_report(con)
    rows = report["observations_outside_validity"]
    assert [(r["code"], r["year"]) for r in rows] == [("341400", 2015)]
    assert report["hard_problems"] >= 1
    con.close()
    proc = subprocess.run([sys.executable, "-m", "indicators", "check", "--db", str(db_copy)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert "observations outside validity: 1" in proc.stdout and "巢湖" in proc.stdout
