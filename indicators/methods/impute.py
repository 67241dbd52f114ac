"""Missing data. Never zero: either impute with a stated method, or leave NaN and let the aggregation
skip it and re-weight within the dimension (the default rule).

* ``group_mean``: the mean of the unit's group (e.g. COINr i_mean_grp by EurAsia_group).
* ``own_trend``: per unit, a least-squares line through its own observed years (one observation:
  carried to every year; none: stays NaN). Used for 'impute by the metro's own trend'.
Both return (imputed frame, boolean mask of imputed cells) so results can flag imputed values.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.methods.frames import numeric_frame


def impute_group_mean(frame: pd.DataFrame, groups: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill NaN with the mean of the same column within the unit's group."""
    x = numeric_frame(frame)
    g = pd.Series(groups).reindex(x.index)
    means = x.groupby(g).transform("mean")
    filled = x.where(x.notna(), means)
    return filled, x.isna() & filled.notna()


def impute_own_trend(panel: pd.DataFrame, unit_level: str | int = 0, year_level: str | int = 1,
                     max_extrapolate: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill each unit's missing years from a linear trend fitted to its own observed years.

    ``panel`` has a (unit, year) MultiIndex. With one observed year the value is carried; with none it
    stays NaN. ``max_extrapolate`` limits how many years beyond the observed range are filled.
    """
    x = numeric_frame(panel)
    years = x.index.get_level_values(year_level).to_numpy(dtype=float)
    units = x.index.get_level_values(unit_level)
    out = x.to_numpy().copy()
    for unit in pd.unique(units):
        rows = np.flatnonzero(units == unit)
        yr = years[rows]
        for j in range(out.shape[1]):
            v = out[rows, j]
            ok = ~np.isnan(v)
            if ok.all() or not ok.any():
                continue
            if ok.sum() == 1:
                fill = np.full(len(v), v[ok][0])
            else:
                slope, intercept = np.polyfit(yr[ok], v[ok], 1)
                fill = intercept + slope * yr
            missing = ~ok
            if max_extrapolate is not None:
                lo, hi = yr[ok].min(), yr[ok].max()
                missing &= (yr >= lo - max_extrapolate) & (yr <= hi + max_extrapolate)
            v = np.where(missing, fill, v)
            out[rows, j] = v
    filled = pd.DataFrame(out, index=x.index, columns=x.columns)
    return filled, x.isna() & filled.notna()
