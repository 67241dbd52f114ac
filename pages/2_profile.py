"""都市圈画像 Metro profile: index over time, dimension scores, member cities (table and map), reported figures."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import engine_view, loaders, page, url_state
from indicators.ui.catalog_view import label
from indicators.ui.chart_box import show_chart
from indicators.ui.figure_cache import cached_figure
from indicators.ui.widget_keys import lang_key
from indicators.ui.indicator_view import city_view
from indicators.ui.profile_view import profile_view
from indicators.ui.tables import show_table
from indicators.viz.dimensions import dimension_bars, radar
from indicators.viz.maps import choropleth
from indicators.viz.ranking import trend_lines

sel = page.start("profile", "profile.title")
lang = sel.lang
page.require_metro(sel)
title_slot = st.container()          # the title comes first; it names the metro chosen just below it
metro = url_state.keep(st.selectbox, t("profile.metro", lang), list(sel.metros), key=lang_key("prof_metro", lang), format_func=sel.name)
view = profile_view(metro, lang)
title_slot.title(t("profile.title", lang, metro=view.name))
if view.plan_document:
    st.caption(t("profile.plan", lang, doc=view.plan_document, year=view.plan_year or "—"))
if view.membership_basis == "plan_from_memory":
    st.caption(t("profile.membership_memory", lang))

fw_name = engine_view.framework_options(lang).get(sel.framework, sel.framework or "—")
index_source = t("chart.source_index", lang, sources=engine_view.index_sources(lang))
scores = engine_view.index_scores(sel.framework, lang)
own = scores[scores["metro_id"] == metro] if not scores.empty else scores
if own.empty:
    st.info(t("state.metro_no_data_year", lang, metro=view.name, year=sel.year))
else:
    years = f"{int(own['year'].min())}–{int(own['year'].max())}"
    fig = cached_figure(trend_lines, own, title=t("profile.index_title", lang, metro=view.name),
                      subtitle=t("chart.subtitle", lang, year=years, unit=t("chart.index_unit", lang), framework=fw_name),
                      source=index_source, lang=lang)
    show_chart(fig, "prof_index", lang=lang)

dims = engine_view.dimension_scores(sel.framework, sel.year, lang)
dims = dims[dims["metro_id"] == metro] if not dims.empty else dims
subtitle = t("chart.subtitle", lang, year=sel.year, unit=t("chart.index_unit", lang), framework=fw_name)
c1, c2 = st.columns(2)
with c1:
    show_chart(cached_figure(radar, dims, title=t("profile.radar_title", lang, metro=view.name), subtitle=subtitle,
                     source=index_source, lang=lang), "prof_radar", lang=lang)
with c2:
    show_chart(cached_figure(dimension_bars, dims, title=t("profile.bars_title", lang, metro=view.name), subtitle=subtitle,
                              source=index_source, lang=lang), "prof_bars", lang=lang)

st.subheader(t("profile.members", lang))
m1, m2 = st.columns([2, 3])
with m1:
    show_table(view.members, "prof_members", lang, file_stem=f"{view.name}_members")
with m2:
    ids = list(loaders.observed_indicators()["indicator"])
    map_ind = url_state.keep(st.selectbox, t("profile.map_indicator", lang), ids, key=lang_key("prof_map_indicator", lang),
                           index=ids.index("gdp_per_capita") if "gdp_per_capita" in ids else 0,
                           format_func=lambda i: label(i).name(lang))
    cv = city_view(map_ind, sel.year, (metro,), "members", lang)
    unit = cv.label.unit or "—"
    fig = cached_figure(choropleth, cv.map_frame, loaders.prefecture_geojson(),
                     title=t("profile.map_title", lang, metro=view.name, indicator=cv.label.name(lang)),
                     subtitle=t("chart.subtitle_noframe", lang, year=cv.year_used or sel.year, unit=unit),
                     source=t("chart.source", lang, sources="；".join(cv.sources) or "—"), lang=lang, unit=unit,
                     outlines=cv.outlines, labels=view.seats)
    show_chart(fig, "prof_map", lang=lang)

st.subheader(t("profile.facts", lang))
if view.facts.empty:
    st.caption(t("profile.no_facts", lang))
else:
    show_table(view.facts, "prof_facts", lang, file_stem=f"{view.name}_facts")

engine_view.warm_up_in_background()
