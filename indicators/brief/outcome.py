"""What the brief knows about the index for its selection: scores, dimensions, the previous year, the build
log, notes, or the reason there are no scores. Shared by the engine adapter and the pack (no engine import)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class IndexOutcome:
    framework: str = ""                       # display name
    year: int | None = None
    scores: pd.DataFrame | None = None        # metro_id, name, score, rank
    dimensions: pd.DataFrame | None = None    # metro_id, name, dimension, score
    previous: pd.DataFrame | None = None      # metro_id, name, score for previous_year
    previous_year: int | None = None
    build_log: Any = None                     # iterable of steps (see methodology.py)
    source: str = ""
    reason: str = ""                          # why there are no scores
    notes: list[str] = field(default_factory=list)
    method: list[str] = field(default_factory=list)        # the method in prose (methodology.method_paragraph)
    comparable: dict[str, bool] = field(default_factory=dict)  # metro_id -> same make-up as previous_year
    source_usage: pd.DataFrame | None = None  # source_id, year: the sources behind the selection's scores

    @property
    def available(self) -> bool:
        return self.scores is not None and not self.scores.empty
