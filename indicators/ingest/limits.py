"""Every bound an import runs under (clear messages naming the limit, checked before the expensive work).

Bounded by construction: the upload's bytes, its rows and columns, and for XLSX the bytes its parts
expand to, the cells its sheets hold, the shared strings it declares and the cells merged ranges cover —
counted while the parts are streamed, before any parser sees them — and the wall time of the whole
reading. Each refusal names the limit and the setting that changes it.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

DEFAULT_MAX_UPLOAD_MB = 50
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_COLUMNS = 1_000          # wide yearbook tables have tens to a few hundred columns
DEFAULT_MAX_PARSE_SECONDS = 90.0
# An XLSX is a zip: refuse archives that would expand beyond this (declared sizes first, then counted while
# streaming), or whose members compress suspiciously well.
MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_XLSX_MEMBER_RATIO = 200.0
MAX_XLSX_MEMBERS = 10_000
MAX_XLSX_SHARED_STRINGS_BYTES = 48 * 1024 * 1024     # the XML of xl/sharedStrings.xml
MAX_XLSX_SHARED_STRINGS = 2_000_000                   # distinct strings (<si> entries)
MAX_XLSX_CELLS = 8_000_000                            # <c> elements over all worksheets
MAX_XLSX_MERGED_CELLS = 1_000_000                     # cells covered by merged ranges


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_seconds: float = DEFAULT_MAX_PARSE_SECONDS
    started: float = field(default_factory=time.monotonic, compare=False)

    @classmethod
    def from_env(cls) -> "Limits":
        """``TONGCHENG_MAX_UPLOAD_MB`` (default 50), ``TONGCHENG_MAX_IMPORT_ROWS`` (2,000,000),
        ``TONGCHENG_MAX_IMPORT_COLUMNS`` (1,000), ``TONGCHENG_MAX_PARSE_SECONDS`` (90)."""
        mb = _env_number("TONGCHENG_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)
        rows = _env_number("TONGCHENG_MAX_IMPORT_ROWS", DEFAULT_MAX_ROWS)
        cols = _env_number("TONGCHENG_MAX_IMPORT_COLUMNS", DEFAULT_MAX_COLUMNS)
        secs = _env_number("TONGCHENG_MAX_PARSE_SECONDS", DEFAULT_MAX_PARSE_SECONDS)
        return cls(max_bytes=int(mb * 1024 * 1024), max_rows=int(rows), max_columns=int(cols), max_seconds=float(secs))

    def columns_message(self, columns: int, where: str = "the file") -> str | None:
        if columns > self.max_columns:
            return (f"{where} has {columns:,} columns, above the limit of {self.max_columns:,} columns "
                    f"(set TONGCHENG_MAX_IMPORT_COLUMNS to change it; a table this wide is usually transposed "
                    f"or not a statistical table)")
        return None

    def time_message(self, stage: str) -> str | None:
        elapsed = time.monotonic() - self.started
        if elapsed > self.max_seconds:
            return (f"reading stopped while {stage}: it took {elapsed:.0f} s, above the limit of "
                    f"{self.max_seconds:.0f} s (set TONGCHENG_MAX_PARSE_SECONDS to change it; split the file)")
        return None

    def size_message(self, size: int) -> str | None:
        if size > self.max_bytes:
            return (f"file is {size / 1024 / 1024:.1f} MB, above the upload limit of "
                    f"{self.max_bytes / 1024 / 1024:.0f} MB (set TONGCHENG_MAX_UPLOAD_MB to change it)")
        return None

    def rows_message(self, rows: int) -> str | None:
        if rows > self.max_rows:
            return (f"file has {rows:,} rows, above the limit of {self.max_rows:,} rows "
                    f"(set TONGCHENG_MAX_IMPORT_ROWS to change it; split the file)")
        return None


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else default
