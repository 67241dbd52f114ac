"""Unit conversion into an indicator's canonical unit (元/万元/亿元, 人/万人, %, ‰, km/公里, km² ...).

Each unit spelling maps to (dimension, factor to the dimension's base unit). A value converts from
unit A to unit B when both share a dimension: value × factor(A) / factor(B).
"""
from __future__ import annotations

import re

from indicators.ingest.cell_text import normalise_label

# spelling (after normalise_unit) -> (dimension, factor to base)
_UNITS: dict[str, tuple[str, float]] = {}


def _add(dimension: str, factor: float, *spellings: str) -> None:
    for s in spellings:
        _UNITS[normalise_unit(s)] = (dimension, factor)


def normalise_unit(text: object) -> str:
    """NFKC, lower case, no spaces, superscripts and common spellings unified (km2 → km², ug → µg)."""
    out = normalise_label(text).lower().replace(" ", "")
    out = out.replace("km2", "km²").replace("m2", "m²").replace("m3", "m³").replace("ug/", "µg/").replace("μg", "µg")
    out = out.replace("平方千米", "km²").replace("平方公里", "km²")
    return out


_add("money", 1.0, "元", "yuan", "cny", "rmb", "元/人", "元每人", "yuan/person")
_add("money", 1e3, "千元", "thousandyuan")
_add("money", 1e4, "万元", "10kyuan", "10,000yuan", "tenthousandyuan", "万元/人")
_add("money", 1e6, "百万元", "millionyuan", "mnyuan")
_add("money", 1e8, "亿元", "100millionyuan", "100myuan", "亿")
_add("money", 1e9, "十亿元", "billionyuan", "bnyuan")
_add("money", 1e12, "万亿元", "trillionyuan")
_add("persons", 1.0, "人", "persons", "person", "people", "人次", "个人")
_add("persons", 1e3, "千人", "thousandpersons", "thousandpeople")
_add("persons", 1e4, "万人", "10kpersons", "10,000persons", "tenthousandpersons")
_add("persons", 1e6, "百万人", "millionpersons", "millionpeople", "million")
_add("percent", 1.0, "%", "percent", "pct", "百分比", "百分点")
_add("percent", 0.1, "‰", "permille", "千分比")
_add("length", 1.0, "km", "公里", "千米", "kilometre", "kilometer", "kilometres", "kilometers")
_add("length", 1e-3, "m", "米", "metre", "meter", "metres", "meters")
_add("length", 1e4, "万公里", "万km", "10kkm")
_add("area", 1.0, "km²", "sqkm", "squarekilometre", "squarekilometer")
_add("area", 1e4, "万km²", "万平方公里")
_add("area", 1e-6, "m²", "平方米")
_add("area", 1e-2, "公顷", "ha", "hectare")
_add("concentration", 1.0, "µg/m³", "微克/立方米", "微克/m³")
_add("concentration", 1e3, "mg/m³", "毫克/立方米")
_add("years", 1.0, "年", "years", "year", "yr")
_add("age", 1.0, "岁", "age")
_add("count", 1.0, "件", "项", "个", "items", "count", "patents")
_add("minutes", 1.0, "min", "分钟", "minutes", "分")
_add("minutes", 60.0, "h", "小时", "hours")
_add("density", 1.0, "km/万km²", "公里/万平方公里", "km/10kkm²")
_add("density", 1e-2, "km/百km²", "公里/百平方公里", "km/100km²")
_add("popdensity", 1.0, "人/km²", "persons/km²")
_add("popdensity", 1e4, "万人/km²")
_add("ratio", 1.0, "ratio", "倍", "比值")
_add("index", 1.0, "index", "指数", "分值")


class UnitError(ValueError):
    pass


def unit_factor(source_unit: str | None, canonical_unit: str) -> float:
    """Multiply a value in ``source_unit`` by this to get ``canonical_unit``. None/blank = canonical."""
    if source_unit is None or not normalise_unit(source_unit):
        return 1.0
    src, dst = normalise_unit(source_unit), normalise_unit(canonical_unit)
    if src == dst:
        return 1.0
    if src not in _UNITS:
        raise UnitError(f"unknown unit {source_unit!r} (expected a unit convertible to {canonical_unit})")
    if dst not in _UNITS:
        raise UnitError(f"cannot convert {source_unit!r} to {canonical_unit!r}")
    (d1, f1), (d2, f2) = _UNITS[src], _UNITS[dst]
    if d1 != d2:
        raise UnitError(f"unit {source_unit!r} cannot be converted to {canonical_unit!r} (different kind of quantity)")
    return f1 / f2


_UNIT_ROW = re.compile(r"^(?:计量)?单位\s*[:：]\s*(.+)$")
_BRACKETED = re.compile(r"^(.*?)\s*[（(\[【]\s*([^）)\]】]+?)\s*[）)\]】]\s*$")


def unit_row_value(text: object) -> str | None:
    """'单位：亿元' → '亿元' (a yearbook's unit line); None otherwise."""
    match = _UNIT_ROW.match(normalise_label(text))
    return match.group(1).strip() if match else None


def split_bracketed_unit(text: str) -> tuple[str, str | None]:
    """'地区生产总值（亿元）' → ('地区生产总值', '亿元'); text without a bracketed unit → (text, None).

    Only a bracket holding a known unit counts, so '地区生产总值(GDP)' keeps its bracket."""
    match = _BRACKETED.match(text)
    if match and normalise_unit(match.group(2)) in _UNITS:
        return match.group(1).strip(), match.group(2).strip()
    return text, None


def is_known_unit(text: object) -> bool:
    return normalise_unit(text) in _UNITS
