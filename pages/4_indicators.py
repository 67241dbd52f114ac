"""指标 Indicator explorer: any indicator on a map, ranked, over time, with its raw rows and sources."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import loaders, page
from indicators.ui.catalog_view import label
from indicators.ui.chart_box import show_chart
from indicators.ui.indicator_view import SCOPES, city_view
from indicators.viz.maps import choropleth
from indicators.viz.series import ranking_bars, time_series
from indicators.viz.theme import metro_color

sel = page.start("indicators", "indicators.title")
lang = sel.lang
st.title(t("indicators.title", lang))
page.require_metro(sel)

ids = list(loaders.observed_indicators()["indicator"])
c1, c2 = st.columns([2, 1])
indicator = c1.selectbox(t("indicators.indicator", lang), ids, key="ind_indicator",
                         index=ids.index("gdp_per_capita") if "gdp_per_capita" in ids else 0,
                         format_func=lambda i: f"{label(i).name(lang)}（{label(i).unit}）" if label(i).unit else label(i).name(lang))
scope = c2.segmented_control(t("indicators.scope", lang), list(SCOPES), key="ind_scope", default="provinces",
                             required=True, format_func=lambda s: t(f"indicators.scope_{s}", lang))

view = city_view(indicator, sel.year, sel.metros, scope or "provinces", lang)
name, unit = view.label.name(lang), view.label.unit or "—"
if view.year_used is None:
    st.info(t("state.no_data_import", lang))
    st.stop()
if view.year_used != sel.year:
    st.caption(t("state.indicator_no_data_year", lang, indicator=name, year=sel.year, used=view.year_used))
subtitle = t("chart.subtitle_noframe", lang, year=view.year_used, unit=unit)
source = t("chart.source", lang, sources="；".join(view.sources) or "—")
note = t("chart.marked_note", lang) if view.marked_share > 0 else None

left, right = st.columns([3, 2])
with left:
    fig = choropleth(view.map_frame, loaders.prefecture_geojson(), title=t("indicators.map_title", lang, indicator=name),
                     subtitle=subtitle, source=source, lang=lang, unit=unit, outlines=view.outlines)
    show_chart(fig, "ind_map", note=t("indicators.map_caption", lang), lang=lang)
with right:
    colors = {c: metro_color(m) for m, codes in reversed(list(view.outlines.items())) for c in codes}
    fig = ranking_bars(view.map_frame, title=t("indicators.rank_title", lang, indicator=name), subtitle=subtitle,
                       source=source, lang=lang, unit=unit, color_by=colors)
    show_chart(fig, "ind_rank", note=note, lang=lang)

primary_codes = set(view.outlines.get(sel.metro, []))
series = view.series[view.series["code"].isin(primary_codes)]
fig = time_series(series, title=t("indicators.series_title", lang, indicator=name),
                  subtitle=f"{sel.name(sel.metro)} · {t('chart.subtitle_noframe', lang, year=f'{min(view.years)}–{max(view.years)}', unit=unit)}",
                  source=source, lang=lang, unit=unit, breaks=view.breaks)
show_chart(fig, "ind_series", note=note, lang=lang)

st.subheader(t("indicators.table", lang))
st.dataframe(view.table, key="ind_table", hide_index=True)
