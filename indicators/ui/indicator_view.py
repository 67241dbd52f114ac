"""Everything the Indicator explorer draws for one indicator, year and metro selection (city level)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from indicators.i18n import pick
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


def _named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    out["name"] = [pick(z, e, lang) for z, e in zip(out["name_zh"], out["name_en"])]
    return out


def member_codes(metros: tuple[str, ...]) -> dict[str, list[str]]:
    mem = loaders.members()
    return {m: list(mem.loc[mem["metro_id"] == m, "code"]) for m in metros}


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
        label=label(indicator), year_requested=year, year_used=year_used, years=years,
        map_frame=map_frame,
        series=_named(series, lang)[["code", "name", "year", "value", "quality"]],
        breaks=brk[["code", "year", "kind", "description"]],
        outlines=outlines, table=table.sort_values("value", ascending=False),
        sources=source_names(at_year),
        marked_share=float(marked.mean()) if len(marked) else 0.0,
    )


def source_names(frame: pd.DataFrame) -> list[str]:
    """Source titles (ids where a title is missing) of the rows shown."""
    return sorted({tt if isinstance(tt, str) and tt else str(sid)
                   for sid, tt in zip(frame["source_id"], frame["source_title"])})
