"""The SQL of the synthetic national-scale dataset (``indicators.synth`` generates the frames; this module owns
how they are read from a reference store and written into the synthetic one)."""
from __future__ import annotations

import duckdb
import pandas as pd

from indicators.store.db import transaction

_READ_REGIONS = """
SELECT code, name_zh, name_en, level, parent_code, land_area_km2, seat_lon, seat_lat, valid_from, valid_to, source_id
FROM region WHERE level = ? AND valid_to IS NULL ORDER BY code
"""


def dataset_mark(con) -> str | None:
    """The ``meta.dataset`` mark of a store (the synthetic generator writes one), or None."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", ["dataset"]).fetchone()
    return row[0] if row else None


def read_reference_tables(con) -> dict[str, pd.DataFrame] | None:
    """Provinces, prefectures (in force), metros, members and sources of a built store; None without regions."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "region" not in tables:
        return None
    return {
        "prefectures": con.execute(_READ_REGIONS, ["prefecture"]).df(),
        "provinces": con.execute(_READ_REGIONS, ["province"]).df(),
        "metros": con.execute("SELECT * FROM metro").df() if "metro" in tables else pd.DataFrame(),
        "members": con.execute("SELECT * FROM metro_member").df() if "metro_member" in tables else pd.DataFrame(),
        "sources": con.execute("SELECT * FROM source").df() if "source" in tables else pd.DataFrame(),
    }


def write_reference_tables(con: duckdb.DuckDBPyConnection, source_row: list, sources: pd.DataFrame,
                           regions: pd.DataFrame, metros: pd.DataFrame, members: pd.DataFrame,
                           indicators: pd.DataFrame, meta: list[tuple[str, str]]) -> None:
    """Sources, regions, metros, members, the synthetic indicator table and meta marks, in one transaction."""
    with transaction(con) as tx:
        tx.execute("INSERT INTO source (source_id, title, publisher, url, licence, date_accessed, date_published, notes) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", list(source_row))
        if len(sources):
            tx.register("ref_sources", sources)
            tx.execute("INSERT INTO source BY NAME SELECT * FROM ref_sources")
        tx.register("ref_regions", regions)
        tx.execute("INSERT INTO region BY NAME SELECT * FROM ref_regions")
        if len(metros):
            tx.register("ref_metros", metros)
            tx.execute("INSERT INTO metro BY NAME SELECT * FROM ref_metros")
        if len(members):
            tx.register("ref_members", members)
            tx.execute("INSERT INTO metro_member BY NAME SELECT * FROM ref_members")
        tx.register("ind_frame", indicators)
        tx.execute("CREATE OR REPLACE TABLE synthetic_indicator AS SELECT * FROM ind_frame")
        tx.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta)


def load_observations_parquet(con, path: str) -> None:
    """Append the observations of a Parquet file (code, year, indicator, value, source_id, quality)."""
    with transaction(con) as tx:
        tx.execute("""INSERT INTO observation (code, year, indicator, value, source_id, quality)
                      SELECT CAST(code AS VARCHAR), year, CAST(indicator AS VARCHAR), value,
                             CAST(source_id AS VARCHAR), CAST(quality AS VARCHAR)
                      FROM read_parquet(?)""", [str(path)])


def national_observations(con) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit, year, indicator, value) of every observation and the synthetic indicator table (direction, dimension)."""
    obs = con.execute("SELECT code AS unit, year, indicator, value FROM observation").df()
    meta = con.execute("SELECT indicator, direction, dimension FROM synthetic_indicator").df()
    return obs, meta
