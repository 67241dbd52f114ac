"""Build the DuckDB store from the shipped text tables in ``data/``.

``build_database(path)`` writes into ``path.with_suffix('.tmp')``, validates, and only then moves the
file into place with ``os.replace`` — a build that fails leaves an existing database untouched. It reads
``data/`` only (never ``../shared``). Every ``data/*.csv`` has a ``*.meta.yaml`` sidecar whose ``table`` key
names the store table its rows go into.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from indicators.paths import DATA_DIR
from indicators.store import db
from indicators.store.sql_ident import ident

EXTRA_SCHEMA_PATH = Path(__file__).with_name("schema_extra.sql")

# Tables the shipped data may load into, in load order (identifiers only ever come from here).
LOADABLE_TABLES = ("source", "source_citation", "region", "region_alias", "metro", "metro_member", "observation", "series_break",
                   "flow", "target", "fact", "plan", "plan_area", "plan_target", "task",
                   "census_unit", "census_value", "metro_scope", "metro_scope_member", "metro_county_member")
METRO_SCHEMA_PATH = Path(__file__).with_name("schema_metro.sql")
VALID_QUALITY = ("official", "cross_checked", "single_source", "conflict", "census", "estimate", "modelled", "synthetic")
SIDECAR_KEYS = ("table", "producer", "title", "url", "date_accessed", "licence", "processing")


class BuildError(RuntimeError):
    """The shipped data is inconsistent; the message says what to fix."""


def data_files(data_dir: Path = DATA_DIR) -> list[tuple[Path, dict]]:
    """Every ``data/*.csv`` with its parsed sidecar, in table load order."""
    out = []
    for csv_path in sorted(data_dir.glob("*.csv")):
        meta_path = csv_path.with_suffix(".meta.yaml")
        if not meta_path.exists():
            raise BuildError(f"{csv_path.name}: no origin sidecar {meta_path.name}")
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        missing = [k for k in SIDECAR_KEYS if not meta.get(k)]
        if missing:
            raise BuildError(f"{meta_path.name}: missing keys {missing}")
        if meta["table"] not in LOADABLE_TABLES:
            raise BuildError(f"{meta_path.name}: table {meta['table']!r} is not one of {LOADABLE_TABLES}")
        out.append((csv_path, meta))
    out.sort(key=lambda fm: (LOADABLE_TABLES.index(fm[1]["table"]), fm[0].name))
    return out


def data_digest(files: list[Path]) -> str:
    """SHA-256 over the names and bytes of the given files (and their sidecars)."""
    h = hashlib.sha256()
    for p in sorted(files):
        for q in (p, p.with_suffix(".meta.yaml")):
            h.update(q.name.encode())
            h.update(q.read_bytes())
    return h.hexdigest()


def _table_columns(cur: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
    ).fetchall()
    return [r[0] for r in rows]


def _load_file(cur: duckdb.DuckDBPyConnection, csv_path: Path, table: str) -> int:
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    columns = _table_columns(cur, table)
    unknown_required = [c for c in df.columns if c not in columns and c != "seat_basis"]
    if unknown_required:
        raise BuildError(f"{csv_path.name}: columns {unknown_required} are not in table {table}")
    use = [c for c in columns if c in df.columns]
    frame = df[use].astype(object).where(df[use].notna(), None)
    cur.register("incoming_rows", frame)
    try:
        # BY NAME: columns matched by name, absent ones get the schema default. Table name from the whitelist.
        cur.execute(f"INSERT INTO {ident(table, LOADABLE_TABLES)} BY NAME SELECT * FROM incoming_rows")
    except duckdb.Error as exc:
        raise BuildError(f"{csv_path.name} -> {table}: {exc}") from exc
    cur.unregister("incoming_rows")
    if table == "region" and "seat_basis" in df.columns:
        seats = df[["code", "seat_basis"]].dropna()
        cur.executemany("INSERT INTO region_seat_basis VALUES (?, ?)", seats.values.tolist())
    return len(frame)


# Consistency checks: (message, SQL returning offending rows). Fixed SQL, no values interpolated.
VALIDATIONS = [
    ("rows citing a source_id missing from source",
     """SELECT 'observation' AS t, source_id FROM observation WHERE source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'flow', source_id FROM flow WHERE source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'fact', source_id FROM fact WHERE source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'target', source_id FROM target WHERE source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'metro', source_id FROM metro WHERE source_id IS NOT NULL AND source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'metro_member', source_id FROM metro_member WHERE source_id IS NOT NULL AND source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'series_break', source_id FROM series_break WHERE source_id IS NOT NULL AND source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'region', source_id FROM region WHERE source_id IS NOT NULL AND source_id NOT IN (SELECT source_id FROM source)"""),
    ("codes missing from region",
     """SELECT 'observation' AS t, code FROM observation WHERE code NOT IN (SELECT code FROM region)
        UNION ALL SELECT 'flow.origin', origin_code FROM flow WHERE origin_code NOT IN (SELECT code FROM region)
        UNION ALL SELECT 'flow.dest', dest_code FROM flow WHERE dest_code NOT IN (SELECT code FROM region)
        UNION ALL SELECT 'metro_member', code FROM metro_member WHERE code NOT IN (SELECT code FROM region)
        UNION ALL SELECT 'metro.core', core_code FROM metro WHERE core_code NOT IN (SELECT code FROM region)
        UNION ALL SELECT 'series_break', code FROM series_break WHERE code NOT IN (SELECT code FROM region)
        UNION ALL SELECT 'region_alias', code FROM region_alias WHERE code NOT IN (SELECT code FROM region)
        UNION ALL SELECT 'region.parent', parent_code FROM region WHERE parent_code IS NOT NULL AND parent_code NOT IN (SELECT code FROM region)"""),
    ("members or facts of a metro missing from metro",
     """SELECT 'metro_member' AS t, metro_id FROM metro_member WHERE metro_id NOT IN (SELECT metro_id FROM metro)
        UNION ALL SELECT 'fact', metro_id FROM fact WHERE metro_id IS NOT NULL AND metro_id NOT IN (SELECT metro_id FROM metro)
        UNION ALL SELECT 'target', scope FROM target WHERE scope_kind = 'metro' AND scope NOT IN (SELECT metro_id FROM metro)"""),
    ("metros whose core_code is not a member with role 'core'",
     """SELECT m.metro_id, m.core_code FROM metro m
        WHERE NOT EXISTS (SELECT 1 FROM metro_member mm WHERE mm.metro_id = m.metro_id AND mm.code = m.core_code AND mm.role = 'core')"""),
    ("flow or fact rows with an invalid quality flag",
     """SELECT 'flow' AS t, quality FROM flow WHERE quality NOT IN ('official', 'cross_checked', 'single_source', 'conflict', 'census', 'estimate', 'modelled', 'synthetic')
        UNION ALL SELECT 'fact', quality FROM fact WHERE quality NOT IN ('official', 'cross_checked', 'single_source', 'conflict', 'census', 'estimate', 'modelled', 'synthetic')"""),
    ("observation or flow rows with an invalid evidence class",
     """SELECT 'observation' AS t, evidence FROM observation WHERE evidence IS NOT NULL AND evidence NOT IN ('observed', 'snapshot', 'modelled', 'proxy', 'apportioned', 'estimated')
        UNION ALL SELECT 'flow', evidence FROM flow WHERE evidence IS NOT NULL AND evidence NOT IN ('observed', 'snapshot', 'modelled', 'proxy', 'apportioned', 'estimated')"""),
    ("citations of a source missing from source",
     "SELECT source_id FROM source_citation WHERE source_id NOT IN (SELECT source_id FROM source)"),
    ("membership years inverted (valid_from > valid_to)",
     "SELECT metro_id, code, valid_from, valid_to FROM metro_member WHERE valid_from > valid_to"),
    ("plans, areas, plan targets or tasks citing a missing plan, area, target, metro or source",
     """SELECT 'plan.source' AS t, source_id FROM plan WHERE source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'plan.scope', scope FROM plan WHERE scope_kind = 'metro' AND scope NOT IN (SELECT metro_id FROM metro)
        UNION ALL SELECT 'plan.period', plan_id FROM plan WHERE period_start > period_end
        UNION ALL SELECT 'plan_area.plan', plan_id FROM plan_area WHERE plan_id NOT IN (SELECT plan_id FROM plan)
        UNION ALL SELECT 'plan_area.source', source_id FROM plan_area WHERE source_id NOT IN (SELECT source_id FROM source)
        UNION ALL SELECT 'plan_target.plan', plan_id FROM plan_target WHERE plan_id NOT IN (SELECT plan_id FROM plan)
        UNION ALL SELECT 'plan_target.target', target_id FROM plan_target WHERE target_id NOT IN (SELECT target_id FROM target)
        UNION ALL SELECT 'task.area', task_id FROM task t WHERE NOT EXISTS
            (SELECT 1 FROM plan_area a WHERE a.plan_id = t.plan_id AND a.area_id = t.area_id)
        UNION ALL SELECT 'task.source', source_id FROM task WHERE source_id IS NOT NULL AND source_id NOT IN (SELECT source_id FROM source)"""),
]


def validate(con: duckdb.DuckDBPyConnection) -> None:
    """Raise BuildError naming the first offending rows of every failed check."""
    problems = []
    for message, sql in VALIDATIONS:
        cur = con.cursor()
        try:
            bad = cur.execute(sql).fetchall()
        finally:
            cur.close()
        if bad:
            problems.append(f"{len(bad)} {message}: {sorted(set(bad))[:8]}")
    if problems:
        raise BuildError("shipped data is inconsistent:\n  " + "\n  ".join(problems))


def _check_memberships(data_dir: Path) -> None:
    """County-level membership errors (unknown county in that prefecture at that date, overlapping validity, a
    county claimed twice) as a BuildError naming file, row and reason."""
    from indicators.store.membership_checks import MembershipProblem, check_membership_files

    try:
        check_membership_files(data_dir)
    except MembershipProblem as exc:
        raise BuildError(str(exc)) from exc


def _remove(p: Path) -> None:
    try:
        p.unlink()
    except FileNotFoundError:
        pass


def build_database(path: str | Path, data_dir: Path = DATA_DIR) -> dict:
    """Build the store at ``path`` from ``data_dir`` atomically; return row counts per table (and timings)."""
    started = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp_wal = Path(str(tmp) + ".wal")
    _remove(tmp)
    _remove(tmp_wal)
    files = data_files(data_dir)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(tmp))
    try:
        db.ensure_schema(con)
        con.execute(EXTRA_SCHEMA_PATH.read_text(encoding="utf-8"))
        con.execute(METRO_SCHEMA_PATH.read_text(encoding="utf-8"))
        _check_memberships(data_dir)
        cur = con.cursor()
        cur.execute("BEGIN TRANSACTION")
        for csv_path, meta in files:
            n = _load_file(cur, csv_path, meta["table"])
            counts[meta["table"]] = counts.get(meta["table"], 0) + n
            cur.execute(
                "INSERT INTO data_origin VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [csv_path.name, meta["table"], meta["producer"], meta["title"], str(meta["url"]), meta["licence"],
                 str(meta["date_accessed"]), meta["processing"], n, hashlib.sha256(csv_path.read_bytes()).hexdigest()],
            )
        cur.execute("COMMIT")
        cur.close()
        validate(con)
        from indicators.store import hygiene   # evidence classes, vintage/rounding/implausible flags, share breaks

        checks = hygiene.apply(con)
        from indicators.store.validity import flag_outside_validity   # rows before/after a unit existed: flagged

        checks["outside_validity"] = flag_outside_validity(con)
        digest = data_digest([p for p, _ in files])
        built_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        meta_rows = [("built_at", built_at.isoformat()), ("data_digest", digest),
                     ("data_files", str(len(files)))] + [(f"rows.{t}", str(n)) for t, n in sorted(counts.items())] \
            + [(f"hygiene.{k}", str(n)) for k, n in sorted(checks.items())]
        con.executemany("INSERT INTO meta VALUES (?, ?)", meta_rows)
        con.execute(
            "INSERT INTO import_log (import_id, file_name, file_sha256, started_at, rows_inserted, rows_updated, "
            "rows_unchanged, rows_rejected, options) VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?)",
            [f"build-{built_at:%Y%m%dT%H%M%SZ}", "data/", digest, built_at.replace(tzinfo=None), sum(counts.values()),
             "build_database (default dataset)"],
        )
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        _remove(tmp)
        _remove(tmp_wal)
        raise
    con.close()
    db.close_shared(path)
    _remove(Path(str(path) + ".wal"))
    os.replace(tmp, path)
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts
