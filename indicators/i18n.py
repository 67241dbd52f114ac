"""Interface strings in Chinese (first) and English. ``t(key, lang)`` looks one up.

Strings live in ``i18n_strings.yaml`` as ``key: {zh: ..., en: ...}``; a test checks that every key has
both languages and that every key the pages use exists.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
STRINGS_PATH = Path(__file__).with_name("i18n_strings.yaml")


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(STRINGS_PATH.read_text(encoding="utf-8")) or {}
    return {str(k): {str(lk): str(lv) for lk, lv in v.items()} for k, v in data.items()}


def normalise_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled; the key itself if unknown."""
    entry = strings().get(key)
    if entry is None:
        return key
    text = entry.get(normalise_lang(lang)) or entry.get(DEFAULT_LANG) or key
    return text.format(**values) if values else text


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """Choose between a Chinese and an English name (falls back to whichever exists)."""
    if normalise_lang(lang) == "en":
        return en or zh or ""
    return zh or en or ""


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


def place_names(names_zh, names_en, lang: str, qualifiers=None) -> list[str]:
    """Place names in ``lang``; in English, names two places share (Taizhou = 泰州 and 台州, Suzhou = 苏州 and 宿州,
    Fuzhou, Yulin, Yichun) carry their ``qualifiers`` (the province, in English) — else a chart merges two cities
    into one row."""
    out = [pick(z, e, lang) for z, e in zip(names_zh, names_en)]
    if normalise_lang(lang) != "en":
        return out
    quals = list(qualifiers) if qualifiers is not None else [""] * len(out)
    zh_by_name: dict[str, set] = {}
    for name, z in zip(out, names_zh):
        zh_by_name.setdefault(name, set()).add(z)
    return [f"{name} ({q})" if len(zh_by_name[name]) > 1 and q else name for name, q in zip(out, quals)]
