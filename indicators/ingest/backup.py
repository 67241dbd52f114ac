"""Backups: ``export_all`` writes every table as Parquet (types kept) plus ``manifest.json`` (row counts and
content hashes); ``import_all`` restores them atomically and checks the hashes before committing."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import duckdb

from indicators.ingest.content_digest import table_dump
from indicators.ingest.errors import IngestError
from indicators.ingest.store_tables import database_tables, select_all_sql
from indicators.store.sql_ident import ident
from indicators.store import data_version
from indicators.store.db import SCHEMA_PATH, ensure_schema
from indicators.store.writer import write_transaction

MANIFEST = "manifest.json"
_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
FORMAT_VERSION = 1


def export_all(con: duckdb.DuckDBPyConnection, directory: str | Path) -> dict:
    """Write ``<table>.parquet`` for every table and ``manifest.json`` into ``directory``; returns the manifest.

    Atomic: everything is written (and fsynced) into a temporary sibling folder first, then swapped in
    with two renames; the previous backup is deleted only after the new one is in place. A killed or
    failed export (full disk) leaves the previous backup as it was — at ``directory``, or, if the process
    died between the two renames, at the ``.<name>.previous-*`` sibling that ``read_manifest`` points to.
    Refuses a folder holding files that are not part of a backup (they would be lost in the swap)."""
    directory = Path(directory)
    _check_target(directory)
    parent = directory.parent
    parent.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}-{int(time.time() * 1000)}"
    staging = parent / f".{directory.name}.writing-{tag}"
    previous = parent / f".{directory.name}.previous-{tag}"
    staging.mkdir()
    try:
        manifest = _write_backup(con, staging)
        _fsync_dir(staging)
        if directory.exists():
            os.replace(directory, previous)
        os.replace(staging, directory)
        _fsync_dir(parent)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if previous.exists() and not directory.exists():
            os.replace(previous, directory)
        raise BackupError(_os_message(exc, "writing the backup", directory)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if previous.exists() and not directory.exists():
            os.replace(previous, directory)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    return manifest


class BackupError(IngestError):
    """A backup could not be written or read; the message says what, where and what to do."""


def _os_message(exc: OSError, doing: str, where: Path) -> str:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        what = "the disk is full (or a quota/file-size limit was reached)"
        todo = "free space or choose a folder on another disk, then run the export again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = "permission denied"
        todo = "choose a folder you can write to"
    else:
        what = exc.strerror or type(exc).__name__
        todo = "check the folder and run the export again"
    return (f"{doing} into {where} stopped: {what}. The previous backup in that folder (if any) is unchanged "
            f"and no partial files were left behind; {todo}.")


def _check_target(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise BackupError(f"{directory} is a file, not a folder: choose a folder for the backup")
    if not directory.is_dir():
        return
    entries = [p.name for p in directory.iterdir()]
    if not entries:
        return
    allowed = {MANIFEST}
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        allowed |= {str(e.get("file", "")) for e in manifest.get("tables", {}).values()}
    except (OSError, ValueError, AttributeError):
        pass
    foreign = sorted(n for n in entries if n not in allowed and not n.endswith(".parquet"))
    if foreign:
        raise BackupError(f"{directory} holds files that are not part of a backup ({', '.join(foreign[:5])}"
                          f"{' …' if len(foreign) > 5 else ''}); export --all replaces the whole folder: choose "
                          "an empty or new folder")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_backup(con: duckdb.DuckDBPyConnection, directory: Path) -> dict:
    import pyarrow.parquet as pq

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
            _fsync_file(path)
            manifest["tables"][table] = {
                "file": path.name, "rows": arrow.num_rows,
                "content_sha256": hashlib.sha256(table_dump(cur, table, tables, in_transaction=True)).hexdigest(),
                "file_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        cur.execute("COMMIT")
    finally:
        cur.close()
    path = directory / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    _fsync_file(path)
    return manifest


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


_SAFE_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}\.parquet$")


def _leftover_hint(directory: Path) -> str:
    """A previous backup an interrupted export left beside ``directory``, if any."""
    parent = directory.parent
    if not parent.is_dir():
        return ""
    found = sorted(parent.glob(f".{directory.name}.previous-*"))
    if found:
        return (f" An interrupted export left the previous backup at {found[-1]}: restore from that folder "
                "(or rename it back).")
    return ""


def read_manifest(directory: str | Path) -> dict:
    """The manifest of a backup folder, after checking that every file it names is a plain file inside
    the folder and matches its hash. Raises BackupError (what, where, what to do) otherwise."""
    directory = Path(directory)
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path} not found: {directory} is not a backup written by `export --all`."
                          + _leftover_hint(directory)) from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"cannot read {path} ({type(exc).__name__}): the backup's manifest is damaged or "
                          "truncated; use another backup, or export again from a working database") from None
    if not isinstance(manifest, dict) or manifest.get("format") != "tongcheng-backup" \
            or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"{path} is not a tongcheng backup manifest")
    root = directory.resolve()
    for table, entry in manifest["tables"].items():
        name = str(entry.get("file", "")) if isinstance(entry, dict) else ""
        if not _SAFE_FILE.match(name) or (directory / name).resolve().parent != root \
                or (directory / name).is_symlink():
            raise BackupError(f"{path}: the file for table {table!r} is {name!r}, which is not a plain .parquet "
                              "file inside the backup folder; refusing a manifest that names paths elsewhere")
        file = directory / name
        if not file.is_file():
            raise BackupError(f"backup file for table {table} is missing: {file}; the backup is incomplete — "
                              "use another backup")
        if hashlib.sha256(file.read_bytes()).hexdigest() != entry.get("file_sha256"):
            raise BackupError(f"backup file {file} does not match its manifest hash: it is truncated, damaged or "
                              "edited; nothing was restored — use another backup")
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
    with write_transaction(con, f"restore of {directory.name}") as cur:
        version_before = data_version.current(cur)
        for table, entry in manifest["tables"].items():
            try:
                arrow = pq.read_table(directory / entry["file"])
            except Exception as exc:  # noqa: BLE001 - pyarrow's many error types on a damaged file
                raise BackupError(f"cannot read backup file {directory / entry['file']} ({type(exc).__name__}); "
                                  "it is damaged; nothing was restored — use another backup") from None
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
