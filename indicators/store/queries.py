"""Parameterised read queries on the store, each returning a pandas DataFrame.

Every function takes a DuckDB connection (typically ``db.shared_connection(path)``) and runs on a fresh
``.cursor()``. SQL text is constant: optional filters are ``(? IS NULL OR ...)`` clauses, so no SQL is ever
built from strings. ``None`` for a filter means "no filter".
"""
from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(sql, params).df()
    finally:
        cur.close()


def _strs(values: Iterable | str | None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values]


def _ints(values: Iterable | int | None) -> list[int] | None:
    if values is None:
        return None
    if isinstance(values, int):
        return [values]
    return [int(v) for v in values]


def metros(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All metros with their core city's name and the number of member rows."""
    return _df(con, """
        SELECT m.metro_id, m.name_zh, m.name_en, m.core_code, r.name_zh AS core_name_zh, m.plan_document, m.plan_year,
               m.stated_area_km2, m.group_name, m.color, m.source_id, m.membership_basis,
               (SELECT count(*) FROM metro_member mm WHERE mm.metro_id = m.metro_id) AS n_members
        FROM metro m LEFT JOIN region r ON r.code = m.core_code
        ORDER BY m.metro_id""", [])


def metro_members(con: duckdb.DuckDBPyConnection, metro_id: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Members (metro_id, code, names, role, parts, validity, source) of one or all metros, optionally valid in ``year``."""
    return _df(con, """
        SELECT mm.metro_id, mm.code, r.name_zh, r.name_en, mm.role, mm.parts, mm.valid_from, mm.valid_to,
               mm.source_id, mm.note, r.seat_lon, r.seat_lat, r.land_area_km2
        FROM metro_member mm LEFT JOIN region r ON r.code = mm.code
        WHERE (?::VARCHAR IS NULL OR mm.metro_id = ?::VARCHAR)
          AND (?::INTEGER IS NULL OR ?::INTEGER BETWEEN mm.valid_from AND mm.valid_to)
        ORDER BY mm.metro_id, CASE mm.role WHEN 'core' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, mm.code""",
        [metro_id, metro_id, year, year])


def regions(con: duckdb.DuckDBPyConnection, level: str | None = None) -> pd.DataFrame:
    """Regions (code, names, level, parent, land area, seat, validity), optionally of one level."""
    return _df(con, """
        SELECT r.code, r.name_zh, r.name_en, r.level, r.parent_code, p.name_zh AS parent_name_zh, r.land_area_km2,
               r.seat_lon, r.seat_lat, s.seat_basis, r.valid_from, r.valid_to, r.source_id
        FROM region r LEFT JOIN region p ON p.code = r.parent_code
             LEFT JOIN region_seat_basis s ON s.code = r.code
        WHERE (?::VARCHAR IS NULL OR r.level = ?::VARCHAR)
        ORDER BY r.code""", [level, level])


def resolve_region(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """Regions an alias resolves to ('成都', '成都市', 'Chengdu', '510100', '襄樊'); case-insensitive; may be several."""
    return _df(con, """
        SELECT DISTINCT r.code, r.name_zh, r.name_en, r.level
        FROM region_alias a JOIN region r ON r.code = a.code
        WHERE lower(a.alias) = lower(trim(?::VARCHAR))
        ORDER BY r.code""", [name])


def observations(con: duckdb.DuckDBPyConnection, indicators: Iterable[str] | str | None = None,
                 codes: Iterable[str] | str | None = None, years: Iterable[int] | int | None = None) -> pd.DataFrame:
    """Observations (code, name, year, indicator, value, quality, note, source_id, source title), filtered."""
    ind, cds, yrs = _strs(indicators), _strs(codes), _ints(years)
    return _df(con, """
        SELECT o.code, r.name_zh, o.year, o.indicator, o.value, o.quality, o.note, o.source_id, s.title AS source_title
        FROM observation o LEFT JOIN region r ON r.code = o.code LEFT JOIN source s ON s.source_id = o.source_id
        WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], o.indicator))
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], o.code))
          AND (?::INTEGER[] IS NULL OR list_contains(?::INTEGER[], o.year))
        ORDER BY o.code, o.indicator, o.year, o.source_id""", [ind, ind, cds, cds, yrs, yrs])


def metro_city_panel(con: duckdb.DuckDBPyConnection, year_from: int, year_to: int) -> pd.DataFrame:
    """Observations of metro members in the years their membership is valid: metro_id, code, role, year, indicator, value, quality, source_id."""
    return _df(con, """
        SELECT mm.metro_id, o.code, r.name_zh, mm.role, mm.parts, o.year, o.indicator, o.value, o.quality, o.source_id
        FROM metro_member mm
             JOIN observation o ON o.code = mm.code AND o.year BETWEEN mm.valid_from AND mm.valid_to
             LEFT JOIN region r ON r.code = o.code
        WHERE o.year BETWEEN ?::INTEGER AND ?::INTEGER
        ORDER BY mm.metro_id, o.code, o.indicator, o.year""", [year_from, year_to])


def flows(con: duckdb.DuckDBPyConnection, kind: str | None = None, metro_id: str | None = None) -> pd.DataFrame:
    """Flows (origin, dest, names, year, period, kind, value, unit, quality, source, note); ``metro_id``: both ends members."""
    return _df(con, """
        SELECT f.origin_code, ro.name_zh AS origin_name_zh, f.dest_code, rd.name_zh AS dest_name_zh, f.year, f.period,
               f.kind, f.value, f.unit, f.quality, f.source_id, f.note
        FROM flow f LEFT JOIN region ro ON ro.code = f.origin_code LEFT JOIN region rd ON rd.code = f.dest_code
        WHERE (?::VARCHAR IS NULL OR f.kind = ?::VARCHAR)
          AND (?::VARCHAR IS NULL OR (
                EXISTS (SELECT 1 FROM metro_member a WHERE a.metro_id = ?::VARCHAR AND a.code = f.origin_code)
            AND EXISTS (SELECT 1 FROM metro_member b WHERE b.metro_id = ?::VARCHAR AND b.code = f.dest_code)))
        ORDER BY f.kind, f.origin_code, f.dest_code, f.year""", [kind, kind, metro_id, metro_id, metro_id])


def targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Plan targets (scope, indicator, comparator, value, unit, target year, note) with the source title."""
    return _df(con, """
        SELECT t.*, s.title AS source_title FROM target t LEFT JOIN source s ON s.source_id = t.source_id
        ORDER BY t.scope, t.target_id""", [])


def facts(con: duckdb.DuckDBPyConnection, metro_id: str | None = None) -> pd.DataFrame:
    """Figures the seed documents report (statement, value, unit, as_of, source), optionally of one metro."""
    return _df(con, """
        SELECT f.*, s.title AS source_title, s.date_published AS source_date
        FROM fact f LEFT JOIN source s ON s.source_id = f.source_id
        WHERE (?::VARCHAR IS NULL OR f.metro_id = ?::VARCHAR)
        ORDER BY f.metro_id NULLS LAST, f.fact_id""", [metro_id, metro_id])


def series_breaks(con: duckdb.DuckDBPyConnection, codes: Iterable[str] | str | None = None) -> pd.DataFrame:
    """Known series breaks (code, name, year, indicator or NULL = all, kind, description, change_pct, source)."""
    cds = _strs(codes)
    return _df(con, """
        SELECT b.code, r.name_zh, b.year, b.indicator, b.kind, b.description, b.change_pct, b.source_id
        FROM series_break b LEFT JOIN region r ON r.code = b.code
        WHERE (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], b.code))
        ORDER BY b.code, b.year, b.indicator NULLS FIRST""", [cds, cds])


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every source (id, title, publisher, url, licence, dates, notes)."""
    return _df(con, "SELECT * FROM source ORDER BY source_id", [])


def data_origins(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The shipped data files: table, producer, title, url, licence, processing, rows, sha256 (from the sidecars)."""
    return _df(con, "SELECT * FROM data_origin ORDER BY table_name, file_name", [])


def provenance(con: duckdb.DuckDBPyConnection, code: str, year: int, indicator: str) -> pd.DataFrame:
    """Where a value comes from: every observation row for (code, year, indicator) with its source and the series breaks that touch it."""
    return _df(con, """
        SELECT o.code, r.name_zh, o.year, o.indicator, o.value, o.quality, o.note, o.source_id, s.title AS source_title,
               s.publisher, s.url, s.licence, s.date_accessed,
               (SELECT string_agg(b.year || ' ' || b.kind || ': ' || b.description, ' | ' ORDER BY b.year)
                  FROM series_break b
                 WHERE b.code = o.code AND (b.indicator IS NULL OR b.indicator = o.indicator)
                   AND b.year BETWEEN o.year - 1 AND o.year + 1) AS series_breaks_near
        FROM observation o LEFT JOIN region r ON r.code = o.code LEFT JOIN source s ON s.source_id = o.source_id
        WHERE o.code = ?::VARCHAR AND o.year = ?::INTEGER AND o.indicator = ?::VARCHAR
        ORDER BY o.source_id""", [code, year, indicator])


# The store's content fingerprint the metro-panel cache keys on: path, data version and content hashes of the
# tables the panel reads (so even a write that forgot to bump the version cannot serve a stale panel).
_PANEL_FINGERPRINT_SQL = """
SELECT (SELECT path FROM duckdb_databases() WHERE database_name = current_database()),
       (SELECT max(value) FROM meta WHERE key = ?),
       (SELECT count(*) FROM observation),
       (SELECT sum(hash(code, year, indicator, value, quality, source_id)::HUGEINT) FROM observation),
       (SELECT count(*) FROM flow),
       (SELECT sum(hash(origin_code, dest_code, year, period, kind, value, quality, source_id)::HUGEINT) FROM flow),
       (SELECT count(*) FROM metro_member),
       (SELECT sum(hash(metro_id, code, role, valid_from, valid_to)::HUGEINT) FROM metro_member)"""


def store_fingerprint_row(cur, version_key: str) -> tuple:
    """One row: database path, data version, row counts and content hashes of observation, flow, metro_member."""
    return cur.execute(_PANEL_FINGERPRINT_SQL, [version_key]).fetchone()


# the columns of flows() the aggregation rules read, in its order, without the region names it joins
_RULE_FLOWS_SQL = """
SELECT origin_code, dest_code, year, kind, value, quality, source_id FROM flow
ORDER BY kind, origin_code, dest_code, year"""


def rule_flows(cur) -> pd.DataFrame:
    """Every flow as the aggregation rules read it (no region names joined), ordered by kind, origin, destination, year."""
    return cur.execute(_RULE_FLOWS_SQL).df()


def observed_year_span(con) -> tuple[int, int] | None:
    """(first, last) year of any observation in the store (the default normalisation panel), or None."""
    row = _df(con, "SELECT min(year) AS y0, max(year) AS y1 FROM observation", []).iloc[0]
    return None if pd.isna(row["y0"]) else (int(row["y0"]), int(row["y1"]))


def flow_periods(con) -> pd.DataFrame:
    """kind, year, period: the dates a flow kind was measured on in a year (e.g. 2020-01-07..2020-01-08)."""
    return _df(con, """SELECT kind, year, min(period) AS period FROM flow
                       WHERE period IS NOT NULL AND period <> '' GROUP BY kind, year ORDER BY kind, year""", [])


def implausible_flows(con) -> pd.DataFrame:
    """Flows the data flag as implausible (origin_code, dest_code, year, kind, value, note)."""
    return _df(con, """SELECT origin_code, dest_code, year, kind, value, note FROM flow
                       WHERE flags LIKE '%implausible%' ORDER BY kind, origin_code, dest_code, year""", [])


def member_flags(con, indicator: str, year: int) -> pd.DataFrame:
    """metro_id, code, flags of the members' observations of ``indicator`` in ``year`` (members valid that year)."""
    return _df(con, """SELECT mm.metro_id, o.code, o.flags FROM metro_member mm
                       JOIN observation o ON o.code = mm.code AND o.year = ?::INTEGER AND o.indicator = ?::VARCHAR
                       WHERE ?::INTEGER BETWEEN mm.valid_from AND mm.valid_to ORDER BY mm.metro_id, o.code""",
               [year, indicator, year])
