"""No-data is a gap (never zero) on radars and bars; Chinese value axes say 万/亿, never plotly's "k"."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.viz.dimensions import dimension_bars, radar
from indicators.viz.locale import cn_number, plotly_config, value_ticks
from indicators.viz.series import ranking_bars

DIMS = pd.DataFrame({"metro_id": ["chengdu"] * 3 + ["shanghai"] * 3, "name": ["成都"] * 3 + ["上海"] * 3,
                     "dimension": ["一张网", "一条链", "一盘棋"] * 2, "score": [60.0, None, 40.0, 80.0, 70.0, None]})


def test_radar_leaves_a_gap_where_a_dimension_has_no_data():
    fig = radar(DIMS, title="t", subtitle="s", source="src", lang="zh")
    for tr in fig.data:
        assert tr.connectgaps is False and tr.fill in (None, "none")      # no outline drawn through a gap
        r = list(tr.r)
        assert any(v is None or (isinstance(v, float) and math.isnan(v)) for v in r)
        assert 0 not in r and 0.0 not in r


def test_dimension_bars_draw_no_bar_for_missing_scores():
    fig = dimension_bars(DIMS, title="t", subtitle="s", source="src", lang="zh")
    chengdu = next(tr for tr in fig.data if tr.name == "成都")
    ys = list(chengdu.y)
    assert ys[1] is None or math.isnan(ys[1])


@pytest.mark.parametrize("value,text", [(150000, "15万"), (23958.34, "2.4万"), (120000000, "1.2亿"), (3500, "3,500"),
                                        (0, "0")])
def test_chinese_number_words(value, text):
    assert cn_number(value) == text


def test_value_axes_use_wan_in_chinese_and_never_k():
    frame = pd.DataFrame({"code": list("abc"), "name": ["苏州", "无锡", "成都"], "value": [186000.0, 152000.0, 94000.0],
                          "quality": ["cross_checked"] * 3})
    fig = ranking_bars(frame, title="t", subtitle="s", source="src", lang="zh", unit="元")
    assert all(t.endswith("万") or t == "0" for t in fig.layout.xaxis.ticktext)
    assert fig.layout.xaxis.exponentformat == "none"
    en = ranking_bars(frame, title="t", subtitle="s", source="src", lang="en", unit="yuan")
    assert en.layout.xaxis.ticktext is None and en.layout.xaxis.separatethousands is True
    assert value_ticks([1, 50], "zh") == {"separatethousands": True}


def test_plotly_toolbar_is_chinese_in_chinese_mode():
    zh = plotly_config("zh")
    assert zh["locale"] == "zh-CN" and zh["locales"]["zh-CN"]["dictionary"]["Download plot as a png"] == "下载图表（PNG）"
    assert "locale" not in plotly_config("en") and plotly_config("en")["topojsonURL"] == "/app/static/topojson/"


def test_ranking_scores_keep_one_decimal_in_labels_and_hover():
    """A ranked list reads 66.0 beside 54.9 (not 66), in the bar label and the hover text."""
    import pandas as pd

    from indicators.viz.hover import fmt_fixed
    from indicators.viz.ranking import ranking_bar

    assert [fmt_fixed(v) for v in (66, 54.94, 40.04, 1234.5, float("nan"))] == ["66.0", "54.9", "40.0", "1,234.5", "—"]
    df = pd.DataFrame({"metro_id": ["a", "b"], "name": ["甲都市圈", "乙都市圈"], "score": [66.0, 54.94], "rank": [1, 2],
                       "coverage": [0.5, 0.5]})
    fig = ranking_bar(df, title="排名", subtitle="2023年", source="来源：测试", lang="zh")
    bar = fig.data[0]
    assert [t.split()[0] for t in bar.text] == ["54.9", "66.0"]
    assert any(": 66.0<br>" in h for h in bar.hovertext)
