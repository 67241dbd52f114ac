"""The default dataset builds and the core read queries answer."""
from __future__ import annotations

import duckdb

from indicators.store import queries as q


def test_build_has_every_metro(default_db):
    con = duckdb.connect(str(default_db), read_only=True)
    ids = set(q.metros(con).metro_id)
    assert ids == {"chengdu", "shanghai", "nanjing", "hangzhou", "hefei", "suxichang", "ningbo", "fuzhou", "wuhan",
                   "xian", "chongqing"}
    members = q.metro_members(con, "chengdu")
    assert dict(zip(members.code, members.role)) == {"510100": "core", "510600": "partial", "511400": "partial",
                                                     "512000": "partial"}
    assert members.loc[members.code == "510600", "parts"].item() == "市区、什邡、广汉、中江"
    con.close()
