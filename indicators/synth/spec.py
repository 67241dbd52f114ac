"""Sizes of a synthetic national dataset, with named presets."""
from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class NationalSpec:
    """How big the synthetic dataset is. Defaults are the national scale the product must handle."""

    first_year: int = 2004
    last_year: int = 2023
    n_indicators: int = 60
    counties_per_prefecture: float = 9.0   # mean; ≈ 2,800 counties for ≈ 310 prefectures
    max_prefectures: int | None = None     # None = every prefecture the store has
    od_rows: int = 10_000_000              # at least this many county-level OD rows
    od_years: int = 5                      # OD matrices for the last `od_years` years
    seed: int = 20240601

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def od_year_list(self) -> list[int]:
        return self.years[-self.od_years:]

    def with_(self, **changes) -> "NationalSpec":
        return replace(self, **changes)


FULL = NationalSpec()
# `bench --quick`: national regions and 20 years, smaller OD table (2 M rows).
QUICK = NationalSpec(od_rows=2_000_000)
# Tests: a handful of regions, 2 years, 10 k OD rows.
SMALL = NationalSpec(first_year=2022, last_year=2023, n_indicators=12, counties_per_prefecture=8.0,
                     max_prefectures=12, od_rows=10_000, od_years=2)
# `bench --tiny`: plumbing only.
TINY = NationalSpec(first_year=2019, last_year=2023, n_indicators=12, counties_per_prefecture=4.0,
                    max_prefectures=40, od_rows=20_000, od_years=2)

PRESETS = {"full": FULL, "quick": QUICK, "small": SMALL, "tiny": TINY}
