"""A short summary of the numbers, generated from the tables (ranks, biggest gaps, changes) — no hand-written
claims. Every sentence states the figures it rests on."""
from __future__ import annotations

import pandas as pd

from indicators.brief import prose

T = {
    "zh": {
        "gdp_rank": "{year}年，所选{n}个都市圈中地区生产总值最高的是{top}（{top_v}），最低的是{bottom}（{bottom_v}），前者是后者的{ratio}。",
        "gdp_order": "按地区生产总值由高到低：{order}。",
        "core_share": "核心城市经济首位度差别明显：{hi}的核心城市占都市圈地区生产总值的{hi_v}，{lo}为{lo_v}，相差{gap}（比重越高，经济越集中于核心城市；越低，分布越均衡）。",
        "pc_gap": "成员城市间人均地区生产总值差距最大的是{metro}：{hi_city}（{hi_v}）是{lo_city}（{lo_v}）的{ratio}；差距最小的是{metro2}（{ratio2}）。倍数越大，成员城市间发展越不均衡。",
        "pc_gap_one": "{metro}成员城市人均地区生产总值最高的{hi_city}（{hi_v}）是最低的{lo_city}（{lo_v}）的{ratio}（倍数越大，成员城市间发展越不均衡）。",
        "growth": "{base}—{year}年地区生产总值年均名义增速最快的是{top}（{top_v}），最慢的是{bottom}（{bottom_v}），相差{gap}。",
        "growth_one": "{base}—{year}年{metro}地区生产总值年均名义增长{v}。",
        "index_rank": "同城化指数（{framework}）：{order}。",
        "index_gap": "所选都市圈中{top}最高，比最低的{bottom}高{gap:.1f}分。",
        "index_change": "与{prev}年相比（指标构成相同），同城化指数{items}。",
        "change_item": "{name}{verb}{v:.1f}分",
        "change_flat": "{name}持平",
        "up": "提高", "down": "下降",
        "not_comparable": "{names}{prev}年与{year}年的指数由不同的指标构成（口径变化、不可比），不计算较上年变化。",
        "coverage_changed": "注意：两年的数据覆盖率不同（{items}），变化部分来自数据可得性而非实际变化。",
        "cov_item": "{name} {a:.0%}→{b:.0%}",
        "incomplete": "数据不全、未计入总量比较的都市圈：{items}。",
        "partial": "注：{items}含部分纳入的成员城市，按全市数据计，总量偏大。",
        "marked": "注：部分数值为估算、模型值或单一来源，图中已标注。",
        "sep": "、", "order_item": "{name}（{v}）", "rank_fmt": "{score:.1f}分，第{rank}名", "score_fmt": "{score:.1f}分", "list_sep": "，",
    },
    "en": {
        "gdp_rank": "In {year}, among the {n} metros selected, {top} has the largest GDP ({top_v}) and {bottom} the smallest ({bottom_v}): {ratio} as much.",
        "gdp_order": "By GDP, highest first: {order}.",
        "core_share": "The core city's weight differs: it produces {hi_v} of {hi}'s GDP and {lo_v} of {lo}'s, {gap} apart (a higher share means activity more concentrated in the core; lower, more evenly spread).",
        "pc_gap": "The widest gap in GDP per capita between member cities is in {metro}: {hi_city} ({hi_v}) has {ratio} that of {lo_city} ({lo_v}); the narrowest is in {metro2} ({ratio2}). A larger multiple means less even development.",
        "pc_gap_one": "In {metro}, GDP per capita in {hi_city} ({hi_v}) is {ratio} that of {lo_city} ({lo_v}) (a larger multiple means less even development).",
        "growth": "From {base} to {year}, nominal GDP grew fastest in {top} ({top_v} a year) and slowest in {bottom} ({bottom_v}), {gap} apart.",
        "growth_one": "From {base} to {year}, {metro}'s nominal GDP grew {v} a year.",
        "index_rank": "Integration index ({framework}): {order}.",
        "index_gap": "Among those selected, {top} leads {bottom} by {gap:.1f} points.",
        "index_change": "Since {prev} (same indicators in both years), the index {items}.",
        "change_item": "{verb} {v:.1f} points for {name}",
        "change_flat": "is level for {name}",
        "up": "rose", "down": "fell",
        "not_comparable": "For {names}, the index rests on different indicators in {prev} and {year} (change of definition, not comparable): no year-on-year change is given.",
        "coverage_changed": "Caution: data coverage differs between the two years ({items}); part of the change reflects data availability, not change on the ground.",
        "cov_item": "{name} {a:.0%}→{b:.0%}",
        "incomplete": "Metros with incomplete data, left out of the totals: {items}.",
        "partial": "Note: {items} include members only partly inside the metro, counted with whole-city values (totals overstate).",
        "marked": "Note: some values are estimates, modelled or single-source; charts mark them.",
        "sep": ", ", "order_item": "{name} ({v})", "rank_fmt": "{score:.1f}, rank {rank}", "score_fmt": "{score:.1f}", "list_sep": ", ",
    },
}


def _t(lang: str) -> dict[str, str]:
    return T["en" if lang == "en" else "zh"]


def gdp_sentences(table: pd.DataFrame, year: int, lang: str = "zh") -> list[str]:
    """GDP level, core share, per-capita spread and growth, worded by prose (万/亿, 倍, 百分点, direction)."""
    t = _t(lang)
    out: list[str] = []
    if table.empty:
        return out
    gdp = lambda v: prose.magnitude(v, "亿元", lang)  # noqa: E731
    yuan = lambda v: prose.magnitude(v, "元", lang)  # noqa: E731
    full = table.dropna(subset=["gdp"]).sort_values("gdp", ascending=False)
    if len(full) >= 2:
        top, bottom = full.iloc[0], full.iloc[-1]
        out.append(t["gdp_rank"].format(year=year, n=len(full), top=top["name"], top_v=gdp(top["gdp"]),
                                        bottom=bottom["name"], bottom_v=gdp(bottom["gdp"]),
                                        ratio=prose.times(top["gdp"] / bottom["gdp"], lang)))
        if len(full) >= 3:
            items = [t["order_item"].format(name=r["name"], v=gdp(r["gdp"])) for _, r in full.iterrows()]
            out.append(t["gdp_order"].format(order=t["sep"].join(items)))
    shares = table.dropna(subset=["core_share"]).sort_values("core_share", ascending=False)
    if len(shares) >= 2:
        hi, lo = shares.iloc[0], shares.iloc[-1]
        out.append(t["core_share"].format(hi=hi["name"], hi_v=prose.share(hi["core_share"]), lo=lo["name"],
                                          lo_v=prose.share(lo["core_share"]),
                                          gap=prose.points(hi["core_share"] - lo["core_share"], lang)))
    gaps = table.dropna(subset=["pc_ratio"]).sort_values("pc_ratio", ascending=False)
    if len(gaps) >= 2:
        a, b = gaps.iloc[0], gaps.iloc[-1]
        out.append(t["pc_gap"].format(metro=a["name"], hi_city=a["pc_max_city"], hi_v=yuan(a["pc_max"]),
                                      lo_city=a["pc_min_city"], lo_v=yuan(a["pc_min"]),
                                      ratio=prose.times(a["pc_ratio"], lang), metro2=b["name"],
                                      ratio2=prose.times(b["pc_ratio"], lang)))
    elif len(gaps) == 1:
        a = gaps.iloc[0]
        out.append(t["pc_gap_one"].format(metro=a["name"], hi_city=a["pc_max_city"], hi_v=yuan(a["pc_max"]),
                                          lo_city=a["pc_min_city"], lo_v=yuan(a["pc_min"]),
                                          ratio=prose.times(a["pc_ratio"], lang)))
    growth = table.dropna(subset=["cagr"]).sort_values("cagr", ascending=False)
    if len(growth) >= 2:
        top, bottom = growth.iloc[0], growth.iloc[-1]
        out.append(t["growth"].format(base=int(top["base_year"]), year=year, top=top["name"],
                                      top_v=prose.share(top["cagr"]), bottom=bottom["name"],
                                      bottom_v=prose.share(bottom["cagr"]),
                                      gap=prose.points(top["cagr"] - bottom["cagr"], lang)))
    elif len(growth) == 1:
        r = growth.iloc[0]
        out.append(t["growth_one"].format(base=int(r["base_year"]), year=year, metro=r["name"],
                                          v=prose.share(r["cagr"])))
    return prose.dedupe(out)


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
                    previous: pd.DataFrame | None = None, previous_year: int | None = None,
                    comparable: dict[str, bool] | None = None, order: list[str] | None = None) -> list[str]:
    """``scores``: metro_id, name, score (rank 1 = highest score). ``previous``: same for an earlier year.

    A year-on-year change is stated only for metros whose index rests on the same indicators in both years
    (``comparable``; when not given, no change is stated — the make-up is unknown); the others are named once
    as 口径变化、不可比. Changes are listed in the analyst's ``order`` of metros."""
    t = _t(lang)
    if scores is None or scores.empty:
        return []
    data = scores.dropna(subset=["score"]).sort_values("score", ascending=False)
    if data.empty:
        return []
    has_rank = "rank" in data and data["rank"].notna().all()
    items = [t["order_item"].format(name=r["name"], v=(t["rank_fmt"].format(score=r["score"], rank=int(r["rank"]))
                                                     if has_rank else t["score_fmt"].format(score=r["score"])))
             for _, r in data.iterrows()]
    out = [t["index_rank"].format(framework=framework, order=t["sep"].join(items))]
    if len(data) >= 2:
        out.append(t["index_gap"].format(top=data.iloc[0]["name"], bottom=data.iloc[-1]["name"],
                                         gap=data.iloc[0]["score"] - data.iloc[-1]["score"]))
    if previous is not None and not previous.empty and previous_year and comparable is not None:
        merged = data.merge(previous[["metro_id", "score"]], on="metro_id", suffixes=("", "_prev")).dropna(
            subset=["score_prev"])
        pos = {m: i for i, m in enumerate(order or list(scores["metro_id"]))}
        merged = merged.assign(_o=merged["metro_id"].map(pos).fillna(len(pos))).sort_values("_o")
        same = merged[merged["metro_id"].map(lambda m: bool(comparable.get(m)))]
        differ = merged[~merged["metro_id"].isin(same["metro_id"])]
        if not same.empty:
            parts = []
            for _, r in same.iterrows():
                d = float(r["score"] - r["score_prev"])
                if round(abs(d), 1) == 0:
                    parts.append(t["change_flat"].format(name=r["name"]))
                else:
                    parts.append(t["change_item"].format(name=r["name"], v=abs(d), verb=t["up"] if d > 0 else t["down"]))
            out.append(t["index_change"].format(prev=previous_year, items=t["list_sep"].join(parts)))
            if "coverage" in data and "coverage" in previous:
                cov = same[["metro_id", "name", "coverage"]].merge(
                    previous[["metro_id", "coverage"]], on="metro_id", suffixes=("", "_prev")).dropna()
                moved = cov[(cov["coverage"] - cov["coverage_prev"]).abs() > 0.01]
                if not moved.empty:
                    cov_items = [t["cov_item"].format(name=r["name"], a=r["coverage_prev"], b=r["coverage"])
                                 for _, r in moved.iterrows()]
                    out.append(t["coverage_changed"].format(items=t["sep"].join(cov_items)))
        if not differ.empty:
            out.append(t["not_comparable"].format(names=prose.join_names(differ["name"], lang), prev=previous_year,
                                                  year=int(data["year"].iloc[0]) if "year" in data else previous_year + 1))
    return prose.dedupe(out)
