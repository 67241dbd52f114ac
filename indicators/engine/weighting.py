"""The vectorised scoring core shared by every scorer: weight matrices, weighted means, ranks.

``score_arrays`` turns a prepared panel and weights into dimension and index scores; the fast scorer
(:mod:`indicators.engine.score_fast`) and the reference (:mod:`indicators.engine.score_reference`) both
build on these functions.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.engine.types import PreparedPanel
from indicators.methods.weights import compute_weights


def _objective_weights(prepared: PreparedPanel, method: str) -> np.ndarray:
    """Within-dimension weights from the data (entropy, critic, ...) on the normalised panel."""
    m = np.zeros_like(prepared.membership)
    frame = prepared.frame
    for j in range(len(prepared.dimensions)):
        cols = [prepared.indicators[i] for i in np.flatnonzero(prepared.membership[:, j] > 0)]
        usable = [c for c in cols if frame[c].notna().sum() >= 3 and frame[c].nunique() > 1]
        if not usable:
            for c in cols:
                m[prepared.indicators.index(c), j] = 1.0
            continue
        try:
            w = compute_weights(frame[usable], method) if len(usable) > 1 else pd.Series({usable[0]: 1.0})
        except ValueError:   # e.g. PCA without three complete rows: equal weights in this dimension
            w = pd.Series(1.0 / len(usable), index=usable)
        for c in cols:
            m[prepared.indicators.index(c), j] = float(w.get(c, 0.0)) if c in usable else 1.0 / len(cols) * 1e-9
    return m


def _weighted(x: np.ndarray, avail: np.ndarray, w: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Weighted aggregation of columns (rows × k) with weight matrix w (k × g); returns (scores, weight sums)."""
    wa = avail.astype(float) @ w
    x0 = np.where(avail, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "amean":
            s = (x0 @ w) / wa
        elif method == "gmean":
            s = np.exp((np.where(avail, np.log(np.maximum(x0, 1e-300)), 0.0) @ w) / wa)
        elif method == "hmean":
            s = wa / (np.where(avail, 1.0 / np.maximum(x0, 1e-300), 0.0) @ w)
        else:
            raise ValueError(f"unknown aggregation {method!r}; use amean, gmean or hmean")
    return np.where(wa > 0, s, np.nan), wa


def score_arrays(prepared: PreparedPanel, membership: np.ndarray, dimension_weights: np.ndarray,
                 aggregation: str = "amean") -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The vectorised core: (dimension scores, dimension coverage, index score, index coverage)."""
    x = prepared.normalised
    if aggregation in ("gmean", "hmean"):
        x = 1.0 + 0.99 * x          # 0–100 → 1–100 so that the worst value does not zero a mean
    avail = ~np.isnan(x)
    dim_scores, wa = _weighted(x, avail, membership, aggregation)
    total = membership.sum(axis=0)
    dim_cov = np.where(total > 0, wa / np.where(total > 0, total, 1.0), 0.0)
    davail = ~np.isnan(dim_scores)
    dw = dimension_weights[:, None]
    idx, dwa = _weighted(dim_scores, davail, dw, aggregation)
    idx = idx[:, 0]
    cov = (dim_cov @ dimension_weights) / dimension_weights.sum()
    idx = np.where(cov >= prepared.min_coverage - 1e-12, idx, np.nan)
    if aggregation in ("gmean", "hmean"):
        dim_scores = (dim_scores - 1.0) / 0.99
        idx = (idx - 1.0) / 0.99
    return dim_scores, dim_cov, idx, cov


def _ranks(scores: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Rank 1 = highest within each group (year); ties share the lowest rank; NaN stays NaN. Vectorised."""
    n = len(scores)
    if n == 0:
        return np.array([], dtype=float)
    g = np.zeros(n, dtype=np.int64) if groups is None else pd.factorize(groups)[0]
    key = np.where(np.isnan(scores), np.inf, -scores)
    order = np.lexsort((key, g))
    gs, ks = g[order], key[order]
    return _ranks_in_order(scores, order, gs, ks)


def _weights_matrix(prepared: PreparedPanel, weights, weighting: str) -> np.ndarray:
    if weighting in ("expert", "framework"):
        m = prepared.membership.copy()
    elif weighting == "equal":
        m = (prepared.membership > 0).astype(float)
    else:
        m = _objective_weights(prepared, weighting)
    if weights:
        for k, v in dict(weights).items():
            if k in prepared.indicators:
                i = prepared.indicators.index(k)
                m[i, :] = np.where(prepared.membership[i, :] > 0, float(v), 0.0)
    return m


def group_ranks(scores: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Rank 1 = highest within each group; ties share the lowest rank; NaN stays NaN.

    ``groups``: non-negative integer group ids (small: radix-sorted when they fit in 16 bits).
    """
    n = len(scores)
    if n == 0:
        return np.array([], dtype=float)
    key = np.where(np.isnan(scores), np.inf, -scores)
    order = np.argsort(key)
    g = groups.astype(np.int16) if groups.max(initial=0) < 2 ** 15 else groups
    order = order[np.argsort(g[order], kind="stable")]
    gs, ks = groups[order], key[order]
    return _ranks_in_order(scores, order, gs, ks)


def _ranks_in_order(scores: np.ndarray, order: np.ndarray, gs: np.ndarray, ks: np.ndarray) -> np.ndarray:
    """Ranks from a (group, key) sort order: 1 = first of each group, ties share the lowest rank, NaN stays NaN.
    ``gs``/``ks``: group ids and keys in that order."""
    n = len(scores)
    pos = np.arange(n)
    new_group = np.r_[True, gs[1:] != gs[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
    new_run = new_group | np.r_[True, ks[1:] != ks[:-1]]
    run_start = np.maximum.accumulate(np.where(new_run, pos, 0))
    ranks = np.empty(n, dtype=float)
    ranks[order] = run_start - group_start + 1
    return np.where(np.isnan(scores), np.nan, ranks)
