"""plan_import: read, understand, normalise and validate a file, and compare it with the database —
without writing anything. The plan says what would be inserted, updated (= conflicts, written only with
replace), left unchanged, and rejected (the full error report)."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import duckdb
import numpy as np
import pandas as pd

from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.indicator_lookup import indicator_table
from indicators.ingest.layout import Layout, check_unnamed_columns, detect_layout, header_frame_preview
from indicators.ingest.limits import Limits
from indicators.ingest.normalise import CLEAN_COLUMNS, Context, normalise_records
from indicators.ingest.options import ImportOptions
from indicators.ingest.read_source import Source, load_bytes, read_grid
from indicators.ingest.region_resolve import RegionIndex
from indicators.ingest.reshape import to_long
from indicators.ingest.source_ids import source_id_for
from indicators.ingest.validate import check_duplicates, check_plausible, validate_structure

OBS_COLUMNS = ["code", "year", "indicator", "value", "source_id", "quality", "note"]
RELATIVE_TOLERANCE = 1e-9


@dataclass
class ImportPlan:
    """Everything an import would do. ``ok`` False means it would be rejected (see ``report``)."""

    file_name: str
    file_sha256: str
    options: ImportOptions
    report: ImportReport
    file_format: str = ""
    layout: Layout | None = None
    records: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CLEAN_COLUMNS))
    sources: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["source_id", "title", "new"]))
    inserts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CLEAN_COLUMNS))
    conflicts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CLEAN_COLUMNS + ["old_value", "old_quality"]))
    unchanged: int = 0
    missing: int = 0
    rows_read: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def updates(self) -> pd.DataFrame:
        """Values that differ from a stored value of the same source: written only with replace=True."""
        return self.conflicts

    @property
    def rejected(self) -> int:
        return self.report.errors_total

    def columns_understood(self) -> pd.DataFrame:
        return header_frame_preview(self.layout) if self.layout else pd.DataFrame()

    def summary(self) -> str:
        lines = [f"{self.file_name} ({self.file_format or 'unreadable'}): {len(self.records):,} value(s) read, "
                 f"{self.missing:,} missing cell(s) skipped",
                 f"  insert {len(self.inserts):,}  |  update (conflicts with the same source) {len(self.conflicts):,}"
                 f"  |  unchanged {self.unchanged:,}  |  rejected {self.rejected:,}"]
        if self.report.warnings:
            lines.append("  warnings:")
            lines += [f"    {w}" for w in self.report.warnings[:20]]
        return "\n".join(lines)


def plan_import(source: Source, file_name: str | None, con: duckdb.DuckDBPyConnection,
                options: ImportOptions | Mapping[str, Any] | None = None) -> ImportPlan:
    """Plan an import of ``source`` (path, bytes or binary file object) into the database of ``con``.

    Never writes. Bad input never raises: it ends up in ``plan.report`` (``plan.ok`` is False).
    """
    started = time.perf_counter()
    if file_name is None:
        file_name = Path(str(source)).name if isinstance(source, (str, Path)) else getattr(source, "name", "upload")
    report = ImportReport(file=str(file_name))
    try:
        opts = options if isinstance(options, ImportOptions) else ImportOptions.model_validate(dict(options or {}))
    except Exception as exc:  # pydantic.ValidationError
        report.error(None, None, f"invalid import options: {exc}")
        return ImportPlan(str(file_name), "", ImportOptions(), report)
    plan = ImportPlan(str(file_name), "", opts, report)
    try:
        _fill_plan(plan, source, con)
    except IngestError as exc:
        if exc.report is not report:
            for issue in exc.report.errors:
                report.error(issue.row, issue.column, issue.reason, issue.value)
    except (MemoryError, RecursionError) as exc:
        report.error(None, None, f"file too complex to read ({type(exc).__name__})")
    if not report.ok:
        plan.inserts = plan.inserts.iloc[0:0]
        plan.conflicts = plan.conflicts.iloc[0:0]
    plan.seconds = time.perf_counter() - started
    return plan


def _fill_plan(plan: ImportPlan, source: Source, con: duckdb.DuckDBPyConnection) -> None:
    report, opts = plan.report, plan.options
    env = Limits.from_env()
    limits = Limits(max_bytes=opts.max_bytes or env.max_bytes, max_rows=opts.max_rows or env.max_rows,
                    max_columns=env.max_columns, max_seconds=env.max_seconds)
    data = load_bytes(source, limits, report)
    plan.file_sha256 = hashlib.sha256(data).hexdigest()
    grid, plan.file_format = read_grid(data, plan.file_name, limits, report, sheet=opts.sheet, encoding=opts.encoding)
    del data
    plan.rows_read = len(grid.cells)
    message = (limits.rows_message(len(grid.cells) - (0 if grid.header is not None else 1))
               or limits.columns_message(len(grid.cells.columns)) or limits.time_message("reading the file"))
    if message:
        raise IngestError(message, report)
    table = indicator_table()
    layout = detect_layout(grid, table, report)
    _check_time(limits, "finding the header rows", report)
    plan.layout = layout
    check_unnamed_columns(grid, layout, report, strict=plan.file_format.startswith("csv"))
    long, missing_cells = to_long(grid, layout, opts, report)
    if layout.roles.get("code") is not None or layout.roles.get("region") is not None:
        long.attrs["region_label"] = layout.labels[layout.roles.get("code", layout.roles.get("region"))]
    del grid
    _check_time(limits, "reshaping the table", report)
    existing_sources = _existing_sources(con)
    ctx = Context(regions=RegionIndex.from_db(con), indicators=table, existing_sources=existing_sources)
    if not ctx.regions.display:
        raise IngestError("the database has no regions to match names against: build it first "
                          "(python -m indicators build) or restore a backup (import --all DIR)", report)
    clean, missing_values = normalise_records(long, ctx, report)
    _check_time(limits, "matching names and units", report)
    plan.missing = missing_cells + missing_values
    bad = validate_structure(clean, report)
    clean = clean[~bad]
    bad = check_plausible(clean, table, report)
    clean = clean[~bad]
    clean, _ = check_duplicates(clean, report)
    clean = _check_validity_years(clean, con, opts, report)
    clean = clean.reset_index(drop=True)
    plan.records = clean
    plan.sources = _sources_frame(long, clean, existing_sources)
    if report.ok:
        plan.inserts, plan.conflicts, plan.unchanged = diff_against(con, clean)


def _check_validity_years(clean: pd.DataFrame, con: duckdb.DuckDBPyConnection, opts: ImportOptions,
                          report: ImportReport) -> pd.DataFrame:
    """Rows for a region outside its validity years (巢湖 after 2011, 莱芜 after 2018): errors, or with
    ``allow_outside_validity`` kept and flagged ``outside_validity`` (``check`` lists them either way)."""
    from indicators.store.validity import FLAG, outside_mask, region_spans, span_text

    if clean.empty:
        return clean
    spans = region_spans(con)
    mask = outside_mask(clean, spans).to_numpy()
    if not mask.any():
        return clean
    bad = clean[mask].merge(spans, on="code", how="left")
    reasons = [f"{n or c} ({c}) existed as a unit only in {span_text(lo, hi)}; {y} is outside its validity years"
               + ("" if opts.allow_outside_validity else
                  ": give the value to the unit that covered the area that year, or import with the option "
                  "allow_outside_validity to store it flagged outside_validity")
               for c, n, y, lo, hi in zip(bad["code"], bad["name_zh"], bad["year"], bad["valid_from"], bad["valid_to"])]
    if opts.allow_outside_validity:
        for row, column, reason in zip(bad["row"], bad["column"], reasons[:200]):
            report.warn(None if pd.isna(row) else int(row), column, reason + " (stored, flagged outside_validity)")
        clean = clean.copy()
        clean["flags"] = np.where(mask, FLAG, None)
        return clean
    report.error_many(bad["row"].to_numpy(), bad["column"].to_numpy(), reasons, bad["year"].to_numpy())
    return clean[~mask]


def _check_time(limits: Limits, stage: str, report: ImportReport) -> None:
    message = limits.time_message(stage)
    if message:
        raise IngestError(message, report)


def _existing_sources(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """source_id -> title of every stored source."""
    cur = con.cursor()
    try:
        return dict(cur.execute("SELECT source_id, title FROM source").fetchall())
    finally:
        cur.close()


def _sources_frame(long: pd.DataFrame, clean: pd.DataFrame, existing: Mapping[str, str | None]) -> pd.DataFrame:
    texts = pd.unique(long["source_raw"].dropna().astype(str)) if len(long) else []
    rows = []
    used = set(clean["source_id"].unique()) if len(clean) else set()
    for text in texts:
        sid = source_id_for(text, existing)
        if sid in used and sid not in {r[0] for r in rows}:
            rows.append((sid, text.strip(), sid not in existing))
    return pd.DataFrame(rows, columns=["source_id", "title", "new"])


def diff_against(con: duckdb.DuckDBPyConnection, clean: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """(rows to insert, rows conflicting with a stored value of the same source, count unchanged)."""
    if clean.empty:
        return clean.copy(), clean.assign(old_value=[], old_quality=[]), 0
    cur = con.cursor()
    try:
        return diff_on_cursor(cur, clean)
    finally:
        cur.close()


def diff_on_cursor(cur, clean: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    keys = clean[["code", "year", "indicator", "source_id"]]
    cur.register("ingest_keys", keys)
    try:
        stored = cur.execute(
            "SELECT o.code, o.year, o.indicator, o.source_id, o.value AS old_value, o.quality AS old_quality "
            "FROM observation o JOIN ingest_keys k USING (code, year, indicator, source_id)").df()
    finally:
        cur.unregister("ingest_keys")
    if stored.empty:
        return clean.copy(), clean.iloc[0:0].assign(old_value=[], old_quality=[]), 0
    stored["year"] = stored["year"].astype("int64")
    merged = clean.merge(stored, on=["code", "year", "indicator", "source_id"], how="left")
    present = merged["old_value"].notna().to_numpy()
    new, old = merged["value"].to_numpy(dtype=float), merged["old_value"].to_numpy(dtype=float)
    same_value = np.abs(new - old) <= RELATIVE_TOLERANCE * np.maximum(np.abs(old), 1.0)
    same = present & same_value & (merged["quality"].to_numpy(dtype=object) == merged["old_quality"].to_numpy(dtype=object))
    inserts = merged[~present][clean.columns].reset_index(drop=True)
    conflicts = merged[present & ~same].reset_index(drop=True)
    return inserts, conflicts, int(same.sum())
