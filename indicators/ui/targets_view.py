"""Progress of one metro toward a set of plan targets, in the bullet chart's shape."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.i18n import pick
from indicators.ui import engine_view, loaders
from indicators.ui.catalog_view import label

COLUMNS = ["target_id", "indicator", "label", "unit", "comparator", "target", "target_year", "base_value", "base_year",
           "current", "current_year", "quality", "status", "share_of_way", "document", "published", "note", "met"]
DEFAULT_BASE_YEAR = 2020   # the engine's default base year when a target states none


@dataclass
class TargetsView:
    scope: str | None
    scopes: list[str]
    is_own: bool                 # the metro belongs to the scope (else the targets are a benchmark)
    rows: pd.DataFrame           # COLUMNS
    missing: list[str]           # labels of targets with no current value


# target sets that belong to a region group rather than one metro (metro.group_name)
GROUP_NAMES = {"YRD": ("长三角（区域规划目标）", "Yangtze River Delta (regional plan targets)"),
               "Greater Bay Area": ("粤港澳大湾区（区域规划目标）", "Greater Bay Area (regional plan targets)"),
               "Chengdu-Chongqing": ("成渝地区双城经济圈（区域规划目标）", "Chengdu–Chongqing (regional plan targets)")}


def scope_name(scope: str, metro_names: dict, lang: str) -> str:
    """A target set as a reader names it: the metro's name, or the region group's (never its code)."""
    if scope in metro_names:
        return metro_names[scope]
    if scope in GROUP_NAMES:
        return pick(*GROUP_NAMES[scope], lang)
    return scope


def scopes_for(metro_id: str) -> tuple[list[str], str | None, str | None]:
    """All target scopes, the metro's own scope (metro id or its group) if it has targets, and its group."""
    tg = loaders.targets()
    scopes = list(dict.fromkeys(tg["scope"]))
    metros = loaders.metros()
    row = metros[metros["metro_id"] == metro_id]
    group = row["group_name"].iloc[0] if not row.empty else None
    own = metro_id if metro_id in scopes else (group if group in scopes else None)
    return scopes, own, group


def _met(comparator: str, current, target) -> bool | None:
    if current is None or pd.isna(current):
        return None
    return {">=": current >= target, "<=": current <= target, "=": abs(current - target) < 1e-9,
            "~": abs(current - target) <= 0.05 * abs(target)}.get(comparator)


def _is_reference(scope_kind, applies_to) -> bool:
    try:
        from indicators.engine.targets import is_reference
    except ImportError:
        return False
    return is_reference(scope_kind, applies_to)


def _progress(cur, target: float, comparator: str, target_year: int, base_value, base_year) -> dict:
    """The engine's verdict (met / on track / behind / no data) for one value."""
    try:
        from indicators.engine.targets import progress_row
    except ImportError:
        return {}
    return progress_row(cur["value"] if cur else None, cur["year"] if cur else None, target, comparator,
                        target_year, base_value, base_year)


def targets_view(metro_id: str, scope: str | None, year: int | None, lang: str) -> TargetsView:
    scopes, own, _group = scopes_for(metro_id)
    scope = scope if scope in scopes else (own or (scopes[0] if scopes else None))
    tg = loaders.targets()
    tg = tg[tg["scope"] == scope]
    rows = []
    for r in tg.itertuples():
        cur = engine_view.target_current(metro_id, r.indicator, year)
        lab = label(r.indicator)
        base_year = int(r.base_year) if pd.notna(r.base_year) else DEFAULT_BASE_YEAR
        base = engine_view.target_current(metro_id, r.indicator, base_year)
        base_value = float(r.base_value) if pd.notna(r.base_value) and r.scope_kind == "metro" else (
            base["value"] if base and base["year"] == base_year else None)
        progress = _progress(cur, float(r.value), r.comparator, int(r.target_year), base_value, base_year)
        reference = _is_reference(r.scope_kind, getattr(r, "applies_to", None))
        if reference:   # a region-wide target is a 参照 for a metro, never 已达标 (issue 12)
            from indicators.engine.targets import reference_row
            progress = reference_row(cur["value"] if cur else None, float(r.value), r.comparator)
        rows.append({
            "target_id": r.target_id, "indicator": r.indicator, "label": lab.name(lang), "unit": r.unit,
            "comparator": r.comparator, "target": float(r.value), "target_year": int(r.target_year),
            "base_value": base_value, "base_year": base_year if base_value is not None else None,
            "current": cur["value"] if cur else None, "current_year": int(cur["year"]) if cur else None,
            "quality": cur["quality"] if cur else None,
            "status": progress.get("status"), "share_of_way": progress.get("share_of_way"),
            "document": _document(r.source_id, r.source_title, lang), "published": r.date_published, "note": r.note,
            "met": None if reference else _met(r.comparator, cur["value"] if cur else None, float(r.value)),
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("base_year", "current_year", "target_year"):
        frame[col] = frame[col].astype("Int64")
    return TargetsView(scope=scope, scopes=scopes, is_own=(scope == own and own is not None), rows=frame,
                       missing=list(frame.loc[frame["current"].isna(), "label"]))


def _document(source_id: str, title: str | None, lang: str) -> str:
    """The target's document cited by publisher and title (ui.citations_view), else its stored title."""
    from indicators.ui.citations_view import source_items

    items = source_items(pd.DataFrame({"source_id": [source_id], "year": [None]}), lang, city_col=None)
    return items[0] if items else (title or str(source_id))
