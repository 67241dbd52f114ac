"""Rendering through kaleido: sizes, dpi, SVG text, CJK glyphs (not boxes), maps offline, thread safety."""
from __future__ import annotations

import io
import threading

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from indicators.export import ChartMeta, export_figure
from indicators.export.fonts import font_covering
from indicators.export.kaleido_server import render_bytes
from indicators.export.png_dpi import png_dpi, png_size

MISSING = "\U0010FFFD"  # a private-use code point no installed font has: renders as the missing-glyph box


def bar_figure() -> go.Figure:
    fig = go.Figure(go.Bar(x=["成都", "德阳", "眉山", "资阳"], y=[2.08, 0.28, 0.16, 0.09], name="GDP"))
    fig.update_layout(title="成都都市圈各市地区生产总值")
    return fig


def glyph(ch: str) -> np.ndarray:
    """The ink of one character rendered large, cropped to its bounding box (bool array)."""
    fig = go.Figure()
    fig.add_annotation(text=ch, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=120, family='"Noto Sans CJK SC", sans-serif', color="black"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white", margin=dict(l=0, r=0, t=0, b=0))
    png = render_bytes(fig.to_plotly_json(), "png", 200, 200, 1)
    ink = np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 128
    rows, cols = np.where(ink)
    if not len(rows):
        return np.zeros((1, 1), bool)
    return ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool((a == b).mean() > 0.97)


def test_a_cjk_font_is_installed():
    family = font_covering("同城化都市圈")
    assert family and "CJK" in family


def test_chinese_glyphs_are_not_the_missing_glyph_box(kaleido_server):
    box = glyph(MISSING)
    chars = {ch: glyph(ch) for ch in "同城化"}
    for ch, g in chars.items():
        assert g.sum() > 300, f"{ch} drew almost nothing"
        assert not _same(g, box), f"{ch} rendered as the missing-glyph box"
    a, b, c = chars.values()
    assert not _same(a, b) and not _same(b, c) and not _same(a, c), "distinct characters drew identical shapes"


@pytest.mark.parametrize("size,fmt,expected,dpi", [
    ("slide", "png2x", (2560, 1440), 192),
    ("slide", "png_print", (4000, 2250), 300),
    ("a4", "png2x", (1210, 756), 192),
    ("a4", "png_print", (1891, 1181), 300),
])
def test_png_pixel_size_and_dpi(kaleido_server, size, fmt, expected, dpi):
    img = export_figure(bar_figure(), ChartMeta(source="来源：测试"), size, fmt)
    w, h = png_size(img.data)
    assert abs(w - expected[0]) <= 2 and abs(h - expected[1]) <= 2
    assert round(png_dpi(img.data)) == dpi
    assert img.filename.endswith(".png") and img.mime == "image/png"


def test_svg_keeps_baked_texts_as_text(kaleido_server):
    meta = ChartMeta(subtitle="2022年 · 单位：亿元 · 框架：七个一", source="来源：国家统计局", note="◇ 为模型估算值",
                     footer="tongcheng 同城化指数 · 导出 2026-01-01")
    svg = export_figure(bar_figure(), meta, "a4", "svg").data.decode("utf-8")
    for text in ("成都都市圈各市地区生产总值", "2022年 · 单位：亿元 · 框架：七个一", "来源：国家统计局", "为模型估算值",
                 "tongcheng 同城化指数 · 导出 2026-01-01", "Noto Sans CJK SC"):
        assert text in svg, text


def test_choropleth_exports_offline(kaleido_server):
    square = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": "510100", "properties": {"code": "510100"},
        "geometry": {"type": "Polygon", "coordinates": [[[103.5, 30.2], [103.5, 31.0], [104.5, 31.0], [104.5, 30.2], [103.5, 30.2]]]},
    }]}
    fig = go.Figure(go.Choropleth(geojson=square, locations=["510100"], z=[1.0], featureidkey="properties.code",
                                  colorscale="Reds", zmin=0, zmax=1))
    fig.update_geos(fitbounds="locations", visible=False)
    img = export_figure(fig, ChartMeta(title="地图导出"), "a4", "png2x")
    arr = np.asarray(Image.open(io.BytesIO(img.data)).convert("RGB")).astype(int)
    filled = ((arr[..., 0] > 80) & (arr[..., 1] < 40) & (arr[..., 2] < 40)).mean()   # the dark-red polygon
    assert filled > 0.05


def test_parallel_exports_each_get_their_own_image(kaleido_server):
    sizes = ["slide", "a4"] * 3
    results: dict[int, tuple[int, int]] = {}

    def work(i: int, size: str):
        results[i] = png_size(export_figure(bar_figure(), None, size, "png2x").data)

    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(sizes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, size in enumerate(sizes):
        assert results[i][0] == (2560 if size == "slide" else 1210)
