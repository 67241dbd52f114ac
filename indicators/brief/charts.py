"""Figures of the briefing pack, built from ``metrics`` tables with the dashboard's theme
(``indicators.viz.theme``): fixed metro colours, CJK font, title + subtitle + source line."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.viz.theme import NEUTRAL, apply_frame, empty_figure, metro_color

TEXTS = {
    "metro_gdp": {"zh": "都市圈地区生产总值", "en": "Metro GDP"},
    "core_share": {"zh": "核心城市占都市圈地区生产总值比重", "en": "Core city's share of metro GDP"},
    "per_capita_spread": {"zh": "成员城市人均地区生产总值差距", "en": "Spread of GDP per capita across member cities"},
    "gdp_growth": {"zh": "都市圈地区生产总值年均名义增速", "en": "Metro GDP, average nominal growth"},
    "no_data": {"zh": "暂无数据", "en": "No data"},
    "incomplete": {"zh": "（数据不全）", "en": " (incomplete)"},
    "ratio": {"zh": "{r:.1f}倍", "en": "{r:.1f}×"},
    "ratio_axis": {"zh": "最高/最低", "en": "max/min"},
    "core": {"zh": "核心城市", "en": "core city"},
    "member": {"zh": "成员城市", "en": "member city"},
}


def text(key: str, lang: str, **values) -> str:
    s = TEXTS[key]["en" if lang == "en" else "zh"]
    return s.format(**values) if values else s


def _hbar(data: pd.DataFrame, value_col: str, label_fmt: str, *, title: str, subtitle: str, source: str,
          lang: str, axis_title: str, hatch_col: str | None = None) -> go.Figure:
    data = data.dropna(subset=[value_col]).sort_values(value_col)
    if data.empty:
        return empty_figure(title, subtitle, source, text("no_data", lang))
    hatch = ["/" if (hatch_col and bool(h)) else "" for h in (data[hatch_col] if hatch_col else [False] * len(data))]
    fig = go.Figure(go.Bar(
        x=data[value_col], y=data["label"], orientation="h",
        marker=dict(color=[metro_color(m) for m in data["metro_id"]], pattern=dict(shape=hatch)),
        text=[label_fmt.format(v) for v in data[value_col]], textposition="outside", cliponaxis=False,
        hovertemplate="<b>%{y}</b><br>%{x:,.1f}<extra></extra>", showlegend=False))
    fig.update_xaxes(title=axis_title, range=[0, float(data[value_col].max()) * 1.18], tickformat=",.0f")
    return apply_frame(fig, title, subtitle, source, height=max(300, 90 + 42 * len(data)))


def _labelled(table: pd.DataFrame, lang: str, incomplete_col: str | None = None) -> pd.DataFrame:
    data = table.copy()
    data["label"] = data["name"]
    if incomplete_col:
        data.loc[~data[incomplete_col].astype(bool), "label"] = data["name"] + text("incomplete", lang)
    return data


def metro_gdp(table: pd.DataFrame, *, subtitle: str, source: str, lang: str = "zh") -> go.Figure:
    """Metro GDP (亿元); metros with missing member data show the partial sum, hatched and labelled."""
    data = _labelled(table, lang, "complete")
    data["shown"] = data["gdp"].fillna(data["gdp_partial_sum"])
    data["hatch"] = ~data["complete"].astype(bool)
    unit = "亿元" if lang != "en" else "100 million yuan"
    return _hbar(data, "shown", "{:,.0f}", title=text("metro_gdp", lang), subtitle=subtitle, source=source,
                 lang=lang, axis_title=unit, hatch_col="hatch")


def core_share(table: pd.DataFrame, *, subtitle: str, source: str, lang: str = "zh") -> go.Figure:
    data = _labelled(table, lang)
    return _hbar(data, "core_share", "{:.1f}%", title=text("core_share", lang), subtitle=subtitle, source=source,
                 lang=lang, axis_title="%")


def gdp_growth(table: pd.DataFrame, *, subtitle: str, source: str, lang: str = "zh") -> go.Figure:
    data = _labelled(table, lang)
    return _hbar(data, "cagr", "{:.1f}%", title=text("gdp_growth", lang), subtitle=subtitle, source=source,
                 lang=lang, axis_title="%")


def per_capita_spread(cities: pd.DataFrame, table: pd.DataFrame, *, subtitle: str, source: str,
                      lang: str = "zh") -> go.Figure:
    """Each member city's GDP per capita as a dot on its metro's row (core city larger), max/min ratio beside."""
    title = text("per_capita_spread", lang)
    data = cities.dropna(subset=["gdp_per_capita"])
    if data.empty:
        return empty_figure(title, subtitle, source, text("no_data", lang))
    names = table.set_index("metro_id")["name"].to_dict()
    order = (data.groupby("metro_id")["gdp_per_capita"].median().sort_values().index.tolist())
    fig = go.Figure()
    unit = "元" if lang != "en" else "yuan"
    for metro_id in order:
        part = data[data["metro_id"] == metro_id]
        label = names.get(metro_id, metro_id)
        core = part["role"] == "core"
        fig.add_trace(go.Scatter(
            x=part["gdp_per_capita"], y=[label] * len(part), mode="markers", showlegend=False,
            marker=dict(color=metro_color(metro_id), size=[15 if c else 9 for c in core],
                        symbol=["diamond" if c else "circle" for c in core], line=dict(color="white", width=1),
                        opacity=0.9),
            text=part["name"], hovertemplate="<b>%{text}</b><br>%{x:,.0f} " + unit + "<extra></extra>"))
        row = table[table["metro_id"] == metro_id]
        if not row.empty and pd.notna(row["pc_ratio"].iloc[0]):
            fig.add_annotation(x=1.0, xref="paper", xanchor="left", y=label, yref="y", showarrow=False,
                               text=text("ratio", lang, r=float(row["pc_ratio"].iloc[0])),
                               font=dict(color=NEUTRAL), xshift=8)
    fig.add_annotation(x=1.0, xref="paper", xanchor="left", y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                       text=text("ratio_axis", lang), font=dict(color=NEUTRAL), xshift=8)
    # Legend entries explaining the symbols.
    for symbol, key, size in (("diamond", "core", 14), ("circle", "member", 10)):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=text(key, lang),
                                 marker=dict(symbol=symbol, size=size, color=NEUTRAL)))
    fig.update_xaxes(title=unit, rangemode="tozero", tickformat=",.0f")
    out = apply_frame(fig, title, subtitle, source, height=max(320, 110 + 44 * len(order)), legend_bottom=True)
    out.update_layout(margin=dict(r=90))
    return out
