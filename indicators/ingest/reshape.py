"""Grid + layout + options → one long frame of raw records, one per (data row, value column).

Every record keeps the file row and the column label it came from, so later errors can name them.
What the file says (value column header, row columns, a "单位：" row, a source footnote) wins over options.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.ingest.errors import ImportReport
from indicators.ingest.grid import Grid
from indicators.ingest.grid import non_empty_mask
from indicators.ingest.layout import Layout
from indicators.ingest.options import ImportOptions
from indicators.ingest.normalise import map_unique_values
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
    totals = map_unique_values(region, lambda raw: raw is not None and is_total_row(raw)).to_numpy(dtype=bool)
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

    year_col, ind_col, unit_col = role("year", options.year), role("indicator", layout.indicator_hint or options.indicator), role("unit")
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
        n = int(sel.sum())
        frame = pd.DataFrame({
            "row": rows[sel],
            "column": _objects([vc.label] * n),
            "region_raw": _objects(region.to_numpy(dtype=object)[sel]),
            "year_raw": _objects([vc.year] * n if vc.year is not None else year_col.to_numpy(dtype=object)[sel]),
            "indicator_raw": _objects([vc.indicator] * n if vc.indicator else ind_col.to_numpy(dtype=object)[sel]),
            "unit_raw": _objects(_fill_unit(unit_col.to_numpy(dtype=object)[sel], vc.unit or None, layout.file_unit,
                                            options.unit)),
            "value_raw": values.to_numpy()[sel] if pd.api.types.is_numeric_dtype(values.dtype)
            else _objects(values.to_numpy(dtype=object)[sel]),
            "source_raw": _objects(source_col.to_numpy(dtype=object)[sel]),
            "quality_raw": _objects(quality_col.to_numpy(dtype=object)[sel]),
            "note_raw": _objects(note_col.to_numpy(dtype=object)[sel]),
        })
        for name, own, role_name in (("year_column", vc.year is not None, "year"),
                                     ("indicator_column", bool(vc.indicator), "indicator"),
                                     ("unit_column", bool(vc.unit), "unit")):
            label = vc.label if own else layout.labels.get(layout.roles.get(role_name, -1), role_name)
            frame[name] = _objects([label] * n)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=LONG_COLUMNS), missing
    return pd.concat(frames, ignore_index=True), missing


def _objects(values) -> pd.Series:
    """An object-dtype column (pandas 3 would otherwise convert text to Arrow strings and back: slow)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _fill_unit(row_units: np.ndarray, column_unit: str | None, file_unit: str | None, option_unit: str | None):
    """Column header unit > unit column > '单位：' row > --unit; None means the canonical unit."""
    if column_unit:
        return [column_unit] * len(row_units)
    fallback = file_unit or option_unit
    if fallback is None:
        return row_units
    series = pd.Series(row_units, dtype=object)
    return series.where(non_empty_mask(series), fallback).to_numpy()
