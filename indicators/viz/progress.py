"""建设进程 charts: tasks by status per area, and a target's projection from the metro's own trend."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import t
from indicators.viz.hover import fmt_value
from indicators.viz.theme import COMPARATOR_SIGNS, NEUTRAL, apply_frame, empty_figure, metro_color, wrap_label

# status key → (colour, pattern): unknown is hatched grey so it never reads as "not started"
STATUS_STYLE = {
    "done": ("#1E8449", ""),
    "in_progress": ("#2E86C1", ""),
    "delayed": ("#CB4335", ""),
    "not_started": ("#BFC9CA", ""),
    "unknown": ("#E5E8E8", "/"),
}


def area_status_chart(areas: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str,
                      stated: dict | None = None) -> go.Figure:
    """One horizontal stacked bar per area: its tasks by status. ``areas``: area label in ``area`` and the counts
    (done, in_progress, delayed, not_started, unknown, tasks); ``stated``: area label → tasks the plan states."""
    if areas.empty:
        return empty_figure(title, subtitle, source, t("progress.no_areas", lang))
    if int(areas["tasks"].sum()) == 0:
        return empty_figure(title, subtitle, source, t("progress.no_tasks_chart", lang))
    frame = areas.iloc[::-1]
    labels = [wrap_label(str(a), 30 if lang == "en" else 16) for a in frame["area"]]
    lines = max(label.count("<br>") + 1 for label in labels)
    fig = go.Figure()
    for key, (colour, pattern) in STATUS_STYLE.items():
        name = t(f"progress.status_{key}", lang)
        fig.add_trace(go.Bar(
            y=labels, x=frame[key], orientation="h", name=name, marker_color=colour,
            marker_pattern_shape=pattern, marker_line=dict(color="#AAB7B8", width=0.5 if pattern else 0),
            hovertemplate="%{y}<br>" + name + ": %{x}<extra></extra>"))
    stated = stated or {}
    ends = []
    for r in frame.itertuples():
        n = stated.get(r.area)
        text = t("progress.bar_end_stated", lang, n=int(r.tasks), stated=int(n)) if n is not None and pd.notna(n) \
            else t("progress.bar_end", lang, n=int(r.tasks))
        ends.append(" " + text)     # an en space keeps the label clear of the bar's end
    fig.add_trace(go.Scatter(y=labels, x=frame["tasks"], mode="text", text=ends, textposition="middle right",
                             showlegend=False, hoverinfo="skip", cliponaxis=False, textfont=dict(color=NEUTRAL)))
    top = max(1, int(frame["tasks"].max()))
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(title_text=t("progress.axis_tasks", lang), range=[0, top * 1.35])
    fig = apply_frame(fig, title, subtitle, source, height=190 + max(34, 17 * lines + 8) * len(frame),
                      legend_bottom=True)
    fig.update_layout(legend_traceorder="normal")
    return fig


def projection_chart(series: pd.DataFrame, target: dict, *, metro_id: str, title: str, subtitle: str, source: str,
                     lang: str) -> go.Figure:
    """Observed values (year, value, quality), the linear trend to the target year with its prediction interval,
    the target (value at target year) and the verdict. ``target``: a row of ``engine.progress.target_table``."""
    unit = target.get("unit") or ""
    if series.empty:
        return empty_figure(title, subtitle, source, t("state.no_data_import", lang))
    colour = metro_color(metro_id)
    s = series.sort_values("year")
    fig = go.Figure()
    marked = s["quality"].astype(str).isin(["modelled", "estimate", "single_source", "synthetic"]) \
        if "quality" in s else pd.Series(False, index=s.index)
    fig.add_trace(go.Scatter(
        x=s["year"], y=s["value"], mode="lines+markers", name=t("progress.observed", lang),
        line=dict(color=colour, width=2),
        marker=dict(size=8, color=[("white" if m else colour) for m in marked], line=dict(color=colour, width=2)),
        hovertemplate="%{x}: %{y:.4g} " + unit + "<extra></extra>"))
    ty, tv = int(target["target_year"]), float(target["target"])
    slope = target.get("slope")
    if slope is not None and pd.notna(slope) and target.get("projected") is not None and pd.notna(target["projected"]):
        x0 = int(s["year"].min())
        intercept = float(target["projected"]) - float(slope) * ty
        xs = list(range(x0, ty + 1))
        fig.add_trace(go.Scatter(x=xs, y=[intercept + float(slope) * x for x in xs], mode="lines",
                                 name=t("progress.trend", lang), line=dict(color=colour, width=1.5, dash="dash"),
                                 hovertemplate="%{x}: %{y:.4g} " + unit + "<extra>" + t("progress.trend", lang)
                                               + "</extra>"))
        lo, hi = target.get("lower"), target.get("upper")
        if lo is not None and hi is not None and pd.notna(lo) and pd.notna(hi):
            fig.add_trace(go.Scatter(
                x=[ty], y=[float(target["projected"])], mode="markers", name=t("progress.interval", lang),
                marker=dict(color=colour, size=7, symbol="diamond-open"),
                error_y=dict(type="data", symmetric=False, array=[float(hi) - float(target["projected"])],
                             arrayminus=[float(target["projected"]) - float(lo)], color=colour, thickness=1.5),
                hovertemplate=t("progress.interval_hover", lang, year=ty, lo=fmt_value(lo), hi=fmt_value(hi),
                                unit=unit) + "<extra></extra>"))
    sign = COMPARATOR_SIGNS.get(str(target.get("comparator")), "")
    fig.add_trace(go.Scatter(x=[ty], y=[tv], mode="markers+text", name=t("progress.target", lang),
                             marker=dict(symbol="star", size=14, color="#2C3E50"),
                             text=[f"{sign}{fmt_value(tv)}"], textposition="middle left",
                             hovertemplate=t("progress.target", lang) + f" {ty}: {sign}{fmt_value(tv)} {unit}<extra></extra>"))
    fig.add_hline(y=tv, line=dict(color="#2C3E50", width=1, dash="dot"))
    key = target.get("verdict")
    if key == "not_by_deadline" and not pd.notna(target.get("year_met")):
        key = "never"
    verdict = t(f"progress.verdict_{key}", lang,
                year=int(target["year_met"]) if pd.notna(target.get("year_met")) else "—", target_year=ty, n=3)
    fig.add_annotation(text=verdict, xref="paper", yref="paper", x=1, y=1.02, xanchor="right", yanchor="bottom",
                       showarrow=False, font=dict(size=12, color=NEUTRAL))
    fig.update_xaxes(title_text=t("progress.axis_year", lang), dtick=1 if ty - int(s["year"].min()) <= 16 else 2,
                     tickformat="d")
    fig.update_yaxes(title_text=unit)
    return apply_frame(fig, title, subtitle, source, height=380, legend_bottom=True)
