"""Progress of one metro toward a set of plan targets, in the bullet chart's shape."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.ui import engine_view, loaders
from indicators.ui.catalog_view import label

COLUMNS = ["target_id", "indicator", "label", "unit", "comparator", "target", "target_year", "base_value", "base_year",
           "current", "current_year", "quality", "document", "published", "note", "met"]


@dataclass
class TargetsView:
    scope: str | None
    scopes: list[str]
    is_own: bool                 # the metro belongs to the scope (else the targets are a benchmark)
    rows: pd.DataFrame           # COLUMNS
    missing: list[str]           # labels of targets with no current value


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


def targets_view(metro_id: str, scope: str | None, year: int | None, lang: str) -> TargetsView:
    scopes, own, _group = scopes_for(metro_id)
    scope = scope if scope in scopes else (own or (scopes[0] if scopes else None))
    tg = loaders.targets()
    tg = tg[tg["scope"] == scope]
    rows = []
    for r in tg.itertuples():
        cur = engine_view.target_current(metro_id, r.indicator, year)
        lab = label(r.indicator)
        rows.append({
            "target_id": r.target_id, "indicator": r.indicator, "label": lab.name(lang), "unit": r.unit,
            "comparator": r.comparator, "target": float(r.value), "target_year": int(r.target_year),
            "base_value": r.base_value, "base_year": r.base_year,
            "current": cur["value"] if cur else None, "current_year": int(cur["year"]) if cur else None,
            "quality": cur["quality"] if cur else None,
            "document": r.source_title or r.source_id, "published": r.date_published, "note": r.note,
            "met": _met(r.comparator, cur["value"] if cur else None, float(r.value)),
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return TargetsView(scope=scope, scopes=scopes, is_own=(scope == own and own is not None), rows=frame,
                       missing=list(frame.loc[frame["current"].isna(), "label"]))
