"""Pure parts: decoration, wrapping, PNG dpi, metro resolution, metro numbers, methodology lines."""
from __future__ import annotations

import math
import struct
import zlib

import pandas as pd
import plotly.graph_objects as go
import pytest

from indicators.brief.methodology import methodology_lines
from indicators.brief.metrics import metro_table
from indicators.brief.resolve import UnknownMetro, resolve_metros
from indicators.export import SIZES, ChartMeta
from indicators.export.decorate import decorate, wrap_text
from indicators.export.meta import slugify, subtitle_from
from indicators.export.png_dpi import png_dpi, png_size, set_png_dpi


def _png(w=3, h=2) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff" * (w * 3) for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_png_dpi_roundtrip_and_replaces_existing():
    once = set_png_dpi(_png(), 300)
    assert round(png_dpi(once)) == 300 and png_size(once) == (3, 2)
    twice = set_png_dpi(once, 192)
    assert round(png_dpi(twice)) == 192 and twice.count(b"pHYs") == 1


@pytest.mark.parametrize("text,width,font,lines", [
    ("来源：国家统计局", 1000, 10, 1),
    ("来源：国家统计局", 40, 10, 2),
    ("Source: National Bureau of Statistics", 60, 10, 4),
])
def test_wrap_text(text, width, font, lines):
    out = wrap_text(text, width, font)
    assert len(out) == lines and "".join(out).replace(" ", "") == text.replace(" ", "")


def test_decorate_replaces_the_dashboard_source_line_and_keeps_figure_texts():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(title=dict(text="<b>地区生产总值</b>", subtitle=dict(text="2022年")))
    fig.add_annotation(text="来源：旧", name="source_line", x=0, y=0, xref="paper", yref="paper")
    out = decorate(fig, ChartMeta(source="来源：统计年鉴", footer="页脚"), SIZES["slide"])
    names = [a.name for a in out.layout.annotations]
    assert "source_line" not in names and names.count("export_source") == 1 and "export_footer" in names
    assert "地区生产总值" in out.layout.title.text and out.layout.title.subtitle.text == "2022年"
    assert (out.layout.width, out.layout.height) == (1280, 720)
    assert "Noto Sans CJK SC" in out.layout.font.family
    bare = decorate(fig, ChartMeta(), SIZES["a4"], include_title=False, include_footer=False)
    assert not bare.layout.title.text and not [a for a in bare.layout.annotations if a.name.startswith("export")]
    assert fig.layout.annotations[0].name == "source_line"      # the original figure is untouched


def test_meta_helpers():
    assert subtitle_from(2022, "亿元", "七个一") == "2022年 · 单位：亿元 · 框架：七个一"
    assert slugify("成都 vs 上海：GDP/人均") == "成都_vs_上海_GDP_人均"


METROS = pd.DataFrame({"metro_id": ["chengdu", "shanghai"], "name_zh": ["成都都市圈", "上海大都市圈"],
                       "name_en": ["Chengdu metropolitan area", "Shanghai metropolitan area (1+8)"]})


@pytest.mark.parametrize("names,expected", [
    ("chengdu", ["chengdu"]), ("成都都市圈,上海大都市圈", ["chengdu", "shanghai"]), ("成都、上海", ["chengdu", "shanghai"]),
    (["Shanghai metropolitan area (1+8)", "Chengdu"], ["shanghai", "chengdu"]), ("chengdu,成都", ["chengdu"]),
])
def test_resolve_metros(names, expected):
    assert resolve_metros(names, METROS) == expected


def test_resolve_unknown_metro():
    with pytest.raises(UnknownMetro):
        resolve_metros("atlantis", METROS)


def test_metro_table_sums_flags_and_growth():
    members = pd.DataFrame({"metro_id": ["m"] * 3, "code": ["A", "B", "C"], "role": ["core", "member", "partial"],
                            "parts": [None, None, "x"], "name_zh": ["甲", "乙", "丙"], "name_en": ["a", "b", "c"]})
    rows = []
    for code, gdp, pop, gdp0 in (("A", 600.0, 300.0, 400.0), ("B", 300.0, 300.0, 200.0), ("C", 100.0, 200.0, 100.0)):
        rows += [(code, 2022, "gdp", gdp, "official"), (code, 2022, "resident_population", pop, "official"),
                 (code, 2017, "gdp", gdp0, "official")]
    obs = pd.DataFrame(rows, columns=["code", "year", "indicator", "value", "quality"])
    t = metro_table(pd.DataFrame({"metro_id": ["m"], "name_zh": ["测试圈"]}), members, obs, 2022, 2017).iloc[0]
    assert t["gdp"] == 1000.0 and t["complete"] and t["has_partial"]
    assert t["core_share"] == pytest.approx(60.0)
    assert t["gdp_per_capita"] == pytest.approx(1000 * 1e8 / (800 * 1e4))
    assert t["pc_max_city"] == "甲" and t["pc_min_city"] == "丙" and t["pc_ratio"] == pytest.approx(4.0)
    assert t["cagr"] == pytest.approx((math.pow(1000 / 700, 1 / 5) - 1) * 100)
    # A member without data: no total, no share, the city is named.
    t2 = metro_table(pd.DataFrame({"metro_id": ["m"], "name_zh": ["测试圈"]}), members,
                     obs[~((obs["code"] == "B") & (obs["indicator"] == "gdp"))], 2022, 2017).iloc[0]
    assert not t2["complete"] and pd.isna(t2["gdp"]) and pd.isna(t2["core_share"]) and t2["missing"] == "乙"


def test_methodology_lines_from_dicts_and_objects():
    class Step:
        def __init__(self, name, params):
            self.name, self.params = name, params

    log = [{"step": "normalise", "params": {"method": "minmax"}}, Step("custom", {"k": 1.5})]
    assert methodology_lines(log) == ["1. 标准化 (normalise)：method=minmax", "2. custom：k=1.5"]
    assert methodology_lines(log, "en")[0] == "1. normalise: method=minmax"


def test_index_sentences_rank_change_and_coverage_caution():
    from indicators.brief.summary import index_sentences

    now = pd.DataFrame({"metro_id": ["a", "b"], "name": ["甲圈", "乙圈"], "score": [60.0, 40.0], "rank": [2, 5],
                        "coverage": [0.5, 0.5]})
    prev = pd.DataFrame({"metro_id": ["a", "b"], "name": ["甲圈", "乙圈"], "score": [58.0, 45.0],
                         "coverage": [0.5, 0.8]})
    out = index_sentences(now, "七个一", "zh", prev, 2021, comparable={"a": True, "b": True})
    assert out[0] == "同城化指数（七个一）：甲圈（60.0分，第2名）、乙圈（40.0分，第5名）。"
    assert "高20.0分" in out[1]
    assert out[2] == "与2021年相比（指标构成相同），同城化指数甲圈提高2.0分，乙圈下降5.0分。"
    assert "乙圈 80%→50%" in out[3] and "甲圈" not in out[3]
    # the make-up unknown: no year-on-year claim at all
    assert not any("2021" in x for x in index_sentences(now, "七个一", "zh", prev, 2021))
    assert index_sentences(None, "x") == []
