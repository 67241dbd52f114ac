"""Shared types of the index engine: the prepared panel every scorer reads, and the engine's constants.

Imported by preparation, the fast and the reference scorers, robustness and tracing (one direction:
they import this module, never the other way round).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.engine.log import BuildLog

INDEX = "index"
SCORE_COLUMNS = ["metro_id", "year", "dimension", "score", "rank", "coverage"]
CONTRIB_COLUMNS = ["metro_id", "year", "dimension", "indicator", "raw_value", "normalised", "weight",
                   "contribution", "quality", "source_ids", "imputed"]
OWN_TREND_MAX_YEARS = 3


@dataclass(frozen=True)
class PreparedPanel:
    """Everything scoring needs, as aligned numpy arrays (rows = units, columns = indicators)."""

    units: pd.MultiIndex                 # (metro_id, year) — or (unit, year) / (unit,) for frames
    indicators: list[str]
    dimensions: list[str]
    dimension_names: dict[str, tuple[str, str]]
    raw: np.ndarray                      # raw metro values after the missing-data rule
    normalised: np.ndarray               # 0–100, higher is better, NaN = missing
    imputed: np.ndarray                  # bool, value imputed by the missing-data rule
    membership: np.ndarray               # indicators × dimensions, within-dimension expert weights (0 = not in)
    dimension_weights: np.ndarray
    min_coverage: float
    provenance: pd.DataFrame             # metro_id, year, indicator → quality, source_ids, members_used/total
    log: BuildLog
    framework_id: str = ""
    year_level: str | None = "year"
    meta: dict = field(default_factory=dict)
    # issue 12: per cell evidence class (object: observed/snapshot/modelled/proxy/apportioned/estimated, None = no
    # value), vintage (the year the value describes; NaN = none or a trend estimate) and carried (copied from an
    # earlier year by the framework's carry rule). None for frames prepared without them (all observed).
    evidence: np.ndarray | None = None
    vintage: np.ndarray | None = None
    carried: np.ndarray | None = None

    @property
    def frame(self) -> pd.DataFrame:
        """The normalised panel as a DataFrame (units × indicators)."""
        return pd.DataFrame(self.normalised, index=self.units, columns=self.indicators)

    @property
    def raw_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.raw, index=self.units, columns=self.indicators)
