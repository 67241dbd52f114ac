"""Import throughput (rows/s) of the product's importer for CSV, XLSX and Parquet, and a row-by-row baseline.

The file is long form (code, year, indicator, value, unit, source, quality) with real prefecture codes,
indicators the catalog knows but the default data lacks, plausible synthetic values flagged
``synthetic``. Each run imports it into a fresh copy of the default database (plan + apply, timed).
"""
from __future__ import annotations

import itertools
import time

import duckdb
import numpy as np
import pandas as pd

from indicators.bench.build_part import copy_default
from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure
from indicators.store.db import connect as store_connect

# indicator -> (unit, low, high): plausible ranges, so the importer's checks accept every row.
RANGES = {"rd_intensity": ("%", 0.5, 5.0), "good_air_day_rate": ("%", 50.0, 100.0), "rail_length_km": ("km", 10.0, 2000.0),
          "joint_patents": ("件", 1.0, 5000.0), "public_expenditure_per_capita": ("元", 5000.0, 40000.0),
          "schooling_years": ("年", 8.0, 13.0), "life_expectancy": ("岁", 72.0, 82.0),
          "water_quality_share": ("%", 50.0, 100.0), "commuters": ("人", 100.0, 100000.0)}


def import_frame(codes: list[str], rows: int, seed: int = 1) -> pd.DataFrame:
    """``rows`` distinct (code, year, indicator) rows with plausible values."""
    combos = itertools.islice(itertools.product(range(2023, 1949, -1), RANGES, codes), rows)
    df = pd.DataFrame([(c, y, i) for y, i, c in combos], columns=["code", "year", "indicator"])
    rng = np.random.default_rng(seed)
    lo = df["indicator"].map(lambda i: RANGES[i][1])
    hi = df["indicator"].map(lambda i: RANGES[i][2])
    df["value"] = (lo + (hi - lo) * rng.uniform(0, 1, len(df))).round(3)
    df["unit"] = df["indicator"].map(lambda i: RANGES[i][0])
    df["source"] = "bench_synthetic"
    df["quality"] = "synthetic"
    return df


def run(ctx: BenchContext) -> list[Figure]:
    from indicators.ingest import apply_import, plan_import
    from indicators.store.db import connect

    con = store_connect(ctx.default_db, read_only=True)
    try:
        from indicators.store.bench_queries import prefecture_codes
        from indicators.store.validity import outside_mask, region_spans
        codes = prefecture_codes(con)
        spans = region_spans(con)
    finally:
        con.close()
    sizes = ctx.sizes
    # only years in which each prefecture existed (巢湖 to 2011 ...): the importer refuses the others
    frame = import_frame(codes, int(sizes.import_rows * 1.1) + 1000)
    frame = frame[~outside_mask(frame, spans).to_numpy()].head(sizes.import_rows).reset_index(drop=True)
    files = {"csv": ctx.path("import.csv"), "parquet": ctx.path("import.parquet"), "xlsx": ctx.path("import.xlsx")}
    frame.to_csv(files["csv"], index=False)
    frame.to_parquet(files["parquet"], index=False)
    frame.head(sizes.xlsx_rows).to_excel(files["xlsx"], index=False)

    figures = []
    rates = {}
    runs = min(sizes.runs, 3)
    for fmt in ("csv", "xlsx", "parquet"):
        times, n = [], 0
        for _ in range(runs):
            db = copy_default(ctx, "import_target.duckdb")
            c = connect(db)
            try:
                t0 = time.perf_counter()
                plan = plan_import(files[fmt], files[fmt].name, c)
                if not plan.ok:
                    raise RuntimeError(f"{fmt} import rejected: {plan.report.errors_total} error(s)")
                res = apply_import(plan, c)
                times.append(time.perf_counter() - t0)
                n = res.inserted
            finally:
                c.close()
                db.unlink()
        secs = sorted(times)[len(times) // 2]
        rates[fmt] = n / secs
        figures.append(Figure(f"import_{fmt}_rows_per_s", rates[fmt], "rows/s", f"{n:,} rows, median of {runs}"))
    naive = _naive_rate(ctx, frame.head(sizes.naive_rows))
    figures.append(Figure("import_naive_rows_per_s", naive, "rows/s", "row-by-row INSERT, no checks"))
    figures.append(Figure("import_parquet_speedup_vs_naive", rates["parquet"] / naive, "x"))
    return figures


def _naive_rate(ctx: BenchContext, frame: pd.DataFrame) -> float:
    """Rows/s of one INSERT per row (a Python loop over pandas rows) into a copy of the default db."""
    from indicators.store.db import connect

    db = copy_default(ctx, "import_naive.duckdb")
    con = connect(db)
    try:
        cur = con.cursor()
        from indicators.store.bench_queries import insert_observation, insert_source
        insert_source(cur, "bench_synthetic", "bench")
        t0 = time.perf_counter()
        for r in frame.itertuples(index=False):
            insert_observation(cur, r.code, int(r.year), r.indicator, float(r.value), r.source, r.quality)
        secs = time.perf_counter() - t0
    finally:
        con.close()
        db.unlink()
    return len(frame) / secs
