"""Get the bytes of an upload (path, bytes or file object) with the size limit checked first, then
dispatch on the content (magic bytes), not the file name."""
from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, Union

from indicators.ingest.decode_text import decode_text, looks_binary
from indicators.ingest.errors import ImportReport, IngestError
from indicators.ingest.grid import Grid
from indicators.ingest.limits import Limits
from indicators.ingest.read_csv import read_csv_text
from indicators.ingest.read_parquet import read_parquet_bytes
from indicators.ingest.read_xlsx import read_xlsx_bytes

Source = Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO]


def load_bytes(source: Source, limits: Limits, report: ImportReport) -> bytes:
    """The file's bytes; IngestError when it is bigger than the limit (checked before reading it all)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        _check_size(len(data), limits, report)
        return data
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise IngestError(f"cannot open {path}: {exc.strerror or exc}", report) from None
        _check_size(size, limits, report)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise IngestError(f"cannot read {path}: {exc.strerror or exc}", report) from None
    if hasattr(source, "read"):
        size = getattr(source, "size", None)
        if isinstance(size, int):
            _check_size(size, limits, report)
        data = source.read(limits.max_bytes + 1)
        _check_size(len(data), limits, report)
        return bytes(data)
    raise IngestError(f"cannot read an upload of type {type(source).__name__}", report)


def _check_size(size: int, limits: Limits, report: ImportReport) -> None:
    message = limits.size_message(size)
    if message:
        raise IngestError(message, report)
    if size == 0:
        raise IngestError("the file is empty", report)


def detect_format(data: bytes, file_name: str) -> str:
    """'xlsx', 'parquet', 'xls' or 'csv' from the first bytes (the extension only breaks ties)."""
    head = data[:8]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    suffix = Path(file_name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx-broken"
    if suffix == ".parquet":
        return "parquet-broken"
    return "csv"


def read_grid(data: bytes, file_name: str, limits: Limits, report: ImportReport,
              sheet: str | None = None, encoding: str | None = None) -> tuple[Grid, str]:
    kind = detect_format(data, file_name)
    if kind == "xlsx":
        return read_xlsx_bytes(data, report, limits, sheet=sheet), kind
    if kind == "parquet":
        return read_parquet_bytes(data, report, limits), kind
    if kind == "xls":
        raise IngestError("legacy Excel 97-2003 (.xls) files are not supported: save as .xlsx or CSV", report)
    if kind == "xlsx-broken":
        raise IngestError("truncated or corrupt XLSX: the file does not start like a zip archive", report)
    if kind == "parquet-broken":
        raise IngestError("not a Parquet file (no PAR1 magic bytes at the start)", report)
    if looks_binary(data):
        raise IngestError("binary content: not a CSV, XLSX or Parquet table", report)
    text, used = decode_text(data, report, declared=encoding)
    grid = read_csv_text(text, report, limits)
    return grid, f"csv ({used})"
