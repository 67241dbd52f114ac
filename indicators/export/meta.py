"""What is baked into an exported chart: title, subtitle (year, unit, framework), source line, footer."""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

PRODUCT_NAME = "tongcheng 同城化指数"


def default_footer(today: _dt.date | None = None) -> str:
    """The product footer: product name (both languages) and the export date — no word in one language only, so
    an English export carries no Chinese-only text and a Chinese one no English-only text."""
    day = (today or _dt.date.today()).isoformat()
    return f"{PRODUCT_NAME} · {day}"


def subtitle_from(year: int | str | None = None, unit: str | None = None, framework: str | None = None,
                  extra: str | None = None, lang: str = "zh") -> str:
    """A subtitle such as '2022年 · 单位：亿元 · 框架：七个一' (or '2022 · unit: … · framework: …' in English)."""
    en = lang == "en"
    parts: list[str] = []
    if year not in (None, ""):
        parts.append(str(year) if en else f"{year}年")
    if unit:
        parts.append(f"unit: {unit}" if en else f"单位：{unit}")
    if framework:
        parts.append(f"framework: {framework}" if en else f"框架：{framework}")
    if extra:
        parts.append(extra)
    return " · ".join(parts)


class ChartMeta(BaseModel):
    """Text baked into an exported chart. Empty fields fall back to what the figure already carries
    (a figure built with ``indicators.viz.theme.apply_frame`` has a title, subtitle and source line)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = ""
    subtitle: str = ""
    source: str = ""          # e.g. "来源：国家统计局《中国城市统计年鉴》；作者计算"
    note: str = ""            # e.g. "◇ 为模型估算值 (modelled)" — shown above the source line
    footer: str = ""          # default: product name + export date
    filename: str = ""        # file stem; default: derived from the title

    def footer_text(self) -> str:
        return self.footer or default_footer()

    def file_stem(self, fallback_title: str = "") -> str:
        return slugify(self.filename or self.title or fallback_title or "chart")


def coerce_meta(meta: ChartMeta | Mapping[str, Any] | None) -> ChartMeta:
    """Accept a ChartMeta, a plain dict with its fields, or None."""
    if meta is None:
        return ChartMeta()
    if isinstance(meta, ChartMeta):
        return meta
    return ChartMeta(**dict(meta))


_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff.-]+", re.UNICODE)


def slugify(text: str, max_len: int = 60) -> str:
    """A file-name-safe stem that keeps Chinese characters: '成都 vs 上海：GDP' -> '成都_vs_上海_GDP'."""
    stem = _UNSAFE.sub("_", re.sub(r"<[^>]+>", "", str(text))).strip("._")
    return (stem[:max_len].rstrip("._")) or "chart"
