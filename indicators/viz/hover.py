"""Hover text and marking helpers shared by the builders: value + unit + quality flag on every point."""
from __future__ import annotations

import math

from indicators.i18n import t
from indicators.viz.theme import QUALITY_MARKED


def fmt_value(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    v = float(value)
    if abs(v) >= 1000 or abs(v - round(v)) < 1e-9:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}".rstrip("0").rstrip(".")


def fmt_fixed(value, digits: int = 1) -> str:
    """A score in a ranked list: always ``digits`` decimals (66.0 beside 54.9, not 66), thousands separated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value):,.{digits}f}"


def quality_label(quality, lang: str) -> str:
    if quality is None or (isinstance(quality, float) and math.isnan(quality)) or quality == "":
        return "—"
    return t(f"quality.{quality}", lang)


def is_marked(quality) -> bool:
    """True for values that must be visibly marked (modelled, estimate, single source, synthetic, conflict)."""
    return str(quality) in QUALITY_MARKED


def hover_line(name: str, value, unit: str, quality, lang: str, extra: str = "") -> str:
    text = f"<b>{name}</b><br>{fmt_value(value)} {unit}<br>{t('hover.quality', lang)}: {quality_label(quality, lang)}"
    return text + (f"<br>{extra}" if extra else "")
