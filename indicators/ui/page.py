"""The common start of every page: page config, sidebar, briefing switch, title, designed empty states."""
from __future__ import annotations

import streamlit as st

from indicators.i18n import t
from indicators.paths import STATIC_DIR
from indicators.ui import loaders, sidebar, url_state

try:  # the EXPORT engineer's briefing-mode switch (optional)
    from indicators.ui.briefing_mode import briefing_mode_toggle
except ImportError:  # pragma: no cover
    briefing_mode_toggle = None


PAGE_ICON = STATIC_DIR / "icons" / "tongcheng.png"
# Streamlit's own element toolbars (table search/download, chart fullscreen) have English tooltips that cannot
# be translated: in Chinese mode they are hidden; tables carry their own 下载 buttons (indicators.ui.tables).
# Streamlit's untranslatable hints ("Press Enter to apply") are hidden; the file uploader's English labels are
# replaced with Chinese ones drawn by CSS.
ZH_CHROME_CSS = """<style>
[data-testid='stElementToolbar'], [data-testid='InputInstructions'] { display: none !important; }
[data-testid='stFileUploaderDropzoneInstructions'] > div > span { display: none !important; }
[data-testid='stFileUploaderDropzoneInstructions'] > div::before { content: '将文件拖放到此处'; }
[data-testid='stFileUploaderDropzoneInstructions'] > div::after { content: '单个文件不超过 200MB'; font-size: 0.8em;
  display: block; opacity: 0.7; }
[data-testid='stFileUploaderDropzone'] button[data-testid='stBaseButton-secondary'] { font-size: 0 !important; }
[data-testid='stFileUploaderDropzone'] button[data-testid='stBaseButton-secondary']::after { content: '选择文件';
  font-size: 14px; }
</style>"""


def start(page_id: str, title_key: str, **title_values) -> sidebar.Selection:
    """Configure the page, draw the sidebar and the title; stop with a clear message when there is no data."""
    # the icon is a bundled file: a ":material/…:" page icon is fetched from the internet as the favicon
    st.set_page_config(page_title="同城化 Tongcheng", page_icon=str(PAGE_ICON) if PAGE_ICON.exists() else None,
                       layout="wide")
    sel = sidebar.render(page_id)
    url_state.begin(page_id)
    if sel.lang != "en":
        st.html(ZH_CHROME_CSS)
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
