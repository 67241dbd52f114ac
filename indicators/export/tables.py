"""The one writer for every CSV/XLSX the product hands out (CLI exports, Data page downloads, the index
download, table downloads beside charts, task-ledger exports, ``compute --out``) — plus Parquet.

CSV/XLSX are opened in spreadsheets, which run cells starting with = + - @ (and tab/CR) as formulas
(CSV injection; ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``): such *text* cells — and column names — get a
leading apostrophe, also when spaces precede the sign. Numbers stay numbers. XLSX text additionally loses
the control characters an XLSX cannot hold. Parquet is written as is (types kept; no spreadsheet runs it).

Nothing else in ``indicators/`` or ``pages/`` may call ``to_csv``/``to_excel``/``ExcelWriter`` for a file
that leaves the product: ``tests/reliability/test_safe_downloads.py`` enumerates every writer and every
download button and fails on one that bypasses this module.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Mapping

import duckdb
import pandas as pd

from indicators.ingest.store_tables import database_tables, select_all_sql

FORMATS = ("csv", "xlsx", "parquet")
MIMES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "parquet": "application/vnd.apache.parquet"}
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575
_XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class TooManyRows(ValueError):
    """The frame does not fit the format (an XLSX sheet holds 1,048,575 data rows)."""


def neutralise_cell(value: object) -> object:
    """'=1+2' → \"'=1+2\"; ' =1' → \"' =1\"; non-text values unchanged."""
    if isinstance(value, str) and (value.startswith(DANGEROUS_PREFIXES)
                                   or value[:1] == " " and value.lstrip(" ").startswith(DANGEROUS_PREFIXES)):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell (and column name) a spreadsheet would run as a formula is neutralised."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype) or isinstance(
                series.dtype, pd.CategoricalDtype):
            out[column] = series.astype(object).map(neutralise_cell, na_action="ignore")
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _xlsx_safe(frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame) > XLSX_MAX_ROWS:
        raise TooManyRows(f"{len(frame):,} rows do not fit in one XLSX sheet (max {XLSX_MAX_ROWS:,}); "
                          "use CSV or Parquet for the full table")
    safe = neutralise_frame(frame)
    for column in safe.columns:
        series = safe[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            safe[column] = series.dt.tz_localize(None)
        elif series.dtype == object:
            safe[column] = series.map(lambda v: _XLSX_ILLEGAL.sub("", v) if isinstance(v, str) else v)
    safe.columns = [_XLSX_ILLEGAL.sub("", c) for c in safe.columns]
    return safe


def _sheet(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "_", str(name)).strip("'") or "data"
    return cleaned[:31]


def frame_bytes(frame: pd.DataFrame, fmt: str, sheet_name: str = "data") -> bytes:
    """``frame`` as file bytes: CSV (UTF-8 with BOM so Excel reads Chinese), XLSX or Parquet — neutralised."""
    buf = io.BytesIO()
    if fmt == "csv":
        # CRLF line ends (RFC 4180): the csv writer then quotes every cell holding a CR or LF, so a "\r=1" inside
        # a cell cannot start a new line that a spreadsheet would read as a formula
        return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    if fmt == "xlsx":
        _xlsx_safe(frame).to_excel(buf, index=False, sheet_name=_sheet(sheet_name), engine="openpyxl")
    elif fmt == "parquet":
        frame.to_parquet(buf, index=False)
    else:
        raise ValueError(f"format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    return buf.getvalue()


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as neutralised CSV text (no BOM), e.g. for a CLI writing CSV to standard output."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n")


def workbook_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """Several frames as the sheets of one XLSX, each neutralised."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _xlsx_safe(frame).to_excel(writer, index=False, sheet_name=_sheet(name))
    return buf.getvalue()


def _write_bytes(out: Path, data: bytes) -> None:
    """Write through a temporary file and a rename: a failed write leaves no half file under ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_frame(frame: pd.DataFrame, out: str | Path, fmt: str, sheet_name: str = "data") -> None:
    """``frame`` to the file ``out`` (csv, xlsx or parquet), neutralised like ``frame_bytes``."""
    _write_bytes(Path(out), frame_bytes(frame, fmt, sheet_name))


def write_workbook(sheets: Mapping[str, pd.DataFrame], out: str | Path) -> None:
    _write_bytes(Path(out), workbook_bytes(sheets))


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
