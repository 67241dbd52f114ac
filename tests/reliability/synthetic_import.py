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
        spans = cur.execute("SELECT code, valid_from, valid_to FROM region WHERE level = ? ORDER BY code",
                            ["prefecture"]).df()
    finally:
        cur.close()
    years = range(first_year, 2026)
    grid = pd.MultiIndex.from_product([list(INDICATORS), list(spans["code"]), list(years)],
                                      names=["indicator", "region", "year"]).to_frame(index=False)
    # only years in which each prefecture existed (巢湖 to 2011, 莱芜 to 2018 ...): others are import errors
    span = grid.merge(spans, left_on="region", right_on="code", how="left")
    inside = (span["year"] >= span["valid_from"].fillna(-9999)) & (span["year"] <= span["valid_to"].fillna(9999))
    grid = grid[inside.to_numpy()].reset_index(drop=True)
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
