"""Index recompute after a weight change (default data and national scale) and the Monte Carlo run.

The expensive preparation (load, aggregate, normalise) is done once and not timed — the dashboard
caches it; what is timed is what a weight slider triggers: ``score_panel`` with changed weights
(the full tidy result: scores of every unit, year and dimension, with ranks per year).
National scale: every prefecture and county of the synthetic dataset × 20 years × 60 indicators, in
seven dimensions, through ``prepare_frame`` (the engine's entry for any units × indicators frame).
The naive baseline computes the same weighted means with a Python loop over pandas rows.
"""
from __future__ import annotations

import time

import duckdb
import numpy as np
import pandas as pd

from indicators.bench.context import BenchContext
from indicators.bench.figures import Figure, median_timing, with_target
from indicators.store.db import connect as store_connect

RECOMPUTE_TARGET_MS = 100.0
MONTECARLO_TARGET_S = 2.0
DEFAULT_FRAMEWORK = "qigeyi"


def national_frame(db) -> tuple[pd.DataFrame, dict[str, list[str]], dict[str, int]]:
    """(unit, year) × indicator frame of the synthetic national db, its dimensions and directions."""
    con = store_connect(db, read_only=True)
    try:
        from indicators.store.synthetic import national_observations
        obs, meta = national_observations(con)
    finally:
        con.close()
    frame = obs.pivot_table(index=["unit", "year"], columns="indicator", values="value", aggfunc="first")
    frame = frame.reindex(columns=list(meta["indicator"]))
    dims: dict[str, list[str]] = {}
    for r in meta.itertuples():
        dims.setdefault(r.dimension, []).append(r.indicator)
    directions = {r.indicator: int(r.direction) for r in meta.itertuples()}
    return frame, dims, directions


def _weight_changes(indicators: list[str], n: int) -> list[dict[str, float]]:
    rng = np.random.default_rng(3)
    return [{indicators[int(rng.integers(len(indicators)))]: float(rng.uniform(0.2, 3.0))} for _ in range(n)]


def _time_recompute(prepared, runs: int) -> tuple[float, float]:
    from indicators.engine.score import score_panel

    changes = _weight_changes(prepared.indicators, runs + 2)
    it = iter(changes)
    return median_timing(lambda: score_panel(prepared, weights=next(it)), runs, warmup=1)


def _naive_seconds(prepared, weights: dict[str, float], max_rows: int) -> tuple[float, int]:
    """Weighted arithmetic mean per dimension then over dimensions, one pandas row at a time."""
    frame = prepared.frame.head(max_rows)
    dims = {d: [prepared.indicators[i] for i in np.flatnonzero(prepared.membership[:, j] > 0)]
            for j, d in enumerate(prepared.dimensions)}
    w = {ind: float(weights.get(ind, prepared.membership[i].max())) for i, ind in enumerate(prepared.indicators)}
    dw = dict(zip(prepared.dimensions, prepared.dimension_weights))
    t0 = time.perf_counter()
    out = []
    for _, row in frame.iterrows():
        num = den = 0.0
        for d, cols in dims.items():
            s = ws = 0.0
            for c in cols:
                v = row[c]
                if v == v:
                    s += v * w[c]
                    ws += w[c]
            if ws > 0:
                num += s / ws * dw[d]
                den += dw[d]
        out.append(num / den if den else float("nan"))
    return time.perf_counter() - t0, len(frame)


def run(ctx: BenchContext) -> list[Figure]:
    from indicators.engine.prepare import prepare_frame, prepare_panel
    from indicators.store.db import connect

    runs = ctx.sizes.runs
    figures = []
    con = connect(ctx.default_db, read_only=True)
    try:
        t0 = time.perf_counter()
        prepared = prepare_panel(con, DEFAULT_FRAMEWORK)
        prep_default = time.perf_counter() - t0
    finally:
        con.close()
    secs, cpu = _time_recompute(prepared, runs)
    figures.append(with_target("index_recompute_default_ms", secs * 1000, "ms", RECOMPUTE_TARGET_MS,
                               f"{DEFAULT_FRAMEWORK}: {len(prepared.units)} metro-years × {len(prepared.indicators)} "
                               f"indicators, median of {runs}", cpu * 1000))
    figures.append(Figure("index_prepare_default_ms", prep_default * 1000, "ms", "cached by the dashboard"))
    try:
        figures += _national(ctx, runs)
    except Exception as exc:  # noqa: BLE001 - keep the default-scale figures when the national part fails
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
        figures += [Figure(n, None, u, reason) for n, u in (("index_recompute_national_ms", "ms"),
                                                             ("index_recompute_speedup_vs_naive", "x"))]
    return figures


def _national(ctx: BenchContext, runs: int) -> list[Figure]:
    from indicators.engine.prepare import prepare_frame

    figures = []
    frame, dims, directions = national_frame(ctx.national_db)
    t0 = time.perf_counter()
    nat = prepare_frame(frame, dimensions=dims, directions=directions)
    prep_nat = time.perf_counter() - t0
    ctx.notes["prepared_national"] = nat  # reused by the Monte Carlo part
    secs_nat, cpu_nat = _time_recompute(nat, runs)
    figures.append(with_target("index_recompute_national_ms", secs_nat * 1000, "ms", RECOMPUTE_TARGET_MS,
                               f"{frame.shape[0]:,} unit-years × {frame.shape[1]} indicators, median of {runs}",
                               cpu_nat * 1000))
    figures.append(Figure("index_prepare_national_ms", prep_nat * 1000, "ms", "once per data change"))
    try:
        from indicators.engine.score_fast import FastScorer

        scorer = FastScorer(nat)
        changes = iter(_weight_changes(nat.indicators, runs + 2))
        fast, fast_cpu = median_timing(lambda: scorer.score(weights=next(changes)), runs, warmup=1)
        figures.append(with_target("index_recompute_national_fast_ms", fast * 1000, "ms", RECOMPUTE_TARGET_MS,
                                   "score_fast.FastScorer.score: same result as score_panel", fast_cpu * 1000))
    except ImportError as exc:
        figures.append(Figure("index_recompute_national_fast_ms", None, "ms", str(exc)))
    naive_secs, naive_rows = _naive_seconds(nat, _weight_changes(nat.indicators, 1)[0], ctx.sizes.naive_rows)
    naive_full = naive_secs * len(frame) / max(naive_rows, 1)
    figures.append(Figure("index_recompute_naive_national_ms", naive_full * 1000, "ms",
                          f"Python loop over {naive_rows:,} pandas rows, extrapolated"))
    figures.append(Figure("index_recompute_speedup_vs_naive", naive_full / secs_nat, "x"))
    return figures


def montecarlo(ctx: BenchContext) -> list[Figure]:
    """The engine's ``robustness.sensitivity`` (what the product runs today) and ``robustness_fast``.

    Both draw the same 10,000 draws (same seed) and return the same result; the engine's run is slow at
    national scale, so it is timed once, the fast one as a median.
    """
    from indicators.engine.robustness import sensitivity

    nat = ctx.notes.get("prepared_national")
    if nat is None:
        from indicators.engine.prepare import prepare_frame

        frame, dims, directions = national_frame(ctx.national_db)
        nat = prepare_frame(frame, dimensions=dims, directions=directions)
    draws = ctx.sizes.mc_draws
    n_units = len(set(u[0] for u in nat.units))
    what = f"{draws:,} draws × {n_units:,} units (one year) × {len(nat.indicators)} indicators"
    figures = []
    engine_secs, engine_cpu = median_timing(lambda: sensitivity(nat, n_draws=draws, seed=1), 1)
    try:
        from indicators.engine.robustness_fast import sensitivity_fast

        runs = min(ctx.sizes.runs, 3)
        fast_secs, fast_cpu = median_timing(lambda: sensitivity_fast(nat, n_draws=draws, seed=1), runs)
    except ImportError as exc:
        fast_secs, runs = None, 0
        figures.append(Figure("montecarlo_10k_national_fast_s", None, "s", str(exc)))
    figures.insert(0, with_target("montecarlo_10k_national_s", engine_secs, "s", MONTECARLO_TARGET_S,
                                  f"{what}; robustness.sensitivity (what the dashboard calls), 1 run",
                                  engine_cpu))
    if fast_secs is not None:
        figures.append(with_target("montecarlo_10k_national_fast_s", fast_secs, "s", MONTECARLO_TARGET_S,
                                   f"robustness_fast.sensitivity_fast, same draws and result, median of {runs}",
                                   fast_cpu))
        figures.append(Figure("montecarlo_fast_speedup_vs_engine", engine_secs / fast_secs, "x"))
    return figures
