"""Connections to the DuckDB store.

The pattern (measured in ../shared/TOOLING.md, tested in tests/reliability/test_reliability_snapshot.py):

* One process-wide connection per database file (``shared_connection``). Every reader takes its own
  ``.cursor()`` from it (cheap, ~10 µs) — never run queries on the shared connection object itself
  from several threads.
* Writes (imports from the Data page) go through a cursor of the *same* connection inside one
  transaction (``transaction``). DuckDB's MVCC gives readers a snapshot: a page sees the data from
  before or after an import, never half of it. A failed import rolls back and leaves nothing behind.
* Another *process* cannot open a file a process holds read-write; the CLI therefore reports a clear
  error when the dashboard holds the database, and the dashboard can run read-only
  (``TONGCHENG_READ_ONLY=1``) so that nothing can write through it.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

SCHEMA_PATH = Path(__file__).with_name("schema.sql")

_lock = threading.RLock()   # re-entrant: shared_connection() calls connect() while holding it
_shared: dict[tuple[str, bool], duckdb.DuckDBPyConnection] = {}


def read_only_mode() -> bool:
    """True when the deployment is read-only (environment variable TONGCHENG_READ_ONLY=1/true/yes)."""
    return os.environ.get("TONGCHENG_READ_ONLY", "").strip().lower() in {"1", "true", "yes", "on"}


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet (the DDL is idempotent)."""
    con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A new connection. Read-write connections get the schema ensured."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"database {path} does not exist; run `python -m indicators build` first")
        with _lock:
            writer = _shared.get((str(path.resolve()), False))
        if writer is not None:
            # DuckDB refuses a read-only connection beside a read-write one in the same process
            # ("different configuration"): read through a cursor of the open one instead.
            return writer.cursor()
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    ensure_schema(con)
    return con


def shared_connection(path: str | Path, read_only: bool | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide connection for ``path``. Take a ``.cursor()`` from it for every query."""
    ro = read_only_mode() if read_only is None else read_only
    key = (str(Path(path).resolve()), ro)
    with _lock:
        con = _shared.get(key)
        if con is None and ro:
            # DuckDB refuses a read-only connection beside a read-write one to the same file in one
            # process ("different configuration"); the read-write one serves reads just as well.
            con = _shared.get((key[0], False))
        if con is None:
            if not ro and (key[0], True) in _shared:
                raise RuntimeError(f"{path} is open read-only in this process; close_shared() it before writing")
            con = connect(path, read_only=ro)
            _shared[key] = con
        return con


def close_shared(path: str | Path | None = None) -> None:
    """Close shared connections (all, or those of one file) — e.g. before a file is swapped or deleted."""
    with _lock:
        for key in list(_shared):
            if path is None or key[0] == str(Path(path).resolve()):
                con = _shared.pop(key)
                try:
                    con.close()
                except duckdb.Error:
                    # still busy in another thread (e.g. a background warm-up): it is no longer handed
                    # out, and DuckDB closes it when that thread lets go of it
                    pass


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One all-or-nothing transaction on a fresh cursor of ``con``."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        cur.close()
        raise
    else:
        cur.execute("COMMIT")
        cur.close()


def query_df(con: duckdb.DuckDBPyConnection, sql: str, params: list | tuple | dict | None = None):
    """Run a parameterised query on a fresh cursor and return a pandas DataFrame."""
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()
