"""Shared parts of the rank-robustness runs: the result type, row selection, normalisation variants,
draw aggregation and ranks. Imported by :mod:`indicators.engine.robustness_fast` (the product's path) and
:mod:`indicators.engine.robustness_reference` (the specification), never the other way round.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from indicators.engine.prepare import prepare_frame
from indicators.engine.types import PreparedPanel
from indicators.engine.weighting import score_arrays
from indicators.methods.normalise import normalize

DEFAULT_NORMALISATIONS = ("minmax", "rank", "zscore")


@dataclass(frozen=True)
class SensitivityResult:
    summary: pd.DataFrame            # unit, nominal_rank, median_rank, p05, p95, mean_rank, n_valid
    rank_probabilities: pd.DataFrame  # unit × rank → probability
    year: int | None
    n_draws: int
    seed: int
    settings: dict


def _as_prepared(obj) -> PreparedPanel:
    if isinstance(obj, PreparedPanel):
        return obj
    if isinstance(obj, pd.DataFrame):
        return prepare_frame(obj)
    raise TypeError("pass a PreparedPanel (prepare_panel / prepare_frame) or a units × indicators DataFrame")


def _select_rows(p: PreparedPanel, year: int | None) -> tuple[np.ndarray, int | None]:
    if p.year_level is None or p.year_level not in (p.units.names or []):
        return np.arange(len(p.units)), None
    years = p.units.get_level_values(p.year_level).to_numpy()
    if year is None:   # the latest year with an index for two units (scores are row by row: score year by year)
        for y in np.unique(years)[::-1]:
            sel = np.flatnonzero(years == y)
            idx = score_arrays(replace(p, normalised=p.normalised[sel]), p.membership, p.dimension_weights)[2]
            if np.isfinite(idx).sum() >= 2:
                year = int(y)
                break
        else:
            raise ValueError("no year has an index for at least two units")
    return np.flatnonzero(years == year), int(year)


def _norm_variants(p: PreparedPanel, methods, raw: np.ndarray) -> list[np.ndarray]:
    frame = pd.DataFrame(raw, columns=p.indicators)
    directions = {k: v for k, v in (p.log.steps and next((s.params.get("directions") for s in p.log.steps if s.name == "normalise"), {}) or {}).items()}
    out = []
    for m in methods:
        if m == "zscore":
            z = normalize(frame, "zscore", directions, mean=50.0, sd=15.0).to_numpy()
            out.append(np.clip(z, 0.0, 100.0))
        else:
            out.append(normalize(frame, m, directions).to_numpy())
    return out


def _aggregate_draws(x: np.ndarray, member: np.ndarray, w_ind: np.ndarray, w_dim: np.ndarray, geometric: bool,
                     min_cov: float) -> np.ndarray:
    """x: units × k (0–100, NaN missing); w_ind: k × draws; w_dim: D × draws → index units × draws."""
    if geometric:
        x = np.log(1.0 + 0.99 * x)
    avail = ~np.isnan(x)
    x0 = np.where(avail, x, 0.0)
    af = avail.astype(float)
    n_units, n_draws = x.shape[0], w_ind.shape[1]
    num = np.zeros((n_units, n_draws))
    den = np.zeros((n_units, n_draws))
    cov = np.zeros((n_units, n_draws))
    wsum = w_dim.sum(axis=0)
    for j in range(member.shape[1]):
        rows = np.flatnonzero(member[:, j] > 0)
        if rows.size == 0:
            continue
        wj = w_ind[rows] * member[rows, j][:, None]
        # einsum: thin products (few indicators per dimension) are faster without BLAS threading
        s_num = np.einsum("uk,kd->ud", x0[:, rows], wj)
        s_den = np.einsum("uk,kd->ud", af[:, rows], wj)
        tot = wj.sum(axis=0)
        has = s_den > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            dim = s_num / np.where(has, s_den, 1.0)
        num += np.where(has, dim, 0.0) * w_dim[j]
        den += has * w_dim[j]
        cov += (s_den / np.where(tot > 0, tot, 1.0)) * w_dim[j]
    with np.errstate(invalid="ignore", divide="ignore"):
        idx = np.where(den > 0, num / den, np.nan)
    idx = np.where(cov / wsum >= min_cov - 1e-12, idx, np.nan)
    return np.exp(idx) if geometric else idx


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest per column; NaN scores get NaN ranks. scores: units × draws."""
    s = np.where(np.isnan(scores), -np.inf, scores)
    order = np.argsort(-s, axis=0, kind="stable")
    ranks = np.empty_like(order, dtype=float)
    np.put_along_axis(ranks, order, np.arange(1, s.shape[0] + 1, dtype=float)[:, None].repeat(s.shape[1], 1), axis=0)
    return np.where(np.isnan(scores), np.nan, ranks)


def panel_scope(p: PreparedPanel) -> str | None:
    """The metro boundaries a panel was prepared in ('plan' / 'extended'), from its build log (None for frames)."""
    return next((s.params.get("scope") for s in p.log.steps if s.name == "load"), None)


def _alt_rows(p: PreparedPanel, alt: PreparedPanel, rows: np.ndarray, year: int | None) -> np.ndarray:
    """For each selected row of ``p``, the row of the same unit (and year) in ``alt``; −1 where ``alt`` lacks it.

    ``alt`` is the same framework prepared on the other metro scope: same indicators, dimensions and weights
    (else a ValueError naming what differs)."""
    if list(alt.indicators) != list(p.indicators) or list(alt.dimensions) != list(p.dimensions):
        raise ValueError("alt_panel: the second scope's panel must have the same indicators and dimensions "
                         f"(got {len(alt.indicators)} indicators / {list(alt.dimensions)}, expected "
                         f"{len(p.indicators)} / {list(p.dimensions)})")
    if not (np.array_equal(alt.membership, p.membership) and np.allclose(alt.dimension_weights, p.dimension_weights)):
        raise ValueError("alt_panel: the second scope's panel must use the same indicator and dimension weights")
    if (p.year_level is None) != (alt.year_level is None):
        raise ValueError("alt_panel: both panels must have years, or neither")
    alt_units = alt.units.get_level_values(0)
    if alt.year_level is not None:
        alt_years = alt.units.get_level_values(alt.year_level).to_numpy()
        alt_units = alt_units[alt_years == year]
        alt_pos = np.flatnonzero(alt_years == year)
    else:
        alt_pos = np.arange(len(alt.units))
    where = {u: int(i) for u, i in zip(alt_units, alt_pos)}
    return np.array([where.get(u, -1) for u in p.units[rows].get_level_values(0)], dtype=np.int64)


def _take_rows(x: np.ndarray, alt_rows: np.ndarray) -> np.ndarray:
    """Rows ``alt_rows`` of ``x`` (all NaN where −1: the unit has no value in that scope)."""
    out = np.full((alt_rows.size, x.shape[1]), np.nan)
    ok = alt_rows >= 0
    out[ok] = x[alt_rows[ok]]
    return out
