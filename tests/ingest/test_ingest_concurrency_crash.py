"""Concurrent readers during an import, and SIGKILL in the middle of a large import."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time

import duckdb
import pytest

from .helpers import ROOT, digest
from .ingest_big import big_frame
from indicators.ingest import apply_import, plan_import


def _parquet(rows: int) -> bytes:
    buffer = io.BytesIO()
    big_frame(rows).to_parquet(buffer, index=False)
    return buffer.getvalue()


def test_readers_see_old_or_new_rows_never_in_between(tiny_db):
    con = duckdb.connect(str(tiny_db))
    try:
        old = con.execute("SELECT count(*) FROM observation").fetchone()[0]
        plan = plan_import(_parquet(60_000), "big.parquet", con)
        assert plan.ok, plan.report.format()
        new = old + len(plan.inserts)
        seen: list[int] = []
        errors: list[BaseException] = []
        stop = threading.Event()

        def reader() -> None:
            try:
                while not stop.is_set():
                    cur = con.cursor()           # a fresh cursor per query, as the dashboard does
                    seen.append(cur.execute("SELECT count(*) FROM observation").fetchone()[0])
                    cur.close()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=reader) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.2)
        result = apply_import(plan, con)
        time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        assert not errors, errors
        assert result.inserted == 60_000
        assert set(seen) <= {old, new}, sorted(set(seen))
        assert old in seen and new in seen
    finally:
        con.close()


def test_two_imports_of_the_same_rows_at_once_write_them_once(tiny_db):
    from indicators.ingest import IngestError

    con = duckdb.connect(str(tiny_db))
    try:
        data = _parquet(20_000)
        plans = [plan_import(data, f"same{i}.parquet", con) for i in range(2)]
        outcomes: list[object] = []

        def run(plan) -> None:
            try:
                outcomes.append(apply_import(plan, con).inserted)
            except IngestError as exc:
                outcomes.append(exc)

        threads = [threading.Thread(target=run, args=(p,)) for p in plans]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        inserted = [o for o in outcomes if isinstance(o, int)]
        assert len(outcomes) == 2 and 20_000 in inserted
        assert all(o == 0 for o in inserted if o != 20_000) and inserted.count(20_000) == 1
        count = con.execute("SELECT count(*) FROM observation WHERE source_id LIKE 'import_%'").fetchone()[0]
        assert count == 20_000
    finally:
        con.close()


_CHILD = r"""
import sys, time
import duckdb
from indicators.ingest import apply_import, plan_import
db, data_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(db)
plan = plan_import(data_path, "big.parquet", con)
assert plan.ok, plan.report.format()
def stage(name):
    print(name, flush=True)
    if mode == "hold" and name == "written":
        time.sleep(120)            # everything written, nothing committed: the parent kills us here
apply_import(plan, con, on_stage=stage)
print("done", flush=True)
"""


def _run_and_kill(tiny_db, tmp_path, mode: str, rows: int, delay: float = 0.0) -> tuple[dict, dict, str]:
    data_path = tmp_path / "big.parquet"
    data_path.write_bytes(_parquet(rows))
    con = duckdb.connect(str(tiny_db))
    before = digest(con)
    con.close()
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(tiny_db), str(data_path), mode], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    wanted = "written" if mode == "hold" else "begin"
    last = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        last = line.strip()
        if last == wanted:
            break
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    err = child.stderr.read()
    assert last == wanted, f"child never reached {wanted!r}: {err[-2000:]}"
    con = duckdb.connect(str(tiny_db))
    try:
        after = digest(con)
    finally:
        con.close()
    return before, after, last


@pytest.mark.slow
def test_sigkill_before_commit_leaves_database_exactly_as_before(tiny_db, tmp_path):
    before, after, _ = _run_and_kill(tiny_db, tmp_path, "hold", rows=300_000)
    assert after == before


@pytest.mark.slow
def test_sigkill_during_insert_leaves_old_or_complete_state(tiny_db, tmp_path):
    before, after, _ = _run_and_kill(tiny_db, tmp_path, "run", rows=300_000, delay=0.05)
    if after != before:   # the kill came after COMMIT: then every row must be there
        con = duckdb.connect(str(tiny_db))
        try:
            assert con.execute("SELECT count(*) FROM observation WHERE source_id LIKE 'import_%'").fetchone() == (300_000,)
        finally:
            con.close()
