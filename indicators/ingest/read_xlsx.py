"""XLSX bytes → Grid, defensively.

Before openpyxl sees the file: it must be a readable zip (a truncated download is not), contain an
Excel workbook, and not expand beyond a bound (a zip bomb renamed .xlsx). Merged cells are filled with
their top-left value (yearbook headers merge "地区生产总值（亿元）" across its year columns). Formulas:
the cached value Excel saved is used; a formula without a cached value is an error for that cell.
"""
from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pandas as pd

from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.grid import Grid, trim_empty
from indicators.ingest.limits import (MAX_XLSX_MEMBER_RATIO, MAX_XLSX_MEMBERS, MAX_XLSX_UNCOMPRESSED_BYTES,
                                      Limits)

# Below this size the workbook is loaded in full mode (merged cells, formula detection); above it,
# in openpyxl's streaming read-only mode (neither is available there, and both are rare in big files).
FULL_MODE_MAX_BYTES = 8 * 1024 * 1024
MAX_MERGED_CELLS = 1_000_000


def check_zip_container(data: bytes, report: ImportReport) -> set[str]:
    """Raise IngestError unless ``data`` is an intact, reasonably sized XLSX zip. Returns the features the
    worksheets use: 'merged' (merged cells) and 'formula' (formula cells)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise IngestError("truncated or corrupt XLSX: the file is not a complete zip archive "
                          "(re-download or re-save it from Excel)", report) from None
    except (OSError, ValueError, EOFError) as exc:
        raise IngestError(f"truncated or corrupt XLSX ({exc})", report) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise IngestError(f"XLSX has {len(members)} parts; refusing (suspicious archive)", report)
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            raise IngestError("this zip archive is not an Excel workbook (no xl/workbook.xml)", report)
        total = sum(m.file_size for m in members)
        if total > MAX_XLSX_UNCOMPRESSED_BYTES:
            raise IngestError(f"XLSX would expand to {total / 1024 / 1024:.0f} MB (limit "
                              f"{MAX_XLSX_UNCOMPRESSED_BYTES / 1024 / 1024:.0f} MB): refusing a possible zip bomb", report)
        for m in members:
            if m.file_size > 1024 * 1024 and m.file_size > MAX_XLSX_MEMBER_RATIO * max(m.compress_size, 1):
                raise IngestError(f"XLSX part {m.filename} compresses {m.file_size / max(m.compress_size, 1):.0f}:1 "
                                  "(limit 200:1): refusing a possible zip bomb", report)
        bad, features = _scan_members(archive, members)
        if bad:
            raise IngestError(f"truncated or corrupt XLSX: part {bad} is damaged", report)
        if "xl/styles.xml" in names and _uses_percent_format(archive.read("xl/styles.xml")):
            features.add("percent")
        return features


def _uses_percent_format(styles: bytes) -> bool:
    """Built-in percent formats (ids 9, 10) or a custom format code with '%' referenced by the styles."""
    return b'numFmtId="9"' in styles or b'numFmtId="10"' in styles or re.search(rb'formatCode="[^"]*%', styles) is not None


_MARKERS = {b"<mergeCell ": "merged", b"<f>": "formula", b"<f ": "formula"}


def _scan_members(archive: zipfile.ZipFile, members) -> tuple[str | None, set[str]]:
    """Decompress every part (a damaged one fails its CRC) and note merged cells / formulas in worksheets."""
    features: set[str] = set()
    for m in members:
        sheet = m.filename.startswith("xl/worksheets/")
        tail = b""
        try:
            with archive.open(m) as handle:
                while chunk := handle.read(1 << 20):
                    if sheet:
                        window = tail + chunk
                        features.update(name for marker, name in _MARKERS.items() if marker in window)
                        tail = chunk[-16:]
        except Exception:  # BadZipFile, zlib.error, EOFError, CRC mismatch ...
            return m.filename, features
    return None, features


def read_xlsx_bytes(data: bytes, report: ImportReport, limits: Limits, sheet: str | None = None) -> Grid:
    features = check_zip_container(data, report)
    import openpyxl

    # openpyxl's full mode (needed for merged cells) is ~3x slower than its streaming read-only mode
    full = "merged" in features and len(data) <= FULL_MODE_MAX_BYTES
    if "merged" in features and not full:
        report.warn(None, None, "large workbook with merged cells: merged header cells are not filled; "
                                "unmerge them if the header is not recognised")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=not full)
        ws = _pick_sheet(book, sheet, report)
        rows = _sheet_rows(ws, limits, report, percent_formats="percent" in features)
        formulas = None
        if "formula" in features:
            formula_book = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
            formulas = _formula_cells(formula_book[ws.title])
    except IngestError:
        raise
    except Exception as exc:  # openpyxl raises a zoo of types on damaged content
        raise IngestError(f"cannot read the XLSX workbook ({type(exc).__name__}: {exc})", report) from None
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], columns=range(width), dtype=object)
    if full:
        _fill_merged(ws, cells)
    if formulas:
        _check_formulas(formulas, cells, report)
    cells = trim_empty(cells)
    return Grid(cells=cells, row_numbers=np.arange(1, len(cells) + 1))


def _pick_sheet(book, sheet: str | None, report: ImportReport):
    if sheet:
        if sheet not in book.sheetnames:
            raise IngestError(f"no sheet named {sheet!r}; the workbook has {', '.join(book.sheetnames)}", report)
        return book[sheet]
    if len(book.sheetnames) > 1:
        report.warn(None, None, f"workbook has {len(book.sheetnames)} sheets; reading the first, "
                                f"{book.sheetnames[0]!r} (choose another with the sheet option)")
    return book.worksheets[0]


def _sheet_rows(ws, limits: Limits, report: ImportReport, percent_formats: bool = False) -> list[tuple]:
    """Cell values row by row. With percent number formats in the workbook, a number shown as 65.2% (stored
    as 0.652) becomes the text '65.2%', so it is read as a percentage (and refused for non-% indicators)."""
    rows: list[tuple] = []
    source = ws.iter_rows(values_only=True) if not percent_formats else (
        tuple(_shown_value(c) for c in row) for row in ws.iter_rows())
    for row in source:
        rows.append(row)
        if len(rows) > limits.max_rows + 50:
            message = limits.rows_message(len(rows))
            raise IngestError(message or "too many rows", report)
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    return rows


def _shown_value(cell):
    value = getattr(cell, "value", None)
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        return f"{round(value * 100, 10)!r}%"
    return value


def _fill_merged(ws, cells: pd.DataFrame) -> None:
    filled = 0
    for rng in ws.merged_cells.ranges:
        r0, c0 = rng.min_row - 1, rng.min_col - 1
        if r0 >= len(cells) or c0 >= len(cells.columns):
            continue
        top_left = cells.iat[r0, c0]
        for r in range(r0, min(rng.max_row, len(cells))):
            for c in range(c0, min(rng.max_col, len(cells.columns))):
                filled += 1
                if filled > MAX_MERGED_CELLS:
                    return
                cells.iat[r, c] = top_left


def _formula_cells(ws) -> list[tuple[int, int, str]]:
    """(row, column, formula) of every formula cell (1-based), read in streaming mode."""
    out = []
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and value.startswith("="):
                out.append((r, c, value))
    return out


def _check_formulas(formulas: list[tuple[int, int, str]], cells: pd.DataFrame, report: ImportReport) -> None:
    from openpyxl.utils import get_column_letter

    cached = 0
    for row, col, formula in formulas:
        r, c = row - 1, col - 1
        if r >= len(cells) or c >= len(cells.columns):
            continue
        if cells.iat[r, c] is None:
            report.error(row, get_column_letter(col), "formula without cached value (open and save the file in "
                                                      "Excel, or paste values)", formula)
        else:
            cached += 1
    if cached:
        report.warn(None, None, f"{cached} formula cell(s): using the values Excel saved with them")
