"""Cached loads for the pages: one connection per process, one cursor per query, frames cached with limits.

Pages call these functions only; they hold no SQL. Each cached function takes the database path so that
two databases (tests, an imported copy) never share cache entries, and the data version
(``indicators.store.data_version``) so that an import makes every cached frame stale at once.

One page run reads the version once (``run_data_version``) and asks every cache for frames of that
version. A cache miss reads inside one snapshot that also reads the version (``read_snapshot``); when an
import committed in between, the read refuses to mix versions: the page reruns at the new version, so
one render shows one version.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from indicators.i18n import pick
from indicators.paths import STATIC_DIR, default_db_path
from indicators.store import data_version
from indicators.store.db import shared_connection
from indicators.store import dashboard_reads as store_reads

GEOJSON_PATH = STATIC_DIR / "geo" / "prefectures.geojson"


def db_path() -> str:
    return str(Path(default_db_path()).resolve())


@st.cache_resource(show_spinner=False)
def _open(path: str):
    return shared_connection(path)


def _connection(path: str):
    """The process-wide connection; a database that cannot be opened (damaged, truncated, not a DuckDB file,
    no permission) stops the page with one paragraph — what, what to do — and no traceback or server path."""
    try:
        return _open(path)
    except (duckdb.Error, OSError, RuntimeError) as exc:
        import logging

        logging.getLogger(__name__).exception("cannot open the database %s", path)
        from indicators.i18n import t

        lang = st.session_state.get("_sel_lang") or "zh"
        st.error(t("state.db_unreadable", lang, reason=unreadable_reason(exc)))
        st.stop()


def unreadable_reason(exc: BaseException) -> str:
    """The first line of a connection error, without file system paths (they stay in the server log)."""
    import re

    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    text = re.sub(r"(?:[A-Za-z]:)?[/\\][^\s\"':]+", "…", text)
    return f"{type(exc).__name__}: {text[:200]}"


def connection():
    """The process-wide DuckDB connection (take a cursor per query: ``store_reads`` does)."""
    return _connection(db_path())


def database_available() -> bool:
    return Path(db_path()).exists()


_RUN_PIN = "_tongcheng_data_version"


def _run_token():
    """An object that lives exactly as long as the current script run (None outside a run)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx(suppress_warning=True)
    except Exception:  # noqa: BLE001 - another streamlit layout: no pin, read the version each call
        return None, None
    return ctx, (getattr(ctx, "parallel_coordinator", None) if ctx is not None else None)


def _read_version(path: str) -> int:
    cur = _connection(path).cursor()
    try:
        return data_version.current(cur)
    except Exception:  # noqa: BLE001 - no meta table: a file nothing was ever written into
        return 0
    finally:
        cur.close()


def run_data_version() -> int:
    """The data version this page run shows: read once per run (one tiny query), then pinned."""
    path = db_path()
    ctx, token = _run_token()
    pinned = getattr(ctx, _RUN_PIN, None) if token is not None else None
    if pinned is not None and pinned[0] is token and path in pinned[1]:
        return pinned[1][path]
    version = _read_version(path)
    if token is not None:
        versions = pinned[1] if pinned is not None and pinned[0] is token else {}
        versions[path] = version
        setattr(ctx, _RUN_PIN, (token, versions))
    return version


def _repin(path: str, version: int | None = None) -> bool:
    """Pin ``version`` for the rest of this run; True when the page should rerun (once per new version)."""
    ctx, token = _run_token()
    if token is None:
        return False
    setattr(ctx, _RUN_PIN, (token, {path: version}))
    last = st.session_state.get("_tongcheng_rerun_version")
    if last is not None and last >= version:
        return False
    st.session_state["_tongcheng_rerun_version"] = version
    return True


def _snapshot(path: str, version: int | None, read, *args):
    """``read(connection, *args)`` inside one read transaction that is at ``version`` (else VersionMoved;
    ``version`` None: whatever is current — for callers that key on the path only)."""
    try:
        return data_version.read_snapshot(_connection(path), lambda c: read(c, *args), expected=version)[1]
    except data_version.VersionMoved:
        raise
    except duckdb.Error:
        # a read that tolerates a missing table (``table_counts``) aborts a transaction: read as before
        return read(_connection(path), *args)


def _at_version(cached, *args):
    """``cached(path, version, *args)`` at this run's version. If an import committed since the run
    began, the frames already drawn are of the old version: rerun the page at the new one (bounded: once
    per version), or outside a page run simply read the new version."""
    path = db_path()
    version = run_data_version()
    for _ in range(5):
        try:
            return cached(path, version, *args)
        except data_version.VersionMoved as moved:
            version = moved.found
            if _repin(path, version):
                st.rerun()
    return cached(path, version, *args)


@st.cache_data(max_entries=4, show_spinner=False)
def _metros(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.metros)


def metros() -> pd.DataFrame:
    return _at_version(_metros)


@st.cache_data(max_entries=4, show_spinner=False)
def _members(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.metro_members)


def members() -> pd.DataFrame:
    return _at_version(_members)


@st.cache_data(max_entries=4, show_spinner=False)
def _regions(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.regions)


def regions() -> pd.DataFrame:
    return _at_version(_regions)


@st.cache_data(max_entries=4, show_spinner=False)
def _provinces(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.provinces)


def province_of(codes, lang: str = "en") -> list[str]:
    """The province name (in ``lang``) of each region code (its first two digits), "" where unknown."""
    prov = _at_version(_provinces)
    names = {str(c)[:2]: pick(z, e, lang) for c, z, e in zip(prov["code"], prov["name_zh"], prov["name_en"])}
    return [names.get(str(c)[:2], "") for c in codes]


@st.cache_data(max_entries=4, show_spinner=False)
def _observed_indicators(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.observed_indicators)


def observed_indicators() -> pd.DataFrame:
    return _at_version(_observed_indicators)


@st.cache_data(max_entries=24, show_spinner=False)
def _observations(path: str, version: int, indicator: str) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.observations, indicator)


def observations(indicator: str) -> pd.DataFrame:
    return _at_version(_observations, indicator)


@st.cache_data(max_entries=64, show_spinner=False)
def _provenance(path: str, version: int, code: str, year: int, indicator: str) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.provenance, code, year, indicator)


def provenance(code: str, year: int, indicator: str) -> pd.DataFrame:
    return _at_version(_provenance, code, int(year), indicator)


@st.cache_data(max_entries=4, show_spinner=False)
def _series_breaks(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.series_breaks)


def series_breaks() -> pd.DataFrame:
    return _at_version(_series_breaks)


@st.cache_data(max_entries=12, show_spinner=False)
def _flows(path: str, version: int, kind: str) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.flows, kind)


def flows(kind: str) -> pd.DataFrame:
    return _at_version(_flows, kind)


@st.cache_data(max_entries=4, show_spinner=False)
def _flow_kinds(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.flow_kinds)


def flow_kinds() -> pd.DataFrame:
    return _at_version(_flow_kinds)


@st.cache_data(max_entries=4, show_spinner=False)
def _targets(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.targets)


def targets() -> pd.DataFrame:
    return _at_version(_targets)


@st.cache_data(max_entries=4, show_spinner=False)
def _facts(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.facts)


def facts() -> pd.DataFrame:
    return _at_version(_facts)


@st.cache_data(max_entries=4, show_spinner=False)
def _sources(path: str, version: int | None = None) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.sources)


def sources() -> pd.DataFrame:
    return _at_version(_sources)


@st.cache_data(max_entries=8, show_spinner=False)
def _table(path: str, version: int, table: str) -> pd.DataFrame:
    return _snapshot(path, version, store_reads.table_rows, table)


def table(name: str) -> pd.DataFrame:
    return _at_version(_table, name)


@st.cache_data(max_entries=4, show_spinner=False)
def _table_counts(path: str, version: int | None = None) -> dict[str, int]:
    return _snapshot(path, version, store_reads.table_counts)


def table_counts() -> dict[str, int]:
    return _at_version(_table_counts)


@st.cache_resource(show_spinner=False)
def prefecture_geojson() -> dict | None:
    """Prefecture boundaries shipped offline (property ``code``); None when the file is missing."""
    if not GEOJSON_PATH.exists():
        return None
    geojson = json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))
    try:      # English names for hovers in English mode (the file carries name_zh only)
        reg = regions()
        english = dict(zip(reg["code"].astype(str), reg["name_en"]))
        for f in geojson.get("features", []):
            f["properties"].setdefault("name_en", english.get(str(f["properties"].get("code")), "") or "")
    except Exception:   # noqa: BLE001 - no database yet: Chinese names only
        pass
    return geojson


COUNTY_GEOJSON_PATH = STATIC_DIR / "geo" / "metro_counties.geojson"


@st.cache_resource(show_spinner=False)
def metro_county_geojson() -> dict | None:
    """Outlines of the counties metros list (part members; property ``code``); None when the file is missing."""
    if not COUNTY_GEOJSON_PATH.exists():
        return None
    return json.loads(COUNTY_GEOJSON_PATH.read_text(encoding="utf-8"))


@st.cache_data(max_entries=4, show_spinner=False)
def _scope_counties(path: str, version: int | None, scope: str) -> pd.DataFrame:
    from indicators.store import scope_queries

    def read(con):
        if not scope_queries.has_scope_tables(con):
            return pd.DataFrame(columns=["metro_id", "county_code", "prefecture_code", "valid_from"])
        return scope_queries.county_members(con, scope)[["metro_id", "county_code", "prefecture_code", "valid_from"]]
    return _snapshot(path, version, read)


@st.cache_data(max_entries=4, show_spinner=False)
def _scope_prefectures(path: str, version: int | None, scope: str) -> pd.DataFrame:
    from indicators.store import scope_queries

    def read(con):
        if not scope_queries.has_scope_tables(con):
            return pd.DataFrame(columns=["metro_id", "code", "coverage", "valid_from"])
        return scope_queries.scope_members(con, scope)[["metro_id", "code", "coverage", "valid_from"]]
    return _snapshot(path, version, read)


def scope_prefectures(scope: str) -> pd.DataFrame:
    """Prefecture-level members (metro_id, code, coverage whole/part, valid_from) of ``scope``."""
    return _at_version(_scope_prefectures, scope)


def scope_counties(scope: str) -> pd.DataFrame:
    """County members (metro_id, county_code, prefecture_code, valid_from) of part members in ``scope``."""
    return _at_version(_scope_counties, scope)


def clear_data_caches() -> None:
    """After an import: drop every cached frame (the connection stays)."""
    st.cache_data.clear()


def table_file(name: str, fmt: str):
    """A zero-argument callable producing a whole table as file bytes (run only when the user clicks)."""
    from indicators.ui.table_files import frame_bytes

    path = db_path()

    def make() -> bytes:
        # the whole table (limit=None): a download is never cut short; the neutralising writer makes the bytes
        return frame_bytes(store_reads.table_rows(shared_connection(path), name, limit=None), fmt, sheet_name=name)

    return make
