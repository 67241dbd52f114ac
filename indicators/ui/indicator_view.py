"""Everything the Indicator explorer draws for one indicator, year and metro selection (city level)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from indicators.i18n import pick, place_names, t
from indicators.ui import loaders
from indicators.ui.catalog_view import IndicatorLabel, label

SCOPES = ("members", "provinces", "all")


@dataclass
class IndicatorView:
    label: IndicatorLabel
    year_requested: int | None
    year_used: int | None
    years: list[int]
    map_frame: pd.DataFrame          # code, name, value, quality — cities in the map extent
    series: pd.DataFrame             # code, name, year, value, quality — member cities of the selected metros
    breaks: pd.DataFrame             # code, year, kind, description
    outlines: dict[str, list[str]]   # metro_id -> member codes
    table: pd.DataFrame              # the raw rows with sources (selected year, map extent)
    sources: list[str] = field(default_factory=list)
    marked_share: float = 0.0        # share of shown values that carry a marked quality flag
    ranking: pd.DataFrame | None = None  # metro level: code (= metro id), name, value, quality
    county_outlines: dict[str, list[str]] = field(default_factory=dict)   # metro_id -> counties of part members
    gap_note: str | None = None      # selected metros whose value is a gap: "西安都市圈：3/4 成员有数据"


def county_outline_codes(metros: tuple[str, ...], scope: str) -> dict[str, list[str]]:
    """For the map: each selected metro's counties where only part of a prefecture is in ``scope`` (whole
    members are outlined as prefectures)."""
    cm = loaders.scope_counties(scope)
    return {m: list(cm.loc[cm["metro_id"] == m, "county_code"]) for m in metros if (cm["metro_id"] == m).any()}


def _named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    out["name"] = place_names(out["name_zh"], out["name_en"], lang, loaders.province_of(out["code"], lang))
    return out


def member_codes(metros: tuple[str, ...]) -> dict[str, list[str]]:
    """Member cities of each metro in the analyst's scope (plan / extended; the prefecture view without scope
    tables)."""
    from indicators.ui.engine_view import current_scope

    mem = loaders.scope_prefectures(current_scope())
    if mem.empty:
        mem = loaders.members()
    return {m: list(dict.fromkeys(mem.loc[mem["metro_id"] == m, "code"])) for m in metros}


def city_view(indicator: str, year: int | None, metros: tuple[str, ...], scope: str, lang: str) -> IndicatorView:
    obs = loaders.observations(indicator)
    outlines = member_codes(metros)
    members = sorted({c for codes in outlines.values() for c in codes})
    years = sorted(int(y) for y in obs["year"].unique()) if not obs.empty else []
    if scope == "members":
        extent = set(members)
    elif scope == "provinces":
        reg = loaders.regions()
        provinces = set(reg.loc[reg["code"].isin(members), "parent_code"].dropna())
        # municipalities have no separate province row: keep the members themselves too
        extent = set(reg.loc[reg["parent_code"].isin(provinces), "code"]) | set(members)
    else:
        extent = None
    in_extent = obs if extent is None else obs[obs["code"].isin(extent)]
    year_used = None
    if not in_extent.empty:
        have = sorted(int(y) for y in in_extent["year"].unique())
        year_used = year if year in have else max([y for y in have if year is None or y <= year] or have)
    at_year = in_extent[in_extent["year"] == year_used] if year_used is not None else in_extent.iloc[0:0]
    # one value per city and year: prefer the best quality when sources overlap
    rank = {"official": 0, "cross_checked": 0, "census": 1, "conflict": 2, "single_source": 3, "estimate": 4,
            "modelled": 5, "synthetic": 6}
    at_year = (at_year.assign(_q=at_year["quality"].map(rank).fillna(9)).sort_values("_q")
               .drop_duplicates(["code"]).drop(columns="_q"))
    series = obs[obs["code"].isin(members)]
    series = (series.assign(_q=series["quality"].map(rank).fillna(9)).sort_values("_q")
              .drop_duplicates(["code", "year"]).drop(columns="_q"))
    brk = loaders.series_breaks()
    brk = brk[brk["code"].isin(members) & (brk["indicator"].isna() | (brk["indicator"] == indicator))]
    map_frame = _named(at_year, lang)[["code", "name", "value", "quality"]]
    marked = map_frame["quality"].isin(["modelled", "estimate", "single_source", "synthetic", "conflict"])
    table = _named(at_year, lang)[["code", "name", "year", "value", "quality", "source_id", "source_title", "note"]]
    return IndicatorView(
        label=label(indicator, lang), year_requested=year, year_used=year_used, years=years,
        map_frame=map_frame,
        series=_named(series, lang)[["code", "name", "year", "value", "quality"]],
        breaks=brk.reindex(columns=["code", "year", "kind", "description", "change_pct"]),
        outlines=outlines, table=table.sort_values("value", ascending=False),
        sources=source_names(_named(at_year, lang), lang),
        marked_share=float(marked.mean()) if len(marked) else 0.0,
    )


def source_names(frame: pd.DataFrame, lang: str = "zh") -> list[str]:
    """The sources of the rows shown, cited by original publisher and document (ui.citations_view): the
    cities and years of the rows fill the publisher (德阳市统计局) and the years in brackets."""
    from indicators.ui.citations_view import source_items

    city_col = "name" if "name" in frame else None
    return source_items(frame, lang, city_col=city_col)


def catalog_indicator_ids() -> list[str]:
    """Every catalog indicator (city, metro and flow level) for the metro-level view."""
    from indicators.ui.catalog_view import labels

    return list(labels())


def metro_view(indicator: str, year: int | None, metros: tuple[str, ...], lang: str) -> IndicatorView:
    """Metro × year values of a catalog indicator (the catalog's aggregation rule over member cities).

    The map fills every member city with its metro's value; the table carries quality, sources and how
    many members had data."""
    from indicators.ui import engine_view

    full = engine_view.metro_panel(indicator)
    panel = full.dropna(subset=["value"])
    names = engine_view._metro_names(lang)
    years = sorted(int(y) for y in panel["year"].unique()) if not panel.empty else []
    year_used = None
    if years:
        year_used = year if year in years else max([y for y in years if year is None or y <= year] or years)
    at_year = panel[panel["year"] == year_used] if year_used is not None else panel.iloc[0:0]
    worst = at_year["quality"].fillna("").astype(str).str.split(",").str[-1]
    ranking = pd.DataFrame({"code": at_year["metro_id"].to_numpy(),
                            "name": at_year["metro_id"].map(names).fillna(at_year["metro_id"]).to_numpy(),
                            "value": at_year["value"].to_numpy(), "quality": worst.to_numpy()})
    mem = loaders.members()
    fill = mem.merge(at_year[["metro_id", "value"]], on="metro_id", how="inner")
    # a city in two metros takes the value of the first selected metro it belongs to, else the first listed
    fill = fill.assign(_sel=~fill["metro_id"].isin(metros)).sort_values(["_sel", "metro_id"]).drop_duplicates("code")
    map_frame = pd.DataFrame({
        "code": fill["code"].to_numpy(),
        "name": [f"{pick(z, e, lang)} · {names.get(m, m)}" for z, e, m in zip(fill["name_zh"], fill["name_en"], fill["metro_id"])],
        "value": fill["value"].to_numpy(), "quality": "",
    })
    series = panel[panel["metro_id"].isin(metros)]
    series = pd.DataFrame({"code": series["metro_id"].to_numpy(),
                           "name": series["metro_id"].map(names).fillna(series["metro_id"]).to_numpy(),
                           "year": series["year"].to_numpy(), "value": series["value"].to_numpy(),
                           "quality": series["quality"].fillna("").astype(str).str.split(",").str[-1].to_numpy()})
    table = at_year.assign(name=at_year["metro_id"].map(names))[
        ["metro_id", "name", "year", "value", "quality", "source_ids", "members_used", "members_total"]]
    marked = ranking["quality"].isin(["modelled", "estimate", "single_source", "synthetic", "conflict", "apportioned"])
    # a metro short of a member's data in the year shown is a gap, labelled, never a smaller total
    gap_year = year_used if year_used is not None else year
    gaps = full[full["value"].isna() & (full["year"] == gap_year) & full["metro_id"].isin(metros)]
    gap_note = "；".join(f"{names.get(m, m)}：{t('scope.gap', lang, used=int(u), total=int(n))}"
                         for m, u, n in zip(gaps["metro_id"], gaps["members_used"], gaps["members_total"])) or None
    srcs = source_names(at_year[["source_ids", "year"]], lang)
    return IndicatorView(
        label=label(indicator, lang), year_requested=year, year_used=year_used, years=years, map_frame=map_frame,
        series=series, breaks=pd.DataFrame(columns=["code", "year", "kind", "description", "change_pct"]),
        outlines=member_codes(metros), table=table.sort_values("value", ascending=False), sources=srcs,
        marked_share=float(marked.mean()) if len(marked) else 0.0, ranking=ranking, gap_note=gap_note)
