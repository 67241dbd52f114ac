"""`python -m indicators bench [--quick | --tiny]`: one figure a line as `name: value unit`, then a summary."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="national regions and years, 2 M OD rows, fewer runs (< 10 min)")
    size.add_argument("--tiny", action="store_true", help="a few regions and rows: checks the plumbing in < 1 min")
    parser.add_argument("--only", nargs="+", metavar="PART", help="run only these parts (build and the national "
                        "dataset run too when needed): build national od_import od_aggregate import index "
                        "montecarlo pages rss")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the generated files here (default: a temporary directory, removed at the end)")


def run(args: argparse.Namespace) -> int:
    from indicators.bench.runner import PART_NAMES, run_all
    from indicators.bench.sizes import BENCH_SIZES

    if args.only:
        unknown = [p for p in args.only if p not in PART_NAMES]
        if unknown:
            print(f"unknown part(s) {unknown}; choose from {PART_NAMES}")
            return 2
    sizes = BENCH_SIZES["tiny" if args.tiny else "quick" if args.quick else "full"]
    run_all(sizes, args.workdir, args.only)
    return 0
