"""方法 Methodology: choose normalisation, weighting, aggregation, missing-data rule and dimension weights;
the ranking updates live; Monte Carlo rank intervals; the method in words; save as a framework."""
import re

import streamlit as st

from indicators.i18n import t
from indicators.ui import engine_view, page, reconcile_view, url_state
from indicators.ui.chart_box import show_chart
from indicators.ui.figure_cache import cached_figure
from indicators.ui.tables import show_table
from indicators.ui.widget_keys import lang_key
from indicators.ui.engine_view import Method
from indicators.ui.method_view import (AGGREGATIONS, MISSING_RULES, WEIGHTINGS, method_view, normalisations, robustness,
                                       can_save, robustness_note, robustness_subtitle, save_as)
from indicators.viz.ranking import rank_intervals, ranking_bar
from indicators.viz.reconcile import rank_comparison

sel = page.start("methodology", "method.title")
lang = sel.lang
st.title(t("method.title", lang))
if not engine_view.engine_available() or not sel.framework:
    st.info(t("state.no_engine", lang))
    st.stop()

fw = sel.framework
defaults = engine_view.framework_defaults(fw)
c = st.columns(4)
norms = normalisations()
norm = url_state.keep(c[0].selectbox, t("method.normalisation", lang), norms, key=lang_key(f"meth_norm_{fw}", lang),
                      index=norms.index(defaults.get("normalisation")) if defaults.get("normalisation") in norms else 0,
                      format_func=lambda n: t(f"method.norm.{n}", lang))
weighting = url_state.keep(c[1].selectbox, t("method.weighting", lang), WEIGHTINGS, key=lang_key("meth_weighting", lang),
                           format_func=lambda w: t(f"method.weighting.{w}", lang))
agg = url_state.keep(c[2].selectbox, t("method.aggregation", lang), AGGREGATIONS, key=lang_key(f"meth_agg_{fw}", lang),
                     index=AGGREGATIONS.index(defaults.get("aggregation")) if defaults.get("aggregation") in AGGREGATIONS else 0,
                     format_func=lambda a: t(f"method.agg.{a}", lang))
missing = url_state.keep(c[3].selectbox, t("method.missing", lang), MISSING_RULES, key=lang_key(f"meth_missing_{fw}", lang),
                         index=MISSING_RULES.index(defaults.get("missing_rule")) if defaults.get("missing_rule") in MISSING_RULES else 0,
                         format_func=lambda m: t(f"method.missing.{m}", lang))

st.markdown(f"**{t('method.weights', lang)}**")
dims = engine_view.framework_dimensions(fw, lang)
cols = st.columns(min(4, max(1, len(dims))))
weights = []
for i, (dim_id, name, default) in enumerate(dims):
    w = url_state.keep(cols[i % len(cols)].slider, name, min_value=0.0, max_value=5.0, value=float(default), step=0.5,
                       key=f"meth_w_{fw}_{dim_id}", kind="float")
    weights.append((dim_id, float(w)))

method = Method(normalisation=norm if norm != defaults.get("normalisation") else None,
                missing_rule=missing if missing != defaults.get("missing_rule") else None,
                aggregation=agg, weighting=weighting,
                dimension_weights=tuple(weights) if any(w != d for (_, w), (_, _, d) in zip(weights, dims)) else ())
fw_name = engine_view.framework_options(lang).get(fw, fw)
try:
    view = method_view(fw, sel.year, method, lang)
except Exception as exc:  # a method the data cannot support (e.g. every weight zero): say so
    st.warning(t("state.error", lang, message=exc))
    st.stop()

source = t("chart.source_index", lang, sources=engine_view.index_sources(lang))
left, right = st.columns([3, 2])
with left:
    fig = cached_figure(ranking_bar, view.ranking, title=t("method.ranking_title", lang),
                      subtitle=t("chart.subtitle", lang, year=sel.year, unit=t("chart.index_unit", lang), framework=fw_name),
                      source=source, lang=lang, highlight=sel.metro)
    show_chart(fig, "meth_ranking", lang=lang)
with right:
    st.markdown(f"**{t('method.rank_change', lang)}**")
    st.dataframe(view.ranking[["name", "rank", "default_rank", "rank_change"]], key="meth_rank_table", hide_index=True,
                 column_config={"name": t("profile.metro", lang), "rank": t("method.rank_now", lang),
                                "default_rank": t("method.rank_default", lang),
                                "rank_change": t("method.rank_delta", lang)})

st.subheader(t("method.robust_title", lang))
n_draws = url_state.keep(st.select_slider, t("method.robust_n", lang), [200, 500, 1000, 2000], value=500, key="meth_draws")
scope_draw = url_state.keep(st.checkbox, t("method.robust_scope", lang), value=False, key="meth_scope_draw",
                            help=t("method.robust_scope_help", lang))
intervals = robustness(fw, method, sel.year, n_draws, lang, scope_draw=scope_draw)
fig = cached_figure(rank_intervals, intervals, title=t("method.robust_title", lang),
                     subtitle=robustness_subtitle(sel.year, fw_name, scope_draw, lang), source=source, lang=lang)
show_chart(fig, "meth_robust", note=robustness_note(scope_draw, lang), lang=lang)

st.subheader(t("method.explain", lang))
for line in view.words:
    st.markdown(line)
st.markdown(engine_view.reference_text(fw, lang))

st.subheader(t("method.dimension_notes", lang) + f" · {sel.year}")
st.dataframe(engine_view.dimension_notes(fw, sel.year, lang), key="meth_dim_notes", hide_index=True,
             column_config={"dimension": t("method.col_dimension", lang),
                            "indicators": st.column_config.TextColumn(t("method.col_indicators", lang), width="large"),
                            "metros": t("method.col_metros", lang), "warning": t("method.col_warning", lang)})
if warning := engine_view.vintage_warning(fw, sel.year, lang):
    st.warning(warning)

# the sections below are drawn only when opened (each a URL parameter, so a shared link opens them too): a page
# switch then lays out two charts and two tables less (indicators/bench/SCALING.md)
reconcile_box = st.expander(t("method.reconcile.title", lang), key="meth_reconcile_box", bind="query-params")
refs = reconcile_view.references(lang) if reconcile_box.open else {}
with reconcile_box:
    if reconcile_box.open:
        st.caption(t("method.reconcile.intro", lang))
    if refs:
        ref_id = st.selectbox(t("method.reconcile.reference", lang), list(refs),
                              key=lang_key("meth_reconcile_ref", lang), format_func=refs.get)
        rv = reconcile_view.reconcile_view(fw, sel.year, ref_id, lang)
        fig = cached_figure(rank_comparison, rv.rows, title=t("method.reconcile.chart_title", lang,
                                                              reference=t(f"method.reconcile.short.{ref_id}", lang)),
                            subtitle=rv.summary,
                            source=t("method.reconcile.source", lang, reference=refs[ref_id], framework=fw_name),
                            lang=lang)
        show_chart(fig, "meth_reconcile", note=rv.note, lang=lang)
        st.dataframe(rv.table, key="meth_reconcile_table", hide_index=True)
        for line in rv.explanations:
            st.markdown(f"- {line}")

scope_box = st.expander(t("scope.sensitivity_title", lang), key="meth_scope_box", bind="query-params")
with scope_box:
    if scope_box.open:
        st.caption(t("scope.sensitivity_note", lang))
        show_table(engine_view.scope_rank_movement(fw, lang), "meth_scope_sensitivity", lang,
                   file_stem="scope_rank_movement")

save_box = st.expander(t("method.save", lang), key="meth_save_box", bind="query-params")
with save_box:
    if save_box.open and not can_save():
        st.info(t("method.save_readonly", lang))
    elif save_box.open:
        with st.form("meth_save_form"):
            new_id = st.text_input(t("method.save_name", lang), key="meth_save_id")
            if st.form_submit_button(t("method.save", lang)):
                if not re.fullmatch(r"[a-z][a-z0-9_]{1,40}", new_id or ""):
                    st.warning(t("method.save_bad_id", lang))
                else:
                    try:
                        save_as(fw, new_id, method, lang)
                        st.success(t("method.saved", lang, name=new_id))
                    except Exception as exc:
                        st.warning(t("method.save_failed", lang, error=exc))

engine_view.warm_up_in_background()
