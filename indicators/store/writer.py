"""The one way anything writes: serialised, refused in read-only mode, retried on a lost race.

Why: the dashboard serves many sessions from one process and one DuckDB connection. Two imports that
commit within the same second used to run as two concurrent transactions; both bump ``meta.data_version``
and DuckDB aborts the second ("write-write conflict"). Here every writer of the process takes the same
lock first, so write transactions run one after another: the second waits (seconds at most) and then
commits on top of the first. Its own diff runs inside its transaction, so it sees the first one's rows.

* ``write_transaction(con, what)`` — a context manager: read-only check, the process-wide write lock
  (with a timeout that names what is holding it), then one transaction on a fresh cursor.
* ``run_write(con, fn, what)`` — ``fn(cursor)`` inside ``write_transaction``; a transaction conflict
  (a writer that did not take the lock, e.g. another tool on the same connection) is retried a few times
  before it is reported.
* ``serialised_file_write(what)`` — the same lock and read-only check for writes that are files rather
  than rows (frameworks, task ledgers); ``write_text_atomically(path, text, what)`` does the common case.
* ``ensure_writable(what)`` — raise ``ReadOnlyError`` in a read-only deployment (TONGCHENG_READ_ONLY=1).

Callers: ``indicators.ingest.apply`` (imports), ``indicators.ingest.backup`` (restores), the catalog's
``save_framework``; new writers (the task-ledger import) should call ``run_write``/``write_transaction``.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import duckdb

from indicators.store.db import read_only_mode, transaction

T = TypeVar("T")

DEFAULT_WAIT_S = 120.0        # how long a writer waits for the one in front of it
CONFLICT_RETRIES = 3

_write_lock = threading.RLock()
_holder: dict[str, object] = {}   # what holds the lock now (for the timeout message)


class ReadOnlyError(PermissionError):
    """A write was attempted in a read-only deployment."""


class WriterBusy(RuntimeError):
    """Another write held the lock longer than the caller was willing to wait."""


def ensure_writable(what: str) -> None:
    """Raise ReadOnlyError when the deployment is read-only."""
    if read_only_mode():
        raise ReadOnlyError(f"{what}: this deployment is read-only (TONGCHENG_READ_ONLY=1); nothing was written. "
                            "Use a read-write instance to change data or settings.")


@contextmanager
def _locked(what: str, wait_s: float) -> Iterator[None]:
    ensure_writable(what)
    if not _write_lock.acquire(timeout=wait_s):
        busy = _holder.get("what", "another write")
        since = _holder.get("since")
        held = f" for {time.monotonic() - since:.0f} s" if isinstance(since, float) else ""
        raise WriterBusy(f"{what}: waited {wait_s:.0f} s for {busy} to finish (running{held}); nothing was "
                         "written — try again in a moment")
    outer = "what" not in _holder
    if outer:
        _holder.update(what=what, since=time.monotonic(), thread=threading.get_ident())
    try:
        yield
    finally:
        if outer:
            _holder.clear()
        _write_lock.release()


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection, what: str = "write",
                      wait_s: float = DEFAULT_WAIT_S) -> Iterator[duckdb.DuckDBPyConnection]:
    """One all-or-nothing write transaction, after every other writer of this process has finished."""
    with _locked(what, wait_s), transaction(con) as cur:
        yield cur


def is_conflict(exc: BaseException) -> bool:
    """A transaction that lost a race with another writer (safe to run again from the start)."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.TransactionException) or "conflict" in text


def run_write(con: duckdb.DuckDBPyConnection, fn: Callable[[duckdb.DuckDBPyConnection], T], what: str = "write",
              wait_s: float = DEFAULT_WAIT_S, retries: int = CONFLICT_RETRIES) -> T:
    """``fn(cur)`` in one serialised write transaction; re-run from the start on a transaction conflict."""
    for attempt in range(retries + 1):
        try:
            with write_transaction(con, what, wait_s) as cur:
                return fn(cur)
        except duckdb.Error as exc:
            if attempt < retries and is_conflict(exc):
                time.sleep(0.05 * (attempt + 1))
                continue
            raise
    raise AssertionError("unreachable")


@contextmanager
def serialised_file_write(what: str, wait_s: float = DEFAULT_WAIT_S) -> Iterator[None]:
    """For writes that are files (framework YAML, task ledgers): read-only check + the same lock."""
    with _locked(what, wait_s):
        yield


def write_text_atomically(path: str | Path, text: str, what: str = "file write") -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder and an atomic rename,
    serialised with every other write and refused in read-only mode."""
    path = Path(path)
    with serialised_file_write(what):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
    return path
