"""Reading ``facts/metro_plans.csv``: one :class:`PlanRow` per row (shared by derive/metros.py and derive/counties.py).

Some rows of the file carry unquoted commas in free text; fields are re-joined around the two anchors every row
has: the scope (plan|extended) and the status (one of STATUSES).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

PLANS = "facts/metro_plans.csv"
STATUSES = ("verified_page", "partial_verified", "unverified", "from_memory")   # best first
SCOPES = ("plan", "extended")


class MembershipError(ValueError):
    """A membership row that cannot be right; the message names file, row and reason."""


@dataclass
class PlanRow:
    row: int                       # line number in metro_plans.csv (header = 1)
    metro_zh: str
    plan_document: str
    issued: str
    scope: str
    prefectures: list[str]
    counties: str
    status: str
    status_raw: str
    source: str
    extra: list[str] = field(default_factory=list)


def _status(raw: str) -> str:
    raw = raw.strip()
    for s in STATUSES:
        if raw.startswith(s):
            if s == "verified_page" and "from memory" in raw:
                return "partial_verified"
            return s
    raise ValueError(raw)


def parse_plans(path: Path) -> list[PlanRow]:
    """Rows of metro_plans.csv. Some rows carry unquoted commas in free text; fields are re-joined around the
    two anchors every row has: the scope (plan|extended) and the status (one of STATUSES)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header[:8] != ["metro_zh", "plan_document", "issued", "scope", "prefecture", "counties_as_published", "status", "source"]:
            raise MembershipError(f"{path.name}: unexpected header {header}")
        for lineno, f in enumerate(reader, start=2):
            if not f or not any(x.strip() for x in f):
                continue
            try:
                si = next(i for i in range(2, len(f)) if f[i].strip() in SCOPES)
                ti = next(i for i in range(si + 2, len(f)) if any(f[i].strip().startswith(s) for s in STATUSES))
            except StopIteration:
                raise MembershipError(f"{path.name}: row {lineno}: no scope (plan|extended) or status field found") from None
            rows.append(PlanRow(
                row=lineno, metro_zh=f[0].strip(), plan_document=",".join(f[1:si - 1]).strip(), issued=f[si - 1].strip(),
                scope=f[si].strip(), prefectures=[p.strip() for p in f[si + 1].split(";") if p.strip()],
                counties=",".join(f[si + 2:ti]).strip(), status=_status(f[ti]), status_raw=f[ti].strip(),
                source=",".join(f[ti + 1:]).strip()))
    return rows
