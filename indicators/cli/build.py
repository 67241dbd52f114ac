"""`python -m indicators build [--db PATH]`: build the database from the shipped data in data/."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.paths import default_db_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $TONGCHENG_DB or build/tongcheng.duckdb)")


def run(args: argparse.Namespace) -> int:
    from indicators.store.build import BuildError, build_database

    path = Path(args.db) if args.db else default_db_path()
    try:
        counts = build_database(path)
    except BuildError as exc:
        print(f"build failed, {path} left unchanged:\n{exc}", file=sys.stderr)
        return 1
    seconds = counts.pop("seconds", None)
    print(f"built {path} in {seconds} s")
    for table, n in counts.items():
        print(f"  {table:<14} {n:>7,} rows")
    return 0
