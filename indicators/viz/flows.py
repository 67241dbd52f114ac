"""Origin–destination matrix heatmap and share of flows toward the core."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import t
from indicators.viz.hover import fmt_value, quality_label
from indicators.viz.locale import value_ticks
from indicators.viz.theme import apply_frame, empty_figure, metro_color


def od_heatmap(df: pd.DataFrame, order: list[str], *, title: str, subtitle: str, source: str, lang: str,
               unit: str) -> go.Figure:
    """Columns: origin_name, dest_name, value, quality. ``order``: city names for both axes (core first)."""
    if df.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    z = df.pivot_table(index="origin_name", columns="dest_name", values="value", aggfunc="first")
    q = df.pivot_table(index="origin_name", columns="dest_name", values="quality", aggfunc="first")
    z = z.reindex(index=order, columns=order)
    q = q.reindex(index=order, columns=order)
    text = [[fmt_value(v, 1) if pd.notna(v) else "" for v in row] for row in z.to_numpy()]
    hover = [[f"{o} → {d}<br>{fmt_value(z.loc[o, d])} {unit}<br>{t('hover.quality', lang)}: "
              f"{quality_label(q.loc[o, d], lang) if pd.notna(q.loc[o, d]) else '—'}" for d in order] for o in order]
    fig = go.Figure(go.Heatmap(z=z.to_numpy(), x=order, y=order, colorscale="Blues", text=text,
                               texttemplate="%{text}", hovertext=hover, hoverinfo="text",
                               colorbar=dict(title=dict(text=unit), thickness=12, exponentformat="none",
                                             **value_ticks(df["value"], lang))))
    fig.update_xaxes(title=t("chart.destination", lang), side="bottom", showgrid=False)
    fig.update_yaxes(title=t("chart.origin", lang), autorange="reversed", showgrid=False)
    return apply_frame(fig, title, subtitle, source, height=max(380, 120 + 46 * len(order)))


def core_share_bars(df: pd.DataFrame, *, metro_id: str, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Share (%) of each member's outflow within the metro that goes to the core. Columns: name, share."""
    data = df.dropna(subset=["share"]).sort_values("share")
    if data.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    fig = go.Figure(go.Bar(x=data["share"], y=data["name"], orientation="h", marker_color=metro_color(metro_id),
                           text=[f"{v:.0f}%" for v in data["share"]], textposition="outside", cliponaxis=False,
                           hovertemplate="<b>%{y}</b><br>%{x:.1f}%<extra></extra>", showlegend=False))
    fig.update_xaxes(title="%", range=[0, 105])
    return apply_frame(fig, title, subtitle, source, height=max(280, 80 + 36 * len(data)))
