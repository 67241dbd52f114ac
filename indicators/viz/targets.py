"""Bullet charts: progress toward plan targets with the target line and the base year."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.i18n import t, unit_in
from indicators.viz.hover import fmt_value
from indicators.viz.theme import COMPARATOR_SIGNS, NEUTRAL, apply_frame, empty_figure, metro_color


def bullet_chart(df: pd.DataFrame, *, metro_id: str, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """One row per target. Columns: label, unit, comparator, target, target_year, base_value, base_year,
    current, current_year, quality. Rows without ``current`` show 'no data' instead of a bar."""
    if df.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    n = len(df)
    df = df.assign(unit=[unit_in(u, lang) if isinstance(u, str) else "" for u in df["unit"]])
    lp, comma, rp = ("（", "，", "）") if lang != "en" else (" (", ", ", ")")
    fig = make_subplots(rows=n, cols=1, vertical_spacing=min(0.6 / n, 0.25),   # room for ticks + the next title
                        subplot_titles=[f"{r.label}{lp}{COMPARATOR_SIGNS.get(r.comparator, r.comparator)} {fmt_value(r.target)} "
                                        f"{r.unit}{comma}{r.target_year}{rp}" for r in df.itertuples()])
    color = metro_color(metro_id)

    def value(v, unit) -> str:                 # shares to one decimal (72.5 %), other magnitudes as they come
        return fmt_value(v, 1 if unit == "%" else 2)

    for i, r in enumerate(df.itertuples(), start=1):
        top = max(float(r.target), float(r.current) if pd.notna(r.current) else 0.0,
                  float(r.base_value) if pd.notna(r.base_value) else 0.0) * 1.15 or 1.0
        fig.add_trace(go.Bar(x=[top], y=[""], orientation="h", marker_color="#EEF1F3", hoverinfo="skip",
                             showlegend=False, width=0.8), row=i, col=1)
        if pd.notna(r.current):
            marked = str(r.quality) in ("modelled", "estimate", "single_source", "synthetic")
            # a value label just short of the target would sit on the target line: it goes inside the bar's end
            # (a character is ≈ 1 % of the axis in a slide-width chart, plus a little air)
            label_text = f"{value(r.current, r.unit)} ({int(r.current_year)})"
            room = (0.0095 * len(label_text) + 0.02) * top
            near = 0 <= float(r.target) - float(r.current) < room and float(r.current) > 0.3 * top
            fig.add_trace(go.Bar(x=[r.current], y=[""], orientation="h", marker_color=color, width=0.4,
                                 marker_pattern_shape="/" if marked else "",
                                 text=[label_text],
                                 textposition="inside" if near else "outside", insidetextanchor="end",
                                 insidetextfont=dict(color="white"), cliponaxis=False, showlegend=False,
                                 hovertext=f"{r.label}: {value(r.current, r.unit)} {r.unit} ({int(r.current_year)})"
                                           f"<br>{t('hover.quality', lang)}: {t('quality.' + str(r.quality), lang)}"
                                           + (f"<br>{r.status}" if getattr(r, "status", None) else ""),
                                 hoverinfo="text"), row=i, col=1)
        else:
            fig.add_annotation(text=t("state.no_data_import", lang), x=top / 2, y=0, showarrow=False,
                               font=dict(color=NEUTRAL, size=12), row=i, col=1)
        fig.add_shape(type="line", x0=r.target, x1=r.target, y0=-0.45, y1=0.45, line=dict(color="#2C3E50", width=3),
                      row=i, col=1)
        if pd.notna(r.base_value):
            fig.add_trace(go.Scatter(x=[r.base_value], y=[""], mode="markers", showlegend=False,
                                     marker=dict(symbol="line-ns-open", size=22, line=dict(width=2, color=NEUTRAL)),
                                     hovertext=f"{t('chart.base_year', lang)} {r.base_year}: {value(r.base_value, r.unit)} {r.unit}",
                                     hoverinfo="text"), row=i, col=1)
        fig.update_xaxes(range=[0, top], tickformat=",~r", row=i, col=1)
    fig.update_layout(barmode="overlay")
    fig.update_annotations(font_size=12, selector=dict(xref="paper"))
    fig = apply_frame(fig, title, subtitle, source, height=170 + 120 * n)
    fig.update_layout(margin=dict(t=120))
    return fig
