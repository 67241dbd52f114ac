"""Weighting: a units × indicators frame → one weight per indicator (a Series summing to 1).

Objective methods look at the data only:
* ``entropy`` (熵权法, common Chinese variant): min-max normalise each column (direction applied), then
  p_ij = z_ij / Σ_i z_ij, e_j = −Σ p ln p / ln m (0·ln0 := 0), d_j = 1 − e_j, w = d / Σd.
  An optional ``shift`` (e.g. 0.0001) is added to z first, as some papers do.
* ``entropy_sum`` (textbook variant, as in pymcdm and Elsayed et al. 2017): the same on p_ij = x_ij / Σ_i x_ij
  of the RAW values (requires non-negative data).
* ``critic``: min-max normalise, C_j = sd_j (ddof 1) × Σ_k (1 − r_jk) with Pearson r; w = C / ΣC.
* ``std``: sd_j / Σ sd on the given values.
* ``pca``: squared loadings of the first principal component of the correlation matrix (complete rows).
Expert weights come from the framework and are only normalised here (``expert``).
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import pandas as pd

from indicators.methods.frames import direction_vector, numeric_frame
from indicators.methods.normalise import minmax
from indicators.methods.registry import Registry

Weighter = Callable[..., pd.Series]
WEIGHTERS: Registry[Weighter] = Registry("weighting")


def _to_series(values, columns, equal_if_degenerate: bool = False) -> pd.Series:
    """Normalise to sum 1. Objective methods whose data carry no information at all (every column
    constant, or all perfectly correlated for CRITIC) fall back to equal weights, noted in ``attrs``."""
    w = pd.Series(np.asarray(values, dtype=np.float64), index=list(columns))
    w = w.where(w.abs() > 1e-12, 0.0)
    total = w.sum()
    if equal_if_degenerate and np.isfinite(total) and total <= 1e-12:
        out = pd.Series(1.0 / len(w), index=w.index)
        out.attrs["note"] = "data carry no information for this method: equal weights used"
        return out
    if not np.isfinite(total) or total <= 0:
        raise ValueError("weights cannot be normalised (sum is zero or not finite)")
    return w / total


@WEIGHTERS.register("equal", "等权", "equal weights")
def equal_weights(frame: pd.DataFrame, directions=None) -> pd.Series:
    """1 / n for every column."""
    return _to_series(np.ones(frame.shape[1]), frame.columns)


@WEIGHTERS.register("expert", "专家权重(框架设定)", "expert weights (from the framework)")
def expert_weights(frame: pd.DataFrame, directions=None, weights: Mapping[str, float] | None = None) -> pd.Series:
    """The given weights (e.g. the framework's) for the frame's columns, normalised to sum to 1."""
    if weights is None:
        raise ValueError("expert weighting needs the weights")
    return _to_series([float(dict(weights).get(c, 0.0)) for c in frame.columns], frame.columns)


def _entropy_from_shares(z: np.ndarray) -> np.ndarray:
    """Entropy weights from non-negative column data z (NaN ignored per column)."""
    m = np.sum(~np.isnan(z), axis=0).astype(float)
    col_sum = np.nansum(z, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = z / col_sum
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
        e = -np.nansum(plogp, axis=0) / np.log(m)
    e = np.where(m > 1, e, 1.0)          # one value carries no information
    e = np.where(col_sum > 0, e, 1.0)    # an all-zero column carries no information
    d = 1.0 - e
    return d


@WEIGHTERS.register("entropy", "熵权法(极差标准化后, 国内常用)", "entropy weights (min-max variant, common Chinese recipe)")
def entropy_weights(frame: pd.DataFrame, directions=None, shift: float = 0.0) -> pd.Series:
    """熵权法 on min-max normalised values (directions applied), 0·ln0 := 0; optional shift added to z."""
    z = minmax(frame, directions, 0.0, 1.0).to_numpy() + shift
    return _to_series(_entropy_from_shares(z), frame.columns, True)


@WEIGHTERS.register("entropy_sum", "熵权法(原始值比重, 教科书)", "entropy weights (textbook, shares of raw values)")
def entropy_weights_sum(frame: pd.DataFrame, directions=None) -> pd.Series:
    """Textbook entropy weights on p_ij = x_ij / Σ_i x_ij of the raw (non-negative) values."""
    x = numeric_frame(frame).to_numpy()
    if np.nanmin(x) < 0:
        raise ValueError("the textbook entropy variant needs non-negative values; use 'entropy' (min-max)")
    return _to_series(_entropy_from_shares(x), frame.columns, True)


@WEIGHTERS.register("critic", "CRITIC 法", "CRITIC")
def critic_weights(frame: pd.DataFrame, directions=None) -> pd.Series:
    """CRITIC (Diakoulaki et al. 1995): contrast (sd of min-max values) × conflict (Σ 1 − r)."""
    z = minmax(frame, directions, 0.0, 1.0)
    sd = z.std(axis=0, ddof=1).to_numpy()
    r = z.corr(method="pearson").to_numpy()
    r = np.where(np.isnan(r), 0.0, r)
    c = sd * np.sum(1.0 - r, axis=0)
    return _to_series(c, frame.columns, True)


@WEIGHTERS.register("std", "标准差法", "standard deviation")
def std_weights(frame: pd.DataFrame, directions=None) -> pd.Series:
    """sd_j (ddof 1) / Σ sd on the given values (normalise first if units differ)."""
    return _to_series(numeric_frame(frame).std(axis=0, ddof=1).to_numpy(), frame.columns, True)


def pca_loadings(frame: pd.DataFrame) -> pd.Series:
    """First principal component loadings (eigenvector) of the correlation matrix of complete rows.

    The sign is fixed so that the loadings sum to a positive number.
    """
    x = numeric_frame(frame).dropna()
    if len(x) < 3:
        raise ValueError("PCA needs at least three complete rows")
    corr = np.corrcoef(x.to_numpy(), rowvar=False)
    vals, vecs = np.linalg.eigh(corr)
    v = vecs[:, np.argmax(vals)]
    if v.sum() < 0:
        v = -v
    return pd.Series(v, index=frame.columns)


@WEIGHTERS.register("pca", "主成分法(第一主成分载荷平方)", "PCA (squared PC1 loadings)")
def pca_weights(frame: pd.DataFrame, directions=None) -> pd.Series:
    """Squared first-component loadings of the correlation matrix (they sum to 1)."""
    return _to_series(pca_loadings(frame).to_numpy() ** 2, frame.columns)


def compute_weights(frame: pd.DataFrame, method: str = "equal", directions=None, **params) -> pd.Series:
    """Weights by the registered method ``method`` (see WEIGHTERS)."""
    return WEIGHTERS.get(method)(frame, directions, **params)
