"""建设进程: progress of a plan's tasks and targets, and the 建设进程 score — pure functions on frames.

No database, no streamlit: inputs are the task ledger (``task`` rows, optionally with ``task_history`` to look
back to the end of an earlier year), the plan's areas, its targets and each target's metro series.

**Tasks.** Per plan and area: the number of tasks by status (已完成 done, 推进中 in progress, 未启动 not started,
滞后 delayed, 未知 unknown) and their shares.

**Targets.** Per target and metro (``project``):

* distance closed = (latest − base) / (target − base) and time elapsed = (latest year − base year) /
  (target year − base year); the base year is the target's own, else the year before the plan starts;
* a projection from the metro's own linear trend (ordinary least squares over the years up to the evaluation
  year) with a prediction interval (t distribution, ``interval`` level) at the target year;
* the year the trend reaches the target, and a verdict: ``met`` (already met), ``on_pace`` (reached by the
  target year at this pace), ``not_by_deadline`` (reached later, or never: the trend is flat or moves away),
  ``too_short`` (fewer than ``min_points`` years of data), ``no_data``.

**Score** (per area, and per plan over all its tasks and targets), 0–100, formula configurable (``ProgressSpec``):

    task score      = 100 × Σ credit(status) × n(status) / n(tasks with a known status)
                      credits: 已完成 1, 推进中 0.5, 滞后 0.25, 未启动 0; 未知 is left out (coverage says how many)
    indicator score = 100 × mean over the linked targets of min(1, max(0, distance closed)); a met target = 1
    建设进程 score   = (w_t × task score + w_i × indicator score) / (w_t + w_i) over the parts that exist;
                      no part → no score (never 0)

Every step and its parameters go into a :class:`~indicators.engine.log.BuildLog`, like the index.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from indicators.engine.log import BuildLog

STATUSES = ("已完成", "推进中", "未启动", "滞后", "未知")
STATUS_KEYS = {"已完成": "done", "推进中": "in_progress", "未启动": "not_started", "滞后": "delayed", "未知": "unknown"}
VERDICTS = ("met", "on_pace", "not_by_deadline", "too_short", "no_data")
AREA_COLUMNS = ["plan_id", "area_id", "area", "tasks", "done", "in_progress", "not_started", "delayed", "unknown",
                "task_score", "task_coverage", "targets", "indicator_score", "progress_score"]


@dataclass(frozen=True)
class ProgressSpec:
    """How the 建设进程 score is formed. Change the weights or credits and the log records it."""

    task_weight: float = 0.5
    indicator_weight: float = 0.5
    status_credit: dict[str, float] = field(default_factory=lambda: {"已完成": 1.0, "推进中": 0.5, "滞后": 0.25,
                                                                       "未启动": 0.0})
    min_points: int = 3            # years of data a trend needs
    interval: float = 0.90         # prediction-interval level

    def __post_init__(self) -> None:
        if self.task_weight < 0 or self.indicator_weight < 0 or self.task_weight + self.indicator_weight <= 0:
            raise ValueError("weights must be ≥ 0 and not both 0")
        unknown = set(self.status_credit) - set(STATUSES[:4])
        if unknown:
            raise ValueError(f"credits only for 已完成/推进中/滞后/未启动 (未知 is never scored): {sorted(unknown)}")
        if self.min_points < 2:
            raise ValueError("a trend needs at least 2 points")
        if not 0 < self.interval < 1:
            raise ValueError("interval level must be in (0, 1)")


# ------------------------------------------------------------------------------------------------- tasks
def tasks_as_of(current: pd.DataFrame, history: pd.DataFrame | None, year: int | None) -> pd.DataFrame:
    """The ledger as it stood at the end of ``year`` (None: now). A task's version at a time is the newest
    row (current or archived) whose ``updated_at`` is not later; rows without ``updated_at`` (the shipped
    seed tasks) count as always there. Tasks created later are absent."""
    if year is None or current.empty:
        return current
    cutoff = pd.Timestamp(year=int(year), month=12, day=31, hour=23, minute=59, second=59)
    frames = [current.assign(_version=1)]
    if history is not None and len(history):
        frames.append(history.reindex(columns=current.columns).assign(_version=0))
    allv = pd.concat(frames, ignore_index=True)
    stamp = pd.to_datetime(allv["updated_at"], errors="coerce")
    allv = allv.assign(_t=stamp)[stamp.isna() | (stamp <= cutoff)]
    allv = allv.sort_values(["task_id", "_t", "_version"], na_position="first").groupby("task_id", sort=False).tail(1)
    return allv.drop(columns=["_version", "_t"]).sort_values("task_id").reset_index(drop=True)


def status_counts(tasks: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Per (plan, area): tasks and counts by status, areas without tasks included (zeros)."""
    keys = areas[["plan_id", "area_id"]].drop_duplicates()
    counts = (tasks.assign(status=tasks["status"].where(tasks["status"].isin(STATUSES), "未知"))
              .pivot_table(index=["plan_id", "area_id"], columns="status", values="task_id", aggfunc="count",
                           fill_value=0) if len(tasks) else pd.DataFrame())
    counts = counts.reindex(columns=list(STATUSES), fill_value=0).rename(columns=STATUS_KEYS).reset_index() \
        if len(counts) else pd.DataFrame(columns=["plan_id", "area_id", *STATUS_KEYS.values()])
    out = keys.merge(counts, on=["plan_id", "area_id"], how="outer")
    for k in STATUS_KEYS.values():
        out[k] = out[k].fillna(0).astype(int)
    out["tasks"] = out[list(STATUS_KEYS.values())].sum(axis=1).astype(int)
    return out


def task_score(row: pd.Series | dict, spec: ProgressSpec) -> tuple[float | None, float | None]:
    """(score 0–100 or None when no task has a known status, coverage = known / all or None without tasks)."""
    n = int(row["tasks"])
    known = {s: int(row[STATUS_KEYS[s]]) for s in spec.status_credit}
    n_known = sum(known.values())
    coverage = n_known / n if n else None
    if not n_known:
        return None, coverage
    return 100.0 * sum(spec.status_credit[s] * k for s, k in known.items()) / n_known, coverage


# ----------------------------------------------------------------------------------------------- targets
@dataclass
class Projection:
    verdict: str                       # one of VERDICTS
    n_points: int = 0
    latest_year: int | None = None
    latest_value: float | None = None
    base_year: int | None = None
    base_value: float | None = None
    distance_closed: float | None = None   # share of the way from base to target (1 = reached)
    time_elapsed: float | None = None      # share of the period base year → target year
    slope: float | None = None             # units per year
    projected: float | None = None         # trend value at the target year
    lower: float | None = None             # prediction interval at the target year
    upper: float | None = None
    year_met: int | None = None            # first year the trend meets the target (None: never at this pace)

    def to_dict(self) -> dict:
        return asdict(self)


def _meets(value: float, target: float, comparator: str, rising: bool) -> bool:
    if comparator == ">=":
        return value >= target - 1e-12
    if comparator == "<=":
        return value <= target + 1e-12
    # '=' / '~': reached when the value has got to the target from the base side
    return value >= target - 1e-12 if rising else value <= target + 1e-12


def project(series: pd.Series, target: float, comparator: str, target_year: int, base_year: int | None = None,
            spec: ProgressSpec | None = None) -> Projection:
    """Distance closed, time elapsed and the trend projection of one series (index year → value)."""
    spec = spec or ProgressSpec()
    s = pd.Series(series, dtype=float).dropna()
    s = s[np.isfinite(s.to_numpy())]
    s.index = s.index.astype(int)
    s = s.groupby(level=0).last().sort_index()
    if s.empty:
        return Projection("no_data")
    latest_year, latest = int(s.index[-1]), float(s.iloc[-1])
    if base_year is not None and base_year in s.index:
        base_value = float(s.loc[base_year])
    elif base_year is None:
        base_year, base_value = int(s.index[0]), float(s.iloc[0])
    else:
        base_value = None
    rising = comparator == ">=" or (comparator in ("=", "~") and (base_value if base_value is not None
                                                                  else float(s.iloc[0])) <= target)
    out = Projection("no_data", n_points=len(s), latest_year=latest_year, latest_value=latest, base_year=base_year,
                     base_value=base_value)
    if base_value is not None and target != base_value:
        out.distance_closed = (latest - base_value) / (target - base_value)
    if base_year is not None and target_year > base_year:
        out.time_elapsed = (latest_year - base_year) / (target_year - base_year)
    if _meets(latest, target, comparator, rising):
        out.verdict, out.year_met = "met", None
        return out
    if len(s) < spec.min_points:
        out.verdict = "too_short"
        return out
    x, y = s.index.to_numpy(dtype=float), s.to_numpy(dtype=float)
    n = len(x)
    xm = x.mean()
    sxx = float(((x - xm) ** 2).sum())
    slope = float(((x - xm) * (y - y.mean())).sum() / sxx)
    intercept = float(y.mean() - slope * xm)
    out.slope = slope
    out.projected = intercept + slope * target_year
    if n > 2:
        from scipy import stats

        resid = y - (intercept + slope * x)
        sd = math.sqrt(float((resid ** 2).sum()) / (n - 2))
        half = float(stats.t.ppf(0.5 + spec.interval / 2, n - 2)) * sd * math.sqrt(1 + 1 / n + (target_year - xm) ** 2 / sxx)
        out.lower, out.upper = out.projected - half, out.projected + half
    towards = slope > 0 if rising else slope < 0
    if not towards or abs(slope) < 1e-12:
        out.verdict = "not_by_deadline"
        return out
    cross = (target - intercept) / slope
    year_met = max(latest_year + 1, int(math.ceil(cross - 1e-9)))
    out.year_met = year_met
    out.verdict = "on_pace" if year_met <= target_year else "not_by_deadline"
    return out


def indicator_part(projection: Projection) -> float | None:
    """A target's contribution to the indicator score: 1 if met, else distance closed clipped to [0, 1]."""
    if projection.verdict == "met":
        return 1.0
    if projection.distance_closed is None or not np.isfinite(projection.distance_closed):
        return None
    return float(min(1.0, max(0.0, projection.distance_closed)))


def combine(task: float | None, indicator: float | None, spec: ProgressSpec) -> float | None:
    parts = [(spec.task_weight, task), (spec.indicator_weight, indicator)]
    parts = [(w, v) for w, v in parts if v is not None and w > 0]
    if not parts:
        return None
    return sum(w * v for w, v in parts) / sum(w for w, _ in parts)


# ----------------------------------------------------------------------------------------------- result
@dataclass
class ProgressResult:
    areas: pd.DataFrame          # AREA_COLUMNS, one row per area
    plan: dict                   # the same figures for the whole plan
    targets: pd.DataFrame        # one row per (target, metro) with the projection
    log: BuildLog


def target_table(plan_targets: pd.DataFrame, series: pd.DataFrame, base_year: int | None,
                 spec: ProgressSpec, year: int | None = None) -> pd.DataFrame:
    """Projections of every target for every metro in ``series`` (metro_id, indicator, year, value)."""
    rows = []
    metros = list(dict.fromkeys(series["metro_id"])) if len(series) else []
    for t in plan_targets.itertuples():
        by = int(t.base_year) if getattr(t, "base_year", None) is not None and pd.notna(t.base_year) else base_year
        for m in metros or [None]:
            s = series[(series["metro_id"] == m) & (series["indicator"] == t.indicator)] if m is not None \
                else series.iloc[0:0]
            if year is not None:
                s = s[s["year"] <= year]
            p = project(s.set_index("year")["value"], float(t.value), str(t.comparator), int(t.target_year), by, spec)
            rows.append({"target_id": t.target_id, "indicator": t.indicator, "metro_id": m, "comparator": t.comparator,
                         "target": float(t.value), "unit": getattr(t, "unit", None), "target_year": int(t.target_year),
                         **p.to_dict(), "part": indicator_part(p)})
    cols = ["target_id", "indicator", "metro_id", "comparator", "target", "unit", "target_year",
            *Projection("no_data").to_dict().keys(), "part"]
    return pd.DataFrame(rows, columns=cols)


def _ids(text) -> list[str]:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [p for p in str(text).replace("，", ",").split(",") if p.strip()]


def plan_progress(plan: dict, areas: pd.DataFrame, tasks: pd.DataFrame, plan_targets: pd.DataFrame,
                  series: pd.DataFrame, spec: ProgressSpec | None = None, year: int | None = None,
                  history: pd.DataFrame | None = None, lang: str = "zh") -> ProgressResult:
    """Everything the 进程 page, the brief and ``python -m indicators progress`` show for one plan.

    ``plan``: the plan row (plan_id, period_start, period_end); ``areas``/``tasks``/``plan_targets``: its rows;
    ``series``: metro_id, indicator, year, value of the targets' indicators for the metros evaluated;
    ``year``: evaluate as at the end of that year (tasks from history, data up to that year)."""
    spec = spec or ProgressSpec()
    log = BuildLog()
    pid = plan["plan_id"]
    log.add("select_plan", plan_id=pid, period=[int(plan["period_start"]), int(plan["period_end"])],
            year=year, metros_with_data=sorted(set(series["metro_id"])) if len(series) else [])
    tasks = tasks_as_of(tasks, history, year)
    log.add("task_ledger", as_of=f"end of {year}" if year else "now", tasks=int(len(tasks)),
            rule="latest version with updated_at ≤ cut-off; shipped seed rows count as always there")
    counts = status_counts(tasks, areas)
    log.add("status_counts", statuses=list(STATUSES), unknown_status="未知 counted, never scored")
    base_year = int(plan["period_start"]) - 1
    targets = target_table(plan_targets, series, base_year, spec, year)
    log.add("target_projection", method="OLS linear trend of the metro's own series", min_points=spec.min_points,
            interval=spec.interval, base_year=f"target's own, else {base_year} (year before the plan starts)",
            verdicts=list(VERDICTS))
    log.add("task_score", formula="100 × Σ credit × n / n(known status)", credits=dict(spec.status_credit))
    log.add("indicator_score", formula="100 × mean(min(1, max(0, distance closed))); met = 1",
            targets="targets linked by the area's tasks (plan: all plan targets)")
    log.add("combine", task_weight=spec.task_weight, indicator_weight=spec.indicator_weight,
            rule="weighted mean of the parts that exist; none → no score")

    name_col = "name_en" if lang == "en" else "name_zh"
    names = dict(zip(areas["area_id"], areas[name_col].fillna(areas["name_zh"]))) if len(areas) else {}
    seq = dict(zip(areas["area_id"], areas["seq"])) if len(areas) else {}
    rows = []
    for r in counts.to_dict("records"):
        ts, cov = task_score(r, spec)
        linked = sorted({t for tl in tasks.loc[tasks["area_id"] == r["area_id"], "targets"] for t in _ids(tl)}) \
            if len(tasks) else []
        parts = targets.loc[targets["target_id"].isin(linked), "part"].dropna()
        ind = 100.0 * float(parts.mean()) if len(parts) else None
        rows.append({**r, "area": names.get(r["area_id"], r["area_id"]), "task_score": ts, "task_coverage": cov,
                     "targets": len(linked), "indicator_score": ind, "progress_score": combine(ts, ind, spec)})
    area_frame = pd.DataFrame(rows, columns=AREA_COLUMNS)
    area_frame["_seq"] = area_frame["area_id"].map(seq)
    area_frame = area_frame.sort_values(["_seq", "area_id"]).drop(columns="_seq").reset_index(drop=True)
    total = {k: int(area_frame[k].sum()) for k in ("tasks", *STATUS_KEYS.values())}
    ts, cov = task_score(total, spec)
    parts = targets["part"].dropna()
    ind = 100.0 * float(parts.mean()) if len(parts) else None
    plan_row = {"plan_id": pid, **total, "task_score": ts, "task_coverage": cov, "targets": int(plan_targets["target_id"].nunique()) if len(plan_targets) else 0,
                "indicator_score": ind, "progress_score": combine(ts, ind, spec),
                "tasks_stated": plan.get("tasks_stated")}
    log.add("result", areas=len(area_frame), plan_score=plan_row["progress_score"])
    return ProgressResult(area_frame, plan_row, targets, log)


def status_by_year(current: pd.DataFrame, history: pd.DataFrame | None, years: list[int]) -> pd.DataFrame:
    """The ledger year by year: for each year, the tasks by status as they stood at its end (from the
    history), and the change in tasks done since the year before."""
    rows = []
    for y in sorted(years):
        ledger = tasks_as_of(current, history, y)
        counts = ledger["status"].value_counts() if len(ledger) else pd.Series(dtype=int)
        rows.append({"year": y, "tasks": int(len(ledger)),
                     **{STATUS_KEYS[s]: int(counts.get(s, 0)) for s in STATUSES}})
    out = pd.DataFrame(rows, columns=["year", "tasks", *STATUS_KEYS.values()])
    out["done_change"] = out["done"].diff()
    return out


def yoy_changes(series: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year change of each (metro, indicator) series: year, value, previous value, change, change %."""
    if series.empty:
        return pd.DataFrame(columns=["metro_id", "indicator", "year", "value", "previous", "change", "change_pct"])
    s = series.sort_values(["metro_id", "indicator", "year"]).copy()
    g = s.groupby(["metro_id", "indicator"])
    s["previous"] = g["value"].shift(1)
    prev_year = g["year"].shift(1)
    consecutive = prev_year == s["year"] - 1
    s.loc[~consecutive, "previous"] = np.nan
    s["change"] = s["value"] - s["previous"]
    s["change_pct"] = np.where(s["previous"].abs() > 0, 100 * s["change"] / s["previous"].abs(), np.nan)
    return s[["metro_id", "indicator", "year", "value", "previous", "change", "change_pct"]].reset_index(drop=True)
