"""Boundary sensitivity (issue 11): how each metro's index rank moves between the plan and the extended scope."""
from __future__ import annotations

import pandas as pd

from indicators.engine.index import compute_index

INDEX = "index"


def scope_rank_movement(con, framework: str = "qigeyi", years: tuple[int, int] = (2010, 2023), year: int | None = None,
                        **kwargs) -> pd.DataFrame:
    """One row per metro for ``year`` (default: the latest year with index scores in both scopes): score and rank
    in the plan scope and in the extended scope, and the rank movement (extended rank − plan rank; positive =
    the metro ranks lower when drawn as whole prefectures). ``kwargs`` go to compute_index (weighting …)."""
    scores = {}
    for scope in ("plan", "extended"):
        s = compute_index(con, framework, years, scope=scope, **kwargs).scores
        s = s[(s["dimension"] == INDEX) & s["score"].notna()]
        scores[scope] = s
    both = set(scores["plan"]["year"]) & set(scores["extended"]["year"])
    if not both:
        return pd.DataFrame(columns=["metro_id", "year", "score_plan", "rank_plan", "score_extended", "rank_extended",
                                     "rank_change"])
    y = int(year) if year is not None else max(both)
    out = None
    for scope, s in scores.items():
        part = s[s["year"] == y][["metro_id", "score", "rank"]].rename(columns={"score": f"score_{scope}",
                                                                               "rank": f"rank_{scope}"})
        out = part if out is None else out.merge(part, on="metro_id", how="outer")
    out.insert(1, "year", y)
    out["rank_change"] = out["rank_extended"] - out["rank_plan"]
    return out.sort_values(["rank_plan", "metro_id"], na_position="last").reset_index(drop=True)
