"""Strings and chart builders: every key in both languages, every used key exists, one theme and palette."""
from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from indicators.i18n import LANGS, pick, strings, t
from indicators.viz.theme import METRO_COLORS, apply_frame, metro_color

ROOT = Path(__file__).resolve().parents[2]
METRO_IDS = ["chengdu", "shanghai", "nanjing", "hangzhou", "hefei", "suxichang", "ningbo", "fuzhou", "wuhan",
             "xian", "chongqing"]


def test_every_string_has_chinese_and_english():
    for key, entry in strings().items():
        assert set(entry) == set(LANGS), key
        assert all(v.strip() for v in entry.values()), key


def _literal_keys(path: Path) -> set[str]:
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                keys.add(arg.value)
    return keys


def test_every_key_the_code_uses_exists():
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "indicators" / "ui").glob("*.py"),
             *(ROOT / "indicators" / "viz").glob("*.py")]
    used = set().union(*(_literal_keys(f) for f in files))
    missing = sorted(k for k in used if k not in strings())
    assert not missing, missing


def test_placeholders_match_between_languages():
    import string

    for key, entry in strings().items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(v) if f} for v in entry.values()]
        assert fields[0] == fields[1], key


@pytest.mark.parametrize("lang", LANGS)
def test_t_fills_placeholders_and_falls_back(lang):
    assert "2020" in t("state.metro_no_data_year", lang, metro="X", year=2020)
    assert t("no.such.key", lang) == "no.such.key"
    assert pick("成都", "Chengdu", lang) == ("Chengdu" if lang == "en" else "成都")


def test_each_metro_has_its_own_fixed_colour():
    colours = [metro_color(m) for m in METRO_IDS]
    assert len(set(colours)) == len(colours)
    assert metro_color("chengdu") == METRO_COLORS["chengdu"]
    assert metro_color("some_new_metro") == metro_color("some_new_metro")   # stable fallback


def test_apply_frame_sets_title_subtitle_source_and_cjk_font():
    import plotly.graph_objects as go

    fig = apply_frame(go.Figure(), "标题", "2020年 · 单位：亿元", "来源：统计公报")
    assert "标题" in fig.layout.title.text
    assert fig.layout.title.subtitle.text.startswith("2020")
    assert any(a.text == "来源：统计公报" for a in fig.layout.annotations)
    assert "Noto Sans CJK SC" in fig.layout.font.family


def test_ranking_bar_colours_each_metro_and_marks_coverage():
    from indicators.viz.ranking import ranking_bar

    df = pd.DataFrame({"metro_id": ["chengdu", "shanghai"], "name": ["成都", "上海"], "score": [60.0, 70.0],
                       "rank": [2, 1], "coverage": [0.5, 1.0]})
    fig = ranking_bar(df, title="t", subtitle="s", source="来源：x", lang="zh")
    bar = fig.data[0]
    assert list(bar.y) == ["成都", "上海"]                       # best on top
    assert list(bar.marker.color) == [METRO_COLORS["chengdu"], METRO_COLORS["shanghai"]]
    assert "50%" in bar.text[0]


def test_empty_input_gives_a_designed_no_data_figure():
    from indicators.viz.ranking import trend_lines

    fig = trend_lines(pd.DataFrame(columns=["metro_id", "name", "year", "score"]), title="t", subtitle="s",
                      source="来源：x", lang="en")
    assert any(a.text == "No data" for a in fig.layout.annotations)


def test_time_series_marks_quality_and_breaks():
    from indicators.viz.series import time_series

    df = pd.DataFrame({"code": ["510100"] * 3, "name": ["成都市"] * 3, "year": [2015, 2016, 2017],
                       "value": [1.0, 2.0, 3.0], "quality": ["official", "modelled", "official"]})
    breaks = pd.DataFrame({"code": ["510100"], "year": [2016], "kind": ["boundary_change"], "description": ["简阳"]})
    fig = time_series(df, title="t", subtitle="s", source="来源：x", lang="zh", unit="亿元", breaks=breaks)
    line = fig.data[0]
    assert list(line.marker.symbol) == ["circle", "diamond-open", "circle"]
    assert any(tr.name == "序列断点" for tr in fig.data[1:])
    assert "模型估算" in line.hovertext[1] and "亿元" in line.hovertext[1]


def test_choropleth_outlines_members_in_metro_colour():
    from indicators.viz.maps import choropleth

    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    gj = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c}, "geometry": square} for c in ("510100", "510600", "310100")]}
    df = pd.DataFrame({"code": ["510100", "510600", "310100"], "name": ["a", "b", "c"], "value": [1.0, 2.0, 3.0],
                       "quality": ["official", "estimate", "official"]})
    fig = choropleth(df, gj, title="t", subtitle="s", source="来源：x", lang="zh", unit="元",
                     outlines={"chengdu": ["510100", "510600"]})
    assert fig.data[1].marker.line.color == METRO_COLORS["chengdu"]
    assert list(fig.data[1].locations) == ["510100", "510600"]
    assert "◇" in fig.data[0].hovertext[1]                      # the estimate is marked


def test_compare_summary_sentences_follow_the_numbers():
    from indicators.ui.compare_view import summary_sentences

    dims = pd.DataFrame({"metro_id": ["a", "a", "b", "b"], "dimension_id": ["x", "y", "x", "y"],
                         "dimension": ["维度X", "维度Y", "维度X", "维度Y"], "score": [40.0, 80.0, 70.0, 60.0]})
    gaps = pd.DataFrame({"indicator": ["i"], "name": ["指标I"], "unit": ["元"], "metro_id": ["b"], "value": [200.0],
                         "base_value": [100.0], "gap": [100.0], "gap_pct": [100.0], "norm_gap": [30.0],
                         "quality": [None]})
    out = summary_sentences(dims, gaps, "a", {"a": "甲", "b": "乙"}, "zh")
    assert out[0] == "与乙相比，甲差距最大的维度是“维度X”（落后30.0分）。"
    assert out[1] == "与乙相比，甲领先最多的维度是“维度Y”（领先20.0分）。"
    assert out[2] == "指标层面差距最大的是“指标I”：甲为100元，为乙的50.0%（该指标越高越好）。"


def test_compare_charts_follow_the_selected_metro_order():
    """成都, 上海, 杭州 chosen in that order: bars, legend and radar traces come in that order, not by id."""
    from indicators.ui.compare_view import in_selected_order
    from indicators.viz.dimensions import dimension_bars, radar

    dims = pd.DataFrame({"metro_id": ["chengdu", "hangzhou", "shanghai"] * 2, "dimension_id": ["x"] * 3 + ["y"] * 3,
                         "dimension": ["维度X"] * 3 + ["维度Y"] * 3, "name": ["成都都市圈", "杭州都市圈", "上海大都市圈"] * 2,
                         "score": [40.0, 50.0, 60.0, 70.0, 80.0, 90.0]})
    chosen = ("chengdu", "shanghai", "hangzhou")
    ordered = in_selected_order(dims, chosen)
    assert list(dict.fromkeys(ordered["metro_id"])) == list(chosen)
    assert len(in_selected_order(dims, ("shanghai",))) == 2
    everyone = in_selected_order(dims, ("shanghai",), then_others=True)
    assert len(everyone) == 6 and everyone["metro_id"].iloc[0] == "shanghai"
    for build in (dimension_bars, radar):
        fig = build(ordered, title="t", subtitle="s", source="来源：x", lang="zh")
        names = [tr.name for tr in fig.data if tr.name in {"成都都市圈", "杭州都市圈", "上海大都市圈"}]
        assert list(dict.fromkeys(names)) == ["成都都市圈", "上海大都市圈", "杭州都市圈"]


def test_a_zero_dimension_score_is_labelled_not_left_blank():
    from indicators.viz.dimensions import dimension_bars

    dims = pd.DataFrame({"metro_id": ["a", "a", "b", "b"], "dimension": ["维度X", "维度Y"] * 2, "name": ["甲"] * 2 + ["乙"] * 2,
                         "score": [0.0, 50.0, 100.0, 20.0]})
    fig = dimension_bars(dims, title="t", subtitle="s", source="来源：x", lang="zh")
    assert list(fig.data[0].text) == ["0", ""] and list(fig.data[1].text) == ["", ""]


def test_keys_built_at_run_time_exist():
    from indicators.methods.normalise import NORMALISERS
    from indicators.ui.method_view import AGGREGATIONS, MISSING_RULES, WEIGHTINGS

    schema = (ROOT / "indicators" / "store" / "schema.sql").read_text(encoding="utf-8")
    flags = ["official", "cross_checked", "single_source", "conflict", "census", "estimate", "modelled", "synthetic"]
    assert all(f"'{f}'" in schema for f in flags)
    keys = ([f"quality.{q}" for q in flags] + [f"method.norm.{n}" for n in NORMALISERS.names()]
            + [f"method.weighting.{w}" for w in WEIGHTINGS] + [f"method.agg.{a}" for a in AGGREGATIONS]
            + [f"method.missing.{m}" for m in MISSING_RULES] + [f"role.{r}" for r in ("core", "member", "partial")]
            + [f"flows.kind.{k}" for k in ("migration_share", "rail_minutes", "gravity_linkage")])
    missing = [k for k in keys if k not in strings()]
    assert not missing, missing


@pytest.mark.parametrize("unit,zh,en", [("亿元", "亿元", "100 million yuan"), ("万人", "万人", "10,000 persons"),
                                        ("ratio", "倍", "ratio"), ("min", "分钟", "min"), ("%", "%", "%"),
                                        ("µg/m³", "µg/m³", "µg/m³")])
def test_catalog_units_read_in_the_page_language(unit, zh, en):
    from indicators.ui.catalog_view import unit_in

    assert (unit_in(unit, "zh"), unit_in(unit, "en")) == (zh, en)


def test_no_catalog_unit_is_chinese_in_english_mode():
    import re

    from indicators.ui.catalog_view import label, labels

    for iid in labels():
        assert not re.search(r"[\u4e00-\u9fff]", label(iid, "en").unit), (iid, label(iid, "en").unit)


def test_target_sets_are_named_never_coded():
    from indicators.ui.targets_view import scope_name

    names = {"chengdu": "成都都市圈"}
    assert scope_name("chengdu", names, "zh") == "成都都市圈"
    assert scope_name("YRD", names, "zh").startswith("长三角") and scope_name("YRD", names, "en").startswith("Yangtze")


def test_bullet_value_label_never_sits_on_the_target_line():
    from indicators.viz.targets import bullet_chart

    rows = pd.DataFrame({"label": ["城镇化率", "地区生产总值"], "unit": ["%", "亿元"], "comparator": [">=", ">="],
                         "target": [75.0, 33000.0], "target_year": [2025, 2025], "base_value": [70.1, 21353.77],
                         "base_year": [2020, 2020], "current": [72.54, 26598.1], "current_year": [2020, 2023],
                         "quality": ["official", "official"]})
    fig = bullet_chart(rows, metro_id="chengdu", title="t", subtitle="s", source="来源：x", lang="zh")
    bars = [tr for tr in fig.data if tr.type == "bar" and tr.text]
    assert bars[0].text == ("72.5 (2020)",) and bars[0].textposition == "inside"     # 72.5 is 3 % short of 75
    assert bars[1].textposition == "outside"                                           # far from its target
    assert fig.layout.xaxis.tickformat == ",~r"
    en = bullet_chart(rows, metro_id="chengdu", title="t", subtitle="s", source="Source: x", lang="en")
    assert en.layout.annotations[1].text == "地区生产总值 (≥ 33,000 100 million yuan, 2025)"   # no 亿元, no （，）


def test_long_subtitles_wrap_between_parts_and_push_the_plot_down():
    import plotly.graph_objects as go

    from indicators.viz.theme import SUBTITLE_WRAP_PX, _text_px, apply_frame, wrap_subtitle

    long = "2023 · Unit: points (0–100) · Framework: Chengdu metro plan's eight areas · plan scope"
    text, n = wrap_subtitle(long)
    assert n == 2 and all(_text_px(line, 12) <= SUBTITLE_WRAP_PX for line in text.split("<br>"))
    assert text.replace("<br>", " · ") == long                       # nothing lost, broken only between parts
    assert wrap_subtitle("2023年 · 单位：分（0–100）") == ("2023年 · 单位：分（0–100）", 1)
    short = apply_frame(go.Figure(go.Bar(x=[1], y=[1])), "t", "2023", "来源：x")
    wrapped = apply_frame(go.Figure(go.Bar(x=[1], y=[1])), "t", long, "来源：x")
    assert wrapped.layout.margin.t == short.layout.margin.t + 16


def test_english_dimension_names_lie_down_instead_of_breaking_mid_word():
    from indicators.viz.dimensions import dimension_bars

    names = ["Spatial layout", "Connected infrastructure", "Innovation cooperation", "Industrial cooperation",
             "Opening up together", "Shared public services", "Joint ecology and pollution control", "Institutional reform"]
    dims = pd.DataFrame({"metro_id": ["a"] * 8, "name": ["A metro"] * 8, "dimension": names,
                         "score": [40.0, 45.0, None, 55.0, 60.0, 65.0, None, None]})
    en = dimension_bars(dims, title="t", subtitle="s", source="Source: x", lang="en")
    assert en.data[0].orientation == "h" and en.layout.yaxis.autorange == "reversed"
    assert all(len(line) <= 22 for y in en.data[0].y for line in y.split("<br>"))      # whole words, ≤ 22 a line
    assert sum(a.text == "No data" for a in en.layout.annotations) == 3
    zh = dimension_bars(dims.assign(dimension=[f"维度{i}" for i in range(8)]), title="t", subtitle="s", source="来源：x",
                        lang="zh")
    assert zh.data[0].orientation in (None, "v")


def test_english_place_names_that_two_cities_share_are_told_apart():
    from indicators.i18n import place_names

    zh, en, prov = ["泰州市", "台州市", "成都市"], ["Taizhou", "Taizhou", "Chengdu"], ["Jiangsu", "Zhejiang", "Sichuan"]
    assert place_names(zh, en, "en", prov) == ["Taizhou (Jiangsu)", "Taizhou (Zhejiang)", "Chengdu"]
    assert place_names(zh, en, "zh", prov) == zh
    assert place_names(["北京市", "北京市"], ["Beijing", "Beijing"], "en", ["Beijing"] * 2) == ["Beijing", "Beijing"]
