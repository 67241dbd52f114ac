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
import pyarrow as pa
import pyarrow.compute as pc

from indicators.catalog import Catalog, load_catalog
from indicators.integration_flows import flow_indicator_panel
from indicators.metro_aggregation import apply_rule, rule_inputs

QUALITY_ORDER = ["official", "census", "cross_checked", "single_source", "conflict", "estimate", "modelled", "synthetic"]
COLUMNS = ["metro_id", "year", "indicator", "value", "quality", "source_ids", "members_used", "members_total"]


def _join_sorted(values, order=None) -> str:
    vals = {str(v) for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))}
    if order:
        return ",".join(sorted(vals, key=lambda q: (order.index(q) if q in order else len(order), q)))
    return ",".join(sorted(vals))


def _sort_key(order):
    if order:
        return lambda q: (order.index(q) if q in order else len(order), q)
    return None


def _join_by_group(groups: np.ndarray, values, n_groups: int, order=None) -> np.ndarray:
    """``_join_sorted`` of ``values`` within each group, for every group at once.

    ``groups``: each value's group number in 0..n_groups-1. Returns n_groups strings (an object array;
    a group without any non-missing value gets ''), the distinct values of each group sorted as
    ``_join_sorted`` sorts them and joined with ','."""
    vals = pd.Series(values, copy=False).reset_index(drop=True)
    ok = vals.notna().to_numpy()
    g = np.asarray(groups, dtype=np.int64)[ok]
    v = vals[ok].astype(str).to_numpy(dtype=object)
    distinct = sorted(set(v), key=_sort_key(order))
    if not distinct:
        return np.full(n_groups, "", dtype=object)
    rank = pd.Index(distinct).get_indexer(v).astype(np.int64)
    pairs = np.unique(g * len(distinct) + rank)                     # sorted by group, then value rank
    pg, pr = np.divmod(pairs, len(distinct))
    offsets = np.concatenate([[0], np.cumsum(np.bincount(pg, minlength=n_groups))]).astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()),
                                     pa.array(np.asarray(distinct, dtype=object)[pr], pa.string()))
    return np.asarray(pc.binary_join(lists, ",").to_pylist(), dtype=object)


def _member_years(members: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """One row per member valid in a year (year-major, members in their given order within a year)."""
    cols = ["metro_id", "code", "role"]
    if not len(years) or members.empty:
        return pd.DataFrame(columns=cols + ["year"])
    m = members[cols + ["valid_from", "valid_to"]].reset_index(drop=True)
    yy = np.repeat(np.asarray(years, dtype=np.int64), len(m))
    ii = np.tile(np.arange(len(m)), len(years))
    vf = m["valid_from"].to_numpy(dtype=float)[ii]
    vt = m["valid_to"].to_numpy(dtype=float)[ii]
    keep = (vf <= yy) & (vt >= yy)
    out = m[cols].take(ii[keep]).reset_index(drop=True)
    out["year"] = yy[keep]
    return out


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


class _Provenance:
    """Quality flags and sources of the city observations behind every (metro, year), per set of inputs.

    Time-invariant inputs (land area) count for every year, every observation of them (as they are
    carried). Built once per panel; ``of(inputs)`` answers with one vectorised pass per input set."""

    def __init__(self, city: pd.DataFrame, years: list[int], invariant: set[str], groups: pd.MultiIndex):
        var = city[~city["indicator"].isin(invariant) & city["year"].isin(years)]
        inv = city[city["indicator"].isin(invariant)]
        cols = ["metro_id", "year", "indicator", "quality", "source_id"]
        parts = [var[cols]]
        if len(inv) and len(years):
            rep = inv[cols].take(np.tile(np.arange(len(inv)), len(years)))
            parts.append(rep.assign(year=np.repeat(np.asarray(years, dtype=np.int64), len(inv))))
        rows = pd.concat(parts, ignore_index=True)
        g = groups.get_indexer(pd.MultiIndex.from_arrays([rows["metro_id"], rows["year"].astype(np.int64)])) \
            if len(rows) else np.zeros(0, dtype=np.int64)
        rows = rows[g >= 0]
        self.groups = groups
        self.group = g[g >= 0]
        self.indicator = rows["indicator"].to_numpy(dtype=object)
        self.quality = rows["quality"].reset_index(drop=True)
        self.source = rows["source_id"].reset_index(drop=True)
        self._done: dict[tuple[str, ...], pd.DataFrame] = {}
        self._singles: tuple[list[str], np.ndarray, np.ndarray, np.ndarray] | None = None

    def _single(self, indicator: str) -> pd.DataFrame:
        """One input: every indicator's strings come from one pass over all rows (group × indicator)."""
        if self._singles is None:
            names, code = np.unique(self.indicator.astype(str), return_inverse=True) if len(self.indicator) \
                else (np.array([], dtype=object), np.zeros(0, dtype=np.int64))
            n = len(self.groups) * max(len(names), 1)
            cell = code.astype(np.int64) * len(self.groups) + self.group
            self._singles = (list(names), np.bincount(cell, minlength=n) > 0,
                             _join_by_group(cell, self.quality, n, QUALITY_ORDER), _join_by_group(cell, self.source, n))
        names, present, quality, sources = self._singles
        if indicator not in names:
            return self._frame(np.zeros(len(self.groups), dtype=bool), np.array([], dtype=object), np.array([], dtype=object))
        at = slice(names.index(indicator) * len(self.groups), (names.index(indicator) + 1) * len(self.groups))
        return self._frame(present[at], quality[at], sources[at])

    def _frame(self, present: np.ndarray, quality: np.ndarray, sources: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame({"quality": quality[present] if len(quality) else quality,
                             "source_ids": sources[present] if len(sources) else sources}, index=self.groups[present])

    def of(self, inputs: list[str]) -> pd.DataFrame:
        key = tuple(sorted(set(inputs)))
        if len(key) == 1:
            return self._single(key[0])
        if key not in self._done:
            sel = np.isin(self.indicator, list(key)) if len(self.indicator) else np.zeros(0, dtype=bool)
            g = self.group[sel]
            n = len(self.groups)
            present = np.bincount(g, minlength=n) > 0
            quality = _join_by_group(g, self.quality[sel], n, QUALITY_ORDER)
            sources = _join_by_group(g, self.source[sel], n)
            self._done[key] = self._frame(present, quality, sources)
        return self._done[key]


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
    flow_cache: dict[str, pd.DataFrame] = {}
    provenance: _Provenance | None = None
    for iid in indicator_ids:
        ind = catalog.get(iid)
        agg = ind.aggregation.model_dump()
        if ind.level == "flow":
            parts.append(_flow_panel(con, ind, agg, members, years, flow_cache))
            continue
        res = apply_rule(W, iid, agg, sign=ind.sign if ind.sign != 0 else 1)
        if provenance is None:
            provenance = _Provenance(city, years, invariant, res.index)
        prov = provenance.of(rule_inputs(agg, iid))
        res = res.join(prov, how="left").reset_index()
        res["indicator"] = iid
        parts.append(res)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    out = out[out["value"].notna()] if len(out) else out
    return out.reindex(columns=COLUMNS).reset_index(drop=True)


def _flow_panel(con, ind, agg: dict, members: pd.DataFrame, years: list[int], cache: dict) -> pd.DataFrame:
    from indicators.store import queries

    kind = agg["flow_kind"]
    if kind not in cache:
        allf = queries.flows(con, kind)
        allf = allf.assign(origin_code=allf["origin_code"].astype(str), dest_code=allf["dest_code"].astype(str),
                           year=allf["year"].astype(int))
        cache[kind] = MetroFlows(allf, members, years)
    params = {"minutes": agg["minutes"]} if agg.get("minutes") is not None else {}
    return cache[kind].panel(agg["rule"], ind.id, **params)


class MetroFlows:
    """Every metro's flows of one kind between its members valid in the flow's year, for all metros and
    years at once, ready for any flow rule (``panel``).

    ``flows``: origin_code, dest_code, year, value, quality, source_id; ``members``: metro_id, code, role,
    valid_from, valid_to, in the store's order (core first, then by code). Per metro and year a rule sees
    the flows between members valid that year (in the order of ``flows``) and the metro's core that year
    (the first member by that order that is ever 'core' in the metro); quality / source_ids list the
    flows read (self-flows included), members_used counts the members at either end of them,
    members_total the members valid that year."""

    KEYS = ["metro_id", "year"]

    def __init__(self, flows: pd.DataFrame, members: pd.DataFrame, years: list[int]):
        keys = self.KEYS
        my = _member_years(members, years)
        totals = my.groupby(keys).size().rename("members_total")
        ever_core = members.loc[members["role"] == "core", ["metro_id", "code"]].drop_duplicates()
        valid = my[["metro_id", "year", "code"]].drop_duplicates()
        cores = valid.merge(ever_core, on=["metro_id", "code"]).groupby(keys)["code"].min().rename("core")
        f = flows[flows["year"].isin(years)][["origin_code", "dest_code", "year", "value", "quality", "source_id"]]
        f = f.reset_index(drop=True).assign(_row=lambda d: np.arange(len(d)))
        f = f.merge(valid.rename(columns={"code": "origin_code"}), on=["year", "origin_code"])
        f = f.merge(valid.rename(columns={"code": "dest_code"}), on=["metro_id", "year", "dest_code"])
        f = f.sort_values(["metro_id", "year", "_row"], kind="stable").drop(columns="_row").reset_index(drop=True)
        f = f.join(cores, on=keys)
        f["core"] = f["core"].astype(object).where(f["core"].notna(), None)
        self.flows = f
        self.tagged = f[f["origin_code"] != f["dest_code"]]
        groups = pd.MultiIndex.from_frame(f[keys].drop_duplicates()) if len(f) else pd.MultiIndex.from_arrays([[], []], names=keys)
        g = groups.get_indexer(pd.MultiIndex.from_frame(f[keys])) if len(f) else np.zeros(0, dtype=np.int64)
        ends = pd.DataFrame({"g": np.concatenate([g, g]),
                             "code": np.concatenate([f["origin_code"].to_numpy(object), f["dest_code"].to_numpy(object)])})
        self.used = pd.DataFrame({"quality": _join_by_group(g, f["quality"], len(groups), QUALITY_ORDER),
                                  "source_ids": _join_by_group(g, f["source_id"], len(groups)),
                                  "members_used": np.bincount(ends.drop_duplicates()["g"].to_numpy(np.int64),
                                                              minlength=len(groups))},
                                 index=groups).join(totals)

    def panel(self, rule: str, indicator: str = "", **params) -> pd.DataFrame:
        """Flow rule ``rule`` for every metro and year with flows (long frame, COLUMNS)."""
        if self.flows.empty:
            return pd.DataFrame(columns=COLUMNS)
        vals = flow_indicator_panel(rule, self.tagged, self.KEYS, **params)
        if len(vals) == 0:
            return pd.DataFrame(columns=COLUMNS)
        vals = vals.astype(float)
        vals = vals[np.isfinite(vals.to_numpy())].rename("value").reset_index()
        out = vals.join(self.used, on=self.KEYS)
        out["year"] = out["year"].astype(int)
        out["indicator"] = indicator
        return out.reindex(columns=COLUMNS)


def flow_panel(rule: str, flows: pd.DataFrame, members: pd.DataFrame, years: list[int], indicator: str = "",
               **params) -> pd.DataFrame:
    """The flow indicator ``rule`` for every metro and year at once (see :class:`MetroFlows`)."""
    return MetroFlows(flows, members, years).panel(rule, indicator, **params)


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
