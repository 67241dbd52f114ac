"""The briefing-pack page's calls: options for the selectors and the generation of the files (no SQL here,
none in the page)."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from indicators.brief import CHART_IDS, build_pack
from indicators.brief.pack import CHART_LABELS, INDEX_CHARTS
from indicators.brief.write import MIME, brief_bytes, brief_filename
from indicators.ui import loaders

FORMATS = (".pptx", ".docx", ".pdf")


@dataclass(frozen=True)
class BriefFile:
    label: str
    data: bytes
    filename: str
    mime: str


def chart_options(lang: str, engine_ready: bool) -> dict[str, str]:
    """Chart id -> label; the index charts only when the engine can compute them."""
    lang = "en" if lang == "en" else "zh"
    return {c: CHART_LABELS[c][lang] for c in CHART_IDS if engine_ready or c not in INDEX_CHARTS}


def generate(metros: tuple[str, ...], year: int, framework: str | None, charts: tuple[str, ...], lang: str,
             formats: tuple[str, ...], scope: str = "plan") -> tuple[list[str], list[str], list[BriefFile]]:
    """(summary sentences, caveats, files) for the selection in the sidebar's metro ``scope``; rendered on demand."""
    pack = build_pack(loaders.connection(), list(metros), int(year), framework=framework, chart_ids=list(charts),
                      lang=lang, scope=scope)
    files = [BriefFile(fmt.lstrip(".").upper(), brief_bytes(pack, fmt), brief_filename(pack, fmt), MIME[fmt])
             for fmt in formats]
    return pack.summary, pack.caveats, files


@st.cache_data(max_entries=6, show_spinner=False)
def _cached_generate(db_path: str, metros: tuple[str, ...], year: int, framework: str | None,
                     charts: tuple[str, ...], lang: str, formats: tuple[str, ...], scope: str = "plan"):
    """``generate`` cached by the selection (and the database file, so an import invalidates nothing stale:
    the data caches are cleared on import by ``loaders.clear_data_caches``)."""
    return generate(metros, year, framework, charts, lang, formats, scope)


def cached_generate(db_path: str, metros: tuple[str, ...], year: int, framework: str | None,
                    charts: tuple[str, ...], lang: str, formats: tuple[str, ...]):
    """``_cached_generate`` in the sidebar's metro scope (plan / extended): the pack's index and GDP charts follow it."""
    from indicators.ui.engine_view import current_scope

    return _cached_generate(db_path, metros, year, framework, charts, lang, formats, current_scope())
