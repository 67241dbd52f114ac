"""Metro × year values of catalog indicators, computed from the store, with provenance.

``metro_indicator_panel(con, indicator_ids, year_from, year_to)`` → long frame
metro_id, year, indicator, value, quality, source_ids, members_used, members_total.

* city-level and metro-level indicators: the catalog's aggregation rule over the member cities
  (metro_aggregation.py); members are those valid in the year; time-invariant city values (land area)
  are carried to every year.
* flow indicators: the catalog's flow rule over the store's flows between members (engine/flows.py).
``quality`` lists the distinct quality flags of the inputs (worst last); ``source_ids`` the sources.

Speed: everything is computed for all metros and years at once (no per-metro loops): city rules reuse one
(metro, year) grouping of the wide panel, flows are joined to every metro's valid members on integer
codes (:class:`MetroFlows`), provenance strings are joined per group with pyarrow. Each indicator's panel
is cached per store content, catalog and years (see ``queries.store_fingerprint_row``), so frameworks share it.
``tests/engine/test_engine_panel_equivalence.py`` holds the values of the earlier per-metro code.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.catalog import Catalog, load_catalog
from indicators.engine.flows import flow_indicator_panel
from indicators.engine.scope import DEFAULT_SCOPE
from indicators.engine.aggregation_rules import apply_rule, rule_inputs
from indicators.engine.convergence import lookback

QUALITY_ORDER = ["official", "census", "cross_checked", "single_source", "conflict", "apportioned", "estimate", "modelled",
                 "synthetic"]
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


def _encode(values, order=None) -> tuple[np.ndarray, list[str]]:
    """(codes, names): each value's rank among the distinct values sorted as ``_join_sorted`` sorts them
    (-1 for a missing value)."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False).reset_index(drop=True))
    names = [str(u) for u in uniques]
    ranked = sorted(set(names), key=_sort_key(order))
    if not ranked:
        return np.full(len(codes), -1, dtype=np.int64), []
    remap = pd.Index(ranked).get_indexer(names).astype(np.int64)
    return np.where(codes >= 0, remap[np.maximum(codes, 0)], -1), ranked


def _join_codes(groups: np.ndarray, codes: np.ndarray, names: list[str], n_groups: int) -> np.ndarray:
    """Per group, the distinct names of its codes in code order, joined with ',' ('' for none)."""
    ok = codes >= 0
    if not names or not ok.any():
        return np.full(n_groups, "", dtype=object)
    pairs = np.unique(np.asarray(groups, dtype=np.int64)[ok] * len(names) + codes[ok])   # by group, then rank
    pg, pr = np.divmod(pairs, len(names))
    offsets = np.concatenate([[0], np.cumsum(np.bincount(pg, minlength=n_groups))]).astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()),
                                     pa.array(np.asarray(names, dtype=object)[pr], pa.string()))
    return np.asarray(pc.binary_join(lists, ",").to_pylist(), dtype=object)


def _join_by_group(groups: np.ndarray, values, n_groups: int, order=None) -> np.ndarray:
    """``_join_sorted`` of ``values`` within each group, for every group at once.

    ``groups``: each value's group number in 0..n_groups-1. Returns n_groups strings (an object array;
    a group without any non-missing value gets ''), the distinct values of each group sorted as
    ``_join_sorted`` sorts them and joined with ','."""
    codes, names = _encode(values, order)
    return _join_codes(groups, codes, names, n_groups)


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
        self.quality = _encode(rows["quality"], QUALITY_ORDER)
        self.source = _encode(rows["source_id"])
        self._done: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]] = {}
        self._singles: tuple[list[str], np.ndarray, np.ndarray, np.ndarray] | None = None

    def _single(self, indicator: str) -> tuple[np.ndarray, np.ndarray]:
        """One input: every indicator's strings come from one pass over all rows (group × indicator)."""
        if self._singles is None:
            names, code = np.unique(self.indicator.astype(str), return_inverse=True) if len(self.indicator) \
                else (np.array([], dtype=object), np.zeros(0, dtype=np.int64))
            n = len(self.groups) * max(len(names), 1)
            cell = code.astype(np.int64) * len(self.groups) + self.group
            self._singles = (list(names), np.bincount(cell, minlength=n) > 0,
                             _join_codes(cell, *self.quality, n), _join_codes(cell, *self.source, n))
        names, present, quality, sources = self._singles
        if indicator not in names:
            return self._frame(np.zeros(len(self.groups), dtype=bool), np.array([], dtype=object), np.array([], dtype=object))
        at = slice(names.index(indicator) * len(self.groups), (names.index(indicator) + 1) * len(self.groups))
        return self._frame(present[at], quality[at], sources[at])

    def _frame(self, present: np.ndarray, quality: np.ndarray, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(quality, source_ids) aligned to ``groups``; NaN where no input row exists (as a left join gives)."""
        if not len(quality):
            return (np.full(len(self.groups), np.nan, dtype=object),) * 2
        return (np.where(present, quality, np.nan).astype(object), np.where(present, sources, np.nan).astype(object))

    def of(self, inputs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(quality, source_ids) of the rows of ``inputs``, one entry per group of ``groups``."""
        key = tuple(sorted(set(inputs)))
        if len(key) == 1:
            return self._single(key[0])
        if key not in self._done:
            sel = np.isin(self.indicator, list(key)) if len(self.indicator) else np.zeros(0, dtype=bool)
            g = self.group[sel]
            n = len(self.groups)
            present = np.bincount(g, minlength=n) > 0
            quality = _join_codes(g, self.quality[0][sel], self.quality[1], n)
            sources = _join_codes(g, self.source[0][sel], self.source[1], n)
            self._done[key] = self._frame(present, quality, sources)
        return self._done[key]


# ---------------------------------------------------------------- cache shared by every framework
# Each catalog indicator's metro panel is computed once per store content and reused: the frameworks
# (and the targets page) read the indicators they share from one computation. The key holds the database path, its data
# version (an import bumps it) and a content hash of the tables the panel reads (so even a write that
# forgot to bump the version cannot serve a stale panel), the catalog's rules and the years.
_PANEL_CACHE: OrderedDict[tuple, dict[str, pd.DataFrame]] = OrderedDict()
_PANEL_CACHE_SIZE = 4
_PANEL_LOCK = threading.Lock()


def _store_fingerprint(con) -> tuple | None:
    """(path, data version, content hashes) of the store, or None when it cannot be read (no caching)."""
    from indicators.store import queries
    from indicators.store.data_version import KEY

    try:
        cur = con.cursor()
        try:
            row = queries.store_fingerprint_row(cur, KEY)
        finally:
            cur.close()
    except Exception:   # no meta table, a connection-like object without SQL: compute without the cache
        return None
    return tuple(str(v) for v in row)


def _catalog_fingerprint(catalog: Catalog) -> tuple:
    return tuple((iid, d.level, bool(d.time_invariant), int(d.sign), tuple(sorted(d.aggregation.model_dump().items())))
                 for iid, d in catalog.indicators.items())


def clear_panel_cache() -> None:
    """Forget every cached panel (the cache also invalidates itself when the store changes)."""
    with _PANEL_LOCK:
        _PANEL_CACHE.clear()


def metro_indicator_panel(con, indicator_ids: list[str], year_from: int, year_to: int,
                          catalog: Catalog | None = None, use_cache: bool = True,
                          include_implausible: bool = False, scope: str | None = DEFAULT_SCOPE,
                          partial: bool = False, keep_gaps: bool = False) -> pd.DataFrame:
    """Metro × year values for ``indicator_ids`` (see module doc).

    With ``use_cache`` each indicator's values are computed once and reused while the store's content,
    the catalog and the years are unchanged (see ``queries.store_fingerprint_row``): frameworks share indicators.
    Flows the data flag as implausible (``flags`` 'implausible', e.g. 滁州→南京 341 timetable minutes) are left
    out unless ``include_implausible``.

    ``scope`` (issue 11): 'plan' (default) or 'extended' — metros as their plans draw them, from county-level
    members (engine/scope.py: census values exact, yearly prefecture statistics apportioned by census
    population share, quality 'apportioned'); None = the prefecture view of ``metro_member`` (whole prefectures).
    In a scope a metro-year whose value rests on fewer members than the metro has is a gap (no row; with
    ``keep_gaps`` a row with value NaN and members_used < members_total, for labels such as "3/4 成员有数据"),
    unless ``partial``: then the partial sum is kept and its quality says 'partial'."""
    catalog = catalog or load_catalog()
    if scope is not None:
        from indicators.store.scope_queries import check_scope, has_scope_tables

        check_scope(scope)
        if not has_scope_tables(con):      # a store built before issue 11: the prefecture view
            scope = None
    ids = list(indicator_ids)
    for iid in ids:
        catalog.get(iid)               # an unknown id fails loudly, cached or not
    y0, y1 = int(year_from), int(year_to)
    key = None
    if use_cache:
        store = _store_fingerprint(con)
        key = None if store is None else (store, _catalog_fingerprint(catalog), y0, y1, bool(include_implausible),
                                           scope, bool(partial))
    parts: dict[str, pd.DataFrame] = {}
    if key is not None:
        with _PANEL_LOCK:
            parts = _PANEL_CACHE.get(key, {})
            if key in _PANEL_CACHE:
                _PANEL_CACHE.move_to_end(key)
    missing = [iid for iid in dict.fromkeys(ids) if iid not in parts]
    if missing:   # only what is asked for and not cached yet; the next framework adds its own
        parts = {**parts, **_indicator_parts(con, missing, y0, y1, catalog, include_implausible, scope, partial)}
        if key is not None:
            with _PANEL_LOCK:
                _PANEL_CACHE[key] = {**_PANEL_CACHE.get(key, {}), **parts}
                _PANEL_CACHE.move_to_end(key)
                while len(_PANEL_CACHE) > _PANEL_CACHE_SIZE:
                    _PANEL_CACHE.popitem(last=False)
    chosen = [parts[iid] for iid in ids]
    out = pd.concat(chosen, ignore_index=True) if chosen else pd.DataFrame(columns=COLUMNS)
    if len(out):
        keep = out["value"].notna()
        if keep_gaps:
            keep |= out["members_used"].astype(float) < out["members_total"].astype(float)
        out = out[keep]
    return out.reindex(columns=COLUMNS).reset_index(drop=True)


def _scoped_inputs(con, scope: str, years: list[int], catalog: Catalog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(members, city) of a scope for ``years`` and the look-back of window rules (observed years only)."""
    from indicators.engine.scope import scoped_city_panel
    from indicators.store import queries

    obs = queries.observations(con)
    obs = obs.assign(code=obs["code"].astype(str), year=obs["year"].astype(int))
    back = max([lookback(d.aggregation.model_dump()) for d in catalog.indicators.values()] + [0])
    have = set(obs["year"].unique())
    wanted = [y for y in range(years[0] - back, years[-1] + 1) if y in have]
    return scoped_city_panel(con, scope, wanted or years[:1], obs[["code", "year", "indicator", "value", "quality", "source_id"]])


def _indicator_parts(con, indicator_ids: list[str], year_from: int, year_to: int,
                     catalog: Catalog, include_implausible: bool = True, scope: str | None = None,
                     partial: bool = False) -> dict[str, pd.DataFrame]:
    """indicator → its metro × year rows (before dropping missing values)."""
    from indicators.store import queries

    years = list(range(int(year_from), int(year_to) + 1))
    if scope is None:
        members = queries.metro_members(con)
        members = members.assign(code=members["code"].astype(str))
        city = queries.metro_city_panel(con, 1900, 2100)
        city = city.assign(code=city["code"].astype(str), year=city["year"].astype(int))
    else:
        members, city = _scoped_inputs(con, scope, years, catalog)
    W = city_wide_panel(city, members, years, catalog)
    invariant = {i for i, d in catalog.indicators.items() if d.time_invariant}
    parts: dict[str, pd.DataFrame] = {}
    flow_cache: dict = {}
    if any(catalog.get(iid).level == "flow" for iid in indicator_ids):   # one query for every kind
        flow_cache["*"] = _all_flows(con, include_implausible)
    provenance: _Provenance | None = None
    for iid in indicator_ids:
        ind = catalog.get(iid)
        agg = ind.aggregation.model_dump()
        if ind.level == "flow":
            parts[iid] = _flow_panel(con, ind, agg, members, years, flow_cache)
            continue
        back = lookback(agg)
        if back:   # window rules (convergence): the same value for a year whichever years are asked for
            W_back = city_wide_panel(city, members, list(range(years[0] - back, years[-1] + 1)), catalog)
            res = apply_rule(W_back, iid, agg, sign=ind.sign if ind.sign != 0 else 1)
            res = res[res.index.get_level_values("year").isin(years)]
            res = res.reindex(pd.MultiIndex.from_frame(W.index.to_frame(index=False)[["metro_id", "year"]].drop_duplicates()))
        else:
            res = apply_rule(W, iid, agg, sign=ind.sign if ind.sign != 0 else 1)
        if provenance is None or not (res.index.is_(provenance.groups) or res.index.equals(provenance.groups)):
            provenance = _Provenance(city, years, invariant, res.index)
            group_ids = (res.index.get_level_values("metro_id"), res.index.get_level_values("year"))
        quality, sources = provenance.of(rule_inputs(agg, iid))
        value = res["value"].to_numpy()
        if scope is not None:   # a value from fewer members than the metro has is a gap, not a smaller total
            short = res["members_used"].to_numpy() < res["members_total"].to_numpy()
            if partial:
                quality = np.where(short & pd.notna(quality), pd.Series(quality, dtype=object).astype(str) + ",partial", quality)
            else:
                value = np.where(short, np.nan, value)
        parts[iid] = pd.DataFrame({"metro_id": group_ids[0], "year": group_ids[1], "indicator": iid,
                                   "value": value, "quality": quality, "source_ids": sources,
                                   "members_used": res["members_used"].to_numpy(),
                                   "members_total": res["members_total"].to_numpy()}, columns=COLUMNS)
    return parts


def _all_flows(con, include_implausible: bool = True) -> pd.DataFrame:
    from indicators.store import queries

    cur = con.cursor()
    try:
        flows = queries.rule_flows(cur)
    finally:
        cur.close()
    if include_implausible:
        return flows
    bad = queries.implausible_flows(con)
    if not len(bad):
        return flows
    keys = ["origin_code", "dest_code", "year", "kind"]
    drop = pd.MultiIndex.from_frame(flows[keys].astype(str)).isin(pd.MultiIndex.from_frame(bad[keys].astype(str)))
    return flows[~drop].reset_index(drop=True)


def _flow_panel(con, ind, agg: dict, members: pd.DataFrame, years: list[int], cache: dict) -> pd.DataFrame:
    kind = agg["flow_kind"]
    if kind not in cache:
        allf = cache["*"] if "*" in cache else _all_flows(con)
        allf = allf[allf["kind"] == kind].reset_index(drop=True)
        allf = allf.assign(origin_code=allf["origin_code"].astype(str), dest_code=allf["dest_code"].astype(str),
                           year=allf["year"].astype(int))
        if "members" not in cache:
            cache["members"] = _Membership(members, years)
        cache[kind] = MetroFlows(allf, members, years, cache["members"])
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

    def __init__(self, flows: pd.DataFrame, members: pd.DataFrame, years: list[int],
                 membership: "_Membership | None" = None):
        ms = membership or _Membership(members, years)
        n_c, n_y, y_min = ms.n_cities, ms.n_years, ms.y_min
        self.metro_ids = ms.metro_ids
        f = flows[flows["year"].isin(ms.years)]
        # cities as integers in sorted order (comparisons and sorting as on the codes); a flow with an end
        # that is no member anywhere can never be read
        fo = ms.city_index.get_indexer(f["origin_code"].astype(str)).astype(np.int64)
        fd = ms.city_index.get_indexer(f["dest_code"].astype(str)).astype(np.int64)
        fy = f["year"].to_numpy(np.int64) - y_min
        fv = f["value"].to_numpy(float)
        q_codes, q_names = _encode(f["quality"], QUALITY_ORDER)
        s_codes, s_names = _encode(f["source_id"])
        # flows × the metros where the origin is a member that year, then keep those whose destination is too
        key = np.where((fo >= 0) & (fd >= 0), fy * n_c + fo, -1)
        lo = np.searchsorted(ms.origin_keys, key, "left")
        hi = np.where(key >= 0, np.searchsorted(ms.origin_keys, key, "right"), lo)
        row = np.repeat(np.arange(len(f)), hi - lo)
        at = np.repeat(lo - np.cumsum(np.r_[0, (hi - lo)[:-1]]), hi - lo) + np.arange(len(row))
        metro = ms.origin_metro[at] if len(row) else np.zeros(0, dtype=np.int64)
        r_slot = metro * n_y + fy[row]
        dest_key = r_slot * n_c + fd[row]
        pos = np.minimum(np.searchsorted(ms.valid, dest_key), max(len(ms.valid) - 1, 0))
        keep = (ms.valid[pos] == dest_key) if len(ms.valid) else np.zeros(len(row), dtype=bool)
        row, r_slot = row[keep], r_slot[keep]
        order = np.lexsort((row, r_slot))                         # by metro, year, then the flows' order
        row, r_slot = row[order], r_slot[order]
        core = ms.core_of[r_slot]
        self.flows = pd.DataFrame({"metro_id": r_slot // n_y, "year": r_slot % n_y + y_min, "origin_code": fo[row],
                                   "dest_code": fd[row], "value": fv[row], "core": np.where(core < n_c, core, -1)})
        self.tagged = self.flows[self.flows["origin_code"] != self.flows["dest_code"]]
        slots, g = np.unique(r_slot, return_inverse=True)
        g = g.astype(np.int64).ravel()
        self.slots = slots
        self.n_years, self.y_min = n_y, y_min
        ends = np.unique(np.concatenate([g * n_c + fo[row], g * n_c + fd[row]]))
        self.quality = _join_codes(g, q_codes[row], q_names, len(slots))
        self.source_ids = _join_codes(g, s_codes[row], s_names, len(slots))
        self.members_used = np.bincount(ends // n_c, minlength=len(slots)).astype(np.int64)
        self.members_total = ms.totals[slots].astype(np.int64)

    def panel(self, rule: str, indicator: str = "", **params) -> pd.DataFrame:
        """Flow rule ``rule`` for every metro and year with flows (long frame, COLUMNS)."""
        if self.flows.empty:
            return pd.DataFrame(columns=COLUMNS)
        vals = flow_indicator_panel(rule, self.tagged, self.KEYS, **params)
        if len(vals) == 0:
            return pd.DataFrame(columns=COLUMNS)
        v = vals.to_numpy(dtype=float)
        ok = np.isfinite(v)
        m = np.asarray(vals.index.get_level_values(0), dtype=np.int64)[ok]
        y = np.asarray(vals.index.get_level_values(1), dtype=np.int64)[ok]
        at = np.searchsorted(self.slots, m * self.n_years + (y - self.y_min))   # every value's metro-year has flows
        return pd.DataFrame({"metro_id": pd.array(self.metro_ids[m].astype(str), dtype=str), "year": y.astype(int),
                             "indicator": indicator, "value": v[ok], "quality": self.quality[at],
                             "source_ids": self.source_ids[at], "members_used": self.members_used[at],
                             "members_total": self.members_total[at]}, columns=COLUMNS)


class _Membership:
    """Members valid per metro and year as integer arrays (metros and cities numbered in sorted order),
    shared by the flows of every kind."""

    def __init__(self, members: pd.DataFrame, years: list[int]):
        self.years = sorted({int(y) for y in years})
        self.y_min = self.years[0] if self.years else 0
        self.n_years = n_y = (self.years[-1] - self.y_min + 1) if self.years else 1
        metro = members["metro_id"].astype(str).to_numpy(object)
        code = members["code"].astype(str).to_numpy(object)
        self.metro_ids = np.unique(metro) if len(metro) else np.array([], dtype=object)
        cities = np.unique(code) if len(code) else np.array([], dtype=object)
        self.city_index = pd.Index(cities)
        self.n_cities = n_c = max(len(cities), 1)
        mv = pd.Index(self.metro_ids).get_indexer(metro).astype(np.int64)
        cv = self.city_index.get_indexer(code).astype(np.int64)
        vf = members["valid_from"].to_numpy(float)
        vt = members["valid_to"].to_numpy(float)
        yy = np.repeat(np.asarray(self.years, dtype=np.int64), len(members))
        ii = np.tile(np.arange(len(members)), len(self.years))
        ok = (vf[ii] <= yy) & (vt[ii] >= yy)
        slot = mv[ii[ok]] * n_y + (yy[ok] - self.y_min)          # (metro, year) of each valid member row
        self.totals = np.bincount(slot, minlength=len(self.metro_ids) * n_y)
        self.valid = np.unique(slot * n_c + cv[ii[ok]])           # (metro, year, city), sorted
        v_slot, v_city = np.divmod(self.valid, n_c)
        # the core: the smallest member code valid that year that is ever 'core' in the metro (the store
        # orders members core first, then by code; that is the first 'core' row a metro's rules see)
        is_core_row = (members["role"] == "core").to_numpy(bool)
        core_pairs = np.unique(mv[is_core_row] * n_c + cv[is_core_row])
        is_core = np.isin((v_slot // n_y) * n_c + v_city, core_pairs)
        self.core_of = np.full(len(self.metro_ids) * n_y, n_c, dtype=np.int64)
        np.minimum.at(self.core_of, v_slot[is_core], v_city[is_core])
        by_origin = np.argsort((v_slot % n_y) * n_c + v_city, kind="stable")
        self.origin_keys = ((v_slot % n_y) * n_c + v_city)[by_origin]   # (year, city) → the metros it is in
        self.origin_metro = (v_slot // n_y)[by_origin]


def flow_panel(rule: str, flows: pd.DataFrame, members: pd.DataFrame, years: list[int], indicator: str = "",
               **params) -> pd.DataFrame:
    """The flow indicator ``rule`` for every metro and year at once (see :class:`MetroFlows`)."""
    return MetroFlows(flows, members, years).panel(rule, indicator, **params)


def indicator_inputs(con, metro_id: str, year: int, indicator: str, catalog: Catalog | None = None,
                     scope: str | None = DEFAULT_SCOPE) -> pd.DataFrame:
    """The raw observations behind one metro value: for city rules, every member city's input values
    (code, name_zh, role, indicator, value, quality, source_id); for flow indicators, the flows between
    members (origin_code, dest_code, value, quality, source_id). Time-invariant inputs (land area) show
    the year they were observed.

    In a ``scope`` (default 'plan') the rows are the parts of the member cities inside the metro: ``share`` is
    the part's share of the city's census population (1 = the whole city), ``value`` the apportioned value
    (quality 'apportioned', ``note`` says how), census inputs the exact sums of the member counties."""
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
    if scope is not None:
        from indicators.store.scope_queries import has_scope_tables

        if not has_scope_tables(con):
            scope = None
    if scope is not None:
        return _scoped_inputs_of(con, metro_id, int(year), inputs, catalog, scope)
    city = queries.metro_city_panel(con, 1900, 2100)
    city = city[(city["metro_id"] == metro_id) & city["indicator"].isin(inputs)]
    invariant = {i for i in inputs if catalog.indicators[i].time_invariant}
    same_year = city[(city["year"].astype(int) == int(year)) & ~city["indicator"].isin(invariant)]
    carried = city[city["indicator"].isin(invariant)].sort_values("year").groupby(["code", "indicator"]).tail(1)
    out = pd.concat([same_year, carried], ignore_index=True)
    cols = ["code", "name_zh", "role", "parts", "year", "indicator", "value", "quality", "source_id"]
    return out.reindex(columns=cols).sort_values(["indicator", "role", "code"]).reset_index(drop=True)


def _scoped_inputs_of(con, metro_id: str, year: int, inputs: list[str], catalog: Catalog, scope: str) -> pd.DataFrame:
    from indicators.engine.scope import METHOD_EN, METHOD_ZH, ScopeModel
    from indicators.store import queries

    members, city = _scoped_inputs(con, scope, [year], catalog)
    shares = ScopeModel(con, scope).shares([year])
    shares = shares[shares["metro_id"] == metro_id].set_index("code")
    city = city[(city["metro_id"] == metro_id) & city["indicator"].isin(inputs)]
    invariant = {i for i in inputs if catalog.indicators[i].time_invariant}
    same_year = city[(city["year"] == year) & ~city["indicator"].isin(invariant)]
    carried = city[city["indicator"].isin(invariant)].sort_values("year").groupby(["code", "indicator"]).tail(1)
    out = pd.concat([same_year, carried], ignore_index=True)
    out = out[out["code"].isin(shares.index)]
    names = queries.regions(con).set_index("code")["name_zh"]
    out = out.assign(name_zh=out["code"].map(names), role=out["code"].map(shares["role"]),
                     share=out["code"].map(shares["share"]), parts=None,
                     note=np.where(out["quality"] == "apportioned", f"{METHOD_ZH} / {METHOD_EN}", None))
    cols = ["code", "name_zh", "role", "parts", "share", "year", "indicator", "value", "quality", "source_id", "note"]
    return out.reindex(columns=cols).sort_values(["indicator", "role", "code"]).reset_index(drop=True)
