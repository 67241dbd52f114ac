"""`python -m indicators build [--db PATH]`: build the database from the shipped data in data/."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.paths import default_db_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, help="database file (default: $TONGCHENG_DB or build/tongcheng.duckdb)")


def run(args: argparse.Namespace) -> int:
    import duckdb

    from indicators.store.build import BuildError, build_database

    path = Path(args.db) if args.db else default_db_path()
    try:
        counts = build_database(path)
    except BuildError as exc:
        print(f"build failed, {path} left unchanged:\n{exc}", file=sys.stderr)
        return 1
    except (OSError, duckdb.Error) as exc:   # a full disk, a quota, a file-size limit, no permission
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0][:200]
        full = any(w in reason.lower() for w in ("no space", "quota", "file too large", "disk full"))
        what = "the disk is full (or a quota/file-size limit was reached)" if full else reason
        todo = "free space (or pass --db on another disk)" if full else "check the folder and its permissions"
        print(f"build of {path} stopped: {what}. The existing database (if any) is unchanged and the partial "
              f"file was removed; {todo}, then run `python -m indicators build` again.", file=sys.stderr)
        return 1
    seconds = counts.pop("seconds", None)
    print(f"built {path} in {seconds} s")
    for table, n in counts.items():
        print(f"  {table:<14} {n:>7,} rows")
    return 0
