"""Origin–destination (OD) flows at county or city level: bulk import and aggregation to metro level.

Large OD matrices (county × county × year, e.g. commuting counts from mobile-signalling data) live in
their own table ``od_flow``, not in the store's small ``flow`` table. ``od_flow`` has no primary-key
index on purpose: DuckDB builds an ART index row by row, which makes a 10-million-row load take
≈ 24 s on 2 cores instead of ≈ 2 s (measured). Uniqueness of (origin, dest, year, kind, source) is
checked set-based on every import instead, in a staging table, before anything is inserted.

Everything is set-based SQL: the file is read by DuckDB (``read_parquet`` / ``read_csv``), validated
with a few GROUP BY queries, and inserted with one ``INSERT … SELECT`` inside one transaction.
Aggregation first sums county flows to city pairs (10 M rows → ≈ 100 k), then joins city pairs with
metro membership — so its cost grows with rows once, not with rows × metros.

Definitions used by :func:`aggregate_to_metro` (inter-city = origin city ≠ destination city):

* ``outflow``: inter-city flow leaving the metro's member cities (to anywhere);
* ``internal``: the part of ``outflow`` that ends in another member city of the same metro;
* ``internal_share`` = internal / outflow (%);
* ``core_bound``: flow from the non-core member cities to the core city;
* ``core_bound_share`` = core_bound / inter-city outflow of the non-core members (%);
* ``within_city``: flow whose origin and destination are in the same member city (county → county).

A partial member (only some of its counties are in the plan) counts with all its counties: the
county lists of partial members are text in ``metro_member.parts``, not codes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from indicators.store.db import transaction

QUALITY_FLAGS = ("official", "cross_checked", "single_source", "conflict", "census", "estimate", "modelled", "synthetic")

OD_DDL = """
CREATE TABLE IF NOT EXISTS od_flow (
    origin_code   VARCHAR NOT NULL,      -- 6-digit GB/T 2260 (county or prefecture)
    dest_code     VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,      -- 'commuting' | 'migration' | ...
    value         DOUBLE  NOT NULL,      -- in `unit`
    unit          VARCHAR NOT NULL,      -- e.g. '人次'
    source_id     VARCHAR NOT NULL,
    quality       VARCHAR NOT NULL CHECK (quality IN ('official', 'cross_checked', 'single_source', 'conflict',
                                                      'census', 'estimate', 'modelled', 'synthetic'))
);
"""

# Columns a file must provide; `unit`, `source_id`, `quality` may come from arguments instead.
REQUIRED_COLUMNS = ("origin_code", "dest_code", "year", "kind", "value")
OPTIONAL_COLUMNS = ("unit", "source_id", "quality")

# A CSV is parsed once into a temp table; a Parquet file is read in place through a temp view
# (`od_src`, created from a relation, so no SQL is built from the path).
_STAGE_CSV = "CREATE OR REPLACE TEMP TABLE od_src AS SELECT * FROM read_csv(?, header = true, all_varchar = true)"

# One pass over the file for every per-row rule; distinct codes and keys in two more passes.
_ROW_CHECKS = """
SELECT count(*) AS rows,
       count_if(TRY_CAST(value AS DOUBLE) IS NULL OR isnan(TRY_CAST(value AS DOUBLE)) OR TRY_CAST(value AS DOUBLE) < 0) AS bad_value,
       count_if(TRY_CAST(year AS INTEGER) IS NULL OR TRY_CAST(year AS INTEGER) NOT BETWEEN 1949 AND 2100) AS bad_year,
       count_if(kind IS NULL OR CAST(kind AS VARCHAR) = '') AS bad_kind
FROM od_src
"""
_ROW_CHECKS_FULL = """
SELECT count_if(unit IS NULL OR source_id IS NULL OR quality IS NULL
                OR CAST(quality AS VARCHAR) NOT IN ('official', 'cross_checked', 'single_source', 'conflict',
                                                    'census', 'estimate', 'modelled', 'synthetic'))
FROM od_src
"""
_CODE_CHECK = """
SELECT count(*) FROM (
    SELECT DISTINCT CAST(origin_code AS VARCHAR) AS c FROM od_src
    UNION SELECT DISTINCT CAST(dest_code AS VARCHAR) FROM od_src
) WHERE c IS NULL OR NOT regexp_full_match(c, '[0-9]{6}')
"""
_DUPLICATE_CHECK = """
SELECT count(*) - count(DISTINCT (CAST(origin_code AS VARCHAR), CAST(dest_code AS VARCHAR),
                                  TRY_CAST(year AS INTEGER), CAST(kind AS VARCHAR)))
FROM od_src
"""
_OVERLAP_CANDIDATE = "SELECT count(*) FROM od_flow WHERE source_id = ?"
_OVERLAP = """
SELECT count(*) FROM od_src s
JOIN od_flow f ON f.origin_code = CAST(s.origin_code AS VARCHAR) AND f.dest_code = CAST(s.dest_code AS VARCHAR)
              AND f.year = TRY_CAST(s.year AS INTEGER) AND f.kind = CAST(s.kind AS VARCHAR) AND f.source_id = ?
"""
_OVERLAP_FULL = """
SELECT count(*) FROM od_src s
JOIN od_flow f ON f.origin_code = CAST(s.origin_code AS VARCHAR) AND f.dest_code = CAST(s.dest_code AS VARCHAR)
              AND f.year = TRY_CAST(s.year AS INTEGER) AND f.kind = CAST(s.kind AS VARCHAR)
              AND f.source_id = CAST(s.source_id AS VARCHAR)
"""
_INSERT = """
INSERT INTO od_flow (origin_code, dest_code, year, kind, value, unit, source_id, quality)
SELECT CAST(origin_code AS VARCHAR), CAST(dest_code AS VARCHAR), CAST(year AS INTEGER), CAST(kind AS VARCHAR),
       CAST(value AS DOUBLE), ?, ?, ?
FROM od_src
"""
_INSERT_FULL = """
INSERT INTO od_flow (origin_code, dest_code, year, kind, value, unit, source_id, quality)
SELECT CAST(origin_code AS VARCHAR), CAST(dest_code AS VARCHAR), CAST(year AS INTEGER), CAST(kind AS VARCHAR),
       CAST(value AS DOUBLE), CAST(unit AS VARCHAR), CAST(source_id AS VARCHAR), CAST(quality AS VARCHAR)
FROM od_src
"""


class ODImportError(ValueError):
    """The file was rejected as a whole; nothing was written. ``problems`` maps check → row count."""

    def __init__(self, problems: dict[str, int]):
        self.problems = problems
        super().__init__("OD import rejected: " + ", ".join(f"{k}={v}" for k, v in problems.items()))


@dataclass(frozen=True)
class ODImportResult:
    rows: int
    source_id: str | None
    problems: dict[str, int] = field(default_factory=dict)


def ensure_od_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``od_flow`` if it does not exist (idempotent)."""
    con.execute(OD_DDL)


def import_od(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    unit: str | None = None,
    source_id: str | None = None,
    quality: str | None = None,
) -> ODImportResult:
    """Load a Parquet or CSV OD file into ``od_flow`` in one transaction, or reject it whole.

    The file has columns origin_code, dest_code, year, kind, value and either its own unit, source_id,
    quality columns or all three given as arguments (which then apply to every row). Rejected when any
    row has a malformed code, a negative/missing value, a bad year or quality, a duplicate key inside the
    file, or a key already stored under the same source_id.
    """
    path = str(Path(path))
    is_parquet = path.lower().endswith((".parquet", ".pq"))
    ensure_od_table(con)
    with transaction(con) as tx:
        if is_parquet:
            tx.read_parquet(path).create_view("od_src", replace=True)
        else:
            tx.execute(_STAGE_CSV, [path])
        result = _validate_and_insert(tx, unit, source_id, quality)  # raises -> the transaction rolls back
        if is_parquet:
            tx.execute("DROP VIEW IF EXISTS od_src")
        else:
            tx.execute("DROP TABLE IF EXISTS od_src")
    return result


def _validate_and_insert(tx: duckdb.DuckDBPyConnection, unit: str | None, source_id: str | None,
                         quality: str | None) -> ODImportResult:
    cols = {str(c) for c in tx.table("od_src").columns}
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise ODImportError({f"missing_column:{c}": 0 for c in missing})
    per_row = all(c in cols for c in OPTIONAL_COLUMNS)
    use_args = unit is not None or source_id is not None or quality is not None or not per_row
    if use_args:
        if unit is None or source_id is None or quality is None:
            raise ODImportError({"missing_unit_source_or_quality": 0})
        if quality not in QUALITY_FLAGS:
            raise ODImportError({"bad_quality": 0})
    n, bad_value, bad_year, bad_kind = tx.execute(_ROW_CHECKS).fetchone()
    problems = {"bad_value": bad_value, "bad_year": bad_year, "bad_kind": bad_kind,
                "bad_code": tx.execute(_CODE_CHECK).fetchone()[0],
                "duplicate": tx.execute(_DUPLICATE_CHECK).fetchone()[0]}
    if use_args:
        if tx.execute(_OVERLAP_CANDIDATE, [source_id]).fetchone()[0]:
            problems["already_stored"] = tx.execute(_OVERLAP, [source_id]).fetchone()[0]
    else:
        problems["bad_unit_source_or_quality"] = tx.execute(_ROW_CHECKS_FULL).fetchone()[0]
        if tx.execute("SELECT count(*) FROM od_flow").fetchone()[0]:
            problems["already_stored"] = tx.execute(_OVERLAP_FULL).fetchone()[0]
    problems = {k: int(v) for k, v in problems.items() if v}
    if problems:
        raise ODImportError(problems)
    if use_args:
        tx.execute(_INSERT, [unit, source_id, quality])
    else:
        tx.execute(_INSERT_FULL)
    return ODImportResult(rows=int(n), source_id=source_id)


_AGGREGATE = """
WITH unit_city AS (
    SELECT code, CASE WHEN level = 'county' THEN parent_code ELSE code END AS city
    FROM region WHERE level IN ('prefecture', 'county')
),
city_pairs AS (
    SELECT f.year, uo.city AS o_city, ud.city AS d_city, sum(f.value) AS v
    FROM od_flow f
    JOIN unit_city uo ON uo.code = f.origin_code
    JOIN unit_city ud ON ud.code = f.dest_code
    WHERE f.kind = ? AND (CAST(? AS INTEGER) IS NULL OR f.year = CAST(? AS INTEGER))
    GROUP BY ALL
),
members AS (
    SELECT mm.metro_id, mm.code, mm.valid_from, mm.valid_to, (mm.code = m.core_code) AS is_core
    FROM metro_member mm JOIN metro m ON m.metro_id = mm.metro_id
)
SELECT mo.metro_id, p.year,
       coalesce(sum(p.v) FILTER (WHERE p.o_city <> p.d_city), 0) AS outflow,
       coalesce(sum(p.v) FILTER (WHERE p.o_city <> p.d_city AND md.metro_id IS NOT NULL), 0) AS internal,
       coalesce(sum(p.v) FILTER (WHERE p.o_city <> p.d_city AND NOT mo.is_core), 0) AS member_outflow,
       coalesce(sum(p.v) FILTER (WHERE p.o_city <> p.d_city AND NOT mo.is_core AND md.is_core), 0) AS core_bound,
       coalesce(sum(p.v) FILTER (WHERE p.o_city = p.d_city), 0) AS within_city
FROM city_pairs p
JOIN members mo ON mo.code = p.o_city AND p.year BETWEEN mo.valid_from AND mo.valid_to
LEFT JOIN members md ON md.metro_id = mo.metro_id AND md.code = p.d_city
                     AND p.year BETWEEN md.valid_from AND md.valid_to
GROUP BY mo.metro_id, p.year
ORDER BY mo.metro_id, p.year
"""

METRO_COLUMNS = ["metro_id", "year", "outflow", "internal", "internal_share", "member_outflow", "core_bound",
                 "core_bound_share", "within_city"]


def _with_shares(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    out = df["outflow"].where(df["outflow"] > 0)
    mem = df["member_outflow"].where(df["member_outflow"] > 0)
    df["internal_share"] = 100.0 * df["internal"] / out
    df["core_bound_share"] = 100.0 * df["core_bound"] / mem
    return df[METRO_COLUMNS].reset_index(drop=True)


def aggregate_to_metro(con: duckdb.DuckDBPyConnection, kind: str, year: int | None = None) -> pd.DataFrame:
    """Metro × year totals of one OD kind (see the module docstring for each column).

    Needs ``region`` (county rows with ``parent_code`` = their prefecture), ``metro`` and
    ``metro_member`` in the same database. Codes not in ``region`` are left out.
    """
    cur = con.cursor()
    try:
        df = cur.execute(_AGGREGATE, [kind, year, year]).df()
    finally:
        cur.close()
    return _with_shares(df)


def aggregate_to_metro_pandas(od: pd.DataFrame, regions: pd.DataFrame, metros: pd.DataFrame,
                              members: pd.DataFrame, kind: str, year: int | None = None) -> pd.DataFrame:
    """The same figures as :func:`aggregate_to_metro`, with pandas merges and groupby.

    A reference implementation for tests and small frames (columns as in the store tables).
    """
    od = od[od["kind"] == kind]
    if year is not None:
        od = od[od["year"] == year]
    unit_city = regions[regions["level"].isin(["prefecture", "county"])].copy()
    unit_city["city"] = unit_city["code"].where(unit_city["level"] != "county", unit_city["parent_code"])
    uc = unit_city.set_index("code")["city"]
    od = od.assign(o_city=od["origin_code"].map(uc), d_city=od["dest_code"].map(uc)).dropna(subset=["o_city", "d_city"])
    pairs = od.groupby(["year", "o_city", "d_city"], as_index=False)["value"].sum()
    mem = members.merge(metros[["metro_id", "core_code"]], on="metro_id")
    mem["is_core"] = mem["code"] == mem["core_code"]
    rows = []
    for (metro_id, year_), grp in _pairs_by_metro(pairs, mem):
        inter = grp[grp["o_city"] != grp["d_city"]]
        rows.append({
            "metro_id": metro_id, "year": year_,
            "outflow": inter["value"].sum(),
            "internal": inter.loc[inter["d_in"], "value"].sum(),
            "member_outflow": inter.loc[~inter["o_core"], "value"].sum(),
            "core_bound": inter.loc[~inter["o_core"] & inter["d_core"], "value"].sum(),
            "within_city": grp.loc[grp["o_city"] == grp["d_city"], "value"].sum(),
        })
    df = pd.DataFrame(rows, columns=["metro_id", "year", "outflow", "internal", "member_outflow", "core_bound", "within_city"])
    df = df.sort_values(["metro_id", "year"])
    return _with_shares(df)


def _pairs_by_metro(pairs: pd.DataFrame, mem: pd.DataFrame):
    for metro_id, m in mem.groupby("metro_id"):
        def active(year_series: pd.Series, code_series: pd.Series) -> tuple[pd.Series, pd.Series]:
            is_in = pd.Series(False, index=year_series.index)
            is_core = pd.Series(False, index=year_series.index)
            for row in m.itertuples():
                hit = (code_series == row.code) & (year_series >= row.valid_from) & (year_series <= row.valid_to)
                is_in |= hit
                if row.is_core:
                    is_core |= hit
            return is_in, is_core
        o_in, o_core = active(pairs["year"], pairs["o_city"])
        sub = pairs[o_in].copy()
        sub["o_core"] = o_core[o_in]
        d_in, d_core = active(sub["year"], sub["d_city"])
        sub["d_in"] = d_in
        sub["d_core"] = d_core
        for year_, grp in sub.groupby("year"):
            yield (metro_id, int(year_)), grp
