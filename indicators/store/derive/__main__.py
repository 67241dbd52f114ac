"""``python -m indicators.store.derive [--shared PATH]``: regenerate every derived table in data/ and the map."""
from __future__ import annotations

import argparse
from pathlib import Path

from . import boundaries, breaks, china_frame, counties, flows, metro_targets, metros, observations, plans, published, regions
from .common import DEFAULT_SHARED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indicators.store.derive", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder (default: ../shared/data)")
    args = parser.parse_args(argv)
    # Order matters: later steps read region.csv, observation.csv, census_unit.csv and the metro tables
    # (metros derives metro/metro_member from facts/metro_plans.csv; flows reads them).
    for step in (regions, observations, breaks, counties, metros, flows, boundaries, china_frame, plans, metro_targets,
                 published):
        step.run(args.shared)
        print(f"derived: {step.__name__.rsplit('.', 1)[-1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
