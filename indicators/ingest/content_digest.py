"""A canonical dump of the store (every table, rows sorted, as CSV text) and its hash: the test that a
rejected import left the database "byte-for-byte unchanged in content" compares these."""
from __future__ import annotations

import hashlib
import io

import duckdb

from indicators.store.data_version import KEY as DATA_VERSION_KEY
from indicators.ingest.store_tables import database_tables, select_all_sql


def table_dump(con: duckdb.DuckDBPyConnection, table: str, allowed: list[str] | None = None,
               in_transaction: bool = False) -> bytes:
    """CSV bytes of ``table`` with a header and every row sorted by all columns.

    ``in_transaction``: ``con`` is a cursor inside an open transaction; read through it (a new cursor
    would not see the transaction's uncommitted rows)."""
    import pyarrow.csv as pacsv

    allowed = allowed if allowed is not None else database_tables(con)
    sql = select_all_sql(table, allowed, ordered=True)
    if in_transaction:
        arrow = con.sql(sql).to_arrow_table()
    else:
        cur = con.cursor()
        try:
            arrow = cur.sql(sql).to_arrow_table()
        finally:
            cur.close()
    if table == "meta":   # the data version counts this file's writes: bookkeeping, not content
        import pyarrow.compute as pc

        arrow = arrow.filter(pc.not_equal(arrow["key"], DATA_VERSION_KEY))
    buffer = io.BytesIO()
    pacsv.write_csv(arrow, buffer)
    return buffer.getvalue()


def content_digest(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """table -> sha256 of its canonical dump, for every table of the database."""
    tables = database_tables(con)
    return {t: hashlib.sha256(table_dump(con, t, tables)).hexdigest() for t in tables}


def database_digest(con: duckdb.DuckDBPyConnection) -> str:
    """One hash over every table's digest."""
    parts = sorted(content_digest(con).items())
    return hashlib.sha256("\n".join(f"{t}:{h}" for t, h in parts).encode()).hexdigest()
