"""Sources as analysts cite them (pure functions over the citation table, no I/O).

A reference names the original publisher and document — 德阳市统计局：国民经济和社会发展统计公报或统计年鉴（2022年数据）
— and, in small print, the compilation it was reached through and what the compilation does not record. The
citation table (``indicators.store.citations.citations``) says how far the original is known; nothing here
adds to it. ``usage`` (source_id, city, year) tells which cities and years the cited values describe: it fills
``{city}`` in a publisher and the years in brackets.

Sources without a citation row (an analyst's own import) are cited by their stored title and publisher.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

ZH, EN = "zh", "en"
MAX_CITIES = 4                 # more cities than this: "成都市、德阳市等12个城市"


@dataclass(frozen=True)
class Reference:
    source_id: str
    main: str          # publisher and document (with cities and years)
    small: str         # the compilation it was reached through; what is not recorded
    kind: str          # document | class | compilation | computed | stored


def _lang(lang: str | None) -> str:
    return EN if lang == EN else ZH


def _s(v) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) or pd.isna(v) else str(v).strip()


def years_text(years: Iterable[int], lang: str = ZH) -> str:
    """'2022年数据' / '2017—2022年数据' / '2010、2020年数据'; English '2022 data', '2017–2022 data'."""
    ys = sorted({int(y) for y in years if y is not None and not pd.isna(y)})
    if not ys:
        return ""
    lang = _lang(lang)
    if len(ys) == 1:
        span = str(ys[0])
    elif ys == list(range(ys[0], ys[-1] + 1)):
        span = f"{ys[0]}—{ys[-1]}" if lang == ZH else f"{ys[0]}–{ys[-1]}"
    else:
        span = ("、" if lang == ZH else ", ").join(map(str, ys))
    return f"{span}年数据" if lang == ZH else f"{span} data"


def _cities_publisher(template: str, cities: list[str], lang: str) -> str:
    """Fill '{city}统计局' with the cities the values describe."""
    listed = [c for c in cities if c]          # one entry per city (two cities may share an English name)
    n = len(listed)
    cities = list(dict.fromkeys(listed))
    if not cities:
        if lang == ZH:
            return template.replace("{city}", "各市")
        return template.replace("{city} Bureau of Statistics", "city bureaus of statistics").replace("{city}", "city")
    if lang == ZH:
        if len(cities) == 1:
            who = cities[0]
        elif n <= MAX_CITIES:
            who = "、".join(cities)
        else:
            who = "、".join(cities[:2]) + f"等{n}个城市"
        return template.replace("{city}", who)
    if n == 1:
        return template.replace("{city}", cities[0])
    if n <= MAX_CITIES and len(cities) == n:
        who = ", ".join(cities[:-1]) + " and " + cities[-1]
    else:
        shown = cities[:2]
        rest = n - len(shown)
        who = ", ".join(shown) + f" and {rest} other {'city' if rest == 1 else 'cities'}"
    plural = template.replace("Bureau of", "Bureaus of").replace("{city}", "").strip()
    if plural.startswith("computed from"):
        return f"computed from figures of the Bureaus of Statistics of {who}"
    return f"{plural} of {who}" if plural.lower().startswith("bureaus") else template.replace("{city}", who)


def _via_zh(comp: str) -> str:
    """'经…整理', with a space where Chinese meets a Latin name ('经 CSMAR …', '… G-P 整理')."""
    comp = comp.strip()
    head = " " if comp[:1].isascii() else ""
    tail = " " if comp[-1:].isascii() else ""
    return f"经{head}{comp}{tail}整理"


def short_compilation(text: str) -> str:
    """'第三方数据汇编 G-P（地级市产业结构 2000—2023 年）' → '第三方数据汇编 G-P'."""
    return re.split(r"[（(]", text, maxsplit=1)[0].strip()


def reference(row: Mapping, lang: str = ZH, cities: Iterable[str] = (), years: Iterable[int] = ()) -> Reference:
    """The reference for one citation-table row."""
    lang = _lang(lang)
    sid = _s(row.get("source_id"))
    kind = _s(row.get("kind")) or "stored"
    cities = list(cities)
    when = years_text(years, lang)
    if kind == "stored":   # no citation row: the stored title and publisher, as entered
        title, pub = _s(row.get("title")) or sid, _s(row.get("publisher"))
        if lang == ZH:
            main = (f"{pub}：{title}" if pub and pub not in title else title) + (f"（{when}）" if when else "")
        else:
            main = (f"{pub}, {title}" if pub and pub not in title else title) + (f" ({when})" if when else "")
        return Reference(sid, main, "", kind)
    pub = _cities_publisher(_s(row.get(f"publisher_{lang}")), cities, lang)
    doc = _s(row.get(f"document_{lang}"))
    comp = _s(row.get(f"compilation_{lang}"))
    note = _s(row.get(f"original_note_{lang}"))
    if lang == ZH:
        main = doc if not pub else (f"{pub}{doc}" if kind == "document" and doc.startswith("《") else f"{pub}：{doc}")
        if when and kind in ("class", "computed"):
            main += f"（{when}）"
        small = "；".join(x for x in ((_via_zh(comp) if comp and kind != "computed" else comp), note) if x)
    else:
        main = (f"{pub}, {doc}" if pub else doc) + (f" ({when})" if when and kind in ("class", "computed") else "")
        small = "; ".join(x for x in ((f"via {comp}" if comp and kind != "computed" else comp), note) if x)
    return Reference(sid, main, small, kind)


def references(cites: pd.DataFrame, usage: pd.DataFrame | None = None, lang: str = ZH,
               order: Iterable[str] | None = None) -> list[Reference]:
    """One reference per source in ``cites`` (in ``order`` when given). ``usage``: source_id, city, year."""
    rows = {str(r["source_id"]): r for r in cites.to_dict("records")}
    ids = [s for s in (order or rows) if s in rows]
    out = []
    for sid in ids:
        cities: list[str] = []
        years: list[int] = []
        if usage is not None and not usage.empty:
            u = usage[usage["source_id"] == sid]
            if "city" in u:
                named = u.dropna(subset=["city"])
                if "code" in named:              # one entry per city code (names may repeat in English)
                    named = named.drop_duplicates("code")
                    cities = list(named["city"].astype(str))
                else:
                    cities = list(dict.fromkeys(named["city"].astype(str)))
            if "year" in u:
                years = [int(y) for y in u["year"].dropna().unique()]
        out.append(reference(rows[sid], lang, cities, years))
    return out


def numbered(refs: list[Reference], lang: str = ZH) -> list[tuple[str, str]]:
    """[('[1] 德阳市统计局：…（2022年数据）', '经…整理；…')] — a numbered reference list (duplicates merged)."""
    seen: dict[tuple[str, str], None] = {}
    for r in refs:
        seen.setdefault((r.main, r.small), None)
    return [(f"[{i}] {main}", small) for i, (main, small) in enumerate(seen, start=1)]


def short_form(r: Reference, lang: str = ZH) -> str:
    """One reference for a source line: the main text with the compilation's short name in its brackets."""
    lang = _lang(lang)
    comp = ""
    if r.small:
        first = r.small.split("；" if lang == ZH else "; ")[0]
        if first.startswith(("经", "via ")):
            name = short_compilation(first.removeprefix("经").removesuffix("整理").removeprefix("via ").strip())
            comp = _via_zh(name) if lang == ZH else f"via {name}"
    main = r.main
    if not comp:
        return main
    if lang == ZH:
        return main[:-1] + f"；{comp}）" if main.endswith("）") else main + f"（{comp}）"
    return main[:-1] + f"; {comp})" if main.endswith(")") else main + f" ({comp})"


def source_items(refs: list[Reference], lang: str = ZH, limit: int = 3) -> list[str]:
    """The short forms of at most ``limit`` references (then 等 / et al.), duplicates dropped."""
    parts = list(dict.fromkeys(short_form(r, lang) for r in refs))
    if len(parts) > limit:
        parts = parts[:limit]
        if _lang(lang) == ZH:
            parts[-1] += "等"
        else:
            parts.append("et al.")
    return parts


def source_line(refs: list[Reference], lang: str = ZH, extra: Iterable[str] = (), limit: int = 3,
                computed_by: str | None = None) -> str:
    """A chart's source line: '来源：德阳市统计局：统计公报或统计年鉴（2022年数据；经第三方数据汇编 G-P 整理）；…'.

    At most ``limit`` references (then 等 / et al.); the compilation in brackets in its short form;
    ``computed_by`` appended last ('tongcheng 计算')."""
    lang = _lang(lang)
    order = {"class": 0, "document": 1, "stored": 2, "computed": 3, "compilation": 4}
    refs = sorted(refs, key=lambda r: order.get(r.kind, 5))      # official statistics first (stable otherwise)
    parts = source_items(refs, lang, limit) + [e for e in extra if e]
    if computed_by:
        parts.append(computed_by)
    head, sep = ("来源：", "；") if lang == ZH else ("Source: ", "; ")
    return head + sep.join(parts) if parts else ""
