"""Helpers shared by the methods: clean numeric frames, direction vectors, quiet NaNs.

R's NA_real_ read through some converters is a *signalling* NaN (bit pattern 0x7FF00000000007A2);
numpy's nan-reductions can return wrong results on it (see ../shared/validation/README.md). Every
method therefore passes its input through :func:`numeric_frame` / :func:`quiet_nan`, which rewrite
any NaN as the ordinary quiet NaN.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd


def quiet_nan(values) -> np.ndarray:
    """A float64 copy of ``values`` with every NaN (signalling or quiet) replaced by a quiet NaN."""
    arr = np.array(values, dtype=np.float64, copy=True)
    arr[np.isnan(arr)] = np.nan
    return arr


def numeric_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as float64 with quiet NaNs; index and columns kept."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame (units × indicators), got {type(frame).__name__}")
    return pd.DataFrame(quiet_nan(frame.to_numpy(dtype=np.float64, na_value=np.nan)), index=frame.index, columns=frame.columns)


def direction_vector(columns, directions: Mapping[str, int] | pd.Series | None) -> np.ndarray:
    """+1 / -1 per column (default +1). 0 means 'closer to target is better' (needs targets)."""
    if directions is None:
        return np.ones(len(columns))
    d = dict(directions)
    out = np.array([float(d.get(c, 1)) for c in columns])
    bad = [c for c, v in zip(columns, out) if v not in (1.0, -1.0, 0.0)]
    if bad:
        raise ValueError(f"directions must be +1, -1 or 0; bad for {bad}")
    return out


def weight_vector(columns, weights: Mapping[str, float] | pd.Series | None) -> np.ndarray:
    """Weights aligned to ``columns`` (missing columns get 0; None means equal)."""
    if weights is None:
        return np.ones(len(columns))
    w = pd.Series(weights, dtype=np.float64)
    out = np.array([float(w.get(c, 0.0)) for c in columns])
    if np.any(out < 0) or not np.all(np.isfinite(out)):
        raise ValueError("weights must be finite and non-negative")
    return out
