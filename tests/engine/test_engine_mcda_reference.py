"""Weights and TOPSIS against literature values (../shared/validation/mcda_weights_topsis, cited per case),
plus worked examples computed by hand in the comments."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.methods.aggregate import aggregate, topsis
from indicators.methods.coupling import coordination_grade, coupling_coordination
from indicators.methods.weights import (critic_weights, entropy_weights, entropy_weights_sum, pca_loadings,
                                        std_weights)
from .validation_data import MCDA, need


def _matrix(text: str) -> pd.DataFrame:
    rows = [[float(v) for v in r.split()] for r in text.split("|")]
    return pd.DataFrame(rows, columns=[f"c{i + 1}" for i in range(len(rows[0]))])


def test_v1_entropy_textbook_and_chinese_variant():
    """Elsayed, Dawood & Karthikeyan (2017) IJETT 46(2):60-66 (via pymcdm); the min-max row is DERIVED."""
    m = pd.read_csv(need(MCDA / "V1_entropy_elsayed2017_matrix.csv"), index_col=0)
    e = pd.read_csv(MCDA / "V1_entropy_elsayed2017_expected.csv")
    cols = ["c1", "c2", "c3", "c4", "c5"]
    published = e.iloc[0][cols].astype(float).to_numpy()
    derived = e.iloc[1][cols].astype(float).to_numpy()
    np.testing.assert_allclose(entropy_weights_sum(m).to_numpy(), published, atol=5e-7)
    np.testing.assert_allclose(entropy_weights(m).to_numpy(), derived, atol=5e-7)


def test_v2_std_and_critic():
    e = pd.read_csv(need(MCDA / "V2_std_critic_expected.csv")).set_index("case")
    col = "matrix_rows (alternatives; criteria separated by space)"
    std = std_weights(_matrix(e.loc["STD", col]))          # Jahan & Edwards (2013)
    np.testing.assert_allclose(std.round(2).to_numpy(), [float(v) for v in e.loc["STD", "expected_weights"].split()], atol=1e-9)
    cr = critic_weights(_matrix(e.loc["CRITIC", col]))    # Tuş & Adalı (2019)
    np.testing.assert_allclose(cr.round(3).to_numpy(), [float(v) for v in e.loc["CRITIC", "expected_weights"].split()], atol=1e-9)


def test_v3_topsis_minmax_and_vector():
    e = pd.read_csv(need(MCDA / "V3_topsis_expected.csv"))
    m = pd.DataFrame({"cost": e["crit1 (cost)"].astype(float), "benefit": e["crit2 (benefit)"].astype(float)})
    c = topsis(m, {"cost": 0.5, "benefit": 0.5}, {"cost": -1, "benefit": 1})
    np.testing.assert_allclose(c.round(3), e["expected_closeness_pymcdm_minmax"], atol=1e-9)
    v = topsis(m, {"cost": 0.5, "benefit": 0.5}, {"cost": -1, "benefit": 1}, normalisation="vector")
    np.testing.assert_allclose(v.round(3), e["DERIVED_vector_norm (NOT published)"], atol=1e-9)


def test_topsis_by_hand():
    # Min-max after direction: A=(1, 0), B=(0, 1), C=(0.5, 0.5); equal weights 0.5 -> A=(.5,0) B=(0,.5) C=(.25,.25)
    # ideal (.5,.5), anti (0,0): d+(C)=d-(C)=sqrt(2)*.25 -> 0.5; A: d+=.5, d-=.5 -> 0.5
    m = pd.DataFrame({"x": [10.0, 0.0, 5.0], "y": [0.0, 4.0, 2.0]}, index=list("ABC"))
    c = topsis(m)
    assert c.to_dict() == pytest.approx({"A": 0.5, "B": 0.5, "C": 0.5})


def test_pca_loadings_e15b_level2_conn():
    """COINr E15b: PC1 loadings (prcomp scale=TRUE) of the level-2 scores within Conn (sign fixed)."""
    from indicators.engine.coin import build, example_steps
    from .validation_data import asem_tables, expected
    data, meta = asem_tables()
    coin = build(data, meta, example_steps("full"))
    e = expected("E15_weights.csv")
    e = e[e["case"] == "E15b_pca_level2"].set_index("item")["value"].astype(float)
    agg = coin.datasets["Aggregated"]
    for group in ("Conn", "Sust"):
        kids = coin.tree.children(group)
        load = pca_loadings(agg[kids])
        np.testing.assert_allclose(load.abs().to_numpy(), e[kids].abs().to_numpy(), atol=1e-6)


def test_coupling_coordination_by_hand():
    # U1=0.4, U2=0.9: C = 2*sqrt(0.36)/1.3 = 1.2/1.3 = 0.923077; T = (0.4+0.9)/2 = 0.65; D = sqrt(0.6) = 0.774597
    out = coupling_coordination(pd.DataFrame({"a": [40.0, 50.0], "b": [90.0, 50.0]}), scale=100)
    assert out.loc[0, "C"] == pytest.approx(12 / 13)
    assert out.loc[0, "T"] == pytest.approx(0.65)
    assert out.loc[0, "D"] == pytest.approx(0.6 ** 0.5)
    assert out.loc[0, "grade_zh"] == "中级协调"
    # equal subsystems: C = 1, T = 0.5, D = sqrt(0.5) = 0.7071 -> 中级协调
    assert out.loc[1, "C"] == pytest.approx(1.0) and out.loc[1, "D"] == pytest.approx(0.5 ** 0.5)
    assert coordination_grade(0.05)[0] == "极度失调" and coordination_grade(0.95)[0] == "优质协调"


def test_gmean_by_hand():
    # weights 1 and 3 on 2 and 16: exp((ln2 + 3 ln16)/4) = 2^((1 + 12)/4) = 2^3.25 = 9.513657
    y = aggregate(pd.DataFrame({"a": [2.0], "b": [16.0]}), {"a": 1, "b": 3}, "gmean")
    assert y.iloc[0] == pytest.approx(2 ** 3.25)
