"""What the benchmark parts share: sizes, a work directory, the built default db, the national db."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from indicators.bench.sizes import BenchSizes


@dataclass
class BenchContext:
    sizes: BenchSizes
    workdir: Path
    default_db: Path | None = None        # set by the build part
    national_db: Path | None = None       # set by the national part
    od_parquet: Path | None = None
    notes: dict[str, str] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        self.workdir.mkdir(parents=True, exist_ok=True)
        return self.workdir / name
