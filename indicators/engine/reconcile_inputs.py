"""What 对标 needs from the store: our index for a framework and year, its dimensions and contributions, and
the member-city values behind an indicator — then :func:`reconcile.reconcile` (pure) does the comparison."""
from __future__ import annotations

import inspect
import math

import pandas as pd

from indicators.catalog import load_catalog, load_frameworks
from indicators.engine.reconcile import ReconcileResult, Reference, aggregate_cities, reconcile
from indicators.engine.types import INDEX

EVIDENCE_ZH = {"snapshot": "快照", "modelled": "模型值", "proxy": "代理", "apportioned": "分摊", "estimated": "估算"}


def _evidence_note(row, lang: str) -> str:
    ev = row.get("evidence") if hasattr(row, "get") else None
    vint = row.get("vintage") if hasattr(row, "get") else None
    if row.get("imputed") is True and not ev:
        ev = "estimated"
    if not isinstance(ev, str) or ev in ("", "observed"):
        return ""
    year = "" if vint is None or (isinstance(vint, float) and math.isnan(vint)) else int(vint)
    if lang == "zh":
        return f"{EVIDENCE_ZH.get(ev, ev)}{f'，{year}年' if year else ''}"
    return f"{ev}{f', {year}' if year else ''}"


def our_result(con, framework: str, year: int | None, scope: str | None = None):
    """compute_index over the full panel (the same numbers as the dashboard), then the year asked for (default:
    the latest year with index scores). Returns (result, year, scope_note)."""
    from indicators.engine.index import compute_index

    kwargs = {}
    note = None
    if scope is not None:
        if "scope" in inspect.signature(compute_index).parameters:
            kwargs["scope"] = scope
        else:
            note = "whole-prefecture members (this store has no plan/extended scope yet)"
    from indicators.store import queries

    span = queries.observed_year_span(con) if hasattr(queries, "observed_year_span") else None
    result = compute_index(con, framework, tuple(span) if span else (2010, 2023), **kwargs)
    s = result.scores[(result.scores["dimension"] == INDEX) & result.scores["score"].notna()]
    if year is None:
        year = int(s["year"].max())
    return result, int(year), note


def metro_reference(con, reference: Reference, year: int) -> Reference:
    """A city-level reference aggregated to our metros (population weights of the edition year − 1 when the
    edition is a year, else of ``year``; the latest earlier year when missing); a metro reference unchanged."""
    if reference.level != "city":
        return reference
    from indicators.store import queries

    members = queries.metro_members(con)
    region = queries.regions(con)
    prefecture = {str(c): (str(p) if lv == "county" and isinstance(p, str) and p[2:] != "0000" else str(c))
                  for c, p, lv in zip(region["code"], region["parent_code"], region["level"])}
    members = members.assign(code=members["code"].astype(str).map(lambda c: prefecture.get(c, c)))[["metro_id", "code"]]
    try:
        weight_year = int(str(reference.edition)[:4]) - 1 if reference.edition else int(year)
    except ValueError:
        weight_year = int(year)
    obs = queries.observations(con, "resident_population")
    obs = obs[obs["year"].astype(int) <= weight_year].sort_values("year")
    population = obs.groupby(obs["code"].astype(str))["value"].last().astype(float).to_dict()
    names: dict[str, str] = {}
    for c, z, lv in zip(region["code"], region["name_zh"], region["level"]):
        if lv == "prefecture" and isinstance(z, str):
            names.setdefault(z, str(c))
            names.setdefault(z[:-1] if z.endswith("市") and len(z) > 2 else z, str(c))
    city_names = {n: names.get(n.strip()) or (n.strip() if n.strip() in population else None)
                  for n in reference.frame["name"]}
    return aggregate_cities(reference, members, population, city_names)


def reconcile_with(con, reference: Reference, framework: str = "qigeyi", year: int | None = None,
                   scope: str | None = None, lang: str = "zh") -> tuple[ReconcileResult, int, str | None]:
    """Our ``framework`` index in ``year`` against ``reference``; (result, year used, scope note)."""
    from indicators.engine.panel import indicator_inputs
    from indicators.store import queries

    catalog = load_catalog()
    fw = load_frameworks(catalog)[framework]
    result, year, note = our_result(con, framework, year, scope)
    reference = metro_reference(con, reference, year)
    sc = result.scores[result.scores["year"] == year]
    ours = sc[sc["dimension"] == INDEX]
    cols = ["metro_id", "score"] + (["ranked"] if "ranked" in ours.columns else [])
    dims = sc[sc["dimension"] != INDEX][["metro_id", "dimension", "score"]]
    contrib = result.contributions
    contrib = contrib[contrib["year"] == year].copy()
    contrib["evidence_note"] = [_evidence_note(r, lang) for r in contrib.to_dict("records")]
    metros = queries.metros(con)
    names = dict(zip(metros["metro_id"], metros["name_zh" if lang == "zh" else "name_en"]))
    region = queries.regions(con) if hasattr(queries, "regions") else None
    en = dict(zip(region["code"].astype(str), region["name_en"])) if region is not None and "name_en" in region else {}

    def city(code, zh):
        return zh if lang == "zh" else en.get(str(code), zh)

    vintage = {}
    if "vintage" in contrib.columns:
        vintage = {(m, i): v for m, i, v in zip(contrib["metro_id"], contrib["indicator"], contrib["vintage"])
                   if v is not None and not (isinstance(v, float) and math.isnan(v))}

    def members(metro: str, indicator: str, direction: int) -> list[str]:
        ind = catalog.get(indicator)
        if ind.aggregation.rule in ("growth_comovement", "beta_convergence"):
            return []          # a correlation / slope over years: no single member value explains it
        when = int(vintage.get((metro, indicator), year))
        try:
            rows = indicator_inputs(con, metro, when, indicator, catalog)
            if rows.empty and ind.level == "flow":     # a snapshot: the member flows of its own date
                f = queries.flows(con, ind.aggregation.flow_kind, metro)
                if len(f):
                    when = int(f["year"].max())
                    rows = indicator_inputs(con, metro, when, indicator, catalog)
        except Exception:      # an indicator without inputs that year: explain without member cities
            return []
        if rows.empty:
            return []
        better_high = ind.direction != "lower"
        if ind.level == "flow":
            core = metros.set_index("metro_id").at[metro, "core_code"]
            f = rows[rows["dest_code"].astype(str) == str(core)] if "share" in ind.aggregation.rule or "core" in ind.aggregation.rule else rows
            f = f if len(f) else rows
            f = f.sort_values("value", ascending=not ((direction > 0) == better_high))
            return [f"{city(r.origin_code, r.origin_name_zh)}→{city(r.dest_code, r.dest_name_zh)} {r.value:.3g}{r.unit}"
                    for r in f.head(3).itertuples()]
        agg = ind.aggregation
        if agg.numerator and agg.denominator:
            w = rows.pivot_table(index=["code", "name_zh"], columns="indicator", values="value", aggfunc="first")
            if agg.numerator not in w or agg.denominator not in w:
                return []
            ratio = (w[agg.numerator] / w[agg.denominator]).dropna().sort_values()
            if ratio.empty:
                return []
            if agg.rule == "ratio_of_sums":      # each member's own ratio, in the indicator's unit
                v = ratio * agg.scale
                v = v.sort_values(ascending=not ((direction > 0) == better_high))
                return [f"{city(*k)} {x:,.3g}{ind.unit}" for k, x in v.head(3).items()]
            # dispersion rules: the lowest and highest member per-capita values
            per_capita = agg.numerator == "gdp" and agg.denominator == "resident_population"
            label = ("人均" if lang == "zh" else "per capita ") if per_capita else ""
            scale, unit = (10000, "元") if per_capita else (1, "")
            lo, hi = ratio.index[0], ratio.index[-1]
            return [f"{city(*lo)} {label}{ratio.iloc[0] * scale:,.0f}{unit}",
                    f"{city(*hi)} {label}{ratio.iloc[-1] * scale:,.0f}{unit}"]
        v = rows[rows["indicator"] == (agg.input or indicator)].dropna(subset=["value"])
        v = v.sort_values("value", ascending=not ((direction > 0) == better_high))
        return [f"{city(r.code, r.name_zh)} {r.value:,.3g}" for r in v.head(3).itertuples()]

    dim_names = {d.id: (d.name_zh if lang == "zh" else d.name_en) for d in fw.dimensions}
    ind_names = {i: (catalog.get(i).name_zh if lang == "zh" else catalog.get(i).name_en) for i in fw.indicator_ids()}
    metros_m = metros.rename(columns={})
    res = reconcile(ours[cols], reference, metros_m, dims, contrib, members, dim_names, ind_names, lang)
    res.rows.insert(1, "metro_name", res.rows["metro_id"].map(names))
    return res, year, note
