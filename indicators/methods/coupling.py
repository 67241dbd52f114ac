"""Coupling coordination degree (耦合协调度) between subsystems (dimensions).

For n subsystem scores U_i in [0, 1] (pass ``scale=100`` for 0–100 scores):
* C = (Π U_i)^(1/n) / (Σ U_i / n)      — the coupling degree (the corrected form; for n = 2 it is
  2·√(U1·U2)/(U1+U2), the textbook formula; 0 ≤ C ≤ 1)
* T = Σ a_i U_i with Σ a_i = 1            — the comprehensive development index (weights a_i)
* D = √(C · T)                            — the coupling coordination degree
Grade bands: the usual ten equal bands of D (0–0.1 极度失调 … 0.9–1 优质协调).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from indicators.methods.frames import numeric_frame, weight_vector

GRADES: list[tuple[float, str, str]] = [
    (0.1, "极度失调", "extreme imbalance"),
    (0.2, "严重失调", "severe imbalance"),
    (0.3, "中度失调", "moderate imbalance"),
    (0.4, "轻度失调", "mild imbalance"),
    (0.5, "濒临失调", "on the verge of imbalance"),
    (0.6, "勉强协调", "barely coordinated"),
    (0.7, "初级协调", "primary coordination"),
    (0.8, "中级协调", "intermediate coordination"),
    (0.9, "良好协调", "good coordination"),
    (1.0000001, "优质协调", "high-quality coordination"),
]


def coordination_grade(d: float) -> tuple[str | None, str | None]:
    """The (Chinese, English) grade of a coordination degree D (None for NaN)."""
    if d is None or not np.isfinite(d):
        return None, None
    for upper, zh, en in GRADES:
        if d < upper:
            return zh, en
    return GRADES[-1][1], GRADES[-1][2]


def coupling_coordination(frame: pd.DataFrame, weights: Mapping[str, float] | pd.Series | None = None,
                          scale: float | None = None) -> pd.DataFrame:
    """C, T, D and grade for every row; columns of ``frame`` are the subsystem scores (NaN rows → NaN).

    ``scale``: the top of the score range (1 or 100). None: 100 when any score exceeds 1, else 1
    (recorded in ``result.attrs['scale']``).
    """
    raw = numeric_frame(frame).to_numpy()
    if scale is None:
        scale = 100.0 if np.nanmax(raw, initial=0.0) > 1.0 else 1.0
    u = raw / scale
    if np.nanmin(u, initial=0.0) < 0 or np.nanmax(u, initial=0.0) > 1 + 1e-9:
        raise ValueError("subsystem scores must lie in [0, scale]")
    n = u.shape[1]
    a = weight_vector(frame.columns, weights)
    a = a / a.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        geo = np.exp(np.mean(np.log(u), axis=1))
        mean = np.mean(u, axis=1)
        c = np.where(mean > 0, geo / mean, 0.0)
        c = np.where(np.any(np.isnan(u), axis=1), np.nan, c)
    t = u @ a
    d = np.sqrt(c * t)
    grades = [coordination_grade(v) for v in d]
    out = pd.DataFrame({"C": c, "T": t, "D": d, "grade_zh": [g[0] for g in grades], "grade_en": [g[1] for g in grades]},
                       index=frame.index)
    out.attrs["scale"] = scale
    return out
