"""A tiny database for ingest tests: the real schema, a few regions and aliases, one source, a few values."""
from __future__ import annotations

from pathlib import Path

import duckdb

from indicators.store.db import ensure_schema

REGIONS = [
    # code, name_zh, name_en, level, parent
    ("510000", "四川省", "Sichuan", "province", None),
    ("510100", "成都市", "Chengdu", "prefecture", "510000"),
    ("510600", "德阳市", "Deyang", "prefecture", "510000"),
    ("511400", "眉山市", "Meishan", "prefecture", "510000"),
    ("512000", "资阳市", "Ziyang", "prefecture", "510000"),
    ("320000", "江苏省", "Jiangsu", "province", None),
    ("320500", "苏州市", "Suzhou", "prefecture", "320000"),
    ("320100", "南京市", "Nanjing", "prefecture", "320000"),
    ("340000", "安徽省", "Anhui", "province", None),
    ("341300", "宿州市", "Suzhou", "prefecture", "340000"),
    ("220000", "吉林省", "Jilin", "province", None),
    ("220200", "吉林市", "Jilin", "prefecture", "220000"),
    ("310000", "上海市", "Shanghai", "province", None),
    ("310100", "上海市", "Shanghai", "prefecture", "310000"),
]
ALIASES = [("成都", "510100"), ("蓉城", "510100"), ("Chengdu", "510100"), ("苏州", "320500"), ("宿州", "341300"),
           ("Suzhou", "320500"), ("Suzhou", "341300"), ("吉林", "220000"), ("吉林", "220200"), ("上海", "310000"),
           ("上海", "310100")]
SEED_OBSERVATIONS = [("510100", 2019, "gdp", 17012.65, "seed_src", "official", None),
                     ("510100", 2019, "resident_population", 1658.1, "seed_src", "official", None)]


def make_tiny_db(path: Path) -> Path:
    con = duckdb.connect(str(path))
    try:
        ensure_schema(con)
        con.executemany("INSERT INTO region (code, name_zh, name_en, level, parent_code) VALUES (?, ?, ?, ?, ?)", REGIONS)
        con.executemany("INSERT INTO region_alias (alias, code) VALUES (?, ?)", ALIASES)
        con.execute("INSERT INTO source (source_id, title) VALUES (?, ?)", ["seed_src", "四川统计年鉴2020"])
        con.executemany("INSERT INTO observation (code, year, indicator, value, source_id, quality, note) VALUES (?, ?, ?, ?, ?, ?, ?)", SEED_OBSERVATIONS)
    finally:
        con.close()
    return path
