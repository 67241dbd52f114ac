"""Boundary sensitivity inside the index's Monte Carlo (issue 11): with a second panel prepared on the other metro
scope, each draw also picks the scope (equally likely). Fast path and reference give the same draws and results;
runs without the option are unchanged (tests/perf/test_perf_montecarlo_fast.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.engine.prepare import prepare_frame
from indicators.engine.robustness import sensitivity
from indicators.engine.robustness_fast import sensitivity_fast
from indicators.engine.robustness_reference import sensitivity_reference


def _frame(data: np.ndarray, units: list[str], years=(2020,)) -> object:
    idx = pd.MultiIndex.from_product([units, list(years)], names=["unit", "year"])
    cols = [f"i{j}" for j in range(data.shape[1])]
    dims = {"a": cols[: max(1, len(cols) // 2)], "b": cols[max(1, len(cols) // 2):] or cols[:1]}
    return prepare_frame(pd.DataFrame(data, index=idx, columns=cols), dimensions=dims)


def _compare(a, b):
    sa = a.summary.sort_values("unit").reset_index(drop=True)
    sb = b.summary.sort_values("unit").reset_index(drop=True)
    pd.testing.assert_frame_equal(sa, sb, check_dtype=False, atol=1e-9)
    pd.testing.assert_frame_equal(a.rank_probabilities.sort_index(), b.rank_probabilities.sort_index(), atol=1e-12)
    assert a.settings == b.settings


def test_opposite_orders_in_the_two_scopes_give_ranks_near_fifty_fifty():
    # scope 1: A far ahead of B on every indicator; scope 2: the reverse. Weight noise, normalisation, aggregation
    # and dropping one indicator never change who leads within a scope, so the rank is the scope draw alone.
    units = ["A", "B", "C"]
    plan = _frame(np.array([[90.0, 80, 85, 95], [20, 30, 25, 10], [5, 4, 3, 2]]), units)
    ext = _frame(np.array([[20.0, 30, 25, 10], [90, 80, 85, 95], [5, 4, 3, 2]]), units)
    without = sensitivity(plan, n_draws=2000, seed=3)
    assert without.rank_probabilities.loc["A", 1] == 1.0
    res = sensitivity(plan, n_draws=2000, seed=3, alt_panel=ext)
    probs = res.rank_probabilities
    assert 0.45 < probs.loc["A", 1] < 0.55 and 0.45 < probs.loc["B", 1] < 0.55
    assert abs(probs.loc["A", 1] - probs.loc["B", 2]) < 1e-12          # A first exactly when B second
    assert probs.loc["C", 3] == 1.0                                     # C last in both scopes
    assert res.settings["scope_draw"] is True
    _compare(sensitivity_reference(plan, n_draws=2000, seed=3, alt_panel=ext), res)


@pytest.mark.parametrize("missing", [0.0, 0.1])
@pytest.mark.parametrize("seed", [0, 5])
def test_fast_path_equals_reference_with_the_scope_draw(missing, seed):
    rng = np.random.default_rng(seed)
    units = [f"u{i:02d}" for i in range(30)]
    a = rng.lognormal(0, 1, (60, 8))
    b = a * rng.lognormal(0, 0.4, a.shape)                              # the other scope: correlated, not equal
    for x in (a, b):
        if missing:
            x[rng.random(x.shape) < missing] = np.nan
    p, q = _frame(a, units, (2020, 2021)), _frame(b, units, (2020, 2021))
    ref = sensitivity_reference(p, n_draws=500, seed=seed, alt_panel=q)
    _compare(ref, sensitivity_fast(p, n_draws=500, seed=seed, alt_panel=q))
    # without the option, the first draws are those of today's run (the scope is drawn after everything else)
    assert sensitivity(p, n_draws=500, seed=seed).settings["scope_draw"] is False


def test_a_unit_missing_from_the_other_scope_is_unscored_in_its_draws():
    plan = _frame(np.array([[3.0, 2], [2, 3], [1, 1]]), ["A", "B", "C"])
    ext = _frame(np.array([[3.0, 2], [2, 3]]), ["A", "B"])
    res = sensitivity(plan, n_draws=400, seed=1, alt_panel=ext)
    n_c = int(res.summary.set_index("unit").loc["C", "n_valid"])
    assert 120 < n_c < 280 and int(res.summary.set_index("unit").loc["A", "n_valid"]) == 400
    _compare(sensitivity_reference(plan, n_draws=400, seed=1, alt_panel=ext), res)


def test_a_panel_of_another_framework_is_refused():
    plan = _frame(np.array([[3.0, 2], [2, 3], [1, 1]]), ["A", "B", "C"])
    other = _frame(np.array([[3.0, 2, 1], [2, 3, 1], [1, 1, 1]]), ["A", "B", "C"])
    with pytest.raises(ValueError, match="same indicators"):
        sensitivity(plan, n_draws=10, alt_panel=other)


def test_default_data_a_metro_that_moves_between_scopes_gets_a_wider_rank_interval(default_db):
    from indicators.engine.boundary import scope_rank_movement
    from indicators.engine.evidence import only_units
    from indicators.engine.prepare import prepare_panel
    from indicators.store.db import shared_connection

    con = shared_connection(default_db)      # the session's connection (other tests hold the file open too)
    move = scope_rank_movement(con, "qigeyi")
    year = int(move["year"].iloc[0])
    plan = prepare_panel(con, "qigeyi", (2010, 2023), scope="plan")
    ext = prepare_panel(con, "qigeyi", (2010, 2023), scope="extended")
    both = move.dropna(subset=["rank_plan", "rank_extended"])
    mover = both.loc[both["rank_change"].astype(float).abs().idxmax()]
    assert abs(int(mover["rank_change"])) >= 2, "the default data should have a metro whose rank moves"
    units = set(both["metro_id"])
    kw = dict(n_draws=1000, seed=0, year=year)
    base = sensitivity(only_units(plan, units), **kw).summary.set_index("unit")
    scoped = sensitivity(only_units(plan, units), alt_panel=only_units(ext, units), **kw)
    s = scoped.summary.set_index("unit")
    m = mover["metro_id"]
    assert s.loc[m, "p95"] - s.loc[m, "p05"] > base.loc[m, "p95"] - base.loc[m, "p05"]
    # the movers as a group are less certain, and the scopes are recorded
    movers = list(both.loc[both["rank_change"].astype(float) != 0, "metro_id"])
    assert ((s.loc[movers, "p95"] - s.loc[movers, "p05"]).sum()
            > (base.loc[movers, "p95"] - base.loc[movers, "p05"]).sum())
    assert scoped.settings["scopes"] == ["plan", "extended"]
