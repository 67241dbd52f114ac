"""CSV/TSV text → Grid (header rows stay inside the grid; the layout step finds them)."""
from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.grid import Grid, trim_empty
from indicators.ingest.limits import Limits

_DELIMITERS = [",", "\t", ";", "|", "，"]
_HEAD_LINES = 200


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number (>1) of fields."""
    head = text[:65536].splitlines()[:50]
    best, best_score = ",", -1.0
    for delim in _DELIMITERS:
        counts = [len(row) for row in csv.reader(head, delimiter=delim) if any(c.strip() for c in row)]
        if not counts:
            continue
        widest = max(counts)
        if widest < 2:
            continue
        score = sum(1 for c in counts if c == widest) + widest / 100
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv_text(text: str, report: ImportReport, limits: Limits) -> Grid:
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    message = limits.rows_message(lines - 1)
    if message:
        raise IngestError(message, report)
    if not text.strip():
        raise IngestError("the file is empty", report)
    delimiter = sniff_delimiter(text)
    if delimiter == "，":
        text = text.replace("，", ",")
        delimiter = ","
    width = _head_width(text, delimiter, limits, report)
    try:
        cells = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, names=list(range(width)), dtype=object,
            keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
            quotechar='"', on_bad_lines="error",
        )
    except pd.errors.ParserError as exc:
        row, reason = _parser_error_location(str(exc))
        report.error(row, None, reason)
        raise IngestError("cannot parse the CSV", report) from None
    except (ValueError, MemoryError) as exc:
        raise IngestError(f"cannot parse the CSV ({type(exc).__name__}: {exc})", report) from None
    cells = trim_empty(cells)
    return Grid(cells=cells, row_numbers=np.arange(1, len(cells) + 1))


def _head_lines(text: str, count: int) -> list[str]:
    """The first ``count`` whole lines (not cut at a byte budget: a 200,000-column header is one line)."""
    lines, start = [], 0
    while len(lines) < count and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        lines.append(text[start:end].rstrip("\r\n"))
        start = end
    return lines


def _head_width(text: str, delimiter: str, limits: Limits, report: ImportReport) -> int:
    """The widest of the first lines, with the column cap checked before any parser allocates a column:
    a quick count of delimiters first, the exact CSV count (quotes respected) only for a line over the cap.
    Wider lines further down are refused by the parser as rows with too many fields."""
    head = [piece for line in _head_lines(text, _HEAD_LINES) for piece in line.splitlines()][:_HEAD_LINES]
    for number, line in enumerate(head, start=1):
        if line.count(delimiter) + 1 > limits.max_columns:
            try:
                exact = max((len(r) for r in csv.reader([line], delimiter=delimiter)), default=1)
            except csv.Error:
                exact = line.count(delimiter) + 1
            message = limits.columns_message(exact, f"row {number}")
            if message:
                raise IngestError(message, report)
    try:
        return max((len(row) for row in csv.reader(head, delimiter=delimiter)), default=1)
    except csv.Error:
        return max((line.count(delimiter) + 1 for line in head), default=1)


def _parser_error_location(message: str) -> tuple[int | None, str]:
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if match:
        expected, line, saw = match.groups()
        return int(line), f"row has {saw} fields where the table has {expected} (a stray delimiter or missing quotes?)"
    return None, f"CSV parse error: {message.strip()}"
