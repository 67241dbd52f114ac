"""Parameterised reads of plans, areas, plan targets, the task ledger and its history.

Constant SQL only; optional filters are ``(? IS NULL OR ...)`` clauses. Each function takes a connection (or a
snapshot cursor from ``data_version.read_snapshot``) and runs on a fresh ``.cursor()``.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from indicators.store.queries import _df

TASK_FIELDS = ["task_id", "plan_id", "area_id", "title", "lead_unit", "deadline", "status", "evidence_text",
               "evidence_link", "evidence_date", "indicators", "targets", "source_id", "source_line", "note"]


def plans(con: duckdb.DuckDBPyConnection, scope: str | None = None) -> pd.DataFrame:
    """Every plan (optionally of one scope: a metro id or a group name), newest period first."""
    return _df(con, "SELECT p.*, s.title AS source_title FROM plan p LEFT JOIN source s USING (source_id) "
                    "WHERE (? IS NULL OR p.scope = ?) ORDER BY p.period_start DESC, p.plan_id", [scope, scope])


def plans_for_metro(con: duckdb.DuckDBPyConnection, metro_id: str) -> pd.DataFrame:
    """Plans that apply to a metro: its own (scope = metro id) and those of its group (scope = group name)."""
    return _df(con, "SELECT p.*, s.title AS source_title FROM plan p LEFT JOIN source s USING (source_id) "
                    "WHERE (p.scope_kind = 'metro' AND p.scope = ?) OR (p.scope_kind = 'group' AND p.scope = "
                    "(SELECT group_name FROM metro WHERE metro_id = ?)) "
                    "ORDER BY (p.scope_kind = 'metro') DESC, p.period_end DESC, p.period_start DESC, p.plan_id",
               [metro_id, metro_id])


def areas(con: duckdb.DuckDBPyConnection, plan_id: str | None = None) -> pd.DataFrame:
    return _df(con, "SELECT * FROM plan_area WHERE (? IS NULL OR plan_id = ?) ORDER BY plan_id, seq",
               [plan_id, plan_id])


def plan_targets(con: duckdb.DuckDBPyConnection, plan_id: str | None = None) -> pd.DataFrame:
    """Targets of a plan with their definition (indicator, comparator, value, unit, year, scope)."""
    return _df(con, "SELECT pt.plan_id, t.*, s.title AS source_title FROM plan_target pt "
                    "JOIN target t USING (target_id) LEFT JOIN source s ON s.source_id = t.source_id "
                    "WHERE (? IS NULL OR pt.plan_id = ?) ORDER BY pt.plan_id, t.target_id", [plan_id, plan_id])


def tasks(con: duckdb.DuckDBPyConnection, plan_id: str | None = None) -> pd.DataFrame:
    return _df(con, "SELECT * FROM task WHERE (? IS NULL OR plan_id = ?) ORDER BY plan_id, task_id",
               [plan_id, plan_id])


def task_history(con: duckdb.DuckDBPyConnection, task_id: str | None = None, plan_id: str | None = None) -> pd.DataFrame:
    return _df(con, "SELECT * FROM task_history WHERE (? IS NULL OR task_id = ?) AND (? IS NULL OR plan_id = ?) "
                    "ORDER BY replaced_at DESC, task_id", [task_id, task_id, plan_id, plan_id])


def target_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return set(_df(con, "SELECT target_id FROM target", [])["target_id"])
