"""Compare two or more metros: dimension scores, every indicator with its gap, and a generated summary.

The summary sentences are built from the numbers (largest dimension gaps, largest indicator gaps in
normalised points), never written by hand; ``summary_sentences`` is pure and tested.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.i18n import t
from indicators.ui import engine_view
from indicators.ui.catalog_view import label
from indicators.viz.hover import fmt_value


@dataclass
class CompareView:
    base: str
    others: list[str]
    dims: pd.DataFrame       # metro_id, name, dimension_id, dimension, score, coverage
    trends: pd.DataFrame     # metro_id, name, year, score, rank, coverage
    gaps: pd.DataFrame       # display table: indicator, unit, one column per metro, gap columns
    gaps_long: pd.DataFrame  # indicator, name, unit, metro_id, value, base_value, gap, gap_pct, norm_gap, quality
    sentences: list[str]


def gap_frame(values: pd.DataFrame, base: str, lang: str) -> pd.DataFrame:
    """Long gaps of every other metro against ``base``: value - base value, in % of |base|, normalised gap."""
    b = values[values["metro_id"] == base].set_index("indicator")
    rows = []
    for r in values[values["metro_id"] != base].itertuples():
        bv = b["value"].get(r.indicator, np.nan)
        bn = b["normalised"].get(r.indicator, np.nan)
        gap = r.value - bv if pd.notna(r.value) and pd.notna(bv) else np.nan
        pct = 100.0 * gap / abs(bv) if pd.notna(gap) and bv not in (0, 0.0) else np.nan
        lab = label(r.indicator)
        rows.append({"indicator": r.indicator, "name": lab.name(lang), "unit": lab.unit, "metro_id": r.metro_id,
                     "value": r.value, "base_value": bv, "gap": gap, "gap_pct": pct,
                     "norm_gap": (r.normalised - bn) if pd.notna(r.normalised) and pd.notna(bn) else np.nan,
                     "quality": r.quality if isinstance(r.quality, str) else None})
    return pd.DataFrame(rows, columns=["indicator", "name", "unit", "metro_id", "value", "base_value", "gap",
                                       "gap_pct", "norm_gap", "quality"])


def summary_sentences(dims: pd.DataFrame, gaps: pd.DataFrame, base: str, names: dict, lang: str,
                      top: int = 2) -> list[str]:
    """One sentence per other metro on dimensions, one on indicators, from the numbers only."""
    out: list[str] = []
    bname = names.get(base, base)
    bd = dims[dims["metro_id"] == base].set_index("dimension_id")
    for other in [m for m in dict.fromkeys(dims["metro_id"]) if m != base]:
        od = dims[dims["metro_id"] == other].set_index("dimension_id")
        diff = (bd["score"] - od["score"].reindex(bd.index)).dropna()
        oname = names.get(other, other)
        if diff.empty:
            out.append(t("compare.s_no_dims", lang, base=bname, other=oname))
            continue
        behind = diff[diff < 0].sort_values().head(top)
        ahead = diff[diff > 0].sort_values(ascending=False).head(top)
        dname = bd["dimension"].to_dict()
        part_b = "、".join(t("compare.s_item", lang, dim=dname[d], gap=fmt_value(abs(v), 1)) for d, v in behind.items()) \
            if lang != "en" else ", ".join(t("compare.s_item", lang, dim=dname[d], gap=fmt_value(abs(v), 1)) for d, v in behind.items())
        part_a = ("、" if lang != "en" else ", ").join(
            t("compare.s_item", lang, dim=dname[d], gap=fmt_value(v, 1)) for d, v in ahead.items())
        if len(behind) and len(ahead):
            out.append(t("compare.s_dims_both", lang, base=bname, other=oname, behind=part_b, ahead=part_a))
        elif len(behind):
            out.append(t("compare.s_dims_behind", lang, base=bname, other=oname, behind=part_b))
        else:
            out.append(t("compare.s_dims_ahead", lang, base=bname, other=oname, ahead=part_a))
        g = gaps[(gaps["metro_id"] == other)].dropna(subset=["norm_gap"])
        if not g.empty:
            worst = g.loc[g["norm_gap"].idxmax()]   # where the other metro is furthest ahead of base
            if worst["norm_gap"] > 0:
                pct = f"{abs(worst['gap_pct']):.0f}%" if pd.notna(worst["gap_pct"]) else "—"
                out.append(t("compare.s_indicator", lang, base=bname, other=oname, indicator=worst["name"],
                             base_value=fmt_value(worst["base_value"]), value=fmt_value(worst["value"]),
                             unit=worst["unit"], pct=pct,
                             direction=t("compare.higher" if worst["gap"] > 0 else "compare.lower", lang)))
    return out


def compare_view(framework: str, year: int, metros: tuple[str, ...], names: dict, lang: str) -> CompareView:
    base, others = metros[0], list(metros[1:])
    dims = engine_view.dimension_scores(framework, year, lang)
    dims = dims[dims["metro_id"].isin(metros)]
    trends = engine_view.index_scores(framework, lang)
    trends = trends[trends["metro_id"].isin(metros)]
    values = engine_view.indicator_values(framework, year, metros)
    gaps_long = gap_frame(values, base, lang)
    table = values.pivot_table(index="indicator", columns="metro_id", values="value", aggfunc="first")
    table = table.reindex(columns=list(metros))
    display = pd.DataFrame({
        t("indicators.indicator", lang): [label(i).name(lang) for i in table.index],
        t("compare.unit", lang): [label(i).unit for i in table.index],
    })
    for m in metros:
        display[names.get(m, m)] = (table[m].to_numpy() if m in table else np.full(len(table), np.nan)).round(2)
    quality = values.groupby("indicator")["quality"].agg(
        lambda q: ", ".join(sorted({t(f"quality.{x}", lang) for v in q.dropna() for x in str(v).split(",") if x})))
    display[t("hover.quality", lang)] = quality.reindex(table.index).to_numpy()
    for m in others:
        g = gaps_long[gaps_long["metro_id"] == m].set_index("indicator").reindex(table.index)
        display[t("compare.gap_abs", lang, other=names.get(m, m))] = g["gap"].to_numpy().round(2)
        display[t("compare.gap_pct", lang, other=names.get(m, m))] = g["gap_pct"].to_numpy().round(1)
    return CompareView(base=base, others=others, dims=dims, trends=trends, gaps=display, gaps_long=gaps_long,
                       sentences=summary_sentences(dims, gaps_long, base, names, lang))
