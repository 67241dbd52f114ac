"""Indicator names and units for labels, from the engine's catalog (ids as a fallback while it arrives)."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import yaml
from types import SimpleNamespace

from indicators.paths import CATALOG_DIR

from indicators.i18n import pick


# catalog units are written once, mostly in Chinese; a reader sees them in the page language
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "人": ("人", "persons"), "万人": ("万人", "10,000 persons"), "元": ("元", "yuan"),
    "亿元": ("亿元", "100 million yuan"), "万元": ("万元", "10,000 yuan"), "年": ("年", "years"),
    "岁": ("岁", "years of age"), "项": ("项", "items"), "件": ("件", "items"), "ratio": ("倍", "ratio"),
    "index": ("指数", "index"), "min": ("分钟", "min"), "相关系数": ("相关系数", "correlation coefficient"),
    "对数点/年": ("对数点/年", "log points per year"),
    "对数点/年 每对数单位": ("对数点/年 每对数单位", "log points per year per log unit"),
    "人/km²": ("人/km²", "persons/km²"), "km/万km²": ("km/万km²", "km per 10,000 km²"),
}


def unit_in(unit: str, lang: str) -> str:
    """A catalog unit in ``lang`` (units not listed, such as %, km² or µg/m³, read the same in both)."""
    words = UNIT_WORDS.get(unit)
    return pick(*words, lang) if words else unit


@dataclass(frozen=True)
class IndicatorLabel:
    id: str
    name_zh: str
    name_en: str
    unit: str
    note: str = ""                 # the catalog description in the label's language (Chinese by default)
    direction: str = "higher"      # higher | lower | target: how to read a gap (indicators.brief.prose)
    note_en: str = ""

    def name(self, lang: str) -> str:
        return pick(self.name_zh, self.name_en, lang)

    def in_lang(self, lang: str) -> "IndicatorLabel":
        """The same label whose ``note`` is in ``lang`` (the catalog's description or description_en)."""
        from dataclasses import replace

        if lang == "en":
            return replace(self, note=self.note_en or self.note, unit=unit_in(self.unit, lang))
        return replace(self, unit=unit_in(self.unit, lang))


def _catalog_items():
    """The catalog's indicator entries: the engine's loader when present, else the YAML read plainly."""
    try:
        from indicators.catalog import load_catalog

        catalog = load_catalog()
        return getattr(catalog, "indicators", catalog)
    except Exception:
        path = CATALOG_DIR / "indicators.yaml"
        if not path.exists():
            return []
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            return []
        return [SimpleNamespace(**entry) for entry in data.get("indicators", [])]


def _from_catalog() -> dict[str, IndicatorLabel]:
    out: dict[str, IndicatorLabel] = {}
    items = _catalog_items()
    items = items.values() if isinstance(items, dict) else items
    for ind in items:
        iid = str(getattr(ind, "id", "") or getattr(ind, "code", ""))
        if not iid:
            continue
        out[iid] = IndicatorLabel(
            id=iid,
            name_zh=str(getattr(ind, "name_zh", None) or iid),
            name_en=str(getattr(ind, "name_en", None) or iid),
            unit=str(getattr(ind, "unit", None) or ""),
            note=str(getattr(ind, "description", None) or ""),
            note_en=str(getattr(ind, "description_en", None) or ""),
            direction=str(getattr(ind, "direction", None) or "higher"),
        )
    return out


@st.cache_data(max_entries=2, show_spinner=False)
def labels() -> dict[str, IndicatorLabel]:
    return _from_catalog()


def label(indicator: str, lang: str = "zh") -> IndicatorLabel:
    """The indicator's names, unit and description (``note``) in ``lang``."""
    return (labels().get(indicator) or IndicatorLabel(indicator, indicator, indicator, "")).in_lang(lang)
