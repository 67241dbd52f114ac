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
from indicators.ingest.limits import (MAX_XLSX_CELLS, MAX_XLSX_MEMBER_RATIO, MAX_XLSX_MEMBERS,
                                      MAX_XLSX_MERGED_CELLS, MAX_XLSX_SHARED_STRINGS, MAX_XLSX_SHARED_STRINGS_BYTES,
                                      MAX_XLSX_UNCOMPRESSED_BYTES, Limits)

# Below this size the workbook is loaded in full mode (merged cells, formula detection); above it,
# in openpyxl's streaming read-only mode (neither is available there, and both are rare in big files).
FULL_MODE_MAX_BYTES = 8 * 1024 * 1024
MAX_MERGED_CELLS = 1_000_000


def check_zip_container(data: bytes, report: ImportReport, limits: Limits | None = None) -> set[str]:
    """Raise IngestError unless ``data`` is an intact XLSX zip within every budget. Returns the features the
    worksheets use: 'merged' (merged cells), 'formula' (formula cells), 'percent' (percent formats).

    Every part is decompressed here as a stream (a damaged one fails its CRC) while its expanded bytes, the
    worksheets' cells, the shared strings and the merged area are counted; the first budget exceeded stops
    the stream at once, so a bomb costs at most the budget's worth of decompression (about a second)."""
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
            raise IngestError(f"XLSX has {len(members)} parts, above the limit of {MAX_XLSX_MEMBERS:,}: "
                              "refusing a suspicious archive", report)
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            raise IngestError("this zip archive is not an Excel workbook (no xl/workbook.xml)", report)
        total = sum(m.file_size for m in members)
        if total > MAX_XLSX_UNCOMPRESSED_BYTES:
            raise IngestError(f"XLSX would expand to {total / 1024 / 1024:.0f} MB (limit "
                              f"{MAX_XLSX_UNCOMPRESSED_BYTES / 1024 / 1024:.0f} MB of expanded parts): "
                              "refusing a possible zip bomb", report)
        for m in members:
            if m.file_size > 1024 * 1024 and m.file_size > MAX_XLSX_MEMBER_RATIO * max(m.compress_size, 1):
                raise IngestError(f"XLSX part {m.filename} compresses {m.file_size / max(m.compress_size, 1):.0f}:1 "
                                  f"(limit {MAX_XLSX_MEMBER_RATIO:.0f}:1): refusing a possible zip bomb", report)
            if m.filename == "xl/sharedStrings.xml" and m.file_size > MAX_XLSX_SHARED_STRINGS_BYTES:
                raise IngestError(_shared_strings_message(m.file_size), report)
        features = _scan_members(archive, members, report, limits)
        if "xl/styles.xml" in names and _uses_percent_format(archive.read("xl/styles.xml")):
            features.add("percent")
        return features


def _shared_strings_message(size: int) -> str:
    return (f"XLSX shared strings expand to more than {size / 1024 / 1024:.0f} MB (limit "
            f"{MAX_XLSX_SHARED_STRINGS_BYTES / 1024 / 1024:.0f} MB of text): refusing a possible zip bomb; "
            "save the sheet as CSV if it really holds that much text")


def _uses_percent_format(styles: bytes) -> bool:
    """Built-in percent formats (ids 9, 10) or a custom format code with '%' referenced by the styles."""
    return b'numFmtId="9"' in styles or b'numFmtId="10"' in styles or re.search(rb'formatCode="[^"]*%', styles) is not None


_MARKERS = {b"<mergeCell ": "merged", b"<f>": "formula", b"<f ": "formula"}
_MERGE_REF = re.compile(rb'<mergeCell ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_CELL = re.compile(rb"<c[ >/]")
_SHARED = re.compile(rb"<si[ >/]")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _scan_members(archive: zipfile.ZipFile, members, report: ImportReport, limits: Limits | None) -> set[str]:
    """Decompress every part as a stream with budgets; note merged cells / formulas in worksheets."""
    features: set[str] = set()
    expanded = cells = strings = merged = 0
    for m in members:
        sheet = m.filename.startswith("xl/worksheets/")
        shared = m.filename == "xl/sharedStrings.xml"
        tail = b""
        part = 0
        try:
            with archive.open(m) as handle:
                while chunk := handle.read(1 << 20):
                    expanded += len(chunk)
                    part += len(chunk)
                    if expanded > MAX_XLSX_UNCOMPRESSED_BYTES:
                        raise IngestError(f"XLSX parts expand beyond {MAX_XLSX_UNCOMPRESSED_BYTES / 1024 / 1024:.0f} MB "
                                          "(limit of expanded parts): refusing a possible zip bomb", report)
                    window = tail + chunk
                    if sheet:
                        features.update(name for marker, name in _MARKERS.items() if marker in window)
                        cells += len(_CELL.findall(chunk))
                        if cells > MAX_XLSX_CELLS:
                            raise IngestError(f"XLSX sheets hold more than {MAX_XLSX_CELLS:,} cells (limit of cells "
                                              "per workbook): split the workbook or save the sheet as CSV", report)
                        for hit in _MERGE_REF.finditer(window):
                            if hit.end() <= len(tail):      # counted with the previous chunk
                                continue
                            c0, r0, c1, r1 = hit.groups()
                            merged += ((abs(_column_number(c1) - _column_number(c0)) + 1)
                                       * (abs(int(r1) - int(r0)) + 1))
                        if merged > MAX_XLSX_MERGED_CELLS:
                            raise IngestError(f"XLSX merged ranges cover more than {MAX_XLSX_MERGED_CELLS:,} cells "
                                              "(limit of merged cells): unmerge the cells and save again", report)
                    elif shared:
                        strings += len(_SHARED.findall(chunk))
                        if part > MAX_XLSX_SHARED_STRINGS_BYTES:
                            raise IngestError(_shared_strings_message(part), report)
                        if strings > MAX_XLSX_SHARED_STRINGS:
                            raise IngestError(f"XLSX declares more than {MAX_XLSX_SHARED_STRINGS:,} distinct strings "
                                              "(limit of shared strings): save the sheet as CSV", report)
                    tail = chunk[-64:]
                    if limits is not None:
                        _check_time(limits, "checking the XLSX parts", report)
        except IngestError:
            raise
        except Exception:  # BadZipFile, zlib.error, EOFError, CRC mismatch ...
            raise IngestError(f"truncated or corrupt XLSX: part {m.filename} is damaged "
                              "(re-download or re-save it from Excel)", report) from None
    return features


def _check_time(limits: Limits, stage: str, report: ImportReport) -> None:
    message = limits.time_message(stage)
    if message:
        raise IngestError(message, report)


def read_xlsx_bytes(data: bytes, report: ImportReport, limits: Limits, sheet: str | None = None) -> Grid:
    features = check_zip_container(data, report, limits)
    import openpyxl

    # openpyxl's full mode (needed for merged cells) is ~3x slower than its streaming read-only mode
    full = "merged" in features and len(data) <= FULL_MODE_MAX_BYTES
    if "merged" in features and not full:
        report.warn(None, None, "large workbook with merged cells: merged header cells are not filled; "
                                "unmerge them if the header is not recognised")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=not full)
        ws = _pick_sheet(book, sheet, report)
        if full:
            _check_extent(ws.max_row, ws.max_column, limits, report)
        else:
            # the <dimension> element is whatever the writer claims (A1:XFD1048576 pads every row to
            # 16,384 cells): ignore it and take each row as long as its last stored cell
            ws.reset_dimensions()
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
        if len(row) > limits.max_columns:
            width = len(row)
            while width > limits.max_columns and (row[width - 1] is None or row[width - 1] == ""):
                width -= 1          # trailing empty cells a writer stored
            message = limits.columns_message(width, f"sheet {ws.title!r}, row {len(rows) + 1},")
            if message:
                raise IngestError(message, report)
            row = row[:width]
        rows.append(row)
        if len(rows) > limits.max_rows + 50:
            message = limits.rows_message(len(rows))
            raise IngestError(message or "too many rows", report)
        if len(rows) % 4096 == 0:
            _check_time(limits, f"reading sheet {ws.title!r} (row {len(rows):,})", report)
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()
    return rows


def _check_extent(max_row: int | None, max_column: int | None, limits: Limits, report: ImportReport) -> None:
    """Full mode iterates the sheet's whole rectangle: refuse one wider or larger than the budgets."""
    rows, cols = int(max_row or 0), int(max_column or 0)
    message = limits.columns_message(cols, "the sheet") or limits.rows_message(rows)
    if not message and rows * cols > MAX_XLSX_CELLS:
        message = (f"the sheet spans {rows:,} rows × {cols:,} columns, more than {MAX_XLSX_CELLS:,} cells "
                   "(limit of cells per workbook)")
    if message:
        raise IngestError(message, report)


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
    ws.reset_dimensions()   # see read_xlsx_bytes: never pad rows to a claimed dimension
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


_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')


def sheet_names(data: bytes) -> list[str]:
    """The sheet names of an XLSX, read from xl/workbook.xml alone (cheap; [] when not a readable workbook).
    The Data page offers them as choices before anything is parsed."""
    import html

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 8 * 1024 * 1024:
                return []
            text = archive.read(info)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return []
    except Exception:  # zlib.error and friends: a damaged part
        return []
    return [html.unescape(n.decode("utf-8", "replace")) for n in _SHEET_NAME.findall(text)]
