"""The common start of every page: page config, sidebar, briefing switch, title, designed empty states."""
from __future__ import annotations

import streamlit as st

from indicators.i18n import t
from indicators.ui import loaders, sidebar

try:  # the EXPORT engineer's briefing-mode switch (optional)
    from indicators.ui.briefing_mode import briefing_mode_toggle
except ImportError:  # pragma: no cover
    briefing_mode_toggle = None


def start(page_id: str, title_key: str, **title_values) -> sidebar.Selection:
    """Configure the page, draw the sidebar and the title; stop with a clear message when there is no data."""
    st.set_page_config(page_title="同城化 Tongcheng", page_icon=":material/hub:", layout="wide")
    sel = sidebar.render(page_id)
    if briefing_mode_toggle is not None:
        briefing_mode_toggle(sel.lang)
    if not loaders.database_available():
        st.title(t("app.title", sel.lang))
        st.warning(t("state.no_db", sel.lang))
        st.stop()
    return sel


def require_metro(sel: sidebar.Selection, at_least: int = 1) -> None:
    """Stop with a designed message when too few metros are selected."""
    if len(sel.metros) < at_least:
        st.info(t("state.no_metro" if at_least == 1 else "state.need_two", sel.lang))
        st.stop()
