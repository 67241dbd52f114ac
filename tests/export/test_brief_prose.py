"""The writer of statistical prose (indicators.brief.prose): table-driven, both languages."""
from __future__ import annotations

import pytest

from indicators.brief import prose


@pytest.mark.parametrize("a, b, unit, lang, expected", [
    # gaps between rates and shares are percentage points, never a relative percent
    (79.28, 22.0, "%", "zh", "比乙高57.3个百分点"),
    (22.0, 79.28, "%", "zh", "比乙低57.3个百分点"),
    (79.28, 22.0, "%", "en", "57.3 percentage points higher than B"),
    (50.0, 49.0, "%", "en", "1.0 percentage point higher than B"),
    (50.02, 50.0, "%", "zh", "与乙持平"),
    # ratios between levels are 倍 / times
    (30000.0, 20000.0, "亿元", "zh", "是乙的1.5倍"),
    (48000.0, 20000.0, "亿元", "en", "2.4 times B's"),
    (20000.0, 80000.0, "亿元", "zh", "为乙的25.0%"),
    (110.0, 100.0, "元", "zh", "比乙高10.0%"),
    (90.0, 100.0, "元", "en", "10.0% lower than B"),
    # ratio- and index-valued indicators: absolute differences
    (1.62, 1.20, "ratio", "zh", "比乙高0.42"),
    (0.10, 0.15, "index", "en", "0.05 lower than B"),
    # signed values (a convergence rate): the difference in the indicator's own unit, same decimals as the values
    (1.9, -0.76, "对数点/年", "zh", "比乙高2.66对数点/年"),
    (1.9, -0.76, "对数点/年", "en", "2.66 log points a year higher than B"),
])
def test_compare_clause(a, b, unit, lang, expected):
    peer = "乙" if lang == "zh" else "B"
    assert prose.compare_clause(peer, a, b, unit, lang) == expected


@pytest.mark.parametrize("value, unit, lang, expected", [
    (22074.7, "亿元", "zh", "2.21万亿元"),
    (22074.7, "亿元", "en", "2.21 trillion yuan"),
    (4580.5, "亿元", "zh", "4,580亿元"),         # below 1万亿: read in 亿元, no decimals
    (45.3, "亿元", "zh", "45.3亿元"),
    (4580.5, "亿元", "en", "458.05 billion yuan"),
    (2093.8, "万人", "zh", "2,094万人"),
    (2093.8, "万人", "en", "20.94 million people"),
    (150085.0, "元", "zh", "15.01万元"),
    (150085.0, "元", "en", "150,085 yuan"),
    (20937757.0, "人", "zh", "2,093.78万人"),
    (79.28, "%", "zh", "79.3%"),
    (79.28, "%", "en", "79.3%"),
    (1.62, "ratio", "zh", "1.6倍"),
    (1.62, "ratio", "en", "1.6 times"),
    (63.4, "min", "zh", "63分钟"),
    (2.5, "年", "en", "2.50 years"),                # Chinese catalog units read in English in English mode
    (1234.5, "人/km²", "zh", "1,234人/km²"),
])
def test_value_text_units(value, unit, lang, expected):
    assert prose.value_text(value, unit, lang) == expected


def test_no_bad_forms_in_any_value_text():
    for unit in ("%", "ratio", "亿元", "万人", "元", "人", "min", "index", "km/万km²"):
        for lang in ("zh", "en"):
            text = prose.value_text(12345.678, unit, lang)
            assert " %" not in text and "ratio" not in text and "k " not in text + " "


@pytest.mark.parametrize("indicator, direction, lang, higher, expected", [
    ("core_gdp_share", "lower", "zh", True, "经济更集中于中心城市"),
    ("core_gdp_share", "lower", "zh", False, "经济分布更均衡"),
    ("core_gdp_share", "lower", "en", True, "economic activity more concentrated in the core"),
    ("gdp_pc_cv", "lower", "zh", False, "成员城市间更均衡"),
    ("gdp", "higher", "zh", True, "较高（该指标越高越好）"),
    ("pm25_mean", "lower", "zh", True, "空气污染更重"),
    ("anything", "lower", "en", False, "lower (lower is better)"),
])
def test_direction_is_spelled_out(indicator, direction, lang, higher, expected):
    assert prose.meaning(indicator, higher, direction, lang) == expected


def test_comparison_sentence_groups_peers_keeps_order_and_states_direction():
    s = prose.comparison_sentence("中心城市经济首位度", "成都都市圈", 49.23,
                                  [("上海大都市圈", 37.0), ("杭州都市圈", 37.04), ("南京都市圈", 30.1)],
                                  "%", "core_gdp_share", "lower", "zh")
    assert s == ("中心城市经济首位度：成都都市圈为49.2%，比上海大都市圈和杭州都市圈均高12.2个百分点，"
                 "比南京都市圈高19.1个百分点（经济更集中于中心城市）。")
    # the analyst's order is kept even when values would sort differently
    s2 = prose.comparison_sentence("地区生产总值", "甲", 100.0, [("丙", 50.0), ("乙", 40.0)], "亿元", "gdp")
    assert s2.index("丙") < s2.index("乙")
    assert "（该指标越高越好）" in s2 and "是丙的2.0倍" in s2 and "是乙的2.5倍" in s2
    en = prose.comparison_sentence("Core share", "Chengdu", 49.23, [("Shanghai", 37.0), ("Nanjing", 30.1)],
                                   "%", "core_gdp_share", "lower", "en")
    assert en.startswith("Core share: Chengdu 49.2%, 12.2 percentage points higher than Shanghai")
    assert en.endswith("(economic activity more concentrated in the core).")
    # no direction claim when the subject is between its peers on a concentration measure
    mid = prose.comparison_sentence("首位度", "甲", 40.0, [("乙", 30.0), ("丙", 50.0)], "%", "core_gdp_share", "lower")
    assert "集中" not in mid and "均衡" not in mid


@pytest.mark.parametrize("names, lang, expected", [
    (["甲"], "zh", "甲"), (["甲", "乙"], "zh", "甲和乙"), (["甲", "乙", "丙", "乙"], "zh", "甲、乙和丙"),
    (["A", "B", "C"], "en", "A, B and C"), ([], "zh", ""),
])
def test_join_names(names, lang, expected):
    assert prose.join_names(names, lang) == expected


def test_group_by_clause_names_several_peers_once():
    items = [("上海", "成都落后最多的维度是“一张网”"), ("杭州", "成都落后最多的维度是“一张网”"),
             ("南京", "成都领先的维度是“一盘棋”")]
    out = prose.group_by_clause(items, "与{peers}相比，{clause}。", "Against {peers}, {clause}.", "zh")
    assert out == ["与上海和杭州相比，成都落后最多的维度是“一张网”。", "与南京相比，成都领先的维度是“一盘棋”。"]


def test_dedupe_and_order():
    assert prose.dedupe(["a。", "b。", "a。", " ", ""]) == ["a。", "b。"]
    assert prose.in_order(["南京", "上海", "成都"], ["成都", "上海", "南京"]) == ["成都", "上海", "南京"]


@pytest.mark.parametrize("now, before, comparable, lang, expected", [
    (55.2, 54.0, True, "zh", "成都都市圈同城化指数较2021年提高1.2分。"),
    (53.0, 54.0, True, "en", "成都都市圈同城化指数 fell by 1.0 points from 2021."),
    (54.02, 54.0, True, "zh", "成都都市圈同城化指数与2021年持平。"),
    (55.2, 54.0, False, "zh", "成都都市圈同城化指数2021年与2022年指标构成不同（口径变化、不可比），不计算较上年变化。"),
])
def test_change_sentence_only_when_comparable(now, before, comparable, lang, expected):
    assert prose.change_sentence("成都都市圈同城化指数", now, before, 2022, 2021, comparable=comparable,
                                 lang=lang) == expected
