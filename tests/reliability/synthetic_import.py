"""A generated import file for the reliability tests (made at test time, never committed).

Values are synthetic test numbers for indicators the default data does not ship (``rd_intensity``,
``water_quality_share``), spread over the database's prefectures × years so that every key is new.
"""
from __future__ import annotations

import io

import duckdb
import numpy as np
import pandas as pd

INDICATORS = ("rd_intensity", "water_quality_share")
SOURCE = "reliability load test (synthetic)"


def synthetic_rows(con: duckdb.DuckDBPyConnection, rows: int, first_year: int = 1990) -> pd.DataFrame:
    cur = con.cursor()
    try:
        codes = [r[0] for r in cur.execute("SELECT code FROM region WHERE level = ? ORDER BY code",
                                           ["prefecture"]).fetchall()]
    finally:
        cur.close()
    years = range(first_year, 2026)
    grid = pd.MultiIndex.from_product([list(INDICATORS), codes, list(years)],
                                      names=["indicator", "region", "year"]).to_frame(index=False)
    if len(grid) < rows:
        raise ValueError(f"only {len(grid)} distinct keys available, {rows} asked")
    grid = grid.iloc[:rows].reset_index(drop=True)
    grid["value"] = np.random.default_rng(7).uniform(1, 5, len(grid)).round(3)
    grid["source"] = SOURCE
    return grid[["region", "year", "indicator", "value", "source"]]


def synthetic_csv(con: duckdb.DuckDBPyConnection, rows: int) -> bytes:
    buffer = io.StringIO()
    synthetic_rows(con, rows).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")
