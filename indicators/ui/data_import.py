"""The Data page's import panel and download tab.

Import: upload → choices the CLI offers (sheet, unit, encoding, indicator, year, source, quality) → dry-run
plan with the full validation report → commit in one serialised transaction (``indicators.store.writer``).

* The plan is cached in the session by (upload digest, options, data version): a rerun — a widget change,
  another session's import, the data-version rerun — never parses the file again.
* A failed commit leaves a message that *stays* (session state, shown on every rerun, including the
  rerun the data-version check triggers) until an import succeeds, another file is chosen or the analyst
  dismisses it; pressing commit again retries.
* Nothing unexpected reaches the browser as a traceback or a server path: it is logged on the server and
  the page says what happened and what to do.

Downloads: the whole table (never silently cut; an XLSX too long for one sheet is refused with the total)
and the computed index, through the product's one neutralising writer (``indicators.export.tables``).
Read-only deployments (``TONGCHENG_READ_ONLY=1``) hide the import; ``import_password`` guards it when set.
"""
from __future__ import annotations

import hashlib
import json
import logging

import pandas as pd
import streamlit as st

from indicators.i18n import t
from indicators.store.db import read_only_mode
from indicators.ui import loaders
from indicators.ui.tables import show_table

log = logging.getLogger(__name__)

ENCODINGS = ("", "utf-8", "gb18030", "utf-16", "big5")
UNITS = ("", "亿元", "万元", "元", "万人", "人", "%", "‰", "公里", "平方公里", "万吨", "个", "项")
BROWSE_LOAD_ROWS = 200_000      # rows read for browsing and filtering (the caption gives the real total)
BROWSE_SHOW_ROWS = 5_000
_ERR = "_imp_error"
_DONE = "_imp_done"
_PENDING = "_imp_commit_pending"
_PLAN = "_imp_plan"


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


def _options(lang: str, data: bytes | None) -> dict:
    """What the file may not say itself (the file's own columns and notes take precedence)."""
    sheets: list[str] = []
    is_xlsx = data is not None and data[:4] == b"PK\x03\x04"
    if is_xlsx:
        from indicators.ingest.read_xlsx import sheet_names

        sheets = sheet_names(data)
    with st.expander(t("data.import_options", lang), expanded=len(sheets) > 1):
        c1, c2, c3, c4 = st.columns(4)
        indicator = c1.text_input(t("indicators.indicator", lang), key="imp_opt_indicator")
        year = c2.number_input(t("sidebar.year", lang), min_value=0, max_value=2100, value=0, step=1,
                               key="imp_opt_year", help=t("data.import_year_help", lang))
        source = c3.text_input(t("data.import_source", lang), key="imp_opt_source")
        quality = c4.selectbox(t("hover.quality", lang), QUALITIES, key="imp_opt_quality",
                               format_func=lambda q: t(f"quality.{q}", lang))
        d1, d2, d3 = st.columns(3)
        unit = d1.selectbox(t("data.import_unit", lang), UNITS, key="imp_opt_unit",
                            format_func=lambda u: u or "—", accept_new_options=True)
        sheet = d2.selectbox(t("data.import_sheet", lang), sheets or [""], key="imp_opt_sheet",
                             format_func=lambda s: s or "—", disabled=len(sheets) < 2)
        encoding = d3.selectbox(t("data.import_encoding", lang), ENCODINGS, key="imp_opt_encoding",
                                format_func=lambda e: e or t("data.import_encoding_auto", lang),
                                disabled=is_xlsx or (data is not None and data[:4] == b"PAR1"))
    opts = {"quality": quality}
    if indicator.strip():
        opts["indicator"] = indicator.strip()
    if year:
        opts["year"] = int(year)
    if source.strip():
        opts["source"] = source.strip()
    if unit and str(unit).strip():
        opts["unit"] = str(unit).strip()
    if sheet and len(sheets) > 1:
        opts["sheet"] = sheet
    if encoding and not is_xlsx:
        opts["encoding"] = encoding
    return opts


def _lasting_messages(lang: str) -> None:
    """The outcome of the last commit, shown on every run until it is replaced or dismissed."""
    done = st.session_state.get(_DONE)
    if done:
        st.success(done)
    failed = st.session_state.get(_ERR)
    if failed:
        st.error(t("data.import_failed_lasting", lang, file=failed["file"], reason=failed["reason"]))
        st.caption(t("data.import_retry_hint", lang))
        if failed.get("report"):
            st.dataframe(pd.DataFrame(failed["report"]), key="imp_commit_report", hide_index=True)
        if st.button(t("data.import_dismiss", lang), key="imp_dismiss"):
            st.session_state.pop(_ERR, None)
            st.rerun()


def _plan_cached(plan_import, data: bytes, name: str, opts: dict):
    """The dry-run plan for (digest, options, data version): parsed once, whatever reruns follow."""
    digest = hashlib.sha256(data).hexdigest()
    key = (digest, name, json.dumps(opts, sort_keys=True, ensure_ascii=False), loaders.run_data_version())
    cached = st.session_state.get(_PLAN)
    if cached is not None and cached[0] == key:
        return cached[1], True
    if cached is not None and cached[0][0] != digest:
        st.session_state.pop(_ERR, None)      # another file: the old failure no longer applies
        st.session_state.pop(_DONE, None)
        st.session_state.pop(_PENDING, None)   # a click meant for the previous file
    plan = plan_import(data, name, loaders.connection(), opts)
    st.session_state[_PLAN] = (key, plan)
    return plan, False


def _unexpected(exc: BaseException, lang: str, where: str) -> str:
    log.exception("Data page %s failed", where)
    return t("data.import_unexpected", lang, kind=type(exc).__name__)


def render_import(lang: str) -> None:
    """Upload → dry-run plan (report + preview) → commit in one serialised transaction → caches cleared."""
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
    _lasting_messages(lang)
    upload = st.file_uploader(t("data.import_file", lang), type=["csv", "xlsx", "xls", "parquet", "txt", "tsv"],
                              key="imp_file")
    data = upload.getvalue() if upload is not None else None
    opts = _options(lang, data)
    replace = st.checkbox(t("data.import_replace", lang), key="imp_replace")
    if upload is None:
        st.session_state.pop(_PENDING, None)
        return
    try:
        plan, cached = _plan_cached(plan_import, data, upload.name, opts)
    except Exception as exc:  # noqa: BLE001 - plan_import reports bad input itself; last line of defence
        st.error(_unexpected(exc, lang, "dry run"))
        return
    if cached:
        st.caption(t("data.import_planned_cached", lang))
    show_report(plan, lang)
    # The click is recorded by a callback (it runs before the script and lives in session state), so a rerun
    # forced by another session's commit while this run is under way cannot swallow it: the next run commits.
    st.button(t("data.import_commit", lang), key="imp_commit", type="primary", disabled=not plan.ok,
              on_click=_mark_commit_pending)
    if st.session_state.pop(_PENDING, False) and plan.ok:
        _commit(apply_import, ingest_error, plan, replace, lang)


def _mark_commit_pending() -> None:
    st.session_state[_PENDING] = True


def _commit(apply_import, ingest_error, plan, replace: bool, lang: str) -> None:
    st.session_state.pop(_DONE, None)
    try:
        result = apply_import(plan, loaders.connection(), replace=replace)
    except ingest_error as exc:
        report = getattr(exc, "report", None)
        rows = report.to_frame(include_warnings=True).astype(str).to_dict("records") if report is not None else []
        st.session_state[_ERR] = {"file": plan.file_name, "reason": str(exc).splitlines()[0], "report": rows[:500]}
        st.rerun()
    except Exception as exc:  # noqa: BLE001 - never a traceback in the browser
        st.session_state[_ERR] = {"file": plan.file_name, "reason": _unexpected(exc, lang, "commit"), "report": []}
        st.rerun()
    st.session_state.pop(_ERR, None)
    st.session_state.pop(_PLAN, None)
    loaders.clear_data_caches()
    st.session_state[_DONE] = t("data.import_ok", lang, inserted=result.inserted, updated=result.updated,
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
        show_table(report, "imp_report", lang, file_stem="import_report")
    understood = plan.columns_understood()
    if understood is not None and not understood.empty:
        st.caption(t("data.import_columns", lang))
        show_table(understood, "imp_columns", lang, keep=("indicator",), file_stem="import_columns")
    if len(plan.inserts):
        st.caption(t("data.import_dry", lang))
        show_table(plan.inserts.head(500), "imp_preview", lang, keep=("code", "indicator"), file_stem="import_preview")
    if len(plan.conflicts):
        st.caption(t("data.import_conflicts", lang))
        show_table(plan.conflicts.head(500), "imp_conflicts", lang, keep=("code", "indicator"),
                   file_stem="import_conflicts")


def index_download_frame(sel) -> pd.DataFrame | None:
    """The computed index for the selected framework, every metro and year (None while the engine is missing)."""
    from indicators.ui import engine_view

    return engine_view.index_table_for_download(sel.framework) if sel.framework else None


def browse_caption(total: int, loaded: int, matched: int, filtered: bool, lang: str) -> str:
    """The Browse caption with the table's real total (never the number of rows read for browsing)."""
    shown = min(matched, BROWSE_SHOW_ROWS)
    if filtered:
        return t("data.rows_filtered", lang, n=total, matched=matched, shown=shown) + (
            "" if loaded >= total else " · " + t("data.rows_total", lang, n=total, shown=shown, loaded=loaded))
    if loaded < total:
        return t("data.rows_total", lang, n=total, shown=shown, loaded=loaded)
    return t("data.rows", lang, n=total, shown=shown)


def render_downloads(sel, lang: str) -> None:
    """The download tab: a whole table (all rows) and the computed index, as CSV, XLSX or Parquet."""
    from indicators.export.tables import MIMES, XLSX_MAX_ROWS
    from indicators.ui.table_files import frame_bytes

    fmt = st.segmented_control(t("data.format", lang), list(MIMES), key="dl_format", default="csv", required=True,
                               format_func=str.upper) or "csv"
    counts = loaders.table_counts()
    dl_table = st.selectbox(t("data.table", lang), list(counts), key="dl_table")
    total = int(counts.get(dl_table, 0))
    if fmt == "xlsx" and total > XLSX_MAX_ROWS:
        st.warning(t("data.download_too_big", lang, table=dl_table, n=f"{total:,}", limit=f"{XLSX_MAX_ROWS:,}"))
    else:
        st.download_button(t("data.download_table", lang, fmt=fmt.upper()), data=loaders.table_file(dl_table, fmt),
                           file_name=f"{dl_table}.{fmt}", mime=MIMES[fmt], key="dl_table_btn", on_click="ignore")
        st.caption(t("data.download_full", lang, n=f"{total:,}"))
    index_frame = index_download_frame(sel)
    if index_frame is not None and not index_frame.empty:
        st.download_button(t("data.download_index", lang, fmt=fmt.upper()), data=frame_bytes(index_frame, fmt),
                           file_name=f"tongcheng_index_{sel.framework}.{fmt}", mime=MIMES[fmt],
                           key="dl_index_btn", on_click="ignore")
    else:
        st.caption(t("state.no_engine", lang))
