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
        from indicators.ingest import apply_import, plan_import
    except ImportError:
        return None
    return plan_import, apply_import


def _password_ok(lang: str) -> bool:
    try:
        expected = st.secrets.get("import_password")
    except Exception:  # no secrets file at all
        expected = None
    if not expected:
        return True
    given = st.text_input(t("data.import_password", lang), type="password", key="imp_password")
    return given == expected


def render_import(lang: str) -> None:
    if read_only_mode():
        st.info(t("data.import_readonly", lang))
        return
    api = _import_api()
    if api is None:
        st.info(t("data.import_unavailable", lang))
        return
    if not _password_ok(lang):
        return
    plan_import, apply_import = api
    upload = st.file_uploader(t("data.import_file", lang), type=["csv", "xlsx", "xls", "parquet", "txt"],
                              key="imp_file")
    replace = st.checkbox(t("data.import_replace", lang), key="imp_replace")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        plan = plan_import(loaders.connection(), data, file_name=upload.name, replace=replace)
    except Exception as exc:  # an unreadable file: show a designed message, not a stack trace
        st.error(t("data.import_failed", lang))
        st.caption(str(exc))
        return
    show_report(plan, lang)
    if st.button(t("data.import_commit", lang), key="imp_commit", type="primary",
                 disabled=not _plan_ok(plan)):
        try:
            result = apply_import(loaders.connection(), plan)
        except Exception as exc:
            st.error(t("data.import_failed", lang))
            st.caption(str(exc))
            return
        loaders.clear_data_caches()
        counts = _counts(result)
        st.success(t("data.import_ok", lang, **counts))


def _plan_ok(plan) -> bool:
    report = getattr(plan, "report", None)
    errors = getattr(report, "errors", None) if report is not None else getattr(plan, "errors", None)
    ok = getattr(plan, "ok", None)
    if ok is not None:
        return bool(ok)
    return not errors


def _counts(result) -> dict:
    get = (lambda k: result.get(k, 0)) if isinstance(result, dict) else (lambda k: getattr(result, k, 0))
    return {k: int(get(k) or 0) for k in ("inserted", "updated", "unchanged", "rejected")}


def show_report(plan, lang: str) -> None:
    """The dry-run preview and the full validation report."""
    st.subheader(t("data.import_report", lang))
    report = getattr(plan, "report", plan)
    frame = None
    for attr in ("report_frame", "to_frame", "frame"):
        obj = getattr(report, attr, None)
        if callable(obj):
            frame = obj()
            break
        if isinstance(obj, pd.DataFrame):
            frame = obj
            break
    if frame is not None and not frame.empty:
        st.dataframe(frame, key="imp_report", hide_index=True)
    preview = getattr(plan, "preview", None) or getattr(plan, "rows", None)
    if isinstance(preview, pd.DataFrame):
        st.caption(t("data.import_dry", lang))
        st.dataframe(preview.head(500), key="imp_preview", hide_index=True)


def index_download_frame(sel) -> pd.DataFrame | None:
    """The computed index for the selected framework, every metro and year (None while the engine is missing)."""
    from indicators.ui import engine_view

    return engine_view.index_table_for_download(sel.framework) if sel.framework else None
