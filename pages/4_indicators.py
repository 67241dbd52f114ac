"""指标 Indicator explorer: any indicator at city or metro level — map, ranking, time series, raw rows with sources."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import loaders, page, url_state
from indicators.ui.catalog_view import label
from indicators.ui.chart_box import show_chart
from indicators.ui.figure_cache import cached_figure
from indicators.ui.tables import show_table
from indicators.ui.widget_keys import lang_key
from indicators.ui.indicator_view import SCOPES, catalog_indicator_ids, city_view, county_outline_codes, metro_view
from indicators.viz.maps import choropleth
from indicators.viz.series import ranking_bars, time_series
from indicators.viz.theme import metro_color

sel = page.start("indicators", "indicators.title")
lang = sel.lang
st.title(t("indicators.title", lang))
page.require_metro(sel)

c0, c1, c2 = st.columns([1, 2, 2])
level = url_state.keep(c0.segmented_control, t("indicators.level", lang), ["city", "metro"], key=lang_key("ind_level", lang), default="city",
                             required=True, format_func=lambda v: t(f"indicators.level_{v}", lang)) or "city"
ids = list(loaders.observed_indicators()["indicator"]) if level == "city" else catalog_indicator_ids()


def _name(i: str) -> str:
    lab = label(i, lang)
    if not lab.unit:
        return lab.name(lang)
    return f"{lab.name(lang)}（{lab.unit}）" if lang != "en" else f"{lab.name(lang)} ({lab.unit})"


indicator_key = lang_key("ind_indicator_metro" if level == "metro" else "ind_indicator", lang)
indicator = url_state.keep(c1.selectbox, t("indicators.indicator", lang), ids, key=indicator_key,
                         index=ids.index("gdp_per_capita") if "gdp_per_capita" in ids else 0, format_func=_name)
if level == "city":
    scope = url_state.keep(c2.segmented_control, t("indicators.scope", lang), list(SCOPES), key=lang_key("ind_scope", lang), default="provinces",
                                 required=True, format_func=lambda s: t(f"indicators.scope_{s}", lang))
    view = city_view(indicator, sel.year, sel.metros, scope or "provinces", lang)
else:
    scope = None
    view = metro_view(indicator, sel.year, sel.metros, lang)

name, unit = view.label.name(lang), view.label.unit or "—"
if view.year_used is None:
    st.info(t("state.no_data_import", lang))
    st.stop()
if view.year_used != sel.year:
    st.caption(t("state.indicator_no_data_year", lang, indicator=name, year=sel.year, used=view.year_used))
if view.label.note:
    st.caption(view.label.note)
if view.gap_note:
    st.caption("⚠ " + view.gap_note)
subtitle = t("chart.subtitle_noframe", lang, year=view.year_used, unit=unit)
source = t("chart.source", lang, sources="；".join(view.sources) or "—")
note = t("chart.marked_note", lang) if view.marked_share > 0 else None

left, right = st.columns([3, 2])
with left:
    map_key = "indicators.map_title" if level == "city" else "indicators.map_title_metro"
    fig = cached_figure(choropleth, view.map_frame, loaders.prefecture_geojson(), title=t(map_key, lang, indicator=name),
                     subtitle=subtitle, source=source, lang=lang, unit=unit, outlines=view.outlines,
                        county_outlines=county_outline_codes(sel.metros, sel.scope), county_geojson=loaders.metro_county_geojson(),
                        extent={"all": "national", "provinces": "provinces"}.get(scope, "members") if level == "city" else "members")
    show_chart(fig, "ind_map", note=t("indicators.map_caption", lang), lang=lang)
with right:
    if level == "city":
        colors = {c: metro_color(m) for m, codes in reversed(list(view.outlines.items())) for c in codes}
        fig = cached_figure(ranking_bars, view.map_frame, title=t("indicators.rank_title", lang, indicator=name), subtitle=subtitle,
                           source=source, lang=lang, unit=unit, color_by=colors)
    else:
        colors = {m: metro_color(m) for m in view.ranking["code"]}
        fig = cached_figure(ranking_bars, view.ranking, title=t("indicators.rank_title_metro", lang, indicator=name),
                           subtitle=subtitle, source=source, lang=lang, unit=unit, color_by=colors)
    show_chart(fig, "ind_rank", note=note, lang=lang)

if level == "city":
    codes = set(view.outlines.get(sel.metro, []))
    series, who, colors = view.series[view.series["code"].isin(codes)], sel.name(sel.metro), None
else:
    series, who = view.series, " · ".join(sel.name(m) for m in sel.metros)
    colors = {m: metro_color(m) for m in sel.metros}
span = f"{min(view.years)}–{max(view.years)}"
fig = cached_figure(time_series, series, title=t("indicators.series_title", lang, indicator=name),
                  subtitle=f"{who} · {t('chart.subtitle_noframe', lang, year=span, unit=unit)}",
                  source=source, lang=lang, unit=unit, breaks=view.breaks, color_by=colors)
show_chart(fig, "ind_series", note=note, lang=lang)

st.subheader(t("indicators.table", lang))
show_table(view.table, "ind_table", lang, units={"value": unit}, file_stem=f"{name}_{view.year_used}")
