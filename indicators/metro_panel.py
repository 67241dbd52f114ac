"""Metro × year values of catalog indicators, computed from the store, with provenance.

``metro_indicator_panel(con, indicator_ids, year_from, year_to)`` → long frame
metro_id, year, indicator, value, quality, source_ids, members_used, members_total.

* city-level and metro-level indicators: the catalog's aggregation rule over the member cities
  (metro_aggregation.py); members are those valid in the year; time-invariant city values (land area)
  are carried to every year.
* flow indicators: the catalog's flow rule over the store's flows between members (integration_flows.py).
``quality`` lists the distinct quality flags of the inputs (worst last); ``source_ids`` the sources.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.catalog import Catalog, load_catalog
from indicators.integration_flows import flow_indicator
from indicators.metro_aggregation import apply_rule, rule_inputs

QUALITY_ORDER = ["official", "census", "cross_checked", "single_source", "conflict", "estimate", "modelled", "synthetic"]
COLUMNS = ["metro_id", "year", "indicator", "value", "quality", "source_ids", "members_used", "members_total"]


def _join_sorted(values, order=None) -> str:
    vals = {str(v) for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))}
    if order:
        return ",".join(sorted(vals, key=lambda q: (order.index(q) if q in order else len(order), q)))
    return ",".join(sorted(vals))


def _member_years(members: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    rows = []
    for y in years:
        m = members[(members["valid_from"] <= y) & (members["valid_to"] >= y)]
        rows.append(m[["metro_id", "code", "role"]].assign(year=y))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["metro_id", "code", "role", "year"])


def city_wide_panel(city: pd.DataFrame, members: pd.DataFrame, years: list[int], catalog: Catalog) -> pd.DataFrame:
    """(metro_id, year, code) × city indicators, every valid member present; time-invariant values carried."""
    skeleton = _member_years(members, years)
    city = city[["metro_id", "code", "year", "indicator", "value"]]
    invariant = [i for i, d in catalog.indicators.items() if d.time_invariant]
    inv = city[city["indicator"].isin(invariant)].sort_values("year").groupby(["metro_id", "code", "indicator"])["value"].last()
    var = city[~city["indicator"].isin(invariant) & city["year"].isin(years)]
    wide = var.pivot_table(index=["metro_id", "year", "code"], columns="indicator", values="value", aggfunc="first")
    W = skeleton.set_index(["metro_id", "year", "code"]).join(wide, how="left")
    if len(inv):
        inv_wide = inv.unstack("indicator")
        W = W.join(inv_wide, on=["metro_id", "code"], how="left")
    return W.sort_index()


def _provenance(city: pd.DataFrame, inputs: list[str], years: list[int], invariant: set[str]) -> pd.DataFrame:
    sub = city[city["indicator"].isin(inputs)]
    if sub.empty:
        return pd.DataFrame(columns=["metro_id", "year", "quality", "source_ids"]).set_index(["metro_id", "year"])
    var = sub[~sub["indicator"].isin(invariant) & sub["year"].isin(years)]
    inv = sub[sub["indicator"].isin(invariant)]
    if len(inv):  # carried values count for every year
        inv = pd.concat([inv.assign(year=y) for y in years], ignore_index=True)
        var = pd.concat([var, inv], ignore_index=True)
    g = var.groupby(["metro_id", "year"])
    return pd.DataFrame({"quality": g["quality"].agg(lambda s: _join_sorted(s, QUALITY_ORDER)),
                         "source_ids": g["source_id"].agg(_join_sorted)})


def metro_indicator_panel(con, indicator_ids: list[str], year_from: int, year_to: int,
                          catalog: Catalog | None = None) -> pd.DataFrame:
    """Metro × year values for ``indicator_ids`` (see module doc)."""
    from indicators.store import queries

    catalog = catalog or load_catalog()
    years = list(range(int(year_from), int(year_to) + 1))
    members = queries.metro_members(con)
    members = members.assign(code=members["code"].astype(str))
    city = queries.metro_city_panel(con, 1900, 2100)
    city = city.assign(code=city["code"].astype(str), year=city["year"].astype(int))
    W = city_wide_panel(city, members, years, catalog)
    invariant = {i for i, d in catalog.indicators.items() if d.time_invariant}
    parts: list[pd.DataFrame] = []
    flow_cache: dict[tuple[str, str], pd.DataFrame] = {}
    for iid in indicator_ids:
        ind = catalog.get(iid)
        agg = ind.aggregation.model_dump()
        if ind.level == "flow":
            parts.append(_flow_panel(con, ind, agg, members, years, flow_cache))
            continue
        res = apply_rule(W, iid, agg, sign=ind.sign if ind.sign != 0 else 1)
        prov = _provenance(city, rule_inputs(agg, iid), years, invariant)
        res = res.join(prov, how="left").reset_index()
        res["indicator"] = iid
        parts.append(res)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    out = out[out["value"].notna()] if len(out) else out
    return out.reindex(columns=COLUMNS).reset_index(drop=True)


def _flow_panel(con, ind, agg: dict, members: pd.DataFrame, years: list[int], cache: dict) -> pd.DataFrame:
    from indicators.store import queries

    rows = []
    kind = agg["flow_kind"]
    params = {"minutes": agg["minutes"]} if agg.get("minutes") is not None else {}
    if kind not in cache:
        allf = queries.flows(con, kind)
        cache[kind] = allf.assign(origin_code=allf["origin_code"].astype(str), dest_code=allf["dest_code"].astype(str),
                                  year=allf["year"].astype(int))
    allf = cache[kind]
    for metro_id, mem in members.groupby("metro_id"):
        codes_all = set(mem["code"])
        flows = allf[allf["origin_code"].isin(codes_all) & allf["dest_code"].isin(codes_all) & allf["year"].isin(years)]
        if flows.empty:
            continue
        # years with the same member list are computed in one call
        by_members: dict[tuple, list[int]] = {}
        for year in sorted(set(flows["year"])):
            valid = mem[(mem["valid_from"] <= year) & (mem["valid_to"] >= year)]
            by_members.setdefault(tuple(sorted(valid["code"])), []).append(year)
        for codes, yrs in by_members.items():
            valid = mem[mem["code"].isin(codes)].drop_duplicates("code")
            fy = flows[flows["year"].isin(yrs) & flows["origin_code"].isin(codes) & flows["dest_code"].isin(codes)]
            vals = flow_indicator(agg["rule"], fy, valid, **params)
            for year, val in vals.items():
                if not np.isfinite(val):
                    continue
                used = fy[fy["year"] == year]
                rows.append({"metro_id": metro_id, "year": int(year), "indicator": ind.id, "value": float(val),
                             "quality": _join_sorted(used["quality"], QUALITY_ORDER),
                             "source_ids": _join_sorted(used["source_id"]),
                             "members_used": len(set(used["origin_code"]) | set(used["dest_code"])),
                             "members_total": len(codes)})
    return pd.DataFrame(rows, columns=COLUMNS)


def indicator_inputs(con, metro_id: str, year: int, indicator: str, catalog: Catalog | None = None) -> pd.DataFrame:
    """The raw observations behind one metro value: for city rules, every member city's input values
    (code, name_zh, role, indicator, value, quality, source_id); for flow indicators, the flows between
    members (origin_code, dest_code, value, quality, source_id). Time-invariant inputs (land area) show
    the year they were observed."""
    from indicators.store import queries

    catalog = catalog or load_catalog()
    ind = catalog.get(indicator)
    agg = ind.aggregation.model_dump()
    if ind.level == "flow":
        f = queries.flows(con, agg["flow_kind"], metro_id)
        f = f[f["year"].astype(int) == int(year)]
        return f[["origin_code", "origin_name_zh", "dest_code", "dest_name_zh", "year", "kind", "value", "unit",
                  "quality", "source_id", "note"]].reset_index(drop=True)
    inputs = rule_inputs(agg, indicator)
    city = queries.metro_city_panel(con, 1900, 2100)
    city = city[(city["metro_id"] == metro_id) & city["indicator"].isin(inputs)]
    invariant = {i for i in inputs if catalog.indicators[i].time_invariant}
    same_year = city[(city["year"].astype(int) == int(year)) & ~city["indicator"].isin(invariant)]
    carried = city[city["indicator"].isin(invariant)].sort_values("year").groupby(["code", "indicator"]).tail(1)
    out = pd.concat([same_year, carried], ignore_index=True)
    cols = ["code", "name_zh", "role", "parts", "year", "indicator", "value", "quality", "source_id"]
    return out.reindex(columns=cols).sort_values(["indicator", "role", "code"]).reset_index(drop=True)
