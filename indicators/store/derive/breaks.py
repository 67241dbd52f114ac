"""Derive ``data/series_break.csv``: known series breaks, so a break is visible, not silent.

Two inputs: the detected breaks of the curated facts (year-on-year jumps > 20% in GDP or resident
population, and smaller changes at boundary events, with likely causes), and the crosswalk's county
re-affiliations and prefecture mergers from 2010 on (one row per affected prefecture, all indicators).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import DEFAULT_SHARED, read_data, write_table

FIRST_YEAR = 2010  # coverage of the observations
# Prefecture-level abolitions/mergers (crosswalk events) that change another unit's territory:
# event id -> (code that absorbed territory, first year on the new basis, description)
PREFECTURE_MERGERS = {
    "PL-2018-001": ("370100", 2019, "莱芜市 (371200) abolished and merged into 济南市 (approved 2018, effective 2019)"),
}


def _kind(cause: str) -> str:
    c = cause.lower()
    if c.startswith(("major-", "pl-")) or "county transfer" in c or "gained territory" in c or "lost territory" in c:
        return "boundary_change"
    if c.startswith("city-specific"):
        return "unexplained"
    if c.startswith("province-wide"):
        return "revision"
    if "census" in c:
        return "census_rebasing"
    return "unexplained"


def from_facts(shared: Path) -> pd.DataFrame:
    b = pd.read_csv(shared / "facts/series_breaks.csv", dtype={"city_code": str})
    desc = b.apply(lambda r: f"{r.indicator} {r.from_value:g} -> {r.to_value:g} ({r.change_pct:+.1f}%): {r.likely_cause}"
                   f" [cause: {r.cause_source}; detected by {r.detected_by}]", axis=1)
    return pd.DataFrame({"code": b.city_code, "year": b.year.astype(int), "indicator": b.indicator,
                         "kind": b.likely_cause.map(_kind), "description": desc, "change_pct": b.change_pct,
                         "source_id": "facts_series_breaks"})


def from_crosswalk(shared: Path, region: pd.DataFrame) -> pd.DataFrame:
    t = pd.read_csv(shared / "open/crosswalk/county_affiliation_transitions.csv", dtype=str)
    t = t[t.year.astype(int) >= FIRST_YEAR]
    by_name = dict(zip(region.name_zh, region.code))
    rows = []
    for (case, year, src, dst), g in t.groupby(["case_id", "year", "from_prefecture_name", "to_prefecture_name"]):
        counties = "、".join(g.county_name_at_event)
        text = f"{counties} moved from {src} to {dst} ({case}, crosswalk)"
        for name, verb in ((src, "lost"), (dst, "gained")):
            code = by_name.get(name)
            if code:
                rows.append((code, int(year), None, "boundary_change", f"{name} {verb} territory: {text}", None,
                             "crosswalk_fiersity"))
    for event_id, (code, year, text) in PREFECTURE_MERGERS.items():
        rows.append((code, year, None, "boundary_change", f"{text} ({event_id}, crosswalk)", None, "crosswalk_fiersity"))
    return pd.DataFrame(rows, columns=["code", "year", "indicator", "kind", "description", "change_pct", "source_id"])


def derive(shared: Path = DEFAULT_SHARED) -> pd.DataFrame:
    region = read_data("region")
    out = pd.concat([from_crosswalk(shared, region), from_facts(shared)], ignore_index=True)
    return out.sort_values(["code", "year", "indicator"], na_position="first").reset_index(drop=True)


META = {
    "table": "series_break",
    "producer": "derived in ../shared/data/facts (detected breaks) and from FIERsity/china-prefecture-crosswalk (boundary events)",
    "title": "Known series breaks: boundary changes, census rebasing, revisions and unexplained jumps",
    "url": "../shared/data/facts/series_breaks.csv; github.com/FIERsity/china-prefecture-crosswalk @ 753a015800c6 data/processed/county_affiliation_transitions.csv",
    "licence": "derived (facts curation); CC BY 4.0 (crosswalk)",
    "processing": (
        "(1) Every detected break of the facts curation (402: GDP or resident-population year-on-year jumps > 20%, plus smaller "
        "changes at crosswalk boundary events), indicator-specific, with kind mapped from the likely cause: crosswalk event or "
        "county transfer -> boundary_change; census -> census_rebasing; province-wide move -> revision; otherwise unexplained. "
        "description keeps the values, the cause text and how it was detected. (2) From the crosswalk, every county "
        "re-affiliation from 2010 on, one row per prefecture that lost or gained territory, indicator NULL (all indicators), "
        "year = the event year (first year on the new basis): e.g. 2016 县级简阳市 资阳市 -> 成都市; 2011 巢湖 split to "
        "合肥/芜湖/马鞍山; 2015 寿县, 枞阳县; 2020 公主岭. Plus 莱芜 merged into 济南 (first year 2019)."
    ),
}


def run(shared: Path = DEFAULT_SHARED) -> None:
    write_table(derive(shared), "series_break", META)
