"""Evidence class and data-hygiene flags of every observation and flow, set when the store is built.

Evidence class (column ``evidence``), one of :data:`EVIDENCE_CLASSES`:

* ``observed``    — a published statistic for the year it describes (bulletin, yearbook, census);
* ``snapshot``    — measured on a date or period shorter than the year (Baidu 迁徙 7–8 Jan 2020, a 12306
  timetable c. 2017) and standing for it;
* ``modelled``    — the output of a model (the gravity linkage);
* ``proxy``       — measures a related concept (the PM2.5-only good-day share is not the official rate);
* ``apportioned`` — a value shared down to a smaller area by a key (plan-scope members);
* ``estimated``   — filled by a rule (trend, carry-forward) or imported as an estimate.

A row that arrives without one gets it from :data:`CLASSIFY_OBSERVATIONS_SQL` / :data:`CLASSIFY_FLOWS_SQL` (its
quality flag, period and note) at build; the engine derives a cell's class from the catalog's class and the
inputs' quality flags, so an analyst's import without the column is classified alike.

Flags (column ``flags``, comma-separated, NULL = none) — each one a measured property of the row:

* ``implausible``           — the data flag the value as impossible ("CHECK:" in the note: 滁州→南京 341 min);
  the engine leaves such inputs out unless asked to keep them;
* ``rounded``               — a GDP value in 亿元 that is a whole number where its neighbours carry decimals;
* ``pop_census_consistent`` / ``pop_pre_census`` — the vintage of a city's 2011–2019 resident population:
  its 2019 value lies within 3 % of what the two censuses imply for 2019 (geometric interpolation 2010→2020:
  a post-census back-revision, or an estimate that happened to be right) or 5 % or more off it (a bulletin /
  pre-census estimate that breaks at the census); between the two the row is left unflagged. Comparing 2011–2019 population across the two vintages is not like with like;
* ``gdp_vintage_conflict``  — the compilations disagree (first release vs revision; the note says which);
* ``gdp_vintage_seam``      — heuristic: nominal GDP growth into 2019 falls more than 4 points below the
  2016–2018 average (values up to 2018 revised by the 4th economic census, 2019 first release).

Series breaks on shares and per-capita values (a tertiary share moving ≥ 5 points in one year, GDP per
capita ≥ 20 %) are added to ``series_break`` with source ``tongcheng_checks``.
"""
from __future__ import annotations

import pandas as pd

EVIDENCE_CLASSES = ("observed", "snapshot", "modelled", "proxy", "apportioned", "estimated")
# worst last: a metro value takes the weakest class among its inputs
EVIDENCE_ORDER = ("observed", "apportioned", "snapshot", "proxy", "modelled", "estimated")

# The rule for rows without an evidence class (observation: quality, note; flow: quality, period).
CLASSIFY_OBSERVATIONS_SQL = """UPDATE observation AS o SET evidence = CASE
    WHEN o.quality = 'estimate' THEN 'estimated'
    WHEN o.quality IN ('modelled', 'synthetic') THEN 'modelled'
    WHEN o.quality = 'apportioned' THEN 'apportioned'
    WHEN o.note ILIKE '%PROXY%' THEN 'proxy'
    ELSE 'observed' END
WHERE o.evidence IS NULL"""
CLASSIFY_FLOWS_SQL = """UPDATE flow AS f SET evidence = CASE
    WHEN f.quality = 'estimate' THEN 'estimated'
    WHEN f.quality IN ('modelled', 'synthetic') THEN 'modelled'
    WHEN f.period IS NOT NULL AND f.period <> '' THEN 'snapshot'
    ELSE 'observed' END
WHERE f.evidence IS NULL"""

CHECKS_SOURCE = ("tongcheng_checks", "Series checks computed when the store is built (tongcheng)",
                 "tongcheng project (computed)", "indicators/store/hygiene.py", "derived from the observations",
                 None, None, "Breaks on shares and per-capita values; flags on vintages, rounding, implausible inputs")

POP_CONSISTENT_MAX = 0.03
POP_PRE_CENSUS_MIN = 0.05
SHARE_BREAK_POINTS = 5.0
PER_CAPITA_BREAK = 0.20
SEAM_POINTS = 4.0


def _df(con, sql: str, params: list | None = None) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


def classify_evidence(con) -> dict[str, int]:
    """Give every observation and flow without an evidence class its class (see module doc)."""
    cur = con.cursor()
    try:
        cur.execute(CLASSIFY_OBSERVATIONS_SQL)
        cur.execute(CLASSIFY_FLOWS_SQL)
        rows = cur.execute("""SELECT evidence, count(*) FROM (SELECT evidence FROM observation
                              UNION ALL SELECT evidence FROM flow) GROUP BY evidence""").fetchall()
    finally:
        cur.close()
    return {str(k): int(n) for k, n in rows}


# ---------------------------------------------------------------- flags (pure functions on frames)

def population_vintage(obs: pd.DataFrame) -> pd.DataFrame:
    """(code, year, flag) for 2011–2019 resident population rows: census-consistent or pre-census.

    ``obs``: code, year, indicator, value (resident_population in 万人, census_population in persons)."""
    pop = obs[obs["indicator"] == "resident_population"].pivot_table(index="code", columns="year", values="value")
    census = obs[obs["indicator"] == "census_population"].pivot_table(index="code", columns="year", values="value")
    if 2019 not in pop.columns or 2020 not in census.columns:
        return pd.DataFrame(columns=["code", "year", "flag"])
    c20 = census[2020].reindex(pop.index) / 1e4
    c10 = census[2010].reindex(pop.index) / 1e4 if 2010 in census.columns else c20
    # the 2019 value the census implies: geometric interpolation between the two censuses
    implied = c10 * (c20 / c10) ** 0.9
    gap = (pop[2019] / implied - 1.0).abs()
    rows = []
    years = [y for y in pop.columns if 2011 <= int(y) <= 2019]
    for code, g in gap.dropna().items():
        flag = "pop_census_consistent" if g <= POP_CONSISTENT_MAX else ("pop_pre_census" if g >= POP_PRE_CENSUS_MIN else None)
        if flag is None:
            continue
        rows += [(code, int(y), flag) for y in years if pd.notna(pop.at[code, y])]
    return pd.DataFrame(rows, columns=["code", "year", "flag"])


def rounded_gdp(obs: pd.DataFrame) -> pd.DataFrame:
    """(code, year, indicator, flag) for GDP values (亿元) given as whole numbers where the same city's other
    years of that indicator mostly carry decimals."""
    g = obs[obs["indicator"].isin(["gdp", "gdp_primary", "gdp_secondary", "gdp_tertiary"])]
    whole = (g["value"] == g["value"].round(0)) & (g["value"].abs() >= 10)
    share_whole = whole.groupby([g["code"], g["indicator"]]).transform("mean")
    hit = g[whole & (share_whole < 0.5)]
    return pd.DataFrame({"code": hit["code"], "year": hit["year"].astype(int), "indicator": hit["indicator"],
                         "flag": "rounded"})


def gdp_vintage_seams(obs: pd.DataFrame) -> pd.DataFrame:
    """(code, year, flag): GDP growth into 2019 more than SEAM_POINTS below the 2016–2018 mean (heuristic)."""
    g = obs[obs["indicator"] == "gdp"].pivot_table(index="code", columns="year", values="value")
    need = [2015, 2016, 2017, 2018, 2019]
    if not all(y in g.columns for y in need):
        return pd.DataFrame(columns=["code", "year", "flag"])
    growth = g[need].pct_change(axis=1, fill_method=None) * 100
    before = growth[[2016, 2017, 2018]].mean(axis=1)
    seam = growth[2019] < before - SEAM_POINTS
    codes = seam[seam.fillna(False)].index
    return pd.DataFrame({"code": codes, "year": 2019, "flag": "gdp_vintage_seam"})


def share_breaks(obs: pd.DataFrame) -> pd.DataFrame:
    """series_break rows for the tertiary share (≥ SHARE_BREAK_POINTS points) and GDP per capita (≥ 20 %)."""
    w = obs[obs["indicator"].isin(["gdp", "gdp_tertiary", "gdp_per_capita"])].pivot_table(
        index=["code", "year"], columns="indicator", values="value")
    out = []
    if {"gdp", "gdp_tertiary"} <= set(w.columns):
        share = (w["gdp_tertiary"] / w["gdp"] * 100).unstack("year")
        d = share.diff(axis=1)
        for (code, year), v in d.stack().items():
            if abs(v) >= SHARE_BREAK_POINTS and int(year) - 1 in share.columns:
                a, b = share.at[code, int(year) - 1], share.at[code, year]
                note = " (2019: benchmark revision after the 4th economic census, 2018)" if int(year) == 2019 else ""
                out.append((code, int(year), "tertiary_share", "share_break",
                            f"tertiary share {a:.1f}% -> {b:.1f}% ({v:+.1f} points in one year){note} "
                            f"[detected: |change| >= {SHARE_BREAK_POINTS:g} points]", round(float(v), 2), CHECKS_SOURCE[0]))
    if "gdp_per_capita" in w.columns:
        pc = w["gdp_per_capita"].unstack("year")
        ch = pc.pct_change(axis=1, fill_method=None)
        for (code, year), v in ch.stack().items():
            if abs(v) >= PER_CAPITA_BREAK and int(year) - 1 in pc.columns:
                out.append((code, int(year), "gdp_per_capita", "per_capita_break",
                            f"GDP per capita {pc.at[code, int(year) - 1]:,.0f} -> {pc.at[code, year]:,.0f} 元 ({v:+.1%}) "
                            f"[detected: |change| >= {PER_CAPITA_BREAK:.0%}]", round(float(v) * 100, 1), CHECKS_SOURCE[0]))
    return pd.DataFrame(out, columns=["code", "year", "indicator", "kind", "description", "change_pct", "source_id"])


def observation_flags(obs: pd.DataFrame) -> pd.DataFrame:
    """(code, year, indicator, source_id, flags) for every observation with at least one flag."""
    keyed = []
    pv = population_vintage(obs)
    if len(pv):
        keyed.append(pv.assign(indicator="resident_population"))
    rd = rounded_gdp(obs)
    if len(rd):
        keyed.append(rd)
    sm = gdp_vintage_seams(obs)
    if len(sm):
        keyed.append(sm.assign(indicator="gdp"))
    conflict = obs[(obs["quality"] == "conflict") & obs["indicator"].str.startswith("gdp")]
    if len(conflict):
        keyed.append(pd.DataFrame({"code": conflict["code"], "year": conflict["year"].astype(int),
                                   "indicator": conflict["indicator"], "flag": "gdp_vintage_conflict"}))
    if not keyed:
        return pd.DataFrame(columns=["code", "year", "indicator", "source_id", "flags"])
    flags = pd.concat(keyed, ignore_index=True)
    flags["year"] = flags["year"].astype(int)
    merged = obs[["code", "year", "indicator", "source_id"]].assign(year=obs["year"].astype(int)).merge(
        flags, on=["code", "year", "indicator"])
    return (merged.groupby(["code", "year", "indicator", "source_id"])["flag"]
            .agg(lambda s: ",".join(sorted(set(s)))).rename("flags").reset_index())


def apply(con) -> dict[str, int]:
    """Classify evidence, set flags and add the computed series breaks (one call from the build)."""
    counts = {f"evidence.{k}": v for k, v in classify_evidence(con).items()}
    obs = _df(con, "SELECT code, year, indicator, value, quality, source_id FROM observation")
    flags = observation_flags(obs)
    cur = con.cursor()
    try:
        if len(flags):
            cur.register("hygiene_flags", flags)
            cur.execute("""UPDATE observation AS o SET flags = h.flags FROM hygiene_flags h
                           WHERE o.code = h.code AND o.year = h.year AND o.indicator = h.indicator
                             AND o.source_id = h.source_id""")
            cur.unregister("hygiene_flags")
        cur.execute("UPDATE flow SET flags = 'implausible' WHERE note LIKE '%CHECK:%' AND flags IS NULL")
        breaks = share_breaks(obs)
        if len(breaks):
            if not cur.execute("SELECT count(*) FROM source WHERE source_id = ?", [CHECKS_SOURCE[0]]).fetchone()[0]:
                cur.execute("INSERT INTO source VALUES (?, ?, ?, ?, ?, ?, ?, ?)", list(CHECKS_SOURCE))
            cur.register("hygiene_breaks", breaks)
            cur.execute("INSERT INTO series_break BY NAME SELECT * FROM hygiene_breaks")
            cur.unregister("hygiene_breaks")
        implausible = cur.execute("SELECT count(*) FROM flow WHERE flags LIKE '%implausible%'").fetchone()[0]
    finally:
        cur.close()
    counts.update({"flagged_observations": int(len(flags)), "implausible_flows": int(implausible),
                   "computed_breaks": int(len(breaks))})
    return counts
