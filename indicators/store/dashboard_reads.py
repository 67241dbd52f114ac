"""Parameterised read queries the dashboard needs (no streamlit here; ``loaders`` caches them).

Every value goes through a ``?`` placeholder. The only interpolated identifiers are table names, and those
come from the ``BROWSABLE_TABLES`` whitelist.
"""
from __future__ import annotations

import pandas as pd

from indicators.store.db import query_df

BROWSABLE_TABLES: tuple[str, ...] = (
    "observation", "region", "metro", "metro_member", "flow", "target", "fact", "series_break", "source",
    "region_alias", "observation_history", "import_log", "meta", "data_origin",
)

# One literal statement per whitelisted table: no SQL is assembled at run time.
_TABLE_SQL = {
    "observation": "SELECT * FROM observation",
    "region": "SELECT * FROM region",
    "metro": "SELECT * FROM metro",
    "metro_member": "SELECT * FROM metro_member",
    "flow": "SELECT * FROM flow",
    "target": "SELECT * FROM target",
    "fact": "SELECT * FROM fact",
    "series_break": "SELECT * FROM series_break",
    "source": "SELECT * FROM source",
    "region_alias": "SELECT * FROM region_alias",
    "observation_history": "SELECT * FROM observation_history",
    "import_log": "SELECT * FROM import_log",
    "meta": "SELECT * FROM meta",
    "data_origin": "SELECT * FROM data_origin",
}
_COUNT_SQL = {
    "observation": "SELECT count(*) FROM observation",
    "region": "SELECT count(*) FROM region",
    "metro": "SELECT count(*) FROM metro",
    "metro_member": "SELECT count(*) FROM metro_member",
    "flow": "SELECT count(*) FROM flow",
    "target": "SELECT count(*) FROM target",
    "fact": "SELECT count(*) FROM fact",
    "series_break": "SELECT count(*) FROM series_break",
    "source": "SELECT count(*) FROM source",
    "region_alias": "SELECT count(*) FROM region_alias",
    "observation_history": "SELECT count(*) FROM observation_history",
    "import_log": "SELECT count(*) FROM import_log",
    "meta": "SELECT count(*) FROM meta",
    "data_origin": "SELECT count(*) FROM data_origin",
}


def metros(con) -> pd.DataFrame:
    return query_df(con, """
        SELECT m.metro_id, m.name_zh, m.name_en, m.core_code, m.plan_document, m.plan_year,
               m.stated_area_km2, m.group_name, m.color, m.source_id, m.membership_basis
        FROM metro m ORDER BY m.metro_id = 'chengdu' DESC, m.group_name NULLS LAST, m.metro_id""")


def metro_members(con) -> pd.DataFrame:
    return query_df(con, """
        SELECT mm.metro_id, mm.code, r.name_zh, r.name_en, mm.role, mm.parts, mm.valid_from, mm.valid_to,
               mm.source_id, mm.note, r.land_area_km2, r.seat_lon, r.seat_lat
        FROM metro_member mm LEFT JOIN region r ON r.code = mm.code
        ORDER BY mm.metro_id, CASE mm.role WHEN 'core' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, mm.code""")


def regions(con) -> pd.DataFrame:
    return query_df(con, """
        SELECT code, name_zh, name_en, level, parent_code, land_area_km2, seat_lon, seat_lat, valid_from, valid_to
        FROM region WHERE level = ? ORDER BY code""", ["prefecture"])


def provinces(con) -> pd.DataFrame:
    return query_df(con, "SELECT code, name_zh, name_en FROM region WHERE level = ? ORDER BY code", ["province"])


def observed_indicators(con) -> pd.DataFrame:
    return query_df(con, """
        SELECT indicator, count(*) AS n, min(year) AS first_year, max(year) AS last_year,
               count(DISTINCT code) AS n_regions
        FROM observation GROUP BY indicator ORDER BY indicator""")


def observations(con, indicator: str) -> pd.DataFrame:
    """Every observation of one indicator, with region names and the source title."""
    return query_df(con, """
        SELECT o.code, r.name_zh, r.name_en, o.year, o.indicator, o.value, o.quality, o.source_id,
               s.title AS source_title, o.note
        FROM observation o
        LEFT JOIN region r ON r.code = o.code
        LEFT JOIN source s ON s.source_id = o.source_id
        WHERE o.indicator = ?
        ORDER BY o.code, o.year""", [indicator])


def provenance(con, code: str, year: int, indicator: str) -> pd.DataFrame:
    """Every stored value (current and replaced) for one cell, with its source."""
    current = query_df(con, """
        SELECT o.value, o.quality, o.note, o.source_id, s.title, s.publisher, s.url, s.licence,
               s.date_published, s.date_accessed, 'current' AS status, NULL::TIMESTAMP AS replaced_at
        FROM observation o LEFT JOIN source s ON s.source_id = o.source_id
        WHERE o.code = ? AND o.year = ? AND o.indicator = ?""", [code, int(year), indicator])
    history = query_df(con, """
        SELECT h.value, h.quality, h.note, h.source_id, s.title, s.publisher, s.url, s.licence,
               s.date_published, s.date_accessed, 'replaced' AS status, h.replaced_at
        FROM observation_history h LEFT JOIN source s ON s.source_id = h.source_id
        WHERE h.code = ? AND h.year = ? AND h.indicator = ?""", [code, int(year), indicator])
    frames = [f for f in (current, history) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else current


def series_breaks(con) -> pd.DataFrame:
    return query_df(con, """
        SELECT b.code, r.name_zh, r.name_en, b.year, b.indicator, b.kind, b.description, b.change_pct, b.source_id
        FROM series_break b LEFT JOIN region r ON r.code = b.code ORDER BY b.code, b.year""")


def flows(con, kind: str) -> pd.DataFrame:
    return query_df(con, """
        SELECT f.origin_code, ro.name_zh AS origin_zh, ro.name_en AS origin_en,
               f.dest_code, rd.name_zh AS dest_zh, rd.name_en AS dest_en,
               f.year, f.period, f.kind, f.value, f.unit, f.source_id, s.title AS source_title, f.quality, f.note
        FROM flow f
        LEFT JOIN region ro ON ro.code = f.origin_code
        LEFT JOIN region rd ON rd.code = f.dest_code
        LEFT JOIN source s ON s.source_id = f.source_id
        WHERE f.kind = ?
        ORDER BY f.origin_code, f.dest_code, f.year""", [kind])


def flow_kinds(con) -> pd.DataFrame:
    return query_df(con, """
        SELECT kind, min(unit) AS unit, count(*) AS n, min(year) AS first_year, max(year) AS last_year,
               string_agg(DISTINCT quality, ',') AS qualities
        FROM flow GROUP BY kind ORDER BY kind""")


def targets(con) -> pd.DataFrame:
    return query_df(con, """
        SELECT t.target_id, t.scope, t.scope_kind, t.indicator, t.comparator, t.value, t.unit, t.target_year,
               t.base_year, t.base_value, t.applies_to, t.source_id, s.title AS source_title,
               s.date_published, t.note
        FROM target t LEFT JOIN source s ON s.source_id = t.source_id
        ORDER BY t.scope, t.indicator""")


def facts(con) -> pd.DataFrame:
    return query_df(con, """
        SELECT f.fact_id, f.metro_id, f.scope, f.topic, f.statement_zh, f.statement_en, f.value, f.unit,
               f.as_of, f.source_id, s.title AS source_title, s.date_published, f.quality
        FROM fact f LEFT JOIN source s ON s.source_id = f.source_id
        ORDER BY f.metro_id NULLS LAST, f.topic, f.fact_id""")


def sources(con) -> pd.DataFrame:
    return query_df(con, "SELECT * FROM source ORDER BY source_id")


_TABLE_SQL_LIMITED = {name: sql + " LIMIT ?" for name, sql in _TABLE_SQL.items()}


def table_rows(con, table: str, limit: int | None = 200_000) -> pd.DataFrame:
    """A whitelisted table: its first ``limit`` rows (the caller reports the real total from
    ``table_counts``), or every row with ``limit=None`` (downloads)."""
    if table not in _TABLE_SQL:
        raise ValueError(f"unknown table {table!r}")
    if limit is None:
        return query_df(con, _TABLE_SQL[table])
    return query_df(con, _TABLE_SQL_LIMITED[table], [int(limit)])


def table_counts(con) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in BROWSABLE_TABLES:
        try:
            out[name] = int(query_df(con, _COUNT_SQL[name]).iloc[0, 0])
        except Exception:  # a table another version of the schema lacks
            out[name] = 0
    return out
