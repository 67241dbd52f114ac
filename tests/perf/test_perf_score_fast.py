"""score_fast.FastScorer.score (what engine.score.score_panel runs) returns exactly what the direct formulation
engine.score_reference.score_panel_reference returns."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.engine.weighting import _ranks
from indicators.engine.prepare import prepare_frame
from indicators.engine.score import score_panel as public_score_panel
from indicators.engine.score_reference import score_panel_reference as score_panel
from indicators.engine.score_fast import FastScorer, grid_ranks, group_ranks


def prepared(missing=0.1, seed=0, years=True, ties=False, min_coverage=0.0):
    rng = np.random.default_rng(seed)
    units = [f"u{i:02d}" for i in range(30)]
    idx = pd.MultiIndex.from_product([units, range(2018, 2023)], names=["unit", "year"]) if years else pd.Index(units, name="unit")
    data = rng.integers(0, 5, (len(idx), 8)).astype(float) if ties else rng.lognormal(0, 1, (len(idx), 8))
    data[rng.random(data.shape) < missing] = np.nan
    cols = [f"i{j}" for j in range(8)]
    df = pd.DataFrame(data, index=idx, columns=cols)
    return prepare_frame(df, dimensions={"a": cols[:3], "b": cols[3:5], "c": cols[5:]},
                         directions={c: (1 if j % 3 else -1) for j, c in enumerate(cols)},
                         dimension_weights={"a": 2.0, "b": 1.0, "c": 0.5}, min_coverage=min_coverage)


def same(a, b):
    pd.testing.assert_frame_equal(a.scores, b.scores)
    pd.testing.assert_series_equal(a.weights, b.weights)
    pd.testing.assert_series_equal(a.dimension_weights, b.dimension_weights)
    assert a.aggregation == b.aggregation and a.log.steps == b.log.steps


@pytest.mark.parametrize("aggregation", ["amean", "gmean", "hmean"])
@pytest.mark.parametrize("kw", [{}, {"weights": {"i1": 3.0, "i6": 0.2}}, {"dimension_weights": {"c": 4.0}},
                                {"weighting": "equal"}])
def test_equals_score_panel(aggregation, kw):
    p = prepared()
    same(score_panel(p, aggregation=aggregation, **kw), FastScorer(p).score(aggregation=aggregation, **kw))
    same(score_panel(p, aggregation=aggregation, **kw), public_score_panel(p, aggregation=aggregation, **kw))


def test_score_panel_reuses_the_scorer_of_a_panel_and_not_of_another():
    import dataclasses

    from indicators.engine.score import fast_scorer

    p = prepared()
    assert fast_scorer(p) is fast_scorer(p)
    q = dataclasses.replace(p, min_coverage=0.9)
    assert fast_scorer(q) is not fast_scorer(p)
    same(score_panel(q, weights={"i2": 4.0}), public_score_panel(q, weights={"i2": 4.0}))


@pytest.mark.parametrize("opts", [dict(ties=True), dict(years=False), dict(min_coverage=0.8, missing=0.3)])
def test_equals_score_panel_with_ties_no_years_and_coverage_rule(opts):
    p = prepared(**opts)
    scorer = FastScorer(p)
    for w in ({}, {"i0": 2.5}, {"i4": 0.0}):
        same(score_panel(p, weights=w), scorer.score(weights=w))


def test_group_ranks_equal_the_engine_ranks():
    rng = np.random.default_rng(2)
    s = rng.integers(0, 20, 5000).astype(float)
    s[rng.random(5000) < 0.05] = np.nan
    g = rng.integers(0, 40, 5000)
    np.testing.assert_array_equal(group_ranks(s, g), _ranks(s, g))


def test_grid_ranks_equal_the_engine_ranks_and_the_grid_is_detected():
    p = prepared(missing=0.0, ties=True)
    assert FastScorer(p).grid == (30, 5)
    assert FastScorer(prepared(years=False)).grid is None
    rng = np.random.default_rng(4)
    scores = rng.integers(0, 6, (30 * 5, 4)).astype(float)
    scores[rng.random(scores.shape) < 0.1] = np.nan
    groups = np.repeat(np.tile(np.arange(5), 30), 4) * 4 + np.tile(np.arange(4), 150)
    np.testing.assert_array_equal(grid_ranks(scores, 30, 5), _ranks(scores.ravel(), groups))
