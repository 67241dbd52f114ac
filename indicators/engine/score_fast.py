"""Recompute the index after a weight change, fast enough for a slider at national scale.

``FastScorer(prepared)`` does once what does not depend on the weights — the availability mask, the
masked (and for geometric/harmonic means, transformed) value matrix, the year groups and the label
columns of the tidy result — so that ``scorer.score(weights=...)`` is two small matrix products, one
ranking pass and a DataFrame assembly. It returns exactly what ``score_reference.score_panel_reference`` returns
(tested for equality); only the work is arranged differently:

* ``score_panel`` masks and transforms the whole units × indicators matrix on every call;
  here that is done once per prepared panel, and the available-weight sums are computed only for
  rows with a missing value (complete rows share the column sums).
* Ranks within each (year, dimension) group: ``np.lexsort`` (a stable sort on the float key) is
  replaced by an unstable SIMD sort on the key followed by a stable radix sort on the small integer
  group id — the same order within groups, 4–5× faster; ties share the lowest rank as before. When
  the panel is a complete (unit, year) grid, each (year, dimension) group is a contiguous row after a
  reshape and is sorted on its own (no global sort at all).

Measured at 67,700 unit-years × 60 indicators × 7 dimensions: see README "Scaling".
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from indicators.engine.result import IndexResult, _index_result
from indicators.engine.types import INDEX, PreparedPanel
from indicators.engine.weighting import _weighted, _weights_matrix, group_ranks

__all__ = ["FastScorer", "grid_ranks", "group_ranks"]


def _grid_ranks_argsort(arr: np.ndarray) -> np.ndarray:
    """Ranks (ties share the lowest) within each row of ``arr`` (rows × units, NaN ranked last)."""
    key = np.where(np.isnan(arr), np.inf, -arr)
    order = np.argsort(key, axis=-1)
    ks = np.take_along_axis(key, order, axis=-1)
    pos = np.broadcast_to(np.arange(arr.shape[1]), ks.shape)
    new_run = np.concatenate([np.ones(ks.shape[:-1] + (1,), dtype=bool), ks[..., 1:] != ks[..., :-1]], axis=-1)
    run_start = np.maximum.accumulate(np.where(new_run, pos, 0), axis=-1)
    ranks = np.empty(arr.shape, dtype=float)
    np.put_along_axis(ranks, order, (run_start + 1).astype(float), axis=-1)
    return ranks


_SIGN = np.uint64(1 << 63)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


def _row_ranks(arr: np.ndarray) -> np.ndarray:
    """``_grid_ranks_argsort`` computed with one value sort of packed uint64 keys: the order-preserving bits
    of the key with the unit's position in the low bits. Ties are read from the key bits and confirmed
    on the exact values (scores equal in their top bits but not exactly: the argsort path)."""
    n_rows, n = arr.shape
    bits = max(1, int(n - 1).bit_length())
    if bits > 24 or n < 2:
        return _grid_ranks_argsort(arr)
    key = np.where(np.isnan(arr), np.inf, -arr) + 0.0             # + 0.0: -0.0 and 0.0 get the same bits
    u = key.view(np.uint64)
    packed = np.where(u & _SIGN, ~u, u | _SIGN)                    # ascending float order as unsigned order
    packed &= _ALL << np.uint64(bits)
    packed |= np.arange(n, dtype=np.uint64)[None, :]
    packed.sort(axis=1)
    order = (packed & np.uint64((1 << bits) - 1)).astype(np.intp)
    order += (np.arange(n_rows, dtype=np.intp) * n)[:, None]       # flat positions
    hi = packed >> np.uint64(bits)
    tie = hi[:, 1:] == hi[:, :-1]
    if tie.any():
        r, c = np.nonzero(tie)
        flat_key = key.ravel()
        if not np.array_equal(flat_key[order[r, c]], flat_key[order[r, c + 1]]):
            return _grid_ranks_argsort(arr)
    new_run = np.ones((n_rows, n), dtype=bool)
    np.logical_not(tie, out=new_run[:, 1:])
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(n)[None, :], 0), axis=1)
    ranks = np.empty(n_rows * n)
    ranks[order.ravel()] = (run_start + 1).ravel()
    return ranks.reshape(n_rows, n)


def grid_ranks(all_scores: np.ndarray, n_units: int, n_years: int) -> np.ndarray:
    """``group_ranks`` for a complete unit-major (unit, year) grid: scores (units·years) × k, ranked within
    each (year, column) by sorting contiguous rows of ``n_units`` — no global sort."""
    k = all_scores.shape[1]
    arr = np.ascontiguousarray(all_scores.reshape(n_units, n_years, k).transpose(1, 2, 0))   # years × k × units
    ranks = _row_ranks(arr.reshape(-1, n_units)).reshape(arr.shape)
    ranks = ranks.transpose(2, 0, 1).reshape(n_units * n_years, k)
    return np.where(np.isnan(all_scores), np.nan, ranks).ravel()


class FastScorer:
    """Weight-independent work for one prepared panel, done once; ``score`` per weight change."""

    def __init__(self, prepared: PreparedPanel):
        self.prepared = p = prepared
        x = p.normalised
        self.avail = ~np.isnan(x)
        # rows with a gap need their own available-weight sums; complete rows all have the column sums
        self.gap_rows = np.flatnonzero(~self.avail.all(axis=1))
        self.gap_avail_t = np.ascontiguousarray(self.avail[self.gap_rows].T, dtype=float)   # k × gap rows
        self._level1: dict[str, np.ndarray] = {}
        units = p.units
        n = len(units)
        self.n = n
        self.names = [INDEX] + list(p.dimensions)
        k = len(self.names)
        self.has_years = p.year_level is not None and p.year_level in (units.names or [])
        years = units.get_level_values(p.year_level).to_numpy() if self.has_years else np.zeros(n, dtype=int)
        year_codes = pd.factorize(years)[0] if n else np.zeros(0, dtype=np.int64)
        unit_codes = pd.factorize(units.get_level_values(0))[0] if n else np.zeros(0, dtype=np.int64)
        n_u, n_y = (unit_codes.max() + 1, year_codes.max() + 1) if n else (0, 0)
        # a complete unit-major grid (every unit has every year, in order) is ranked by reshaping
        self.grid = (int(n_u), int(n_y)) if (n and self.has_years and n == n_u * n_y
                                             and np.array_equal(unit_codes, np.repeat(np.arange(n_u), n_y))
                                             and np.array_equal(year_codes, np.tile(np.arange(n_y), n_u))) else None
        self.groups = (np.repeat(year_codes, k) * k + np.tile(np.arange(k), n)) if n else np.zeros(0, dtype=np.int64)
        unit_ids = units.get_level_values(0).to_numpy()
        self.unit_col = pd.Index(unit_ids).repeat(k) if n else pd.Index([], dtype=str)
        self.year_col = np.repeat(years, k) if self.has_years else pd.array([pd.NA] * (n * k), dtype="Int64")
        self.dim_col = pd.Index(self.names).take(np.tile(np.arange(k), n)) if n else pd.Index([], dtype=str)

    def _values(self, aggregation: str) -> np.ndarray:
        """The masked first-level matrix (transposed: indicators × units) whose product with the weights is
        the numerator."""
        if aggregation not in self._level1:
            x = self.prepared.normalised
            if aggregation in ("gmean", "hmean"):
                x = 1.0 + 0.99 * x
            x0 = np.where(self.avail, x, 0.0)
            if aggregation == "amean":
                v = x0
            elif aggregation == "gmean":
                v = np.where(self.avail, np.log(np.maximum(x0, 1e-300)), 0.0)
            elif aggregation == "hmean":
                v = np.where(self.avail, 1.0 / np.maximum(x0, 1e-300), 0.0)
            else:
                raise ValueError(f"unknown aggregation {aggregation!r}; use amean, gmean or hmean")
            self._level1[aggregation] = np.ascontiguousarray(v.T)   # k × units: products as (D × k) @ (k × units)
        return self._level1[aggregation]

    def score_arrays(self, membership: np.ndarray, dimension_weights: np.ndarray,
                     aggregation: str = "amean") -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Same as ``weighting.score_arrays`` for this panel."""
        wa = np.empty((self.n, membership.shape[1]))
        wa[:] = membership.sum(axis=0)
        m_t = np.ascontiguousarray(membership.T)
        if self.gap_rows.size:
            wa[self.gap_rows] = (m_t @ self.gap_avail_t).T
        num = (m_t @ self._values(aggregation)).T          # a short-wide product: ≈ 4× faster than tall-thin
        with np.errstate(invalid="ignore", divide="ignore"):
            if aggregation == "amean":
                s = num / wa
            elif aggregation == "gmean":
                s = np.exp(num / wa)
            else:
                s = wa / num
        dim_scores = np.where(wa > 0, s, np.nan)
        total = membership.sum(axis=0)
        dim_cov = np.where(total > 0, wa / np.where(total > 0, total, 1.0), 0.0)
        davail = ~np.isnan(dim_scores)
        idx, _ = _weighted(dim_scores, davail, dimension_weights[:, None], aggregation)
        idx = idx[:, 0]
        cov = (dim_cov @ dimension_weights) / dimension_weights.sum()
        idx = np.where(cov >= self.prepared.min_coverage - 1e-12, idx, np.nan)
        if aggregation in ("gmean", "hmean"):
            dim_scores = (dim_scores - 1.0) / 0.99
            idx = (idx - 1.0) / 0.99
        return dim_scores, dim_cov, idx, cov

    def score(self, weights: Mapping[str, float] | None = None, dimension_weights: Mapping[str, float] | None = None,
              aggregation: str | None = None, weighting: str = "expert") -> IndexResult:
        """Same arguments and result as ``score_reference.score_panel_reference``."""
        p = self.prepared
        aggregation = aggregation or p.meta.get("aggregation", "amean")
        m = _weights_matrix(p, weights, weighting)
        dw = p.dimension_weights.copy()
        for k, v in dict(dimension_weights or {}).items():
            if k in p.dimensions:
                dw[p.dimensions.index(k)] = float(v)
        dim_scores, dim_cov, idx, cov = self.score_arrays(m, dw, aggregation)
        all_scores = np.column_stack([idx, dim_scores])
        all_cov = np.column_stack([cov, dim_cov])
        score_flat = all_scores.ravel()
        ranks = grid_ranks(all_scores, *self.grid) if self.grid else group_ranks(score_flat, self.groups)
        scores = pd.DataFrame({
            "metro_id": self.unit_col,
            "year": self.year_col,
            "dimension": self.dim_col,
            "score": score_flat,
            "rank": pd.array(ranks, dtype="Int64") if self.n else pd.array([], dtype="Int64"),
            "coverage": all_cov.ravel(),
        })
        return _index_result(p, scores, m, dw, weights, dimension_weights, weighting, aggregation)
