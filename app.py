"""总览 Overview (home page): all metros ranked on the 同城化 index, trends, coverage, headline cards."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import page

sel = page.start("overview", "overview.title")
lang = sel.lang
st.title(t("overview.title", lang))
st.info(t("state.no_engine", lang))
