"""apply_import: write a plan in one transaction — all of it or nothing.

Inside the transaction the plan is compared with the database again (it may have changed since the
plan was made). Conflicts with a stored value of the same source abort the import unless
``replace=True``; replaced values are copied to ``observation_history`` first. Re-importing the same
file inserts and updates nothing and leaves no trace (no import_log row either).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Callable

import duckdb
import pandas as pd

from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.plan import OBS_COLUMNS, ImportPlan, diff_on_cursor
from indicators.store import data_version
from indicators.store.writer import ReadOnlyError, WriterBusy, run_write

Stage = Callable[[str], None]


@dataclass(frozen=True)
class ImportResult:
    import_id: str | None
    inserted: int
    updated: int
    unchanged: int
    rejected: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)

    def summary(self) -> str:
        return (f"inserted {self.inserted:,}, updated {self.updated:,}, unchanged {self.unchanged:,}"
                + (f" (import {self.import_id})" if self.import_id else " (nothing to write)"))


def apply_import(plan: ImportPlan, con: duckdb.DuckDBPyConnection, replace: bool = False,
                 on_stage: Stage | None = None) -> ImportResult:
    """Write ``plan``. Raises IngestError (and writes nothing) when the plan has errors or, without
    ``replace``, when a value conflicts with a stored one of the same source. ``on_stage`` is called with
    'begin', 'written' (everything written, not yet committed) and 'committed' — e.g. for progress."""
    stage = on_stage or (lambda _name: None)
    if not plan.ok:
        raise IngestError(f"{plan.file_name}: import rejected ({plan.report.errors_total} error(s)); nothing written",
                          plan.report)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    import_id = _import_id(plan, now)
    try:
        # serialised with every other writer of the process (indicators.store.writer): two sessions that
        # commit within the same second run one after the other instead of conflicting on meta.data_version
        result = run_write(con, lambda cur: _write(plan, cur, replace, stage, now, import_id),
                           what=f"import of {plan.file_name}")
    except (ReadOnlyError, WriterBusy) as exc:
        raise IngestError(str(exc), ImportReport(file=plan.file_name)) from None
    except duckdb.Error as exc:   # rolled back: nothing written
        raise IngestError(f"{plan.file_name}: the database refused the write ({type(exc).__name__}: "
                          f"{str(exc).splitlines()[0][:200]}); nothing written — press commit again to retry",
                          ImportReport(file=plan.file_name)) from None
    stage("committed")
    return result


def _write(plan: ImportPlan, cur: duckdb.DuckDBPyConnection, replace: bool, stage: Stage, now: dt.datetime,
           import_id: str) -> ImportResult:
    """The import's writes on ``cur``, a cursor inside the serialised write transaction."""
    records = plan.records
    stage("begin")
    inserts, conflicts, unchanged = diff_on_cursor(cur, records) if len(records) else (records, records, 0)
    if len(conflicts) and not replace:
        raise IngestError(f"{plan.file_name}: {len(conflicts)} value(s) differ from stored values of the same "
                          "source; nothing written (use replace to overwrite; old values are kept in history)",
                          _conflict_report(plan, conflicts))
    if not len(inserts) and not len(conflicts):
        stage("written")
        result = ImportResult(None, 0, 0, unchanged)
    else:
        _write_sources(cur, plan)
        if len(conflicts):
            _archive_and_delete(cur, conflicts, now, import_id)
        columns = OBS_COLUMNS + (["flags"] if "flags" in inserts.columns else [])
        to_write = pd.concat([inserts[columns], conflicts[columns]], ignore_index=True)
        if "flags" not in to_write.columns:
            to_write["flags"] = None
        to_write["flags"] = to_write["flags"].astype(object)
        cur.register("ingest_new_rows", to_write)
        cur.execute("INSERT INTO observation (code, year, indicator, value, source_id, quality, note, flags) "
                    "SELECT code, CAST(year AS INTEGER), indicator, value, source_id, quality, note, "
                    "CAST(flags AS VARCHAR) FROM ingest_new_rows")
        cur.unregister("ingest_new_rows")
        cur.execute("INSERT INTO import_log (import_id, file_name, file_sha256, started_at, rows_inserted, "
                    "rows_updated, rows_unchanged, rows_rejected, options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [import_id, plan.file_name, plan.file_sha256, now, len(inserts), len(conflicts), unchanged, 0,
                     json.dumps({**plan.options.model_dump(exclude_none=True), "replace": replace},
                                ensure_ascii=False, sort_keys=True)])
        data_version.bump(cur)   # same commit as the rows: readers see both or neither
        stage("written")
        result = ImportResult(import_id, len(inserts), len(conflicts), unchanged)
    return result


def _import_id(plan: ImportPlan, now: dt.datetime) -> str:
    digest = hashlib.sha256(f"{plan.file_sha256}|{now.isoformat()}".encode()).hexdigest()[:10]
    return f"imp_{now:%Y%m%dT%H%M%S}_{digest}"


def _write_sources(cur, plan: ImportPlan) -> None:
    new = plan.sources[plan.sources["new"].astype(bool)] if len(plan.sources) else plan.sources
    for source_id, title in zip(new["source_id"], new["title"]):
        cur.execute("INSERT INTO source (source_id, title, notes, date_accessed) "
                    "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM source WHERE source_id = ?)",
                    [source_id, title, f"created by import of {plan.file_name}", dt.date.today().isoformat(), source_id])


def _archive_and_delete(cur, conflicts: pd.DataFrame, now: dt.datetime, import_id: str) -> None:
    keys = conflicts[["code", "year", "indicator", "source_id"]]
    cur.register("ingest_replaced_keys", keys)
    cur.execute("INSERT INTO observation_history (code, year, indicator, value, source_id, quality, note, replaced_at, "
                "replaced_by_import) SELECT o.code, o.year, o.indicator, o.value, o.source_id, o.quality, o.note, ?, ? "
                "FROM observation o JOIN ingest_replaced_keys k USING (code, year, indicator, source_id)",
                [now, import_id])
    cur.execute("DELETE FROM observation o USING ingest_replaced_keys k WHERE o.code = k.code AND o.year = k.year "
                "AND o.indicator = k.indicator AND o.source_id = k.source_id")
    cur.unregister("ingest_replaced_keys")


def _conflict_report(plan: ImportPlan, conflicts: pd.DataFrame) -> ImportReport:
    report = ImportReport(file=plan.file_name)
    report.error_many(
        conflicts["row"].to_numpy(), conflicts["column"].to_numpy(),
        [f"{c} {y} {i}: stored value {old:g} ({q}) from the same source differs; use replace to overwrite"
         for c, y, i, old, q in zip(conflicts["code"], conflicts["year"], conflicts["indicator"],
                                    conflicts["old_value"], conflicts["old_quality"])],
        conflicts["value"].to_numpy())
    return report
