"""Several writers at once on the dashboard's one connection (issue 15, failure 1, library level).

Before the serialised writer, two imports committing at the same moment both bumped ``meta.data_version``
in concurrent transactions and DuckDB aborted the second ("write-write conflict"): its rows were lost.
Now every write of the process goes through ``indicators.store.writer``: both commit, one after the other.
The browser-level version of this test is ``test_concurrent_browser_imports.py``.
"""
from __future__ import annotations

import threading

import duckdb
import pytest

from .synthetic_import import synthetic_rows
from indicators.ingest import apply_import, plan_import
from indicators.store import data_version, writer


def _csv(frame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


@pytest.fixture
def con(db_copy):
    c = duckdb.connect(str(db_copy))
    yield c
    c.close()


def _two_plans(con, rows: int = 3_000):
    frame = synthetic_rows(con, 2 * rows)
    a, b = frame.iloc[:rows], frame.iloc[rows:]
    plans = [plan_import(_csv(a), "analyst_a.csv", con), plan_import(_csv(b), "analyst_b.csv", con)]
    assert all(p.ok for p in plans), [p.report.format() for p in plans]
    return plans


def test_two_imports_committing_at_the_same_moment_both_store_their_rows(con):
    before = con.execute("SELECT count(*) FROM observation").fetchone()[0]
    version = data_version.current(con.cursor())
    plans = _two_plans(con)
    barrier = threading.Barrier(2)
    results, errors = [None, None], []

    def commit(i: int) -> None:
        # both transactions reach the data-version bump together: 'written' is called just after it
        def stage(name: str) -> None:
            if name == "begin":
                try:
                    barrier.wait(timeout=2)
                except threading.BrokenBarrierError:
                    pass                       # serialised: the other writer waits for this one
        try:
            results[i] = apply_import(plans[i], con, on_stage=stage)
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, [str(e) for e in errors]
    assert [r.inserted for r in results] == [3_000, 3_000]
    assert con.execute("SELECT count(*) FROM observation").fetchone()[0] == before + 6_000
    assert data_version.current(con.cursor()) == version + 2      # one bump per import, none lost


def test_many_writers_in_threads_all_commit(con):
    before = con.execute("SELECT count(*) FROM observation").fetchone()[0]
    frame = synthetic_rows(con, 8 * 500)
    plans = [plan_import(_csv(frame.iloc[i * 500:(i + 1) * 500]), f"w{i}.csv", con) for i in range(8)]
    errors = []

    def go(plan):
        try:
            apply_import(plan, con)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(p,)) for p in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, [str(e) for e in errors]
    assert con.execute("SELECT count(*) FROM observation").fetchone()[0] == before + 4_000


def test_a_writer_outside_the_lock_is_retried_not_lost(con):
    """run_write re-runs its function when the transaction loses a race (simulated conflict)."""
    calls = []

    def fn(cur):
        calls.append(1)
        if len(calls) == 1:
            raise duckdb.TransactionException("TransactionContext Error: Catalog write-write conflict")
        return data_version.bump(cur)

    before = data_version.current(con.cursor())
    assert writer.run_write(con, fn, what="test") == before + 1
    assert len(calls) == 2


def test_writes_are_refused_in_read_only_mode(con, monkeypatch, tmp_path):
    monkeypatch.setenv("TONGCHENG_READ_ONLY", "1")
    with pytest.raises(writer.ReadOnlyError, match="read-only"):
        with writer.write_transaction(con, "probe"):
            pass
    with pytest.raises(writer.ReadOnlyError):
        writer.write_text_atomically(tmp_path / "x.yaml", "a: 1", "framework save")
    assert not (tmp_path / "x.yaml").exists()


def test_a_busy_writer_gives_a_message_naming_what_holds_it(con):
    entered, release = threading.Event(), threading.Event()

    def hold():
        with writer.write_transaction(con, "import of big.csv"):
            entered.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    entered.wait(10)
    try:
        with pytest.raises(writer.WriterBusy, match="import of big.csv"):
            with writer.write_transaction(con, "import of small.csv", wait_s=0.2):
                pass
    finally:
        release.set()
        t.join(10)
