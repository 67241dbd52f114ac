"""Display labels for table columns (Chinese first): the frames keep stable English column names for code and
tests; ``st.dataframe(..., column_config=column_labels(df, lang))`` shows them translated."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.i18n import pick

LABELS: dict[str, tuple[str, str]] = {
    "code": ("代码", "Code"), "role": ("角色", "Role"), "parts": ("纳入范围", "Parts inside"),
    "km²": ("面积（km²）", "Area (km²)"), "source": ("来源", "Source"), "topic": ("领域", "Topic"),
    "statement": ("表述", "Statement"), "value": ("数值", "Value"), "unit": ("单位", "Unit"),
    "as_of": ("时点", "As of"), "document": ("文件", "Document"), "published": ("发布日期", "Published"),
    "quality": ("质量标记", "Quality"), "indicator": ("指标代码", "Indicator id"), "label": ("指标", "Indicator"),
    "comparator": ("比较", "Comparator"), "target": ("目标值", "Target"), "target_year": ("目标年", "Target year"),
    "base_value": ("基期值", "Base value"), "base_year": ("基期", "Base year"), "current": ("现值", "Current"),
    "current_year": ("现值年份", "Current year"), "status": ("进度", "Status"),
    "share_of_way": ("完成进度", "Share of the way"), "note": ("备注", "Note"), "met": ("已达标", "Met"),
}


def column_labels(frame: pd.DataFrame, lang: str) -> dict:
    """column_config for ``st.dataframe``: a translated label for every known column of ``frame``."""
    return {c: st.column_config.Column(pick(*LABELS[c], lang)) for c in frame.columns if c in LABELS}
