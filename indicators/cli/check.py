"""`python -m indicators check [--db PATH] [--all-breaks] [--json]`: integrity report; exit 1 on a hard problem."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indicators.paths import default_db_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $TONGCHENG_DB or build/tongcheng.duckdb)")
    parser.add_argument("--all-breaks", action="store_true", help="list every known series break, not only boundary changes")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from indicators.store import db
    from indicators.store.integrity import format_report, integrity_report

    path = Path(args.db) if args.db else default_db_path()
    try:
        con = db.connect(path, read_only=True)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except duckdb.IOException as exc:
        print(f"cannot open {path} (is the dashboard or another process writing to it?): {exc}", file=sys.stderr)
        return 2
    try:
        report = integrity_report(con)
    finally:
        con.close()
    print(json.dumps(report, ensure_ascii=False, indent=1, default=str) if args.json else format_report(report, args.all_breaks))
    return 1 if report["hard_problems"] else 0
