"""A short summary of the numbers, generated from the tables (ranks, biggest gaps, changes) — no hand-written
claims. Every sentence states the figures it rests on."""
from __future__ import annotations

import pandas as pd

T = {
    "zh": {
        "gdp_rank": "{year}年，所选{n}个都市圈中地区生产总值最高的是{top}（{top_v:,.0f}亿元），最低的是{bottom}（{bottom_v:,.0f}亿元），前者是后者的{ratio:.1f}倍。",
        "gdp_order": "按地区生产总值排序：{order}。",
        "core_share": "核心城市的经济集中度差别明显：{hi}的核心城市占都市圈地区生产总值的{hi_v:.1f}%，{lo}仅为{lo_v:.1f}%。",
        "pc_gap": "成员城市间人均地区生产总值差距最大的是{metro}：{hi_city}（{hi_v:,.0f}元）是{lo_city}（{lo_v:,.0f}元）的{ratio:.1f}倍；差距最小的是{metro2}（{ratio2:.1f}倍）。",
        "pc_gap_one": "{metro}成员城市人均地区生产总值最高的{hi_city}（{hi_v:,.0f}元）是最低的{lo_city}（{lo_v:,.0f}元）的{ratio:.1f}倍。",
        "growth": "{base}—{year}年地区生产总值年均名义增速最快的是{top}（{top_v:.1f}%），最慢的是{bottom}（{bottom_v:.1f}%）。",
        "growth_one": "{base}—{year}年{metro}地区生产总值年均名义增长{v:.1f}%。",
        "index_rank": "同城化指数（{framework}）：{order}。",
        "index_gap": "所选都市圈中{top}最高，比最低的{bottom}高{gap:.1f}分。",
        "index_change": "与{prev}年相比的指数变化：{items}。",
        "change_item": "{name} {v:+.1f}分",
        "coverage_changed": "注意：两年的数据覆盖率不同（{items}），变化部分来自数据可得性而非实际变化。",
        "cov_item": "{name} {a:.0%}→{b:.0%}",
        "incomplete": "数据不全、未计入总量比较的都市圈：{items}。",
        "partial": "注：{items}含部分纳入的成员城市，按全市数据计，总量偏大。",
        "marked": "注：部分数值为估算、模型值或单一来源，图中已标注。",
        "sep": "、", "order_item": "{name}（{v}）", "rank_fmt": "{score:.1f}分，第{rank}名",
    },
    "en": {
        "gdp_rank": "In {year}, among the {n} metros selected, {top} has the largest GDP ({top_v:,.0f} × 100 million yuan) and {bottom} the smallest ({bottom_v:,.0f}), a ratio of {ratio:.1f}.",
        "gdp_order": "By GDP: {order}.",
        "core_share": "Concentration in the core differs: the core city produces {hi_v:.1f}% of {hi}'s GDP but only {lo_v:.1f}% of {lo}'s.",
        "pc_gap": "The widest gap in GDP per capita between member cities is in {metro}: {hi_city} ({hi_v:,.0f} yuan) is {ratio:.1f}× {lo_city} ({lo_v:,.0f} yuan); the narrowest is in {metro2} ({ratio2:.1f}×).",
        "pc_gap_one": "In {metro}, GDP per capita in {hi_city} ({hi_v:,.0f} yuan) is {ratio:.1f}× that of {lo_city} ({lo_v:,.0f} yuan).",
        "growth": "From {base} to {year}, nominal GDP grew fastest in {top} ({top_v:.1f}% a year) and slowest in {bottom} ({bottom_v:.1f}%).",
        "growth_one": "From {base} to {year}, {metro}'s nominal GDP grew {v:.1f}% a year.",
        "index_rank": "Integration index ({framework}): {order}.",
        "index_gap": "Among those selected, {top} leads {bottom} by {gap:.1f} points.",
        "index_change": "Change in the index since {prev}: {items}.",
        "change_item": "{name} {v:+.1f}",
        "coverage_changed": "Caution: data coverage differs between the two years ({items}); part of the change reflects data availability, not change on the ground.",
        "cov_item": "{name} {a:.0%}→{b:.0%}",
        "incomplete": "Metros with incomplete data, left out of the totals: {items}.",
        "partial": "Note: {items} include members only partly inside the metro, counted with whole-city values (totals overstate).",
        "marked": "Note: some values are estimates, modelled or single-source; charts mark them.",
        "sep": ", ", "order_item": "{name} ({v})", "rank_fmt": "{score:.1f}, rank {rank}",
    },
}


def _t(lang: str) -> dict[str, str]:
    return T["en" if lang == "en" else "zh"]


def gdp_sentences(table: pd.DataFrame, year: int, lang: str = "zh") -> list[str]:
    t = _t(lang)
    out: list[str] = []
    if table.empty:
        return out
    full = table.dropna(subset=["gdp"]).sort_values("gdp", ascending=False)
    if len(full) >= 2:
        top, bottom = full.iloc[0], full.iloc[-1]
        out.append(t["gdp_rank"].format(year=year, n=len(full), top=top["name"], top_v=top["gdp"],
                                        bottom=bottom["name"], bottom_v=bottom["gdp"], ratio=top["gdp"] / bottom["gdp"]))
        if len(full) >= 3:
            items = [t["order_item"].format(name=r["name"], v=f"{r['gdp']:,.0f}") for _, r in full.iterrows()]
            out.append(t["gdp_order"].format(order=t["sep"].join(items)))
    shares = table.dropna(subset=["core_share"]).sort_values("core_share", ascending=False)
    if len(shares) >= 2:
        hi, lo = shares.iloc[0], shares.iloc[-1]
        out.append(t["core_share"].format(hi=hi["name"], hi_v=hi["core_share"], lo=lo["name"], lo_v=lo["core_share"]))
    gaps = table.dropna(subset=["pc_ratio"]).sort_values("pc_ratio", ascending=False)
    if len(gaps) >= 2:
        a, b = gaps.iloc[0], gaps.iloc[-1]
        out.append(t["pc_gap"].format(metro=a["name"], hi_city=a["pc_max_city"], hi_v=a["pc_max"],
                                      lo_city=a["pc_min_city"], lo_v=a["pc_min"], ratio=a["pc_ratio"],
                                      metro2=b["name"], ratio2=b["pc_ratio"]))
    elif len(gaps) == 1:
        a = gaps.iloc[0]
        out.append(t["pc_gap_one"].format(metro=a["name"], hi_city=a["pc_max_city"], hi_v=a["pc_max"],
                                          lo_city=a["pc_min_city"], lo_v=a["pc_min"], ratio=a["pc_ratio"]))
    growth = table.dropna(subset=["cagr"]).sort_values("cagr", ascending=False)
    if len(growth) >= 2:
        top, bottom = growth.iloc[0], growth.iloc[-1]
        out.append(t["growth"].format(base=int(top["base_year"]), year=year, top=top["name"], top_v=top["cagr"],
                                      bottom=bottom["name"], bottom_v=bottom["cagr"]))
    elif len(growth) == 1:
        r = growth.iloc[0]
        out.append(t["growth_one"].format(base=int(r["base_year"]), year=year, metro=r["name"], v=r["cagr"]))
    return out


def caveat_sentences(table: pd.DataFrame, lang: str = "zh") -> list[str]:
    t = _t(lang)
    out: list[str] = []
    if table.empty:
        return out
    bad = table[~table["complete"].astype(bool)]
    if not bad.empty:
        items = [f"{r['name']}（{r['missing']}）" if lang != "en" else f"{r['name']} ({r['missing']})"
                 for _, r in bad.iterrows()]
        out.append(t["incomplete"].format(items=t["sep"].join(items)))
    partial = table[table["has_partial"].astype(bool)]
    if not partial.empty:
        out.append(t["partial"].format(items=t["sep"].join(partial["name"])))
    if table["marked"].astype(bool).any():
        out.append(t["marked"])
    return out


def index_sentences(scores: pd.DataFrame | None, framework: str, lang: str = "zh",
                    previous: pd.DataFrame | None = None, previous_year: int | None = None) -> list[str]:
    """``scores``: metro_id, name, score (rank 1 = highest score). ``previous``: same for an earlier year."""
    t = _t(lang)
    if scores is None or scores.empty:
        return []
    data = scores.dropna(subset=["score"]).sort_values("score", ascending=False)
    if data.empty:
        return []
    has_rank = "rank" in data and data["rank"].notna().all()
    items = [t["order_item"].format(name=r["name"], v=(t["rank_fmt"].format(score=r["score"], rank=int(r["rank"]))
                                                     if has_rank else f"{r['score']:.1f}"))
             for _, r in data.iterrows()]
    out = [t["index_rank"].format(framework=framework, order=t["sep"].join(items))]
    if len(data) >= 2:
        out.append(t["index_gap"].format(top=data.iloc[0]["name"], bottom=data.iloc[-1]["name"],
                                         gap=data.iloc[0]["score"] - data.iloc[-1]["score"]))
    if previous is not None and not previous.empty and previous_year:
        merged = data.merge(previous[["metro_id", "score"]], on="metro_id", suffixes=("", "_prev")).dropna(
            subset=["score_prev"])
        if not merged.empty:
            merged["change"] = merged["score"] - merged["score_prev"]
            merged = merged.sort_values("change", ascending=False)
            items = [t["change_item"].format(name=r["name"], v=r["change"]) for _, r in merged.iterrows()]
            out.append(t["index_change"].format(prev=previous_year, items=t["sep"].join(items)))
            if "coverage" in data and "coverage" in previous:
                cov = data[["metro_id", "name", "coverage"]].merge(
                    previous[["metro_id", "coverage"]], on="metro_id", suffixes=("", "_prev")).dropna()
                moved = cov[(cov["coverage"] - cov["coverage_prev"]).abs() > 0.01]
                if not moved.empty:
                    cov_items = [t["cov_item"].format(name=r["name"], a=r["coverage_prev"], b=r["coverage"])
                                 for _, r in moved.iterrows()]
                    out.append(t["coverage_changed"].format(items=t["sep"].join(cov_items)))
    return out
