"""Derive ``data/published/``: published assessments as small cited reference tables for 对标 (reconcile).

Not loaded into the store (``python -m indicators reconcile --reference FILE.csv`` and the Methodology page
read them). Each table keeps only what a comparison needs — metro, tier/rank/score, edition, source id — and
states where the figures were published.

* ``tsinghua_2023_tiers.csv`` — 《现代化成都都市圈高质量发展指数》 2023-05 release: 9 metros in three tiers.
* ``tsinghua_2023_ranks.csv`` — the 2024-04 release ("2023" edition): ranks 1–5 of 12 (成都 76.4); the other 7
  metros were not named in any page found, so they are absent, not ranked last.
* ``njnu_yrd_<edition>_metros.csv`` — 长三角高质量发展评价 (南京师范大学), city scores aggregated to our YRD metros.
  Rule: population-weighted mean of the member cities' scores, weights = year-end resident population of the
  edition year − 1 (data/observation.csv; the latest earlier year when missing), whole prefectures (partial
  members count whole); a metro is scored only when every member has a published score. Rank = order of the
  aggregated scores among these metros (1 = best).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.paths import DATA_DIR

from .common import DEFAULT_SHARED, read_data, short_name, write_table

OUT_DIR = DATA_DIR / "published"
TSINGHUA = "tsinghua_chengdu_index.csv"
NJNU = "njnu_yrd_high_quality_city_scores.csv"


def _published(shared: Path) -> Path:
    return shared.parent / "validation" / "published"


def _metro_ids(names: pd.Series, metros: pd.DataFrame) -> pd.Series:
    by_name = dict(zip(metros["name_zh"], metros["metro_id"]))
    return names.map(by_name)


def tsinghua(shared: Path, metros: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = pd.read_csv(_published(shared) / TSINGHUA, dtype=str)
    tiers = t[t["tier"].notna() & (t["released"] == "2023-05-10")]
    tiers = pd.DataFrame({"metro_zh": tiers["metro_zh"], "metro_id": _metro_ids(tiers["metro_zh"], metros),
                          "tier": tiers["tier"], "edition": tiers["edition"], "released": tiers["released"],
                          "metros_compared": tiers["metros_compared"], "source_id": "tsinghua_tongheng_index"})
    ranks = t[t["rank"].notna() & (t["released"] == "2024-04-02")]
    ranks = pd.DataFrame({"metro_zh": ranks["metro_zh"], "metro_id": _metro_ids(ranks["metro_zh"], metros),
                          "rank": ranks["rank"].astype(int), "score": pd.to_numeric(ranks["score"]),
                          "edition": ranks["edition"], "released": ranks["released"],
                          "metros_compared": ranks["metros_compared"], "source_id": "tsinghua_tongheng_index"})
    return tiers.reset_index(drop=True), ranks.reset_index(drop=True)


def njnu(shared: Path, metros: pd.DataFrame, members: pd.DataFrame, region: pd.DataFrame,
         obs: pd.DataFrame) -> dict[int, pd.DataFrame]:
    n = pd.read_csv(_published(shared) / NJNU)
    code_of = {short_name(z): c for c, z, lv in zip(region["code"], region["name_zh"], region["level"]) if lv == "prefecture"}
    n["code"] = n["city_zh"].map(lambda z: code_of.get(short_name(z)))
    missing = n[n["code"].isna()]
    if len(missing):
        raise ValueError(f"{NJNU}: cities without a prefecture code: {sorted(set(missing['city_zh']))}")
    pop = obs[obs["indicator"] == "resident_population"][["code", "year", "value"]]
    # county-level members count as their prefecture (the published scores are by prefecture)
    prefecture = {c: (p if lv == "county" and isinstance(p, str) and p[2:] != "0000" else c)
                  for c, p, lv in zip(region["code"], region["parent_code"], region["level"])}
    out = {}
    for edition, g in n.groupby("edition_year"):
        score = dict(zip(g["code"], g["score"]))
        rows = []
        for m in metros.itertuples():
            codes = sorted({prefecture.get(c, c) for c in members.loc[members["metro_id"] == m.metro_id, "code"]})
            scored = [c for c in codes if c in score]
            if not scored or len(scored) < len(codes):
                continue
            w = []
            for c in scored:
                p = pop[(pop["code"] == c) & (pop["year"] <= edition - 1)].sort_values("year")
                w.append((float(p["value"].iloc[-1]), int(p["year"].iloc[-1])) if len(p) else (float("nan"), None))
            if any(pd.isna(x) for x, _ in w):
                continue
            total = sum(x for x, _ in w)
            val = sum(score[c] * x for c, (x, _) in zip(scored, w)) / total
            years = sorted({y for _, y in w})
            rows.append({"metro_id": m.metro_id, "metro_zh": m.name_zh, "score": round(val, 2),
                         "members_scored": len(scored), "members_total": len(codes),
                         "weights": f"resident population {'/'.join(map(str, years))} (万人)",
                         "edition": f"长三角高质量发展评价 {edition}", "source_id": "njnu_yrd_hq"})
        f = pd.DataFrame(rows)
        f.insert(2, "rank", f["score"].rank(ascending=False, method="min").astype(int))
        out[int(edition)] = f.sort_values("rank").reset_index(drop=True)
    return out


def _meta(title: str, url: str, processing: str) -> dict:
    return {"table": "published_reference (not loaded into the store; read by `reconcile`)",
            "producer": "tongcheng derive step (indicators/store/derive/published.py)", "title": title, "url": url,
            "licence": "published figures cited from their pages (see source_id in data/source.csv)",
            "processing": processing}


def run(shared: Path = DEFAULT_SHARED) -> None:
    metros, members = read_data("metro"), read_data("metro_member")
    region, obs = read_data("region"), read_data("observation")
    tiers, ranks = tsinghua(shared, metros)
    src = f"../shared/validation/published/{TSINGHUA} (press pages cited there)"
    write_table(tiers, "tsinghua_2023_tiers", _meta(
        "现代化成都都市圈高质量发展指数, 2023-05 release: tiers of 9 metros", src,
        "Rows of the 2023-05-10 release with a tier; metro_id = our metro of that name (blank: not in our store). "
        "Tier text kept as published ('1 全能综合型'); no scores were published."), OUT_DIR)
    write_table(ranks, "tsinghua_2023_ranks", _meta(
        "现代化成都都市圈高质量发展指数 (2023), 2024-04 release: ranks 1-5 of 12 metros", src,
        "Rows of the 2024-04-02 release with a rank; only ranks 1-5 were named in the pages found (成都 5th, 76.4); "
        "the other 7 of the 12 are absent, not last."), OUT_DIR)
    for edition, f in njnu(shared, metros, members, region, obs).items():
        write_table(f, f"njnu_yrd_{edition}_metros", _meta(
            f"长三角高质量发展评价 (南京师范大学) {edition}: city scores aggregated to our YRD metros",
            f"../shared/validation/published/{NJNU}",
            "Population-weighted mean of the member cities' published scores, weights = year-end resident population "
            "of the edition year - 1 (data/observation.csv, latest earlier year when missing); whole prefectures "
            "(partial members count whole); a metro only when every member has a score; rank among these metros."), OUT_DIR)


if __name__ == "__main__":   # also part of ``python -m indicators.store.derive``
    run()
