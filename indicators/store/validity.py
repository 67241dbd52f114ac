"""Validity in time: a region exists from ``region.valid_from`` to ``region.valid_to`` (巢湖 to 2011, 莱芜 to 2018,
儋州 as a prefecture from 2015). An observation for a year outside that span describes a unit that did not
exist in that form.

* Imports refuse such rows (``indicators.ingest.plan``), or with the explicit option
  ``allow_outside_validity`` store them with the flag ``outside_validity``.
* The build flags shipped rows of that kind (the shipped compilations report some units before they became
  prefectures, e.g. 儋州 2010–2014 as a county-level city) so that they are visible, not silent.
* ``check`` (``integrity_report``) lists every such row; unflagged ones are a hard problem.
"""
from __future__ import annotations

import duckdb
import pandas as pd

FLAG = "outside_validity"

_OUTSIDE = """
    FROM observation o JOIN region r ON r.code = o.code
    WHERE o.year < coalesce(r.valid_from, -32768) OR o.year > coalesce(r.valid_to, 32767)"""
_FLAGGED = "coalesce(list_contains(string_split(o.flags, ','), 'outside_validity'), false)"
_FLAG_SQL = ("UPDATE observation AS o SET flags = CASE WHEN o.flags IS NULL OR o.flags = '' THEN ? "
             "ELSE o.flags || ',' || ? END FROM region r WHERE r.code = o.code "
             "AND (o.year < coalesce(r.valid_from, -32768) OR o.year > coalesce(r.valid_to, 32767)) AND NOT " + _FLAGGED)
_COUNT_FLAGGED_SQL = "SELECT count(*) " + _OUTSIDE + " AND " + _FLAGGED
_ROWS_SQL = ("SELECT o.code, r.name_zh, o.year, o.indicator, o.source_id, r.valid_from, r.valid_to, "
             + _FLAGGED + " AS flagged " + _OUTSIDE + " ORDER BY o.code, o.year, o.indicator")
_ROWS_NO_FLAGS_SQL = ("SELECT o.code, r.name_zh, o.year, o.indicator, o.source_id, r.valid_from, r.valid_to "
                      + _OUTSIDE + " ORDER BY o.code, o.year, o.indicator")


def region_spans(con) -> pd.DataFrame:
    """code, name_zh, valid_from, valid_to of every region with a bounded span."""
    cur = con.cursor()
    try:
        return cur.execute("SELECT code, name_zh, valid_from, valid_to FROM region "
                           "WHERE valid_from IS NOT NULL OR valid_to IS NOT NULL").df()
    finally:
        cur.close()


def outside_mask(records: pd.DataFrame, spans: pd.DataFrame) -> pd.Series:
    """True for records (code, year) outside their region's validity years."""
    if records.empty or spans.empty:
        return pd.Series(False, index=records.index)
    merged = records[["code", "year"]].merge(spans, on="code", how="left")
    year = merged["year"].astype(float).to_numpy()
    lo = merged["valid_from"].astype(float).fillna(-32768).to_numpy()
    hi = merged["valid_to"].astype(float).fillna(32767).to_numpy()
    return pd.Series((year < lo) | (year > hi), index=records.index)


def span_text(valid_from, valid_to) -> str:
    lo = "" if pd.isna(valid_from) else str(int(valid_from))
    hi = "" if pd.isna(valid_to) else str(int(valid_to))
    return f"{lo or '…'}–{hi or '今'}"


def flag_outside_validity(con: duckdb.DuckDBPyConnection) -> int:
    """Add the ``outside_validity`` flag to every observation outside its region's span; returns the count."""
    cur = con.cursor()
    try:
        cur.execute(_FLAG_SQL, [FLAG, FLAG])
        return int(cur.execute(_COUNT_FLAGGED_SQL).fetchone()[0])
    finally:
        cur.close()


def outside_validity_rows(con) -> tuple[list[dict], int]:
    """(unflagged rows outside validity — a hard problem, flagged count)."""
    cur = con.cursor()
    try:
        try:
            rows = cur.execute(_ROWS_SQL).fetchall()
        except duckdb.BinderException:   # a store without the flags column: nothing is flagged
            rows = [r + (False,) for r in cur.execute(_ROWS_NO_FLAGS_SQL).fetchall()]
    finally:
        cur.close()
    unflagged = [{"code": c, "name_zh": n, "year": y, "indicator": i, "source_id": s,
                  "valid": span_text(lo, hi)} for c, n, y, i, s, lo, hi, f in rows if not f]
    return unflagged, sum(1 for r in rows if r[-1])
