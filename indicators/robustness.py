"""Robustness of the ranking: Monte Carlo over the analyst's choices, and drop-one influence.

``sensitivity(prepared_or_frame, n_draws, seed, ...)`` draws, independently per draw:
* indicator and dimension weights: nominal × U(1 − noise, 1 + noise) (default ±25 %, as COINr's UA);
* the normalisation: one of ``normalisations`` (default min-max / rank / z-score→0–100 clipped);
* the aggregation: arithmetic or geometric mean;
* the missing-data rule: re-weight or own-trend imputation (panels with years only);
* dropping one indicator (or none), each equally likely.
Everything is computed as matrices of draws × units (no Python loop over draws), for the units of
one year. Output per unit: nominal rank, median rank, 5–95 % rank interval, mean rank, and the
probability of each rank. ``indicator_influence`` removes one indicator at a time and reports the mean
and largest absolute rank change it causes (COINr ``remove_elements``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from indicators.methods.impute import impute_own_trend
from indicators.methods.normalise import normalize
from indicators.pipeline import PreparedPanel, prepare_frame, score_arrays

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


def sensitivity(prepared, n_draws: int = 1000, seed: int = 0, year: int | None = None, weight_noise: float = 0.25,
                normalisations=DEFAULT_NORMALISATIONS, aggregations=("amean", "gmean"),
                vary_missing: bool | None = None, drop_one: bool = True) -> SensitivityResult:
    """Monte Carlo rank intervals (see the module doc). Deterministic for a given ``seed``.

    Runs :func:`indicators.robustness_fast.sensitivity_fast`: the same draws and results as
    :func:`sensitivity_reference` (the direct matrix formulation kept as the specification), computed
    in blocks of draws with one matrix product per block and rank counts instead of a units × draws rank
    matrix. Ties: scores equal to within 2⁻⁴⁰ relative are ranked in unit order (the reference's stable
    sort ranks exactly equal scores in unit order).
    """
    from indicators.robustness_fast import sensitivity_fast

    return sensitivity_fast(prepared, n_draws=n_draws, seed=seed, year=year, weight_noise=weight_noise,
                            normalisations=normalisations, aggregations=aggregations, vary_missing=vary_missing,
                            drop_one=drop_one)


def sensitivity_reference(prepared, n_draws: int = 1000, seed: int = 0, year: int | None = None,
                          weight_noise: float = 0.25, normalisations=DEFAULT_NORMALISATIONS,
                          aggregations=("amean", "gmean"), vary_missing: bool | None = None,
                          drop_one: bool = True) -> SensitivityResult:
    """The Monte Carlo run written directly as draws × units matrices (slow at national scale; the
    specification :func:`sensitivity` is tested against)."""
    p = _as_prepared(prepared)
    rows, year = _select_rows(p, year)
    rng = np.random.default_rng(seed)
    k, D = p.membership.shape
    raw_variants = [p.raw]
    if vary_missing is None:
        vary_missing = p.year_level is not None and p.meta.get("missing_rule") == "reweight" and len(p.units) <= 5000
    if vary_missing and p.year_level is not None:
        filled, _ = impute_own_trend(p.raw_frame, 0, 1, max_extrapolate=3)
        raw_variants.append(filled.to_numpy())
    # normalised variants over the whole panel, then the rows of the year
    variants = []
    for raw in raw_variants:
        for x in _norm_variants(p, normalisations, raw):
            variants.append(x[rows])
    geos = [a == "gmean" for a in aggregations]
    # draws
    w_ind = (1.0 + rng.uniform(-weight_noise, weight_noise, size=(k, n_draws)))
    w_dim = p.dimension_weights[:, None] * (1.0 + rng.uniform(-weight_noise, weight_noise, size=(D, n_draws)))
    if drop_one:
        dropped = rng.integers(-1, k, size=n_draws)       # -1 = drop nothing
        hit = dropped >= 0
        w_ind[dropped[hit], np.flatnonzero(hit)] = 0.0
    v_choice = rng.integers(0, len(variants), size=n_draws)
    a_choice = rng.integers(0, len(geos), size=n_draws)
    scores = np.full((rows.size, n_draws), np.nan)
    for v in range(len(variants)):
        for a in range(len(geos)):
            cols = np.flatnonzero((v_choice == v) & (a_choice == a))
            if cols.size:
                # the coverage threshold is a display rule, not a modelling choice: not applied per draw
                scores[:, cols] = _aggregate_draws(variants[v], p.membership, w_ind[:, cols], w_dim[:, cols],
                                                   geos[a], 0.0)
    ranks = _ranks(scores)
    p0 = replace(p, min_coverage=0.0)   # the coverage threshold is a display rule, not part of the ranking model
    nominal = _ranks(score_arrays(p0, p0.membership, p0.dimension_weights)[2][rows][:, None])[:, 0]
    units = [u[0] if isinstance(u, tuple) else u for u in p.units[rows]]
    nan_rows = np.isnan(ranks).any(axis=1)
    with np.errstate(all="ignore"):
        if nan_rows.any():
            med = np.nanmedian(ranks, axis=1)
            p05, p95 = np.nanpercentile(ranks, [5, 95], axis=1)
        else:
            med = np.median(ranks, axis=1)
            p05, p95 = np.percentile(ranks, [5, 95], axis=1)
        summary = pd.DataFrame({
            "unit": units,
            "nominal_rank": nominal,
            "median_rank": med,
            "p05": p05,
            "p95": p95,
            "mean_rank": np.nanmean(ranks, axis=1),
            "n_valid": np.sum(~np.isnan(ranks), axis=1),
        })
    n = rows.size
    ok = ~np.isnan(ranks)
    flat = (np.arange(n)[:, None] * n + np.where(ok, ranks, 1).astype(np.int64) - 1)[ok]
    counts = np.bincount(flat, minlength=n * n).reshape(n, n).astype(float)
    valid = np.maximum(summary["n_valid"].to_numpy()[:, None], 1)
    probs = pd.DataFrame(counts / valid, index=pd.Index(units, name="unit"), columns=pd.Index(range(1, n + 1), name="rank"))
    settings = {"weight_noise": weight_noise, "normalisations": list(normalisations), "aggregations": list(aggregations),
                "vary_missing": bool(vary_missing), "drop_one": drop_one}
    return SensitivityResult(summary.sort_values("median_rank").reset_index(drop=True), probs, year, n_draws, seed, settings)


def indicator_influence(prepared, year: int | None = None) -> pd.DataFrame:
    """Drop one indicator at a time: mean and max |rank change| of the index (largest first)."""
    p = _as_prepared(prepared)
    rows, year = _select_rows(p, year)
    p = replace(p, min_coverage=0.0)    # dropping an indicator lowers coverage; rank on the same units
    base = _ranks(score_arrays(p, p.membership, p.dimension_weights)[2][rows][:, None])[:, 0]
    out = []
    for i, ind in enumerate(p.indicators):
        m = p.membership.copy()
        m[i, :] = 0.0
        r = _ranks(score_arrays(p, m, p.dimension_weights)[2][rows][:, None])[:, 0]
        ch = np.abs(r - base)
        has_data = bool(np.isfinite(p.normalised[rows, i]).any())
        ok = np.isfinite(ch)
        out.append({"indicator": ind, "mean_abs_rank_change": float(ch[ok].mean()) if ok.any() else np.nan,
                    "max_abs_rank_change": float(ch[ok].max()) if ok.any() else np.nan,
                    "has_data": has_data, "year": year})
    return pd.DataFrame(out).sort_values("mean_abs_rank_change", ascending=False, na_position="last").reset_index(drop=True)
