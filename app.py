"""总览 Overview (home page): all metros ranked on the 同城化 index, trends, coverage, headline cards."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import engine_view, page, url_state
from indicators.ui.chart_box import show_chart
from indicators.ui.compare_view import in_selected_order
from indicators.ui.widget_keys import lang_key
from indicators.ui.overview_view import overview
from indicators.viz.hover import fmt_value
from indicators.viz.ranking import ranking_bar, trend_lines

sel = page.start("overview", "overview.title")
lang = sel.lang
st.title(t("overview.title", lang))
if not engine_view.engine_available() or not sel.framework:
    st.info(t("state.no_engine", lang))
    st.stop()

view = overview(sel.framework, sel.year, sel.metro, lang)
fw_name = engine_view.framework_options(lang).get(sel.framework, sel.framework)
h = view.headline
if h is not None:
    c = st.columns(4)
    c[0].metric(t("overview.card_index", lang, metro=sel.name(h.metro_id)), fmt_value(h.score, 1))
    c[1].metric(t("overview.card_rank", lang),
                t("overview.rank_of", lang, rank=h.rank, n=h.n_ranked) if h.rank else "—")
    c[2].metric(t("overview.card_change", lang), f"{h.change:+.1f}" if h.change is not None else "—")
    c[3].metric(t("overview.card_coverage", lang), f"{h.coverage:.0%}" if h.coverage is not None else "—")
    if h.score is None:
        st.info(t("state.metro_no_data_year", lang, metro=sel.name(h.metro_id), year=sel.year))
    elif h.unranked:
        st.warning(f"{sel.name(h.metro_id)}: {h.unranked}")
    if h.estimate_share:
        st.caption(t("overview.card_leans", lang, share=f"{h.estimate_share:.0%}"))

source = t("chart.source_index", lang, sources=engine_view.index_sources(lang))
unit = t("chart.index_unit", lang)
fig = ranking_bar(view.ranking, title=t("overview.ranking_title", lang),
                  subtitle=t("chart.subtitle", lang, year=sel.year, unit=unit, framework=fw_name),
                  source=source, lang=lang, highlight=sel.metro)
vintages = engine_view.vintage_note(sel.framework, sel.year, lang)   # baked into the exported image too
show_chart(fig, "ov_ranking", lang=lang, note=vintages or None, meta={"note": vintages} if vintages else None)
if view.unranked:
    st.markdown(f"**{t('overview.unranked_title', lang)}**")
    st.markdown("\n".join(f"- {u}" for u in view.unranked))
if vintage_note := engine_view.vintage_warning(sel.framework, sel.year, lang):
    st.caption(vintage_note)

scope = url_state.keep(st.segmented_control, t("overview.trend_scope", lang), ["selected", "all"], key=lang_key("ov_trend_scope", lang),
                             default="selected", required=True,
                             format_func=lambda s: t(f"overview.scope_{s}", lang))
# the chosen metros in the order chosen (legend and colours follow it); "all" adds the others after them
trends = in_selected_order(view.trends, sel.metros, then_others=scope == "all")
years = f"{int(view.trends['year'].min())}–{int(view.trends['year'].max())}" if not view.trends.empty else "—"
fig = trend_lines(trends, title=t("overview.trend_title", lang),
                  subtitle=t("chart.subtitle", lang, year=years, unit=unit, framework=fw_name), source=source, lang=lang,
                  marked_col="leans")
st.caption(t("overview.trend_marks", lang))
show_chart(fig, "ov_trends", lang=lang)

# drawn when opened (bound to the URL): a data grid on the landing page cost a fresh browser ≈ 0.2 s before the
# first chart (indicators/bench/SCALING.md); each bar already says its coverage
coverage_box = st.expander(t("overview.coverage_table", lang), key="ov_coverage_box", bind="query-params")
with coverage_box:
    if coverage_box.open:
        st.dataframe(view.coverage, key="ov_coverage", hide_index=True,
                     column_config={"metro_id": None, "name": t("profile.metro", lang),
                                    "coverage": st.column_config.ProgressColumn(t("chart.coverage", lang), min_value=0.0,
                                                                                max_value=1.0, format="percent"),
                                    "dimensions_with_data": t("overview.dims_with_data", lang),
                                    "dimensions": t("overview.dims_total", lang)})

engine_view.warm_up_in_background()
