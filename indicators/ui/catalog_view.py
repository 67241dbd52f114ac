"""Indicator names and units for labels, from the engine's catalog (ids as a fallback while it arrives)."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
import yaml
from types import SimpleNamespace

from indicators.paths import CATALOG_DIR

from indicators.i18n import pick, unit_in


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
