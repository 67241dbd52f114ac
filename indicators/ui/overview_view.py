"""What the Overview draws: the ranking for a year, every metro's trend, coverage, headline cards."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.ui import engine_view


@dataclass
class Headline:
    metro_id: str
    score: float | None
    rank: int | None
    n_ranked: int
    change: float | None        # score minus the previous year's
    coverage: float | None      # observed cells of that year only
    estimate_share: float | None = None   # share of the score resting on carried or estimated values
    unranked: str | None = None           # why the metro has no rank ("未排名：缺少 …")


@dataclass
class OverviewView:
    year: int | None
    ranking: pd.DataFrame       # metro_id, name, score, rank, coverage, estimate_share (ranked metros of the year)
    trends: pd.DataFrame        # metro_id, name, year, score, coverage
    headline: Headline | None
    coverage: pd.DataFrame      # metro_id, name, coverage, dimensions_with_data
    unranked: list[str] | None = None   # "name — 未排名：缺少 …" per metro with a score but no rank


def overview(framework: str | None, year: int | None, metro: str | None, lang: str) -> OverviewView:
    scores = engine_view.index_scores(framework, lang)
    year_rows = scores[scores["year"] == year] if year is not None else scores.iloc[0:0]
    ranking = year_rows[year_rows["ranked"].fillna(False).astype(bool)].sort_values("rank")
    unranked = engine_view.unranked(framework, year, lang)
    headline = None
    if metro is not None:
        own = scores[scores["metro_id"] == metro].set_index("year")
        now = own["score"].get(year) if year in own.index else None
        prev = own["score"].get(year - 1) if year is not None and (year - 1) in own.index else None
        rank = own["rank"].get(year) if year in own.index else None
        headline = Headline(
            metro_id=metro,
            score=float(now) if now is not None and pd.notna(now) else None,
            rank=int(rank) if rank is not None and pd.notna(rank) else None,
            n_ranked=int(ranking["score"].notna().sum()),
            change=float(now - prev) if now is not None and prev is not None and pd.notna(now) and pd.notna(prev) else None,
            coverage=float(own["coverage"].get(year)) if year in own.index else None,
            estimate_share=float(own["estimate_share"].get(year)) if year in own.index and pd.notna(own["estimate_share"].get(year)) else None,
            unranked=next((u.split(" — ", 1)[1] for u in unranked if u.startswith(str(own["name"].get(year)) + " — ")), None)
            if year in own.index else None,
        )
    dims = engine_view.dimension_scores(framework, year, lang)
    if not dims.empty:
        with_data = dims.assign(has=dims["score"].notna()).groupby("metro_id")["has"].sum().rename("dimensions_with_data")
        n_dims = dims.groupby("metro_id")["dimension_id"].nunique().rename("dimensions")
        coverage = (year_rows[["metro_id", "name", "coverage"]].merge(with_data, on="metro_id", how="left")
                    .merge(n_dims, on="metro_id", how="left"))
    else:
        coverage = year_rows[["metro_id", "name", "coverage"]]
    trends = scores.assign(leans=scores["estimate_share"].fillna(0) > 0)
    return OverviewView(year=year, ranking=ranking, trends=trends, headline=headline, coverage=coverage, unranked=unranked)
