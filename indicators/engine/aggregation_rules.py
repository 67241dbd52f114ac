"""City → metro aggregation rules, each a small named function.

Input: a wide city panel ``W`` indexed by (metro_id, year, code) with one column per city indicator,
plus the member role ('core' / 'member' / 'partial') in column ``role``. Each rule returns a Series
indexed by (metro_id, year). Members missing an input are left out (never counted as zero); the
share of members used is reported by :func:`apply_rule` so a score can say how complete it is.

Rules (catalog ``aggregation.rule``):
sum · ratio_of_sums · weighted_mean · worst_member · core_value · core_share (首位度) ·
core_whole_ratio · core_rest_ratio (core-to-rest per-capita GDP, YRD target 1.2:1) · cv · theil
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from indicators.methods.registry import Registry

Rule = Callable[..., pd.Series]
RULES: Registry[Rule] = Registry("city→metro aggregation")
KEYS = ["metro_id", "year"]


_GROUPINGS: list[tuple[pd.Index, np.ndarray, pd.MultiIndex]] = []   # (index, codes, keys), newest first
_GROUPINGS_KEPT = 4


def _grouping(index: pd.Index) -> tuple[np.ndarray, pd.MultiIndex]:
    """Each row's (metro_id, year) group number (0..n-1, in order of first appearance, as
    ``groupby(level=KEYS, sort=False)`` orders groups) and the group keys. Computed once per index
    (and its views): every rule of one panel reuses it (the columns of ``W`` are views of ``W.index``)."""
    for idx, codes, keys in list(_GROUPINGS):
        # ``is_``: identity that holds through views (pandas hands every column a view of W.index)
        if idx.is_(index) and len(idx) == len(index) and list(idx.names) == list(index.names):
            return codes, keys
    codes, keys = pd.MultiIndex.from_arrays([index.get_level_values(k) for k in KEYS], names=KEYS).factorize()
    keys = pd.MultiIndex.from_tuples(list(keys), names=KEYS) if not isinstance(keys, pd.MultiIndex) else keys.set_names(KEYS)
    _GROUPINGS.insert(0, (index, codes, keys))
    del _GROUPINGS[_GROUPINGS_KEPT:]
    return codes, keys


def _group_by(s: pd.Series):
    """``s`` grouped by (metro_id, year) — on precomputed group numbers (same order and arithmetic as
    ``groupby(level=KEYS, sort=False)``, without re-hashing the index for every rule)."""
    codes, keys = _grouping(s.index)
    if len(codes) and codes.min() < 0:        # missing keys: let pandas drop them as it always did
        return s.groupby(level=KEYS, sort=False), None
    return pd.Series(s.to_numpy(), copy=False).groupby(codes, sort=True), keys


def _keyed(result: pd.Series, keys: pd.MultiIndex | None) -> pd.Series:
    if keys is None:
        return result
    return pd.Series(result.to_numpy(), index=keys, name=result.name)


def _per_row(group_values: pd.Series, index: pd.Index) -> np.ndarray:
    """A per-group Series (indexed by the groups of ``index``) broadcast back to the rows of ``index``."""
    codes, keys = _grouping(index)
    if group_values.index.is_(keys) and (not len(codes) or codes.min() >= 0):
        return group_values.to_numpy()[codes]
    rows = pd.MultiIndex.from_arrays([index.get_level_values(k) for k in KEYS])
    return group_values.reindex(rows).to_numpy()


def _col(W: pd.DataFrame, name: str) -> pd.Series:
    if name in W.columns:
        return W[name].astype(float)
    return pd.Series(np.nan, index=W.index, dtype=float)


def _gsum(s: pd.Series) -> pd.Series:
    g, keys = _group_by(s)
    return _keyed(g.sum(min_count=1), keys)


def _both(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series]:
    ok = a.notna() & b.notna()
    return a.where(ok), b.where(ok)


def _core(W: pd.DataFrame) -> pd.Series:
    return W["role"] == "core"


@RULES.register("sum", "求和", "sum over members")
def rule_sum(W: pd.DataFrame, input: str, **_) -> pd.Series:
    """Σ x over the members that report x."""
    return _gsum(_col(W, input))


@RULES.register("ratio_of_sums", "总量之比", "ratio of sums")
def rule_ratio_of_sums(W: pd.DataFrame, numerator: str, denominator: str, scale: float = 1.0, **_) -> pd.Series:
    """scale × Σ num / Σ den over members reporting both (e.g. rail km ÷ land area × 10⁴ = km/万km²)."""
    n, d = _both(_col(W, numerator), _col(W, denominator))
    with np.errstate(invalid="ignore", divide="ignore"):
        return _gsum(n) / _gsum(d).where(lambda s: s != 0) * scale


@RULES.register("weighted_mean", "加权平均(人口或GDP)", "weighted mean (population or GDP)")
def rule_weighted_mean(W: pd.DataFrame, input: str, weight_by: str = "resident_population", **_) -> pd.Series:
    """Σ w·x / Σ w over members reporting both x and the weight."""
    x, w = _both(_col(W, input), _col(W, weight_by))
    return _gsum(x * w) / _gsum(w).where(lambda s: s != 0)


@RULES.register("worst_member", "最差成员", "worst member")
def rule_worst_member(W: pd.DataFrame, input: str, sign: int = 1, **_) -> pd.Series:
    """The least favourable member value: min when higher is better, max when lower is better."""
    g, keys = _group_by(_col(W, input))
    return _keyed(g.max() if sign < 0 else g.min(), keys)


@RULES.register("core_value", "中心城市值", "core city's value")
def rule_core_value(W: pd.DataFrame, input: str, **_) -> pd.Series:
    """The core city's own value."""
    return _gsum(_col(W, input).where(_core(W)))


@RULES.register("core_share", "中心城市占比(首位度)", "core city's share of the metro total (primacy)")
def rule_core_share(W: pd.DataFrame, input: str, **_) -> pd.Series:
    """100 × core / Σ members (NaN when the core does not report)."""
    x = _col(W, input)
    return _gsum(x.where(_core(W))) / _gsum(x).where(lambda s: s != 0) * 100.0


def _per_capita_parts(W, numerator, denominator):
    n, d = _both(_col(W, numerator), _col(W, denominator))
    core = _core(W)
    return n, d, core


@RULES.register("core_whole_ratio", "中心城市与全域人均之比", "core vs whole-metro per-capita ratio")
def rule_core_whole_ratio(W: pd.DataFrame, numerator: str, denominator: str, **_) -> pd.Series:
    """(core num / core den) ÷ (Σ num / Σ den)."""
    n, d, core = _per_capita_parts(W, numerator, denominator)
    core_pc = _gsum(n.where(core)) / _gsum(d.where(core))
    return core_pc / (_gsum(n) / _gsum(d))


@RULES.register("core_rest_ratio", "中心城市与其余成员人均之比", "core-to-rest per-capita ratio")
def rule_core_rest_ratio(W: pd.DataFrame, numerator: str, denominator: str, **_) -> pd.Series:
    """(core num / core den) ÷ (Σ_rest num / Σ_rest den) — the YRD plan's 1.2:1 style ratio."""
    n, d, core = _per_capita_parts(W, numerator, denominator)
    core_pc = _gsum(n.where(core)) / _gsum(d.where(core))
    rest_pc = _gsum(n.where(~core)) / _gsum(d.where(~core))
    return core_pc / rest_pc


@RULES.register("cv", "变异系数(人口加权)", "coefficient of variation (population-weighted)")
def rule_cv(W: pd.DataFrame, numerator: str, denominator: str, **_) -> pd.Series:
    """Williamson-style CV of per-capita values y_i = num_i/den_i with weights den_i: √(Σ w (y − ȳ)² / Σ w) / ȳ."""
    n, d = _both(_col(W, numerator), _col(W, denominator))
    y = n / d
    mean = _gsum(n) / _gsum(d)
    dev = (y - _per_row(mean, W.index)) ** 2
    var = _gsum(dev * d) / _gsum(d)
    return np.sqrt(var) / mean


@RULES.register("theil", "泰尔指数", "Theil index")
def rule_theil(W: pd.DataFrame, numerator: str, denominator: str, **_) -> pd.Series:
    """T = Σ (Y_i/Y) ln((Y_i/Y)/(P_i/P)) over members reporting both (Y income/GDP, P population)."""
    n, d = _both(_col(W, numerator), _col(W, denominator))
    ys = (n / _per_row(_gsum(n), W.index))
    ps = (d / _per_row(_gsum(d), W.index))
    with np.errstate(invalid="ignore", divide="ignore"):
        term = ys * np.log(ys / ps)
    return _gsum(term)


def rule_inputs(agg: dict, indicator_id: str) -> list[str]:
    """The city indicators a rule reads (for provenance and coverage)."""
    keys = [agg.get("input") or (indicator_id if not agg.get("numerator") else None),
            agg.get("numerator"), agg.get("denominator"), agg.get("weight_by") if agg.get("rule") == "weighted_mean" else None]
    out: list[str] = []
    for k in keys:
        if k and k not in out:
            out.append(k)
    return out


def apply_rule(W: pd.DataFrame, indicator_id: str, agg: dict, sign: int = 1) -> pd.DataFrame:
    """The metro value of one indicator plus members_used / members_total (members reporting every input)."""
    params = {k: v for k, v in agg.items() if k not in ("rule", "flow_kind", "minutes") and v is not None}
    params.setdefault("input", indicator_id)
    value = RULES.get(agg["rule"])(W, sign=sign, **params)
    inputs = rule_inputs(agg, indicator_id)
    have = np.ones(len(W), dtype=bool)
    for i in inputs:
        if i not in W.columns:
            have[:] = False
        else:
            have &= W[i].notna().to_numpy()
    codes, keys = _grouping(W.index)
    if len(codes) and codes.min() < 0:
        h = pd.Series(have, index=W.index).groupby(level=KEYS, sort=False)
        used, total = h.sum(), h.size()
    else:   # integer counts: exact whichever way they are added
        used = pd.Series(np.bincount(codes, weights=have, minlength=len(keys)).astype(np.int64), index=keys)
        total = pd.Series(np.bincount(codes, minlength=len(keys)).astype(np.int64), index=keys)
    out = pd.DataFrame({"value": value, "members_used": used, "members_total": total})
    out["value"] = out["value"].where(np.isfinite(out["value"].astype(float)))
    return out
