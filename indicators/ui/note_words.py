"""Observation notes in Chinese: the derive step writes its processing notes in English ("CSMAR agrees",
"re-aggregated to 2020 boundaries", …). In Chinese mode a reader sees them in Chinese; a note this module does
not know is left out of the reader's view (the raw view shows every note as stored).

A note is a ``; ``-separated list of parts; each part is matched against the patterns below, in order.
"""
from __future__ import annotations

import re
from functools import lru_cache

from indicators.i18n import t

_CN = re.compile(r"[\u4e00-\u9fff]")

# (pattern, Chinese) — the pattern must match a whole part; groups are filled into the Chinese text
PATTERNS: list[tuple[re.Pattern[str], str]] = [(re.compile(p, re.IGNORECASE), zh) for p, zh in [
    (r"CSMAR agrees", "与 CSMAR 数据一致"),
    (r"CSMAR agrees \(([^)]*)\)", "与 CSMAR 数据一致（{0}）"),
    (r"CSMAR has ([\d,.]+) \(([+-][\d.]+%)\)", "CSMAR 数值为 {0}（{1}）"),
    (r"share of days with PM2\.5 <= (\d+) µg/m³ — a PM2\.5-only PROXY, not the official 优良天数比率",
     "PM2.5 日均浓度 ≤ {0} µg/m³ 的天数占比（仅依据 PM2.5 的代理指标，不是官方的优良天数比率）"),
    (r"annual mean of daily PM2\.5", "PM2.5 日均浓度的年平均值"),
    (r"reference year (\d{4}) \(compiler filled (\d{4})-(\d{4}) with the (\d{4}) value, so later years are not "
     r"independent\)", "基准年 {0}（汇编者以 {3} 年数值填充 {1}–{2} 年，之后各年并非独立观测）"),
    (r"(\d+)th census re-cut to (\d{4}) boundary ([\d,.]+)万 \(([+-][\d.]+%)\)",
     "第{0}次人口普查按 {1} 年区划重新切分：{2}万（{3}）"),
    (r"(\d+)th census re-cut to (\d{4}) boundary ([\d,.]+)万 \(([+-][\d.]+%), boundary or concept differs\)",
     "第{0}次人口普查按 {1} 年区划重新切分：{2}万（{3}，区划或口径不同）"),
    (r"kept G-P \(better continuity\)", "保留 G-P 汇编值（连续性更好）"),
    (r"kept G-P: same compilation as kept gdp", "保留 G-P 汇编值（与所保留的地区生产总值同一汇编）"),
    (r"kept G-P: G-P default \(sector sums equally consistent\)", "默认保留 G-P 汇编值（分行业加总同样一致）"),
    (r"inconclusive, G-P kept by default", "无法判定，默认保留 G-P 汇编值"),
    (r"leiii (\d{4})-boundary polygon area ([\d,.]+) km² \(([+-][\d.]+%)\)",
     "按 {0} 年边界计算的面积 {1} km²（{2}）"),
    (r"leiii (\d{4})-boundary polygon area ([\d,.]+) km² \(([+-][\d.]+%)\) — kept yearbook value",
     "按 {0} 年边界计算的面积 {1} km²（{2}），保留年鉴数值"),
    (r"polygon differs >(\d+)% \(boundary change after (\d{4}) or different area definition\)",
     "边界面积相差超过 {0}%（{1} 年后区划调整或面积口径不同）"),
    (r"computed here = gdp \(([a-z_]+)\) / year-end resident_population \(G-P\), not an official figure",
     "本工具计算 = 地区生产总值（{0}）/ 年末常住人口（G-P 汇编），非官方数据"),
    (r"gdp/resident_population = ([\d,.]+) \(([+-][\d.]+%)\)", "地区生产总值 / 常住人口 = {0}（{1}）"),
    (r"NB matches CSMAR gdp ([\d,.]+) not the kept gdp", "注意：与 CSMAR 的地区生产总值 {0} 一致，而非所保留的数值"),
    (r"NB three sectors sum to ([\d,.]+) ([+-][\d.]+%) vs gdp \(different vintage or error\)",
     "注意：三次产业加总为 {0}，与地区生产总值相差 {1}（版本不同或有误）"),
    (r"SpTeNM station series '([^']+)', (\d+) days with data", "SpTeNM 站点日数据序列（{0}），有数据 {1} 天"),
    (r"no CSMAR value \(CSMAR file ends (\d{4})\)", "CSMAR 无此值（CSMAR 数据止于{0}年）"),
    (r"no CSMAR value", "CSMAR 无此值"),
    (r"no G-P value", "G-P 汇编无此值"),
    (r"re-aggregated to (\d{4}) boundaries", "按{0}年行政区划重新汇总"),
    (r"computed = urban/total", "计算值 = 城镇人口 / 常住人口"),
    (r"computed here = gdp \(([a-z_]+)\) / year-end resident_population \(G-P\)",
     "本工具计算 = 地区生产总值（{0}）/ 年末常住人口（G-P 汇编）"),
    (r"not an official figure \(official uses annual average population\)", "非官方数据（官方口径使用年平均人口）"),
    (r"CSMAR GDP_PerCapita as published \((.+)\)", "CSMAR 公布的人均地区生产总值"),
    (r"denominator = the then-current average \(常住 or 户籍\) population, not rebased to the 7th census",
     "分母为当时口径的平均人口（常住或户籍），未按第七次人口普查修订"),
    (r"NB level shifts ([+-]\d+%) from (\d{4}) \(=6th census\) to (\d{4}): (\d{4})-(\d{4}) on a different basis "
     r"\(户籍, estimate, or post-census back-revision\)",
     "注意：{1}年（第六次人口普查）至{2}年水平跳变 {0}，{3}–{4}年口径不同（户籍、估计或普查后回溯修订）"),
    (r"NB pre-census series: (\d{4}) value is ([+-]\d+%) vs (\d{4}) \(=7th census\)",
     "注意：普查前序列，{0}年数值较{2}年（第七次人口普查）相差 {1}"),
    (r"un-rebased estimate or 户籍-based", "为未修订的估计值或户籍口径"),
    (r"identical to previous year", "与上年数值相同"),
    (r"CSMAR CRE_Gdpct \(via [^)]*\)(?: \(万元 converted to 亿元\))?", "CSMAR 城市人均地区生产总值表"),
]]


@lru_cache(maxsize=8192)       # notes repeat across thousands of rows: each distinct part is matched once
def _part(text: str) -> str | None:
    for pattern, zh in PATTERNS:
        m = pattern.fullmatch(text.strip())
        if m:
            # a quality flag in brackets (single_source, cross_checked, conflict) is said in words
            return zh.format(*(t(f"quality.{g}", "zh") if re.fullmatch(r"[a-z_]+", g or "") else (g or "")
                               for g in m.groups()))
    return text if _CN.search(text) and not _english_words(text) else None


def _english_words(text: str) -> bool:
    """True when a part still reads as an English sentence (three or more Latin words)."""
    return len(re.findall(r"[A-Za-z]{3,}", text)) >= 3


def note_in(text, lang: str) -> str:
    """The note as a reader in ``lang`` sees it: Chinese parts as written, known English parts translated, the
    rest left out (Chinese mode); English mode shows the note as stored."""
    if text is None or (isinstance(text, float) and text != text) or str(text).strip() in ("", "None", "nan", "<NA>"):
        return ""
    text = str(text)
    if lang == "en":
        return text
    parts = [_part(p) for p in text.split(";") if p.strip()]
    return "；".join(p for p in parts if p)
