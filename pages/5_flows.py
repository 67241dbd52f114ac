"""联系 Flows: origin–destination matrix, flow map, share toward the core; modelled flows labelled."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import loaders, page, url_state
from indicators.ui.chart_box import show_chart
from indicators.ui.figure_cache import cached_figure
from indicators.ui.widget_keys import lang_key
from indicators.ui.flows_view import flows_view, kinds
from indicators.viz.flows import core_share_bars, od_heatmap
from indicators.viz.maps import flow_map

sel = page.start("flows", "flows.title")
lang = sel.lang
page.require_metro(sel)
title_slot = st.container()          # the title comes first; it names the metro chosen just below it
metro = url_state.keep(st.selectbox, t("profile.metro", lang), list(sel.metros), key=lang_key("flow_metro", lang), format_func=sel.name)
title_slot.title(t("flows.title", lang, metro=sel.name(metro)))

available = kinds()
if not available:
    st.info(t("state.no_data_import", lang))
    st.stop()
kind = url_state.keep(st.segmented_control, t("flows.kind", lang), available, key=lang_key("flow_kind", lang),
                            default="migration_share" if "migration_share" in available else available[0], required=True,
                            format_func=lambda k: t(f"flows.kind.{k}", lang))
view = flows_view(metro, kind or available[0], sel.year, lang)
kind_name = t(f"flows.kind.{view.kind}", lang)
if view.od.empty:
    st.info(t("state.metro_no_data_year", lang, metro=sel.name(metro), year=kind_name))
    st.stop()
if view.modelled:
    st.warning(t("flows.modelled_warning", lang))
if view.notes:
    st.caption(t("flows.sample_note", lang, note=view.notes[0]))

when = view.period or t("chart.year_label", lang, year=view.year)
subtitle = t("chart.subtitle_when", lang, when=when, unit=view.unit)
source = t("chart.source", lang, sources="；".join(view.sources) or "—")
fig = cached_figure(od_heatmap, view.od, view.order, title=t("flows.matrix_title", lang, metro=sel.name(metro), kind=kind_name),
                 subtitle=subtitle, source=source, lang=lang, unit=view.unit)
show_chart(fig, "flow_matrix", lang=lang)
fig = cached_figure(flow_map, view.od, view.seats, loaders.prefecture_geojson(), member_codes=view.member_codes, metro_id=metro,
               title=t("flows.map_title", lang, metro=sel.name(metro), kind=kind_name), subtitle=subtitle,
               source=source, lang=lang, unit=view.unit, modelled=view.modelled)
show_chart(fig, "flow_map", lang=lang)
if view.shareable:
    fig = cached_figure(core_share_bars, view.core_share, metro_id=metro, title=t("flows.core_title", lang, metro=sel.name(metro)),
                          subtitle=t("chart.subtitle_when", lang, when=when, unit="%"), source=source, lang=lang)
    show_chart(fig, "flow_core_share", note=t("flows.core_caption", lang), lang=lang)
else:
    st.caption(t("flows.core_not_applicable", lang))
