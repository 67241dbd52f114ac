"""Indicator metadata for imports: canonical unit, names, yearbook aliases, plausible bounds.

Loads the ENGINE catalog (``indicators/catalog/indicators.yaml``) when it exists and merges it with the
ingest alias list (``indicators/ingest/aliases.yaml``), which is also the fallback when the catalog is
missing. ``resolve_indicator`` accepts the id, the Chinese or English name, or an alias.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from indicators.ingest.cell_text import normalise_label
from indicators.paths import CATALOG_DIR

ALIASES_PATH = Path(__file__).with_name("aliases.yaml")
CATALOG_PATH = CATALOG_DIR / "indicators.yaml"


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    unit: str
    name_zh: str = ""
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    min_exclusive: bool = False


@dataclass
class IndicatorTable:
    by_id: dict[str, IndicatorInfo] = field(default_factory=dict)
    by_key: dict[str, set[str]] = field(default_factory=dict)
    derived: dict[str, str] = field(default_factory=dict)   # lookup key -> id of an engine-computed indicator

    def add(self, info: IndicatorInfo) -> None:
        self.by_id[info.id] = info
        for name in (info.id, info.name_zh, info.name_en, *info.aliases):
            key = lookup_key(name)
            if key:
                self.by_key.setdefault(key, set()).add(info.id)


def lookup_key(text: object) -> str:
    """Case-, width- and space-insensitive key ('地区生产总值 (GDP)' ≡ '地区生产总值(gdp)')."""
    return normalise_label(text).lower().replace(" ", "").replace("_", "").replace("-", "")


class UnknownIndicator(LookupError):
    pass


def resolve_indicator(text: object, table: IndicatorTable | None = None) -> str:
    """Catalog id for an id, name or alias; raises UnknownIndicator with close suggestions."""
    table = table or indicator_table()
    key = lookup_key(text)
    ids = table.by_key.get(key, set())
    if not ids and key in table.derived:
        raise UnknownIndicator(f"{table.derived[key]!r} is computed by the engine for metros (from city values or "
                               "flows); import the city-level inputs instead")
    if len(ids) == 1:
        return next(iter(ids))
    if len(ids) > 1:
        raise UnknownIndicator(f"indicator {text!r} is ambiguous: {', '.join(sorted(ids))}")
    names = list(table.by_key)
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
    hint = "; did you mean " + ", ".join(sorted({i for c in close for i in table.by_key[c]})) + "?" if close else ""
    raise UnknownIndicator(f"unknown indicator {str(text)!r}{hint}")


def maybe_indicator(text: object, table: IndicatorTable | None = None) -> str | None:
    try:
        return resolve_indicator(text, table)
    except UnknownIndicator:
        return None


@functools.lru_cache(maxsize=4)
def _cached_table(catalog_mtime: float) -> IndicatorTable:
    table = IndicatorTable()
    builtin = _load_builtin()
    catalog, derived = _load_catalog()
    for ind_id, info in derived.items():
        if ind_id not in builtin:
            for name in (ind_id, info.name_zh, info.name_en):
                if lookup_key(name):
                    table.derived[lookup_key(name)] = ind_id
    for ind_id in sorted(set(builtin) | set(catalog)):
        b, c = builtin.get(ind_id), catalog.get(ind_id)
        if b and c:
            info = IndicatorInfo(
                id=ind_id, unit=c.unit or b.unit, name_zh=c.name_zh or b.name_zh, name_en=c.name_en or b.name_en,
                aliases=tuple(dict.fromkeys(b.aliases + c.aliases)),
                min_value=c.min_value if c.min_value is not None else b.min_value,
                max_value=c.max_value if c.max_value is not None else b.max_value,
                min_exclusive=b.min_exclusive or c.min_exclusive)
        else:
            info = c or b
        table.add(info)
    return table


def indicator_table() -> IndicatorTable:
    """The merged table (re-read when the catalog file changes)."""
    mtime = CATALOG_PATH.stat().st_mtime if CATALOG_PATH.exists() else 0.0
    return _cached_table(mtime)


def _load_builtin() -> dict[str, IndicatorInfo]:
    raw = _yaml_load(ALIASES_PATH.read_text(encoding="utf-8"))["indicators"]
    out = {}
    for ind_id, entry in raw.items():
        lo, hi = (entry.get("bounds") or [None, None])
        out[ind_id] = IndicatorInfo(
            id=ind_id, unit=entry["unit"], name_zh=entry.get("name_zh", ""), name_en=entry.get("name_en", ""),
            aliases=tuple(entry.get("aliases", [])), min_value=lo, max_value=hi,
            min_exclusive=bool(entry.get("min_exclusive", False)))
    return out


def _load_catalog() -> tuple[dict[str, IndicatorInfo], dict[str, IndicatorInfo]]:
    """Read the ENGINE catalog tolerantly (a list of entries, or a mapping id → entry, or under 'indicators').
    Returns (importable city-level indicators, engine-derived metro/flow indicators)."""
    if not CATALOG_PATH.exists():
        return {}, {}
    try:
        raw = _yaml_load(CATALOG_PATH.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError):
        return {}, {}
    if isinstance(raw, dict) and "indicators" in raw:
        raw = raw["indicators"]
    entries: list[dict] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            if isinstance(value, dict):
                entries.append({"id": key, **value})
    elif isinstance(raw, list):
        entries = [e for e in raw if isinstance(e, dict)]
    out, derived = {}, {}
    for e in entries:
        ind_id = e.get("id") or e.get("code")
        unit = e.get("unit") or e.get("canonical_unit")
        if not ind_id or not unit:
            continue
        names = e.get("name") if isinstance(e.get("name"), dict) else {}
        aliases = e.get("aliases") or e.get("alias") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        lo, hi = _bounds(e)
        target = derived if str(e.get("level", "city")) in ("metro", "flow") else out
        target[str(ind_id)] = IndicatorInfo(
            id=str(ind_id), unit=str(unit),
            name_zh=str(e.get("name_zh") or names.get("zh") or ""), name_en=str(e.get("name_en") or names.get("en") or ""),
            aliases=tuple(str(a) for a in aliases if a), min_value=lo, max_value=hi)
    return out, derived


def _bounds(entry: dict) -> tuple[float | None, float | None]:
    lo = entry.get("min", entry.get("min_value"))
    hi = entry.get("max", entry.get("max_value"))
    bounds = entry.get("bounds") or entry.get("range")
    if isinstance(bounds, (list, tuple)) and len(bounds) == 2:
        lo = bounds[0] if lo is None else lo
        hi = bounds[1] if hi is None else hi
    try:
        return (float(lo) if lo is not None else None, float(hi) if hi is not None else None)
    except (TypeError, ValueError):
        return None, None


def _yaml_load(text: str):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
