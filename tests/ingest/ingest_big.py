"""Large generated imports (made at test time, never committed): unique keys by spreading rows over
codes × years × indicators × sources. Values are synthetic test numbers."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .ingest_tiny_db import REGIONS

BIG_INDICATORS = ["gdp", "gdp_primary", "gdp_secondary", "gdp_tertiary", "gdp_per_capita", "resident_population",
                  "land_area_km2", "census_population", "urbanization_rate", "pm25_mean", "rd_intensity",
                  "rail_length_km", "joint_patents", "commuters"]


def big_frame(rows: int, source_prefix: str = "bulk") -> pd.DataFrame:
    codes = [r[0] for r in REGIONS if r[3] == "prefecture"]
    years = list(range(1950, 2026))
    per_source = len(codes) * len(years) * len(BIG_INDICATORS)
    n_sources = -(-rows // per_source)
    grid = pd.MultiIndex.from_product([[f"{source_prefix} {i}" for i in range(n_sources)], codes, years, BIG_INDICATORS],
                                      names=["source", "region", "year", "indicator"]).to_frame(index=False)
    grid = grid.iloc[:rows].reset_index(drop=True)
    grid["value"] = np.random.default_rng(0).uniform(1, 99, len(grid)).round(3)
    return grid[["region", "year", "indicator", "value", "source"]]
