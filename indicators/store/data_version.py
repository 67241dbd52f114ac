"""The store's data version: a counter in ``meta`` that every write transaction increments.

Why: the dashboard caches frames. A cache keyed on the database path alone serves stale frames after an
import, and two frames on one page may come from two versions. Keying on the data version fixes the
first; reading each frame inside one read transaction that also reads the version (``read_snapshot``)
proves which version a frame belongs to, so a page can refuse to mix versions.

* ``bump(cur)`` — call on the cursor of a write transaction, inside it (imports, replace, restore).
  Readers see the new version exactly when they see the new rows (same commit).
* ``current(cur)`` — the committed version (0 for a database no write has touched yet).
* ``read_snapshot(con, read, expected)`` — ``BEGIN; SELECT version; read(...); COMMIT`` on a fresh cursor.

No streamlit here; ``indicators.ui.loaders`` builds its caches on top of it.
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar

import duckdb

KEY = "data_version"

T = TypeVar("T")


class VersionMoved(RuntimeError):
    """A snapshot read found another data version than the one it was asked to read."""

    def __init__(self, expected: int, found: int):
        super().__init__(f"data version moved from {expected} to {found}")
        self.expected = expected
        self.found = found


def _parse(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def current(cur: duckdb.DuckDBPyConnection) -> int:
    """The data version visible to ``cur`` (inside a transaction: that transaction's snapshot).
    Raises duckdb.CatalogException when the database has no ``meta`` table."""
    row = cur.execute("SELECT value FROM meta WHERE key = ?", [KEY]).fetchone()
    return _parse(row[0]) if row else 0


def bump(cur: duckdb.DuckDBPyConnection, floor: int = 0) -> int:
    """Increment the version inside the caller's open write transaction; returns the new version.

    ``floor``: the new version is also greater than this (a restore replaces ``meta`` with the backup's
    rows; passing the version from before the restore keeps the counter from going back)."""
    new = max(current(cur), int(floor)) + 1
    cur.execute("DELETE FROM meta WHERE key = ?", [KEY])
    cur.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [KEY, str(new)])
    return new


class _BorrowedCursor:
    """The snapshot cursor handed to code that would open and close its own cursor (``query_df``)."""

    def __init__(self, cur: duckdb.DuckDBPyConnection):
        self._cur = cur

    def cursor(self) -> "_BorrowedCursor":
        return self

    def close(self) -> None:   # the snapshot owns the cursor
        pass

    def __enter__(self) -> "_BorrowedCursor":
        return self

    def __exit__(self, *exc) -> None:
        pass

    def __getattr__(self, name: str):
        return getattr(self._cur, name)


def read_snapshot(con: duckdb.DuckDBPyConnection, read: Callable[[Any], T],
                  expected: int | None = None) -> tuple[int, T]:
    """Run ``read(c)`` inside one read transaction on a fresh cursor of ``con`` and return
    ``(version, result)``: everything ``read`` sees belongs to ``version``.

    ``read`` gets a connection-like object whose ``.cursor()`` returns the snapshot cursor itself, so
    functions written as "take a cursor per query" (``store_reads``) read inside the snapshot.
    With ``expected`` set, raises ``VersionMoved`` (before reading anything else) when the database is at
    another version."""
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            try:
                version = current(cur)
            except duckdb.CatalogException:   # no meta table (an old file opened read-only): version 0
                cur.execute("ROLLBACK")
                cur.execute("BEGIN TRANSACTION")
                version = 0
            if expected is not None and version != expected:
                raise VersionMoved(expected, version)
            result = read(_BorrowedCursor(cur))
        finally:
            cur.execute("ROLLBACK")   # read-only: nothing to commit; also ends a failed transaction
        return version, result
    finally:
        cur.close()
