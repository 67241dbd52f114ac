"""`python -m indicators check [--db PATH] [--all-breaks] [--json]`: integrity report; exit 1 on a hard problem."""
from __future__ import annotations

import argparse
import json
from pathlib import Path



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $TONGCHENG_DB or build/tongcheng.duckdb)")
    parser.add_argument("--all-breaks", action="store_true", help="list every known series break, not only boundary changes")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    from indicators.cli.store_open import open_read_only
    from indicators.store.integrity import format_report, integrity_report

    con, path = open_read_only(args.db)
    if con is None:
        return 2
    try:
        report = integrity_report(con)
    finally:
        con.close()
    print(json.dumps(report, ensure_ascii=False, indent=1, default=str) if args.json else format_report(report, args.all_breaks))
    return 1 if report["hard_problems"] else 0
