"""Chinese for plotly's own texts and Chinese number words on value axes.

* ``plotly_config(lang)``: the ``config`` for ``st.plotly_chart``: in Chinese the toolbar's tooltips, the
  double-click hint and month/day names come from the ``zh-CN`` dictionary below (passed with the chart as
  ``config.locales``, so nothing is fetched).
* ``value_ticks(values, lang)``: tick values and labels for a value axis or colour bar — 15万, 1.2亿 in Chinese
  (never plotly's SI "k"/"M"), thousands separators in English.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

ZH_CN = {
    "dictionary": {
        "Autoscale": "自动缩放", "Box Select": "矩形框选", "Lasso Select": "套索选择", "Pan": "平移",
        "Zoom": "缩放", "Zoom in": "放大", "Zoom out": "缩小", "Reset": "重置", "Reset axes": "重置坐标轴",
        "Reset view": "重置视图", "Reset views": "重置视图", "Reset camera to default": "镜头恢复默认",
        "Reset camera to last save": "镜头恢复上次保存", "Download plot as a png": "下载图表（PNG）", "Download plot as a PNG": "下载图表（PNG）",
        "Fullscreen": "全屏", "Exit fullscreen": "退出全屏", "Exit Fullscreen": "退出全屏",
        "Download plot": "下载图表", "Toggle Spike Lines": "显示/隐藏参考线",
        "Toggle show closest data on hover": "悬停时显示/隐藏最近数据", "Show closest data on hover": "悬停显示最近数据",
        "Compare data on hover": "悬停比较数据", "Double-click to zoom back out": "双击恢复缩放",
        "Double-click on legend to isolate one trace": "双击图例只显示该系列", "Orbital rotation": "轨道旋转",
        "Turntable rotation": "转台旋转", "Produced with Plotly.js": "由 Plotly.js 生成",
        "Snapshot succeeded": "图片已生成", "Sorry, there was a problem downloading your snapshot!": "抱歉，图片下载失败！",
        "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
        "Edit in Chart Studio": "在 Chart Studio 中编辑", "IE only supports svg.  Changing format to svg.": "IE 仅支持 SVG，已改为 SVG。",
        "Click to enter Plot title": "点击输入图表标题", "Click to enter X axis title": "点击输入横轴标题",
        "Click to enter Y axis title": "点击输入纵轴标题", "Click to enter Colorscale title": "点击输入色标标题",
        "Click to enter radial axis title": "点击输入径向轴标题", "Draw line": "画线", "Draw open freeform": "自由画线",
        "Draw closed freeform": "自由画闭合图形", "Draw circle": "画圆", "Draw rectangle": "画矩形",
        "Erase active shape": "删除选中图形", "trace": "系列", "max:": "最大值：", "min:": "最小值：", "mean:": "均值：",
        "median:": "中位数：", "q1:": "下四分位：", "q3:": "上四分位：", "lat:": "纬度：", "lon:": "经度：",
        "new text": "新文本", "open:": "开：", "close:": "收：", "high:": "高：", "low:": "低：",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
        "date": "%Y-%m-%d", "decimal": ".", "thousands": ",",
    },
}

BASE_CONFIG = {
    "topojsonURL": "/app/static/topojson/",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def plotly_config(lang: str) -> dict:
    """``st.plotly_chart`` config: offline topojson, no logo, and the Chinese locale in Chinese mode."""
    if lang == "en":
        return dict(BASE_CONFIG)
    return {**BASE_CONFIG, "locale": "zh-CN", "locales": {"zh-CN": ZH_CN}}


def _nice_step(span: float, n: int) -> float:
    raw = span / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _trim(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def cn_number(value: float) -> str:
    """15万, 1.2亿, 3,500 (a tick label in Chinese)."""
    a = abs(value)
    if a >= 1e8:
        return f"{_trim(value / 1e8)}亿"
    if a >= 1e4:
        return f"{_trim(value / 1e4)}万"
    return f"{value:,.{0 if float(value).is_integer() else 1}f}"


def value_ticks(values: Iterable, lang: str, n: int = 5, start_at_zero: bool = False) -> dict:
    """``tickvals``/``ticktext`` for a value axis (or colour bar) in Chinese number words; only thousands
    separators when plotly's own ticks read fine (small numbers, or English)."""
    vals = [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not vals or lang == "en":
        return {"separatethousands": True}
    lo, hi = min(vals), max(vals)
    if start_at_zero:
        lo = min(lo, 0.0)
    if max(abs(lo), abs(hi)) < 1e4:
        return {"separatethousands": True}
    step = _nice_step(hi - lo or abs(hi) or 1.0, n)
    first = math.floor(lo / step) * step
    ticks = []
    v = first
    while v <= hi + step * 1e-9:
        if v >= lo - step * 1e-9:
            ticks.append(round(v, 10))
        v += step
    if len(ticks) < 2:
        return {"separatethousands": True}
    return {"tickvals": ticks, "ticktext": [cn_number(t) for t in ticks]}
