"""Representative dashboard figures in both languages, for the layout checks (built from small frames with long
labels and many categories: the hard cases)."""
from __future__ import annotations

import json

import pandas as pd

from indicators.paths import STATIC_DIR
from indicators.viz.dimensions import dimension_bars, radar
from indicators.viz.flows import core_share_bars, od_heatmap
from indicators.viz.maps import choropleth, flow_map
from indicators.viz.ranking import ranking_bar, rank_intervals, trend_lines
from indicators.viz.series import ranking_bars, time_series
from indicators.viz.targets import bullet_chart

METROS = {"chengdu": ("成都都市圈", "Chengdu metro"), "shanghai": ("上海大都市圈", "Greater Shanghai"),
          "hangzhou": ("杭州都市圈", "Hangzhou metro"), "nanjing": ("南京都市圈", "Nanjing metro"),
          "hefei": ("合肥都市圈", "Hefei metro")}
DIMS = {"zh": ["一个群（协同发展）", "一张网（交通互联）", "一条链（产业协作）", "一站享（公共服务）", "一盘棋（生态共保）",
               "一把尺（市场统一）", "一张卡（同城服务）"],
        "en": ["One cluster (coordination)", "One network (transport)", "One chain (industry)", "One stop (services)",
               "One board (ecology)", "One ruler (market)", "One card (city services)"]}


def _name(m, lang):
    return METROS[m][0 if lang == "zh" else 1]


def figures(lang: str) -> dict:
    """{name: figure} built by the dashboard's builders with dashboard-like texts."""
    zh = lang == "zh"
    src = ("来源：各市统计局《国民经济和社会发展统计公报》（2010—2023年）；作者计算" if zh else
           "Source: municipal statistics bureaus, statistical communiqués 2010–2023; author's calculation")
    sub = "2022年 · 单位：指数（0—100）· 框架：长三角都市圈“七个一”" if zh else "2022 · unit: index (0–100) · framework: YRD seven ones"
    ttl = (lambda z, e: z if zh else e)
    out = {}
    rank = pd.DataFrame({"metro_id": list(METROS), "name": [_name(m, lang) for m in METROS],
                         "score": [48.2, 71.5, 66.0, 60.3, 52.9], "rank": [5, 1, 2, 3, 4], "coverage": [.3, .34, .31, .3, .28]})
    out["ranking"] = ranking_bar(rank, title=ttl("都市圈同城化指数排名", "Metro integration index ranking"), subtitle=sub,
                                 source=src, lang=lang, highlight="chengdu")
    trend = pd.DataFrame([{"metro_id": m, "name": _name(m, lang), "year": y, "score": 40 + i * 5 + (y - 2010) * 1.5,
                           "coverage": 0.3 if y < 2017 else 0.36} for i, m in enumerate(METROS) for y in range(2010, 2024)])
    out["trends"] = trend_lines(trend, title=ttl("同城化指数变化", "Integration index over time"), subtitle=sub, source=src, lang=lang)
    dims = pd.DataFrame([{"metro_id": m, "name": _name(m, lang), "dimension": d,
                          "score": None if (j == 3 and m == "chengdu") or j == 6 else 30 + 7 * j + 3 * i}
                         for i, m in enumerate(list(METROS)[:3]) for j, d in enumerate(DIMS[lang])])
    out["dimension_bars"] = dimension_bars(dims, title=ttl("分维度得分", "Dimension scores"), subtitle=sub, source=src, lang=lang)
    out["radar"] = radar(dims, title=ttl("分维度得分（雷达图）", "Dimension scores (radar)"), subtitle=sub, source=src, lang=lang)
    intervals = rank.assign(rank_lo=[4, 1, 1, 2, 3], rank_hi=[5, 2, 3, 4, 5])
    out["rank_intervals"] = rank_intervals(intervals, title=ttl("排名稳健性", "Rank robustness"), subtitle=sub, source=src, lang=lang)
    cities = pd.DataFrame({"code": [f"c{i}" for i in range(24)],
                           "name": [(f"城市{i}市" if zh else f"City number {i}") for i in range(24)],
                           "value": [23958.34 - 700 * i for i in range(24)], "quality": ["cross_checked"] * 24})
    unit = "亿元" if zh else "100 million yuan"
    out["city_bars"] = ranking_bars(cities, title=ttl("地区生产总值：城市排名", "GDP: city ranking"), subtitle=sub,
                                    source=src, lang=lang, unit=unit)
    series = pd.DataFrame([{"code": c, "name": n, "year": y, "value": 10000 + 900 * (y - 2010) + 500 * k,
                            "quality": "cross_checked"} for k, (c, n) in enumerate(zip(cities["code"][:6], cities["name"][:6]))
                           for y in range(2010, 2024)])
    out["time_series"] = time_series(series, title=ttl("地区生产总值变化", "GDP over time"), subtitle=sub, source=src,
                                     lang=lang, unit=unit)
    names = [c for c in cities["name"][:6]]
    od = pd.DataFrame([{"origin_name": o, "dest_name": d, "value": 12.5 + i + j, "quality": "observed"}
                       for i, o in enumerate(names) for j, d in enumerate(names) if o != d])
    out["od_heatmap"] = od_heatmap(od, names, title=ttl("人口迁徙占比起讫矩阵", "Migration share OD matrix"), subtitle=sub,
                                   source=src, lang=lang, unit="%")
    share = pd.DataFrame({"name": names, "share": [55, 48, 41, 30, 22, 12]})
    out["core_share"] = core_share_bars(share, metro_id="chengdu", title=ttl("流向核心城市的占比", "Share toward the core"),
                                        subtitle=sub, source=src, lang=lang)
    targets = pd.DataFrame({"label": [ttl("常住人口城镇化率", "Urbanisation rate"), ttl("轨道交通通勤时间", "Rail commuting time")],
                            "unit": ["%", ttl("分钟", "minutes")], "comparator": [">=", "<="], "target": [75.0, 60.0],
                            "target_year": [2025, 2025], "base_value": [68.0, 90.0], "base_year": [2020, 2020],
                            "current": [72.1, None], "current_year": [2023, None], "quality": ["cross_checked", None],
                            "status": ["", ""]})
    out["bullets"] = bullet_chart(targets, metro_id="chengdu", title=ttl("规划目标进度", "Progress to plan targets"),
                                  subtitle=sub, source=src, lang=lang)
    gj = json.loads((STATIC_DIR / "geo" / "prefectures.geojson").read_text(encoding="utf-8"))
    codes = [f["properties"]["code"] for f in gj["features"] if f["properties"]["code"][:2] in ("51", "32", "31", "33")]
    values = pd.DataFrame({"code": codes, "name": codes, "value": [50000 + 997 * i for i in range(len(codes))],
                           "quality": ["cross_checked"] * len(codes)})
    for extent in ("national", "provinces"):
        out[f"map_{extent}"] = choropleth(values, gj, title=ttl("人均地区生产总值：地级市分布", "GDP per capita by city"),
                                          subtitle=sub, source=src, lang=lang, unit="元" if zh else "yuan",
                                          outlines={"chengdu": ["510100", "510600", "511400", "512000"]}, extent=extent)
    seats = pd.DataFrame({"code": ["510100", "510600", "511400", "512000"], "name": ["成都", "德阳", "眉山", "资阳"],
                          "lon": [104.07, 104.40, 103.85, 104.63], "lat": [30.67, 31.13, 30.08, 30.12]})
    flows = pd.DataFrame([{"origin_code": o, "dest_code": "510100", "origin_name": o, "dest_name": "成都", "value": v,
                           "quality": "observed"} for o, v in zip(["510600", "511400", "512000"], [40, 30, 20])])
    out["flow_map"] = flow_map(flows, seats, gj, member_codes=list(seats["code"]), metro_id="chengdu",
                               title=ttl("成都都市圈：人口迁徙", "Chengdu metro: migration"), subtitle=sub, source=src,
                               lang=lang, unit="%", modelled=False)
    return out
