"""`python -m indicators import FILE [--db PATH] [--indicator ID --unit U --year Y --source TEXT] [--dry-run]
[--replace]` and `import --all DIR` (restore a backup written by `export --all`).

Exit codes: 0 imported (or nothing to change), 1 rejected (errors printed, nothing written),
2 cannot open the database or bad usage.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.paths import default_db_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help="CSV (UTF-8/GBK), XLSX or Parquet file")
    parser.add_argument("--all", metavar="DIR", help="restore every table from a backup directory (export --all)")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: the project's built database)")
    parser.add_argument("--indicator", help="indicator id, Chinese/English name or yearbook alias (地区生产总值, GDP, 常住人口)")
    parser.add_argument("--unit", help="unit of the values when the file does not say (亿元, 万元, 万人, %%, ‰, 公里)")
    parser.add_argument("--year", type=int, help="year of the values when the file does not say")
    parser.add_argument("--source", help="source text (e.g. 四川统计年鉴2021); a source row is created if needed")
    parser.add_argument("--quality", default="official", help="quality flag when the file has no quality column")
    parser.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    parser.add_argument("--encoding", help="text encoding of a CSV (default: detected; UTF-8, GBK/GB18030)")
    parser.add_argument("--allow-outside-validity", action="store_true",
                        help="store values for a region outside its validity years (巢湖 after 2011, 莱芜 after 2018) "
                             "flagged outside_validity instead of rejecting them")
    parser.add_argument("--dry-run", action="store_true", help="print what would be inserted, updated and rejected")
    parser.add_argument("--replace", action="store_true",
                        help="overwrite values that differ from stored ones of the same source (old values kept "
                             "in observation_history); with --all: restore into a non-empty database")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from indicators.ingest import IngestError, apply_import, plan_import
    from indicators.store.db import connect

    if bool(args.file) == bool(args.all):
        print("give exactly one of FILE or --all DIR", file=sys.stderr)
        return 2
    db = args.db or default_db_path()
    if args.file and not Path(db).exists():
        print(f"database {db} does not exist: build it first (python -m indicators build)", file=sys.stderr)
        return 2
    try:
        con = connect(db)
    except (duckdb.Error, OSError) as exc:
        print(f"cannot open the database {db} for writing: {exc}\n(is the dashboard holding it? stop it, or import "
              "from the Data page)", file=sys.stderr)
        return 2
    try:
        if args.all:
            return _restore(con, Path(args.all), args.replace, args.dry_run)
        options = {k: v for k, v in dict(indicator=args.indicator, unit=args.unit, year=args.year, source=args.source,
                                         quality=args.quality, sheet=args.sheet, encoding=args.encoding).items()
                   if v is not None}
        if args.allow_outside_validity:
            options["allow_outside_validity"] = True
        plan = plan_import(Path(args.file), Path(args.file).name, con, options)
        print(plan.summary())
        if not plan.ok:
            print(f"\nREJECTED: {plan.report.errors_total} error(s); nothing written.", file=sys.stderr)
            print(plan.report.format(limit=200), file=sys.stderr)
            return 1
        if len(plan.conflicts):
            print(f"\n{len(plan.conflicts)} value(s) differ from stored values of the same source:")
            print(_conflict_table(plan.conflicts))
        if args.dry_run:
            print("\n(dry run: nothing written)")
            if len(plan.inserts):
                print("would insert (first 20):")
                print(plan.inserts.drop(columns=["note"]).head(20).to_string(index=False))
            return 1 if len(plan.conflicts) and not args.replace else 0
        try:
            result = apply_import(plan, con, replace=args.replace)
        except IngestError as exc:
            print(f"\nREJECTED: {exc}", file=sys.stderr)
            return 1
        print(result.summary())
        return 0
    finally:
        con.close()


def _conflict_table(conflicts) -> str:
    shown = conflicts[["row", "code", "year", "indicator", "source_id", "old_value", "value"]].head(50)
    return shown.rename(columns={"value": "new_value"}).to_string(index=False)


def _restore(con, directory: Path, replace: bool, dry_run: bool) -> int:
    from indicators.ingest import IngestError
    from indicators.ingest.backup import import_all, read_manifest

    try:
        manifest = read_manifest(directory)
        if dry_run:
            for table, entry in manifest["tables"].items():
                print(f"{table}: {entry['rows']:,} rows")
            print("(dry run: nothing written)")
            return 0
        counts = import_all(con, directory, replace=replace)
    except IngestError as exc:
        print(f"REJECTED: {exc}", file=sys.stderr)
        return 1
    for table, rows in counts.items():
        print(f"{table}: {rows:,} rows restored")
    return 0
