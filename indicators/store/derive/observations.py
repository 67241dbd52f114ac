"""Derive ``data/observation.csv`` (curated official statistics) and ``data/observation_pm25.csv``.

The facts table keeps its quality flag; its free-text ``source_note`` becomes a ``source_id`` (which
compilation the value came through) plus the rest of the note. PM2.5 annual summaries are mapped from
pinyin city names to codes by name and distance between the monitoring coordinates and the city seat.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .common import DEFAULT_SHARED, latin_key, pinyin_name, read_data, write_table

# source_note prefix -> (source_id, prefix to drop from the note because the source says it)
NOTE_SOURCES = [
    ("第六次全国人口普查", "census2010_leiii", "第六次全国人口普查 (分县资料) via leiii/census v1 (MIT)"),
    ("第七次全国人口普查", "census2020_leiii", "第七次全国人口普查 地方公报 via leiii/census v1 (MIT)"),
    ("各市国民经济和社会发展统计公报", "bulletins_via_gp", "各市国民经济和社会发展统计公报/统计年鉴 via compilation G-P"),
    ("CSMAR", "bulletins_via_csmar", ""),
    ("computed here", "facts_computed", ""),
    ("行政区域土地面积", "land_area_via_gp", "行政区域土地面积 per 中国城市统计年鉴 via compilation G-P"),
    ("常住人口", "population_via_gp", "常住人口 per 中国城市统计年鉴/各省统计年鉴/统计公报 via compilation G-P (raw column, not the 插值 column)"),
]


def _split_note(note: str) -> tuple[str, str]:
    for prefix, sid, drop in NOTE_SOURCES:
        if note.startswith(prefix):
            rest = note[len(drop):] if drop and note.startswith(drop) else note
            return sid, rest.lstrip(" ;,").strip()
    raise ValueError(f"unrecognised source_note: {note[:80]}")


def derive_facts(shared: Path = DEFAULT_SHARED) -> pd.DataFrame:
    f = pd.read_csv(shared / "facts/city_observations.csv", dtype={"city_code": str})
    split = f["source_note"].map(_split_note)
    out = pd.DataFrame({
        "code": f["city_code"], "year": f["year"].astype(int), "indicator": f["indicator"], "value": f["value"],
        "source_id": split.map(lambda t: t[0]), "quality": f["quality"], "note": split.map(lambda t: t[1]),
    })
    out.loc[out.note == "", "note"] = None
    return out.sort_values(["code", "indicator", "year"]).reset_index(drop=True)


# Romanisations in the PM2.5 file that pinyin of the Chinese name does not produce.
AIR_NAME_FIX = {"xian": "610100", "lasa": "540100", "urumchi": "650100", "tsitsihar": "230200", "hohhot": "150100",
                "ordos": "150600", "karamay": "650200", "laiwu": "371200"}
MAX_SEAT_KM = 60.0


def _km(lon1, lat1, lon2, lat2) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def match_air_cities(air: pd.DataFrame, region: pd.DataFrame) -> dict[str, str]:
    """Pinyin city name -> region code; ambiguous names resolved by distance to the seat; county-level cities dropped."""
    pref = region[region.level.isin(["prefecture"])]
    by_key: dict[str, list] = {}
    for r in pref.itertuples():
        by_key.setdefault(latin_key(pinyin_name(r.name_zh)), []).append(r)
        if isinstance(r.name_en, str):
            by_key.setdefault(latin_key(r.name_en), []).append(r)
    out = {}
    cities = air.groupby("City")[["lon", "lat"]].first()
    for city, (lon, lat) in cities.iterrows():
        key = latin_key(city)
        if key in AIR_NAME_FIX:
            out[city] = AIR_NAME_FIX[key]
            continue
        cands = {r.code: r for r in by_key.get(key, [])}.values()
        best = None
        for r in cands:
            if pd.isna(r.seat_lon):
                continue
            d = _km(lon, lat, float(r.seat_lon), float(r.seat_lat))
            if d <= MAX_SEAT_KM and (best is None or d < best[0]):
                best = (d, r.code)
        if best:
            out[city] = best[1]
    return out


def derive_pm25(shared: Path = DEFAULT_SHARED) -> tuple[pd.DataFrame, list[str]]:
    air = pd.read_csv(shared / "open/air/SpTe2M_pm25_annual_summary_DERIVED.csv")
    region = read_data("region")
    mapping = match_air_cities(air, region)
    unmatched = sorted(set(air.City) - set(mapping))
    air = air[air.City.isin(mapping)].copy()
    air["code"] = air.City.map(mapping)
    rows = []
    for r in air.itertuples():
        base = f"SpTe2M station series '{r.City}', {int(r.n_days)} days with data"
        rows.append((r.code, int(r.Year), "pm25_mean", round(float(r.pm25_mean), 3), "air_spte2m", "single_source",
                     base + "; annual mean of daily PM2.5"))
        rows.append((r.code, int(r.Year), "pm25_good_day_share", round(float(r.share_days_pm25_le75) * 100, 1),
                     "air_spte2m", "single_source",
                     base + "; share of days with PM2.5 <= 75 µg/m³ — a PM2.5-only PROXY, not the official 优良天数比率"))
    out = pd.DataFrame(rows, columns=["code", "year", "indicator", "value", "source_id", "quality", "note"])
    dup = out.duplicated(["code", "year", "indicator"], keep=False)
    if dup.any():
        raise ValueError(f"two PM2.5 series map to one city: {out[dup].head()}")
    return out.sort_values(["code", "indicator", "year"]).reset_index(drop=True), unmatched


META_FACTS = {
    "table": "observation",
    "producer": "各市统计局 / 国家统计局 (official statistics) via the compilations named per row (source_id); curated in ../shared/data/facts",
    "title": "City statistics 2010-2023: GDP and sectors, GDP per capita, resident population, land area, census population and urbanisation",
    "url": "../shared/data/facts/city_observations.csv (method: ../shared/data/facts/CURATION.md)",
    "licence": "official statistics; census rows MIT (leiii/census); GDP/population compilations carry no licence (see CURATION.md 'Read first')",
    "processing": (
        "Rows copied with value and quality flag unchanged (cross_checked / single_source / conflict / census). The free-text "
        "source_note is split into source_id (which compilation the value came through: bulletins_via_gp, bulletins_via_csmar, "
        "population_via_gp, land_area_via_gp, census2010_leiii, census2020_leiii, facts_computed) and note (the rest: the "
        "other compilation's value in conflicts, census comparisons, basis remarks). city_name_zh and unit dropped (the "
        "region and the indicator catalogue carry them). Units: 亿元 (gdp*), 元 (gdp_per_capita), 万人 (resident_population), "
        "km² (land_area_km2), 人 (census_*), % (urbanization_rate)."
    ),
}
META_PM25 = {
    "table": "observation",
    "producer": "China national air-quality monitoring network via the SpTe2M R package (CRAN)",
    "title": "Annual PM2.5 mean and share of days with PM2.5 <= 75 µg/m³, 2014-2016, for prefecture cities",
    "url": "github.com/cran/SpTe2M @ aa2c6666d8cb data/pm25_dat.rda; ../shared/data/open/air/SpTe2M_pm25_annual_summary_DERIVED.csv",
    "licence": "GPL (>= 3)",
    "processing": (
        "From the shared annual summary: pm25_mean (µg/m³) = annual mean of daily PM2.5; pm25_good_day_share (%) = share of "
        "days with PM2.5 <= 75 µg/m³ x 100 — a PM2.5-only PROXY for the good-air-day rate, NOT the official 空气质量优良天数比率 "
        "(which also counts PM10, O3, NO2, SO2, CO). Pinyin city names matched to prefecture codes by pinyin of the Chinese name "
        "(or the rail file's English name) and the nearest seat within 60 km (resolves Suzhou 苏州/宿州, Fuzhou, Taizhou, Fuyang); "
        "county-level cities in the file (Kunshan, Changshu, Jiangyin, Yiwu ...) have no prefecture match and are left out, and so are "
        "names whose coordinates lie far from the prefecture seat of that name (Jining at 113.09E 41.04N is 集宁, not 济宁; Haikou at "
        "102.6E 24.84N, Luoyang at 114.28E 23.17N and Changzhi at 111.75E 35.22N do not match 海口/洛阳/长治), so they are unverifiable. "
        "quality single_source."
    ),
}


def run(shared: Path = DEFAULT_SHARED) -> None:
    write_table(derive_facts(shared), "observation", META_FACTS)
    pm, unmatched = derive_pm25(shared)
    meta = dict(META_PM25)
    meta["processing"] += " Left out (no prefecture match): " + ", ".join(unmatched) + "."
    write_table(pm, "observation_pm25", meta)
