"""Index figures of the brief, drawn with the dashboard's builders (``indicators.viz``)."""
from __future__ import annotations

import plotly.graph_objects as go

from indicators.brief.index_results import IndexOutcome
from indicators.export.meta import ChartMeta, subtitle_from

TITLES = {
    "index_ranking": {"zh": "同城化指数得分", "en": "Integration index score"},
    "index_dimensions": {"zh": "同城化指数分维度得分", "en": "Integration index by dimension"},
}


def build(chart_id: str, index: IndexOutcome, year: int, lang: str = "zh") -> tuple[go.Figure, ChartMeta] | None:
    from indicators.viz.dimensions import dimension_bars
    from indicators.viz.ranking import ranking_bar

    title = TITLES[chart_id]["en" if lang == "en" else "zh"]
    unit = "0–100"
    sub = subtitle_from(year, unit, index.framework, lang=lang)
    note = index.notes[0] if index.notes else ""
    if chart_id == "index_ranking":
        fig = ranking_bar(index.scores, title=title, subtitle=sub, source=index.source, lang=lang)
    elif chart_id == "index_dimensions":
        dims = index.dimensions
        if dims is None or dims["score"].notna().sum() == 0:
            return None
        dims = dims[dims["dimension_id"].isin(set(dims.loc[dims["score"].notna(), "dimension_id"]))]
        fig = dimension_bars(dims, title=title, subtitle=sub, source=index.source, lang=lang)
    else:
        return None
    return fig, ChartMeta(title=title, subtitle=sub, source=index.source, note=note)
