"""Progress to plan targets: value, target, gap, share of the way from the base year, on track or not.

A target (store table ``target``) belongs to a metro or to a group of metros (scope 'YRD' = every metro
whose ``group_name`` is YRD). For each metro in scope the engine takes the metro value of the target's
indicator (catalog aggregation rule; for 'each_city' targets the catalog rule is the worst member) in
the latest year with data, and compares it with the base year's value:

* share_of_way = (value − base) / (target − base)   (1 = reached; the base is the target row's base
  year, else ``default_base_year``, else the first year with data)
* on_track: the target is already met, or share_of_way ≥ the share of the plan period elapsed,
  (year − base_year) / (target_year − base_year). None when there is no data.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["scope", "scope_kind", "metro_id", "indicator", "year", "value", "target", "comparator", "target_year",
           "base_year", "base_value", "gap", "share_of_way", "on_track", "status", "source_id", "note"]


def _met(value: float, target: float, comparator: str) -> bool:
    if comparator == ">=":
        return value >= target
    if comparator == "<=":
        return value <= target
    return abs(value - target) <= 0.01 * max(abs(target), 1e-9)


def progress_row(value: float | None, year: int | None, target: float, comparator: str, target_year: int,
                 base_value: float | None, base_year: int | None) -> dict:
    """Gap, share of the way, on-track flag and a status text for one value against one target."""
    if value is None or not np.isfinite(value):
        return {"gap": np.nan, "share_of_way": np.nan, "on_track": None, "status": "无数据 no data"}
    gap = target - value
    met = _met(value, target, comparator)
    share = np.nan
    if base_value is not None and np.isfinite(base_value) and target != base_value:
        share = (value - base_value) / (target - base_value)
    if met:
        return {"gap": gap, "share_of_way": share if np.isfinite(share) and share >= 1 else 1.0, "on_track": True,
                "status": "已达标 target met"}
    if base_value is not None and np.isfinite(base_value) and _met(base_value, target, comparator):
        return {"gap": gap, "share_of_way": np.nan, "on_track": False,
                "status": "基期已达标, 现未达标 met in the base year, no longer met"}
    if year is not None and base_year is not None and year <= base_year:
        return {"gap": gap, "share_of_way": share, "on_track": None,
                "status": "仅有基期数据, 无法判断进度 only base-year data, progress unknown"}
    if base_year is None or year is None or not np.isfinite(share) or target_year <= base_year:
        return {"gap": gap, "share_of_way": share, "on_track": None, "status": "未达标, 无基期 not met (no base year)"}
    elapsed = (year - base_year) / (target_year - base_year)
    on = bool(share >= elapsed - 1e-12)
    return {"gap": gap, "share_of_way": share, "on_track": on,
            "status": ("按进度 on track" if on else "落后于进度 behind schedule") + f" ({share:.0%} of the way, {elapsed:.0%} of the time)"}


def is_reference(scope_kind: str, applies_to) -> bool:
    """A region-wide target for the region as a whole (YRD 1.2:1, 70 %): a 参照 for a metro, never met by one."""
    return str(scope_kind) != "metro" and str(applies_to or "") != "each_city"


def reference_row(value: float | None, target: float, comparator: str, gap=np.nan) -> dict:
    """Progress fields for a reference target: no share of the way, no on-track verdict, a 参照 status."""
    above = None if value is None or not np.isfinite(value) else _met(value, target, comparator)
    return {"gap": gap, "share_of_way": np.nan, "on_track": None,
            "status": ("参照（区域整体目标，不按都市圈考核） reference: a region-wide target, not assessed per metro"
                       + ("" if above is None else (" · 已越过参照值 beyond the reference" if above
                                                    else " · 未达参照值 short of the reference")))}


def target_progress(con_or_frames, year: int | None = None, default_base_year: int | None = 2020,
                    metros: list[str] | None = None) -> pd.DataFrame:
    """Progress of every metro in scope of every target.

    ``con_or_frames``: a DuckDB connection, or a dict with 'targets' (store target rows), 'panel'
    (metro_id, year, indicator, value) and 'metros' (metro_id, group_name). ``year``: evaluate the latest
    value up to this year (default: latest available).
    """
    if isinstance(con_or_frames, dict):
        targets, panel, metro_tab = con_or_frames["targets"], con_or_frames["panel"], con_or_frames["metros"]
    else:
        from indicators.engine.panel import metro_indicator_panel
        from indicators.store import queries
        con = con_or_frames
        targets = queries.targets(con)
        metro_tab = queries.metros(con)
        from indicators.catalog import load_catalog
        known = set(load_catalog().indicators)
        ids = [i for i in targets["indicator"].unique() if i in known]
        panel = metro_indicator_panel(con, ids, 2000, year or 2100) if ids else pd.DataFrame(columns=["metro_id", "year", "indicator", "value"])
    rows = []
    for _, t in targets.iterrows():
        if t["scope_kind"] == "metro":
            in_scope = [t["scope"]]
        elif t["scope_kind"] == "group":
            in_scope = list(metro_tab.loc[metro_tab["group_name"] == t["scope"], "metro_id"])
        else:
            in_scope = []
        if metros is not None:
            in_scope = [m for m in in_scope if m in metros]
        for m in in_scope:
            series = panel[(panel["metro_id"] == m) & (panel["indicator"] == t["indicator"])]
            if year is not None:
                series = series[series["year"] <= year]
            series = series.sort_values("year")
            value = float(series["value"].iloc[-1]) if len(series) else None
            vyear = int(series["year"].iloc[-1]) if len(series) else None
            by = t.get("base_year")
            base_year = int(by) if by is not None and not pd.isna(by) else default_base_year
            bv = t.get("base_value")
            base_value = float(bv) if bv is not None and not pd.isna(bv) and t["scope_kind"] == "metro" else None
            if base_value is None and len(series):
                if base_year is not None and (series["year"] == base_year).any():
                    base_value = float(series.loc[series["year"] == base_year, "value"].iloc[0])
                elif base_year is None:
                    base_year, base_value = int(series["year"].iloc[0]), float(series["value"].iloc[0])
                else:
                    base_value = None
            res = progress_row(value, vyear, float(t["value"]), str(t["comparator"]), int(t["target_year"]), base_value, base_year)
            if is_reference(t["scope_kind"], t.get("applies_to")):
                res = reference_row(value, float(t["value"]), str(t["comparator"]), res["gap"])
            rows.append({"scope": t["scope"], "scope_kind": t["scope_kind"], "metro_id": m, "indicator": t["indicator"],
                         "year": vyear, "value": value, "target": float(t["value"]), "comparator": t["comparator"],
                         "target_year": int(t["target_year"]), "base_year": base_year, "base_value": base_value,
                         **res, "source_id": t.get("source_id"), "note": t.get("note")})
    return pd.DataFrame(rows, columns=COLUMNS)
