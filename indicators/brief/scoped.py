"""The briefing pack's observed-data numbers in the analyst's metro scope (issue 11).

The pack's metro charts (GDP, core share, per-capita spread, growth) are formed from member-city statistics. In the
chosen scope each metro is the groups of :class:`indicators.engine.scope.ScopeModel`: a whole member prefecture
counts in full; a *part* (only the counties the plan lists) counts with the prefecture's GDP and resident
population × the member counties' share of its census population (interpolated 2010–2020, held after) — the
``apportioned`` evidence class, exactly as the index's panel does (``engine.scope.scoped_city_panel``). GDP per
capita is a ratio: a part keeps its city's figure (apportioning numerator and denominator by one share leaves it
unchanged). The extended scope is whole prefectures: nothing is apportioned.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.brief import metrics
from indicators.engine.evidence import _QUALITY_EVIDENCE
from indicators.engine.reconcile_inputs import EVIDENCE_ZH
from indicators.engine.scope import APPORTIONED, EXTENSIVE, ScopeModel, check_scope
from indicators.i18n import t
from indicators.store import brief_reads as store_reads
from indicators.store import scope_queries

COLUMNS = ["metro_id", "code", "role", "parts", "name_zh", "name_en", "whole", "share"]


@dataclass
class ScopedInputs:
    scope: str
    members: pd.DataFrame        # metro_id, code, role (core/member/partial), name_zh, name_en, whole, share (year)
    observations: pd.DataFrame   # metro_id, code, year, indicator, value, source_id, quality (apportioned parts)
    apportioned: list[str]       # metro ids with at least one apportioned member in ``year``

    def any_apportioned(self) -> bool:
        return bool(self.apportioned)


def scoped_inputs(con, metro_ids: list[str], year: int, base_year: int, scope: str = "plan") -> ScopedInputs:
    """Members and member observations of ``metro_ids`` in ``scope`` for ``year`` and ``base_year``."""
    scope = check_scope(scope)
    model = ScopeModel(con, scope)
    sh = model.shares([base_year, year])
    sh = sh[sh["metro_id"].isin(metro_ids)]
    names = scope_queries.scope_members(con, scope)[["code", "name_zh"]].drop_duplicates("code")
    names = dict(zip(names["code"], names["name_zh"]))
    view = store_reads.members(con, metro_ids, year)          # prefecture view: English names
    en = dict(zip(view["code"], view["name_en"]))
    now = sh[sh["year"] == year]
    members = pd.DataFrame({
        "metro_id": now["metro_id"], "code": now["code"].astype(str),
        "role": [("core" if r == "core" else ("member" if w else "partial")) for r, w in zip(now["role"], now["whole"])],
        "parts": None,
        "name_zh": [names.get(c, c) for c in now["code"]], "name_en": [en.get(c) for c in now["code"]],
        "whole": now["whole"].astype(bool), "share": now["share"].astype(float)})
    pos = {m: i for i, m in enumerate(metro_ids)}
    role_order = {"core": 0, "member": 1, "partial": 2}
    members = members.assign(_m=members["metro_id"].map(pos), _r=members["role"].map(role_order)).sort_values(
        ["_m", "_r", "code"], kind="stable").drop(columns=["_m", "_r"]).reset_index(drop=True)
    obs = store_reads.observations(con, sorted(set(sh["code"].astype(str))), metrics.INDICATORS, base_year, year)
    per = obs.merge(sh[["metro_id", "year", "code", "share", "whole"]].assign(code=sh["code"].astype(str)),
                    on=["code", "year"], how="inner")
    ext = per["indicator"].isin(EXTENSIVE)
    part = ~per["whole"].astype(bool)
    per.loc[ext, "value"] = per.loc[ext, "value"] * per.loc[ext, "share"]
    per.loc[ext & part, "quality"] = APPORTIONED
    per = per[~(ext & per["value"].isna())]
    cols = ["metro_id", "code", "year", "indicator", "value", "source_id", "quality"]
    apportioned = [m for m in metro_ids if ((members["metro_id"] == m) & ~members["whole"]).any()]
    return ScopedInputs(scope, members, per[cols].reset_index(drop=True), apportioned)


def scoped_tables(sel: pd.DataFrame, inputs: ScopedInputs, year: int, base_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(metro table, member table) of :mod:`indicators.brief.metrics`, each metro from its own apportioned values
    (one prefecture may be a part of two metros with different shares). ``has_partial`` is False: a part counts
    with its apportioned value, not the whole city's; ``apportioned`` says which metros have one."""
    tables, cities = [], []
    for metro_id in sel["metro_id"]:
        mem = inputs.members[inputs.members["metro_id"] == metro_id]
        if mem.empty:
            continue
        obs = inputs.observations[inputs.observations["metro_id"] == metro_id].drop(columns="metro_id")
        part_sel = sel[sel["metro_id"] == metro_id]
        tables.append(metrics.metro_table(part_sel, mem, obs, year, base_year))
        cities.append(metrics.member_table(mem, obs, year))
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    city = pd.concat(cities, ignore_index=True) if cities else metrics.member_table(inputs.members.iloc[:0], inputs.observations, year)
    if not table.empty:
        table["has_partial"] = False
        table["apportioned"] = table["metro_id"].isin(inputs.apportioned)
        table["gdp_rank"] = table["gdp"].rank(ascending=False, method="min")
    return table, city


def scope_label(inputs: ScopedInputs, lang: str, extensive: bool = True) -> str:
    """The subtitle part naming the scope and, where values are apportioned, the evidence class:
    '规划范围 · 德阳市、眉山市、资阳市为分摊值（按区县普查人口比重）' — the evidence class of the engine's quality
    'apportioned'. ``extensive=False`` for ratios (per capita: a part keeps its city's figure)."""
    label = t(f"scope.{inputs.scope}", lang)
    if extensive and inputs.any_apportioned():
        evidence = _QUALITY_EVIDENCE.get(APPORTIONED, APPORTIONED)
        label += " · " + t("brief.scope_apportioned", lang, metros=_names(inputs, lang),
                            evidence=evidence if lang == "en" else EVIDENCE_ZH.get(evidence, evidence))
    return label


def _names(inputs: ScopedInputs, lang: str) -> str:
    m = inputs.members
    sep = ", " if lang == "en" else "、"
    col = "name_en" if lang == "en" else "name_zh"
    part = m[~m["whole"]]
    return sep.join(dict.fromkeys(part[col].fillna(part["name_zh"]).astype(str)))
