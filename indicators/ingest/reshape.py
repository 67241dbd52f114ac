"""Grid + layout + options → one long frame of raw records, one per (data row, value column).

Every record keeps the file row and the column label it came from, so later errors can name them.
What the file says (value column header, row columns, a "单位：" row, a source footnote) wins over options.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.ingest.errors import ImportReport
from indicators.ingest.grid import Grid
from indicators.ingest.layout import Layout, non_empty_mask
from indicators.ingest.options import ImportOptions
from indicators.ingest.region_resolve import is_total_row

LONG_COLUMNS = ["row", "column", "region_raw", "year_raw", "indicator_raw", "unit_raw", "value_raw",
                "source_raw", "quality_raw", "note_raw", "year_column", "indicator_column", "unit_column"]


def to_long(grid: Grid, layout: Layout, options: ImportOptions, report: ImportReport) -> tuple[pd.DataFrame, int]:
    """(long frame, number of missing values skipped)."""
    body = grid.cells.iloc[layout.first_data_row:]
    rows = grid.row_numbers[layout.first_data_row:]
    if layout.skip_rows:
        keep = ~np.isin(np.arange(layout.first_data_row, len(grid.cells)), list(layout.skip_rows))
        body, rows = body[keep], rows[keep]
        for pos in sorted(layout.skip_rows)[:20]:
            report.warn(int(grid.row_numbers[pos]), None, "row with a single text cell (title, note or source line): skipped")
    region_index = layout.roles.get("code", layout.roles.get("region"))
    region = body[region_index]
    totals = region.map(is_total_row, na_action="ignore").fillna(False).astype(bool).to_numpy()
    if totals.any():
        report.warn(None, layout.labels[region_index], f"{int(totals.sum())} total row(s) (合计/全省/…) skipped")
        body, rows, region = body[~totals], rows[~totals], region[~totals]

    def role(name: str, default=None):
        index = layout.roles.get(name)
        if index is None:
            return pd.Series([default] * len(body), index=body.index, dtype=object)
        column = body[index]
        if default is not None:
            filled = non_empty_mask(column)
            column = column.astype(object).where(filled, default)
        return column

    year_col, ind_col, unit_col = role("year", options.year), role("indicator", options.indicator), role("unit")
    source_col = role("source", layout.source_hint or options.source)
    quality_col, note_col = role("quality", options.quality), role("note")
    frames, missing = [], 0
    for vc in layout.value_columns:
        values = body[vc.index]
        present = non_empty_mask(values).to_numpy()
        missing += int((~present).sum())
        if not present.any():
            continue
        sel = present
        frame = pd.DataFrame({
            "row": rows[sel],
            "column": vc.label,
            "region_raw": region.to_numpy()[sel],
            "year_raw": [vc.year] * int(sel.sum()) if vc.year is not None else year_col.to_numpy()[sel],
            "indicator_raw": [vc.indicator] * int(sel.sum()) if vc.indicator else ind_col.to_numpy()[sel],
            "unit_raw": (_fill_unit(unit_col.to_numpy()[sel], vc.unit or None, layout.file_unit, options.unit)),
            "value_raw": values.to_numpy()[sel],
            "source_raw": source_col.to_numpy()[sel],
            "quality_raw": quality_col.to_numpy()[sel],
            "note_raw": note_col.to_numpy()[sel],
        })
        frame["year_column"] = vc.label if vc.year is not None else layout.labels.get(layout.roles.get("year", -1), "year")
        frame["indicator_column"] = vc.label if vc.indicator else layout.labels.get(layout.roles.get("indicator", -1), "indicator")
        frame["unit_column"] = vc.label if vc.unit else layout.labels.get(layout.roles.get("unit", -1), "unit")
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=LONG_COLUMNS), missing
    return pd.concat(frames, ignore_index=True), missing


def _fill_unit(row_units: np.ndarray, column_unit: str | None, file_unit: str | None, option_unit: str | None):
    """Column header unit > unit column > '单位：' row > --unit; None means the canonical unit."""
    if column_unit:
        return [column_unit] * len(row_units)
    fallback = file_unit or option_unit
    if fallback is None:
        return row_units
    series = pd.Series(row_units, dtype=object)
    return series.where(non_empty_mask(series), fallback).to_numpy()
