"""Property tests (hypothesis) for the methods."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from indicators.methods.aggregate import aggregate, topsis
from indicators.methods.normalise import normalize
from indicators.methods.weights import WEIGHTERS, compute_weights, entropy_weights

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.5, max_value=1e6, allow_nan=False, allow_infinity=False)


def frames(elements=values, min_rows=3, max_rows=12, min_cols=2, max_cols=5):
    @st.composite
    def build(draw):
        n = draw(st.integers(min_rows, max_rows))
        k = draw(st.integers(min_cols, max_cols))
        arr = draw(arrays(np.float64, (n, k), elements=elements))
        # keep columns informative: distinct values per column
        arr = arr + np.arange(n)[:, None] * 1e-3 * (1 + np.abs(arr).max())
        return pd.DataFrame(arr, columns=[f"i{j}" for j in range(k)])
    return build()


FAST = settings(max_examples=40, deadline=None)


@FAST
@given(frames())
def test_minmax_within_unit_interval(df):
    out = normalize(df, "minmax", lower=0, upper=1)
    v = out.to_numpy()
    assert np.nanmin(v) >= -1e-12 and np.nanmax(v) <= 1 + 1e-12


@FAST
@given(frames(), st.sampled_from(["equal", "entropy", "critic", "std"]))
def test_weights_sum_to_one(df, method):
    w = compute_weights(df, method)
    assert abs(w.sum() - 1) < 1e-9 and (w >= -1e-15).all()


@FAST
@given(frames(min_cols=1, max_cols=1), st.sampled_from(["minmax", "zscore", "rank"]))
def test_reversing_direction_reverses_order(df, method):
    up = normalize(df, method, {"i0": 1})["i0"]
    down = normalize(df, method, {"i0": -1})["i0"]
    order_up = np.argsort(up.to_numpy(), kind="stable")
    # strictly reversed ordering of distinct values
    assert np.all(np.diff(down.to_numpy()[order_up]) <= 1e-9)


@FAST
@given(frames(), st.floats(min_value=1e-3, max_value=1e3))
def test_positive_rescaling_invariance(df, factor):
    scaled = df.copy()
    scaled["i0"] = scaled["i0"] * factor
    for method in ("minmax", "zscore"):
        a, b = normalize(df, method), normalize(scaled, method)
        np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), atol=1e-6, rtol=1e-6)
    np.testing.assert_allclose(entropy_weights(df).to_numpy(), entropy_weights(scaled).to_numpy(), atol=1e-9)


@FAST
@given(frames(elements=positive))
def test_aggregates_lie_between_min_and_max(df):
    norm = normalize(df, "minmax", lower=1, upper=100)
    lo, hi = norm.min(axis=1), norm.max(axis=1)
    for method in ("amean", "gmean", "hmean"):
        y = aggregate(norm, None, method)
        assert ((y >= lo - 1e-9) & (y <= hi + 1e-9)).all()


@FAST
@given(frames())
def test_topsis_in_unit_interval(df):
    c = topsis(df)
    assert ((c >= -1e-12) & (c <= 1 + 1e-12)).all()


def test_every_weighting_method_is_registered_with_labels():
    for info in WEIGHTERS:
        assert info.label_zh and info.label_en


@settings(max_examples=15, deadline=None)
@given(frames(elements=positive, min_rows=6, max_rows=15, min_cols=4, max_cols=4), st.integers(1, 5))
def test_rebuilding_from_the_log_reproduces(df, winmax):
    """A COIN-layout build replayed from its (JSON) log gives the same scores."""
    from indicators.engine.log import BuildLog, Step
    from indicators.engine.coin import build, regen
    data = df.copy()
    data.insert(0, "uCode", [f"u{i}" for i in range(len(df))])
    meta = pd.DataFrame({"iCode": list(df.columns) + ["P1", "P2", "Index"],
                         "Parent": ["P1", "P1", "P2", "P2", "Index", "Index", None],
                         "Level": [1, 1, 1, 1, 2, 2, 3], "Direction": [1, -1, 1, 1, 1, 1, 1],
                         "Weight": [1, 2, 1, 1, 1, 3, 1], "Type": ["Indicator"] * 4 + ["Aggregate"] * 3})
    steps = [Step("treat", {"dset": "Raw", "winmax": winmax}), Step("normalise", {"dset": "Treated"}),
             Step("aggregate", {"dset": "Normalised"})]
    coin = build(data, meta, steps)
    again = regen(coin)
    via_json = build(data, meta, BuildLog.from_json(coin.log.to_json()))
    pd.testing.assert_frame_equal(coin.datasets["Aggregated"], again.datasets["Aggregated"])
    pd.testing.assert_frame_equal(coin.datasets["Aggregated"], via_json.datasets["Aggregated"])
