"""Denomination (per capita, per km², per unit of GDP) and screening of units by data availability."""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from indicators.methods.frames import numeric_frame


def denominate(frame: pd.DataFrame, denominators: pd.DataFrame, spec: Mapping[str, str],
               scale: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Divide each column named in ``spec`` (column → denominator column) by that denominator.

    ``denominators`` has the same rows as ``frame``; ``scale`` multiplies the ratio (e.g. 1e4 for per 万人).
    Columns not in ``spec`` are returned unchanged. A zero denominator gives NaN, never infinity.
    """
    out = numeric_frame(frame)
    den = numeric_frame(denominators)
    for col, dcol in spec.items():
        if not dcol or col not in out.columns:
            continue
        d = den[dcol].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = out[col].to_numpy() / np.where(d != 0, d, np.nan)
        out[col] = ratio * float((scale or {}).get(col, 1.0))
    return out


def availability(frame: pd.DataFrame) -> pd.Series:
    """Share of non-missing indicators per unit (row)."""
    x = numeric_frame(frame)
    return x.notna().sum(axis=1) / max(x.shape[1], 1)


def screen_units(frame: pd.DataFrame, dat_thresh: float = 0.9) -> tuple[pd.DataFrame, list]:
    """Keep units whose availability ≥ ``dat_thresh``; returns (kept frame, removed unit labels)."""
    a = availability(frame)
    keep = a >= dat_thresh - 1e-12
    return frame.loc[keep], list(frame.index[~keep])
