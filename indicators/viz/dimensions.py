"""Dimension scores: radar and grouped bars (one colour per metro)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import t
from indicators.viz.theme import apply_frame, empty_figure, metro_color, wrap_label


def _hex_to_rgba(color: str, alpha: float) -> str:
    c = color.lstrip("#")
    r, g, b = int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
    return f"rgba({r},{g},{b},{alpha})"


def radar(df: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Columns: metro_id, name, dimension (label), score (0–100)."""
    data = df.dropna(subset=["score"])
    if data.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    order = list(dict.fromkeys(df["dimension"]))
    has_data = set(data["dimension"])
    # long names wrap (a half-width column would cut them at the sides); no data is said on its own line
    labels = {d: (wrap_label(d, 14) if d in has_data else wrap_label(d, 14) + "<br>" + t("chart.no_data_suffix", lang).strip())
              for d in order}
    fig = go.Figure()
    for metro_id, part in data.groupby("metro_id", sort=False):
        part = part.set_index("dimension").reindex(order)
        theta = [labels[d] for d in order] + [labels[order[0]]]
        r = list(part["score"]) + list(part["score"])[:1]
        gaps = part["score"].isna().any()       # a dimension without data is a gap in the outline, never zero
        color = metro_color(metro_id)
        fig.add_trace(go.Scatterpolar(r=r, theta=theta, name=str(part["name"].dropna().iloc[0]),
                                      fill="none" if gaps else "toself", connectgaps=False, mode="lines+markers",
                                      marker=dict(size=6, color=color),
                                      line=dict(color=color, width=2), fillcolor=_hex_to_rgba(color, 0.15),
                                      hovertemplate="<b>%{fullData.name}</b><br>%{theta}: %{r:.1f}<extra></extra>"))
    fig.update_layout(polar=dict(domain=dict(y=[0, 0.93]),      # the top tick label stays clear of the legend
                                 radialaxis=dict(range=[0, 100], gridcolor="#E5E8EB", angle=90, tickangle=90),
                                 angularaxis=dict(gridcolor="#E5E8EB")))
    return apply_frame(fig, title, subtitle, source, height=460, legend_bottom=True, source_wrap_px=330)


def dimension_bars(df: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Grouped bars per dimension. Columns: metro_id, name, dimension, score."""
    data = df.dropna(subset=["score"])
    if data.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    order = list(dict.fromkeys(df["dimension"]))
    many = len(order) > 5                     # many dimensions share a narrow column: two characters a line
    if many and lang == "en":                 # English words cannot break two letters a line: bars lie down
        return _dimension_bars_across(data, order, title=title, subtitle=subtitle, source=source, lang=lang)
    width = 4 if many else 14
    fig = go.Figure()
    for metro_id, part in data.groupby("metro_id", sort=False):
        part = part.set_index("dimension").reindex(order)
        fig.add_trace(go.Bar(x=[wrap_label(d, width) for d in order], y=part["score"], name=str(part["name"].dropna().iloc[0]),
                             marker_color=metro_color(metro_id), text=_zero_marks(part["score"]), textposition="outside",
                             cliponaxis=False, textfont=dict(size=10, color=metro_color(metro_id)),
                             hovertemplate="<b>%{fullData.name}</b><br>%{x}: %{y:.1f}<extra></extra>"))
    for d in order:
        if d not in set(data["dimension"]):
            fig.add_annotation(x=wrap_label(d, width), y=4, text=t("state.no_data", lang), showarrow=False, yanchor="bottom",
                               font=dict(size=11, color="#95A5A6"), textangle=-90 if many else 0)
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=t("chart.score", lang), range=[0, 105])
    fig.update_xaxes(tickangle=0)
    lines = max(wrap_label(d, width).count("<br>") + 1 for d in order)
    room = 22 + 15 * lines                    # wrapped tick labels, then the source line below them
    fig = apply_frame(fig, title, subtitle, source, height=420 + 15 * lines, legend_bottom=True, source_shift=-room,
                      source_wrap_px=300)
    fig.update_layout(margin=dict(b=max(room + 30, fig.layout.margin.b or 0)))   # a wrapped source line keeps its room
    return fig


def _zero_marks(scores: pd.Series) -> list[str]:
    """A score of 0 (the lowest in the panel after min–max) draws no bar: say "0" so it is not read as a gap."""
    return ["0" if pd.notna(v) and abs(float(v)) < 0.05 else "" for v in scores]


def _dimension_bars_across(data: pd.DataFrame, order: list[str], *, title: str, subtitle: str, source: str,
                           lang: str) -> go.Figure:
    """The grouped bars lying down: dimensions down the left (their names on one or two lines), first on top."""
    labels = [wrap_label(d, 22) for d in order]
    fig = go.Figure()
    for metro_id, part in data.groupby("metro_id", sort=False):
        part = part.set_index("dimension").reindex(order)
        fig.add_trace(go.Bar(y=labels, x=part["score"], orientation="h", name=str(part["name"].dropna().iloc[0]),
                             marker_color=metro_color(metro_id), text=_zero_marks(part["score"]), textposition="outside",
                             cliponaxis=False, textfont=dict(size=10, color=metro_color(metro_id)),
                             hovertemplate="<b>%{fullData.name}</b><br>%{y}: %{x:.1f}<extra></extra>"))
    present = set(data["dimension"])
    for d, lab in zip(order, labels):
        if d not in present:
            fig.add_annotation(x=2, y=lab, text=t("state.no_data", lang), showarrow=False, xanchor="left",
                               font=dict(size=11, color="#95A5A6"))
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title=t("chart.score", lang), range=[0, 105])
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    n_metros = max(1, data["metro_id"].nunique())
    height = 230 + len(order) * (14 * n_metros + 14)
    return apply_frame(fig, title, subtitle, source, height=height, legend_bottom=True, source_wrap_px=300)
