"""build_default_s: build the default database from data/ (median of several builds)."""
from __future__ import annotations

import shutil

from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure, median_timing


def run(ctx: BenchContext) -> list[Figure]:
    from indicators.store.build import build_database

    target = ctx.path("default.duckdb")

    def build():
        build_database(target)

    secs, cpu = median_timing(build, ctx.sizes.build_runs)
    ctx.default_db = target
    return [Figure("build_default_s", secs, "s", f"median of {ctx.sizes.build_runs}", cpu=cpu)]


def copy_default(ctx: BenchContext, name: str):
    """A private writable copy of the built default db."""
    dst = ctx.path(name)
    shutil.copy(ctx.default_db, dst)
    return dst
