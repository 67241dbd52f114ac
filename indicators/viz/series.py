"""Indicator views: city ranking bars and time series with series breaks and quality marking."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import t
from indicators.viz.hover import hover_line, is_marked
from indicators.viz.locale import value_ticks
from indicators.viz.theme import NEUTRAL, apply_frame, empty_figure, metro_color, quality_symbol

LINE_PALETTE = ["#C0392B", "#1F4E9A", "#138D75", "#D68910", "#7B3FA0", "#2E86C1", "#6E2C00", "#5D6D7E",
                "#E67E22", "#229954", "#A93226", "#17A589"]


def ranking_bars(df: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str, unit: str,
                 highlight_codes: set | None = None, color_by: dict | None = None, top: int = 30) -> go.Figure:
    """Horizontal bars for entities. Columns: code, name, value, quality. Highlighted entities in full colour."""
    data = df.dropna(subset=["value"]).sort_values("value", ascending=False).head(top).iloc[::-1]
    if data.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    highlight_codes = highlight_codes or set()
    colors, patterns = [], []
    for code, q in zip(data["code"], data["quality"]):
        base = (color_by or {}).get(code) or ("#C0392B" if code in highlight_codes else "#95A5A6")
        colors.append(base)
        patterns.append("/" if is_marked(q) and q in ("modelled", "estimate", "synthetic") else "")
    hover = [hover_line(n, v, unit, q, lang) for n, v, q in zip(data["name"], data["value"], data["quality"])]
    fig = go.Figure(go.Bar(x=data["value"], y=data["name"], orientation="h",
                           marker=dict(color=colors, pattern=dict(shape=patterns)),
                           hovertext=hover, hoverinfo="text", showlegend=False))
    fig.update_xaxes(title=unit, **value_ticks(data["value"], lang, start_at_zero=True))
    # city rankings sit in a narrow column beside the map: the source line wraps early
    return apply_frame(fig, title, subtitle, source, height=max(320, 70 + 22 * len(data)), source_wrap_px=280)


BREAK_KINDS = ("boundary_change", "census_rebasing", "revision", "unexplained", "per_capita_break", "share_break")


def break_text(b, lang: str) -> str:
    """A series break in the page language: its kind and the size of the jump (the store's free-text description,
    written in English by the derive and check steps, stays on the Data page)."""
    kind = str(getattr(b, "kind", "") or "")
    label = t(f"chart.break_kind.{kind}", lang) if kind in BREAK_KINDS else t("chart.break_kind.other", lang)
    pct = getattr(b, "change_pct", None)
    if pct is None or pd.isna(pct):
        return label
    return f"{label}{'：' if lang != 'en' else ': '}{float(pct):+.1f}%"


def time_series(df: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str, unit: str,
                breaks: pd.DataFrame | None = None, color_by: dict | None = None) -> go.Figure:
    """One line per entity. Columns: code, name, year, value, quality. ``breaks``: code, year, kind[, change_pct].

    Marked qualities (single source, estimate, modelled...) get an open marker symbol; a series break gets a
    dashed vertical segment and a ✕ marker with its description in the hover.
    """
    data = df.dropna(subset=["value"]).sort_values(["code", "year"])
    if data.empty:
        return empty_figure(title, subtitle, source, t("state.no_data", lang))
    fig = go.Figure()
    for i, (code, part) in enumerate(data.groupby("code", sort=False)):
        color = (color_by or {}).get(code) or LINE_PALETTE[i % len(LINE_PALETTE)]
        name = str(part["name"].iloc[0])
        fig.add_trace(go.Scatter(
            x=part["year"], y=part["value"], mode="lines+markers", name=name,
            line=dict(color=color, width=2),
            marker=dict(symbol=[quality_symbol(q) for q in part["quality"]], size=8, color=color),
            hovertext=[hover_line(f"{name} {y}", v, unit, q, lang) for y, v, q in
                       zip(part["year"], part["value"], part["quality"])],
            hoverinfo="text"))
        if breaks is not None and not breaks.empty:
            own = breaks[breaks["code"] == code]
            for b in own.itertuples():
                at = part[part["year"] == b.year]
                if at.empty:
                    continue
                fig.add_trace(go.Scatter(
                    x=[b.year], y=[float(at["value"].iloc[0])], mode="markers", showlegend=False,
                    marker=dict(symbol="x-thin-open", size=16, line=dict(width=2, color=NEUTRAL), color=NEUTRAL),
                    hovertext=f"<b>{t('chart.series_break', lang)}</b> {name} {b.year}<br>{break_text(b, lang)}",
                    hoverinfo="text", name=t("chart.series_break", lang)))
    if breaks is not None and not breaks.empty and breaks["code"].isin(data["code"]).any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("chart.series_break", lang),
                                 marker=dict(symbol="x-thin-open", size=14, line=dict(width=2, color=NEUTRAL))))
    fig.update_xaxes(title=t("chart.year", lang), dtick=1 if data["year"].nunique() <= 16 else None)
    fig.update_yaxes(title=unit, **value_ticks(data["value"], lang))
    return apply_frame(fig, title, subtitle, source, height=440, legend_bottom=True)


def metro_colors_for_codes(members: pd.DataFrame, metro_id: str) -> dict:
    """Colour every member city of a metro with the metro's colour."""
    return {c: metro_color(metro_id) for c in members.loc[members["metro_id"] == metro_id, "code"]}
