"""进程 Progress: a metro's plans — areas, the task ledger (filters, edits with history, Excel template),
targets with projections from the metro's own trend, year-on-year change, and the 建设进程 score."""
import streamlit as st

from indicators.i18n import t
from indicators.ui import page, url_state
from indicators.ui import progress_view as pv
from indicators.ui.chart_box import show_chart
from indicators.ui.figure_cache import cached_figure
from indicators.ui.widget_keys import lang_key
from indicators.viz.progress import area_status_chart, projection_chart

sel = page.start("progress", "progress.title")
lang = sel.lang
page.require_metro(sel)
title_slot = st.container()          # the title comes first; it names the metro chosen just below it
c1, c2, c3 = st.columns([1, 2, 1])
metro = url_state.keep(c1.selectbox, t("profile.metro", lang), list(sel.metros), key=lang_key("prg_metro", lang),
                       format_func=sel.name)
title_slot.title(t("progress.title", lang, metro=sel.name(metro)))
plans = pv.plans_for(metro)
if plans.empty:
    st.info(t("progress.none", lang))
    st.stop()
plan_id = url_state.keep(c2.selectbox, t("progress.plan", lang), list(plans["plan_id"]),
                         key=lang_key(f"prg_plan_{metro}", lang), format_func=pv.plan_label(plans, lang))
plan_row = plans[plans["plan_id"] == plan_id].iloc[0].to_dict()
year = url_state.keep(c3.selectbox, t("progress.as_of", lang), pv.as_of_options(plan_row),
                      key=lang_key(f"prg_year_{plan_id}", lang), format_func=lambda y: pv.as_of_label(y, lang))
with st.expander(t("progress.formula", lang)):
    st.caption(t("progress.formula_text", lang))
    weight = url_state.keep(st.slider, t("progress.task_weight", lang), min_value=0.0, max_value=1.0, value=0.5,
                            step=0.05, key="prg_weight", kind="float")
view = pv.progress_view(metro, plan_id, year, lang, weight)

plan = view.plan
st.subheader(pv.plan_label(plans, lang)(plan_id))
st.caption(t("progress.plan_caption", lang, issuer=plan["issuer"] or "—", start=plan["period_start"],
             end=plan["period_end"], inferred=t("progress.period_inferred", lang) if plan["period_basis"] == "inferred" else "",
             source=plan["source_title"] or plan["source_id"], line=plan["source_line"]))
if pv.present(plan.get("note")):
    with st.expander(t("progress.plan_note", lang)):
        st.caption(plan["note"])
if pv.present(plan.get("reported_status")):
    st.info(t("progress.reported_status", lang, status=plan["reported_status"]))
if pv.present(plan.get("projects_stated")):
    st.caption(t("progress.projects_stated", lang, n=int(plan["projects_stated"])))

s = view.score
m = st.columns(4)
stated = plan.get("tasks_stated")
m[0].metric(t("progress.metric_tasks_of", lang, stated=int(stated)) if pv.present(stated) else t("progress.metric_tasks", lang),
            str(s["tasks"]))
m[1].metric(t("progress.metric_done", lang), f"{s['done'] / s['tasks']:.0%}" if s["tasks"] else "—")
m[2].metric(t("progress.metric_known", lang), f"{s['task_coverage']:.0%}" if s["task_coverage"] is not None else "—")
m[3].metric(t("progress.metric_score", lang), f"{s['progress_score']:.1f}" if s["progress_score"] is not None else "—",
            help=pv.score_parts(view, lang))
st.caption(pv.score_parts(view, lang))
if s["tasks"] == 0:
    st.info(t("progress.no_tasks", lang))
elif s["unknown"] == s["tasks"]:
    st.info(t("progress.all_unknown", lang))

source = t("progress.chart_source", lang, source=plan["source_title"] or plan["source_id"])
fig = cached_figure(area_status_chart, view.areas, title=t("progress.chart_areas", lang),
                    subtitle=t("progress.chart_areas_sub", lang, plan=pv.plan_label(plans, lang)(plan_id),
                               as_of=pv.as_of_label(year, lang)), source=source,
                    lang=lang, stated=dict(zip(view.areas["area"], view.areas["tasks_stated"])))
show_chart(fig, "prg_areas", lang=lang)
st.subheader(t("progress.areas_table", lang))
st.dataframe(pv.areas_table(view, lang), key="prg_area_table", hide_index=True)

st.subheader(t("progress.by_year", lang))
st.caption(t("progress.by_year_note", lang))
st.dataframe(pv.by_year_table(view, lang), key="prg_by_year", hide_index=True)

st.subheader(t("progress.targets", lang))
if view.targets.empty:
    st.caption(t("progress.targets_none", lang))
else:
    if plan["scope_kind"] == "group":
        st.caption(t("progress.targets_benchmark", lang, scope=plan["scope"], metro=sel.name(metro)))
    st.dataframe(pv.targets_table(view, lang), key="prg_targets", hide_index=True)
    for row in view.targets[view.targets["verdict"] != "no_data"].to_dict("records"):
        series = pv.series_for(view, row["indicator"])
        years = f"{int(series['year'].min())}–{int(row['target_year'])}"
        fig = cached_figure(projection_chart, series, row, metro_id=metro,
                            title=t("progress.target_chart", lang, indicator=row["label"], metro=sel.name(metro)),
                            subtitle=t("progress.target_sub", lang, years=years, unit=row["unit"] or "—",
                                       level=f"{view.spec.interval:.0%}"),
                            source=source, lang=lang)
        show_chart(fig, f"prg_proj_{row['target_id']}", lang=lang)
st.subheader(t("progress.yoy", lang))
yoy = pv.yoy_table(view, lang)
if yoy.empty:
    st.caption(t("progress.yoy_none", lang))
else:
    st.dataframe(yoy, key="prg_yoy", hide_index=True)

st.subheader(t("progress.tasks", lang))
f1, f2, f3 = st.columns([2, 2, 2])
areas = f1.multiselect(t("progress.filter_area", lang), list(view.areas["area_id"]), key=lang_key(f"prg_f_area_{plan_id}", lang),
                       placeholder=t("progress.filter_all", lang), format_func=dict(zip(view.areas["area_id"], view.areas["area_id"] + " " + view.areas["area"])).get)
statuses = f2.multiselect(t("progress.filter_status", lang), ["已完成", "推进中", "未启动", "滞后", "未知"],
                          key=lang_key("prg_f_status", lang), placeholder=t("progress.filter_all", lang),
                          format_func=lambda x: pv.status_label(x, lang))
text = f3.text_input(t("progress.filter_text", lang), key="prg_f_text")
shown = pv.filter_tasks(view.tasks, areas, statuses, text)
editable = pv.can_write() and year is None
st.caption(t("progress.evidence_caution", lang))
if editable:
    edited = st.data_editor(shown, key=f"prg_editor_{plan_id}", hide_index=True, disabled=[c for c in shown.columns if c not in pv.EDITABLE],
                            column_config=pv.task_column_config(lang, True))
    saved = st.session_state.pop("_prg_saved", None)
    if saved:
        st.success(t("progress.saved", lang, **saved))
    if st.button(t("progress.save", lang), key="prg_save", type="primary"):
        ok, detail, counts = pv.save_edits(shown, edited)
        if ok:
            st.session_state["_prg_saved"] = counts
            st.rerun()
        else:
            st.error(t("progress.save_failed", lang, **counts))
            st.dataframe(detail, key="prg_save_report", hide_index=True)
else:
    if not pv.can_write():
        st.caption(t("progress.readonly", lang))
    st.dataframe(shown, key="prg_tasks", hide_index=True, column_config=pv.task_column_config(lang, False))

d1, d2 = st.columns(2)
d1.download_button(t("progress.template", lang), data=lambda: pv.template_bytes(plan_id), file_name=f"{plan_id}_任务台账.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="prg_template")
if pv.can_write():
    upload = d2.file_uploader(t("progress.upload", lang), type=["xlsx", "csv"], key="prg_upload")
    if upload is not None:
        checked = pv.check_upload(upload.getvalue(), upload.name)
        if checked.ok:
            st.success(t("progress.import_plan_ok", lang, inserted=len(checked.inserts), updated=len(checked.updates),
                         unchanged=checked.unchanged))
            if st.button(t("progress.import_commit", lang), key="prg_import", type="primary"):
                result = pv.commit_upload(checked)
                st.success(t("progress.import_ok", lang, inserted=result.inserted, updated=result.updated,
                             unchanged=result.unchanged))
        else:
            st.error(t("progress.import_rejected", lang, n=checked.report.errors_total))
            st.dataframe(checked.report.to_frame(), key="prg_import_report", hide_index=True)

with st.expander(t("progress.history", lang)):
    history = pv.history_table(view, lang)
    if history.empty:
        st.caption(t("progress.history_none", lang))
    else:
        st.dataframe(history, key="prg_history", hide_index=True)
with st.expander(t("progress.log", lang)):
    st.code(pv.log_text(view), language=None)
