"""The 进程 page's data: plans of a metro, the plan's progress (engine.progress), the ledger with filters,
its history, and the writes (page edits, ledger imports) through ``ingest.tasks``.

Reads are cached per data version like every loader (``loaders._at_version``); writes go through the
dashboard's own connection in one transaction and clear the caches.
"""
from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators.engine.progress import STATUS_KEYS, STATUSES, ProgressSpec
from indicators.i18n import pick, t
from indicators.store import plans as plan_reads
from indicators.store.db import read_only_mode
from indicators.ui import loaders
from indicators.ui.catalog_view import label

TASK_COLUMNS = ["task_id", "area_id", "area", "title", "lead_unit", "deadline", "status", "evidence_text",
                "evidence_link", "evidence_date", "indicators", "targets", "source", "note", "updated_at", "updated_by"]
EDITABLE = ["lead_unit", "deadline", "status", "evidence_text", "evidence_link", "evidence_date", "note"]


@dataclass
class ProgressView:
    plan: dict
    areas: pd.DataFrame            # engine area rows + tasks_stated
    score: dict                    # the plan row of the result
    targets: pd.DataFrame          # projections for the metro, with indicator labels
    series: pd.DataFrame           # the metro's target-indicator series
    yoy: pd.DataFrame
    tasks: pd.DataFrame            # TASK_COLUMNS (ledger as of the chosen year)
    history: pd.DataFrame
    log: list[dict]
    spec: ProgressSpec
    by_year: pd.DataFrame          # the ledger at the end of each plan year (status_by_year)


# ------------------------------------------------------------------------------------------- cached reads
def _read_plans(c, metro_id):
    return plan_reads.plans_for_metro(c, metro_id)


@st.cache_data(max_entries=32, show_spinner=False)
def _plans(path: str, version: int, metro_id: str) -> pd.DataFrame:
    return loaders._snapshot(path, version, _read_plans, metro_id)   # noqa: SLF001 - same package


def plans_for(metro_id: str) -> pd.DataFrame:
    """The metro's plans; none (the page says so) for a database built before plans were shipped."""
    import duckdb

    try:
        return loaders._at_version(_plans, metro_id)   # noqa: SLF001
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["plan_id", "title_zh", "title_en"])


def plan_label(plans: pd.DataFrame, lang: str):
    names = {r.plan_id: pick(r.title_zh, r.title_en, lang) for r in plans.itertuples()}
    return lambda pid: names.get(pid, pid)


def _read_progress(c, plan_id, metro_id, year, weights, lang):
    from indicators.engine.progress_inputs import load_inputs
    from indicators.engine.progress import plan_progress, yoy_changes

    inp = load_inputs(c, plan_id, [metro_id])
    spec = ProgressSpec(task_weight=weights[0], indicator_weight=weights[1])
    result = plan_progress(inp.plan, inp.areas, inp.tasks, inp.targets, inp.series, spec, year, inp.history, lang)
    from indicators.engine.progress import status_by_year, tasks_as_of

    tasks = tasks_as_of(inp.tasks, inp.history, year)
    series = inp.series if year is None else inp.series[inp.series["year"] <= year]
    by_year = status_by_year(inp.tasks, inp.history, [y for y in as_of_options(inp.plan) if y is not None])
    return inp.plan, inp.areas, result, tasks, inp.history, series, yoy_changes(series), spec, by_year


@st.cache_data(max_entries=32, show_spinner=False)
def _progress(path: str, version: int, plan_id: str, metro_id: str, year: int | None, weights: tuple, lang: str):
    return loaders._snapshot(path, version, _read_progress, plan_id, metro_id, year, weights, lang)   # noqa: SLF001


def progress_view(metro_id: str, plan_id: str, year: int | None, lang: str, task_weight: float = 0.5) -> ProgressView:
    plan, areas, result, tasks, history, series, yoy, spec, by_year = loaders._at_version(   # noqa: SLF001
        _progress, plan_id, metro_id, year, (float(task_weight), float(1 - task_weight)), lang)
    area_rows = result.areas.merge(areas[["area_id", "tasks_stated"]], on="area_id", how="left")
    names = dict(zip(areas["area_id"], [pick(z, e, lang) for z, e in zip(areas["name_zh"], areas["name_en"])]))
    task_frame = tasks.assign(area=tasks["area_id"].map(names),
                              source=[_source_text(s, n, lang) for s, n in zip(tasks["source_id"], tasks["source_line"])])
    task_frame = task_frame.reindex(columns=TASK_COLUMNS)
    targets = result.targets.copy()
    targets.insert(1, "label", [label(i).name(lang) for i in targets["indicator"]])
    yoy = yoy.assign(label=[label(i).name(lang) for i in yoy["indicator"]]) if len(yoy) else yoy.assign(label=None)
    return ProgressView(plan=plan, areas=area_rows, score=result.plan, targets=targets, series=series, yoy=yoy,
                        tasks=task_frame, history=history,
                        log=[s.to_dict() for s in result.log], spec=spec, by_year=by_year)


def _source_text(source_id, line, lang: str) -> str | None:
    if source_id is None or (not isinstance(source_id, str) and pd.isna(source_id)):
        return None
    if line is None or pd.isna(line):
        return str(source_id)
    return f"{source_id} · " + (f"第 {int(line)} 行" if lang != "en" else f"line {int(line)}")


# ------------------------------------------------------------------------------------------- pure helpers
def present(value) -> bool:
    """True for a real value (not None, NaN or pd.NA)."""
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def score_parts(view: ProgressView, lang: str) -> str:
    p = view.score
    tg = view.targets
    fmt = lambda v: f"{v:.1f}" if v is not None else "—"   # noqa: E731
    return t("progress.score_parts", lang, task=fmt(p["task_score"]), known=p["tasks"] - p["unknown"],
             tasks=p["tasks"], ind=fmt(p["indicator_score"]), with_data=int(tg["part"].notna().sum()) if len(tg) else 0,
             targets=int(tg["target_id"].nunique()) if len(tg) else 0, wt=view.spec.task_weight,
             wi=view.spec.indicator_weight)


def as_of_options(plan: dict) -> list:
    """None (the current ledger), then each year of the plan period up to this year, newest first."""
    import datetime as dt

    last = min(int(plan["period_end"]), dt.date.today().year)
    return [None] + list(range(last, int(plan["period_start"]) - 1, -1))


def as_of_label(year, lang: str) -> str:
    return t("progress.as_of_now", lang) if year is None else t("progress.as_of_year", lang, year=year)


def filter_tasks(tasks: pd.DataFrame, areas: list[str] | None, statuses: list[str] | None, text: str | None) -> pd.DataFrame:
    out = tasks
    if areas:
        out = out[out["area_id"].isin(areas)]
    if statuses:
        out = out[out["status"].isin(statuses)]
    if text and text.strip():
        needle = text.strip()
        hay = out[["task_id", "title", "lead_unit", "evidence_text", "note"]].astype(str).agg(" ".join, axis=1)
        out = out[hay.str.contains(needle, case=False, regex=False)]
    return out


def status_label(status: str, lang: str) -> str:
    return t(f"progress.status_{STATUS_KEYS.get(status, 'unknown')}", lang)


def areas_table(view: ProgressView, lang: str) -> pd.DataFrame:
    cols = ["area", "tasks_stated", "tasks", *STATUS_KEYS.values(), "task_coverage", "task_score", "targets",
            "indicator_score", "progress_score"]
    frame = view.areas.assign(area=view.areas["area_id"] + " " + view.areas["area"])[cols]
    names = {"area": "col_area", "tasks_stated": "col_tasks_stated", "tasks": "col_tasks",
             "task_coverage": "col_task_coverage", "task_score": "col_task_score", "targets": "col_targets",
             "indicator_score": "col_indicator_score", "progress_score": "col_progress_score"}
    rename = {c: t(f"progress.{names[c]}", lang) for c in names}
    rename.update({k: t(f"progress.status_{k}", lang) for k in STATUS_KEYS.values()})
    frame = frame.copy()
    for c in ("task_score", "indicator_score", "progress_score"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").round(1)
    frame["task_coverage"] = pd.to_numeric(frame["task_coverage"], errors="coerce").map(
        lambda v: f"{v:.0%}" if v == v else "—")
    frame["tasks_stated"] = frame["tasks_stated"].map(lambda v: str(int(v)) if present(v) else "—")
    return frame.rename(columns=rename)


def by_year_table(view: ProgressView, lang: str) -> pd.DataFrame:
    y = view.by_year.sort_values("year", ascending=False)
    rename = {"year": t("progress.col_year", lang), "tasks": t("progress.col_tasks", lang),
              "done_change": t("progress.col_done_change", lang)}
    rename.update({k: t(f"progress.status_{k}", lang) for k in STATUS_KEYS.values()})
    return y.assign(done_change=y["done_change"].astype("Int64")).rename(columns=rename)


def targets_table(view: ProgressView, lang: str) -> pd.DataFrame:
    tg = view.targets
    verdicts = [verdict_text(r, view.spec, lang) for r in tg.to_dict("records")]
    interval = [f"{r['lower']:.4g}–{r['upper']:.4g}" if present(r["lower"]) else "—"
                for r in tg.to_dict("records")]
    frame = pd.DataFrame({
        t("progress.col_indicator", lang): tg["label"],
        t("progress.col_target", lang): [f"{c.replace('>=', '≥').replace('<=', '≤')} {v:g} {u or ''}".strip()
                                          for c, v, u in zip(tg["comparator"], tg["target"], tg["unit"])],
        t("progress.col_target_year", lang): tg["target_year"],
        t("progress.col_latest", lang): pd.to_numeric(tg["latest_value"], errors="coerce").round(3),
        t("progress.col_latest_year", lang): tg["latest_year"].astype("Int64"),
        t("progress.col_distance", lang): pd.to_numeric(tg["distance_closed"], errors="coerce").map(
            lambda v: f"{v:.0%}" if v == v else "—"),
        t("progress.col_elapsed", lang): pd.to_numeric(tg["time_elapsed"], errors="coerce").map(
            lambda v: f"{v:.0%}" if v == v else "—"),
        t("progress.col_projected", lang): pd.to_numeric(tg["projected"], errors="coerce").round(3),
        t("progress.col_interval", lang): interval,
        t("progress.col_verdict", lang): verdicts,
    })
    return frame


def verdict_text(row: dict, spec: ProgressSpec, lang: str) -> str:
    verdict = row.get("verdict")
    year = row.get("year_met")
    if verdict == "not_by_deadline" and not present(year):
        verdict = "never"
    return t(f"progress.verdict_{verdict}", lang, year=int(year) if present(year) else "—",
             target_year=row.get("target_year"), n=spec.min_points)


def yoy_table(view: ProgressView, lang: str) -> pd.DataFrame:
    y = view.yoy.dropna(subset=["change"]).sort_values(["indicator", "year"], ascending=[True, False])
    return pd.DataFrame({
        t("progress.col_indicator", lang): y["label"], t("progress.col_year", lang): y["year"],
        t("progress.col_value", lang): y["value"].round(3), t("progress.col_previous", lang): y["previous"].round(3),
        t("progress.col_change", lang): y["change"].round(3), t("progress.col_change_pct", lang): y["change_pct"].round(2),
    })


def series_for(view: ProgressView, indicator: str) -> pd.DataFrame:
    return view.series[view.series["indicator"] == indicator][["year", "value", "quality"]]


def task_column_config(lang: str, editable: bool) -> dict:
    labels = {c: t(f"progress.col_{c}", lang) for c in
              ("task_id", "area", "title", "lead_unit", "deadline", "evidence_text", "evidence_link", "evidence_date",
               "indicators", "source", "note", "updated_by")}
    config: dict = {"area_id": None, "targets": None, **labels}
    config["updated_at"] = t("progress.col_updated", lang)
    config["status"] = st.column_config.SelectboxColumn(t("progress.col_status", lang), options=list(STATUSES),
                                                        required=True) if editable else t("progress.col_status", lang)
    return config


def history_table(view: ProgressView, lang: str) -> pd.DataFrame:
    h = view.history
    if h.empty:
        return h
    cols = ["replaced_at", "replaced_by", "change_kind", "task_id", "status", "lead_unit", "deadline",
            "evidence_text", "updated_at", "updated_by"]
    names = {"replaced_at": "col_replaced_at", "replaced_by": "col_replaced_by", "change_kind": "col_change_kind",
             "task_id": "col_task_id", "status": "col_status", "lead_unit": "col_lead_unit",
             "deadline": "col_deadline", "evidence_text": "col_evidence_text", "updated_at": "col_prev_updated",
             "updated_by": "col_prev_updated_by"}
    return h[cols].rename(columns={c: t(f"progress.{n}", lang) for c, n in names.items()})


# ------------------------------------------------------------------------------------------------- writes
def can_write() -> bool:
    return not read_only_mode()


def save_edits(original: pd.DataFrame, edited: pd.DataFrame) -> tuple[bool, str | pd.DataFrame, dict]:
    """Save the rows whose editable cells changed. Returns (ok, message or error frame, counts)."""
    from indicators.ingest import IngestError
    from indicators.ingest.tasks import apply_task_edits

    changed = edited[(edited[EDITABLE].astype(str) != original[EDITABLE].astype(str)).any(axis=1)]
    if changed.empty:
        return True, "", {"inserted": 0, "updated": 0}
    full = plan_reads.tasks(loaders.connection())
    full = full[full["task_id"].isin(changed["task_id"])].set_index("task_id")
    for col in EDITABLE:
        full.loc[changed["task_id"], col] = changed.set_index("task_id")[col]
    try:
        result = apply_task_edits(loaders.connection(), full.reset_index())
    except IngestError as exc:
        return False, exc.report.to_frame(), {"n": exc.report.errors_total}
    loaders.clear_data_caches()
    return True, "", {"inserted": result.inserted, "updated": result.updated}


def check_upload(data: bytes, name: str):
    from indicators.ingest.tasks import plan_task_import

    return plan_task_import(data, name, loaders.connection())


def commit_upload(plan):
    from indicators.ingest.tasks import apply_task_import

    result = apply_task_import(plan, loaders.connection())
    loaders.clear_data_caches()
    return result


def template_bytes(plan_id: str | None) -> bytes:
    """The ledger template (this plan's tasks) as XLSX bytes, made when the user asks."""
    from indicators.ingest.tasks import export_tasks

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tasks.xlsx"
        export_tasks(loaders.connection(), path, plan_id)
        return path.read_bytes()


def log_text(view: ProgressView) -> str:
    import json

    buf = io.StringIO()
    for step in view.log:
        buf.write(f"{step['step']}: {json.dumps(step['params'], ensure_ascii=False, default=str)}\n")
    return buf.getvalue()
