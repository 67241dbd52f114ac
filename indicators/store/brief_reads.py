"""The few parameterised reads the briefing pack needs from the DuckDB store (values always as ``?``)."""
from __future__ import annotations

import duckdb
import pandas as pd

from indicators.store.db import query_df

# When one (code, year, indicator) has several sources, the brief uses the best-attested value.
QUALITY_PREFERENCE = ["official", "cross_checked", "census", "single_source", "estimate", "modelled",
                      "conflict", "synthetic"]


def metros(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query_df(con, """
        SELECT metro_id, name_zh, name_en, core_code, plan_document, plan_year, membership_basis, source_id
        FROM metro ORDER BY metro_id""")


def members(con: duckdb.DuckDBPyConnection, metro_ids: list[str], year: int) -> pd.DataFrame:
    """Members of the metros valid in ``year``, with region names."""
    return query_df(con, """
        SELECT mm.metro_id, mm.code, mm.role, mm.parts, r.name_zh, r.name_en
        FROM metro_member mm LEFT JOIN region r ON r.code = mm.code
        WHERE list_contains(?, mm.metro_id) AND mm.valid_from <= ? AND mm.valid_to >= ?
        ORDER BY mm.metro_id, CASE mm.role WHEN 'core' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, mm.code""",
        [list(metro_ids), int(year), int(year)])


def observations(con: duckdb.DuckDBPyConnection, codes: list[str], indicators: list[str],
                 first_year: int, last_year: int) -> pd.DataFrame:
    """One value per (code, year, indicator): the best quality available, with its source."""
    return query_df(con, """
        SELECT code, year, indicator, value, source_id, quality FROM (
            SELECT o.*, row_number() OVER (
                PARTITION BY code, year, indicator
                ORDER BY coalesce(list_position(?, quality), 99), source_id) AS pick
            FROM observation o
            WHERE list_contains(?, code) AND list_contains(?, indicator) AND year BETWEEN ? AND ?)
        WHERE pick = 1 ORDER BY code, indicator, year""",
        [QUALITY_PREFERENCE, list(codes), list(indicators), int(first_year), int(last_year)])


def sources(con: duckdb.DuckDBPyConnection, source_ids: list[str]) -> pd.DataFrame:
    return query_df(con, """
        SELECT source_id, title, publisher, date_published FROM source
        WHERE list_contains(?, source_id) ORDER BY source_id""", [list(source_ids)])


def observed_years(con: duckdb.DuckDBPyConnection, indicator: str = "gdp") -> list[int]:
    df = query_df(con, "SELECT DISTINCT year FROM observation WHERE indicator = ? ORDER BY year", [indicator])
    return [int(y) for y in df["year"]]
