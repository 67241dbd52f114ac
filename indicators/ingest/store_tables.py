"""Which tables exist, and the only way a table name gets into SQL: through this whitelist."""
from __future__ import annotations

import re

import duckdb

from indicators.store.db import SCHEMA_PATH
from indicators.store.sql_ident import UnsafeIdentifier, ident

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def schema_tables() -> list[str]:
    """Tables declared in schema.sql, in declaration order."""
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    return re.findall(r"CREATE TABLE IF NOT EXISTS\s+([a-z_][a-z0-9_]*)", text)


def database_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Base tables of the main schema: schema.sql order first, then any others alphabetically."""
    cur = con.cursor()
    try:
        names = [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
    finally:
        cur.close()
    declared = schema_tables()
    ordered = [t for t in declared if t in names] + [t for t in names if t not in declared]
    return [t for t in ordered if _NAME.match(t)]


def quoted_table(name: str, allowed: list[str]) -> str:
    """'"name"' when ``name`` is in ``allowed`` (and a plain identifier); ValueError otherwise."""
    if not _NAME.match(name):
        raise ValueError(f"unknown table {name!r}; tables: {', '.join(allowed)}")
    try:
        return ident(name, allowed)
    except UnsafeIdentifier:
        raise ValueError(f"unknown table {name!r}; tables: {', '.join(allowed)}") from None


def select_all_sql(name: str, allowed: list[str], ordered: bool = False) -> str:
    """SELECT * FROM <whitelisted table> [ORDER BY ALL]."""
    quoted_table(name, allowed)   # a clear ValueError for an unknown name
    return "SELECT * FROM " + ident(name, allowed) + (" ORDER BY ALL" if ordered else "")
