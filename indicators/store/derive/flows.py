"""Derive the flow tables between metro members.

* ``flow_migration.csv`` — Baidu 迁徙 out-shares (% of the origin's outflow going to the destination),
  mean of 2020-01-07 and 2020-01-08, for every ordered pair of members of a metro. Research-use sample.
* ``flow_rail_minutes.csv`` — minimum scheduled rail time member -> core, 12306 timetables c.2017.
* ``flow_gravity.csv`` — modelled gravity linkage G_ij = P_i·P_j / d_ij² between members, year by year.
* ``flow_rail_minutes_2007.csv`` / ``flow_rail_cut.csv`` — the same member -> core minutes c.2007 (before high-speed
  rail) and the % cut c.2007 -> c.2017.
* ``flow_tencent.csv`` — Tencent 迁徙 2017-10-19 shares of each member's listed outflow going to other members.
"""
from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd

from .common import DEFAULT_SHARED, latin_key, read_data, write_table

COLUMNS = ["origin_code", "dest_code", "year", "period", "kind", "value", "unit", "source_id", "quality", "note"]


def member_pairs(members: pd.DataFrame) -> list[tuple[str, str]]:
    """Ordered pairs (i, j), i != j, of members of the same metro; each pair once even if in several metros."""
    pairs = set()
    for _, g in members.groupby("metro_id"):
        pairs.update(itertools.permutations(sorted(set(g.code)), 2))
    return sorted(pairs)


def member_core_pairs(members: pd.DataFrame, metros: pd.DataFrame) -> list[tuple[str, str]]:
    core = dict(zip(metros.metro_id, metros.core_code))
    return sorted({(r.code, core[r.metro_id]) for r in members.itertuples() if r.code != core[r.metro_id]})


def _role_note(code: str, members: pd.DataFrame) -> str:
    parts = members[(members.code == code) & members.parts.notna()]
    return f"{code} is a partial member ({'; '.join(parts.parts)}): whole-city value" if len(parts) else ""


def migration(shared: Path, members: pd.DataFrame, region: pd.DataFrame) -> pd.DataFrame:
    days = ["20200107", "20200108"]
    mats = [pd.read_csv(shared / f"reference/baidu_qianxi_2020/BaiduNet_out_{d}.csv", index_col=0) for d in days]
    name = dict(zip(region.code, region.name_zh))
    rows = []
    for o, d in member_pairs(members):
        vals = []
        for m in mats:
            if name[o] in m.index and name[d] in m.columns and pd.notna(m.at[name[o], name[d]]):
                vals.append(float(m.at[name[o], name[d]]))
        if not vals:
            continue  # not among the origin's top-100 destinations on either day
        note = "Baidu 迁徙 share of the origin's outflow going to the destination; " + (
            "mean of 2020-01-07 and 2020-01-08" if len(vals) == 2 else "one day only (the other day: not in the top 100)")
        extra = "; ".join(x for x in (_role_note(o, members), _role_note(d, members)) if x)
        rows.append((o, d, 2020, "2020-01-07..2020-01-08", "migration_share", round(sum(vals) / len(vals), 3), "%",
                     "baidu_qianxi_2020", "single_source", note + ("; " + extra if extra else "") +
                     "; research-use reference sample (data © Baidu)"))
    return pd.DataFrame(rows, columns=COLUMNS)


def _matrix_names(columns, region: pd.DataFrame, alias: pd.DataFrame) -> dict[str, str]:
    """Region code -> column of the 12306 matrix ('Suzhou_Jiangsu' style names disambiguate by province)."""
    prov_en = dict(zip(region.code, region.name_en))
    parent = dict(zip(region.code, region.parent_code))
    keys: dict[str, set[str]] = {}
    for a in alias.itertuples():
        if a.alias.isascii() and not a.alias.isdigit():
            keys.setdefault(latin_key(a.alias), set()).add(a.code)
    out = {}
    for col in columns:
        base, _, prov = col.partition("_")
        cands = {c for c in keys.get(latin_key(base), set()) if region.set_index("code").at[c, "level"] == "prefecture"}
        if prov:
            cands = {c for c in cands if latin_key(prov_en.get(parent.get(c), "")) == latin_key(prov)}
        if len(cands) == 1:
            out[cands.pop()] = col
    return out


SLOW_KMH = 30.0  # below this implied straight-line speed a rail time is flagged for checking


def rail_minutes(shared: Path, members: pd.DataFrame, metros: pd.DataFrame, region: pd.DataFrame,
                 alias: pd.DataFrame) -> pd.DataFrame:
    m = pd.read_csv(shared / "reference/rail_travel_time_12306/gordonjgz_Travel_Matrix_CRH_12306_hours.csv", index_col=0)
    col = _matrix_names(m.columns, region, alias)
    rows = []
    for o, d in member_core_pairs(members, metros):
        if o not in col or d not in col:
            continue
        hours = m.at[col[o], col[d]]
        if pd.isna(hours):
            continue
        extra = _role_note(o, members)
        seat = region.set_index("code")
        km = great_circle_km(seat.at[o, "seat_lon"], seat.at[o, "seat_lat"], seat.at[d, "seat_lon"], seat.at[d, "seat_lat"])
        speed = km / float(hours) if hours else float("nan")
        if speed < SLOW_KMH:
            extra = (extra + "; " if extra else "") + (
                f"CHECK: implies {speed:.0f} km/h over {km:.0f} km great-circle: no direct or high-speed link c.2017, "
                "or a gap in the matrix — verify before use")
        rows.append((o, d, 2017, "c.2017", "rail_minutes", round(float(hours) * 60, 1), "min", "rail_12306_gordonjgz",
                     "single_source", f"minimum scheduled rail time {col[o]} -> {col[d]} from 12306 timetables c.2017 "
                     f"(with high-speed rail), hours x 60" + ("; " + extra if extra else "")))
    return pd.DataFrame(rows, columns=COLUMNS)


def rail_minutes_2007(shared: Path, members: pd.DataFrame, metros: pd.DataFrame, region: pd.DataFrame,
                      alias: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Timetable minutes member -> core c.2007 (before high-speed rail) and the % cut to c.2017.

    Returns (minutes c.2007 as kind 'rail_minutes' year 2007, cut as kind 'rail_minutes_cut_pct' year 2017 =
    100 x (t2007 - t2017) / t2007). A pair whose time in either matrix implies < 30 km/h is kept with 'CHECK:'."""
    base = shared / "reference/rail_travel_time_12306"
    before = pd.read_csv(base / "gordonjgz_Travel_Matrix_Before_12306_hours.csv", index_col=0)
    after = pd.read_csv(base / "gordonjgz_Travel_Matrix_CRH_12306_hours.csv", index_col=0)
    col = _matrix_names(before.columns, region, alias)
    seat = region.set_index("code")
    minutes, cuts = [], []
    for o, d in member_core_pairs(members, metros):
        if o not in col or d not in col:
            continue
        h07 = before.at[col[o], col[d]]
        h17 = after.at[col[o], col[d]] if col[o] in after.index and col[d] in after.columns else float("nan")
        if pd.isna(h07) or not h07:
            continue
        km = great_circle_km(seat.at[o, "seat_lon"], seat.at[o, "seat_lat"], seat.at[d, "seat_lon"], seat.at[d, "seat_lat"])
        role = _role_note(o, members)
        slow = [f"c.{y} implies {km / float(h):.0f} km/h over {km:.0f} km great-circle" for y, h in (("2007", h07), ("2017", h17))
                if pd.notna(h) and h and km / float(h) < SLOW_KMH]
        check = ("CHECK: " + "; ".join(slow) + " — verify before use") if slow else ""
        extra = "; ".join(x for x in (role, check) if x)
        slow07 = bool(slow) and slow[0].startswith("c.2007")
        minutes.append((o, d, 2007, "c.2007", "rail_minutes", round(float(h07) * 60, 1), "min", "rail_12306_gordonjgz_2007",
                        "single_source", f"minimum scheduled rail time {col[o]} -> {col[d]} from 12306 timetables c.2007 "
                        "(before high-speed rail), hours x 60" + ("; " + "; ".join(x for x in (role, check if slow07 else "") if x)
                                                                   if role or slow07 else "")))
        if pd.isna(h17):
            continue
        t07, t17 = float(h07) * 60, float(h17) * 60
        cuts.append((o, d, 2017, "c.2007->c.2017", "rail_minutes_cut_pct", round(100 * (t07 - t17) / t07, 1), "%",
                     "rail_12306_gordonjgz", "single_source",
                     f"cut in minimum scheduled rail time {col[o]} -> {col[d]}: {t07:.1f} min c.2007 -> {t17:.1f} min c.2017, "
                     "100 x (t2007 - t2017) / t2007 (12306 timetables, before and with high-speed rail)" + ("; " + extra if extra else "")))
    return pd.DataFrame(minutes, columns=COLUMNS), pd.DataFrame(cuts, columns=COLUMNS)


TENCENT_DAY = "20171019"
TENCENT_MODES = ("car", "train", "plane")


def tencent_shares(shared: Path, members: pd.DataFrame, region: pd.DataFrame) -> pd.DataFrame:
    """Tencent 迁徙 2017-10-19: share (%) of an origin's listed outflow (top-10 destinations per mode, car + train
    + plane summed) going to each other member of its metro."""
    from .common import short_name

    frames = [pd.read_csv(shared / f"reference/tencent_qianxi_2017/tencent_qianxi_{TENCENT_DAY}_{m}_out.csv")
              .assign(mode=m) for m in TENCENT_MODES]
    out = pd.concat(frames, ignore_index=True)
    codes = set(members.code)
    short = {}
    for r in region[region.code.isin(codes)].itertuples():
        short.setdefault(short_name(r.name_zh), set()).add(r.code)
    code_of = {k: next(iter(v)) for k, v in short.items() if len(v) == 1}
    total = out.groupby("dep_city")["number"].sum()
    per_pair = out.groupby(["dep_city", "arr_city"])["number"].sum()
    modes = out.groupby(["dep_city", "arr_city"])["mode"].agg(lambda m: "+".join(sorted(set(m))))
    rows = []
    for o, d in member_pairs(members):
        no, nd = next((k for k, c in code_of.items() if c == o), None), next((k for k, c in code_of.items() if c == d), None)
        if no is None or nd is None or (no, nd) not in per_pair.index:
            continue  # not among the origin's listed destinations on that day
        persons, listed = int(per_pair[(no, nd)]), int(total[no])
        extra = "; ".join(x for x in (_role_note(o, members), _role_note(d, members)) if x)
        rows.append((o, d, 2017, "2017-10-19", "tencent_trip_share", round(100.0 * persons / listed, 2), "%",
                     "tencent_qianxi_2017", "single_source",
                     f"Tencent 位置大数据 迁徙 2017-10-19 (Thursday): {persons} persons {no}->{nd} ({modes[(no, nd)]}) of the "
                     f"{listed} persons in {no}'s listed top-10 destinations by car, train and plane; share of LISTED trips "
                     "(an upper bound of the share of all trips)" + ("; " + extra if extra else "") +
                     "; one-day snapshot, reference data without a licence: derived figure only"))
    return pd.DataFrame(rows, columns=COLUMNS)


def great_circle_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance on a sphere of radius 6371.0088 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def gravity(members: pd.DataFrame, region: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    pop = observations[observations.indicator == "resident_population"].set_index(["code", "year"])["value"]
    seat = region.set_index("code")[["seat_lon", "seat_lat"]]
    rows = []
    for o, d in member_pairs(members):
        if o > d:
            continue  # symmetric: compute once, write both directions
        if seat.loc[[o, d]].isna().any().any():
            continue
        km = great_circle_km(*seat.loc[o], *seat.loc[d])
        for year in range(2010, 2024):
            if (o, year) not in pop.index or (d, year) not in pop.index:
                continue
            g = pop[(o, year)] * pop[(d, year)] / km ** 2
            note = (f"MODELLED G=P_i*P_j/d^2, P={pop[(o, year)]:g}/{pop[(d, year)]:g} 万人, d={km:.1f} km "
                    "(method: flow_gravity.meta.yaml); not an observed flow")
            for a, b in ((o, d), (d, o)):
                rows.append((a, b, year, None, "gravity_linkage", round(g, 4), "index", "gravity_model_tongcheng",
                             "modelled", note))
    return pd.DataFrame(rows, columns=COLUMNS)


META_MIGRATION = {
    "table": "flow",
    "producer": "Baidu 迁徙 (Baidu Migration), © Baidu; collected by Emergent-Epidemics/eeid_mobility",
    "title": "Research-use sample: Baidu migration shares between members of each metro, 7-8 January 2020",
    "url": "github.com/Emergent-Epidemics/eeid_mobility @ a9a108714287 data/BaiduMobility/ (BaiduNet_out_20200107/08.csv)",
    "licence": "research / non-commercial use only (data © Baidu); only a small derived sample is shipped",
    "processing": (
        "From the daily 'out' share matrices (row = origin, value = % of the origin's outflow going to the column city, "
        "top-100 destinations only), kept only ordered pairs of cities that are members of the same metro (all pairs, hence "
        "also member -> core and core -> member); value = mean of the two days (one day when the pair is in the top 100 on "
        "one day only; the note says so). Pairs absent on both days are left out, not zero. Whole-city shares: for partial "
        "members the note says so. Two normal pre-holiday weekdays: a snapshot, not a yearly flow. quality single_source."
    ),
}
META_RAIL = {
    "table": "flow",
    "producer": "gordonjgz/spatial-differentiated-effects-CRH (from 12306 timetables)",
    "title": "Minimum rail travel time (minutes) from each metro member to its core, c.2017",
    "url": "github.com/gordonjgz/spatial-differentiated-effects-CRH @ 1f7d68e57d89 Travel_Matrix_CRH_12306_hours.csv",
    "licence": "no licence: reference use; only the member -> core pairs are shipped, as cited figures",
    "processing": (
        "English matrix names matched to region codes through region_alias (Suzhou_Jiangsu style names by province); "
        "value = hours x 60, rounded to 0.1 min; origin = member, destination = the metro's core; year 2017 (period "
        "'c.2017'). Members not in the 285-city matrix (仙桃/天门/潜江) have no row. Whole-city stations: for partial "
        "members the time is to/from the city, not necessarily the member parts. quality single_source. Times implying less "
        "than 30 km/h over the great-circle distance between seats (e.g. 滁州 -> 南京 341 min although 滁州 is on the "
        "Beijing-Shanghai HSR) are kept as in the source but flagged 'CHECK' in the note."
    ),
}
META_GRAVITY = {
    "table": "flow",
    "producer": "tongcheng (modelled here: indicators/store/derive/flows.py)",
    "title": "MODELLED gravity linkage between members of each metro, 2010-2023",
    "url": "indicators/store/derive/flows.py (inputs: data/observation.csv resident_population; data/region.csv seats)",
    "licence": "derived; inputs as cited in observation.meta.yaml and region.meta.yaml",
    "processing": (
        "Method: G_ij = P_i * P_j / d_ij^2 with P = year-end resident population (万人, observation 'resident_population', "
        "single_source) and d = great-circle distance in km between the seats in region.csv (haversine, R = 6371.0088 km). "
        "Computed for every unordered pair of members of the same metro and every year 2010-2023 in which both populations "
        "exist, written in both directions (symmetric). Unit 'index' (万人² / km²). Whole-city populations, also for partial "
        "members. quality = 'modelled': an estimate of potential interaction, NOT an observed flow."
    ),
}


META_RAIL_2007 = {
    "table": "flow",
    "producer": "gordonjgz/spatial-differentiated-effects-CRH (from 12306 timetables)",
    "title": "Minimum rail travel time (minutes) from each metro member to its core, c.2007 (before high-speed rail)",
    "url": "github.com/gordonjgz/spatial-differentiated-effects-CRH @ 1f7d68e57d89 Travel_Matrix_Before_12306_hours.csv",
    "licence": "no licence: reference use; only the member -> core pairs are shipped, as cited figures",
    "processing": (
        "Same matching as flow_rail_minutes (English names -> region codes through region_alias); value = hours x 60, "
        "0.1 min; year 2007 (period 'c.2007'), the matrix before high-speed rail. Times implying < 30 km/h over the "
        "great-circle distance are kept as in the source with 'CHECK:' in the note. quality single_source."
    ),
}
META_RAIL_CUT = {
    "table": "flow",
    "producer": "tongcheng (computed here from the two gordonjgz 12306 matrices)",
    "title": "Cut in minimum rail minutes member -> core, c.2007 -> c.2017 (%)",
    "url": "github.com/gordonjgz/spatial-differentiated-effects-CRH @ 1f7d68e57d89 (Before and CRH 12306 matrices)",
    "licence": "no licence: reference use; only derived member -> core figures are shipped",
    "processing": (
        "value = 100 x (t2007 - t2017) / t2007 with t the minimum scheduled rail minutes member -> core in the matrix "
        "before high-speed rail (c.2007) and with it (c.2017); both minute values are in the note. Year 2017, period "
        "'c.2007->c.2017'. A pair with a time implying < 30 km/h in either matrix carries 'CHECK:' in the note."
    ),
}
META_TENCENT = {
    "table": "flow",
    "producer": "Tencent 位置大数据 迁徙 (heat.qq.com), collected by a1317934217/Baidu_migrationData",
    "title": "Tencent migration 2017-10-19: share of each member's listed outflow going to other members (%)",
    "url": "github.com/a1317934217/Baidu_migrationData @ 95460c1b4db5 tencent_qianxi_20171019_{car,train,plane}_out.csv",
    "licence": "no licence: reference data; only derived shares between members of a metro are shipped",
    "processing": (
        "For each origin the files list its top-10 destinations by car, by train and by plane with person counts for one "
        "day (Thursday 2017-10-19). Persons summed over the three modes per destination; value = 100 x persons(origin -> "
        "destination) / all persons in the origin's listed rows: a share of LISTED trips (an upper bound of the share of "
        "all trips). Kept only ordered pairs of members of the same metro listed on that day; names matched on the short "
        "Chinese name of member prefectures. Period '2017-10-19': a one-day snapshot. quality single_source."
    ),
}


def run(shared: Path = DEFAULT_SHARED) -> None:
    members, metros = read_data("metro_member"), read_data("metro")
    region, alias = read_data("region"), read_data("region_alias", keep_default_na=False)
    obs = read_data("observation")
    write_table(migration(shared, members, region), "flow_migration", META_MIGRATION)
    write_table(rail_minutes(shared, members, metros, region, alias), "flow_rail_minutes", META_RAIL)
    write_table(gravity(members, region, obs), "flow_gravity", META_GRAVITY)
    minutes_2007, cuts = rail_minutes_2007(shared, members, metros, region, alias)
    write_table(minutes_2007, "flow_rail_minutes_2007", META_RAIL_2007)
    write_table(cuts, "flow_rail_cut", META_RAIL_CUT)
    write_table(tencent_shares(shared, members, region), "flow_tencent", META_TENCENT)
