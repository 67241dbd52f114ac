"""Frames as downloadable bytes: CSV (UTF-8 with BOM so Excel reads Chinese), XLSX, Parquet."""
from __future__ import annotations

import io

import pandas as pd

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "parquet": "application/vnd.apache.parquet"}


def frame_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8-sig")
    buf = io.BytesIO()
    if fmt == "xlsx":
        frame.to_excel(buf, index=False, engine="openpyxl")
    elif fmt == "parquet":
        frame.to_parquet(buf, index=False)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buf.getvalue()


def filter_frame(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where any column contains ``text`` (case-insensitive); all rows for an empty filter."""
    text = (text or "").strip().lower()
    if not text or frame.empty:
        return frame
    mask = pd.Series(False, index=frame.index)
    for col in frame.columns:
        mask |= frame[col].astype(str).str.lower().str.contains(text, regex=False, na=False)
    return frame[mask]
