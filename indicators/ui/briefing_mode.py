"""Briefing mode: a switch that hides Streamlit's chrome (header, toolbar, footer, sidebar) and lays the
page out on a clean, centred 16:9 white canvas, so a screenshot — if someone still takes one — is clean.

Call ``briefing_mode_toggle()`` once near the top of every page (after the sidebar). The state is kept in
``st.session_state["_briefing_mode"]`` so it survives page switches, and ``?briefing=1`` in the URL turns
it on (a link straight into a clean view). The switch itself stays on the canvas, faint until hovered.
"""
from __future__ import annotations

import streamlit as st

STATE_KEY = "_briefing_mode"
WIDGET_KEY = "briefing_mode"
QUERY_PARAM = "briefing"
LABEL = {"zh": "简报模式", "en": "Briefing mode"}
HELP = {"zh": "隐藏侧边栏和界面元素，按 16:9 画布排版，便于截图或投屏",
        "en": "Hide the sidebar and Streamlit's chrome and lay the page out on a 16:9 canvas"}

# Selectors are Streamlit's data-testids (stable across 1.3x–1.6x) plus the keyed-widget class st-key-<key>.
BRIEFING_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarNav"], [data-testid="stMainMenu"], footer, #MainMenu { display: none !important; }
[data-testid="stAppViewContainer"], [data-testid="stMain"], .stApp { background: #EEF1F4 !important; }
[data-testid="stMainBlockContainer"], .block-container {
  box-sizing: border-box; width: min(96vw, calc((100vh - 24px) * 16 / 9)) !important;
  max-width: none !important; aspect-ratio: 16 / 9; margin: 12px auto !important;
  padding: 2.2rem 3rem 1.6rem 3rem !important; background: #FFFFFF;
  box-shadow: 0 2px 14px rgba(0, 0, 0, 0.10); overflow: auto;
}
.st-key-briefing_mode { position: fixed; top: 6px; right: 14px; z-index: 1000; width: auto !important;
  opacity: 0.18; transition: opacity 0.2s; }
.st-key-briefing_mode:hover { opacity: 1; }
[data-testid="stElementToolbar"], .modebar-container, [class*="st-key-dlbox_"] { display: none !important; }
</style>
"""


def briefing_css() -> str:
    """The CSS injected in briefing mode (a pure string, for tests and reuse)."""
    return BRIEFING_CSS


def is_briefing_mode() -> bool:
    return bool(st.session_state.get(STATE_KEY, False))


def _sync_from_widget() -> None:
    st.session_state[STATE_KEY] = bool(st.session_state.get(WIDGET_KEY, False))


def apply_briefing_mode(enabled: bool) -> None:
    """Inject the briefing CSS when ``enabled`` (does nothing otherwise)."""
    if enabled:
        st.html(BRIEFING_CSS)


def briefing_mode_toggle(lang: str | None = None) -> bool:
    """Render the briefing-mode switch in the main area, apply the layout when on, return the state."""
    lang = "en" if (lang or st.session_state.get("_sel_lang")) == "en" else "zh"
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY] = st.query_params.get(QUERY_PARAM, "") in ("1", "true", "on")
    st.session_state[WIDGET_KEY] = st.session_state[STATE_KEY]
    st.toggle(LABEL[lang], key=WIDGET_KEY, help=HELP[lang], on_change=_sync_from_widget)
    enabled = is_briefing_mode()
    apply_briefing_mode(enabled)
    return enabled
