"""Read what ``engine.progress`` needs for one plan from the store (plans, areas, ledger, history, targets,
the metros' series) and run it. The reading is here; the arithmetic stays pure in ``progress``."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.engine.progress import ProgressResult, ProgressSpec, plan_progress, yoy_changes
from indicators.store import plans as plan_reads
from indicators.store import queries

SERIES_COLUMNS = ["metro_id", "indicator", "year", "value", "quality"]


@dataclass
class PlanInputs:
    plan: dict
    areas: pd.DataFrame
    tasks: pd.DataFrame
    history: pd.DataFrame
    targets: pd.DataFrame          # target rows of the plan (plan_target) and those its tasks link to
    series: pd.DataFrame           # SERIES_COLUMNS, complete member coverage only
    metros: list[str]


class UnknownPlan(LookupError):
    pass


def plan_metros(con, plan: dict) -> list[str]:
    """The metros a plan is evaluated for: its own metro, or every metro of its group."""
    if plan["scope_kind"] == "metro":
        return [plan["scope"]]
    m = queries.metros(con)
    return list(m.loc[m["group_name"] == plan["scope"], "metro_id"])


def _linked(tasks: pd.DataFrame) -> set[str]:
    out: set[str] = set()
    for text in tasks.get("targets", pd.Series(dtype=object)).dropna():
        out |= {p.strip() for p in str(text).split(",") if p.strip()}
    return out


def load_inputs(con, plan_id: str, metros: list[str] | None = None) -> PlanInputs:
    plans = plan_reads.plans(con)
    row = plans[plans["plan_id"] == plan_id]
    if row.empty:
        raise UnknownPlan(f"unknown plan {plan_id}; plans: {', '.join(plans['plan_id'])}")
    plan = row.iloc[0].to_dict()
    tasks = plan_reads.tasks(con, plan_id)
    ids = set(plan_reads.plan_targets(con, plan_id)["target_id"]) | _linked(tasks)
    all_targets = queries.targets(con)
    targets = all_targets[all_targets["target_id"].isin(ids)].reset_index(drop=True)
    metros = metros if metros is not None else plan_metros(con, plan)
    series = metro_series(con, list(targets["indicator"].unique()), metros)
    return PlanInputs(plan=plan, areas=plan_reads.areas(con, plan_id), tasks=tasks,
                      history=plan_reads.task_history(con, plan_id=plan_id), targets=targets, series=series,
                      metros=metros)


def metro_series(con, indicator_ids: list[str], metros: list[str]) -> pd.DataFrame:
    """Metro values of catalog indicators (years where every member has data; others would be a break)."""
    from indicators.catalog import load_catalog
    from indicators.engine.panel import metro_indicator_panel

    known = set(load_catalog().indicators)
    ids = [i for i in indicator_ids if i in known]
    if not ids or not metros:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    panel = metro_indicator_panel(con, ids, 2000, 2100)
    panel = panel[panel["metro_id"].isin(metros)]
    complete = panel["members_used"] >= panel["members_total"]
    return panel.loc[complete, SERIES_COLUMNS].reset_index(drop=True)


def compute_plan_progress(con, plan_id: str, metros: list[str] | None = None, year: int | None = None,
                          spec: ProgressSpec | None = None, lang: str = "zh") -> ProgressResult:
    inp = load_inputs(con, plan_id, metros)
    return plan_progress(inp.plan, inp.areas, inp.tasks, inp.targets, inp.series, spec, year, inp.history, lang)


def plan_yoy(con, plan_id: str, metros: list[str] | None = None) -> pd.DataFrame:
    inp = load_inputs(con, plan_id, metros)
    return yoy_changes(inp.series)
