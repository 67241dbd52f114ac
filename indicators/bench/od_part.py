"""National dataset + OD figures: od_import_10m_s, od_aggregate_10m_s and the naive-loop ratio."""
from __future__ import annotations

import time

import duckdb

from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure, median_timing, with_target
from indicators.store.db import connect as store_connect

OD_IMPORT_TARGET_S = 20.0
OD_AGGREGATE_TARGET_S = 1.0


def generate(ctx: BenchContext) -> list[Figure]:
    """Generate the national dataset (values synthetic) without loading the OD table."""
    from indicators.synth.national import generate_national

    t0 = time.perf_counter()
    res = generate_national(ctx.path("national_synthetic.duckdb"), ctx.sizes.national, source_db=ctx.default_db,
                            load_od=False)
    secs = time.perf_counter() - t0
    ctx.national_db = res.db_path
    ctx.od_parquet = res.parquet_dir / "od_flow.parquet"
    c = res.counts
    ctx.notes["national"] = (f"{c['prefectures']} prefectures + {c['counties']} counties × {c['years']} years × "
                             f"{c['indicators']} indicators = {c['observations']:,} observations; "
                             f"{c['od_rows']:,} OD rows")
    ctx.notes["od_rows"] = str(c["od_rows"])
    return [Figure("generate_national_s", secs, "s", ctx.notes["national"]),
            Figure("national_observations", float(c["observations"]), "rows"),
            Figure("national_od_rows", float(c["od_rows"]), "rows")]


def od_import(ctx: BenchContext) -> list[Figure]:
    from indicators.store.od import import_od
    from indicators.store.db import connect

    runs = ctx.sizes.od_import_runs
    times, cpus = [], []
    for i in range(runs):
        last = i == runs - 1
        path = ctx.national_db if last else ctx.path("od_import_run.duckdb")
        if not last and path.exists():
            path.unlink()
        con = connect(path)
        try:
            con.execute("SET enable_progress_bar = false")
            c0, t0 = time.process_time(), time.perf_counter()
            res = import_od(con, ctx.od_parquet)
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        finally:
            con.close()
        if not last:
            path.unlink()
    secs = sorted(times)[len(times) // 2]
    cpu = sorted(cpus)[len(cpus) // 2]
    rows = res.rows
    return [with_target("od_import_10m_s", secs, "s", OD_IMPORT_TARGET_S, f"{rows:,} rows, median of {runs}", cpu),
            Figure("od_import_rows_per_s", rows / secs, "rows/s")]


def od_aggregate(ctx: BenchContext) -> list[Figure]:
    from indicators.store.od import aggregate_to_metro

    con = store_connect(ctx.national_db, read_only=True)
    try:
        con.execute("SET enable_progress_bar = false")
        from indicators.store.bench_queries import od_size_and_kind
        n, kind = od_size_and_kind(con)
        secs, cpu = median_timing(lambda: aggregate_to_metro(con, kind), ctx.sizes.runs, warmup=1)
        sample = min(n, ctx.sizes.naive_rows * 40)
        naive_secs = _naive_seconds(con, kind, sample)
    finally:
        con.close()
    naive_full = naive_secs * n / max(sample, 1)
    return [with_target("od_aggregate_10m_s", secs, "s", OD_AGGREGATE_TARGET_S, f"{n:,} rows, median of {ctx.sizes.runs}",
                        cpu),
            Figure("od_aggregate_speedup_vs_naive", naive_full / secs, "x",
                   f"naive: Python loop over {sample:,} pandas rows, extrapolated to {n:,}")]


def _naive_seconds(con: duckdb.DuckDBPyConnection, kind: str, sample: int) -> float:
    """Time a row-by-row Python aggregation of ``sample`` OD rows (read untimed)."""
    from indicators.store.bench_queries import od_sample
    od, regions, members = od_sample(con, kind, sample)
    t0 = time.perf_counter()
    city = {}
    for r in regions.itertuples():
        city[r.code] = r.parent_code if r.level == "county" else r.code
    metros_of = {}
    for r in members.itertuples():
        metros_of.setdefault(r.code, []).append((r.metro_id, bool(r.is_core)))
    totals: dict[tuple, list[float]] = {}
    for r in od.itertuples():
        o, d = city.get(r.origin_code), city.get(r.dest_code)
        if o is None or d is None or o == d:
            continue
        for metro_id, o_core in metros_of.get(o, []):
            acc = totals.setdefault((metro_id, r.year), [0.0, 0.0, 0.0, 0.0])
            acc[0] += r.value
            d_metros = dict(metros_of.get(d, []))
            if metro_id in d_metros:
                acc[1] += r.value
            if not o_core:
                acc[2] += r.value
                if d_metros.get(metro_id):
                    acc[3] += r.value
    return time.perf_counter() - t0
