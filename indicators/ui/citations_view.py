"""Source lines of the dashboard's charts, cited as analysts cite them (indicators.brief.citations): the
original publisher and document of the values shown, with the compilation they were reached through."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.brief import citations as cite
from indicators.store import citations as store_citations
from indicators.ui import loaders


@st.cache_data(max_entries=4, show_spinner=False)
def _citations(path: str, version: int | None = None) -> pd.DataFrame:
    return loaders._snapshot(path, version, store_citations.citations)


def citations() -> pd.DataFrame:
    return loaders._at_version(_citations)


def usage_frame(frame: pd.DataFrame, city_col: str | None = "name") -> pd.DataFrame:
    """(source_id, city, year) rows from a frame with ``source_id`` or comma-separated ``source_ids``."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["source_id", "city", "year", "code"])
    col = "source_id" if "source_id" in frame else "source_ids"
    rows = []
    for r in frame.to_dict("records"):
        ids = [s for s in str(r.get(col) or "").split(",") if s and s != "nan"]
        for sid in ids:
            rows.append({"source_id": sid.strip(), "city": r.get(city_col) if city_col else None,
                         "year": r.get("year"), "code": r.get("code") if city_col else None})
    return pd.DataFrame(rows, columns=["source_id", "city", "year", "code"])


def source_items(frame: pd.DataFrame, lang: str, city_col: str | None = "name", limit: int = 3) -> list[str]:
    """The references of the rows shown, short form, for ``t("chart.source", sources="；".join(...))``."""
    usage = usage_frame(frame, city_col)
    if usage.empty:
        return []
    ids = list(dict.fromkeys(usage["source_id"]))
    refs = cite.references(citations(), usage, lang, order=ids)
    return cite.source_items(refs, lang, limit)


def trace_lines(prov: pd.DataFrame, city: str, year: int, lang: str) -> list[str]:
    """For a traced value (the Data page's provenance rows): the original publisher and document of each
    source, then — in the same line — the compilation it was reached through and what that does not record.
    '德阳市统计局：国民经济和社会发展统计公报或统计年鉴（2022年数据）——经第三方数据汇编 G-P（…）整理；汇编未注明…'."""
    if prov is None or prov.empty or "source_id" not in prov:
        return []
    ids = list(dict.fromkeys(prov["source_id"].dropna().astype(str)))
    usage = pd.DataFrame({"source_id": ids, "city": city, "year": int(year)})
    refs = cite.references(citations(), usage, lang, order=ids)
    dash = "——" if lang != "en" else " — "
    return [r.main + (dash + r.small if r.small else "") for r in refs]
