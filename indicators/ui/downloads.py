"""Download buttons beside a chart: PNG 2×, PNG print (300 dpi) or SVG, at slide (16:9) or A4-column size,
with title, subtitle, source line and product footer baked in (``indicators.export``).

Nothing is rendered on an ordinary rerun: the analyst picks size and format, presses "prepare", and only
then is the image rendered (≈0.3 s, cached by figure JSON + texts + size + format) and a download button
shown. Usage in a page::

    st.plotly_chart(fig, key="gdp_bar")
    chart_downloads(fig, "gdp_bar", ChartMeta(source="来源：…"))   # meta may also be a dict or None
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from indicators.export import FORMATS, SIZES, ChartMeta, coerce_meta, export_figure, figure_json

DOWNLOAD_BOX_PREFIX = "dlbox_"
LABELS: dict[str, dict[str, str]] = {
    "open": {"zh": "⬇ 下载图片", "en": "⬇ Download image"},
    "size": {"zh": "尺寸", "en": "Size"},
    "format": {"zh": "格式", "en": "Format"},
    "prepare": {"zh": "生成图片", "en": "Prepare image"},
    "download": {"zh": "下载 {name}", "en": "Download {name}"},
    "rendering": {"zh": "正在生成…", "en": "Rendering…"},
    "failed": {"zh": "导出失败：{error}", "en": "Export failed: {error}"},
}
SIZE_LABELS = {"slide": {"zh": "幻灯片 16:9", "en": "Slide 16:9"}, "a4": {"zh": "A4 栏宽", "en": "A4 column"}}
FORMAT_LABELS = {"png2x": {"zh": "PNG 2×", "en": "PNG 2×"},
                 "png_print": {"zh": "PNG 打印 300dpi", "en": "PNG print 300 dpi"},
                 "svg": {"zh": "SVG 矢量", "en": "SVG vector"}}


def _lang(lang: str | None) -> str:
    lang = lang or st.session_state.get("_sel_lang") or "zh"
    return "en" if lang == "en" else "zh"


def _label(table: Mapping[str, Mapping[str, str]], key: str, lang: str, **values: Any) -> str:
    text = table[key][lang]
    return text.format(**values) if values else text


@st.cache_data(max_entries=48, show_spinner=False)
def cached_export(fig_json: str, meta_json: str, size: str, fmt: str) -> tuple[bytes, str, str]:
    """(bytes, mime, filename) of one export; cached by the figure's JSON, the texts, size and format."""
    img = export_figure(json.loads(fig_json), ChartMeta.model_validate_json(meta_json), size, fmt)
    return img.data, img.mime, img.filename


def chart_downloads(fig: go.Figure, key: str, meta: ChartMeta | Mapping[str, Any] | None = None, *,
                    lang: str | None = None) -> None:
    """A small "download image" popover for ``fig``. ``key`` must be unique on the page (e.g. the chart's
    plotly_chart key); ``meta`` overrides the title/subtitle/source the figure carries (ChartMeta or dict)."""
    lang = _lang(lang)
    meta = coerce_meta(meta)
    # The container's key gives it the CSS class st-key-dlbox_<key>: briefing mode hides every such box.
    with st.container(key=f"{DOWNLOAD_BOX_PREFIX}{key}"), st.popover(_label(LABELS, "open", lang)):
        size = st.radio(_label(LABELS, "size", lang), list(SIZES), key=f"{key}__exp_size", horizontal=True,
                        format_func=lambda s: SIZE_LABELS[s][lang])
        fmt = st.radio(_label(LABELS, "format", lang), list(FORMATS), key=f"{key}__exp_fmt", horizontal=True,
                       format_func=lambda f: FORMAT_LABELS[f][lang])
        request_key = f"{key}__exp_request"
        if st.button(_label(LABELS, "prepare", lang), key=f"{key}__exp_go"):
            st.session_state[request_key] = [size, fmt]
        if st.session_state.get(request_key) != [size, fmt]:
            return
        try:
            with st.spinner(_label(LABELS, "rendering", lang)):
                data, mime, filename = cached_export(figure_json(fig), meta.model_dump_json(), size, fmt)
        except Exception as exc:  # kaleido/chromium missing or a figure it cannot draw: say so, keep the page
            st.error(_label(LABELS, "failed", lang, error=exc))
            return
        st.download_button(_label(LABELS, "download", lang, name=filename), data=data, file_name=filename,
                           mime=mime, key=f"{key}__exp_dl", on_click="ignore")
