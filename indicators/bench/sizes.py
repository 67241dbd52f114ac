"""How big each benchmark run is: full (the spec's national scale), quick (< 10 min), tiny (plumbing)."""
from __future__ import annotations

from dataclasses import dataclass

from indicators.synth.spec import FULL, QUICK, TINY, NationalSpec


@dataclass(frozen=True)
class BenchSizes:
    name: str
    national: NationalSpec
    runs: int                 # repetitions for a median
    build_runs: int
    od_import_runs: int
    import_rows: int          # rows of the CSV / Parquet import files
    xlsx_rows: int            # XLSX is slow to write and read: a smaller file
    naive_rows: int           # rows for the row-by-row baselines (rates are compared)
    mc_draws: int
    page_runs: int
    pages: tuple[str, ...] | None   # None = every page file
    browser: bool             # RSS with a headless Chromium visiting pages (else HTTP only)


FULL_BENCH = BenchSizes("full", FULL, runs=7, build_runs=3, od_import_runs=3, import_rows=100_000, xlsx_rows=20_000,
                        naive_rows=5_000, mc_draws=10_000, page_runs=3, pages=None, browser=True)
QUICK_BENCH = BenchSizes("quick", QUICK, runs=5, build_runs=3, od_import_runs=2, import_rows=50_000, xlsx_rows=10_000,
                         naive_rows=3_000, mc_draws=10_000, page_runs=2, pages=None, browser=True)
TINY_BENCH = BenchSizes("tiny", TINY, runs=1, build_runs=1, od_import_runs=1, import_rows=2_000, xlsx_rows=300,
                        naive_rows=300, mc_draws=10_000, page_runs=1, pages=("app.py",), browser=False)

BENCH_SIZES = {"full": FULL_BENCH, "quick": QUICK_BENCH, "tiny": TINY_BENCH}
