"""Integration indicators computed from city-to-city flows, one metro at a time.

Flows: a frame with origin_code, dest_code, year, value (+ source_id, quality). Members: a frame with
code and role ('core' / 'member' / 'partial'). Every function returns one value per year (a Series
indexed by year); pairs missing from the data are left out, never counted as zero.

* ``core_bound_share``: mean over non-core members of the share of their outflow going to the core (%).
* ``internal_flow_share``: mean over members of the share of their outflow going to other members (%).
* ``gravity_mean``: mean gravity linkage over unordered member pairs (from modelled flows, or computed
  with :func:`gravity_linkage` from population, GDP and seat coordinates).
* ``minutes_to_core_mean`` / ``share_within_minutes``: rail minutes from non-core members to the core.
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


@FLOW_RULES.register("core_bound_share", "流向中心城市占比", "outflow share to the core")
def core_bound_share(flows: pd.DataFrame, members: pd.DataFrame, **_) -> pd.Series:
    """Mean over non-core members of value(member → core) (a % share of the member's outflow)."""
    core = _core_code(members)
    f = _intra(flows, members)
    f = f[(f["dest_code"] == core) & (f["origin_code"] != core)]
    return f.groupby("year")["value"].mean()


@FLOW_RULES.register("internal_flow_share", "都市圈内部流动占比", "internal-flow share")
def internal_flow_share(flows: pd.DataFrame, members: pd.DataFrame, **_) -> pd.Series:
    """Mean over members (with any recorded intra-metro outflow) of Σ_j share(member → other member j)."""
    f = _intra(flows, members)
    per_origin = f.groupby(["year", "origin_code"])["value"].sum()
    return per_origin.groupby(level="year").mean()


@FLOW_RULES.register("gravity_mean", "引力联系强度均值", "mean gravity linkage")
def gravity_mean(flows: pd.DataFrame, members: pd.DataFrame, **_) -> pd.Series:
    """Mean over unordered member pairs of the (symmetric) linkage value."""
    f = _intra(flows, members)
    if f.empty:
        return pd.Series(dtype=float)
    a = np.minimum(f["origin_code"], f["dest_code"])
    b = np.maximum(f["origin_code"], f["dest_code"])
    pair = f.assign(a=a, b=b).groupby(["year", "a", "b"])["value"].mean()
    return pair.groupby(level="year").mean()


def _minutes_to_core(flows: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    core = _core_code(members)
    f = _intra(flows, members)
    to_core = f[(f["dest_code"] == core)].rename(columns={"origin_code": "member"})
    from_core = f[(f["origin_code"] == core)].rename(columns={"dest_code": "member"})
    both = pd.concat([to_core[["year", "member", "value"]], from_core[["year", "member", "value"]]])
    both = both[both["member"] != core]
    return both.groupby(["year", "member"])["value"].min().reset_index()


@FLOW_RULES.register("minutes_to_core_mean", "至中心城市平均时间", "mean minutes to the core")
def minutes_to_core_mean(flows: pd.DataFrame, members: pd.DataFrame, **_) -> pd.Series:
    """Mean over non-core members of the shortest time to (or from) the core."""
    m = _minutes_to_core(flows, members)
    return m.groupby("year")["value"].mean()


@FLOW_RULES.register("share_within_minutes", "一小时通勤圈覆盖率", "share of members within N minutes")
def share_within_minutes(flows: pd.DataFrame, members: pd.DataFrame, minutes: float = 60.0, **_) -> pd.Series:
    """100 × share of non-core members (with a recorded time) whose time to the core is ≤ ``minutes``."""
    m = _minutes_to_core(flows, members)
    return m.assign(ok=m["value"] <= minutes).groupby("year")["ok"].mean() * 100.0


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
