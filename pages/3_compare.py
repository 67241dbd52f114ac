"""对比 Compare: two or more metros side by side — dimensions, every indicator with its gap, trends, summary."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import engine_view, page
from indicators.ui.chart_box import show_chart
from indicators.ui.figure_cache import cached_figure
from indicators.ui.compare_view import compare_view
from indicators.ui.tables import show_table
from indicators.viz.dimensions import dimension_bars, radar
from indicators.viz.ranking import trend_lines

sel = page.start("compare", "compare.title")
lang = sel.lang
st.title(t("compare.title", lang, metros=" vs ".join(sel.name(m) for m in sel.metros)))
page.require_metro(sel, at_least=2)
if not engine_view.engine_available() or not sel.framework:
    st.info(t("state.no_engine", lang))
    st.stop()

view = compare_view(sel.framework, sel.year, sel.metros, sel.metro_names, lang)
fw_name = engine_view.framework_options(lang).get(sel.framework, sel.framework)
unit = t("chart.index_unit", lang)
source = t("chart.source_index", lang, sources=engine_view.index_sources(lang))
subtitle = t("chart.subtitle", lang, year=sel.year, unit=unit, framework=fw_name)

st.subheader(t("compare.summary", lang))
for sentence in view.sentences:
    st.markdown(f"- {sentence}")

vintages = engine_view.vintage_note(sel.framework, sel.year, lang)   # baked into the exported image too
show_chart(cached_figure(dimension_bars, view.dims, title=t("compare.dim_title", lang), subtitle=subtitle, source=source,
                          lang=lang), "cmp_dims", lang=lang, note=vintages or None, meta={"note": vintages} if vintages else None)
show_chart(cached_figure(radar, view.dims, title=t("compare.dim_title", lang), subtitle=subtitle, source=source, lang=lang),
           "cmp_radar", lang=lang)

years = f"{int(view.trends['year'].min())}–{int(view.trends['year'].max())}" if not view.trends.empty else "—"
show_chart(cached_figure(trend_lines, view.trends, title=t("compare.trend_title", lang),
                       subtitle=t("chart.subtitle", lang, year=years, unit=unit, framework=fw_name), source=source,
                       lang=lang), "cmp_trends", lang=lang)

st.subheader(t("compare.gap_table", lang, base=sel.name(view.base)))
show_table(view.gaps, "cmp_gaps", lang, file_stem="compare_gaps")
st.caption(t("chart.marked_note", lang))

engine_view.warm_up_in_background()
