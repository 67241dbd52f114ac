"""Aggregation: a units × indicators frame of normalised scores + weights → one score per unit.

Missing values are never zeros: a unit's missing indicators are dropped together with their
weights and the remaining weights renormalised (COINr a_amean). ``dat_thresh`` (0–1) returns NaN
when the unit's share of available indicators is below it.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import pandas as pd

from indicators.methods.frames import direction_vector, numeric_frame, weight_vector
from indicators.methods.normalise import minmax
from indicators.methods.registry import Registry

Aggregator = Callable[..., np.ndarray]
AGGREGATORS: Registry[Aggregator] = Registry("aggregation")


def _masked(x: np.ndarray, w: np.ndarray):
    avail = ~np.isnan(x)
    wm = np.where(avail, w, 0.0)
    return avail, wm, np.where(avail, x, 0.0)


@AGGREGATORS.register("amean", "加权算术平均", "weighted arithmetic mean")
def amean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ w x / Σ w over available values (rows: units; the last axis: indicators)."""
    avail, wm, xz = _masked(x, w)
    sw = wm.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sw > 0, (wm * xz).sum(axis=-1) / sw, np.nan)


@AGGREGATORS.register("gmean", "加权几何平均", "weighted geometric mean")
def gmean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """exp(Σ w ln x / Σ w) over available values; needs x > 0 (NaN where a value is ≤ 0)."""
    avail, wm, xz = _masked(x, w)
    sw = wm.sum(axis=-1)
    nonpos = np.any(avail & (xz <= 0) & (wm > 0), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        lx = np.log(np.where(xz > 0, xz, 1.0))
        out = np.exp((wm * lx).sum(axis=-1) / sw)
    return np.where((sw > 0) & ~nonpos, out, np.nan)


@AGGREGATORS.register("hmean", "加权调和平均", "weighted harmonic mean")
def hmean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ w / Σ (w / x) over available values (COINr a_hmean); needs x > 0."""
    avail, wm, xz = _masked(x, w)
    sw = wm.sum(axis=-1)
    nonpos = np.any(avail & (xz <= 0) & (wm > 0), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = sw / (wm / np.where(xz > 0, xz, 1.0)).sum(axis=-1)
    return np.where((sw > 0) & ~nonpos, out, np.nan)


def aggregate(frame: pd.DataFrame, weights: Mapping[str, float] | pd.Series | None = None,
              method: str = "amean", dat_thresh: float | None = None) -> pd.Series:
    """Aggregate the columns of ``frame`` into one score per row with the registered ``method``.

    ``weights`` maps column → weight (None = equal; they need not sum to 1). Missing values drop out
    with their weights. ``dat_thresh``: NaN for rows whose available share of columns is below it.
    """
    x = numeric_frame(frame).to_numpy()
    w = weight_vector(frame.columns, weights)
    out = AGGREGATORS.get(method)(x, w)
    if dat_thresh is not None:
        share = (~np.isnan(x)).sum(axis=1) / max(x.shape[1], 1)
        out = np.where(share < dat_thresh - 1e-12, np.nan, out)
    return pd.Series(out, index=frame.index, name=method)


def topsis(frame: pd.DataFrame, weights: Mapping[str, float] | pd.Series | None = None, directions=None,
           normalisation: str = "minmax") -> pd.Series:
    """TOPSIS closeness coefficient d⁻ / (d⁺ + d⁻) in [0, 1].

    ``normalisation``: 'minmax' (each column to [0, 1] after direction, as pymcdm's default) or
    'vector' (x / ‖x‖, with the ideal taken per direction). Rows with missing values get NaN.
    """
    x = numeric_frame(frame)
    w = weight_vector(frame.columns, weights)
    w = w / w.sum()
    d = direction_vector(frame.columns, directions)
    if normalisation == "minmax":
        z = minmax(x, directions, 0.0, 1.0).to_numpy() * w
        ideal = np.nanmax(z, axis=0)
        anti = np.nanmin(z, axis=0)
    elif normalisation == "vector":
        v = x.to_numpy()
        z = v / np.sqrt(np.nansum(v ** 2, axis=0)) * w
        ideal = np.where(d > 0, np.nanmax(z, axis=0), np.nanmin(z, axis=0))
        anti = np.where(d > 0, np.nanmin(z, axis=0), np.nanmax(z, axis=0))
    else:
        raise ValueError(f"unknown TOPSIS normalisation {normalisation!r}; use 'minmax' or 'vector'")
    d_plus = np.sqrt(np.sum((z - ideal) ** 2, axis=1))
    d_minus = np.sqrt(np.sum((z - anti) ** 2, axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        c = d_minus / (d_plus + d_minus)
    return pd.Series(c, index=frame.index, name="topsis")
