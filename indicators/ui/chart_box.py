"""Render a figure the same way everywhere: offline topojson, no plotly logo, export buttons beside it."""
from __future__ import annotations

import re

import streamlit as st

from indicators.i18n import t
from indicators.viz.locale import plotly_config

try:  # the EXPORT engineer's PNG/SVG buttons; the chart still renders without them
    from indicators.ui.downloads import chart_downloads
except ImportError:  # pragma: no cover - depends on a parallel module
    chart_downloads = None

PLOTLY_CONFIG = {
    "topojsonURL": "/app/static/topojson/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


_SCOPE_SUFFIX = re.compile(r" · (规划范围|扩展范围|plan scope|extended scope)$")


def _with_scope(text: str | None, lang: str) -> str | None:
    """The subtitle with the analyst's metro boundaries (plan / extended scope) at its end, once."""
    if text is None:
        return None
    scope = st.session_state.get("_sel_scope")
    scope = scope if scope in ("plan", "extended") else "plan"
    return _SCOPE_SUFFIX.sub("", str(text)) + f" · {t(f'scope.{scope}', lang)}"


def show_chart(fig, key: str, meta: dict | None = None, note: str | None = None, lang: str = "zh") -> None:
    """Draw ``fig`` (keyed, so AppTest and the browser test find it), a marking note, and download buttons.
    Every subtitle ends with the metro boundaries in use (规划范围 / 扩展范围), in the page and in the export."""
    try:
        sub = fig.layout.title.subtitle.text
    except AttributeError:
        sub = None
    if sub:
        fig.layout.title.subtitle.text = _with_scope(sub, lang)
    if meta and isinstance(meta, dict) and meta.get("subtitle"):
        meta = {**meta, "subtitle": _with_scope(meta["subtitle"], lang)}
    st.plotly_chart(fig, key=key, config=plotly_config(lang), width="stretch")   # zh: plotly toolbar in Chinese
    if note:
        st.caption(note)
    if chart_downloads is not None:
        try:
            chart_downloads(fig, key=f"dl_{key}", meta=meta or {}, lang=lang)
        except Exception as exc:  # an export failure must not take the page down
            st.caption(f"⚠ export: {exc}")
