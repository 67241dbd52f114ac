"""`python -m indicators tasks import FILE.xlsx [--db PATH] [--dry-run]` and
`python -m indicators tasks export --out FILE.xlsx [--plan ID] [--db PATH]`: the task ledger (任务台账).

Exit codes: 0 done (or nothing to change), 1 rejected (every error printed: file, row, column, reason;
nothing written), 2 bad usage or the database cannot be opened.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.paths import default_db_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="import a task ledger (the Excel template, or CSV with the same headers)")
    imp.add_argument("file", help="XLSX (or CSV) with the template's Chinese headers")
    imp.add_argument("--db", type=Path, default=None, help="database file (default: the project's built database)")
    imp.add_argument("--dry-run", action="store_true", help="check and print what would change; write nothing")
    exp = sub.add_parser("export", help="write the ledger as the Excel template")
    exp.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    exp.add_argument("--plan", help="only this plan's tasks (plan id)")
    exp.add_argument("--db", type=Path, default=None, help="database file (default: the project's built database)")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from indicators.store.db import connect

    db = args.db or default_db_path()
    if not Path(db).exists():
        print(f"database {db} does not exist: build it first (python -m indicators build)", file=sys.stderr)
        return 2
    try:
        con = connect(db, read_only=args.action == "export")
    except (duckdb.Error, OSError) as exc:
        print(f"cannot open the database {db}: {exc}\n(is the dashboard holding it? stop it, or use the 进程 page)",
              file=sys.stderr)
        return 2
    try:
        if args.action == "export":
            return _export(con, args)
        return _import(con, args)
    except duckdb.CatalogException as exc:
        print(f"{db} has no plan/task tables ({str(exc).splitlines()[0]}); rebuild it: python -m indicators build",
              file=sys.stderr)
        return 2
    finally:
        con.close()


def _export(con, args) -> int:
    from indicators.ingest.tasks import export_tasks

    try:
        n = export_tasks(con, args.out, args.plan)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"wrote {n} task(s) to {args.out}")
    return 0


def _import(con, args) -> int:
    from indicators.ingest import IngestError
    from indicators.ingest.tasks import apply_task_import, plan_task_import

    plan = plan_task_import(Path(args.file), Path(args.file).name, con)
    print(plan.summary())
    for w in plan.report.warnings[:50]:
        print(f"warning: {w}")
    if not plan.ok:
        print(f"\nREJECTED: {plan.report.errors_total} error(s); nothing written.", file=sys.stderr)
        print(plan.report.format(limit=500), file=sys.stderr)
        return 1
    if args.dry_run:
        if plan.inserts:
            print("would insert: " + ", ".join(plan.inserts[:50]) + (" …" if len(plan.inserts) > 50 else ""))
        if plan.updates:
            print("would update: " + ", ".join(plan.updates[:50]) + (" …" if len(plan.updates) > 50 else ""))
        print("(dry run: nothing written)")
        return 0
    try:
        result = apply_task_import(plan, con)
    except IngestError as exc:
        print(f"\nREJECTED: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0
