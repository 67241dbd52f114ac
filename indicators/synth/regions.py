"""Regions of the synthetic national dataset: real prefectures (from a built store when there is one)
and generated counties under each of them.

County codes are generated deterministically as the prefecture's first four digits + two digits
(510100 → 510101, 510102, …), skipping codes already taken, and named "<city>·县01" — they are test
units, not the real counties with those codes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from indicators.store.db import connect as store_connect

REGION_COLUMNS = ["code", "name_zh", "name_en", "level", "parent_code", "land_area_km2", "seat_lon", "seat_lat",
                  "valid_from", "valid_to", "source_id"]
SYNTHETIC_SOURCE_ID = "synthetic_national"

# Provinces (GB/T 2260 first two digits) used when no store is available.
_PROVINCE_PREFIXES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                      "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]


@dataclass(frozen=True)
class Reference:
    """Real reference tables copied from the store (or synthetic stand-ins when there is none)."""

    provinces: pd.DataFrame       # REGION_COLUMNS, level == 'province'
    prefectures: pd.DataFrame     # REGION_COLUMNS, level == 'prefecture'
    metros: pd.DataFrame          # the store's `metro` table (may be empty)
    members: pd.DataFrame         # the store's `metro_member` table (may be empty)
    sources: pd.DataFrame         # `source` rows referenced by the tables above
    from_store: bool


def load_reference(source_db: str | Path | None) -> Reference:
    """Prefectures, provinces and metros from a built store; synthetic stand-ins if it is missing or empty."""
    if source_db is not None and Path(source_db).exists():
        import duckdb

        con = store_connect(source_db, read_only=True)
        try:
            from indicators.store.synthetic import read_reference_tables
            t = read_reference_tables(con)
            if t is not None and len(t["prefectures"]):
                return Reference(t["provinces"], t["prefectures"], t["metros"], t["members"], t["sources"], True)
        finally:
            con.close()
    return synthetic_reference()


def synthetic_reference(n_prefectures: int = 310) -> Reference:
    """Stand-in prefectures when no store is available: codes PP0100, PP0200, … per province, synthetic names."""
    per_prov = -(-n_prefectures // len(_PROVINCE_PREFIXES))
    rows = []
    for pp in _PROVINCE_PREFIXES:
        for j in range(1, per_prov + 1):
            if len(rows) >= n_prefectures:
                break
            rows.append({"code": f"{pp}{j:02d}00", "name_zh": f"合成市{pp}{j:02d}", "name_en": f"Synthetic city {pp}{j:02d}",
                         "level": "prefecture", "parent_code": f"{pp}0000"})
    prefs = pd.DataFrame(rows)
    prefs["source_id"] = SYNTHETIC_SOURCE_ID
    provs = pd.DataFrame({"code": [f"{pp}0000" for pp in _PROVINCE_PREFIXES],
                          "name_zh": [f"合成省{pp}" for pp in _PROVINCE_PREFIXES],
                          "name_en": [f"Synthetic province {pp}" for pp in _PROVINCE_PREFIXES],
                          "level": "province", "parent_code": None, "source_id": SYNTHETIC_SOURCE_ID})
    metros, members = synthetic_metros(prefs)
    return Reference(_complete(provs), _complete(prefs), metros, members, pd.DataFrame(), False)


def _complete(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for col in REGION_COLUMNS:
        if col not in df.columns:
            df[col] = None
    return df[REGION_COLUMNS]


def synthetic_metros(prefectures: pd.DataFrame, per_metro: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stand-in metros when the store has none: per province, its first prefecture as core plus the next three."""
    metros, members = [], []
    for prov, grp in prefectures.sort_values("code").groupby(prefectures["code"].str[:2], sort=True):
        codes = list(grp["code"])[:per_metro]
        if len(codes) < 2:
            continue
        mid = f"syn_metro_{prov}"
        metros.append({"metro_id": mid, "name_zh": f"合成都市圈{prov}", "name_en": f"Synthetic metro {prov}",
                       "core_code": codes[0], "source_id": SYNTHETIC_SOURCE_ID, "membership_basis": "synthetic"})
        for j, c in enumerate(codes):
            members.append({"metro_id": mid, "code": c, "role": "core" if j == 0 else "member",
                            "valid_from": 1900, "valid_to": 9999, "source_id": SYNTHETIC_SOURCE_ID})
    return pd.DataFrame(metros), pd.DataFrame(members)


def select_prefectures(ref: Reference, max_prefectures: int | None) -> pd.DataFrame:
    """All prefectures, or the first ``max_prefectures`` with metro members first (so metros stay covered)."""
    prefs = ref.prefectures.sort_values("code").reset_index(drop=True)
    if max_prefectures is None or max_prefectures >= len(prefs):
        return prefs
    in_metro = set(ref.members["code"]) if len(ref.members) else set()
    order = prefs.assign(_m=~prefs["code"].isin(in_metro)).sort_values(["_m", "code"], kind="stable")
    return order.head(max_prefectures).drop(columns="_m").sort_values("code").reset_index(drop=True)


def generate_counties(prefectures: pd.DataFrame, mean_per_prefecture: float, rng: np.random.Generator) -> pd.DataFrame:
    """Counties under each prefecture: 1–99 each (Poisson around the mean), deterministic for a given rng."""
    counts = np.clip(rng.poisson(max(mean_per_prefecture - 1.0, 0.0), len(prefectures)) + 1, 1, 99)
    taken = set(prefectures["code"])
    rows = []
    for (_, p), n in zip(prefectures.iterrows(), counts):
        prefix = str(p["code"])[:4]
        base_name = str(p["name_zh"])
        area = p["land_area_km2"] if pd.notna(p["land_area_km2"]) else None
        base_en = p["name_en"] if isinstance(p["name_en"], str) and p["name_en"] else str(p["code"])
        made = 0
        for k in range(1, 100):
            code = f"{prefix}{k:02d}"
            if code in taken:
                continue
            taken.add(code)
            made += 1
            rows.append({"code": code, "name_zh": f"{base_name}·县{made:02d}", "name_en": f"{base_en} county {made:02d}",
                         "level": "county", "parent_code": p["code"],
                         "land_area_km2": (area / n) if area else None,
                         "seat_lon": p["seat_lon"], "seat_lat": p["seat_lat"], "valid_from": None, "valid_to": None,
                         "source_id": SYNTHETIC_SOURCE_ID})
            if made == n:
                break
    return _complete(pd.DataFrame(rows))
