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
        lab = label(r.indicator)
        # a gap between two rates or shares is read in percentage points (the absolute gap), never as a percent
        pct = 100.0 * gap / abs(bv) if pd.notna(gap) and bv not in (0, 0.0) and lab.unit != "%" else np.nan
        rows.append({"indicator": r.indicator, "name": lab.name(lang), "unit": lab.unit, "direction": lab.direction,
                     "metro_id": r.metro_id,
                     "value": r.value, "base_value": bv, "gap": gap, "gap_pct": pct,
                     "norm_gap": (r.normalised - bn) if pd.notna(r.normalised) and pd.notna(bn) else np.nan,
                     "quality": r.quality if isinstance(r.quality, str) else None})
    return pd.DataFrame(rows, columns=["indicator", "name", "unit", "direction", "metro_id", "value", "base_value",
                                       "gap", "gap_pct", "norm_gap", "quality"])


def summary_sentences(dims: pd.DataFrame, gaps: pd.DataFrame, base: str, names: dict, lang: str,
                      top: int = 1, order: list[str] | None = None) -> list[str]:
    """Sentences from the numbers only (indicators.brief.prose): the dimension where ``base`` trails each peer
    most and where it leads most, peers sharing that dimension named in one sentence (in the analyst's order);
    then the indicator where a peer is furthest ahead, worded by its unit (百分点 for shares, 倍 for ratios) and
    direction (首位度: higher = more concentrated)."""
    from indicators.brief import prose

    bname = names.get(base, base)
    peers = [m for m in (order or list(dict.fromkeys(dims["metro_id"]))) if m != base]
    peers += [m for m in dict.fromkeys(gaps["metro_id"]) if m != base and m not in peers]
    bd = dims[dims["metro_id"] == base].set_index("dimension_id")
    dname = bd["dimension"].to_dict() if "dimension" in bd else {}
    behind: dict[str, list[tuple[str, float]]] = {}
    ahead: dict[str, list[tuple[str, float]]] = {}
    all_ahead, all_behind, none = [], [], []
    for other in peers:
        od = dims[dims["metro_id"] == other].set_index("dimension_id")
        if od.empty and other not in set(dims["metro_id"]):
            continue
        diff = (bd["score"] - od["score"].reindex(bd.index)).dropna() if not bd.empty else pd.Series(dtype=float)
        oname = names.get(other, other)
        if diff.empty:
            none.append(oname)
            continue
        if (diff < 0).any():
            d = diff.idxmin()
            behind.setdefault(d, []).append((oname, float(-diff[d])))
        if (diff > 0).any():
            d = diff.idxmax()
            ahead.setdefault(d, []).append((oname, float(diff[d])))
        if (diff > 0).all():
            all_ahead.append(oname)
        elif (diff < 0).all():
            all_behind.append(oname)
    join = lambda xs: prose.join_names(xs, lang)  # noqa: E731
    out: list[str] = []

    def amounts(items: list[tuple[str, float]], verb: str) -> str:
        vals = [prose.score(v, lang) for _, v in items]
        key = "compare.s_gap_one" if len(vals) == 1 else "compare.s_gap_many"
        return t(key, lang, verb=t(verb, lang), values=join(vals))

    for d, items in behind.items():
        out.append(t("compare.s_behind_most", lang, peers=join([n for n, _ in items]), base=bname,
                     dim=dname.get(d, d), amounts=amounts(items, "compare.s_verb_behind"),
                     all=t("compare.s_all", lang) if len(items) > 1 else ""))
    for d, items in ahead.items():
        out.append(t("compare.s_ahead_most", lang, peers=join([n for n, _ in items]), base=bname,
                     dim=dname.get(d, d), amounts=amounts(items, "compare.s_verb_ahead"),
                     all=t("compare.s_all", lang) if len(items) > 1 else ""))
    if all_ahead:
        out.append(t("compare.s_leads_all", lang, peers=join(all_ahead), base=bname))
    if all_behind:
        out.append(t("compare.s_trails_all", lang, peers=join(all_behind), base=bname))
    if none:
        out.append(t("compare.s_no_dims", lang, base=bname, other=join(none)))
    # the indicator where each peer is furthest ahead of base (normalised points), peers sharing it together
    by_indicator: dict[str, list[tuple[str, float]]] = {}
    rows: dict[str, pd.Series] = {}
    for other in peers:
        g = gaps[(gaps["metro_id"] == other)].dropna(subset=["norm_gap", "value", "base_value"])
        if g.empty:
            continue
        worst = g.loc[g["norm_gap"].idxmax()]
        if worst["norm_gap"] > 0:
            by_indicator.setdefault(worst["indicator"], []).append((names.get(other, other), float(worst["value"])))
            rows.setdefault(worst["indicator"], worst)
    for ind, items in by_indicator.items():
        w = rows[ind]
        direction = w["direction"] if "direction" in w and isinstance(w["direction"], str) else "higher"
        out.append(prose.comparison_sentence(t("compare.s_largest_indicator", lang, indicator=w["name"]), bname,
                                             float(w["base_value"]), items, w["unit"], ind, direction, lang))
    return prose.dedupe(out)


def in_selected_order(frame: pd.DataFrame, metros: tuple[str, ...] | list[str], *,
                      then_others: bool = False) -> pd.DataFrame:
    """The rows of the selected metros, in the order the analyst chose them (charts draw traces, legends and
    bars in row order; ``metro_id`` order would put 杭州 before 上海); ``then_others``: every other metro's rows
    follow, in their own order."""
    rank = {m: i for i, m in enumerate(metros)}
    chosen = frame[frame["metro_id"].isin(rank)].sort_values("metro_id", key=lambda s: s.map(rank), kind="stable")
    return pd.concat([chosen, frame[~frame["metro_id"].isin(rank)]]) if then_others else chosen


def compare_view(framework: str, year: int, metros: tuple[str, ...], names: dict, lang: str) -> CompareView:
    base, others = metros[0], list(metros[1:])
    dims = engine_view.dimension_scores(framework, year, lang)
    dims = in_selected_order(dims, metros)
    trends = in_selected_order(engine_view.index_scores(framework, lang), metros)
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
                       sentences=summary_sentences(dims, gaps_long, base, names, lang, order=list(metros)))
