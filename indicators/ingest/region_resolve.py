"""Region names in any common variant (成都, 成都市, Chengdu, 510100) → 6-digit codes.

The index is built from the target database's ``region`` and ``region_alias`` tables. A name that maps to
several codes is ambiguous (an error naming the candidates), except for a municipality whose province and
city share the name (北京市 110000/110100 → the city, 110100). Unknown names get difflib suggestions.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import duckdb

from indicators.ingest.cell_text import normalise_label

# Rows that are totals, not regions: skipped with a warning.
TOTAL_ROW_NAMES = frozenset({"合计", "总计", "全省", "全市", "全国", "全区", "小计", "total", "sum", "all"})
_SUFFIXES = ("市", "地区", "盟", "自治州")


def name_key(text: object) -> str:
    return normalise_label(text).lower().replace(" ", "").replace("'", "").replace("’", "")


@dataclass
class RegionIndex:
    by_key: dict[str, set[str]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)     # code -> '成都市'
    level: dict[str, str] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)

    def add(self, name: object, code: str) -> None:
        key = name_key(name)
        if key:
            self.by_key.setdefault(key, set()).add(code)

    @classmethod
    def from_db(cls, con: duckdb.DuckDBPyConnection) -> "RegionIndex":
        index = cls()
        cur = con.cursor()
        try:
            regions = cur.execute("SELECT code, name_zh, name_en, level, parent_code FROM region").fetchall()
            aliases = cur.execute("SELECT alias, code FROM region_alias").fetchall()
        finally:
            cur.close()
        for code, name_zh, name_en, level, parent in regions:
            index.display[code] = name_zh
            index.level[code] = level
            index.parent[code] = parent
            index.add(code, code)
            index.add(name_zh, code)
            if name_en:
                index.add(name_en, code)
            short = _short_name(name_zh)
            if short and len(short) >= 2:
                index.add(short, code)
        for alias, code in aliases:
            if code in index.display:
                index.add(alias, code)
        return index


def _short_name(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


class RegionResolution:
    """Outcome for one name: a code, or an error reason."""

    __slots__ = ("code", "error")

    def __init__(self, code: str | None = None, error: str | None = None):
        self.code, self.error = code, error


def resolve_region(raw: object, index: RegionIndex) -> RegionResolution:
    text = normalise_label(raw)
    if re.fullmatch(r"\d{6}(\.0)?", text):
        text = text[:6]
    key = name_key(text)
    codes = set(index.by_key.get(key, set()))
    if not codes:
        return RegionResolution(error=_unknown_message(text, index))
    if len(codes) > 1:
        codes = _prefer_municipal_city(codes, index)
    if len(codes) == 1:
        return RegionResolution(code=next(iter(codes)))
    listed = ", ".join(f"{index.display.get(c, c)} {c} ({index.level.get(c, '?')})" for c in sorted(codes))
    return RegionResolution(error=f"ambiguous region name {text!r}: it matches {listed}; use the code or the full name")


def _prefer_municipal_city(codes: set[str], index: RegionIndex) -> set[str]:
    """北京市 names both the province 110000 and the city 110100: observations are city-level, keep the city."""
    keep = set(codes)
    for code in codes:
        if index.level.get(code) != "province":
            continue
        same_named_child = any(index.parent.get(c) == code and index.display.get(c) == index.display.get(code)
                               for c in codes)
        if same_named_child:
            keep.discard(code)
    return keep


def _unknown_message(text: str, index: RegionIndex) -> str:
    if not text:
        return "region is blank"
    key = name_key(text)
    close = difflib.get_close_matches(key, list(index.by_key), n=6, cutoff=0.5)
    names: list[str] = []
    for c in close:
        for code in sorted(index.by_key[c]):
            label = f"{index.display.get(code, code)} ({code})"
            if label not in names:
                names.append(label)
    hint = f"; closest known: {', '.join(names[:4])}" if names else ""
    return f"unknown region {text!r}{hint}"


def is_total_row(raw: object) -> bool:
    return name_key(raw) in TOTAL_ROW_NAMES
