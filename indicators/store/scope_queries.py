"""Parameterised reads of the county-level metro tables (issue 11): scopes, members, census units and values.

Constant SQL, a fresh cursor per query (as ``queries``). ``scope`` is 'plan' or 'extended'.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from indicators.store.queries import _df

SCOPES = ("plan", "extended")


def check_scope(scope: str) -> str:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    return scope


def metro_scopes(con: duckdb.DuckDBPyConnection, scope: str | None = None) -> pd.DataFrame:
    """Per metro and scope: status, member and county counts, stated figures, note (with the metro's names)."""
    return _df(con, """
        SELECT s.metro_id, m.name_zh, m.name_en, s.scope, s.status, s.members, s.whole_members, s.counties,
               s.plan_rows, s.stated_area_km2, s.stated_population, s.stated_figures, s.note, s.source_id
        FROM metro_scope s JOIN metro m ON m.metro_id = s.metro_id
        WHERE (?::VARCHAR IS NULL OR s.scope = ?::VARCHAR)
        ORDER BY s.metro_id, s.scope DESC""", [scope, scope])


def scope_members(con: duckdb.DuckDBPyConnection, scope: str, metro_id: str | None = None) -> pd.DataFrame:
    """Prefecture-level members of a scope (whole or part) with the prefecture's name."""
    return _df(con, """
        SELECT sm.metro_id, sm.scope, sm.code, r.name_zh, sm.role, sm.coverage,
               CAST(sm.valid_from AS VARCHAR) AS valid_from, CAST(sm.valid_to AS VARCHAR) AS valid_to,
               sm.status, sm.source_id, sm.plan_row, sm.listed_as, sm.note
        FROM metro_scope_member sm LEFT JOIN region r ON r.code = sm.code
        WHERE sm.scope = ?::VARCHAR AND (?::VARCHAR IS NULL OR sm.metro_id = ?::VARCHAR)
        ORDER BY sm.metro_id, CASE sm.role WHEN 'core' THEN 0 ELSE 1 END, sm.code""", [check_scope(scope), metro_id, metro_id])


def county_members(con: duckdb.DuckDBPyConnection, scope: str, metro_id: str | None = None) -> pd.DataFrame:
    """County rows of part members, with the county's name."""
    return _df(con, """
        SELECT cm.metro_id, cm.scope, cm.county_code, u.name_zh, cm.prefecture_code,
               CAST(cm.valid_from AS VARCHAR) AS valid_from, CAST(cm.valid_to AS VARCHAR) AS valid_to,
               cm.status, cm.source_id, cm.plan_row, cm.listed_as, cm.part_only, cm.note
        FROM metro_county_member cm LEFT JOIN census_unit u ON u.code = cm.county_code
        WHERE cm.scope = ?::VARCHAR AND (?::VARCHAR IS NULL OR cm.metro_id = ?::VARCHAR)
        ORDER BY cm.metro_id, cm.prefecture_code, cm.county_code""", [check_scope(scope), metro_id, metro_id])


def census_units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(con, """
        SELECT code, name_zh, level, prefecture_code, kind, code_2010, inside_2010, prev_prefecture_code,
               affiliation_from_year, area_km2
        FROM census_unit ORDER BY code""", [])


def census_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(con, """
        SELECT code, year, indicator, level, value, source_id FROM census_value
        ORDER BY code, year, indicator, level""", [])


def has_scope_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store has the county-level metro tables (a store built before issue 11 has not)."""
    r = _df(con, """
        SELECT count(*) AS n FROM information_schema.tables
        WHERE table_name IN ('metro_scope', 'metro_scope_member', 'metro_county_member', 'census_unit', 'census_value')""", [])
    return int(r["n"].iloc[0]) == 5
