"""How fast, and in how much memory, hostile uploads are refused (issue 15): a ≈2 MB XLSX whose shared
strings expand ≈186:1 to ≈392 MB (a zip bomb under the per-part ratio check) and a ≈2 MB CSV with 200,000
columns. Each is planned in a fresh Python process (imports loaded first), so the figures are that process's
own: wall time of ``plan_import`` and its peak resident memory (VmHWM, the whole interpreter with pandas,
DuckDB and pyarrow loaded) — targets < 5 s and < 300 MB each."""
from __future__ import annotations

import json
import subprocess
import sys

from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure, with_target
from indicators.paths import PROJECT_ROOT

TIME_TARGET_S = 5.0
MEMORY_TARGET_MB = 300.0

_CHILD = r"""
import json, sys, time
import duckdb
from indicators.ingest import plan_import

def vm(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return float("nan")

path, name, db = sys.argv[1:4]
data = open(path, "rb").read()
con = duckdb.connect(db, read_only=True)
before = vm("VmRSS")
t0 = time.perf_counter()
plan = plan_import(data, name, con)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "peak_mb": vm("VmHWM"), "before_mb": before, "ok": plan.ok,
                  "reason": plan.report.errors[0].reason if plan.report.errors else ""}))
"""


def _measure(ctx: BenchContext, data: bytes, name: str) -> dict:
    path = ctx.path(name)
    path.write_bytes(data)
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), name, str(ctx.default_db)], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "child failed")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if out["ok"]:
        raise RuntimeError(f"{name} was not refused")
    return out


def run(ctx: BenchContext) -> list[Figure]:
    from indicators.bench.hostile import wide_csv, xlsx_shared_strings_bomb

    figures: list[Figure] = []
    for label, data, name in (("zipbomb", xlsx_shared_strings_bomb(), "shared_strings_bomb.xlsx"),
                              ("wide_csv", wide_csv(200_000), "wide_200k_columns.csv")):
        got = _measure(ctx, data, name)
        note = (f"{len(data) / 1e6:.1f} MB file; refused: {got['reason'][:90]}; RSS before the call "
                f"{got['before_mb']:.0f} MB")
        figures.append(with_target(f"reject_{label}_s", got["seconds"], "s", TIME_TARGET_S, note))
        figures.append(with_target(f"reject_{label}_peak_mb", got["peak_mb"], "MB", MEMORY_TARGET_MB, note))
    return figures
