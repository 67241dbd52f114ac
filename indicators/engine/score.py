"""Scoring, the fast step of the index: weight and aggregate a prepared panel on every slider move.

``score_panel`` runs the panel's cached :class:`~indicators.engine.score_fast.FastScorer`; the direct
formulation the tests compare it with is :func:`indicators.engine.score_reference.score_panel_reference`.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Mapping

import numpy as np

from indicators.engine.result import IndexResult
from indicators.engine.score_fast import FastScorer
from indicators.engine.types import PreparedPanel
from indicators.engine.weighting import _weights_matrix, score_arrays


_SCORERS: "OrderedDict[int, tuple]" = OrderedDict()   # id(prepared) → (prepared, fingerprint, FastScorer)
SCORER_CACHE_SIZE = 4


def _fingerprint(prepared: PreparedPanel) -> tuple:
    """What a FastScorer depends on, cheaply: the arrays (identity and shape), membership, coverage rule."""
    x = prepared.normalised
    return (id(x), x.shape, x.__array_interface__["data"][0], id(prepared.units), prepared.membership.tobytes(),
            prepared.min_coverage, tuple(prepared.indicators), tuple(prepared.dimensions))


def fast_scorer(prepared: PreparedPanel):
    """The :class:`indicators.engine.score_fast.FastScorer` of ``prepared`` (its weight-independent work done once
    and kept for the last few panels scored)."""
    key = id(prepared)
    fp = _fingerprint(prepared)
    hit = _SCORERS.get(key)
    if hit is not None and hit[0] is prepared and hit[1] == fp:
        _SCORERS.move_to_end(key)
        return hit[2]
    scorer = FastScorer(prepared)
    _SCORERS[key] = (prepared, fp, scorer)
    while len(_SCORERS) > SCORER_CACHE_SIZE:
        _SCORERS.popitem(last=False)
    return scorer


def score_panel(prepared: PreparedPanel, weights: Mapping[str, float] | None = None,
                dimension_weights: Mapping[str, float] | None = None, aggregation: str | None = None,
                weighting: str = "expert") -> IndexResult:
    """Weight and aggregate a prepared panel (fast; call on every weight change).

    ``weights``: indicator → weight overrides (within its dimension); ``dimension_weights``: dimension →
    weight overrides; ``weighting``: 'expert' (framework), 'equal', or an objective method ('entropy',
    'critic', 'std', 'pca') applied within each dimension; ``aggregation``: 'amean' | 'gmean' | 'hmean'.
    Missing values drop out with their weights (re-weighted within the dimension); a dimension without
    data has score NaN and coverage 0; the index is NaN when its coverage < the framework's minimum.

    Computed by the panel's cached :class:`~indicators.engine.score_fast.FastScorer` (masks, level-1 matrices,
    year groups and label columns prepared once; ranks per (year, dimension) row): the same result as
    :func:`indicators.engine.score_reference.score_panel_reference`, the direct formulation the tests compare against.
    """
    return fast_scorer(prepared).score(weights=weights, dimension_weights=dimension_weights,
                                       aggregation=aggregation, weighting=weighting)


def score_only(prepared: PreparedPanel, weights: Mapping[str, float] | None = None,
               dimension_weights: Mapping[str, float] | None = None, aggregation: str = "amean") -> np.ndarray:
    """The index score per unit only (no tidy frame): the cheapest call for sliders and benchmarks."""
    m = _weights_matrix(prepared, weights, "expert")
    dw = prepared.dimension_weights.copy()
    for k, v in dict(dimension_weights or {}).items():
        if k in prepared.dimensions:
            dw[prepared.dimensions.index(k)] = float(v)
    return score_arrays(prepared, m, dw, aggregation)[2]
