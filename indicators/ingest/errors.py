"""Errors and the error report of an import.

Every problem found in a file becomes an :class:`Issue` naming the file, the row, the column and the reason;
all of them are collected in one :class:`ImportReport` (not just the first). :class:`IngestError` is the only
exception the ingest layer raises for bad input: callers (CLI, Data page) catch it and show its report.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# Keep at most this many issues in memory; the total is still counted (a 2M-row file of bad rows must not
# produce 2M objects). The report says how many were left out.
MAX_KEPT_ISSUES = 10_000


@dataclass(frozen=True)
class Issue:
    """One problem: where (file, row, column) and why. ``row`` is 1-based as a spreadsheet shows it
    (CSV: line number; XLSX: sheet row; Parquet: data row); None when the problem concerns the whole file."""

    file: str
    row: int | None
    column: str | None
    reason: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = f" [{self.value}]" if self.value not in (None, "") else ""
        return f"{where}: {self.reason}{shown}"


@dataclass
class ImportReport:
    """All errors and warnings of one import. ``ok`` is False as soon as there is one error."""

    file: str = ""
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    errors_total: int = 0

    def error(self, row: int | None, column: str | None, reason: str, value: object = None, file: str | None = None) -> None:
        self.errors_total += 1
        if len(self.errors) < MAX_KEPT_ISSUES:
            self.errors.append(Issue(file or self.file, row, column, reason, _short(value)))

    def error_many(self, rows, columns, reasons, values) -> None:
        """Many errors at once (sequences of equal length); only the first MAX_KEPT_ISSUES are kept."""
        rows, columns, reasons, values = list(rows), list(columns), list(reasons), list(values)
        room = max(0, MAX_KEPT_ISSUES - len(self.errors))
        for row, column, reason, value in zip(rows[:room], columns[:room], reasons[:room], values[:room]):
            self.errors.append(Issue(self.file, None if row is None else int(row), column, reason, _short(value)))
        self.errors_total += len(rows)

    def warn(self, row: int | None, column: str | None, reason: str, value: object = None) -> None:
        if len(self.warnings) < MAX_KEPT_ISSUES:
            self.warnings.append(Issue(self.file, row, column, reason, _short(value)))

    @property
    def ok(self) -> bool:
        return self.errors_total == 0

    @property
    def errors_omitted(self) -> int:
        return self.errors_total - len(self.errors)

    def to_frame(self, include_warnings: bool = False) -> pd.DataFrame:
        """Errors (optionally warnings too) as a table: file, row, column, reason, value[, severity]."""
        rows = [(i.file, i.row, i.column, i.reason, i.value, "error") for i in self.errors]
        if include_warnings:
            rows += [(i.file, i.row, i.column, i.reason, i.value, "warning") for i in self.warnings]
        frame = pd.DataFrame(rows, columns=["file", "row", "column", "reason", "value", "severity"])
        frame["row"] = frame["row"].astype("Int64")
        return frame if include_warnings else frame.drop(columns="severity")

    def format(self, limit: int = 50) -> str:
        """Human-readable text: one line per error (up to ``limit``), then the count of the rest."""
        lines = [str(i) for i in self.errors[:limit]]
        rest = self.errors_total - min(len(self.errors), limit)
        if rest > 0:
            lines.append(f"... and {rest} more error(s)")
        return "\n".join(lines)


class IngestError(Exception):
    """Bad input: the import was rejected and nothing was written. ``report`` holds every issue found."""

    def __init__(self, message: str, report: ImportReport | None = None):
        super().__init__(message)
        self.report = report or ImportReport()
        if not self.report.errors_total:
            self.report.error(None, None, message)

    def __str__(self) -> str:
        base = super().__str__()
        errors = self.report.errors
        if not errors or (self.report.errors_total == 1 and errors[0].reason == base):
            return base
        return f"{base}\n{self.report.format(limit=20)}"


def _short(value: object, limit: int = 80) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) or type(value).__name__ in ("float64", "float32"):
        text = f"{float(value):.12g}"            # 25783.2, not 25783.199999999997
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
