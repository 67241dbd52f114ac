"""Render a figure the same way everywhere: offline topojson, no plotly logo, export buttons beside it."""
from __future__ import annotations

import streamlit as st

try:  # the EXPORT engineer's PNG/SVG buttons; the chart still renders without them
    from indicators.ui.downloads import chart_downloads
except ImportError:  # pragma: no cover - depends on a parallel module
    chart_downloads = None

PLOTLY_CONFIG = {
    "topojsonURL": "/app/static/topojson/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def show_chart(fig, key: str, meta: dict | None = None, note: str | None = None, lang: str = "zh") -> None:
    """Draw ``fig`` (keyed, so AppTest and the browser test find it), a marking note, and download buttons."""
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch")
    if note:
        st.caption(note)
    if chart_downloads is not None:
        try:
            chart_downloads(fig, key=f"dl_{key}", meta=meta or {}, lang=lang)
        except Exception as exc:  # an export failure must not take the page down
            st.caption(f"⚠ export: {exc}")
