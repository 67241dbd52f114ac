"""The Monte Carlo rank-robustness run of :mod:`indicators.engine.robustness`, restructured for national scale.

Same draws, same model, same output (:class:`indicators.engine.robustness_common.SensitivityResult`) as
``robustness.sensitivity`` — it consumes the random generator in the same order, so a seed gives the
same draws — but computed differently where the time goes at ~3,400 units × 10,000 draws:

* Aggregation: for a unit with every indicator present, the arithmetic (or, on logs, geometric) mean
  of dimension means is *linear* in the normalised values, so all draws of a unit are one matrix
  product ``X (units × k) @ W_eff (k × draws)`` where ``W_eff`` folds the indicator weights, the
  within-dimension normalisation and the dimension weights of each draw. Only units with missing
  values (usually few) go through the general per-dimension path.
* Ranks: draws × units, contiguous per draw, sorted with numpy's default (SIMD) sort instead of a
  stable sort along the strided axis; rank ties (exactly equal scores) are broken in an unspecified
  order instead of by unit order.
* Normalisation: the rank (percentile) variant is computed for the selected year's rows only, by
  binary search in each sorted panel column — the same "min" ranks over the whole panel as
  ``normalise.rank`` without ranking every row of every year.
* Quantiles: one sort of each unit's ranks, then exact linear-interpolation percentiles by index
  (numpy's default method), instead of three partition passes.

Measured on 2 cores (Monte Carlo, 10,000 draws, 3,385 units × 60 indicators): see README "Scaling".
"""
from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from indicators.methods.impute import impute_own_trend
from indicators.methods.frames import direction_vector, quiet_nan
from indicators.methods.normalise import _oriented, normalize
from indicators.engine.weighting import score_arrays
from indicators.engine.robustness_common import (DEFAULT_NORMALISATIONS, SensitivityResult, _aggregate_draws, _alt_rows,
                                                 _as_prepared, _ranks, _select_rows, _take_rows, panel_scope)


def _directions(p) -> dict:
    """The directions the panel was normalised with (as ``robustness._norm_variants`` reads them)."""
    return dict(next((s.params.get("directions") for s in p.log.steps if s.name == "normalise"), {}) or {})


def _panel_rank_rows(frame: pd.DataFrame, directions: dict, rows: np.ndarray) -> np.ndarray:
    """``normalise.rank`` over the whole panel (ties = min rank, NaN kept), evaluated for ``rows`` only."""
    return _rank_rows_of(_oriented(frame, directions), rows)


def _rank_rows_of(x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    out = np.full((rows.size, x.shape[1]), np.nan)
    for j in range(x.shape[1]):
        col = x[:, j]
        valid = np.sort(col[~np.isnan(col)])
        n = valid.size
        if n < 2:
            continue
        v = col[rows]
        r = np.searchsorted(valid, v, side="left").astype(float)      # values strictly below = min rank − 1
        out[:, j] = np.where(np.isnan(v), np.nan, r / (n - 1) * 100.0)
    return out


def _oriented_array(p, raw: np.ndarray, directions: dict) -> np.ndarray:
    """``normalise._oriented`` of the panel without building frames (direction 0 needs targets: frames)."""
    d = direction_vector(p.indicators, directions)
    if np.any(d == 0):
        return _oriented(pd.DataFrame(raw, columns=p.indicators), directions)
    return quiet_nan(np.asarray(raw, dtype=np.float64)) * d


def _variants(p, methods, raw: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
    """The normalised variants of ``raw`` over the whole panel, restricted to ``rows``.

    Column statistics (min/max, mean/sd, sorted values) come from the whole panel exactly as
    ``normalise.minmax`` / ``zscore`` / ``rank`` compute them; the element formulas are then applied to
    ``rows`` only (same floating-point operations, so the same values)."""
    directions = _directions(p)
    x = None
    out = []
    for m in methods:
        if m not in ("minmax", "zscore", "rank"):
            out.append(normalize(pd.DataFrame(raw, columns=p.indicators), m, directions).to_numpy()[rows])
            continue
        if x is None:
            x = _oriented_array(p, raw, directions)
        if m == "rank":
            out.append(_rank_rows_of(x, rows))
            continue
        xr = x[rows]
        import warnings
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if m == "minmax":
                lo = np.nanmin(np.where(np.isnan(x), np.inf, x), axis=0)
                hi = np.nanmax(np.where(np.isnan(x), -np.inf, x), axis=0)
                rng = hi - lo
                rng = np.where(rng > 0, rng, np.nan)
                out.append((xr - lo) / rng * (100.0 - 0.0) + 0.0)
            else:
                mu = np.nanmean(x, axis=0)
                sd = np.nanstd(x, axis=0, ddof=1)
                sd = np.where(sd > 0, sd, np.nan)
                out.append(np.clip((xr - mu) / sd * 15.0 + 50.0, 0.0, 100.0))
    return out


def effective_weights(member: np.ndarray, w_ind: np.ndarray, w_dim: np.ndarray) -> np.ndarray:
    """k × draws weights such that, for a unit with no missing value, index = x @ W_eff.

    member: k × D within-dimension weights; w_ind: k × draws; w_dim: D × draws.
    """
    k, n_dims = member.shape
    out = np.zeros_like(w_ind)
    wj = [w_ind * member[:, j][:, None] for j in range(n_dims)]
    tot = np.stack([w.sum(axis=0) for w in wj])                      # D × draws
    has = tot > 0
    dsum = np.where(has, w_dim, 0.0).sum(axis=0)                      # draws
    with np.errstate(invalid="ignore", divide="ignore"):
        for j in range(n_dims):
            scale = np.where(has[j], w_dim[j] / np.where(dsum > 0, dsum, 1.0) / np.where(has[j], tot[j], 1.0), 0.0)
            out += wj[j] * scale[None, :]
    return out


def _block_scores(x: np.ndarray, complete: np.ndarray, xc: np.ndarray, member: np.ndarray, w_ind: np.ndarray,
                  w_dim: np.ndarray, geometric: bool) -> np.ndarray:
    """Index scores of one block of draws, draws × units (C order), on a scale monotone in the index.

    Units with every used indicator present: one product with the effective weights (``xc`` holds their
    values, logged for the geometric mean). With every unit complete the geometric scores stay in log
    space (``exp`` does not change ranks); otherwise the general path gives the rest and both are exp'd."""
    w_eff = effective_weights(member, w_ind, w_dim)
    if complete.all():
        return w_eff.T @ xc.T
    out = np.empty((w_ind.shape[1], x.shape[0]))
    if complete.any():
        s = w_eff.T @ xc.T
        out[:, complete] = np.exp(s) if geometric else s
    out[:, ~complete] = _aggregate_draws(x[~complete], member, w_ind, w_dim, geometric, 0.0).T
    return out


_SIGN = np.uint64(1 << 63)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


def _descending_keys(scores: np.ndarray, index_bits: int) -> np.ndarray:
    """uint64 keys whose ascending order is descending score, exact ties (and scores equal in their top
    ``64 - index_bits`` bits) in unit order; NaN ranks last. The low bits hold the unit's position.
    Overwrites ``scores`` (a block the caller owns)."""
    hi_mask = _ALL << np.uint64(index_bits)
    idx = np.arange(scores.shape[1], dtype=np.uint64)[None, :]
    u = scores.view(np.uint64)
    if not scores.min() >= 0.0:                # NaN or negative scores: the general order-preserving map
        np.copyto(scores, -np.inf, where=np.isnan(scores))
        neg = u >> np.uint64(63)               # 1 for negative floats
        neg *= _ALL >> np.uint64(1)            # negative: flip every bit; else flip the sign bit (ascending) ...
        u ^= neg
        u ^= _SIGN
    np.invert(u, out=u)                        # ... then reversed for descending
    u &= hi_mask
    u |= idx
    return u


def _block_order(scores: np.ndarray, index_bits: int, dtype) -> np.ndarray:
    """order[d, r] = position of the unit ranked r + 1 in draw d (stable in unit order for ties)."""
    k = _descending_keys(scores, index_bits)
    k.sort(axis=1)
    k &= np.uint64((1 << index_bits) - 1)
    return k.astype(dtype)


def _order_stable(scores: np.ndarray, dtype) -> np.ndarray:
    s = np.where(np.isnan(scores), -np.inf, scores)
    return np.argsort(-s, axis=1, kind="stable").astype(dtype)


def _summary_from_counts(counts: np.ndarray, n_valid: np.ndarray, units: list, nominal: np.ndarray) -> pd.DataFrame:
    """Median, 5 % and 95 % (numpy's default 'linear' percentiles on each unit's sample of ranks) and mean
    rank, counted from rank × unit counts (C order) instead of sorting each unit's ranks."""
    n = counts.shape[0]
    cum = counts.copy()                                                # draws with rank <= r + 1, per unit
    for r in range(1, n):                                              # row adds: ≈ 10× numpy's cumsum on axis 0
        cum[r] += cum[r - 1]
    nv = n_valid.astype(float)
    stats = {}
    for name, q in (("p05", 5.0), ("median_rank", 50.0), ("p95", 95.0)):
        pos = q / 100.0 * (nv - 1)
        lo = np.floor(pos)
        hi = np.minimum(lo + 1, nv - 1)
        a = (cum <= lo[None, :]).sum(axis=0) + 1.0                     # the lo-th order statistic (0-based)
        b = (cum <= hi[None, :]).sum(axis=0) + 1.0
        stats[name] = np.where(n_valid > 0, a + (pos - lo) * (b - a), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n_valid > 0, np.arange(1, n + 1, dtype=float) @ counts / np.maximum(nv, 1), np.nan)
    return pd.DataFrame({"unit": units, "nominal_rank": nominal, "median_rank": stats["median_rank"],
                         "p05": stats["p05"], "p95": stats["p95"], "mean_rank": mean, "n_valid": n_valid})


BLOCK_DRAWS = 256


def _threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def sensitivity_fast(prepared, n_draws: int = 1000, seed: int = 0, year: int | None = None, weight_noise: float = 0.25,
                     normalisations=DEFAULT_NORMALISATIONS, aggregations=("amean", "gmean"),
                     vary_missing: bool | None = None, drop_one: bool = True, alt_panel=None) -> SensitivityResult:
    """Drop-in for ``robustness.sensitivity_reference`` (same arguments, draws and result; see the module doc).

    ``alt_panel``: the same framework prepared on the other metro scope (issue 11); each draw then also picks
    the scope, each equally likely (drawn after every other choice, so runs without it keep their draws)."""
    p = _as_prepared(prepared)
    rows, year = _select_rows(p, year)
    rng = np.random.default_rng(seed)
    k, n_dims = p.membership.shape
    raw_variants = [p.raw]
    if vary_missing is None:
        vary_missing = p.year_level is not None and p.meta.get("missing_rule") == "reweight" and len(p.units) <= 5000
    if vary_missing and p.year_level is not None:
        filled, _ = impute_own_trend(p.raw_frame, 0, 1, max_extrapolate=3)
        raw_variants.append(filled.to_numpy())
    variants = [x for raw in raw_variants for x in _variants(p, normalisations, raw, rows)]
    scoped = [variants]
    if alt_panel is not None:
        alt = _as_prepared(alt_panel)
        arows = _alt_rows(p, alt, rows, year)
        alt_raws = [alt.raw]
        if vary_missing and alt.year_level is not None:
            alt_raws.append(impute_own_trend(alt.raw_frame, 0, 1, max_extrapolate=3)[0].to_numpy())
        have = arows[arows >= 0]
        alt_variants = [x for raw in alt_raws for x in _variants(alt, normalisations, raw, have)]
        pos = np.full(arows.size, -1, dtype=np.int64)
        pos[arows >= 0] = np.arange(have.size)
        scoped.append([_take_rows(x, pos) for x in alt_variants])
    geos = [a == "gmean" for a in aggregations]
    w_ind = 1.0 + rng.uniform(-weight_noise, weight_noise, size=(k, n_draws))
    w_dim = p.dimension_weights[:, None] * (1.0 + rng.uniform(-weight_noise, weight_noise, size=(n_dims, n_draws)))
    if drop_one:
        dropped = rng.integers(-1, k, size=n_draws)
        hit = dropped >= 0
        w_ind[dropped[hit], np.flatnonzero(hit)] = 0.0
    v_choice = rng.integers(0, len(variants), size=n_draws)
    a_choice = rng.integers(0, len(geos), size=n_draws)
    s_choice = rng.integers(0, 2, size=n_draws) if alt_panel is not None else np.zeros(n_draws, dtype=np.int64)

    n = rows.size
    member = p.membership
    used = member.sum(axis=1) > 0
    index_bits = max(1, int(n - 1).bit_length())
    odtype = np.int16 if n < 2 ** 15 else np.int32
    keyed = index_bits <= 24                                           # ≥ 40 bits of the score left in the key
    # the summary does not depend on the order of the draws: process them grouped by (variant, aggregation),
    # one matrix product per group (BLAS threads), then sort blocks of draws in a thread pool
    order_t = np.empty((n, n_draws), dtype=odtype)                     # unit position ranked r, per draw (rank-major)
    n_scored = np.empty(n_draws, dtype=np.int64)                       # units with a score, per draw (ranked first)
    valid_units = np.zeros(n, dtype=np.int64)
    pool = ThreadPoolExecutor(_threads()) if _threads() > 1 else None
    d0 = 0
    try:
        for sv, v in ((sv, v) for sv in range(len(scoped)) for v in range(len(variants))):
            x = scoped[sv][v]
            complete = ~np.isnan(x[:, used]).any(axis=1)
            for a in range(len(geos)):
                cols = np.flatnonzero((v_choice == v) & (a_choice == a) & (s_choice == sv))
                if not cols.size:
                    continue
                xc = x[complete]
                if geos[a]:
                    xc = np.log(1.0 + 0.99 * xc)
                xc = np.ascontiguousarray(np.where(used[None, :], xc, 0.0))
                sc = _block_scores(x, complete, xc, member, w_ind[:, cols], w_dim[:, cols], geos[a])
                if complete.all():
                    n_scored[d0:d0 + cols.size] = n
                    valid_units += cols.size
                else:
                    nan = np.isnan(sc)
                    n_scored[d0:d0 + cols.size] = n - nan.sum(axis=1)
                    valid_units += (~nan).sum(axis=0)
                    del nan

                def run(b, sc=sc, d0=d0):
                    block = sc[b:b + BLOCK_DRAWS]
                    order = _block_order(block, index_bits, odtype) if keyed else _order_stable(block, odtype)
                    order_t[:, d0 + b:d0 + b + block.shape[0]] = order.T

                starts = range(0, cols.size, BLOCK_DRAWS)
                list(pool.map(run, starts)) if pool is not None and len(starts) > 1 else [run(b) for b in starts]
                d0 += cols.size
                del sc
    finally:
        if pool is not None:
            pool.shutdown()
    if n_draws and (n_scored < n).any():
        # draws rank unscored units last: mark those positions so that they are not counted
        ranks_pos = np.arange(n)[:, None]
        order_t = np.where(ranks_pos < n_scored[None, :], order_t, n).astype(np.int32 if odtype == np.int16 and n + 1 >= 2 ** 15 else odtype)
    counts = np.empty((n, n))                                          # rank × unit
    for r in range(n):
        counts[r] = np.bincount(order_t[r], minlength=n + 1)[:n]
    del order_t

    units = [u[0] if isinstance(u, tuple) else u for u in p.units[rows]]
    sub = dataclasses.replace(p, normalised=p.normalised[rows], min_coverage=0.0)  # scoring is row by row
    nominal = _ranks(score_arrays(sub, p.membership, p.dimension_weights)[2][:, None])[:, 0]
    summary = _summary_from_counts(counts, valid_units, units, nominal)
    probs = pd.DataFrame((counts / np.maximum(valid_units, 1)[None, :]).T, index=pd.Index(units, name="unit"),
                         columns=pd.Index(range(1, n + 1), name="rank"))
    settings = {"weight_noise": weight_noise, "normalisations": list(normalisations), "aggregations": list(aggregations),
                "vary_missing": bool(vary_missing), "drop_one": drop_one,
                "scope_draw": alt_panel is not None,
                "scopes": [panel_scope(p)] + ([panel_scope(_as_prepared(alt_panel))] if alt_panel is not None else [])}
    return SensitivityResult(summary.sort_values("median_rank").reset_index(drop=True), probs, year, n_draws, seed, settings)
