"""Export a store table as CSV, XLSX or Parquet.

CSV/XLSX are opened in spreadsheets, which run cells starting with = + - @ (and tab/CR) as formulas
(CSV injection): such *text* cells get a leading apostrophe. Numbers stay numbers. Parquet is written
as is (types kept).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from indicators.ingest.store_tables import database_tables, select_all_sql

FORMATS = ("csv", "xlsx", "parquet")
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575


def neutralise_cell(value: object) -> object:
    """'=1+2' → \"'=1+2\"; non-text values unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell that a spreadsheet would run as a formula is neutralised."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.astype(object).map(neutralise_cell, na_action="ignore")
    return out


def read_table(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    tables = database_tables(con)
    cur = con.cursor()
    try:
        return cur.sql(select_all_sql(table, tables, ordered=True)).df()
    finally:
        cur.close()


def infer_format(out: Path, fmt: str | None) -> str:
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)} (got {fmt or 'nothing'})")
    return fmt


def export_table(con: duckdb.DuckDBPyConnection, table: str, out: str | Path, fmt: str | None = None) -> int:
    """Write ``table`` to ``out``; returns the number of rows. ValueError for an unknown table/format."""
    out = Path(out)
    fmt = infer_format(out, fmt)
    frame = read_table(con, table)
    write_frame(frame, out, fmt, sheet_name=table)
    return len(frame)


def write_frame(frame: pd.DataFrame, out: Path, fmt: str, sheet_name: str = "data") -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        frame.to_parquet(out, index=False)
    elif fmt == "csv":
        neutralise_frame(frame).to_csv(out, index=False, encoding="utf-8-sig")
    else:
        if len(frame) > XLSX_MAX_ROWS:
            raise ValueError(f"{len(frame):,} rows do not fit in one XLSX sheet (max {XLSX_MAX_ROWS:,}); use csv or parquet")
        safe = neutralise_frame(frame)
        for column in safe.columns:
            if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
                safe[column] = safe[column].dt.tz_localize(None)
        safe.to_excel(out, index=False, sheet_name=sheet_name[:31], engine="openpyxl")
