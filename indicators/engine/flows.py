"""Integration indicators computed from city-to-city flows, for one metro or for all metros at once.

Flows: a frame with origin_code, dest_code, year, value (+ source_id, quality). Members: a frame with
code and role ('core' / 'member' / 'partial'). Every function returns one value per year (a Series
indexed by year); pairs missing from the data are left out, never counted as zero. Each rule is written
once, grouped by keys: ``flow_indicator`` applies it to one metro (keys = year), ``flow_indicator_panel``
to every metro and year at once (keys = metro_id, year) — same rows, same order, same arithmetic.

* ``core_bound_share``: mean over non-core members of the share of their outflow going to the core (%).
* ``internal_flow_share``: mean over members of the share of their outflow going to other members (%).
* ``gravity_mean``: mean gravity linkage over unordered member pairs (from modelled flows, or computed
  with :func:`gravity_linkage` from population, GDP and seat coordinates).
* ``minutes_to_core_mean`` / ``share_within_minutes``: rail minutes from non-core members to the core.
* ``member_to_core_mean``: mean over non-core members of a member → core pair value (e.g. the % cut in
  timetable minutes 2007 → 2017).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from indicators.methods.registry import Registry

FlowRule = Callable[..., pd.Series]
FLOW_RULES: Registry[FlowRule] = Registry("flow indicator")

EARTH_RADIUS_KM = 6371.0088


def _core_code(members: pd.DataFrame) -> str | None:
    core = members.loc[members["role"] == "core", "code"]
    return str(core.iloc[0]) if len(core) else None


def _intra(flows: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    codes = set(members["code"].astype(str))
    f = flows.copy()
    f["origin_code"] = f["origin_code"].astype(str)
    f["dest_code"] = f["dest_code"].astype(str)
    return f[f["origin_code"].isin(codes) & f["dest_code"].isin(codes) & (f["origin_code"] != f["dest_code"])]


def tag_intra(flows: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """One metro's flows between two different members, with its core city in column ``core``."""
    return _intra(flows, members).assign(core=_core_code(members))


# Every rule is written once, over flows already restricted to pairs of different members of one metro
# and tagged with that metro's core (column ``core``), grouped by ``keys``: ["year"] for one metro
# (``flow_indicator``) or ["metro_id", "year"] for every metro at once (``flow_indicator_panel``).
GroupedFlowRule = Callable[..., pd.Series]
GROUPED_FLOW_RULES: dict[str, GroupedFlowRule] = {}


def _flow_rule(name: str, label_zh: str, label_en: str):
    def deco(grouped: GroupedFlowRule) -> FlowRule:
        def one_metro(flows: pd.DataFrame, members: pd.DataFrame, **params) -> pd.Series:
            return grouped(tag_intra(flows, members), ["year"], **params)

        one_metro.__name__ = one_metro.__qualname__ = name
        one_metro.__doc__ = grouped.__doc__
        GROUPED_FLOW_RULES[name] = grouped
        return FLOW_RULES.register(name, label_zh, label_en)(one_metro)

    return deco


@_flow_rule("core_bound_share", "流向中心城市占比", "outflow share to the core")
def core_bound_share(f: pd.DataFrame, keys: list[str], **_) -> pd.Series:
    """Mean over non-core members of value(member → core) (a % share of the member's outflow)."""
    f = f[(f["dest_code"] == f["core"]) & (f["origin_code"] != f["core"])]
    return f.groupby(keys)["value"].mean()


@_flow_rule("internal_flow_share", "都市圈内部流动占比", "internal-flow share")
def internal_flow_share(f: pd.DataFrame, keys: list[str], **_) -> pd.Series:
    """Mean over members (with any recorded intra-metro outflow) of Σ_j share(member → other member j)."""
    per_origin = f.groupby(keys + ["origin_code"])["value"].sum()
    return per_origin.groupby(level=keys).mean()


@_flow_rule("gravity_mean", "引力联系强度均值", "mean gravity linkage")
def gravity_mean(f: pd.DataFrame, keys: list[str], **_) -> pd.Series:
    """Mean over unordered member pairs of the (symmetric) linkage value."""
    if f.empty:
        return pd.Series(dtype=float)
    a = np.minimum(f["origin_code"], f["dest_code"])
    b = np.maximum(f["origin_code"], f["dest_code"])
    pair = f.assign(a=a, b=b).groupby(keys + ["a", "b"])["value"].mean()
    return pair.groupby(level=keys).mean()


def _minutes_to_core(f: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    cols = keys + ["member", "value"]
    to_core = f[(f["dest_code"] == f["core"])].rename(columns={"origin_code": "member"})
    from_core = f[(f["origin_code"] == f["core"])].rename(columns={"dest_code": "member"})
    both = pd.concat([to_core[cols + ["core"]], from_core[cols + ["core"]]])
    both = both[both["member"] != both["core"]]
    return both.groupby(keys + ["member"])["value"].min().reset_index()


@_flow_rule("minutes_to_core_mean", "至中心城市平均时间", "mean minutes to the core")
def minutes_to_core_mean(f: pd.DataFrame, keys: list[str], **_) -> pd.Series:
    """Mean over non-core members of the shortest time to (or from) the core."""
    m = _minutes_to_core(f, keys)
    return m.groupby(keys)["value"].mean()


@_flow_rule("share_within_minutes", "时刻表N分钟内可达中心城市的成员占比", "share of members within N timetable minutes")
def share_within_minutes(f: pd.DataFrame, keys: list[str], minutes: float = 60.0, **_) -> pd.Series:
    """100 × share of non-core members (with a recorded time) whose time to the core is ≤ ``minutes``."""
    m = _minutes_to_core(f, keys)
    return m.assign(ok=m["value"] <= minutes).groupby(keys)["ok"].mean() * 100.0


@_flow_rule("member_to_core_mean", "成员至中心城市的值(均值)", "mean member → core value")
def member_to_core_mean(f: pd.DataFrame, keys: list[str], **_) -> pd.Series:
    """Mean over non-core members of value(member → core) — for pair measures that are not shares or
    times of a member's whole outflow (e.g. the % cut in timetable minutes to the core 2007 → 2017)."""
    f = f[(f["dest_code"] == f["core"]) & (f["origin_code"] != f["core"])]
    return f.groupby(keys + ["origin_code"])["value"].mean().groupby(level=keys).mean()


def great_circle_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Haversine distance in km."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))


def gravity_linkage(cities: pd.DataFrame, k: float = 1.0, beta: float = 2.0) -> pd.DataFrame:
    """Modified gravity model between every pair of cities (a MODELLED quantity).

    R_ij = k · √(P_i·G_i) · √(P_j·G_j) / d_ij^beta with P population (万人), G GDP (亿元), d the
    great-circle distance between seats (km). ``cities``: code, population, gdp, lon, lat.
    Returns origin_code, dest_code, value for i ≠ j (symmetric).
    """
    c = cities.dropna(subset=["population", "gdp", "lon", "lat"]).reset_index(drop=True)
    mass = np.sqrt(c["population"].to_numpy(float) * c["gdp"].to_numpy(float))
    lon, lat = c["lon"].to_numpy(float), c["lat"].to_numpy(float)
    d = great_circle_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        r = k * mass[:, None] * mass[None, :] / d ** beta
    i, j = np.where(~np.eye(len(c), dtype=bool))
    return pd.DataFrame({"origin_code": c["code"].to_numpy()[i], "dest_code": c["code"].to_numpy()[j], "value": r[i, j]})


def flow_indicator(rule: str, flows: pd.DataFrame, members: pd.DataFrame, **params) -> pd.Series:
    """Apply the registered flow rule ``rule``; returns value by year."""
    if flows is None or len(flows) == 0:
        return pd.Series(dtype=float)
    return FLOW_RULES.get(rule)(flows, members, **params)


def flow_indicator_panel(rule: str, tagged: pd.DataFrame, keys: list[str], **params) -> pd.Series:
    """Apply flow rule ``rule`` to many metros at once: ``tagged`` holds the flows between two different
    members of each metro (origin_code, dest_code, value, the keys, and the metro's core in ``core``);
    returns value by ``keys`` (e.g. metro_id, year)."""
    FLOW_RULES.info(rule)    # unknown names fail with the list of known ones
    if len(tagged) == 0:
        return pd.Series(dtype=float)
    return GROUPED_FLOW_RULES[rule](tagged, list(keys), **params)
