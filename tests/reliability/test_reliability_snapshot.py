"""Torn reads: 20 reader threads on cursors of the shared connection while an import commits.

Every reader uses the loaders' read path (``data_version.read_snapshot`` around ``store_reads``): each
read sees the data before or after the import, never between, and its (version, count) pair matches.
Also: the data version moves exactly with committed writes, and the loaders' caches follow it.
"""
from __future__ import annotations

import threading
import time
from collections import Counter

import duckdb
import pytest

from indicators.ingest import apply_import, plan_import
from indicators.store import data_version
from indicators.store.db import close_shared, shared_connection, transaction
from indicators.store import dashboard_reads as store_reads

from .synthetic_import import synthetic_csv
from indicators.store.db import connect as store_connect

READERS = 20
ROWS = 20_000


def _obs_count(con) -> int:
    cur = con.cursor()
    try:
        return cur.execute("SELECT count(*) FROM observation").fetchone()[0]
    finally:
        cur.close()


@pytest.fixture
def shared_db(db_copy):
    con = shared_connection(db_copy, read_only=False)
    yield db_copy, con
    close_shared(db_copy)


def test_twenty_readers_never_see_half_an_import(shared_db):
    _, con = shared_db
    old_n, old_v = _obs_count(con), data_version.current(con.cursor())
    plan = plan_import(synthetic_csv(con, ROWS), "reliability.csv", con)
    assert plan.ok, plan.report.format()
    seen: list[tuple[int, int, int, int, float]] = []   # version, table_counts, sum(observed_indicators), import_log, s
    errors: list[BaseException] = []
    stop = threading.Event()
    start = threading.Barrier(READERS + 1)

    def both(c):
        counts = store_reads.table_counts(c)                    # 14 count queries ...
        per_indicator = store_reads.observed_indicators(c)      # ... and a group-by, in one snapshot
        return counts["observation"], int(per_indicator["n"].sum()), counts["import_log"]

    def reader() -> None:
        try:
            start.wait(timeout=30)
            while not stop.is_set():
                t0 = time.perf_counter()
                version, (n, n_sum, logs) = data_version.read_snapshot(con, both)
                seen.append((version, n, n_sum, logs, time.perf_counter() - t0))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(READERS)]
    for t in threads:
        t.start()
    start.wait(timeout=30)
    time.sleep(0.3)
    result = apply_import(plan, con)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors[:3]
    assert result.inserted == ROWS
    new_n = old_n + ROWS
    pairs = Counter((v, n) for v, n, _, _, _ in seen)
    assert set(pairs) <= {(old_v, old_n), (old_v + 1, new_n)}, pairs          # never between, never mismatched
    assert pairs[(old_v, old_n)] and pairs[(old_v + 1, new_n)], pairs          # the readers really overlapped
    assert all(n == n_sum for _, n, n_sum, _, _ in seen)                        # two queries, one snapshot
    logs_by_version = {v: {logs for w, _, _, logs, _ in seen if w == v} for v in (old_v, old_v + 1)}
    assert len(logs_by_version[old_v]) == 1 and logs_by_version[old_v + 1] == {min(logs_by_version[old_v]) + 1}
    slowest = max(s for *_, s in seen)
    print(f"\n{READERS} readers, {len(seen)} snapshot reads, pairs {dict(pairs)}, slowest read {slowest * 1000:.0f} ms")


def test_snapshot_refuses_a_stale_version_and_reads_nothing(shared_db):
    _, con = shared_db
    v = data_version.current(con.cursor())
    called = []
    with pytest.raises(data_version.VersionMoved) as moved:
        data_version.read_snapshot(con, lambda c: called.append(1), expected=v + 5)
    assert (moved.value.expected, moved.value.found) == (v + 5, v) and not called
    assert data_version.read_snapshot(con, lambda c: store_reads.metros(c), expected=v)[0] == v


def test_version_moves_with_committed_writes_only(shared_db):
    _, con = shared_db
    v0 = data_version.current(con.cursor())
    data = synthetic_csv(con, 500)
    assert apply_import(plan_import(data, "a.csv", con), con).inserted == 500
    assert data_version.current(con.cursor()) == v0 + 1
    again = apply_import(plan_import(data, "a.csv", con), con)         # nothing to write: no new version
    assert again.inserted == 0 and data_version.current(con.cursor()) == v0 + 1
    with pytest.raises(RuntimeError):
        with transaction(con) as cur:                                  # a failed write rolls the bump back too
            data_version.bump(cur)
            raise RuntimeError("boom")
    assert data_version.current(con.cursor()) == v0 + 1


def test_restore_never_goes_back_to_an_old_version(shared_db, tmp_path):
    from indicators.ingest.backup import export_all, import_all

    db, con = shared_db
    export_all(con, tmp_path / "bk")                                   # the backup holds version v0
    for i in range(3):
        with transaction(con) as cur:
            data_version.bump(cur)
    v3 = data_version.current(con.cursor())
    import_all(con, tmp_path / "bk", replace=True)
    assert data_version.current(con.cursor()) == v3 + 1


def test_loaders_follow_the_version_without_clearing_caches(shared_db, monkeypatch):
    """An import in this process makes every cached frame stale at once (no st.cache_data.clear())."""
    db, con = shared_db
    monkeypatch.setenv("TONGCHENG_DB", str(db))
    monkeypatch.delenv("TONGCHENG_READ_ONLY", raising=False)
    from indicators.ui import loaders

    assert loaders.connection() is con
    before = loaders.table_counts()["observation"]
    ids_before = set(loaders.observed_indicators()["indicator"])
    apply_import(plan_import(synthetic_csv(con, 300), "b.csv", con), con)
    assert loaders.table_counts()["observation"] == before + 300
    assert set(loaders.observed_indicators()["indicator"]) - ids_before == {"rd_intensity"}
    assert loaders.run_data_version() == data_version.current(con.cursor())


def test_a_database_without_meta_reads_as_version_zero(tmp_path):
    path = tmp_path / "bare.duckdb"
    raw = duckdb.connect(str(path))
    raw.execute("CREATE TABLE region (code VARCHAR)")
    raw.close()
    con = store_connect(path, read_only=True)
    try:
        assert data_version.read_snapshot(con, lambda c: c.cursor().execute("SELECT count(*) FROM region")
                                          .fetchone()[0]) == (0, 0)
    finally:
        con.close()
