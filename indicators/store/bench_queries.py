"""The few statements the benchmarks run directly against a store (the naive baselines they compare with
and the sizes they report); everything else they measure goes through the product's own code."""
from __future__ import annotations

import pandas as pd


def prefecture_codes(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT code FROM region WHERE level = ? ORDER BY code", ["prefecture"]).fetchall()]


def insert_source(cur, source_id: str, title: str) -> None:
    cur.execute("INSERT INTO source (source_id, title) VALUES (?, ?)", [source_id, title])


def insert_observation(cur, code: str, year: int, indicator: str, value: float, source_id: str, quality: str) -> None:
    """One row, one statement: the naive import the benchmark compares the product's bulk import with."""
    cur.execute("INSERT INTO observation (code, year, indicator, value, source_id, quality) VALUES (?, ?, ?, ?, ?, ?)",
                [code, year, indicator, value, source_id, quality])


def od_size_and_kind(con) -> tuple[int, str | None]:
    n = con.execute("SELECT count(*) FROM od_flow").fetchone()[0]
    row = con.execute("SELECT kind FROM od_flow LIMIT 1").fetchone()
    return int(n), (row[0] if row else None)


def od_sample(con, kind: str, limit: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(OD rows of one kind, regions with level and parent, metro members with a core flag) for the naive loop."""
    od = con.execute("SELECT origin_code, dest_code, year, value FROM od_flow WHERE kind = ? LIMIT ?",
                     [kind, limit]).df()
    regions = con.execute("SELECT code, level, parent_code FROM region").df()
    members = con.execute("""SELECT mm.metro_id, mm.code, mm.code = m.core_code AS is_core
                             FROM metro_member mm JOIN metro m USING (metro_id)""").df()
    return od, regions, members
