"""Metro-level numbers for the brief, computed from member-city observations (pure pandas).

Honesty rules: a metro total is the sum over its member cities (the pack passes scope-apportioned member values,
see :mod:`indicators.brief.scoped`; given a prefecture view with role 'partial', such members count with their
whole-city value and the metro is flagged ``has_partial``); a metro with a
member lacking data for the year is flagged ``complete=False`` and the missing cities are listed, never
filled in.
"""
from __future__ import annotations

import math

import pandas as pd

INDICATORS = ["gdp", "resident_population", "gdp_per_capita"]
MARKED_QUALITIES = {"estimate", "modelled", "synthetic", "conflict", "single_source"}


def _value(obs: pd.DataFrame, code: str, year: int, indicator: str) -> tuple[float | None, str | None]:
    hit = obs[(obs["code"] == code) & (obs["year"] == year) & (obs["indicator"] == indicator)]
    if hit.empty:
        return None, None
    return float(hit["value"].iloc[0]), str(hit["quality"].iloc[0])


def member_table(members: pd.DataFrame, obs: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per (metro, member city) with GDP (亿元), resident population (万人), GDP per capita (元)."""
    rows = []
    for m in members.itertuples():
        gdp, q_gdp = _value(obs, m.code, year, "gdp")
        pop, _ = _value(obs, m.code, year, "resident_population")
        gpc, q_gpc = _value(obs, m.code, year, "gdp_per_capita")
        computed = False
        if gpc is None and gdp is not None and pop:
            gpc, computed = gdp * 1e8 / (pop * 1e4), True
        qualities = {q for q in (q_gdp, q_gpc) if q}
        rows.append({
            "metro_id": m.metro_id, "code": m.code, "name": m.name_zh or m.code, "role": m.role,
            "gdp": gdp, "population": pop, "gdp_per_capita": gpc, "gdp_per_capita_computed": computed,
            "marked": bool(qualities & MARKED_QUALITIES),
        })
    return pd.DataFrame(rows, columns=["metro_id", "code", "name", "role", "gdp", "population", "gdp_per_capita",
                                       "gdp_per_capita_computed", "marked"])


def _cagr(start: float, end: float, years: int) -> float | None:
    if not start or start <= 0 or end <= 0 or years <= 0:
        return None
    return (math.pow(end / start, 1 / years) - 1) * 100


def metro_table(metros: pd.DataFrame, members: pd.DataFrame, obs: pd.DataFrame, year: int,
                base_year: int | None = None) -> pd.DataFrame:
    """One row per metro: totals, core share, per-capita spread, nominal GDP growth since ``base_year``."""
    names = metros.set_index("metro_id")["name_zh"].to_dict()
    cities = member_table(members, obs, year)
    base = member_table(members, obs, base_year) if base_year else None
    rows = []
    for metro_id, part in cities.groupby("metro_id", sort=False):
        have = part.dropna(subset=["gdp"])
        gdp = have["gdp"].sum() if not have.empty else None
        pop_part = part.dropna(subset=["population"])
        core = part[part["role"] == "core"]
        core_gdp = core["gdp"].iloc[0] if not core.empty and pd.notna(core["gdp"].iloc[0]) else None
        complete = len(have) == len(part)
        gpc = part.dropna(subset=["gdp_per_capita"])
        row = {
            "metro_id": metro_id, "name": names.get(metro_id, metro_id), "year": year,
            "n_members": len(part), "n_with_gdp": len(have), "complete": complete,
            "missing": "、".join(part.loc[part["gdp"].isna(), "name"]),
            "has_partial": bool((part["role"] == "partial").any()),
            "marked": bool(part["marked"].any()),
            "gdp": gdp if complete else None,
            "gdp_partial_sum": gdp,
            "population": pop_part["population"].sum() if len(pop_part) == len(part) else None,
            "core_share": (core_gdp / gdp * 100) if (complete and core_gdp and gdp) else None,
            "pc_max_city": None, "pc_max": None, "pc_min_city": None, "pc_min": None, "pc_ratio": None,
            "base_year": base_year, "gdp_base": None, "cagr": None,
        }
        if row["population"] and row["gdp"]:
            row["gdp_per_capita"] = row["gdp"] * 1e8 / (row["population"] * 1e4)
        else:
            row["gdp_per_capita"] = None
        if len(gpc) >= 2:
            hi, lo = gpc.loc[gpc["gdp_per_capita"].idxmax()], gpc.loc[gpc["gdp_per_capita"].idxmin()]
            row.update(pc_max_city=hi["name"], pc_max=float(hi["gdp_per_capita"]), pc_min_city=lo["name"],
                       pc_min=float(lo["gdp_per_capita"]), pc_ratio=float(hi["gdp_per_capita"] / lo["gdp_per_capita"]))
        if base is not None and complete:
            bpart = base[base["metro_id"] == metro_id]
            if len(bpart) and bpart["gdp"].notna().all():
                row["gdp_base"] = float(bpart["gdp"].sum())
                row["cagr"] = _cagr(row["gdp_base"], float(gdp), year - base_year)
        rows.append(row)
    out = pd.DataFrame(rows)
    if not out.empty:
        out["gdp_rank"] = out["gdp"].rank(ascending=False, method="min")
    return out
