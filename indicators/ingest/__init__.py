"""Imports, backups and the bad-input defences of the store.

Public API (UI-independent; the Data page and the CLI call these):

* ``plan_import(source, file_name, con, options) -> ImportPlan`` — read and check, never write.
* ``apply_import(plan, con, replace=False) -> ImportResult`` — one transaction, all or nothing.
* ``ImportReport`` (``.errors``: file, row, column, reason; ``.to_frame()``), ``IngestError``.
* ``export_all(con, directory)`` / ``import_all(con, directory, replace=False)`` — lossless backups.
* ``content_digest(con)`` — a canonical hash of every table (sorted rows), to prove "unchanged".
"""
from indicators.ingest.apply import ImportResult, apply_import
from indicators.ingest.errors import ImportReport, IngestError, Issue
from indicators.ingest.options import ImportOptions
from indicators.ingest.plan import ImportPlan, plan_import

__all__ = ["ImportOptions", "ImportPlan", "ImportReport", "ImportResult", "IngestError", "Issue",
           "apply_import", "plan_import"]
