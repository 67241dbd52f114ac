"""The task ledger (任务台账): Excel template import and export, page edits with history.

Same rules as every other import (``plan.py`` / ``apply.py``):

* ``plan_task_import(source, file_name, con)`` reads and checks, never writes. Every problem is an
  :class:`~indicators.ingest.errors.Issue` naming file, row, column and reason, all in one report: an unknown
  column layout, a missing required value, a duplicate task id, an unknown plan or area, a status outside
  未启动 / 推进中 / 已完成 / 滞后 / 未知, a deadline that is not a date or lies outside the plan's period, an
  evidence date that is not a date or lies in the future, a linked indicator or target that does not exist.
* ``apply_task_import(plan, con)`` writes in one transaction through the store's serialised writer
  (``store.writer.run_write``: read-only refusal, the process-wide write lock), bumps the data
  version in the same commit, and copies every row it changes to ``task_history`` first (who: the local
  user; when: now). Re-importing the same file changes nothing. Tasks not in the file stay as they are.
* ``apply_task_edits(con, edited, user)`` — the 进程 page's editor: the same checks, the same history.
* ``export_tasks(con, out, plan_id)`` — the template: sheet 任务台账 with Chinese headers (a status drop-down),
  sheet 填写说明 (the fields and allowed values) and sheet 规划与领域 (plan periods and area ids). Written to a
  temporary file and moved into place: a failed export leaves no half file.
"""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.limits import Limits
from indicators.ingest.read_source import Source, load_bytes, read_grid
from indicators.store import data_version
from indicators.store import plans as plan_reads

STATUSES = ("未启动", "推进中", "已完成", "滞后", "未知")
STATUS_ALIASES = {"not_started": "未启动", "not started": "未启动", "in_progress": "推进中", "in progress": "推进中",
                  "ongoing": "推进中", "done": "已完成", "completed": "已完成", "delayed": "滞后", "behind": "滞后",
                  "unknown": "未知", "未开始": "未启动", "进行中": "推进中", "完成": "已完成"}

# field → (Chinese header, English header, required)
FIELDS: dict[str, tuple[str, str, bool]] = {
    "task_id": ("任务编号", "Task ID", True),
    "plan_id": ("规划编号", "Plan ID", True),
    "area_id": ("领域", "Area", True),
    "title": ("任务名称", "Task", True),
    "lead_unit": ("牵头单位", "Lead unit", False),
    "deadline": ("完成时限", "Deadline", False),
    "status": ("状态", "Status", True),
    "evidence_text": ("进展依据", "Evidence", False),
    "evidence_link": ("依据链接", "Evidence link", False),
    "evidence_date": ("依据日期", "Evidence date", False),
    "indicators": ("关联指标", "Linked indicators", False),
    "targets": ("关联目标", "Linked targets", False),
    "source_id": ("来源编号", "Source ID", False),
    "source_line": ("来源行", "Source line", False),
    "note": ("备注", "Note", False),
}
FIELD_HELP = {
    "task_id": "唯一编号，不可重复 / unique, no duplicates",
    "plan_id": "见“规划与领域”表 / see sheet 规划与领域",
    "area_id": "领域编号（A1…）或领域名称 / area id (A1…) or its Chinese name",
    "title": "任务内容 / what the task is",
    "lead_unit": "牵头单位；不知道就留空 / lead unit; leave blank when unknown",
    "deadline": "2025、2025-06 或 2025-06-30，须在规划期内 / within the plan period",
    "status": "未启动 / 推进中 / 已完成 / 滞后 / 未知",
    "evidence_text": "状态的依据（文件、报道） / what the status rests on",
    "evidence_link": "依据的链接或文号 / link or document number",
    "evidence_date": "依据日期，不晚于今天 / date of the evidence, not in the future",
    "indicators": "关联指标编号，逗号分隔 / catalog indicator ids, comma-separated",
    "targets": "关联目标编号，逗号分隔 / target ids, comma-separated",
    "source_id": "来源编号（source 表） / source id",
    "source_line": "来源文件中的行号 / line in the source document",
    "note": "备注 / note",
}
TASK_SHEET = "任务台账"
HELP_SHEET = "填写说明"
PLANS_SHEET = "规划与领域"
_SPLIT = re.compile(r"[,，、;；\s]+")


def _norm_header(text: object) -> str:
    return re.sub(r"[\s（）()：:*]", "", str(text or "")).lower()


_HEADER_LOOKUP = {}
for _f, (_zh, _en, _req) in FIELDS.items():
    for _name in (_zh, _en, _f):
        _HEADER_LOOKUP[_norm_header(_name)] = _f
_HEADER_LOOKUP.update({_norm_header(k): v for k, v in {
    "编号": "task_id", "规划": "plan_id", "领域编号": "area_id", "任务": "title", "任务内容": "title",
    "责任单位": "lead_unit", "时限": "deadline", "完成时间": "deadline", "进展状态": "status", "进展情况": "evidence_text",
    "证据": "evidence_text", "证据链接": "evidence_link", "证据日期": "evidence_date"}.items()})


@dataclass
class TaskImportPlan:
    """What an import would do. ``records``: clean rows (task fields + ``row``); ``inserts`` / ``updates``:
    task ids; nothing is written until ``apply_task_import``."""

    file_name: str
    file_sha256: str = ""
    report: ImportReport = field(default_factory=ImportReport)
    records: pd.DataFrame = field(default_factory=pd.DataFrame)
    inserts: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return self.report.ok

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file_name}: {self.report.errors_total} error(s); nothing would be written"
        return (f"{self.file_name}: {len(self.records)} task(s): {len(self.inserts)} new, {len(self.updates)} changed, "
                f"{self.unchanged} unchanged")


@dataclass(frozen=True)
class TaskImportResult:
    import_id: str | None
    inserted: int
    updated: int
    unchanged: int

    def summary(self) -> str:
        return (f"inserted {self.inserted}, updated {self.updated}, unchanged {self.unchanged}"
                + (f" (import {self.import_id})" if self.import_id else " (nothing to write)"))


def local_user() -> str:
    """Who made a change: the local account (the dashboard has no login)."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # noqa: BLE001 - no passwd entry in a container
        return os.environ.get("USER") or "unknown"


# ------------------------------------------------------------------------------------------ reading a file
def _header_row(cells: pd.DataFrame) -> int | None:
    for i in range(min(len(cells), 20)):
        found = {_HEADER_LOOKUP.get(_norm_header(v)) for v in cells.iloc[i].tolist()}
        if "task_id" in found and "status" in found:
            return i
    return None


def _text(value: object) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):      # NaN, NaT, pd.NA
            return None
    except (TypeError, ValueError):   # list-like: not a cell value
        pass
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]     # our own export neutralised a formula-like text
    return text or None


def read_task_file(source: Source, file_name: str, report: ImportReport) -> tuple[pd.DataFrame, str]:
    """The file's task rows as text (task fields + ``row``: the row number a spreadsheet shows) and its sha256."""
    limits = Limits.from_env()
    data = load_bytes(source, limits, report)
    sha = hashlib.sha256(data).hexdigest()
    grid, _kind = read_grid(data, file_name, limits, report)
    cells = grid.cells
    if grid.header is not None:
        cells = pd.concat([pd.DataFrame([grid.header], columns=cells.columns), cells], ignore_index=True)
        rows = [None, *list(grid.row_numbers)]
    else:
        rows = list(grid.row_numbers)
    h = _header_row(cells)
    if h is None:
        raise IngestError(f"{file_name}: no header row with 任务编号 and 状态 (Task ID and Status) in the first "
                          "20 rows: use the template (python -m indicators tasks export)", report)
    columns: dict[int, str] = {}
    for j, value in enumerate(cells.iloc[h].tolist()):
        name = _HEADER_LOOKUP.get(_norm_header(value))
        if name is None:
            if _text(value):
                report.warn(rows[h], str(value), "column not part of the task template; ignored")
            continue
        if name in columns.values():
            report.error(rows[h], str(value), f"column {FIELDS[name][0]} appears twice")
            continue
        columns[j] = name
    for name, (zh, en, required) in FIELDS.items():
        if required and name not in columns.values():
            report.error(rows[h], zh, f"required column {zh} ({en}) is missing")
    body = cells.iloc[h + 1:]
    out = pd.DataFrame({name: [_text(v) for v in body.iloc[:, j].tolist()] for j, name in columns.items()})
    for name in FIELDS:
        if name not in out.columns:
            out[name] = None
    out["row"] = rows[h + 1:]
    blank = out[list(FIELDS)].isna().all(axis=1)
    return out.loc[~blank, ["row", *FIELDS]].reset_index(drop=True), sha


# --------------------------------------------------------------------------------------------- checks
_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})\s*年?\s*(?:底|末|年底|年末)?$"), "y"),
    (re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:底|末)?$"), "ym"),
    (re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?$"), "ymd"),
]


def parse_deadline(text: str | None) -> tuple[str | None, int | None]:
    """'2025' / '2025年底' → ('2025', 2025); '2025-6' / '2025年6月' → ('2025-06', 2025); a full date →
    ('2025-06-30', 2025). ValueError when the text is not one of these."""
    if text is None:
        return None, None
    for pattern, kind in _DATE_PATTERNS:
        m = pattern.match(text.strip())
        if not m:
            continue
        y = int(m.group(1))
        if kind == "y":
            return f"{y:04d}", y
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is not 1–12")
        if kind == "ym":
            return f"{y:04d}-{month:02d}", y
        return dt.date(y, month, int(m.group(3))).isoformat(), y
    raise ValueError("not a date: write 2025, 2025-06 or 2025-06-30")


def _ids(text: str | None) -> list[str]:
    return [p for p in _SPLIT.split(text or "") if p]


@dataclass
class _Context:
    plans: pd.DataFrame
    areas: pd.DataFrame
    targets: set[str]
    indicators: set[str]
    existing: pd.DataFrame


def _context(con: duckdb.DuckDBPyConnection) -> _Context:
    from indicators.catalog import load_catalog

    try:
        known_indicators = set(load_catalog().indicators)
    except Exception:  # noqa: BLE001 - a broken user catalog must not block the ledger; ids then unchecked
        known_indicators = set()
    return _Context(plans=plan_reads.plans(con), areas=plan_reads.areas(con), targets=plan_reads.target_ids(con),
                    indicators=known_indicators, existing=plan_reads.tasks(con))


def check_records(raw: pd.DataFrame, ctx: _Context, report: ImportReport, today: dt.date | None = None) -> pd.DataFrame:
    """Validate and normalise task rows (text cells + ``row``); every problem goes to ``report``."""
    today = today or dt.date.today()
    header = {name: zh for name, (zh, _en, _req) in FIELDS.items()}
    plans = ctx.plans.set_index("plan_id") if len(ctx.plans) else pd.DataFrame()
    area_ids = {(r.plan_id, r.area_id) for r in ctx.areas.itertuples()}
    area_names = {(r.plan_id, r.name_zh): r.area_id for r in ctx.areas.itertuples()}
    seen: dict[str, int] = {}
    clean = []
    for rec in raw.to_dict("records"):
        row, bad = rec["row"], False
        out = {k: _text(rec.get(k)) for k in FIELDS}

        def err(col: str, reason: str, value=None) -> None:
            nonlocal bad
            bad = True
            report.error(row, header[col], reason, value)

        for name, (zh, _en, required) in FIELDS.items():
            if required and not out[name]:
                err(name, f"{zh} is empty (required)")
        tid = out["task_id"]
        if tid:
            if tid in seen:
                err("task_id", f"duplicate task id {tid} (also in row {seen[tid]})", tid)
            else:
                seen[tid] = row
        pid = out["plan_id"]
        plan = None
        if pid:
            if pid in plans.index:
                plan = plans.loc[pid]
            else:
                known = ", ".join(sorted(plans.index)) if len(plans) else "none"
                err("plan_id", f"unknown plan {pid} (known plans: {known})", pid)
        if plan is not None and out["area_id"]:
            area = out["area_id"]
            if (pid, area) not in area_ids:
                if (pid, area) in area_names:
                    out["area_id"] = area_names[(pid, area)]
                else:
                    names = [f"{a}" for (p, a) in sorted(area_ids) if p == pid]
                    err("area_id", f"unknown area {area} in plan {pid} (areas: {', '.join(names) or 'none'})", area)
        status = out["status"]
        if status:
            status = STATUS_ALIASES.get(status.strip().lower(), status.strip())
            if status not in STATUSES:
                err("status", f"status must be one of {' / '.join(STATUSES)}", out["status"])
            out["status"] = status
        if out["deadline"]:
            try:
                out["deadline"], year = parse_deadline(out["deadline"])
            except ValueError as exc:
                err("deadline", str(exc), out["deadline"])
            else:
                if plan is not None and not int(plan["period_start"]) <= year <= int(plan["period_end"]):
                    err("deadline", f"deadline {out['deadline']} is outside the plan period "
                                    f"{int(plan['period_start'])}–{int(plan['period_end'])}", out["deadline"])
        if out["evidence_date"]:
            try:
                out["evidence_date"], _y = parse_deadline(out["evidence_date"])
            except ValueError as exc:
                err("evidence_date", str(exc), out["evidence_date"])
            else:
                if out["evidence_date"] > today.isoformat()[: len(out["evidence_date"])]:
                    err("evidence_date", f"evidence date {out['evidence_date']} is in the future", out["evidence_date"])
        if out["indicators"]:
            ids = _ids(out["indicators"])
            unknown = [i for i in ids if ctx.indicators and i not in ctx.indicators]
            if unknown:
                err("indicators", f"unknown indicator id(s): {', '.join(unknown)}", out["indicators"])
            out["indicators"] = ",".join(ids)
        if out["targets"]:
            ids = _ids(out["targets"])
            unknown = [i for i in ids if i not in ctx.targets]
            if unknown:
                err("targets", f"unknown target id(s): {', '.join(unknown)}", out["targets"])
            out["targets"] = ",".join(ids)
        if out["source_line"]:
            try:
                out["source_line"] = int(float(out["source_line"]))
            except ValueError:
                err("source_line", "not a line number", out["source_line"])
        if not bad and out["status"] in ("已完成", "推进中", "滞后") and not (out["evidence_text"] or out["evidence_link"]):
            report.warn(row, header["status"], f"status {out['status']} without evidence (进展依据/依据链接)")
        if not bad:
            clean.append({"row": row, **out})
    frame = pd.DataFrame(clean, columns=["row", *FIELDS])
    frame["source_line"] = pd.array(frame["source_line"], dtype="Int64")
    return frame


def _same(a, b) -> bool:
    a = None if a is None or (not isinstance(a, str) and pd.isna(a)) else str(a)
    b = None if b is None or (not isinstance(b, str) and pd.isna(b)) else str(b)
    return a == b


def _diff(records: pd.DataFrame, existing: pd.DataFrame) -> tuple[list[str], list[str], int]:
    stored = existing.set_index("task_id") if len(existing) else pd.DataFrame()
    inserts, updates, unchanged = [], [], 0
    for rec in records.to_dict("records"):
        tid = rec["task_id"]
        if tid not in stored.index:
            inserts.append(tid)
        elif all(_same(rec[f], stored.at[tid, f]) for f in FIELDS if f != "task_id"):
            unchanged += 1
        else:
            updates.append(tid)
    return inserts, updates, unchanged


def plan_task_import(source: Source, file_name: str | None, con: duckdb.DuckDBPyConnection,
                     today: dt.date | None = None) -> TaskImportPlan:
    """Read and check a task-ledger file; never writes. Bad input ends up in ``plan.report``."""
    name = file_name or (Path(source).name if isinstance(source, (str, os.PathLike)) else "upload")
    plan = TaskImportPlan(file_name=name, report=ImportReport(file=name))
    try:
        raw, plan.file_sha256 = read_task_file(source, name, plan.report)
    except IngestError as exc:
        if exc.report is not plan.report:
            plan.report.error(None, None, str(exc))
        return plan
    records = check_records(raw, _context(con), plan.report, today)
    if not plan.report.ok:
        return plan
    plan.records = records
    plan.inserts, plan.updates, plan.unchanged = _diff(records, plan_reads.tasks(con))
    return plan


# ----------------------------------------------------------------------------------------------- writing
# constant SQL (the column list is the task table's, spelled out)
_HISTORY_SQL = (
    "INSERT INTO task_history (task_id, plan_id, area_id, title, lead_unit, deadline, status, evidence_text, "
    "evidence_link, evidence_date, indicators, targets, source_id, source_line, note, updated_at, updated_by, "
    "replaced_at, replaced_by, change_kind, change_ref) "
    "SELECT task_id, plan_id, area_id, title, lead_unit, deadline, status, evidence_text, evidence_link, "
    "evidence_date, indicators, targets, source_id, source_line, note, updated_at, updated_by, ?, ?, ?, ? FROM task "
    "WHERE task_id IN (SELECT task_id FROM ingest_task_rows)")
_INSERT_SQL = (
    "INSERT INTO task (task_id, plan_id, area_id, title, lead_unit, deadline, status, evidence_text, evidence_link, "
    "evidence_date, indicators, targets, source_id, source_line, note, updated_at, updated_by) "
    "SELECT task_id, plan_id, area_id, title, lead_unit, deadline, status, evidence_text, evidence_link, "
    "evidence_date, indicators, targets, source_id, CAST(source_line AS INTEGER), note, updated_at, updated_by "
    "FROM ingest_task_rows")


def _write(cur, records: pd.DataFrame, ids: list[str], user: str, now: dt.datetime, kind: str, ref: str) -> None:
    rows = records[records["task_id"].isin(ids)][list(FIELDS)].copy()
    rows["updated_at"] = now
    rows["updated_by"] = user
    rows = rows.astype(object).where(rows.notna(), None)
    cur.register("ingest_task_rows", rows)
    try:
        cur.execute(_HISTORY_SQL, [now, user, kind, ref])
        cur.execute("DELETE FROM task WHERE task_id IN (SELECT task_id FROM ingest_task_rows)")
        cur.execute(_INSERT_SQL)
    finally:
        cur.unregister("ingest_task_rows")


def apply_task_import(plan: TaskImportPlan, con: duckdb.DuckDBPyConnection, user: str | None = None) -> TaskImportResult:
    """Write the plan in one transaction (history first); IngestError and nothing written on any problem."""
    if not plan.ok:
        raise IngestError(f"{plan.file_name}: import rejected ({plan.report.errors_total} error(s)); nothing written",
                          plan.report)
    user = user or local_user()
    now = dt.datetime.now().replace(microsecond=0)
    import_id = f"tasks_{now:%Y%m%dT%H%M%S}_{hashlib.sha256((plan.file_sha256 + now.isoformat()).encode()).hexdigest()[:8]}"

    def write(cur) -> TaskImportResult:
        # the database may have changed since the plan was made: compare again inside the transaction
        inserts, updates, unchanged = _diff(plan.records, plan_reads.tasks(cur))
        if not inserts and not updates:
            return TaskImportResult(None, 0, 0, unchanged)
        _write(cur, plan.records, inserts + updates, user, now, "import", import_id)
        cur.execute("INSERT INTO import_log (import_id, file_name, file_sha256, started_at, rows_inserted, "
                    "rows_updated, rows_unchanged, rows_rejected, options) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                    [import_id, plan.file_name, plan.file_sha256, now, len(inserts), len(updates), unchanged,
                     json.dumps({"kind": "task_ledger", "user": user}, ensure_ascii=False)])
        data_version.bump(cur)
        return TaskImportResult(import_id, len(inserts), len(updates), unchanged)

    return _serialised(con, write, f"task ledger import of {plan.file_name}", plan.file_name)


def _serialised(con, fn, what: str, file_name: str):
    """``fn(cur)`` through the store's one serialised writer; any refusal is an IngestError (nothing written)."""
    from indicators.store.writer import ReadOnlyError, WriterBusy, run_write

    try:
        return run_write(con, fn, what)
    except (ReadOnlyError, WriterBusy) as exc:
        raise IngestError(str(exc), ImportReport(file=file_name)) from None
    except duckdb.Error as exc:
        raise IngestError(f"{file_name}: the database refused the write ({type(exc).__name__}: {exc}); "
                          "nothing written", ImportReport(file=file_name)) from None


def apply_task_edits(con: duckdb.DuckDBPyConnection, edited: pd.DataFrame, user: str | None = None,
                     label: str = "page edit") -> TaskImportResult:
    """Save rows edited on a page (task fields; ``task_id`` identifies the row). Same checks as an import
    (rows numbered 1… as shown in the editor); the previous values go to ``task_history``."""
    report = ImportReport(file=label)
    raw = edited.reindex(columns=list(FIELDS)).astype(object)
    raw = raw.map(_text) if hasattr(raw, "map") else raw.applymap(_text)
    raw.insert(0, "row", range(1, len(raw) + 1))
    records = check_records(raw, _context(con), report)
    if not report.ok:
        raise IngestError(f"{label}: {report.errors_total} error(s); nothing saved", report)
    user = user or local_user()
    now = dt.datetime.now().replace(microsecond=0)

    def write(cur) -> TaskImportResult:
        inserts, updates, unchanged = _diff(records, plan_reads.tasks(cur))
        if not inserts and not updates:
            return TaskImportResult(None, 0, 0, unchanged)
        _write(cur, records, inserts + updates, user, now, "edit", "page")
        data_version.bump(cur)
        return TaskImportResult(None, len(inserts), len(updates), unchanged)

    return _serialised(con, write, f"task ledger {label}", label)


# ----------------------------------------------------------------------------------------------- export
def template_frame(tasks: pd.DataFrame) -> pd.DataFrame:
    """Task rows under the template's Chinese headers."""
    frame = tasks.reindex(columns=list(FIELDS)).copy()
    frame["source_line"] = pd.array(frame["source_line"], dtype="Int64")
    return frame.rename(columns={name: zh for name, (zh, _en, _r) in FIELDS.items()})


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        from indicators.export.tables import neutralise_cell

        return neutralise_cell(value)
    return int(value) if float(value).is_integer() else float(value)


def export_tasks(con: duckdb.DuckDBPyConnection, out: str | Path, plan_id: str | None = None) -> int:
    """Write the ledger (of one plan, or all) as the Excel template; returns the number of task rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    plans = plan_reads.plans(con)
    if plan_id is not None and plan_id not in set(plans["plan_id"]):
        raise ValueError(f"unknown plan {plan_id}; plans: {', '.join(plans['plan_id'])}")
    tasks = plan_reads.tasks(con, plan_id)
    frame = template_frame(tasks)
    areas = plan_reads.areas(con, plan_id)
    wb = Workbook()
    ws = wb.active
    ws.title = TASK_SHEET
    ws.append(list(frame.columns))
    for rec in frame.itertuples(index=False):
        ws.append([_cell(v) for v in rec])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    widths = {"任务编号": 14, "规划编号": 24, "领域": 8, "任务名称": 60, "牵头单位": 18, "完成时限": 12, "状态": 9,
              "进展依据": 40, "依据链接": 30, "依据日期": 12, "关联指标": 22, "关联目标": 26, "来源编号": 10, "来源行": 8,
              "备注": 40}
    for j, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[ws.cell(1, j).column_letter].width = widths.get(name, 14)
    ws.freeze_panes = "B2"
    status_col = ws.cell(1, list(FIELDS).index("status") + 1).column_letter
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False,
                        showErrorMessage=True, errorTitle="状态", error="未启动 / 推进中 / 已完成 / 滞后 / 未知")
    dv.add(f"{status_col}2:{status_col}{max(len(frame) + 200, 500)}")
    ws.add_data_validation(dv)

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["列 column", "必填 required", "说明 what to write"])
    for name, (zh, en, required) in FIELDS.items():
        help_ws.append([f"{zh} ({en})", "是 yes" if required else "", FIELD_HELP[name]])
    help_ws.append([])
    help_ws.append(["状态为“未知”表示没有可靠来源；不要猜测状态、牵头单位或日期。",
                    "", "未知 = no reliable source; never guess a status, lead unit or date."])
    help_ws.column_dimensions["A"].width = 28
    help_ws.column_dimensions["C"].width = 80
    for cell in help_ws[1]:
        cell.font = bold

    plan_ws = wb.create_sheet(PLANS_SHEET)
    plan_ws.append(["规划编号", "规划名称", "规划期起", "规划期止", "领域编号", "领域名称", "任务数（文件所述）"])
    shown = plans if plan_id is None else plans[plans["plan_id"] == plan_id]
    for p in shown.itertuples():
        parea = areas[areas["plan_id"] == p.plan_id]
        if parea.empty:
            plan_ws.append([p.plan_id, p.title_zh, int(p.period_start), int(p.period_end), None, None,
                            None if pd.isna(p.tasks_stated) else int(p.tasks_stated)])
        for a in parea.itertuples():
            plan_ws.append([p.plan_id, p.title_zh, int(p.period_start), int(p.period_end), a.area_id, a.name_zh,
                            None if pd.isna(a.tasks_stated) else int(a.tasks_stated)])
    for cell in plan_ws[1]:
        cell.font = bold
    plan_ws.column_dimensions["B"].width = 50
    plan_ws.column_dimensions["F"].width = 30
    for row in ws.iter_rows(min_row=2):
        row[list(FIELDS).index("title")].alignment = Alignment(wrap_text=False)

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tasks-", suffix=".xlsx", dir=str(out.parent))
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(frame)
