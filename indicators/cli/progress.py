"""`python -m indicators progress --plan ID [--year Y] [--metro M] [--format table|csv] [--db PATH]`:
one row per area of the plan —
plan_id, area, tasks, done, in_progress, not_started, delayed, unknown, progress_score — then the plan's row.

``--year``: the ledger as it stood at the end of that year (from the task history) and data up to that year.
``--task-weight`` / ``--indicator-weight``: the 建设进程 score's weights (default 0.5 / 0.5); ``--log`` prints
the score's build log (every step and parameter).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.paths import default_db_path

COLUMNS = ["plan_id", "area", "tasks", "done", "in_progress", "not_started", "delayed", "unknown", "progress_score"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, help="plan id (see `tasks export` sheet 规划与领域)")
    parser.add_argument("--year", type=int, help="evaluate as at the end of this year")
    parser.add_argument("--metro", action="append", help="metro id(s) whose series the targets use "
                        "(default: the plan's metro, or every metro of its group)")
    parser.add_argument("--format", choices=("table", "csv"), default="table")
    parser.add_argument("--task-weight", type=float, default=0.5)
    parser.add_argument("--indicator-weight", type=float, default=0.5)
    parser.add_argument("--log", action="store_true", help="print the score's build log after the table")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: the project's built database)")


def frame(result):
    import pandas as pd

    rows = result.areas.assign(area=result.areas["area_id"] + " " + result.areas["area"])[COLUMNS]
    total = {**{k: result.plan[k] for k in COLUMNS if k in result.plan}, "area": "ALL"}
    out = pd.concat([rows, pd.DataFrame([total])], ignore_index=True)[COLUMNS]
    out["progress_score"] = pd.to_numeric(out["progress_score"], errors="coerce").round(1)
    return out


def run(args: argparse.Namespace) -> int:
    import duckdb

    from indicators.engine.progress import ProgressSpec
    from indicators.engine.progress_inputs import UnknownPlan, compute_plan_progress
    from indicators.store.db import connect

    db = args.db or default_db_path()
    if not Path(db).exists():
        print(f"database {db} does not exist: build it first (python -m indicators build)", file=sys.stderr)
        return 2
    try:
        spec = ProgressSpec(task_weight=args.task_weight, indicator_weight=args.indicator_weight)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        con = connect(db, read_only=True)
    except (duckdb.Error, OSError) as exc:
        print(f"cannot open the database {db}: {exc}", file=sys.stderr)
        return 2
    try:
        result = compute_plan_progress(con, args.plan, args.metro, args.year, spec)
    except UnknownPlan as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except duckdb.CatalogException as exc:
        print(f"{db} has no plan/task tables ({str(exc).splitlines()[0]}); rebuild it: python -m indicators build",
              file=sys.stderr)
        return 2
    finally:
        con.close()
    out = frame(result)
    if args.format == "csv":
        from indicators.export.tables import csv_text   # the one neutralising writer

        sys.stdout.write(csv_text(out))
    else:
        print(out.to_string(index=False, na_rep="—"))
        stated = result.plan.get("tasks_stated")
        if stated is not None and stated == stated:
            print(f"\nthe plan states {int(stated)} tasks; the ledger holds {int(result.plan['tasks'])}")
        p = result.plan
        with_data = int(result.targets["part"].notna().sum()) if len(result.targets) else 0
        fmt = lambda v: "—" if v is None else f"{v:.1f}"   # noqa: E731
        print(f"score parts: tasks {fmt(p['task_score'])} ({p['tasks'] - p['unknown']} of {p['tasks']} tasks with a "
              f"known status), indicators {fmt(p['indicator_score'])} ({with_data} of {len(result.targets)} "
              f"target × metro pairs with data); weights {spec.task_weight} / {spec.indicator_weight}")
        if p["task_score"] is None:
            print("no task has a known status (未知): no task score; import a ledger with `tasks import`")
    if args.log:
        print(result.log.to_json())
    return 0
