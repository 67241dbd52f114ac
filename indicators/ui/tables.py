"""Briefing-grade tables: what ``st.dataframe`` shows an analyst, and a download of exactly that.

``display_frame(frame, lang, units=...)`` (pure, tested) turns an internal frame into the table a reader sees:
internal code columns (``code``, ``metro_id``, ``source_id`` …) left out unless the analyst asks for the raw
view, quality flags in words, empty cells instead of ``None``/``nan``, headers in the page language with the
unit in brackets (``数值（元）``). ``number_formats`` gives each numeric column a printf format with thousands
separators (years without), and a pixel width that fits its widest formatted value so nothing is clipped.

``show_table(frame, key, lang, units=...)`` draws it right-aligned, with a "raw view" switch (kept in the URL)
and CSV / XLSX buttons that download the table as shown (headers and columns; numbers stay numbers), written
through the export package's formula-neutralising writer.
"""
from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators.i18n import pick, t
from indicators.ui.note_words import note_in
from indicators.ui.table_labels import LABELS

# Columns that hold identifiers a reader does not need (shown only in the raw view).
CODE_COLUMNS = {"code", "metro_id", "source_id", "source_ids", "target_id", "indicator", "origin_code", "dest_code",
                "parent_code", "dimension_id", "framework_id", "obs_id", "region_code"}
QUALITY_COLUMNS = {"quality"}
# Whole numbers that are not quantities: no thousands separator.
YEAR_LIKE = {"row", "year", "base_year", "target_year", "current_year", "year_used", "plan_year", "as_of"}

MORE_LABELS: dict[str, tuple[str, str]] = {
    "name": ("名称", "Name"), "year": ("年份", "Year"), "source_title": ("来源", "Source"),
    "members_used": ("有数据成员数", "Members with data"), "members_total": ("成员数", "Members"),
    "coverage": ("数据覆盖率", "Coverage"), "rank": ("排名", "Rank"), "score": ("得分", "Score"),
    "dimension": ("维度", "Dimension"), "gap": ("差距", "Gap"), "metro": ("都市圈", "Metro"),
    "name_zh": ("中文名", "Chinese name"), "name_en": ("英文名", "English name"), "title": ("标题", "Title"),
    "publisher": ("发布机构", "Publisher"), "url": ("网址", "URL"), "licence": ("许可", "Licence"),
    "description": ("说明", "Description"), "kind": ("类型", "Kind"), "period": ("时期", "Period"),
    "origin_name": ("出发地", "Origin"), "dest_name": ("目的地", "Destination"), "share": ("占比", "Share"),
    "source_id": ("来源编号", "Source id"), "source_ids": ("来源编号", "Source ids"), "evidence": ("证据类型", "Evidence"),
    "metro_id": ("都市圈代码", "Metro id"), "core_code": ("核心城市代码", "Core city code"),
    "parent_code": ("上级代码", "Parent code"), "date_published": ("发布日期", "Published"),
    "date_accessed": ("访问日期", "Accessed"), "replaced_at": ("替换时间", "Replaced at"), "producer": ("发布机构", "Producer"),
    "seat_lon": ("驻地经度", "Seat longitude"), "seat_lat": ("驻地纬度", "Seat latitude"), "level": ("层级", "Level"),
    "valid_from": ("起始年", "Valid from"), "valid_to": ("截止年", "Valid to"), "basis": ("依据", "Basis"),
    # import reports and previews (file, row, column as the import error model names them)
    "file": ("文件", "File"), "row": ("行号", "Row"), "column": ("文件列", "File column"), "reason": ("原因", "Reason"),
    "severity": ("级别", "Severity"),
    "rank_plan": ("规划范围排名", "Rank, plan scope"), "rank_extended": ("扩展范围排名", "Rank, extended scope"),
    "rank_change": ("名次变化（扩展−规划）", "Rank change (extended − plan)"),
}

# Stored enumerations shown in words (value -> (zh, en)).
VALUE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "status": {"current": ("现行", "current"), "replaced": ("已替换", "replaced"), "无数据 no data": ("无数据", "no data")},
    "comparator": {">=": ("≥", "≥"), "<=": ("≤", "≤"), "=": ("=", "="), "~": ("≈", "≈")},
    "unit": {"ratio": ("倍", "ratio")},
    "evidence": {"observed": ("实测", "observed"), "apportioned": ("按普查人口分摊", "apportioned"),
                 "snapshot": ("快照", "snapshot"), "proxy": ("代理指标", "proxy"), "modelled": ("模型估算", "modelled"),
                 "estimated": ("估算", "estimated")},
    "role": {"core": ("核心城市", "core city"), "member": ("成员城市", "member city"),
             "partial": ("部分纳入", "partly inside"), "region": ("地区", "region"), "year": ("年份", "year"),
             "indicator": ("指标", "indicator"), "value": ("数值", "value"), "source": ("来源", "source"),
             "unit": ("单位", "unit"), "quality": ("质量标记", "quality"), "note": ("备注", "note")},
    "severity": {"error": ("错误", "error"), "warning": ("提示", "warning")},
}

CJK_PX = 14.5      # header/body font ≈ 14 px: one CJK character
LATIN_PX = 8.2     # one digit / Latin character
PAD_PX = 34        # cell padding + sort arrow


def column_label(column: str, lang: str, unit: str | None = None) -> str:
    """The header a reader sees: translated, with the unit in brackets."""
    pair = LABELS.get(column) or MORE_LABELS.get(column)
    text = pick(*pair, lang) if pair else str(column)
    if unit:
        text = f"{text}（{unit}）" if lang != "en" else f"{text} ({unit})"
    return text


def _text_px(text: str) -> float:
    return sum(CJK_PX if ord(ch) > 0x2E7F else LATIN_PX for ch in str(text))


NOTE_COLUMNS = {"note", "notes", "description", "processing", "comment"}


def _is_missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT


def display_frame(frame: pd.DataFrame, lang: str, units: dict[str, str] | None = None, *, raw: bool = False,
                  hide: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """The table as shown: reader columns with translated headers (unit in brackets), quality in words, no
    ``None``. ``raw=True`` keeps every column and value as stored (headers still translated). ``keep``: code
    columns a page wants to show anyway; ``hide``: more columns to leave out."""
    units = units or {}
    out = frame.copy()
    if not raw:
        drop = [c for c in out.columns if (c in CODE_COLUMNS and c not in keep) or c in hide]
        out = out.drop(columns=drop)
        if lang != "en":   # processing notes written in English: known ones in Chinese, the rest in the raw view only
            unread = []
            for c in [c for c in out.columns if c in NOTE_COLUMNS]:
                had_text = any(note_in(v, "en") for v in out[c])
                out[c] = [note_in(v, lang) for v in out[c]]
                if had_text and not any(out[c]):
                    unread.append(c)
            out = out.drop(columns=unread)
        for c in out.columns:
            if c in VALUE_WORDS:
                words = VALUE_WORDS[c]
                out[c] = [pick(*words[v], lang) if isinstance(v, str) and v in words else v for v in out[c]]
            if c in QUALITY_COLUMNS:
                out[c] = [("" if _is_missing(q) or q == "" else
                           ", ".join(t(f"quality.{p.strip()}", lang) for p in str(q).split(",") if p.strip()))
                          for q in out[c]]
            elif out[c].isna().all():
                out[c] = [""] * len(out)
            elif out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype):
                out[c] = ["" if _is_missing(v) or str(v) in ("None", "nan", "NaN", "<NA>") else v for v in out[c]]
    labels = {c: column_label(c, lang, units.get(c)) for c in out.columns}
    seen: dict[str, int] = {}
    for c, lab in labels.items():            # two columns must not end up with the same header
        seen[lab] = seen.get(lab, 0) + 1
        if seen[lab] > 1:
            labels[c] = f"{lab} {seen[lab]}"
    return out.rename(columns=labels)


def _decimals(series: pd.Series) -> int:
    vals = pd.to_numeric(series, errors="coerce").dropna()
    if vals.empty or (vals == vals.round(0)).all():
        return 0
    if (vals.abs() < 1).all() and (vals != 0).any():
        return 3
    return 2


def number_formats(shown: pd.DataFrame, original_names: dict[str, str] | None = None) -> dict[str, tuple[str, int]]:
    """printf format and pixel width for every numeric column of the shown frame (header → (format, width)).
    Quantities get thousands separators; year-like columns do not. The width fits the longest formatted value
    and the header, so no digit is cut."""
    original_names = original_names or {}
    out: dict[str, tuple[str, int]] = {}
    for col in shown.columns:
        s = shown[col]
        if not (pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)):
            continue
        base = original_names.get(col, col)
        d = _decimals(s)
        if base in YEAR_LIKE or str(base).endswith("_year"):
            fmt, sample = "%d", [f"{int(v)}" for v in s.dropna()]
        else:
            fmt = f"%,.{d}f" if d else "%,d"
            sample = [f"{v:,.{d}f}" for v in pd.to_numeric(s, errors="coerce").dropna()]
        widest = max([_text_px(x) for x in sample] or [0.0])
        width = int(max(widest, _text_px(col)) + PAD_PX)
        out[col] = (fmt, width)
    return out


def table_bytes(shown: pd.DataFrame, fmt: str) -> bytes:
    """The shown table as CSV (UTF-8 with BOM) or XLSX, through the export package's writer (text cells a
    spreadsheet would run as formulas are neutralised; numbers stay numbers)."""
    from indicators.export.tables import write_frame

    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"table download format must be csv or xlsx (got {fmt!r})")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"table.{fmt}"
        write_frame(shown, path, fmt, sheet_name="table")
        return path.read_bytes()


MIMES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def show_table(frame: pd.DataFrame, key: str, lang: str, *, units: dict[str, str] | None = None,
               keep: tuple[str, ...] = (), hide: tuple[str, ...] = (), column_config: dict | None = None,
               file_stem: str = "table", raw_switch: bool = True, height: int | str = "auto") -> pd.DataFrame:
    """Draw ``frame`` as a briefing-grade table with a raw-view switch and CSV/XLSX downloads of what is shown.
    ``column_config`` entries (by original column name) override the generated ones (e.g. a progress bar).
    Returns the shown frame."""
    from indicators.ui import url_state

    raw = False
    if raw_switch and any(c in CODE_COLUMNS or c in QUALITY_COLUMNS for c in frame.columns):
        raw_key = f"{key}_raw"
        url_state.seed(raw_key, kind="bool")
        raw = st.toggle(t("table.raw_view", lang), key=raw_key, help=t("table.raw_help", lang))
        url_state.publish(raw_key, raw, kind="bool")
    shown = display_frame(frame, lang, units, raw=raw, hide=hide, keep=keep)
    # shown headers -> original column names (display_frame keeps the order of the kept columns)
    kept = [c for c in frame.columns if raw or not ((c in CODE_COLUMNS and c not in keep) or c in hide)]
    names = dict(zip(shown.columns, kept))
    config: dict = {}
    for col, (fmt, width) in number_formats(shown, names).items():
        config[col] = st.column_config.NumberColumn(col, format=fmt, width=width, alignment="right")
    for orig, cfg in (column_config or {}).items():
        label = next((s for s, o in names.items() if o == orig), None)
        if label is not None:
            config[label] = cfg
    st.dataframe(shown, key=key, hide_index=True, column_config=config, height=height, placeholder="—")
    row = st.container(horizontal=True, gap="small")      # buttons at their own width, wrapping in a narrow column
    for fmt in ("csv", "xlsx"):
        row.download_button(t("table.download", lang, fmt=fmt.upper()), data=_cached_bytes(shown, fmt),
                            file_name=f"{file_stem}.{fmt}", mime=MIMES[fmt], key=f"{key}_dl_{fmt}", on_click="ignore",
                            width="content")
    return shown


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_bytes(shown: pd.DataFrame, fmt: str) -> bytes:
    return table_bytes(shown, fmt)
