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
