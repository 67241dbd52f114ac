"""Cached loads for the pages: one connection per process, one cursor per query, frames cached with limits.

Pages call these functions only; they hold no SQL. Each cached function takes the database path so that
two databases (tests, an imported copy) never share cache entries.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from indicators.paths import STATIC_DIR, default_db_path
from indicators.store.db import shared_connection
from indicators.ui import store_reads

GEOJSON_PATH = STATIC_DIR / "geo" / "prefectures.geojson"


def db_path() -> str:
    return str(Path(default_db_path()).resolve())


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    return shared_connection(path)


def connection():
    """The process-wide DuckDB connection (take a cursor per query: ``store_reads`` does)."""
    return _connection(db_path())


def database_available() -> bool:
    return Path(db_path()).exists()


@st.cache_data(max_entries=4, show_spinner=False)
def _metros(path: str) -> pd.DataFrame:
    return store_reads.metros(_connection(path))


def metros() -> pd.DataFrame:
    return _metros(db_path())


@st.cache_data(max_entries=4, show_spinner=False)
def _members(path: str) -> pd.DataFrame:
    return store_reads.metro_members(_connection(path))


def members() -> pd.DataFrame:
    return _members(db_path())


@st.cache_data(max_entries=4, show_spinner=False)
def _regions(path: str) -> pd.DataFrame:
    return store_reads.regions(_connection(path))


def regions() -> pd.DataFrame:
    return _regions(db_path())


@st.cache_data(max_entries=4, show_spinner=False)
def _observed_indicators(path: str) -> pd.DataFrame:
    return store_reads.observed_indicators(_connection(path))


def observed_indicators() -> pd.DataFrame:
    return _observed_indicators(db_path())


@st.cache_data(max_entries=24, show_spinner=False)
def _observations(path: str, indicator: str) -> pd.DataFrame:
    return store_reads.observations(_connection(path), indicator)


def observations(indicator: str) -> pd.DataFrame:
    return _observations(db_path(), indicator)


@st.cache_data(max_entries=64, show_spinner=False)
def _provenance(path: str, code: str, year: int, indicator: str) -> pd.DataFrame:
    return store_reads.provenance(_connection(path), code, year, indicator)


def provenance(code: str, year: int, indicator: str) -> pd.DataFrame:
    return _provenance(db_path(), code, int(year), indicator)


@st.cache_data(max_entries=4, show_spinner=False)
def _series_breaks(path: str) -> pd.DataFrame:
    return store_reads.series_breaks(_connection(path))


def series_breaks() -> pd.DataFrame:
    return _series_breaks(db_path())


@st.cache_data(max_entries=12, show_spinner=False)
def _flows(path: str, kind: str) -> pd.DataFrame:
    return store_reads.flows(_connection(path), kind)


def flows(kind: str) -> pd.DataFrame:
    return _flows(db_path(), kind)


@st.cache_data(max_entries=4, show_spinner=False)
def _flow_kinds(path: str) -> pd.DataFrame:
    return store_reads.flow_kinds(_connection(path))


def flow_kinds() -> pd.DataFrame:
    return _flow_kinds(db_path())


@st.cache_data(max_entries=4, show_spinner=False)
def _targets(path: str) -> pd.DataFrame:
    return store_reads.targets(_connection(path))


def targets() -> pd.DataFrame:
    return _targets(db_path())


@st.cache_data(max_entries=4, show_spinner=False)
def _facts(path: str) -> pd.DataFrame:
    return store_reads.facts(_connection(path))


def facts() -> pd.DataFrame:
    return _facts(db_path())


@st.cache_data(max_entries=4, show_spinner=False)
def _sources(path: str) -> pd.DataFrame:
    return store_reads.sources(_connection(path))


def sources() -> pd.DataFrame:
    return _sources(db_path())


@st.cache_data(max_entries=8, show_spinner=False)
def _table(path: str, table: str) -> pd.DataFrame:
    return store_reads.table_rows(_connection(path), table)


def table(name: str) -> pd.DataFrame:
    return _table(db_path(), name)


@st.cache_data(max_entries=4, show_spinner=False)
def _table_counts(path: str) -> dict[str, int]:
    return store_reads.table_counts(_connection(path))


def table_counts() -> dict[str, int]:
    return _table_counts(db_path())


@st.cache_resource(show_spinner=False)
def prefecture_geojson() -> dict | None:
    """Prefecture boundaries shipped offline (property ``code``); None when the file is missing."""
    if not GEOJSON_PATH.exists():
        return None
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


def clear_data_caches() -> None:
    """After an import: drop every cached frame (the connection stays)."""
    st.cache_data.clear()


def table_file(name: str, fmt: str):
    """A zero-argument callable producing a whole table as file bytes (run only when the user clicks)."""
    from indicators.ui.table_files import frame_bytes

    path = db_path()

    def make() -> bytes:
        return frame_bytes(store_reads.table_rows(shared_connection(path), name), fmt)

    return make
