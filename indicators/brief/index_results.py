"""The 同城化 index for the brief, from the engine's public API (``indicators.compute_index``).

The engine is optional here: when it is not available or cannot compute the selection, the brief says so
(``IndexOutcome.reason``) and carries the observed-data charts only — it never invents scores."""
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

    @property
    def available(self) -> bool:
        return self.scores is not None and not self.scores.empty


def compute_for_brief(con, metro_ids: list[str], year: int, framework: str | None,
                      names: dict[str, str], lang: str = "zh") -> IndexOutcome:
    try:
        from indicators.brief import engine_adapter
    except ImportError as exc:  # the engine (indicators.engine.index / catalog) is not in this build
        return IndexOutcome(reason=f"engine not available: {exc}")
    try:
        return engine_adapter.run(con, metro_ids, year, framework, names, lang)
    except ImportError as exc:
        return IndexOutcome(reason=f"engine not available: {exc}")
    except Exception as exc:  # noqa: BLE001 - the brief still ships the observed-data charts
        return IndexOutcome(reason=f"index not computed: {type(exc).__name__}: {exc}")
