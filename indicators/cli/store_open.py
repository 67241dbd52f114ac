"""Open the store read-only for a CLI command, or say in one line why not (exit code 2)."""
from __future__ import annotations

import sys
from pathlib import Path

from indicators.paths import default_db_path


def open_read_only(db_arg) -> tuple[object | None, Path]:
    """(connection or None, path); on None the reason is already printed to stderr."""
    import duckdb

    from indicators.store import db

    path = Path(db_arg) if db_arg else default_db_path()
    try:
        return db.connect(path, read_only=True), path
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
    except duckdb.IOException as exc:
        print(f"cannot open {path} (is the dashboard or another process writing to it?): {exc}", file=sys.stderr)
    return None, path
