"""robustness.sensitivity (= robustness_fast.sensitivity_fast) gives the reference Monte Carlo results (same seed,
same draws) as robustness.sensitivity_reference, the direct matrix formulation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.engine.prepare import prepare_frame
from indicators.engine.robustness import sensitivity as public_sensitivity
from indicators.engine.robustness_reference import sensitivity_reference as sensitivity
from indicators.engine.robustness_fast import effective_weights, sensitivity_fast


def frame(n_units=40, n_years=3, k=9, missing=0.0, seed=0):
    rng = np.random.default_rng(seed)
    idx = pd.MultiIndex.from_product([[f"u{i:03d}" for i in range(n_units)], range(2020, 2020 + n_years)],
                                     names=["unit", "year"])
    data = rng.lognormal(0, 1, (len(idx), k))
    if missing:
        data[rng.random(data.shape) < missing] = np.nan
    cols = [f"i{j}" for j in range(k)]
    dims = {"a": cols[:3], "b": cols[3:4], "c": cols[4:]}          # 'b' has one indicator: drop-one empties it
    directions = {c: (-1 if j % 4 == 0 else 1) for j, c in enumerate(cols)}
    return prepare_frame(pd.DataFrame(data, index=idx, columns=cols), dimensions=dims, directions=directions,
                         dimension_weights={"a": 2.0, "b": 1.0, "c": 1.5})


def compare(a, b):
    sa = a.summary.sort_values("unit").reset_index(drop=True)
    sb = b.summary.sort_values("unit").reset_index(drop=True)
    pd.testing.assert_frame_equal(sa, sb, check_dtype=False, atol=1e-9)
    pd.testing.assert_frame_equal(a.rank_probabilities.sort_index(), b.rank_probabilities.sort_index(), atol=1e-12)
    assert a.year == b.year and a.settings == b.settings


@pytest.mark.parametrize("missing", [0.0, 0.08])
@pytest.mark.parametrize("seed", [0, 7])
def test_same_results_as_the_engine(missing, seed):
    p = frame(missing=missing, seed=seed)
    ref = sensitivity(p, n_draws=400, seed=seed)
    compare(ref, sensitivity_fast(p, n_draws=400, seed=seed))
    compare(ref, public_sensitivity(p, n_draws=400, seed=seed))


def test_exact_ties_are_ranked_in_unit_order_like_the_reference():
    idx = pd.MultiIndex.from_product([[f"u{i}" for i in range(12)], [2020]], names=["unit", "year"])
    data = np.repeat(np.arange(4, dtype=float), 3)[:, None] * np.ones((1, 3))   # groups of three equal units
    p = prepare_frame(pd.DataFrame(data, index=idx, columns=["a", "b", "c"]), dimensions={"d": ["a", "b", "c"]})
    kw = dict(n_draws=200, seed=4, normalisations=("minmax", "rank"))
    compare(sensitivity(p, **kw), sensitivity_fast(p, **kw))


def test_blocks_and_threads_do_not_change_the_result(monkeypatch):
    import indicators.engine.robustness_fast as rf

    p = frame(n_units=60, missing=0.05, seed=11)
    want = sensitivity(p, n_draws=700, seed=5)
    monkeypatch.setattr(rf, "BLOCK_DRAWS", 37)
    compare(want, sensitivity_fast(p, n_draws=700, seed=5))
    monkeypatch.setattr(rf, "_threads", lambda: 1)
    compare(want, sensitivity_fast(p, n_draws=700, seed=5))


def test_same_results_with_one_aggregation_and_no_drop():
    p = frame(seed=3)
    kw = dict(n_draws=300, seed=2, aggregations=("gmean",), drop_one=False, normalisations=("minmax",))
    compare(sensitivity(p, **kw), sensitivity_fast(p, **kw))


def test_effective_weights_reproduce_the_two_level_mean():
    rng = np.random.default_rng(1)
    member = np.array([[1.0, 0], [2.0, 0], [0, 1.0], [0, 0.5]])
    w_ind = rng.uniform(0.5, 1.5, (4, 6))
    w_ind[2, 0] = 0.0
    w_ind[3, 0] = 0.0                                                 # draw 0: dimension 2 is empty
    w_dim = rng.uniform(0.5, 1.5, (2, 6))
    x = rng.uniform(0, 100, (5, 4))
    got = x @ effective_weights(member, w_ind, w_dim)
    for d in range(6):
        dims = []
        for j in range(2):
            w = w_ind[:, d] * member[:, j]
            if w.sum() > 0:
                dims.append(((x @ w) / w.sum(), w_dim[j, d]))
        want = sum(s * wd for s, wd in dims) / sum(wd for _, wd in dims)
        np.testing.assert_allclose(got[:, d], want)


def test_rank_variant_equals_the_engine_rank_normaliser_with_ties_and_gaps():
    from indicators.methods.normalise import normalize
    from indicators.engine.robustness_fast import _panel_rank_rows

    rng = np.random.default_rng(5)
    data = rng.integers(0, 6, (200, 4)).astype(float)                # many ties
    data[rng.random(data.shape) < 0.1] = np.nan
    data[:, 3] = np.nan
    data[0, 3] = 1.0                                                  # a column with one value: NaN everywhere
    df = pd.DataFrame(data, columns=list("abcd"))
    directions = {"a": 1, "b": -1, "c": 1, "d": 1}
    rows = np.arange(20, 80)
    want = normalize(df, "rank", directions).to_numpy()[rows]
    np.testing.assert_allclose(_panel_rank_rows(df, directions, rows), want, equal_nan=True)
