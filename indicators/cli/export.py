"""`python -m indicators export --table T --format csv|xlsx|parquet --out FILE` and `export --all DIR`
(a lossless backup: every table as Parquet + manifest.json; restore with `import --all DIR`)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.paths import default_db_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, help="database file (default: the project's built database)")
    parser.add_argument("--table", help="table to export (observation, region, flow, source, ...)")
    parser.add_argument("--format", choices=["csv", "xlsx", "parquet"], help="default: from --out's extension")
    parser.add_argument("--out", type=Path, help="output file")
    parser.add_argument("--all", metavar="DIR", type=Path, help="back up every table into DIR (Parquet + manifest.json)")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from indicators.export.tables import export_table
    from indicators.ingest.backup import export_all
    from indicators.ingest.store_tables import database_tables
    from indicators.store.db import connect

    db = args.db or default_db_path()
    if args.all is None and not (args.table and args.out):
        print("give --table T --out FILE [--format F], or --all DIR", file=sys.stderr)
        return 2
    try:
        con = connect(db, read_only=True)
    except (duckdb.Error, OSError) as exc:
        print(f"cannot open the database {db}: {exc}", file=sys.stderr)
        return 2
    try:
        if args.all is not None:
            from indicators.ingest import IngestError

            try:
                manifest = export_all(con, args.all)
            except IngestError as exc:
                print(f"export --all failed: {exc}", file=sys.stderr)
                return 1
            for table, entry in manifest["tables"].items():
                print(f"{table}: {entry['rows']:,} rows -> {args.all / entry['file']}")
            print(f"manifest: {args.all / 'manifest.json'}")
            return 0
        try:
            rows = export_table(con, args.table, args.out, args.format)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"export to {args.out} failed: {exc.strerror or exc}; nothing was left at {args.out}; free space "
                  "or choose another folder", file=sys.stderr)
            return 1
        print(f"{args.table}: {rows:,} rows -> {args.out}")
        return 0
    finally:
        con.close()
