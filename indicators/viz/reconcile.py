"""对标: our rank against a published rank, one row per matched metro (a dumbbell: ● ours, ◆ theirs)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import t
from indicators.viz.theme import apply_frame, empty_figure, metro_color


def rank_comparison(df: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str) -> go.Figure:
    """Columns: metro_id, name, our_rank, reference_rank, agrees, explanation. Rank 1 on the left; a grey line
    joins the two ranks of a metro; the hover carries the explanation."""
    data = df.dropna(subset=["our_rank", "reference_rank"])
    if data.empty:
        return empty_figure(title, subtitle, source, t("method.reconcile.none_matched", lang))
    data = data.sort_values(["reference_rank", "our_rank"], ascending=False)
    fig = go.Figure()
    for r in data.itertuples():
        fig.add_trace(go.Scatter(x=[r.our_rank, r.reference_rank], y=[r.name, r.name], mode="lines",
                                 line=dict(color="#bbbbbb", width=3), hoverinfo="skip", showlegend=False))
    wrap = [("<br>".join(e[i:i + 40] for i in range(0, len(e), 40))) for e in data["explanation"].astype(str)]
    fig.add_trace(go.Scatter(
        x=data["reference_rank"], y=data["name"], mode="markers", name=t("method.reconcile.theirs", lang),
        marker=dict(size=15, color="#333333", symbol="diamond-open", line=dict(color="#333333", width=2)),
        hovertext=[f"<b>{n}</b><br>{t('method.reconcile.theirs', lang)}: {f:g}" for n, f in
                   zip(data["name"], data["reference_rank"])], hoverinfo="text"))
    fig.add_trace(go.Scatter(
        x=data["our_rank"], y=data["name"], mode="markers", name=t("method.reconcile.ours", lang),
        marker=dict(size=14, color=[metro_color(m) for m in data["metro_id"]], symbol="circle"),
        hovertext=[f"<b>{n}</b><br>{t('method.reconcile.ours', lang)}: {o:g} · {t('method.reconcile.theirs', lang)}: {f:g}<br>{w}"
                   for n, o, f, w in zip(data["name"], data["our_rank"], data["reference_rank"], wrap)],
        hoverinfo="text"))
    top = float(max(data["our_rank"].max(), data["reference_rank"].max()))
    fig.update_xaxes(title=t("chart.rank", lang), range=[0.5, top + 0.5], dtick=1)
    return apply_frame(fig, title, subtitle, source, height=max(320, 140 + 40 * len(data)), legend_bottom=True)
