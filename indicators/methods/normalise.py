"""Normalisation: units × indicators → comparable scores, column by column.

Directions (+1 higher is better, -1 lower is better) are applied first, as COINr does (x × direction),
so every normalised column has "higher is better". Min-max runs over whatever rows the frame holds:
pass the whole panel (all metros × all years) to keep years comparable.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import pandas as pd

from indicators.methods.frames import direction_vector, numeric_frame
from indicators.methods.registry import Registry

Normaliser = Callable[..., pd.DataFrame]
NORMALISERS: Registry[Normaliser] = Registry("normalisation")


def _oriented(frame: pd.DataFrame, directions, targets=None) -> np.ndarray:
    x = numeric_frame(frame).to_numpy()
    d = direction_vector(frame.columns, directions)
    if np.any(d == 0):
        t = np.array([np.nan if targets is None else float(dict(targets).get(c, np.nan)) for c in frame.columns])
        if np.any((d == 0) & np.isnan(t)):
            raise ValueError("direction 0 ('closer to target') needs a target for the column")
        # closer to target is better: score by -|x - target|
        x = np.where(d == 0, -np.abs(x - t), x * d)
        return x
    return x * d


@NORMALISERS.register("minmax", "极差标准化(最小-最大)", "min-max", "(x - min) / (max - min) scaled to [lower, upper]")
def minmax(frame: pd.DataFrame, directions=None, lower: float = 0.0, upper: float = 100.0, targets=None) -> pd.DataFrame:
    """Min-max over all rows of the frame, to [lower, upper] (default 0–100). A constant column gives NaN."""
    x = _oriented(frame, directions, targets)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.nanmin(np.where(np.isnan(x), np.inf, x), axis=0)
        hi = np.nanmax(np.where(np.isnan(x), -np.inf, x), axis=0)
        rng = hi - lo
        rng = np.where(rng > 0, rng, np.nan)
        y = (x - lo) / rng * (upper - lower) + lower
    return pd.DataFrame(y, index=frame.index, columns=frame.columns)


@NORMALISERS.register("zscore", "Z-score 标准化", "z-score", "(x - mean) / sd (sample sd), rescaled to mean m and sd s")
def zscore(frame: pd.DataFrame, directions=None, mean: float = 0.0, sd: float = 1.0, targets=None) -> pd.DataFrame:
    """Standardise each column (sample standard deviation, ddof=1), then scale to ``mean`` and ``sd``."""
    x = _oriented(frame, directions, targets)
    import warnings
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # all-missing columns stay NaN
        mu = np.nanmean(x, axis=0)
        s = np.nanstd(x, axis=0, ddof=1)
        s = np.where(s > 0, s, np.nan)
        y = (x - mu) / s * sd + mean
    return pd.DataFrame(y, index=frame.index, columns=frame.columns)


@NORMALISERS.register(
    "distance_to_target", "目标距离法(规划目标=100)", "distance to target (goalposts)",
    "100 × (x − base) / (target − base); base = the panel's worst value unless given; capped to [0, 100]",
)
def distance_to_target(frame: pd.DataFrame, directions=None, targets: Mapping[str, float] | None = None,
                       baselines: Mapping[str, float] | None = None, cap: bool = True,
                       scale: float = 100.0) -> pd.DataFrame:
    """Goalposts: the plan target scores ``scale`` (100), the baseline (default: the worst value in the panel) 0.

    Works for both directions because (target − base) carries the sign. Columns without a target fall
    back to min-max 0–``scale`` and are reported in ``frame.attrs['no_target']``.
    """
    x = numeric_frame(frame)
    d = direction_vector(frame.columns, directions)
    targets = dict(targets or {})
    baselines = dict(baselines or {})
    out = {}
    no_target = []
    for j, col in enumerate(frame.columns):
        v = x[col].to_numpy()
        t = targets.get(col)
        if np.isnan(v).all():
            out[col] = v
            continue
        if t is None or not np.isfinite(t):
            no_target.append(col)
            out[col] = minmax(frame[[col]], {col: d[j] if d[j] != 0 else 1}, 0.0, scale)[col].to_numpy()
            continue
        if col in baselines:
            base = float(baselines[col])
        elif d[j] < 0:
            base = np.nanmax(v)
        elif d[j] > 0:
            base = np.nanmin(v)
        else:  # closer to target: the farthest value is the baseline
            base = v[np.nanargmax(np.abs(v - t))]
        with np.errstate(invalid="ignore", divide="ignore"):
            if d[j] == 0:
                span = abs(base - t)
                y = scale * (1 - np.abs(v - t) / span) if span > 0 else np.full_like(v, scale)
            else:
                y = scale * (v - base) / (t - base) if t != base else np.full_like(v, np.nan)
        if cap:
            y = np.clip(y, 0.0, scale)
        out[col] = y
    res = pd.DataFrame(out, index=frame.index, columns=frame.columns)
    res.attrs["no_target"] = no_target
    return res


@NORMALISERS.register("rank", "排序法(百分位)", "rank (percentile)", "rank (ties = min) scaled to 0–100")
def rank(frame: pd.DataFrame, directions=None, targets=None) -> pd.DataFrame:
    """Percentile rank: (rank − 1) / (n − 1) × 100, ties take the lowest rank; NaN stays NaN."""
    x = pd.DataFrame(_oriented(frame, directions, targets), index=frame.index, columns=frame.columns)
    r = x.rank(method="min", na_option="keep")
    n = x.notna().sum(axis=0)
    return (r - 1).div((n - 1).where(n > 1), axis=1) * 100.0


@NORMALISERS.register("borda", "Borda 计分", "Borda score", "rank (ties = min) − 1, as COINr n_borda")
def borda(frame: pd.DataFrame, directions=None, targets=None) -> pd.DataFrame:
    """COINr ``n_borda``: rank with ties taking the minimum, minus one (0 = worst)."""
    x = pd.DataFrame(_oriented(frame, directions, targets), index=frame.index, columns=frame.columns)
    return x.rank(method="min", na_option="keep") - 1


@NORMALISERS.register("fixed_base", "定基指数(基期=100)", "fixed base (base year = 100)",
                      "100 × x_t / x_base for each unit (inverted for lower-is-better); needs a (unit, year) index")
def fixed_base(frame: pd.DataFrame, directions=None, base_year: int | None = None, year_level: str = "year",
               targets=None) -> pd.DataFrame:
    """Each unit's value relative to its own base-year value × 100 (lower-is-better: base / x × 100).

    Not bounded to 0–100: 120 means 20 % better than in the base year. Units without a positive
    base-year value get NaN. ``base_year`` defaults to the first year of the panel.
    """
    if not isinstance(frame.index, pd.MultiIndex) or year_level not in frame.index.names:
        raise ValueError("fixed-base normalisation needs a (unit, year) MultiIndex")
    x = numeric_frame(frame)
    years = x.index.get_level_values(year_level)
    base_year = int(years.min()) if base_year is None else int(base_year)
    unit_levels = [n for n in x.index.names if n != year_level]
    base = x[years == base_year].droplevel(year_level)
    base = base.where(base > 0)
    aligned = base.reindex(x.index.droplevel(year_level)).to_numpy()
    d = direction_vector(frame.columns, directions)
    if np.any(d == 0):
        raise ValueError("fixed-base normalisation needs directions +1 or -1")
    with np.errstate(invalid="ignore", divide="ignore"):
        v = x.to_numpy()
        y = np.where(d > 0, v / aligned, aligned / np.where(v > 0, v, np.nan)) * 100.0
    out = pd.DataFrame(y, index=frame.index, columns=frame.columns)
    out.attrs["base_year"] = base_year
    return out


def normalize(frame: pd.DataFrame, method: str = "minmax", directions=None, **params) -> pd.DataFrame:
    """Normalise every column of ``frame`` with the registered method ``method`` (see NORMALISERS)."""
    return NORMALISERS.get(method)(frame, directions, **params)
