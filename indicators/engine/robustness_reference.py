"""The Monte Carlo rank-robustness run written directly as draws × units matrices: the specification
:func:`indicators.engine.robustness.sensitivity` (the fast path) is tested against. Not used by the product.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from indicators.engine.robustness_common import (DEFAULT_NORMALISATIONS, SensitivityResult, _aggregate_draws, _alt_rows,
                                                 _as_prepared, _norm_variants, _ranks, _select_rows, _take_rows,
                                                 panel_scope)
from indicators.engine.weighting import score_arrays
from indicators.methods.impute import impute_own_trend


def sensitivity_reference(prepared, n_draws: int = 1000, seed: int = 0, year: int | None = None,
                          weight_noise: float = 0.25, normalisations=DEFAULT_NORMALISATIONS,
                          aggregations=("amean", "gmean"), vary_missing: bool | None = None,
                          drop_one: bool = True, alt_panel=None) -> SensitivityResult:
    """The Monte Carlo run written directly as draws × units matrices (slow at national scale; the
    specification :func:`sensitivity` is tested against).

    ``alt_panel``: the same framework prepared on the other metro scope; each draw also picks the scope (0 = this
    panel, 1 = ``alt_panel``, equally likely), drawn after every other choice. A unit the other scope does not
    have is unscored in that scope's draws."""
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
    scoped = [variants]
    if alt_panel is not None:
        alt = _as_prepared(alt_panel)
        arows = _alt_rows(p, alt, rows, year)
        alt_raws = [alt.raw]
        if vary_missing and alt.year_level is not None:
            alt_raws.append(impute_own_trend(alt.raw_frame, 0, 1, max_extrapolate=3)[0].to_numpy())
        scoped.append([_take_rows(x, arows) for raw in alt_raws for x in _norm_variants(alt, normalisations, raw)])
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
    s_choice = rng.integers(0, 2, size=n_draws) if alt_panel is not None else np.zeros(n_draws, dtype=np.int64)
    scores = np.full((rows.size, n_draws), np.nan)
    for sv, v in ((sv, v) for sv in range(len(scoped)) for v in range(len(variants))):
        for a in range(len(geos)):
            cols = np.flatnonzero((v_choice == v) & (a_choice == a) & (s_choice == sv))
            if cols.size:
                # the coverage threshold is a display rule, not a modelling choice: not applied per draw
                scores[:, cols] = _aggregate_draws(scoped[sv][v], p.membership, w_ind[:, cols], w_dim[:, cols],
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
                "vary_missing": bool(vary_missing), "drop_one": drop_one,
                "scope_draw": alt_panel is not None,
                "scopes": [panel_scope(p)] + ([panel_scope(_as_prepared(alt_panel))] if alt_panel is not None else [])}
    return SensitivityResult(summary.sort_values("median_rank").reset_index(drop=True), probs, year, n_draws, seed, settings)
