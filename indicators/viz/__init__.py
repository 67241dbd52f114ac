"""Pure plotly figure builders: one theme, one fixed metro palette, a CJK font, titled and sourced charts.

Nothing here touches streamlit or the database: every builder takes DataFrames and returns a figure.
"""
from indicators.viz.theme import (
    CJK_FONT_FAMILY,
    METRO_COLORS,
    QUALITY_MARKED,
    apply_frame,
    metro_color,
    metro_color_map,
)

__all__ = ["CJK_FONT_FAMILY", "METRO_COLORS", "QUALITY_MARKED", "apply_frame", "metro_color", "metro_color_map"]
