"""The common shape every reader produces: a grid of cells plus where each row came from."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Grid:
    """Cells of one sheet/file.

    ``cells``: columns 0..n-1 (object or native dtypes). ``row_numbers``: the 1-based row each grid row
    had in the file. ``header``: column names when the format carries them (Parquet); None when the
    header rows are still inside ``cells`` and must be found (CSV, XLSX).
    """

    cells: pd.DataFrame
    row_numbers: np.ndarray
    header: list[str] | None = None
    file_unit_hint: str | None = None


def non_empty_mask(series: pd.Series) -> pd.Series:
    """True where a cell holds something (not None/NaN/blank text). Vectorised."""
    missing = series.isna().to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return pd.Series(~missing, index=series.index)
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) == "string":
        series = series.astype("str")   # Arrow strings: strip runs vectorised in C
    try:
        blank = (series.str.strip() == "").fillna(False).to_numpy(dtype=bool)
    except AttributeError:   # no text at all in this column
        blank = np.zeros(len(series), dtype=bool)
    return pd.Series(~(missing | blank), index=series.index)


def trim_empty(cells: pd.DataFrame) -> pd.DataFrame:
    """Drop trailing columns that are empty everywhere (ragged CSV padding, XLSX formatting)."""
    if cells.empty:
        return cells
    keep = len(cells.columns)
    while keep > 0:
        if not non_empty_mask(cells.iloc[:, keep - 1]).any():
            keep -= 1
        else:
            break
    out = cells.iloc[:, :keep]
    out.columns = range(keep)
    return out


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)
