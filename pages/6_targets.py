"""目标 Targets: progress to plan targets as bullet charts, with base year and document; gaps shown honestly."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import page, url_state
from indicators.ui.chart_box import show_chart
from indicators.ui.figure_cache import cached_figure
from indicators.ui.widget_keys import lang_key
from indicators.ui.targets_view import scope_name, scopes_for, targets_view
from indicators.viz.targets import bullet_chart
from indicators.ui.tables import show_table

sel = page.start("targets", "targets.title")
lang = sel.lang
page.require_metro(sel)
title_slot = st.container()          # the title comes first; it names the metro chosen just below it
c1, c2 = st.columns(2)
metro = url_state.keep(c1.selectbox, t("profile.metro", lang), list(sel.metros), key=lang_key("tgt_metro", lang), format_func=sel.name)
scopes, own, _ = scopes_for(metro)
if not scopes:
    title_slot.title(t("targets.title", lang, metro=sel.name(metro)))
    st.info(t("targets.none", lang))
    st.stop()
scope = url_state.keep(c2.selectbox, t("targets.set", lang), scopes, key=lang_key(f"tgt_scope_{metro}", lang),
                     index=scopes.index(own) if own in scopes else 0,
                     format_func=lambda s: scope_name(s, sel.metro_names, lang))
view = targets_view(metro, scope, sel.year, lang)
title_slot.title(t("targets.title", lang, metro=sel.name(metro)))
if not view.is_own:
    st.info(t("targets.benchmark_note", lang, metro=sel.name(metro), scope=scope_name(view.scope, sel.metro_names, lang)))
if view.missing:
    st.warning(t("targets.missing", lang, items="、".join(view.missing)))

docs = "；".join(sorted(set(view.rows["document"].dropna().astype(str))))
fig = cached_figure(bullet_chart, view.rows, metro_id=metro, title=t("targets.chart_title", lang, metro=sel.name(metro)),
                   subtitle=t("targets.scope_note", lang, scope=scope_name(view.scope, sel.metro_names, lang)) + f" · {sel.year}",
                   source=t("chart.source", lang, sources=docs or "—"), lang=lang)
show_chart(fig, "tgt_bullets", note=t("chart.marked_note", lang), lang=lang)

st.subheader(t("targets.table", lang))
table = view.rows.drop(columns=["target_id"])
show_table(table, "tgt_table", lang, file_stem=f"{sel.name(metro)}_targets")
