"""The Data page's status line: the data version and the observation count, from one version.

Both numbers come from the page run's pinned data version (``loaders.run_data_version``), so they always
belong together; the load test (tests/reliability) reads this line to prove no page saw half an import.
Stable text: ``数据版本 N · 观测值 M`` / ``Data version N · Observations M``.
"""
from __future__ import annotations

import streamlit as st

from indicators.i18n import pick
from indicators.ui import loaders


def status_text(version: int, observations: int, lang: str) -> str:
    return (f"{pick('数据版本', 'Data version', lang)} {version} · "
            f"{pick('观测值', 'Observations', lang)} {observations:,}")


def render_status(lang: str) -> None:
    counts = loaders.table_counts()
    st.caption(status_text(loaders.run_data_version(), int(counts.get("observation", 0)), lang))
