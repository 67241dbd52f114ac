"""Frames as downloadable bytes: CSV (UTF-8 with BOM so Excel reads Chinese), XLSX, Parquet — always through
the product's one neutralising writer (``indicators.export.tables``): text a spreadsheet would run as a
formula is neutralised, numbers stay numbers."""
from __future__ import annotations

import pandas as pd

from indicators.export.tables import MIMES as FORMATS
from indicators.export.tables import frame_bytes as _safe_frame_bytes


def frame_bytes(frame: pd.DataFrame, fmt: str, sheet_name: str = "data") -> bytes:
    return _safe_frame_bytes(frame, fmt, sheet_name)


def filter_frame(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where any column contains ``text`` (case-insensitive); all rows for an empty filter."""
    text = (text or "").strip().lower()
    if not text or frame.empty:
        return frame
    mask = pd.Series(False, index=frame.index)
    for col in frame.columns:
        mask |= frame[col].astype(str).str.lower().str.contains(text, regex=False, na=False)
    return frame[mask]
