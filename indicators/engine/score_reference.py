"""The reference scorer: :func:`score_panel_reference` is the index written directly (masks and ranks the
whole panel on every call), the specification the fast scorer is tested against. Not used by the product.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from indicators.engine.result import IndexResult, _index_result
from indicators.engine.types import INDEX, PreparedPanel
from indicators.engine.weighting import _ranks, _weights_matrix, score_arrays


def score_panel_reference(prepared: PreparedPanel, weights: Mapping[str, float] | None = None,
                          dimension_weights: Mapping[str, float] | None = None, aggregation: str | None = None,
                          weighting: str = "expert") -> IndexResult:
    """:func:`indicators.engine.score.score_panel` written directly (masks and ranks the whole panel on every call); same parameters."""
    aggregation = aggregation or prepared.meta.get("aggregation", "amean")
    m = _weights_matrix(prepared, weights, weighting)
    dw = prepared.dimension_weights.copy()
    for k, v in dict(dimension_weights or {}).items():
        if k in prepared.dimensions:
            dw[prepared.dimensions.index(k)] = float(v)
    dim_scores, dim_cov, idx, cov = score_arrays(prepared, m, dw, aggregation)
    units = prepared.units
    n = len(units)
    unit_ids = units.get_level_values(0).to_numpy()
    has_years = prepared.year_level is not None and prepared.year_level in (units.names or [])
    years = units.get_level_values(prepared.year_level).to_numpy() if has_years else np.zeros(n, dtype=int)
    all_scores = np.column_stack([idx, dim_scores])
    all_cov = np.column_stack([cov, dim_cov])
    names = [INDEX] + prepared.dimensions
    k = len(names)
    score_flat = all_scores.ravel()
    # rank every (year, dimension) group in one vectorised pass
    year_codes = pd.factorize(years)[0] if n else np.zeros(0, dtype=np.int64)
    groups = (np.repeat(year_codes, k) * k + np.tile(np.arange(k), n)) if n else None
    ranks = _ranks(score_flat, groups)
    scores = pd.DataFrame({
        "metro_id": pd.Index(unit_ids).repeat(k) if n else pd.Index([], dtype=str),
        "year": np.repeat(years, k) if has_years else pd.array([pd.NA] * (n * k), dtype="Int64"),
        "dimension": pd.Index(names).take(np.tile(np.arange(k), n)) if n else pd.Index([], dtype=str),
        "score": score_flat,
        "rank": pd.array(ranks, dtype="Int64") if n else pd.array([], dtype="Int64"),
        "coverage": all_cov.ravel(),
    })
    return _index_result(prepared, scores, m, dw, weights, dimension_weights, weighting, aggregation)
