"""Find the header of a table and what each column means.

Handles long form (region, year, indicator, value[, unit]), wide forms (years as columns — "2019年",
"2020" — or indicators as columns, with a unit in brackets), and yearbook sheets: a title row, a
"单位：亿元" row, a two-row header whose upper cells are merged over the year columns, footnote rows.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.ingest.cell_text import normalise_label, parse_year
from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.grid import Grid, non_empty_mask
from indicators.ingest.indicator_lookup import IndicatorTable, lookup_key, maybe_indicator
from indicators.ingest.units import split_bracketed_unit, unit_row_value

ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "code": ("代码", "行政区划代码", "区划代码", "地区代码", "城市代码", "code", "regioncode", "adcode", "areacode"),
    "region": ("地区", "城市", "地市", "市", "区域", "行政区", "行政区划", "地区名称", "城市名称", "市名", "名称", "地级市",
               "市州", "region", "city", "regionname", "cityname", "name", "prefecture"),
    "year": ("年份", "年", "年度", "统计年度", "时间", "year"),
    "indicator": ("指标", "指标名称", "统计指标", "项目", "indicator", "indicatorid", "variable", "series"),
    "value": ("数值", "值", "数据", "统计值", "数量", "value", "val"),
    "unit": ("单位", "计量单位", "unit", "units"),
    "source": ("来源", "数据来源", "资料来源", "source", "sourceid"),
    "quality": ("质量", "数据质量", "quality", "qualityflag"),
    "note": ("备注", "注", "说明", "note", "notes", "remark", "remarks", "comment"),
}
_ROLE_BY_KEY = {lookup_key(name): role for role, names in ROLE_NAMES.items() for name in names}
_YEAR_PREFIX = re.compile(r"^(\d{4})\s*年(?:末|度)?\s*(.+)$")
_SOURCE_LINE = re.compile(r"^(?:资料|数据)?来源\s*[:：]\s*(.+)$|^source\s*[:：]\s*(.+)$", re.IGNORECASE)
_INDICATOR_LINE = re.compile(r"^(?:指标|indicator)\s*[:：]\s*(.+)$", re.IGNORECASE)
_NOTE_LINE = re.compile(r"^(注|说明|备注|note)\s*[:：0-9１-９]", re.IGNORECASE)
MAX_HEADER_SCAN = 30


@dataclass
class ValueColumn:
    index: int
    label: str
    indicator: str | None = None
    year: int | None = None
    unit: str | None = None


@dataclass
class Layout:
    first_data_row: int
    roles: dict[str, int] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    value_columns: list[ValueColumn] = field(default_factory=list)
    file_unit: str | None = None
    title: str | None = None
    source_hint: str | None = None
    indicator_hint: str | None = None                   # from a "指标：…" line above the header
    skip_rows: set[int] = field(default_factory=set)   # grid positions of footnote/sub-heading rows


def header_label(value) -> str:
    """Text of a header cell; a date typed in Excel (2020-01-01) stands for its year."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return f"{value.year}年"
    return normalise_label(value)


def _non_empty(row) -> list[tuple[int, str]]:
    out = []
    for i, v in enumerate(row):
        text = header_label(v)
        if text:
            out.append((i, text))
    return out


def classify_header_text(text: str, table: IndicatorTable) -> dict:
    """What one header cell says: a role, a year, an indicator, a unit (any combination)."""
    text = normalise_label(text)
    if not text:
        return {}
    role = _ROLE_BY_KEY.get(lookup_key(text))
    if role:
        return {"role": role}
    label, unit = split_bracketed_unit(text)
    out: dict = {}
    if unit:
        out["unit"] = unit
    year = parse_year(label)
    if year is not None:
        out["year"] = year
        return out
    match = _YEAR_PREFIX.match(label)
    if match:
        ind = maybe_indicator(match.group(2), table)
        if ind:
            out.update(year=int(match.group(1)), indicator=ind)
            return out
    ind = maybe_indicator(label, table)
    if ind:
        out["indicator"] = ind
    return out


def _header_score(cells: list[tuple[int, str]], table: IndicatorTable) -> int:
    return sum(1 for _, text in cells if classify_header_text(text, table))


def detect_layout(grid: Grid, table: IndicatorTable, report: ImportReport) -> Layout:
    if grid.header is not None:
        return _classify_columns([[h] for h in grid.header], 0, table, report, Layout(first_data_row=0))
    cells = grid.cells
    layout = Layout(first_data_row=0)
    scan = min(len(cells), MAX_HEADER_SCAN)
    header_at = None
    for pos in range(scan):
        row = _non_empty(cells.iloc[pos].tolist())
        if not row:
            continue
        if len(row) <= 2 and unit_row_value(row[0][1] if len(row) == 1 else row[-1][1]):
            layout.file_unit = unit_row_value(row[-1][1]) if len(row) == 2 else unit_row_value(row[0][1])
            if len(row) == 2 and layout.title is None:
                layout.title = row[0][1]
            continue
        if len({text for _, text in row}) == 1:   # one cell, or one cell merged across the table
            text = row[0][1]
            indicator_line = _INDICATOR_LINE.match(text)
            source_line = _SOURCE_LINE.match(text)
            if indicator_line:      # the NBS export's "指标：地区生产总值(亿元)"
                label, unit = split_bracketed_unit(indicator_line.group(1).strip())
                layout.indicator_hint = label
                layout.file_unit = layout.file_unit or unit
            elif source_line:
                layout.source_hint = (source_line.group(1) or source_line.group(2)).strip()
            elif layout.title is None:
                layout.title = text
            continue
        if _header_score(row, table) >= 2 or (_header_score(row, table) >= 1 and row[0][0] > 0):
            header_at = pos
            break
    if header_at is None:
        raise IngestError("cannot find the header row in the first rows: expected column names such as "
                          "地区/城市/region, 年份/year or years (2019年), 指标/indicator, 数值/value, or indicator names",
                          report)
    header_rows = [cells.iloc[header_at].tolist()]
    nxt = header_at + 1
    if nxt < len(cells) and _is_second_header_row(cells.iloc[header_at].tolist(), cells.iloc[nxt].tolist(), table):
        header_rows.append(cells.iloc[nxt].tolist())
        nxt += 1
    columns = [[header_label(r[i]) if i < len(r) else "" for r in header_rows] for i in range(len(cells.columns))]
    layout.first_data_row = nxt
    layout = _classify_columns(columns, nxt, table, report, layout)
    _find_footnotes(grid, layout)
    return layout


def _is_second_header_row(upper: list, lower: list, table: IndicatorTable) -> bool:
    """The row under the header continues it: it adds years/indicators under merged cells and has no data."""
    adds = 0
    for i, value in enumerate(lower):
        text = header_label(value)
        above = header_label(upper[i]) if i < len(upper) else ""
        if not text or text == above:
            continue  # empty, or a vertically merged header cell
        info = classify_header_text(text, table)
        if not info or "role" in info:
            return False
        adds += 1
    return adds > 0


def _classify_columns(columns: list[list[str]], first_data_row: int, table: IndicatorTable,
                      report: ImportReport, layout: Layout) -> Layout:
    layout.first_data_row = first_data_row
    unknown: list[str] = []
    for index, parts in enumerate(columns):
        texts = [t for t in dict.fromkeys(normalise_label(p) for p in parts) if t]
        label = " / ".join(texts) if texts else f"column {index + 1}"
        layout.labels[index] = label
        infos = [classify_header_text(t, table) for t in texts]
        role = next((i["role"] for i in infos if "role" in i), None)
        if role:
            if role in layout.roles:
                report.warn(None, label, f"second {role} column ignored (using {layout.labels[layout.roles[role]]!r})")
            else:
                layout.roles[role] = index
            continue
        merged: dict = {}
        for info in infos:
            for key, value in info.items():
                merged.setdefault(key, value)
        if "year" in merged or "indicator" in merged:
            layout.value_columns.append(ValueColumn(index, label, merged.get("indicator"), merged.get("year"),
                                                    merged.get("unit")))
        else:
            unknown.append(label)
    if "region" not in layout.roles and "code" not in layout.roles and all(vc.index != 0 for vc in layout.value_columns):
        layout.roles["region"] = 0   # yearbooks often leave the top-left header cell blank
        if layout.labels[0] in unknown:
            unknown.remove(layout.labels[0])
            if columns[0] and any(columns[0]):
                report.warn(None, layout.labels[0], "no column named 地区/城市/region: reading the first column as regions")
    if "value" in layout.roles:
        index = layout.roles.pop("value")
        layout.value_columns.insert(0, ValueColumn(index, layout.labels[index]))
    for label in (u for u in unknown if not u.startswith("column ")):
        report.warn(None, label, "column not recognised (not a region, year, indicator or value column): ignored")
    if "region" not in layout.roles and "code" not in layout.roles:
        raise IngestError("no region column: name one 地区, 城市, region or code", report)
    if not layout.value_columns:
        raise IngestError("no value column: expected a 数值/value column, year columns (2019年) or indicator columns "
                          "(地区生产总值（亿元）)", report)
    return layout


def _find_footnotes(grid: Grid, layout: Layout) -> None:
    """Data-area rows with a single filled cell: '资料来源：…' gives the source; others are skipped."""
    cells = grid.cells.iloc[layout.first_data_row:]
    if cells.empty:
        return
    counts = sum(non_empty_mask(cells[c]).to_numpy(dtype=int) for c in cells.columns)
    region_col = layout.roles.get("code", layout.roles.get("region"))
    for offset in (counts == 1).nonzero()[0]:
        pos = layout.first_data_row + int(offset)
        row = grid.cells.iloc[pos]
        filled = [(i, v) for i, v in enumerate(row.tolist()) if normalise_label(v)]
        if len(filled) != 1:
            continue
        index, value = filled[0]
        text = normalise_label(value)
        match = _SOURCE_LINE.match(text)
        if match:
            layout.source_hint = (match.group(1) or match.group(2)).strip()
            layout.skip_rows.add(pos)
        elif _NOTE_LINE.match(text) or index != region_col:
            layout.skip_rows.add(pos)


def check_unnamed_columns(grid: Grid, layout: Layout, report: ImportReport, strict: bool) -> None:
    """Cells under a blank header. In a CSV they mean a stray delimiter (an unquoted '2,404.1' splits a value
    in two): an error per row (``strict``). In a spreadsheet they are usually side notes: a warning."""
    used = set(layout.roles.values()) | {vc.index for vc in layout.value_columns}
    body = grid.cells.iloc[layout.first_data_row:]
    for index in body.columns:
        if index in used or not layout.labels.get(index, "").startswith("column "):
            continue
        filled = non_empty_mask(body[index]).to_numpy()
        filled = filled & ~pd.Index(range(layout.first_data_row, len(grid.cells))).isin(list(layout.skip_rows))
        if not filled.any():
            continue
        rows = grid.row_numbers[layout.first_data_row:][filled]
        if strict:
            report.error_many(rows, [layout.labels[index]] * len(rows),
                              ["more fields than the header has columns (a stray comma, e.g. an unquoted "
                               "thousands separator like 2,404.1?)"] * len(rows), body[index].to_numpy()[filled])
        else:
            report.warn(int(rows[0]), layout.labels[index], f"{len(rows)} cell(s) under a blank header: ignored")


def header_frame_preview(layout: Layout) -> pd.DataFrame:
    """How each column was understood (for the dry-run printout and the Data page)."""
    rows = []
    for role, index in layout.roles.items():
        rows.append((layout.labels[index], role, None, None, None))
    for vc in layout.value_columns:
        rows.append((vc.label, "value", vc.indicator, vc.year, vc.unit))
    return pd.DataFrame(rows, columns=["column", "role", "indicator", "year", "unit"])
