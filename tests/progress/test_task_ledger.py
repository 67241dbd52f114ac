"""The task ledger: a 20-task Excel ledger with one row of each bad kind is rejected with a full report and
nothing written; fixed, it imports; `progress` counts match it; history keeps previous values."""
from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stderr, redirect_stdout

import duckdb
import pandas as pd
import pytest

from indicators.ingest.content_digest import content_digest
from indicators.ingest.tasks import (FIELDS, apply_task_edits, apply_task_import, export_tasks, plan_task_import)
from indicators.store import data_version
from indicators.store import plans as plan_reads

PLAN = "chengdu_3yr_2023_2025"     # period 2023–2025, 8 areas, no seed tasks: the ledger is all there is
HEADERS = [FIELDS[f][0] for f in ("task_id", "plan_id", "area_id", "title", "lead_unit", "deadline", "status",
                                   "evidence_text", "evidence_link", "evidence_date", "indicators", "targets")]
STATUSES = ["已完成"] * 6 + ["推进中"] * 5 + ["未启动"] * 4 + ["滞后"] * 3 + ["未知"] * 2


def ledger_rows() -> list[list]:
    rows = []
    for i in range(20):
        status = STATUSES[i]
        evidence = f"2024年第{i + 1}期工作简报" if status != "未知" else None
        rows.append([f"CD-T{i + 1:02d}", PLAN, f"A{i % 8 + 1}", f"测试任务{i + 1}", "测试牵头单位",
                     f"2025-{(i % 12) + 1:02d}", status, evidence, None, "2024-09-06" if evidence else None,
                     "urbanization_rate" if i == 0 else None, None])
    return rows


BAD = {   # excel row (header = row 1) → (column header, how the row is broken)
    3: ("状态", lambda r: r.__setitem__(6, "差不多完成")),
    5: ("规划编号", lambda r: r.__setitem__(1, "no_such_plan")),
    7: ("领域", lambda r: r.__setitem__(2, "Z9")),
    9: ("完成时限", lambda r: r.__setitem__(5, "2030-06")),
    21: ("任务编号", lambda r: r.__setitem__(0, "CD-T19")),   # duplicate of row 20
}


def write_xlsx(path, rows) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "任务台账"
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)


def _state(con) -> tuple:
    cur = con.cursor()
    try:
        version = data_version.current(cur)
    finally:
        cur.close()
    return content_digest(con), version


def run_cli(argv) -> tuple[int, str, str]:
    from indicators.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def bad_and_good(tmp_path):
    rows = ledger_rows()
    bad = [list(r) for r in rows]
    for excel_row, (_col, breaker) in BAD.items():
        breaker(bad[excel_row - 2])
    write_xlsx(tmp_path / "ledger_bad.xlsx", bad)
    write_xlsx(tmp_path / "ledger.xlsx", rows)
    return tmp_path / "ledger_bad.xlsx", tmp_path / "ledger.xlsx"


def test_bad_ledger_reports_every_error_and_writes_nothing(db_copy, bad_and_good):
    bad, _good = bad_and_good
    con = duckdb.connect(str(db_copy))
    before = _state(con)
    plan = plan_task_import(bad, None, con)
    assert not plan.ok
    errors = {(i.row, i.column) for i in plan.report.errors}
    assert errors == {(row, col) for row, (col, _b) in BAD.items()}, plan.report.format()
    assert all(i.file == "ledger_bad.xlsx" for i in plan.report.errors)
    text = plan.report.format()
    assert "差不多完成" in text and "no_such_plan" in text and "Z9" in text and "2023–2025" in text
    assert "duplicate task id CD-T19 (also in row 20)" in text
    with pytest.raises(Exception):
        apply_task_import(plan, con)
    assert _state(con) == before
    con.close()
    # the CLI: exit 1, every error on stderr, still nothing written
    code, out, err = run_cli(["tasks", "import", str(bad), "--db", str(db_copy)])
    assert code == 1
    assert "REJECTED: 5 error(s); nothing written" in err
    for row, (col, _b) in BAD.items():
        assert f"row {row}, column {col}" in err
    con = duckdb.connect(str(db_copy))
    assert _state(con) == before
    con.close()


def test_fixed_ledger_imports_and_progress_counts_match(db_copy, bad_and_good):
    _bad, good = bad_and_good
    code, out, _err = run_cli(["tasks", "import", str(good), "--db", str(db_copy), "--dry-run"])
    assert code == 0 and "20 new" in out and "dry run" in out
    con = duckdb.connect(str(db_copy))
    assert plan_reads.tasks(con, PLAN).empty
    con.close()
    code, out, err = run_cli(["tasks", "import", str(good), "--db", str(db_copy)])
    assert code == 0, err
    assert "inserted 20, updated 0" in out
    con = duckdb.connect(str(db_copy))
    tasks = plan_reads.tasks(con, PLAN)
    assert len(tasks) == 20 and tasks["updated_by"].notna().all()
    assert tasks.set_index("task_id").at["CD-T01", "deadline"] == "2025-01"
    con.close()

    code, out, _ = run_cli(["progress", "--plan", PLAN, "--db", str(db_copy), "--format", "csv"])
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns) == ["plan_id", "area", "tasks", "done", "in_progress", "not_started", "delayed",
                                   "unknown", "progress_score"]
    areas = table[table["area"] != "ALL"].assign(area_id=lambda d: d["area"].str.split().str[0])
    expected = pd.DataFrame({"area_id": [f"A{i % 8 + 1}" for i in range(20)], "status": STATUSES})
    for a in areas.itertuples():
        mine = expected[expected["area_id"] == a.area_id]["status"]
        assert (a.tasks, a.done, a.in_progress, a.not_started, a.delayed, a.unknown) == (
            len(mine), (mine == "已完成").sum(), (mine == "推进中").sum(), (mine == "未启动").sum(),
            (mine == "滞后").sum(), (mine == "未知").sum()), a
    total = table[table["area"] == "ALL"].iloc[0]
    assert (total.tasks, total.done, total.in_progress, total.not_started, total.delayed, total.unknown) == \
        (20, 6, 5, 4, 3, 2)
    # plan score: the tasks part only (no targets): 100 × (6×1 + 5×0.5 + 3×0.25 + 4×0) / 18
    assert total.progress_score == pytest.approx(round(100 * (6 + 2.5 + 0.75) / 18, 1))

    # re-importing the same file changes nothing
    code, out, _ = run_cli(["tasks", "import", str(good), "--db", str(db_copy)])
    assert code == 0 and "nothing to write" in out


def test_changes_keep_history_and_year_view(db_copy, bad_and_good, tmp_path):
    _bad, good = bad_and_good
    con = duckdb.connect(str(db_copy))
    apply_task_import(plan_task_import(good, None, con), con, user="analyst_a")
    # a page edit: one status changes, with evidence
    edited = plan_reads.tasks(con, PLAN)
    edited.loc[edited["task_id"] == "CD-T20", ["status", "evidence_text"]] = ["已完成", "2024年第40期简报"]
    result = apply_task_edits(con, edited, user="analyst_b")
    assert (result.inserted, result.updated) == (0, 1)
    history = plan_reads.task_history(con, "CD-T20")
    assert len(history) == 1
    old = history.iloc[0]
    assert old["status"] == "未知" and old["updated_by"] == "analyst_a"
    assert old["replaced_by"] == "analyst_b" and old["change_kind"] == "edit"
    now = plan_reads.tasks(con, PLAN).set_index("task_id").loc["CD-T20"]
    assert now["status"] == "已完成" and now["updated_by"] == "analyst_b"
    # a bad edit is refused whole, nothing saved
    before = _state(con)
    broken = plan_reads.tasks(con, PLAN)
    broken.loc[0, "status"] = "maybe"
    with pytest.raises(Exception) as exc:
        apply_task_edits(con, broken, user="analyst_b")
    assert "状态" in str(exc.value) and "row 1" in str(exc.value)
    assert _state(con) == before
    # the year view: at the end of last year nothing of today's ledger existed yet
    from indicators.engine.progress_inputs import compute_plan_progress

    last_year = dt.date.today().year - 1
    assert compute_plan_progress(con, PLAN, year=last_year).plan["tasks"] == 0
    assert compute_plan_progress(con, PLAN).plan["done"] == 7
    con.close()


def test_export_is_the_template_and_round_trips(db_copy, tmp_path):
    out = tmp_path / "export.xlsx"
    code, text, err = run_cli(["tasks", "export", "--out", str(out), "--plan", "yrd_3yr_2024_2026",
                               "--db", str(db_copy)])
    assert code == 0, err
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["任务台账", "填写说明", "规划与领域"]
    header = [c.value for c in wb["任务台账"][1]]
    assert header[:7] == ["任务编号", "规划编号", "领域", "任务名称", "牵头单位", "完成时限", "状态"]
    assert wb["任务台账"].max_row == 58           # 57 seed tasks of the plan + header
    assert wb["任务台账"].data_validations.dataValidation, "status drop-down"
    con = duckdb.connect(str(db_copy))
    plan = plan_task_import(out, None, con)
    assert plan.ok and plan.unchanged == 57 and not plan.inserts and not plan.updates
    con.close()
    code, _t, err = run_cli(["tasks", "export", "--out", str(tmp_path / "x.xlsx"), "--plan", "nope",
                             "--db", str(db_copy)])
    assert code == 2 and "unknown plan nope" in err and not (tmp_path / "x.xlsx").exists()


def test_not_a_ledger_is_refused_clearly(db_copy, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("地区,年份,数值\n成都,2020,1\n", encoding="utf-8")
    con = duckdb.connect(str(db_copy))
    plan = plan_task_import(path, None, con)
    assert not plan.ok and "任务编号" in plan.report.format()
    con.close()
