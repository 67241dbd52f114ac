"""Run every benchmark part in order, print each figure as it is measured, then a summary."""
from __future__ import annotations

import platform
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure, na, summary
from indicators.bench.sizes import BenchSizes

# (part, module, function, [(figure name, unit)] printed as n/a when the part cannot run)
PARTS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("build", "indicators.bench.build_part", "run", [("build_default_s", "s")]),
    ("national", "indicators.bench.od_part", "generate", [("generate_national_s", "s")]),
    ("od_import", "indicators.bench.od_part", "od_import", [("od_import_10m_s", "s")]),
    ("od_aggregate", "indicators.bench.od_part", "od_aggregate", [("od_aggregate_10m_s", "s")]),
    ("import", "indicators.bench.import_part", "run",
     [("import_csv_rows_per_s", "rows/s"), ("import_xlsx_rows_per_s", "rows/s"), ("import_parquet_rows_per_s", "rows/s")]),
    ("index", "indicators.bench.index_part", "run",
     [("index_recompute_default_ms", "ms"), ("index_recompute_national_ms", "ms"),
      ("index_recompute_speedup_vs_naive", "x")]),
    ("montecarlo", "indicators.bench.index_part", "montecarlo", [("montecarlo_10k_national_s", "s")]),
    ("pages", "indicators.bench.pages_part", "run", [("page_first_render_ms_max", "ms"), ("page_change_ms_max", "ms")]),
    ("rss", "indicators.bench.rss_part", "run", [("app_rss_mb", "MB")]),
    ("browser", "indicators.bench.browser_part", "run",
     [("browser_first_chart_ms", "ms"), ("browser_page_switch_ms_max", "ms")]),
    ("reject", "indicators.bench.reject_part", "run",
     [("reject_zipbomb_s", "s"), ("reject_zipbomb_peak_mb", "MB"), ("reject_wide_csv_s", "s"),
      ("reject_wide_csv_peak_mb", "MB")]),
]
PART_NAMES = [p[0] for p in PARTS]
REQUIRED_NAMES = [name for p in PARTS for name, _ in p[3]]


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def run_all(sizes: BenchSizes, workdir: Path | None = None, only: list[str] | None = None,
            emit: Callable[[str], None] = print) -> list[Figure]:
    """Run the parts (all, or ``only``) and return every figure; lines are emitted as they come."""
    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="tongcheng-bench-")
        workdir = Path(tmp.name)
    ctx = BenchContext(sizes=sizes, workdir=Path(workdir))
    emit(f"# tongcheng bench ({sizes.name}) on {machine()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
         f"load average {_load()}")
    figures: list[Figure] = []
    started = time.perf_counter()
    try:
        for part, module_name, func_name, fallback in PARTS:
            if only and part not in only and not _needed(part, only):
                continue
            try:
                module = __import__(module_name, fromlist=[func_name])
                got = getattr(module, func_name)(ctx)
            except Exception as exc:  # noqa: BLE001 - a part that cannot run prints n/a, never crashes the command
                reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
                got = [na(name, unit, reason) for name, unit in fallback]
            for fig in got:
                figures.append(fig)
                emit(fig.line())
            sys.stdout.flush()
        if "national" in ctx.notes:
            emit(f"# national dataset: {ctx.notes['national']}")
        emit(f"bench_total_s: {time.perf_counter() - started:.0f} s")
        emit(f"# load average at the end {_load()} (other processes on the machine inflate every figure)")
        for line in summary(figures):
            emit(line)
    finally:
        from indicators.store.db import close_shared

        close_shared()
        if tmp is not None:
            tmp.cleanup()
    return figures


def _needed(part: str, only: list[str]) -> bool:
    """Parts others depend on: build (default db) and national (the generated dataset)."""
    needs_national = {"od_import", "od_aggregate", "index", "montecarlo"}
    if part == "build":
        return True
    if part == "national":
        return bool(needs_national & set(only))
    if part == "od_import":
        return "od_aggregate" in only
    return False
