"""Backups: ``export_all`` writes every table as Parquet (types kept) plus ``manifest.json`` (row counts and
content hashes); ``import_all`` restores them atomically and checks the hashes before committing."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import duckdb

from indicators.ingest.content_digest import table_dump
from indicators.ingest.errors import IngestError
from indicators.ingest.store_tables import database_tables, select_all_sql
from indicators.store.sql_ident import ident
from indicators.store import data_version
from indicators.store.db import SCHEMA_PATH, ensure_schema, transaction

MANIFEST = "manifest.json"
_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
FORMAT_VERSION = 1


def export_all(con: duckdb.DuckDBPyConnection, directory: str | Path) -> dict:
    """Write ``<table>.parquet`` for every table and ``manifest.json``; returns the manifest."""
    import pyarrow.parquet as pq

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tables = database_tables(con)
    manifest = {"format": "tongcheng-backup", "version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "tables": {}}
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")   # one snapshot for every table
        for table in tables:
            arrow = cur.sql(select_all_sql(table, tables, ordered=True)).to_arrow_table()
            path = directory / f"{table}.parquet"
            pq.write_table(arrow, path)
            manifest["tables"][table] = {
                "file": path.name, "rows": arrow.num_rows,
                "content_sha256": hashlib.sha256(table_dump(cur, table, tables, in_transaction=True)).hexdigest(),
                "file_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        cur.execute("COMMIT")
    finally:
        cur.close()
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def read_manifest(directory: str | Path) -> dict:
    directory = Path(directory)
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IngestError(f"{path} not found: not a backup written by `export --all`") from None
    except (OSError, ValueError) as exc:
        raise IngestError(f"cannot read {path}: {exc}") from None
    if manifest.get("format") != "tongcheng-backup" or not isinstance(manifest.get("tables"), dict):
        raise IngestError(f"{path} is not a tongcheng backup manifest")
    for table, entry in manifest["tables"].items():
        file = directory / str(entry.get("file", ""))
        if not file.is_file():
            raise IngestError(f"backup file for table {table} is missing: {file}")
        if hashlib.sha256(file.read_bytes()).hexdigest() != entry.get("file_sha256"):
            raise IngestError(f"backup file {file.name} does not match its manifest hash (damaged or edited)")
    return manifest


def import_all(con: duckdb.DuckDBPyConnection, directory: str | Path, replace: bool = False) -> dict[str, int]:
    """Restore a backup into the database of ``con`` in one transaction. Refuses a database that already
    holds data unless ``replace`` (then every backed-up table is emptied first). Returns rows per table."""
    import pyarrow.parquet as pq

    directory = Path(directory)
    manifest = read_manifest(directory)
    ensure_schema(con)
    _ensure_extra_schema(con)
    existing = database_tables(con)
    unknown = [t for t in manifest["tables"] if t not in existing]
    bad_names = [t for t in unknown if not _TABLE_NAME.match(t)]
    if bad_names:
        raise IngestError(f"backup has invalid table names: {', '.join(bad_names)}")
    if not replace:
        filled = [t for t in existing if _row_count(con, t, existing)]
        if filled:
            raise IngestError(f"the database is not empty ({', '.join(filled)}); restore into a new file, "
                              "or pass --replace to overwrite it")
    counts: dict[str, int] = {}
    with transaction(con) as cur:
        version_before = data_version.current(cur)
        for table, entry in manifest["tables"].items():
            arrow = pq.read_table(directory / entry["file"])
            if table in unknown:   # a table no schema file declares: create it with the backup's column types
                cur.register("backup_rows", arrow)
                cur.execute("CREATE TABLE " + ident(table, unknown) + " AS SELECT * FROM backup_rows LIMIT 0")
                cur.unregister("backup_rows")
                existing = existing + [table]
            cur.execute("DELETE FROM " + ident(table, existing))
            cur.register("backup_rows", arrow)
            cur.execute("INSERT INTO " + ident(table, existing) + " BY NAME SELECT * FROM backup_rows")
            cur.unregister("backup_rows")
            digest = hashlib.sha256(table_dump(cur, table, existing, in_transaction=True)).hexdigest()
            if digest != entry["content_sha256"]:
                raise IngestError(f"restored table {table} does not match the backup's content hash; nothing written")
            counts[table] = arrow.num_rows
        data_version.bump(cur, floor=version_before)   # never back to a version a cache may still hold
    return counts


def _ensure_extra_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables other store modules declare beside schema.sql (e.g. schema_extra.sql), all idempotent DDL."""
    for path in sorted(SCHEMA_PATH.parent.glob("schema_*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def _row_count(con: duckdb.DuckDBPyConnection, table: str, allowed: list[str]) -> int:
    cur = con.cursor()
    try:
        return cur.execute("SELECT count(*) FROM " + ident(table, allowed)).fetchone()[0]
    finally:
        cur.close()
