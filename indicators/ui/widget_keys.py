"""Widget keys for widgets whose option labels depend on the language.

Streamlit keeps a keyed widget's identity (and the labels the browser shows for it) across reruns, so a
selectbox whose ``format_func`` changes with the language would keep showing the old language's labels.
Such widgets get one key per language: ``base`` in Chinese, ``base_en`` in English.
"""
from __future__ import annotations

LABELLED = ("framework", "metros")   # sidebar widgets with translated option labels


def lang_key(base: str, lang: str) -> str:
    return base if lang != "en" else f"{base}_en"


def all_variants(base: str) -> tuple[str, str]:
    return base, f"{base}_en"
