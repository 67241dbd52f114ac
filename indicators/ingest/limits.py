"""Upload size and row limits (clear messages, checked before the expensive work)."""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_UPLOAD_MB = 50
DEFAULT_MAX_ROWS = 2_000_000
# An XLSX is a zip: refuse archives that would expand beyond this, or whose members compress suspiciously well.
MAX_XLSX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_XLSX_MEMBER_RATIO = 200.0
MAX_XLSX_MEMBERS = 10_000


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int

    @classmethod
    def from_env(cls) -> "Limits":
        """``TONGCHENG_MAX_UPLOAD_MB`` (default 50) and ``TONGCHENG_MAX_IMPORT_ROWS`` (default 2,000,000)."""
        mb = _env_number("TONGCHENG_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)
        rows = _env_number("TONGCHENG_MAX_IMPORT_ROWS", DEFAULT_MAX_ROWS)
        return cls(max_bytes=int(mb * 1024 * 1024), max_rows=int(rows))

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
