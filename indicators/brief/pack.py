"""Gather a briefing pack: resolve metros, read the store, compute metro numbers, build the figures, the
summary sentences and the methodology lines. Writers (pptx_writer, docx_writer, pdf_writer) only lay it out."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

from indicators.brief import charts, citations, metrics, summary  # noqa: F401 (metrics: INDICATORS for callers)
from indicators.store import brief_reads as store_reads
from indicators.brief.index_results import IndexOutcome, compute_for_brief
from indicators.brief.methodology import brief_numbers_paragraph
from indicators.brief.resolve import resolve_metros
from indicators.brief.scoped import scope_label, scoped_inputs, scoped_tables
from indicators.export.meta import PRODUCT_NAME, ChartMeta, subtitle_from
from indicators.store.citations import citations as read_citations
from indicators.store.db import shared_connection

OBSERVED_CHARTS = ["metro_gdp", "core_share", "per_capita_spread", "gdp_growth"]
INDEX_CHARTS = ["index_ranking", "index_dimensions"]
CHART_IDS = INDEX_CHARTS + OBSERVED_CHARTS
CHART_LABELS = {
    "index_ranking": {"zh": "同城化指数排名", "en": "Index ranking"},
    "index_dimensions": {"zh": "分维度得分", "en": "Dimension scores"},
    "metro_gdp": {"zh": "都市圈地区生产总值", "en": "Metro GDP"},
    "core_share": {"zh": "核心城市经济占比", "en": "Core city's share of GDP"},
    "per_capita_spread": {"zh": "成员城市人均GDP差距", "en": "Per-capita GDP spread"},
    "gdp_growth": {"zh": "地区生产总值年均增速", "en": "GDP growth"},
}
GROWTH_SPAN = 5


@dataclass
class BriefChart:
    chart_id: str
    figure: go.Figure
    meta: ChartMeta


@dataclass
class BriefPack:
    title: str
    subtitle: str
    lang: str
    year: int
    metro_ids: list[str]
    metro_names: list[str]
    framework: str
    charts: list[BriefChart]
    summary: list[str]
    caveats: list[str]
    methodology: list[tuple[str, list[str]]]   # (section heading, lines)
    sources: list[str]                              # numbered references: original publisher and document
    index_scores: pd.DataFrame | None = None      # metro_id, name, year, score, rank, coverage (engine)
    generated: str = field(default_factory=lambda: _dt.date.today().isoformat())
    product: str = PRODUCT_NAME
    source_notes: list[str] = field(default_factory=list)   # small print under each source: the compilation


def _con(db: str | Path | duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    if isinstance(db, duckdb.DuckDBPyConnection):
        return db
    path = Path(db)
    if not path.exists():
        raise FileNotFoundError(f"database {path} does not exist; run `python -m indicators build` first")
    return shared_connection(path)


def _usage(obs: pd.DataFrame, members: pd.DataFrame, metro_ids: list[str]) -> pd.DataFrame:
    """(source_id, city, year, indicator) of the observations the pack uses; cities (names as shown) in the
    analyst's order of metros, core city first."""
    pos = {m: i for i, m in enumerate(metro_ids)}
    role = {"core": 0, "member": 1, "partial": 2}
    ordered = members.assign(_m=members["metro_id"].map(pos), _r=members["role"].map(role)).sort_values(
        ["_m", "_r", "code"], kind="stable").drop_duplicates("code")
    rank = {c: i for i, c in enumerate(ordered["code"])}
    city = ordered.set_index("code")["name_zh"]
    out = pd.DataFrame({"source_id": obs["source_id"].to_numpy(), "city": obs["code"].map(city).to_numpy(),
                        "year": obs["year"].to_numpy(), "indicator": obs["indicator"].to_numpy(),
                        "code": obs["code"].to_numpy(),
                        "_o": obs["code"].map(rank).to_numpy()})
    return out.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def _census_usage(members: pd.DataFrame, year: int) -> pd.DataFrame:
    """The county census tables behind apportioned parts (their population shares), cited with the GDP charts."""
    part = members[~members["whole"].astype(bool)]
    rows = [{"source_id": sid, "city": name, "year": census_year, "indicator": "gdp", "code": code}
            for sid, census_year in (("census2020_county_leiii", 2020), ("census2010_county_leiii", 2010))
            for code, name in zip(part["code"], part["name_zh"])]
    return pd.DataFrame(rows, columns=["source_id", "city", "year", "indicator", "code"])


def _source_line(con, usage: pd.DataFrame, lang: str, extra: str = "") -> str:
    """'来源：成都市、德阳市等17个城市统计局：国民经济和社会发展统计公报或统计年鉴（2022年数据；经…整理）；tongcheng 计算'."""
    ids = list(dict.fromkeys(usage["source_id"]))
    refs = citations.references(read_citations(con, ids), usage, lang, order=ids)
    calc = "tongcheng 计算" if lang != "en" else "tongcheng calculation"
    return citations.source_line(refs, lang, extra=[extra] if extra else [], computed_by=calc)


def build_pack(db: str | Path | duckdb.DuckDBPyConnection, metros: list[str] | str, year: int,
               framework: str | None = None, chart_ids: list[str] | None = None, lang: str = "zh",
               scope: str = "plan") -> BriefPack:
    """Everything a brief shows, for ``metros`` (ids, zh or en names) in ``year``; the index in ``scope``
    ('plan' or 'extended' metro boundaries, said in the caveats)."""
    lang = "en" if lang == "en" else "zh"
    con = _con(db)
    all_metros = store_reads.metros(con)
    metro_ids = resolve_metros(metros, all_metros)
    if not metro_ids:
        raise ValueError("choose at least one metro")
    chart_ids = [c for c in (chart_ids or CHART_IDS) if c in CHART_IDS]
    name_col = "name_en" if lang == "en" else "name_zh"
    names = all_metros.set_index("metro_id")[name_col].to_dict()
    sel = all_metros[all_metros["metro_id"].isin(metro_ids)]

    year = int(year)
    base_year = year - GROWTH_SPAN
    # the observed-data charts in the same metro boundaries as the index (issue 11): plan-scope parts apportioned
    scoped = scoped_inputs(con, metro_ids, year, base_year, scope)
    members, obs = scoped.members, scoped.observations
    if lang == "en":   # city names in English where the store has them
        members = members.assign(name_zh=members["name_en"].fillna(members["name_zh"]))
        scoped.members = members
    table, cities = scoped_tables(sel.assign(name_zh=sel[name_col]), scoped, year, base_year)
    usage = pd.concat([_usage(obs, members, metro_ids), _census_usage(members, year)], ignore_index=True)
    now = usage[(usage["year"] == year) | usage["source_id"].str.startswith("census20")]
    source = _source_line(con, now[now["indicator"] == "gdp"], lang)          # GDP totals and core shares
    pc_source = _source_line(con, now[now["indicator"] == "gdp_per_capita"], lang)
    growth_source = _source_line(con, usage[usage["indicator"] == "gdp"], lang)
    scope_sub = scope_label(scoped, lang)                    # '规划范围 · 德阳、眉山、资阳的年度统计按普查人口比重分摊…'
    scope_ratio = scope_label(scoped, lang, extensive=False)

    index = IndexOutcome(reason="not requested")
    if any(c in INDEX_CHARTS for c in chart_ids) or framework:
        index = compute_for_brief(con, metro_ids, year, framework, names, lang, scope=scope)

    fw_label = index.framework or (framework or "")
    partial_note = ""     # parts are apportioned in the plan scope (said in the subtitle), never whole-city values
    built: list[BriefChart] = []
    for cid in chart_ids:
        fig, meta = None, None
        if cid == "metro_gdp":
            sub = subtitle_from(year, "亿元" if lang != "en" else "100 million yuan", extra=scope_sub, lang=lang)
            fig = charts.metro_gdp(table, subtitle=sub, source=source, lang=lang)
            meta = ChartMeta(title=charts.text("metro_gdp", lang), subtitle=sub, source=source, note=partial_note)
        elif cid == "core_share":
            sub = subtitle_from(year, "%", extra=scope_sub, lang=lang)
            fig = charts.core_share(table, subtitle=sub, source=source, lang=lang)
            meta = ChartMeta(title=charts.text("core_share", lang), subtitle=sub, source=source, note=partial_note)
        elif cid == "per_capita_spread":
            sub = subtitle_from(year, "元" if lang != "en" else "yuan", extra=scope_ratio, lang=lang)
            fig = charts.per_capita_spread(cities, table, subtitle=sub, source=pc_source, lang=lang)
            meta = ChartMeta(title=charts.text("per_capita_spread", lang), subtitle=sub, source=pc_source)
        elif cid == "gdp_growth":
            sub = subtitle_from(f"{base_year}–{year}", "%", extra=("名义" if lang != "en" else "nominal") + " · " + scope_sub,
                                lang=lang)
            fig = charts.gdp_growth(table, subtitle=sub, source=growth_source, lang=lang)
            meta = ChartMeta(title=charts.text("gdp_growth", lang), subtitle=sub, source=growth_source,
                             note=partial_note)
        elif cid in INDEX_CHARTS and index.available:
            from indicators.brief import index_charts

            made = index_charts.build(cid, index, year, lang)
            if made is not None:
                fig, meta = made
        if fig is not None:
            built.append(BriefChart(cid, fig, meta))

    sentences = summary.index_sentences(index.scores, fw_label, lang, index.previous, index.previous_year,
                                        comparable=index.comparable, order=metro_ids) if index.available else []
    sentences += summary.gdp_sentences(table, year, lang)
    caveats = summary.caveat_sentences(table, lang) + list(index.notes)
    what = (("同城化指数和地区生产总值图均按" if index.available else "地区生产总值图按") if lang != "en" else
            ("The integration index and the GDP charts use the " if index.available else "The GDP charts use the "))
    caveats.append(what + ("规划范围（规划文本列出的区县，部分成员的年度统计按普查人口比重分摊）" if scope == "plan"
                           else "扩展范围（成员城市全域）") + "计算。" if lang != "en" else
                   what + ("plan scope (the counties the plan lists; partial members apportioned by census population share)."
                           if scope == "plan" else "extended scope (member cities in full)."))
    if not index.available and index.reason != "not requested":
        caveats.append(("未计算同城化指数：" if lang != "en" else "Integration index not computed: ") + index.reason)

    sections: list[tuple[str, list[str]]] = []
    if index.method:
        sections.append(("同城化指数" if lang != "en" else "The integration index", list(index.method)))
    sections.append(("简报中的都市圈数值" if lang != "en" else "How the brief's metro numbers are formed",
                     brief_numbers_paragraph(year, base_year, lang, scope=scope)))

    # numbered references: the observations (with their cities and years), the index inputs, the member lists
    ref_usage = [usage]
    if index.source_usage is not None and len(index.source_usage):
        ref_usage.append(index.source_usage.assign(city=None))
    ref_usage.append(pd.DataFrame({"source_id": sel["source_id"].dropna().to_numpy(), "city": None, "year": None}))
    all_usage = pd.concat([u for u in ref_usage if len(u)], ignore_index=True)
    src_ids = list(dict.fromkeys(all_usage["source_id"]))
    refs = citations.references(read_citations(con, src_ids), all_usage, lang, order=src_ids)
    numbered = citations.numbered(refs, lang)
    sources = [main for main, _ in numbered]
    source_notes = [small for _, small in numbered]

    metro_names = [names[m] for m in metro_ids]
    # 建设进程: the plans of the brief's metros (key points, a chart, how the progress score is formed)
    from indicators.brief import progress_section
    progress_section.extend(con, metro_ids, dict(zip(metro_ids, metro_names)), year, lang, sentences, built, sections,
                            BriefChart)
    sep = "、" if lang != "en" else ", "
    title = "都市圈同城化简报" if lang != "en" else "Metropolitan integration brief"
    subtitle = sep.join(metro_names) + " · " + (f"{year}年" if lang != "en" else str(year))
    if fw_label:
        subtitle += " · " + (f"框架：{fw_label}" if lang != "en" else f"framework: {fw_label}")
    return BriefPack(title=title, subtitle=subtitle, lang=lang, year=year, metro_ids=metro_ids,
                     metro_names=metro_names, framework=fw_label, charts=built, summary=sentences,
                     caveats=caveats, methodology=sections, sources=sources,
                     index_scores=index.scores if index.available else None, source_notes=source_notes)


def pack_tables(db, metros, year: int, lang: str = "zh", scope: str = "plan") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(metro table, member-city table) — the numbers behind the observed-data charts in ``scope``, for tests and
    export (plan-scope parts apportioned by census population share)."""
    con = _con(db)
    all_metros = store_reads.metros(con)
    ids = resolve_metros(metros, all_metros)
    sel = all_metros[all_metros["metro_id"].isin(ids)]
    inputs = scoped_inputs(con, ids, int(year), int(year) - GROWTH_SPAN, scope)
    return scoped_tables(sel, inputs, int(year), int(year) - GROWTH_SPAN)
