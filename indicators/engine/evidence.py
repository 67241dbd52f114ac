"""Evidence, vintage and comparability of index cells (issue 12).

Every cell of a prepared panel (metro × year × indicator) carries

* its **evidence class** (``observed``, ``snapshot``, ``modelled``, ``proxy``, ``apportioned``, ``estimated``):
  the weakest of the catalog's class for the indicator and the quality of its inputs;
* its **vintage**: the year the value describes (a carried value keeps the year it was observed in) and,
  for flows measured on a date, the period (``2020-01-07..2020-01-08`` → "2020年1月快照").

A value enters another year only through the framework's ``carry`` rule (latest value within N years;
flagged ``carried``) or the ``own_trend`` missing-data rule (flagged ``estimated``); both stay inside the
indicator's bounds (shares in [0, 100], non-negative quantities ≥ 0).

Scoring adds, per score row: ``coverage`` (weight share of cells observed in that year, or apportioned to the plan
scope from that year's observed prefecture statistic — estimated, carried, snapshot, modelled and proxy cells do
not count), ``data_coverage`` (any value used), ``estimate_share``
(share of the score resting on carried or estimated cells) and comparability: a metro is ranked only when
its indicator composition equals the year's reference composition (the most common one among metros with
a score) and, for the index, its observed coverage meets the framework's floor; otherwise ``rank`` is empty,
``ranked`` False and ``missing`` lists what to import.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

EVIDENCE_ORDER = ("observed", "apportioned", "snapshot", "proxy", "modelled", "estimated")
_RANK = {e: i for i, e in enumerate(EVIDENCE_ORDER)}
MEASURED = ("observed", "apportioned")   # the classes coverage counts (for the year the value describes)
_QUALITY_EVIDENCE = {"modelled": "modelled", "synthetic": "modelled", "estimate": "estimated", "apportioned": "apportioned"}


def worst(*classes: str | None) -> str | None:
    vals = [c for c in classes if c]
    return max(vals, key=lambda c: _RANK.get(c, len(_RANK))) if vals else None


def cell_evidence(panel: pd.DataFrame, catalog, units: pd.MultiIndex, indicators: list[str]) -> np.ndarray:
    """units × indicators object array of evidence classes (None where the panel has no value)."""
    out = np.full((len(units), len(indicators)), None, dtype=object)
    if panel is None or not len(panel):
        return out
    p = panel[["metro_id", "year", "indicator", "quality"]].copy()
    base = {i: (getattr(catalog.indicators[i], "evidence_class", None) if catalog and i in catalog.indicators else None)
            or "observed" for i in indicators}
    q = p["quality"].fillna("").astype(str)
    from_quality = [worst(*(ev for flag, ev in _QUALITY_EVIDENCE.items() if flag in qq)) for qq in q]
    p["evidence"] = [worst(base.get(i, "observed"), e) for i, e in zip(p["indicator"], from_quality)]
    rows = units.get_indexer(pd.MultiIndex.from_arrays([p["metro_id"].astype(str), p["year"].astype(int)]))
    cols = pd.Index(indicators).get_indexer(p["indicator"])
    ok = (rows >= 0) & (cols >= 0)
    out[rows[ok], cols[ok]] = p["evidence"].to_numpy()[ok]
    return out


def indicator_bounds(catalog, indicators: list[str], raw: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(low, high) each indicator's values must stay within: shares (unit %) in [0, 100]; a quantity never
    observed below zero stays ≥ 0."""
    out = {}
    for i in indicators:
        unit = str(getattr(catalog.indicators.get(i), "unit", "")) if catalog and i in catalog.indicators else ""
        col = raw[i] if i in raw else pd.Series(dtype=float)
        lo = 0.0 if (unit == "%" or (col.notna().any() and float(col.min()) >= 0)) else -np.inf
        hi = 100.0 if unit == "%" else np.inf
        out[i] = (lo, hi)
    return out


def carry_latest(raw: pd.DataFrame, vintage: np.ndarray, evidence: np.ndarray, within: int
                 ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Fill each missing (metro, year) cell with the metro's latest earlier value at most ``within`` years old.

    ``raw``: (metro_id, year) × indicators, sorted by metro then year. Returns (values, vintage, evidence,
    carried mask); a carried cell keeps the vintage and evidence class of the value it copies."""
    x = raw.to_numpy(dtype=float).copy()
    vint = vintage.copy()
    ev = evidence.copy()
    carried = np.zeros(x.shape, dtype=bool)
    metro = raw.index.get_level_values(0).to_numpy()
    years = raw.index.get_level_values(1).to_numpy(dtype=int)
    for m in pd.unique(metro):
        rows = np.flatnonzero(metro == m)
        rows = rows[np.argsort(years[rows], kind="stable")]
        for j in range(x.shape[1]):
            last_v, last_y, last_e, last_row_v = np.nan, None, None, None
            for r in rows:
                if not np.isnan(x[r, j]) and not carried[r, j]:
                    last_v, last_y, last_e, last_row_v = x[r, j], years[r], ev[r, j], vint[r, j]
                elif np.isnan(x[r, j]) and last_y is not None and years[r] - last_y <= within:
                    x[r, j], vint[r, j], ev[r, j], carried[r, j] = last_v, last_row_v, last_e, True
    return pd.DataFrame(x, index=raw.index, columns=raw.columns), vint, ev, carried


# ---------------------------------------------------------------- vintage labels

_DATE_RANGE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_CIRCA = re.compile(r"^c\.?\s*(\d{4})$")


def vintage_label(year: float | int | None, evidence: str | None, period: str | None, carried: bool,
                  lang: str = "zh", for_year: int | None = None) -> str:
    """"2020年1月快照" / "snapshot Jan 2020", "约2017年时刻表", "2020年（沿用）" …"""
    if year is None or (isinstance(year, float) and np.isnan(year)):
        return "估算" if lang != "en" else "estimate"
    y = int(year)
    period = str(period) if period is not None and not (isinstance(period, float) and np.isnan(period)) else ""
    m = _DATE_RANGE.match(period)
    c = _CIRCA.match(period)
    if m:
        text = f"{m.group(1)}年{int(m.group(2))}月快照" if lang != "en" else \
            f"snapshot {pd.Timestamp(year=int(m.group(1)), month=int(m.group(2)), day=1):%b %Y}"
    elif c:
        text = f"约{c.group(1)}年快照" if lang != "en" else f"snapshot c. {c.group(1)}"
    elif evidence == "modelled":
        text = f"{y}年模型值" if lang != "en" else f"modelled {y}"
    elif evidence == "proxy":
        text = f"{y}年代理值" if lang != "en" else f"proxy {y}"
    elif evidence == "estimated":
        text = f"{y}年估算" if lang != "en" else f"estimate {y}"
    else:
        text = f"{y}年" if lang != "en" else str(y)
    if carried and for_year is not None and for_year != y:
        text += f"（沿用至{for_year}年）" if lang != "en" else f" (carried to {for_year})"
    return text


# ---------------------------------------------------------------- scoring-time evidence and comparability

def _keys(mask: np.ndarray) -> np.ndarray:
    """One integer code per row for its boolean pattern."""
    if mask.shape[1] == 0:
        return np.zeros(mask.shape[0], dtype=np.int64)
    packed = np.packbits(mask, axis=1)
    view = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1])))[:, 0]
    return pd.factorize(view)[0].astype(np.int64)


def _modal(keys: np.ndarray, eligible: np.ndarray, groups: np.ndarray, n_avail: np.ndarray) -> np.ndarray:
    """Per row: True when its key is its group's reference key (most common among eligible rows; ties →
    more indicators, then the smaller key)."""
    ok = np.zeros(len(keys), dtype=bool)
    if not eligible.any():
        return ok
    df = pd.DataFrame({"g": groups[eligible], "k": keys[eligible], "n": n_avail[eligible]})
    counts = df.groupby(["g", "k"]).agg(c=("n", "size"), n=("n", "first")).reset_index()
    counts = counts.sort_values(["g", "c", "n", "k"], ascending=[True, False, False, True])
    best = counts.drop_duplicates("g").set_index("g")["k"]
    ref = best.reindex(groups).to_numpy()
    return eligible & (keys == np.nan_to_num(ref, nan=-1).astype(np.int64))


def evidence_columns(prepared, m: np.ndarray, dw: np.ndarray, scores: pd.DataFrame) -> pd.DataFrame:
    """Add coverage (observed only), data_coverage, estimate_share, ranked, missing, extra and comparable
    ranks to a tidy score frame (unit-major, [index, dims…] per unit, as the scorers build it)."""
    from indicators.engine.weighting import group_ranks

    p = prepared
    x = p.normalised
    n, k_ind = x.shape
    dims = len(p.dimensions)
    k = dims + 1
    if n == 0:
        return scores.assign(data_coverage=scores["coverage"], estimate_share=np.nan, ranked=False, missing="", extra="")
    avail = ~np.isnan(x)
    ev = p.evidence if p.evidence is not None else np.where(avail, "observed", None)
    carried = p.carried if p.carried is not None else np.zeros(x.shape, dtype=bool)
    estimate = avail & (carried | p.imputed | (ev == "estimated"))
    # measured for that year: observed, or apportioned from that year's observed prefecture statistic (plan scope)
    observed = avail & ~estimate & np.isin(ev, list(MEASURED))
    total = m.sum(axis=0)
    safe_total = np.where(total > 0, total, 1.0)
    wa = avail.astype(float) @ m
    dim_obs = (observed.astype(float) @ m) / safe_total
    dim_data = wa / safe_total
    with np.errstate(invalid="ignore", divide="ignore"):
        dim_est = np.where(wa > 0, (estimate.astype(float) @ m) / np.where(wa > 0, wa, 1.0), np.nan)
    dsum = dw.sum() if dw.sum() > 0 else 1.0
    idx_obs = dim_obs @ dw / dsum
    idx_data = dim_data @ dw / dsum
    has = wa > 0
    dshare = np.where(has, dw[None, :], 0.0)
    dshare = dshare / np.where(dshare.sum(axis=1, keepdims=True) > 0, dshare.sum(axis=1, keepdims=True), 1.0)
    idx_est = np.nansum(np.where(has, dim_est, 0.0) * dshare, axis=1)
    cov_obs = np.column_stack([idx_obs, dim_obs]).ravel()
    cov_data = np.column_stack([idx_data, dim_data]).ravel()
    est = np.column_stack([np.where(has.any(axis=1), idx_est, np.nan), dim_est]).ravel()

    # comparability per (year, column): composition keys over the column's indicators
    score = scores["score"].to_numpy(dtype=float)
    years = p.units.get_level_values(p.year_level).to_numpy() if p.year_level in (p.units.names or []) else np.zeros(n)
    ycode = pd.factorize(years)[0]
    floor = p.meta.get("coverage_floor", p.min_coverage)
    ranked = np.zeros(n * k, dtype=bool)
    missing = np.full(n * k, "", dtype=object)
    extra = np.full(n * k, "", dtype=object)
    used = m.sum(axis=1) > 0
    col_members = [used] + [m[:, j] > 0 for j in range(dims)]
    names = np.asarray(p.indicators, dtype=object)
    for c, members in enumerate(col_members):
        sel = np.flatnonzero(members)
        mask = avail[:, sel]
        keys = _keys(mask)
        s = score[c::k]
        eligible = ~np.isnan(s)
        if c == 0:
            eligible &= idx_obs >= floor - 1e-12
        ok = _modal(keys, ~np.isnan(s) if c else eligible, ycode, mask.sum(axis=1))
        ok &= eligible
        ranked[c::k] = ok
        # what a row lacks against its year's reference composition
        ref_mask = pd.DataFrame(mask[ok]).groupby(ycode[ok]).first() if ok.any() else pd.DataFrame()
        if len(ref_mask):
            refs = ref_mask.reindex(ycode).to_numpy()
            has_ref = ~pd.isna(refs).any(axis=1) if refs.dtype == object else ~np.isnan(refs.astype(float)).any(axis=1)
            refs = np.where(has_ref[:, None], refs, False).astype(bool)
            lack = refs & ~mask
            more = mask & ~refs
            bad = np.flatnonzero(~ok & ~np.isnan(s))
            for r in bad:
                missing[r * k + c] = ",".join(names[sel[lack[r]]])
                extra[r * k + c] = ",".join(names[sel[more[r]]])
    masked = np.where(ranked, score, np.nan)
    groups = (np.repeat(ycode, k) * k + np.tile(np.arange(k), n)).astype(np.int64)
    ranks = group_ranks(masked, groups)
    out = scores.copy()
    out["rank"] = pd.array(ranks, dtype="Int64")
    out["coverage"] = cov_obs
    out["data_coverage"] = cov_data
    out["estimate_share"] = est
    out["ranked"] = ranked
    out["missing"] = missing
    out["extra"] = extra
    return out


def unranked_reason(row, indicator_names: dict[str, str], lang: str = "zh", floor: float | None = None) -> str:
    """"未排名：缺少 迁徙联系…" for a score row that is not ranked."""
    sep = "、" if lang != "en" else ", "
    lack = [indicator_names.get(i, i) for i in str(row.get("missing") or "").split(",") if i]
    more = [indicator_names.get(i, i) for i in str(row.get("extra") or "").split(",") if i]
    if lack:
        return ("未排名：缺少 " if lang != "en" else "Not ranked: lacks ") + sep.join(lack)
    if more:
        return ("未排名：指标组成不同（多出 " if lang != "en" else "Not ranked: different composition (extra ") + \
            sep.join(more) + ("）" if lang != "en" else ")")
    if floor is not None and pd.notna(row.get("coverage")) and float(row.get("coverage")) < floor:
        return (f"未排名：实测数据覆盖率 {float(row['coverage']):.0%} 低于 {floor:.0%}" if lang != "en" else
                f"Not ranked: observed coverage {float(row['coverage']):.0%} below {floor:.0%}")
    return "未排名：无得分" if lang != "en" else "Not ranked: no score"


def population_vintage_warning(con, prepared, year: int, catalog=None, lang: str = "zh") -> str:
    """A warning when the year's index reads 2011–2019 resident population of different vintages: members whose
    series is a pre-census estimate (≥ 5 % off the census path) beside members on the census path."""
    if not 2011 <= int(year) <= 2019 or con is None:
        return ""
    from indicators.catalog import load_catalog
    from indicators.engine.aggregation_rules import rule_inputs
    from indicators.store import queries

    catalog = catalog or load_catalog()
    in_year = prepared.units.get_level_values(prepared.year_level) == int(year)
    has = ~np.isnan(prepared.normalised[in_year]).all(axis=0) if in_year.any() else np.zeros(len(prepared.indicators), bool)
    uses = [i for k, i in enumerate(prepared.indicators) if has[k] and i in catalog.indicators
            and catalog.indicators[i].level != "flow"
            and "resident_population" in rule_inputs(catalog.indicators[i].aggregation.model_dump(), i)]
    if not uses:
        return ""
    flags = queries.member_flags(con, "resident_population", int(year))
    metros = set(prepared.units.get_level_values(0))
    flags = flags[flags["metro_id"].isin(metros)]
    metro_tab = queries.metros(con)
    label = dict(zip(metro_tab["metro_id"], metro_tab["name_en" if lang == "en" else "name_zh"]))
    pre = sorted(set(flags.loc[flags["flags"].fillna("").str.contains("pop_pre_census"), "metro_id"]))
    pre = [label.get(m, m) for m in pre]
    on_path = set(flags.loc[flags["flags"].fillna("").str.contains("pop_census_consistent"), "metro_id"])
    if not pre or not on_path:
        return ""
    names = {i: (catalog.indicators[i].name_zh if lang != "en" else catalog.indicators[i].name_en) for i in uses}
    if lang != "en":
        return (f"{year}年常住人口口径不一：{('、'.join(pre))} 的部分成员为普查前估计（与普查推算偏差≥5%），"
                f"其余多与七普衔接（回溯修订）；用到常住人口的指标（{'、'.join(names.values())}）跨都市圈比较需谨慎。")
    return (f"{year} resident population mixes vintages: members of {', '.join(pre)} are pre-census estimates (≥ 5 % off "
            f"the census path), the others mostly follow the 2020 census (back-revised); indicators using population "
            f"({', '.join(names.values())}) compare across metros with care.")


def only_units(prepared, units: set):
    """The prepared panel restricted to rows of ``units`` (first index level), normalisation unchanged."""
    from dataclasses import replace

    keep = np.asarray(prepared.units.get_level_values(0).isin(list(units)))
    if keep.all():
        return prepared
    opt = {k: getattr(prepared, k)[keep] for k in ("evidence", "vintage", "carried") if getattr(prepared, k) is not None}
    return replace(prepared, units=prepared.units[keep], raw=prepared.raw[keep], normalised=prepared.normalised[keep],
                   imputed=prepared.imputed[keep], **opt)


def vintage_items(prepared, year: int, indicator_names: dict[str, str], lang: str = "zh") -> list[str]:
    """"设施互通：成员城市流向中心城市的人口流动占比 2020年1月快照（沿用至2023年）" for every indicator whose values in
    ``year`` are not measured that year (carried, estimated, snapshot, modelled, proxy)."""
    if prepared.evidence is None:
        return []
    rows_y = np.flatnonzero(np.asarray(prepared.units.get_level_values(prepared.year_level)) == int(year))
    periods = prepared.meta.get("periods", {})
    out = []
    for j, dim in enumerate(prepared.dimensions):
        dim_name = prepared.dimension_names[dim][1 if lang == "en" else 0]
        for i in np.flatnonzero(prepared.membership[:, j] > 0):
            labels: list[str] = []
            for k in rows_y:
                if np.isnan(prepared.normalised[k, i]):
                    continue
                if not prepared.carried[k, i] and not prepared.imputed[k, i] and prepared.evidence[k, i] in MEASURED:
                    continue
                v = prepared.vintage[k, i]
                period = periods.get(prepared.indicators[i], {}).get(int(v)) if v == v else None
                lab = vintage_label(v, prepared.evidence[k, i], period, bool(prepared.carried[k, i]), lang, int(year))
                if lab not in labels:
                    labels.append(lab)
            if labels:
                name = indicator_names.get(prepared.indicators[i], prepared.indicators[i])
                out.append(f"{dim_name}：{name} {'/'.join(labels)}" if lang != "en"
                           else f"{dim_name}: {name} {'/'.join(labels)}")
    return out
