"""Each metro's own plan targets from ``facts/published_figures.csv`` (topic ``targets``) → ``data/target_metro_plans.csv``
(store table ``target``, scope = the metro) and ``data/source_metro_plan_targets.csv`` (the pages they were read on).

A metro's own target is assessed for that metro; a region-wide target (the YRD 2025 targets) stays a 参照 for it
(engine/targets.py). Figures map to catalog indicators by the declared phrases in :data:`INDICATOR_PHRASES`;
a target row whose figure matches none of them is an error naming the row, never guessed.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from .common import DEFAULT_SHARED, TODAY, read_data, write_table

# phrase in the published figure → (catalog indicator, comparator, unit in the catalog)
INDICATOR_PHRASES = {
    "地区生产总值": ("gdp", ">=", "亿元"),
    "城镇化率": ("urbanization_rate", ">=", "%"),
}


def derive(shared: Path = DEFAULT_SHARED) -> tuple[pd.DataFrame, pd.DataFrame]:
    with open(shared / "facts" / "published_figures.csv", encoding="utf-8", newline="") as fh:
        figures = pd.DataFrame([{k: v for k, v in r.items() if k is not None} for r in csv.DictReader(fh)])
    rows = figures[figures["topic"] == "targets"]
    metros = read_data("metro")
    by_name = dict(zip(metros["name_zh"], metros["metro_id"]))
    targets, sources, last_doc = [], {}, None
    for n, r in rows.iterrows():
        metro = by_name.get(str(r["place"]).strip())
        if metro is None:
            raise ValueError(f"published_figures.csv row {n + 2}: place {r['place']!r} is not a metro in data/metro.csv")
        hit = [(p, v) for p, v in INDICATOR_PHRASES.items() if p in str(r["figure_zh"])]
        if len(hit) != 1:
            raise ValueError(f"published_figures.csv row {n + 2}, column figure_zh: {r['figure_zh']!r} matches "
                             f"{len(hit)} declared indicator phrases (need exactly one)")
        indicator, comparator, unit = hit[0][1]
        src_text = str(r["source"])
        head, _, tail = src_text.partition(";")
        if head.strip() == "same":          # "same; <page>": the document of the row above, read on another page
            doc = last_doc
            url = tail.strip()
        else:
            doc = head.split(" via ")[0].strip()
            url = tail.strip() if tail else src_text.split(" via ")[-1].strip()
        last_doc = doc
        sid = f"plan_{metro}_targets_{len(sources) + 1}" if src_text not in sources else sources[src_text][0]
        sources.setdefault(src_text, (sid, doc, url))
        year = int(re.match(r"\d{4}", str(r["period"])).group(0))
        targets.append({"target_id": f"{metro}{year}_{indicator}", "scope": metro, "scope_kind": "metro",
                        "indicator": indicator, "comparator": comparator, "value": float(r["value"]), "unit": unit,
                        "target_year": year, "base_year": None, "base_value": None, "applies_to": "aggregate",
                        "source_id": sid,
                        "note": f"{r['figure_zh']} ({r['caveat']})"})
    src = pd.DataFrame([{"source_id": sid, "title": doc, "publisher": "都市圈规划 (as quoted on the page)", "url": url,
                         "licence": "public government text (figures cited)", "date_accessed": TODAY,
                         "date_published": None, "notes": "plan targets read on a public page; see published_figures.csv"}
                        for sid, doc, url in sources.values()])
    return pd.DataFrame(targets), src


def run(shared: Path = DEFAULT_SHARED) -> None:
    targets, src = derive(shared)
    common = {"producer": "metro plan documents as quoted on public pages (../shared/data/facts/published_figures.csv)",
              "url": "../shared/data/facts/published_figures.csv", "licence": "public government texts (figures cited)",
              "processing": "Derived by indicators/store/derive/metro_targets.py: rows with topic 'targets'; the place is "
                            "matched to data/metro.csv by name, the figure to a catalog indicator by the declared "
                            "phrases (地区生产总值 → gdp, 城镇化率 → urbanization_rate); '超过' stored as '>='."}
    write_table(src, "source_metro_plan_targets", {"table": "source", "title": "Pages quoting metro plan targets", **common})
    write_table(targets, "target_metro_plans", {"table": "target", "title": "Metro plans' own 2025 targets", **common})
