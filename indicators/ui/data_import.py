"""The import panel of the Data page: upload, dry-run preview with the full validation report, commit.

Writes go through the dashboard's own connection in one transaction (see ``indicators.store.db``); a
failed import shows its report and leaves the database untouched. Read-only deployments
(``TONGCHENG_READ_ONLY=1``) hide the panel; ``import_password`` in ``st.secrets`` guards it when set.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.i18n import t
from indicators.store.db import read_only_mode
from indicators.ui import loaders


def _import_api():
    try:
        from indicators.ingest import IngestError, apply_import, plan_import
    except ImportError:
        return None
    return plan_import, apply_import, IngestError


def _password_ok(lang: str) -> bool:
    try:
        expected = st.secrets.get("import_password")
    except Exception:  # no secrets file at all
        expected = None
    if not expected:
        return True
    given = st.text_input(t("data.import_password", lang), type="password", key="imp_password")
    return given == expected


QUALITIES = ("official", "single_source", "estimate", "modelled", "census", "cross_checked", "conflict", "synthetic")


def _options(lang: str) -> dict:
    """What the file may not say itself (the file's own columns and notes take precedence)."""
    with st.expander(t("data.import_options", lang)):
        c1, c2, c3, c4 = st.columns(4)
        indicator = c1.text_input(t("indicators.indicator", lang), key="imp_opt_indicator")
        year = c2.number_input(t("sidebar.year", lang), min_value=0, max_value=2100, value=0, step=1,
                               key="imp_opt_year", help=t("data.import_year_help", lang))
        source = c3.text_input(t("data.import_source", lang), key="imp_opt_source")
        quality = c4.selectbox(t("hover.quality", lang), QUALITIES, key="imp_opt_quality",
                               format_func=lambda q: t(f"quality.{q}", lang))
    opts = {"quality": quality}
    if indicator.strip():
        opts["indicator"] = indicator.strip()
    if year:
        opts["year"] = int(year)
    if source.strip():
        opts["source"] = source.strip()
    return opts


def render_import(lang: str) -> None:
    """Upload → dry-run plan (report + preview) → commit in one transaction → caches cleared."""
    if read_only_mode():
        st.info(t("data.import_readonly", lang))
        return
    api = _import_api()
    if api is None:
        st.info(t("data.import_unavailable", lang))
        return
    if not _password_ok(lang):
        return
    plan_import, apply_import, ingest_error = api
    done = st.session_state.pop("_imp_done", None)
    if done:
        st.success(done)
    upload = st.file_uploader(t("data.import_file", lang), type=["csv", "xlsx", "xls", "parquet", "txt"],
                              key="imp_file")
    opts = _options(lang)
    replace = st.checkbox(t("data.import_replace", lang), key="imp_replace")
    if upload is None:
        return
    try:
        plan = plan_import(upload.getvalue(), upload.name, loaders.connection(), opts)
    except Exception as exc:  # plan_import reports bad input itself; this is a last line of defence
        st.error(t("data.import_failed", lang))
        st.caption(str(exc))
        return
    show_report(plan, lang)
    if st.button(t("data.import_commit", lang), key="imp_commit", type="primary", disabled=not plan.ok):
        try:
            result = apply_import(plan, loaders.connection(), replace=replace)
        except ingest_error as exc:
            st.error(t("data.import_failed", lang))
            st.caption(str(exc))
            report = getattr(exc, "report", None)
            if report is not None:
                st.dataframe(report.to_frame(include_warnings=True), key="imp_commit_report", hide_index=True)
            return
        loaders.clear_data_caches()
        st.session_state["_imp_done"] = t("data.import_ok", lang, inserted=result.inserted, updated=result.updated,
                                          unchanged=result.unchanged, rejected=result.rejected)
        st.rerun()


def show_report(plan, lang: str) -> None:
    """The dry-run preview and the full validation report."""
    st.subheader(t("data.import_report", lang))
    c = st.columns(4)
    c[0].metric(t("data.import_inserts", lang), f"{len(plan.inserts):,}")
    c[1].metric(t("data.import_updates", lang), f"{len(plan.conflicts):,}")
    c[2].metric(t("data.import_unchanged", lang), f"{plan.unchanged:,}")
    c[3].metric(t("data.import_rejected", lang), f"{plan.rejected:,}")
    if plan.ok:
        st.success(t("data.import_plan_ok", lang))
    else:
        st.error(t("data.import_plan_rejected", lang, n=plan.rejected))
    st.code(plan.summary(), language=None)
    report = plan.report.to_frame(include_warnings=True)
    if not report.empty:
        st.dataframe(report, key="imp_report", hide_index=True)
    understood = plan.columns_understood()
    if understood is not None and not understood.empty:
        st.caption(t("data.import_columns", lang))
        st.dataframe(understood, key="imp_columns", hide_index=True)
    if len(plan.inserts):
        st.caption(t("data.import_dry", lang))
        st.dataframe(plan.inserts.head(500), key="imp_preview", hide_index=True)
    if len(plan.conflicts):
        st.caption(t("data.import_conflicts", lang))
        st.dataframe(plan.conflicts.head(500), key="imp_conflicts", hide_index=True)


def index_download_frame(sel) -> pd.DataFrame | None:
    """The computed index for the selected framework, every metro and year (None while the engine is missing)."""
    from indicators.ui import engine_view

    return engine_view.index_table_for_download(sel.framework) if sel.framework else None
