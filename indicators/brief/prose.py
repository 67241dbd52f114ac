"""A small writer of Chinese statistical prose (with English equivalents): pure functions, no I/O.

The conventions of a government briefing (工作简报):
- gaps between two rates or shares are in 百分点 / percentage points, never "低 57%";
- ratios are 倍 / "times" (a value whose unit is ``ratio`` reads "1.6倍", never "1.6 ratio");
- magnitudes in 万 / 亿 (22,074.7 亿元 → "2.21万亿元"; English "2.21 trillion yuan");
- shares with one decimal ("79.3%", never "79.28 %");
- every comparison says what a higher value means for that indicator (较高/较低, 更均衡/更集中);
- metros are named in the order the analyst chose; a clause shared by several peers is one sentence naming
  them all, and no sentence is repeated.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

ZH, EN = "zh", "en"
PERCENT_UNITS = {"%", "％", "percent"}
RATIO_UNITS = {"ratio", "倍", "times"}


def _lang(lang: str | None) -> str:
    return EN if lang == EN else ZH


def _ok(v) -> bool:
    try:
        return v is not None and not math.isnan(float(v))
    except (TypeError, ValueError):
        return False


# ---- numbers -----------------------------------------------------------------------------------------------

def num(v: float, digits: int = 0) -> str:
    """Thousands separators, fixed decimals; '−' for negatives is left to the caller's wording."""
    return f"{float(v):,.{digits}f}"


def share(v: float, lang: str = ZH) -> str:
    """A rate or share in percent, one decimal: 79.28 → '79.3%'."""
    return f"{float(v):.1f}%"


def points(diff: float, lang: str = ZH) -> str:
    """An absolute gap between two rates/shares: '12.3个百分点' / '12.3 percentage points'."""
    d = abs(float(diff))
    return f"{d:.1f}个百分点" if _lang(lang) == ZH else f"{d:.1f} percentage point{'s' if round(d, 1) != 1 else ''}"


def times(r: float, lang: str = ZH) -> str:
    """A ratio: '1.6倍' / '1.6 times'."""
    return f"{float(r):.1f}倍" if _lang(lang) == ZH else f"{float(r):.1f} times"


def _zh_big(v: float, base_unit: str) -> str:
    """v in units of 1 (e.g. 元 or 人) → 亿/万 wording with the base unit."""
    a = abs(v)
    if a >= 1e12:
        return f"{v / 1e12:,.2f}万亿{base_unit}"
    if a >= 1e8:
        return f"{v / 1e8:,.2f}亿{base_unit}"
    if a >= 1e4:
        return f"{v / 1e4:,.2f}万{base_unit}"
    return f"{v:,.0f}{base_unit}"


def _en_big(v: float, noun: str) -> str:
    a = abs(v)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if a >= size:
            return f"{v / size:,.2f} {word} {noun}"
    return f"{v:,.0f} {noun}"


# unit → (multiplier to units of one, zh base unit, en noun)
_SCALED = {"亿元": (1e8, "元", "yuan"), "万元": (1e4, "元", "yuan"), "元": (1.0, "元", "yuan"),
           "万人": (1e4, "人", "people"), "人": (1.0, "人", "people")}


def magnitude(v: float, unit: str, lang: str = ZH) -> str:
    """A magnitude in 万/亿 (Chinese) or million/billion/trillion (English), with its unit.

    22074.7 亿元 → '2.21万亿元' / '2.21 trillion yuan'; 2093.8 万人 → '2,093.80万人' is avoided: → '2,094万人';
    150085 元 → '15.01万元' / '150,085 yuan'.
    """
    v = float(v)
    lang = _lang(lang)
    if unit in _SCALED:
        mult, base, noun = _SCALED[unit]
        whole = v * mult
        if lang == EN:
            return _en_big(whole, noun) if abs(whole) >= 1e6 else f"{whole:,.0f} {noun}"
        if unit == "万人" and 1e4 <= abs(whole) < 1e8:          # populations read in 万人 with no decimals
            return f"{v:,.0f}万人"
        if unit == "亿元" and 1e8 <= abs(whole) < 1e12:        # sub-万亿 GDP reads in 亿元
            return f"{v:,.0f}亿元" if abs(v) >= 100 else f"{v:,.1f}亿元"
        return _zh_big(whole, base)
    return value_text(v, unit, lang)


# Chinese catalog units in English text.
UNIT_EN = {"对数点/年": "log points a year", "对数点/年 每对数单位": "log points a year per log unit",
           "人/km²": "people/km²", "km/万km²": "km per 10,000 km²", "件": "items", "项": "items", "年": "years",
           "岁": "years", "相关系数": "", "分钟": "minutes"}


def unit_text(unit: str | None, lang: str = ZH) -> str:
    """The unit as written after a number in ``lang`` ('对数点/年' → 'log points a year' in English)."""
    unit = unit or ""
    return UNIT_EN.get(unit, unit) if _lang(lang) == EN else unit


def _digits(v: float) -> int:
    a = abs(float(v))
    return 0 if a >= 100 else (1 if a >= 10 else 2)


def value_text(v: float, unit: str | None, lang: str = ZH, digits: int | None = None) -> str:
    """Any value with its unit, by the conventions above."""
    unit = unit or ""
    lang = _lang(lang)
    if unit in PERCENT_UNITS:
        return share(v, lang)
    if unit in RATIO_UNITS:
        return times(v, lang)
    if unit in _SCALED:
        return magnitude(v, unit, lang)
    if unit == "index":
        return f"{float(v):,.{2 if digits is None else digits}f}"
    if unit in ("min", "分钟"):
        return f"{float(v):,.0f}分钟" if lang == ZH else f"{float(v):,.0f} minutes"
    d = digits if digits is not None else _digits(v)
    if lang == EN:
        return f"{float(v):,.{d}f} {unit_text(unit, lang)}".strip()
    return f"{float(v):,.{d}f}{'' if unit == '相关系数' else unit}"


def score(v: float, lang: str = ZH) -> str:
    return f"{float(v):.1f}分" if _lang(lang) == ZH else f"{float(v):.1f} points"


# ---- names and lists ---------------------------------------------------------------------------------------

def join_names(names: Iterable[str], lang: str = ZH) -> str:
    """'甲、乙和丙' / 'A, B and C' — in the given order, duplicates dropped."""
    items = list(dict.fromkeys(str(n) for n in names if n))
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if _lang(lang) == ZH:
        return "、".join(items[:-1]) + "和" + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def in_order(names: Iterable[str], order: Sequence[str]) -> list[str]:
    """``names`` in the analyst's ``order`` (names not in it keep their own order, after)."""
    names = list(dict.fromkeys(names))
    pos = {n: i for i, n in enumerate(order)}
    return sorted(names, key=lambda n: (pos.get(n, len(pos)), names.index(n)))


def dedupe(sentences: Iterable[str]) -> list[str]:
    """Drop repeated sentences (first occurrence kept) and blanks."""
    return [s for s in dict.fromkeys(s.strip() for s in sentences if s and s.strip())]


# ---- direction of indicators -------------------------------------------------------------------------------

# indicator id → (meaning of a HIGHER value, meaning of a LOWER value), zh and en. Indicators not listed
# read by their catalog direction: 较高/较低 with "越高越好/越低越好".
MEANING = {
    "core_gdp_share": (("经济更集中于中心城市", "经济分布更均衡"),
                       ("economic activity more concentrated in the core", "economic activity more evenly spread")),
    "core_share": (("经济更集中于中心城市", "经济分布更均衡"),
                   ("economic activity more concentrated in the core", "economic activity more evenly spread")),
    "core_whole_gdp_per_capita_ratio": (("中心与全域发展差距更大", "发展更均衡"),
                                        ("a wider core–metro gap", "more balanced development")),
    "core_rest_gdp_pc_ratio": (("中心与外围发展差距更大", "发展更均衡"),
                               ("a wider core–periphery gap", "more balanced development")),
    "gdp_pc_cv": (("成员城市间差距更大", "成员城市间更均衡"), ("wider gaps between members", "more even members")),
    "gdp_pc_theil": (("成员城市间差距更大", "成员城市间更均衡"), ("wider gaps between members", "more even members")),
    "pc_ratio": (("成员城市间差距更大", "成员城市间更均衡"), ("wider gaps between members", "more even members")),
    "rail_minutes_to_core_mean": (("通达时间更长", "通达更便捷"), ("longer journeys to the core", "quicker access to the core")),
    "pm25_mean": (("空气污染更重", "空气质量更好"), ("more polluted air", "cleaner air")),
}
_GENERIC = {ZH: {"higher": ("较高", "较低", "（该指标越高越好）"), "lower": ("较高", "较低", "（该指标越低越好）"),
                 "target": ("较高", "较低", "（该指标以接近目标值为好）")},
            EN: {"higher": ("higher", "lower", " (higher is better)"), "lower": ("higher", "lower", " (lower is better)"),
                 "target": ("higher", "lower", " (closer to the target is better)")}}


def meaning(indicator: str | None, higher: bool, direction: str = "higher", lang: str = ZH) -> str:
    """What being higher (``higher=True``) or lower means for ``indicator``: '经济更集中于中心城市' / '较高，越高越好'."""
    lang = _lang(lang)
    if indicator in MEANING:
        zh, en = MEANING[indicator]
        pair = zh if lang == ZH else en
        return pair[0] if higher else pair[1]
    hi, lo, rule = _GENERIC[lang].get(direction, _GENERIC[lang]["higher"])
    return (hi if higher else lo) + rule


def direction_note(indicator: str | None, direction: str = "higher", lang: str = ZH) -> str:
    """One clause stating how to read the indicator: '数值越高，经济越集中于中心城市' / 'higher = …'."""
    lang = _lang(lang)
    if indicator in MEANING:
        zh, en = MEANING[indicator]
        return f"数值越高表示{zh[0]}" if lang == ZH else f"a higher value means {en[0]}"
    if lang == ZH:
        return {"lower": "该指标越低越好", "target": "该指标以接近目标值为好"}.get(direction, "该指标越高越好")
    return {"lower": "lower is better", "target": "closer to the target is better"}.get(direction, "higher is better")


# ---- gaps --------------------------------------------------------------------------------------------------

def gap(a: float, b: float, unit: str | None, lang: str = ZH) -> tuple[str, str]:
    """(kind, wording) of how ``a`` compares with ``b``.

    kinds: 'points' (rates/shares: '高12.3个百分点'), 'diff' (ratio- or index-valued indicators and signed
    values: '高0.40'), 'times' (a ≥ 1.5·b: '1.6倍'), 'fraction' (a ≤ b/1.5: '25.0%', a as a share of b),
    'pct' (otherwise: '高23.4%'), 'level' (equal at the shown precision).
    """
    lang = _lang(lang)
    a, b = float(a), float(b)
    up = a > b
    hl = ("高" if up else "低") if lang == ZH else ("higher" if up else "lower")

    def said(amount: str) -> str:
        return hl + amount if lang == ZH else f"{amount} {hl}"

    if unit in PERCENT_UNITS:
        return ("level", "") if round(abs(a - b), 1) == 0 else ("points", said(points(a - b, lang)))
    if unit in RATIO_UNITS or unit == "index" or b <= 0 or a < 0:
        d = abs(a - b)
        if round(d, 2) == 0:
            return "level", ""
        amount = f"{d:.2f}" if unit in RATIO_UNITS or unit in ("index", "相关系数", "", None) else \
            value_text(d, unit, lang, digits=max(_digits(a), _digits(b)))
        return "diff", said(amount)
    r = a / b
    if r >= 1.5:
        return "times", times(r, lang)
    if r <= 1 / 1.5:
        return "fraction", f"{r * 100:.1f}%"
    pct = abs(r - 1) * 100
    return ("level", "") if round(pct, 1) == 0 else ("pct", said(f"{pct:.1f}%"))


def gap_phrase(a: float, b: float, unit: str | None, lang: str = ZH) -> str:
    """The wording of :func:`gap` alone ('高12.3个百分点', '1.6倍', '持平' / 'level')."""
    kind, text = gap(a, b, unit, lang)
    if kind == "level":
        return "持平" if _lang(lang) == ZH else "level"
    return text


def compare_clause(peer: str, a: float, b: float, unit: str | None, lang: str = ZH, both: bool = False) -> str:
    """'比上海大都市圈高12.3个百分点' / '是南京都市圈的1.6倍' / '为上海大都市圈的25.0%' /
    '12.3 percentage points higher than Shanghai'. ``both``: the peer names several metros (zh adds 均)."""
    lang = _lang(lang)
    kind, text = gap(a, b, unit, lang)
    if lang == ZH:
        jun = "均" if both else ""
        return {"level": f"与{peer}{jun}持平", "times": f"{jun}是{peer}的{text}",
                "fraction": f"{jun}为{peer}的{text}"}.get(kind, f"比{peer}{jun}{text}")
    return {"level": f"level with {peer}", "times": f"{text} {peer}'s", "fraction": f"{text} of {peer}'s"}.get(
        kind, f"{text} than {peer}")


def comparison_sentence(indicator_name: str, subject: str, value: float, peers: Sequence[tuple[str, float]],
                        unit: str | None, indicator: str | None = None, direction: str = "higher",
                        lang: str = ZH) -> str:
    """One sentence comparing ``subject`` with every peer (in the given order), stating the direction once.

    Peers with the same gap wording are named together ('比乙、丙均高…'); peers without a value are skipped.
    """
    lang = _lang(lang)
    peers = [(n, v) for n, v in peers if _ok(v)]
    head = (f"{indicator_name}：{subject}为{value_text(value, unit, lang)}" if lang == ZH else
            f"{indicator_name}: {subject} {value_text(value, unit, lang)}")
    if not peers:
        return head + ("。" if lang == ZH else ".")
    groups: dict[tuple[str, str], list[str]] = {}
    for name, v in peers:
        groups.setdefault(gap(value, v, unit, lang), []).append(name)
    values = dict(peers)
    parts = [compare_clause(join_names(names, lang), value, values[names[0]], unit, lang, both=len(names) > 1)
             for names in groups.values()]
    above = [value > v for _, v in peers]
    if indicator in MEANING:
        tail = meaning(indicator, True, direction, lang) if all(above) else (
            meaning(indicator, False, direction, lang) if not any(above) and all(value < v for _, v in peers) else "")
    else:
        tail = direction_note(indicator, direction, lang)
    if lang == ZH:
        return head + "，" + "，".join(parts) + (f"（{tail}）" if tail else "") + "。"
    return head + ", " + "; ".join(parts) + (f" ({tail})" if tail else "") + "."


def group_by_clause(items: Sequence[tuple[str, str]], template_zh: str, template_en: str,
                    lang: str = ZH) -> list[str]:
    """[(peer, clause)] → one sentence per distinct clause naming every peer that shares it, in order.

    Templates take ``{peers}`` and ``{clause}``: '与{peers}相比，{clause}。' / 'Against {peers}, {clause}.'.
    """
    groups: dict[str, list[str]] = {}
    for peer, clause in items:
        groups.setdefault(clause, []).append(peer)
    tpl = template_en if _lang(lang) == EN else template_zh
    return dedupe(tpl.format(peers=join_names(p, lang), clause=c) for c, p in groups.items())


def change_sentence(name: str, now: float, before: float, year: int, prev_year: int, unit: str | None = None,
                    comparable: bool = True, lang: str = ZH) -> str:
    """Year-on-year wording; when the make-up of the measure changed: '口径变化、不可比'."""
    lang = _lang(lang)
    if not comparable:
        return (f"{name}{prev_year}年与{year}年指标构成不同（口径变化、不可比），不计算较上年变化。" if lang == ZH else
                f"{name}: the indicators behind the index differ between {prev_year} and {year} "
                "(change of definition, not comparable); no year-on-year change is given.")
    d = float(now) - float(before)
    if unit in PERCENT_UNITS:
        amount = points(d, lang)
    elif unit in (None, "", "score", "分"):
        amount = f"{abs(d):.1f}分" if lang == ZH else f"{abs(d):.1f} points"
    else:
        amount = value_text(abs(d), unit, lang)
    if round(abs(d), 1) == 0:
        return f"{name}与{prev_year}年持平。" if lang == ZH else f"{name} is level with {prev_year}."
    if lang == ZH:
        return f"{name}较{prev_year}年{'提高' if d > 0 else '下降'}{amount}。"
    return f"{name} {'rose' if d > 0 else 'fell'} by {amount} from {prev_year}."
