"""Methodology text generated from a build log: one line per step with its parameters.

A log is any iterable of steps, each a ``{"step": name, "params": {...}}`` dict or an object with ``name``
and ``params`` (the engine's ``indicators.engine.log.BuildLog``/``Step``)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

STEP_NAMES = {
    "zh": {
        "load": "读取都市圈面板", "missing": "缺失数据规则", "frame": "读取数据表",
        "select": "选取", "select_metros": "选取都市圈", "members": "成员城市", "observations": "读取观测值",
        "denominate": "分母化（人均/地均）", "impute": "缺失值插补", "screen": "筛选", "treat": "异常值处理",
        "normalise": "标准化", "normalize": "标准化", "weight": "赋权", "weights": "赋权",
        "aggregate": "加权汇总", "rank": "排名", "sensitivity": "敏感性分析", "panel": "构建面板",
        "score": "计算得分", "aggregate_metro": "汇总到都市圈", "growth": "年均增速", "base_year": "定基",
    },
    "en": {},
}


def _steps(log: Any) -> list[tuple[str, dict]]:
    if log is None:
        return []
    if hasattr(log, "to_json") and not isinstance(log, (str, bytes)):
        try:
            log = json.loads(log.to_json())
        except Exception:  # noqa: BLE001 - fall back to iterating the object
            pass
    if isinstance(log, str):
        log = json.loads(log)
    out: list[tuple[str, dict]] = []
    for step in log if isinstance(log, Iterable) else []:
        if isinstance(step, Mapping):
            name = str(step.get("step") or step.get("name") or "?")
            params = dict(step.get("params") or {})
        else:
            name = str(getattr(step, "name", "?"))
            params = dict(getattr(step, "params", {}) or {})
        out.append((name, params))
    return out


def _fmt_param(value: Any, limit: int = 90) -> str:
    if isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, (list, tuple)) and len(value) > 8:
        text = ", ".join(map(str, value[:8])) + f" …(+{len(value) - 8})"
    elif isinstance(value, Mapping) and len(value) > 6:
        items = list(value.items())[:6]
        text = ", ".join(f"{k}={v}" for k, v in items) + f" …(+{len(value) - 6})"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def methodology_lines(log: Any, lang: str = "zh") -> list[str]:
    """'1. 标准化 (normalise)：method=minmax；range=[0, 100]' — one line per step, in order."""
    names = STEP_NAMES["en" if lang == "en" else "zh"]
    sep_kv, sep_items, colon = ("=", "; ", ": ") if lang == "en" else ("=", "；", "：")
    lines = []
    for i, (name, params) in enumerate(_steps(log), start=1):
        label = f"{names[name]} ({name})" if name in names else name
        body = sep_items.join(f"{k}{sep_kv}{_fmt_param(v)}" for k, v in params.items())
        lines.append(f"{i}. {label}{colon}{body}" if body else f"{i}. {label}")
    return lines


# ---- the method in prose (the briefing pack's 方法说明 slide) ------------------------------------------------

def _params(log: Any) -> dict[str, dict]:
    """step name → parameters of its last occurrence."""
    return {name: params for name, params in _steps(log)}


def _method_name(kind: str, value: Any, lang: str) -> str:
    from indicators.i18n import strings, t

    key = f"method.{kind}.{value}"
    return t(key, lang) if key in strings() else str(value)


def _plain(label: str) -> str:
    """A label inside brackets: inner brackets become a comma ('2020年1月快照（沿用至2022年）' → '…快照，沿用至2022年')."""
    return label.replace("（", "，").replace("）", "").replace(" (", ", ").replace(")", "")


def method_paragraph(log: Any, *, framework: str, n_dimensions: int, n_indicators: int, year: int,
                     composition: list | None = None, indicator_names: Mapping[str, str] | None = None,
                     metro_names: Mapping[str, str] | None = None, n_metros: int | None = None,
                     lang: str = "zh") -> list[str]:
    """The index method as sentences, from the build log and the year's make-up.

    "本指数采用“…”框架，7个维度24项指标，以最小–最大值法标准化……，按……赋权，以……汇总；……。2022年有数据的指标为：
    A、B（2022年）；C（2020年1月快照，沿用至2022年）；其余k项指标暂无数据，不计入得分。" — English in English mode.
    ``composition``: :func:`indicators.brief.composition.year_composition` items for the selected metros.
    """
    en = lang == "en"
    p = _params(log)
    norm = p.get("normalise", {}).get("method", "minmax")
    score = p.get("score", {})
    weighting = score.get("weighting", "expert")
    aggregation = score.get("aggregation", "amean")
    missing = p.get("missing", {}).get("rule", "reweight")
    names = dict(indicator_names or {})
    out: list[str] = []
    if en:
        out.append(f"The index uses the {framework} framework: {n_dimensions} dimensions and {n_indicators} "
                   f"indicators, normalised by {_method_name('norm', norm, lang)} over every metro and year (so "
                   f"years are comparable), weighted by {_method_name('weighting', weighting, lang)} and aggregated "
                   f"by {_method_name('agg', aggregation, lang)}; {_method_name('missing', missing, lang)}.")
    else:
        quoted = framework if "“" in framework or "》" in framework else f"“{framework}”"
        out.append(f"本指数采用{quoted}框架，{n_dimensions}个维度{n_indicators}项指标，以"
                   f"{_method_name('norm', norm, lang)}标准化（在全部都市圈和年份上统一计算，年份之间可比），按"
                   f"{_method_name('weighting', weighting, lang)}赋权，以{_method_name('agg', aggregation, lang)}"
                   f"汇总；{_method_name('missing', missing, lang)}。")
    carry = str(p.get("carry", {}).get("rule", "none"))
    if carry.startswith("latest_within"):
        n = carry.split(":", 1)[-1].strip()
        out.append(f"Where a year has no value, the latest value of the previous {n} years is carried forward "
                   "(marked “carried”)." if en else f"当年缺数时沿用最近{n}年内的数值（标注“沿用”）。")
    treated = p.get("outliers", {}).get("treated") or []
    if treated:
        out.append(f"Outliers were winsorised in {len(treated)} indicators." if en else
                   f"对{len(treated)}项指标的异常值做了缩尾处理。")
    excluded = p.get("exclude", {}).get("flows") or []
    if excluded:
        out.append(f"{len(excluded)} flow values the data flag as implausible were left out." if en else
                   f"剔除了{len(excluded)}条数据中标记为不可信的流动数据。")
    if composition is not None:
        groups: dict[tuple, list[str]] = {}
        all_metros = n_metros
        for item in composition:
            partial = ()
            if all_metros and len(item.metros) < all_metros:
                partial = tuple((metro_names or {}).get(m, m) for m in item.metros)
            groups.setdefault((tuple(_plain(x) for x in item.labels), partial), []).append(
                names.get(item.indicator, item.indicator))
        sep, lsep = (", ", "; ") if en else ("、", "；")
        parts = []
        for (labels, partial), inds in groups.items():
            bracket = sep.join(labels)
            if partial:
                bracket += (f"; only {', '.join(partial)}" if en else f"，仅{'、'.join(partial)}有数据")
            parts.append(sep.join(inds) + (f" ({bracket})" if en else f"（{bracket}）"))
        rest = n_indicators - len(composition)
        if en:
            text = f"Indicators with data in {year}: " + lsep.join(parts) if parts else f"No indicator has data in {year}"
            if rest > 0:
                text += f"; the other {rest} indicators have no data for {year} and do not count"
            out.append(text + ".")
        else:
            text = f"{year}年有数据的指标为：" + lsep.join(parts) if parts else f"{year}年没有有数据的指标"
            if rest > 0:
                text += f"；其余{rest}项指标{year}年暂无数据，不计入得分"
            out.append(text + "。")
        marked = {e for item in composition for e in item.evidence} - {"observed"}
        if marked or any("沿用" in x or "carried" in x for item in composition for x in item.labels):
            out.append("Values marked snapshot, carried, proxy, modelled or estimate are not observations of that "
                       "year; read them as indications." if en else
                       "标注“快照”“沿用”“代理值”“模型值”或“估算”的数值不是当年的观测值，仅作参考。")
    return out


def brief_numbers_paragraph(year: int, base_year: int, lang: str = "zh", scope: str = "plan") -> list[str]:
    """How the brief's own metro numbers are formed (the charts beside the index, in the same ``scope``), in prose."""
    n = int(year) - int(base_year)
    if lang == "en":
        parts = ("in the plan scope a member only partly inside the metro (the counties the plan lists) counts with its "
                 "city's GDP and resident population × those counties' share of the city's census population "
                 "(interpolated 2010–2020, held after; marked apportioned)" if scope == "plan" else
                 "in the extended scope every member counts as the whole city")
        return [
            f"Metro totals are the sum over member cities; {parts}; a metro with a member lacking data for the year "
            "gets no total and is named in the data notes.",
            "The core city's share is core-city GDP ÷ metro GDP. GDP per capita is the official figure where "
            "published, else GDP ÷ year-end resident population.",
            f"Average growth is the nominal compound rate from {base_year} to {year}: (GDP {year} ÷ GDP {base_year})"
            f"^(1/{n}) − 1.",
            "Where a city, year and indicator have several sources, the better-attested value is used "
            "(cross-checked, then census, then single-source).",
        ]
    return [
        "都市圈总量为成员城市数值之和；" + ("规划范围中只部分纳入的成员城市（规划列出的区县）按其区县普查常住人口占全市比重"
                                   "（2010—2020年线性插值，此后保持）分摊全市地区生产总值和常住人口，标注为分摊值；"
                                   if scope == "plan" else "扩展范围中成员城市均按全市计；")
        + "有成员城市缺少当年数据的都市圈不计算总量，并在“数据说明”中列出。",
        "核心城市经济首位度＝核心城市地区生产总值÷都市圈地区生产总值。人均地区生产总值采用官方公布数值，缺失时以地区生产总值"
        "÷年末常住人口计算。",
        f"年均增速为{base_year}—{year}年名义复合增长率：（{year}年地区生产总值÷{base_year}年地区生产总值）^（1/{n}）－1。",
        "同一城市、年份、指标有多个来源时，取核实程度较高者（交叉核对＞普查＞单一来源）。",
    ]
