"""Index ranking, trends and rank intervals (metros)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import t
from indicators.viz.hover import fmt_fixed, fmt_value
from indicators.viz.theme import apply_frame, empty_figure, metro_color


def ranking_bar(df: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str,
                highlight: str | None = None) -> go.Figure:
    """Horizontal bars of ``score`` per metro, best on top. Columns: metro_id, name, score, rank, coverage."""
    data = df.dropna(subset=["score"]).sort_values("score", ascending=True)
    if data.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    colors = [metro_color(m) for m in data["metro_id"]]
    opacity = [1.0 if (highlight is None or m == highlight) else 0.55 for m in data["metro_id"]]
    cov = data["coverage"] if "coverage" in data else pd.Series([float("nan")] * len(data), index=data.index)
    est = data["estimate_share"] if "estimate_share" in data else pd.Series([0.0] * len(data), index=data.index)
    est = est.fillna(0.0)

    def marks(c, e) -> str:
        return ((f"{t('chart.coverage', lang)} {c:.0%}" if pd.notna(c) else "")
                + (f"  {t('chart.leans_on_estimates', lang, share=f'{e:.0%}')}" if e > 0 else "")).strip()

    labels = [marks(c, e) for c, e in zip(cov, est)]
    # what most bars share is said once in the subtitle; a bar says it only where it differs (a narrow
    # column then keeps every label inside the frame)
    common = pd.Series(labels).mode()
    common = common.iloc[0] if len(common) and labels.count(common.iloc[0]) >= 2 and common.iloc[0] else ""
    if common:
        subtitle = f"{subtitle} · {t('chart.ranking_common_marks', lang, marks=common)}"
    text = [fmt_fixed(s, 1) + (f"  ({lb})" if lb and lb != common else "") for s, lb in zip(data["score"], labels)]
    hover = [f"<b>{n}</b><br>{t('chart.score', lang)}: {fmt_fixed(s, 1)}<br>{t('chart.rank', lang)}: {int(r) if pd.notna(r) else '—'}"
             f"<br>{t('chart.coverage', lang)}: {c:.0%}" if pd.notna(c) else f"<b>{n}</b><br>{fmt_fixed(s, 1)}"
             for n, s, r, c in zip(data["name"], data["score"], data.get("rank", data["score"] * float("nan")), cov)]
    # a score leaning on carried or estimated values is hatched and says how much
    hover = [h + (f"<br>{t('chart.leans_on_estimates', lang, share=f'{e:.0%}')}" if e > 0 else "") for h, e in zip(hover, est)]
    pattern = dict(shape=["/" if e > 0 else "" for e in est], fillmode="overlay", fgcolor="white", size=6)
    fig = go.Figure(go.Bar(x=data["score"], y=data["name"], orientation="h",
                           marker=dict(color=colors, opacity=opacity, pattern=pattern),
                           text=text, textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text",
                           showlegend=False))
    longest = max(len(x) for x in text)
    fig.update_xaxes(title=t("chart.score", lang),
                     range=[0, max(100.0, float(data["score"].max()) * (1.18 if longest <= 8 else 1.7))])
    return apply_frame(fig, title, subtitle, source, height=max(300, 60 + 34 * len(data)))


def trend_lines(df: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str,
                y_title: str | None = None, marked_col: str | None = None) -> go.Figure:
    """One line per metro over the years. Columns: metro_id, name, year, score (+ optional marked bool)."""
    data = df.dropna(subset=["score"]).sort_values(["metro_id", "year"])
    if data.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    fig = go.Figure()
    for metro_id, part in data.groupby("metro_id", sort=False):
        symbols = ["diamond-open" if (marked_col and bool(m)) else "circle" for m in
                   (part[marked_col] if marked_col else [False] * len(part))]
        cov = part["coverage"] if "coverage" in part else pd.Series([float("nan")] * len(part), index=part.index)
        name = str(part["name"].iloc[0])
        hover = [f"<b>{name}</b><br>{int(y)}: {fmt_fixed(s, 1)}" + (f"<br>{t('chart.coverage', lang)}: {c:.0%}" if pd.notna(c) else "")
                 for y, s, c in zip(part["year"], part["score"], cov)]
        fig.add_trace(go.Scatter(x=part["year"], y=part["score"], mode="lines+markers", name=name,
                                 line=dict(color=metro_color(metro_id), width=2.5),
                                 marker=dict(symbol=symbols, size=8, color=metro_color(metro_id)),
                                 hovertext=hover, hoverinfo="text"))
    for year in coverage_changes(data):
        fig.add_vline(x=year - 0.5, line=dict(color="#95A5A6", width=1, dash="dot"),
                      annotation=dict(text=t("chart.coverage_change", lang), font=dict(size=10, color="#7F8C8D"),
                                      textangle=-90, yanchor="top"), annotation_position="top left")
    fig.update_xaxes(title=t("chart.year", lang), dtick=1)
    fig.update_yaxes(title=y_title or t("chart.score", lang))
    return apply_frame(fig, title, subtitle, source, height=420, legend_bottom=True)


def coverage_changes(data: pd.DataFrame, threshold: float = 0.01) -> list[int]:
    """Years in which any metro's data coverage moves by more than ``threshold`` from its previous year:
    the index is then built from a different set of indicators, so a jump there is partly composition."""
    if "coverage" not in data or data["coverage"].isna().all():
        return []
    d = data.sort_values(["metro_id", "year"])
    step = d.groupby("metro_id")["coverage"].diff().abs()
    return sorted(int(y) for y in d.loc[step > threshold, "year"].unique())


def rank_intervals(df: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Rank with its Monte Carlo interval. Columns: metro_id, name, rank, rank_lo, rank_hi (rank 1 = best)."""
    data = df.dropna(subset=["rank"]).sort_values("rank", ascending=False)
    if data.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    fig = go.Figure()
    for row in data.itertuples():
        color = metro_color(row.metro_id)
        fig.add_trace(go.Scatter(x=[row.rank_lo, row.rank_hi], y=[row.name, row.name], mode="lines",
                                 line=dict(color=color, width=8), opacity=0.35, showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=[row.rank], y=[row.name], mode="markers", marker=dict(color=color, size=13),
                                 showlegend=False,
                                 hovertext=f"<b>{row.name}</b><br>{t('chart.rank', lang)}: {int(row.rank)}"
                                           f"<br>{t('chart.rank_interval', lang)}: {row.rank_lo:g}–{row.rank_hi:g}",
                                 hoverinfo="text"))
    fig.update_xaxes(title=t("chart.rank", lang), autorange="reversed", dtick=1)
    return apply_frame(fig, title, subtitle, source, height=max(300, 60 + 34 * len(data)))
