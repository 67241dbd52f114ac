"""`python -m indicators generate`: a synthetic national-scale dataset in its own database file."""
from __future__ import annotations

import argparse
from pathlib import Path

from indicators.synth.national import DEFAULT_OUT, generate_national
from indicators.synth.spec import PRESETS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"database file to write (default {DEFAULT_OUT}); never the default database")
    parser.add_argument("--size", choices=sorted(PRESETS), default="full",
                        help="full: every prefecture, ~2,800 counties, 20 years, 60 indicators, 10 M OD rows; "
                             "quick: 2 M OD rows; small/tiny: a few regions for tests")
    parser.add_argument("--small", action="store_const", const="small", dest="size", help="same as --size small")
    parser.add_argument("--source-db", type=Path, default=None,
                        help="built store to take real region codes and metros from (default: the default database "
                             "if it exists, else synthetic stand-ins)")
    parser.add_argument("--od-rows", type=int, default=None, help="minimum number of county-level OD rows")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--no-od", action="store_true", help="write the OD Parquet file but do not load it")


def run(args: argparse.Namespace) -> int:
    spec = PRESETS[args.size]
    if args.od_rows is not None:
        spec = spec.with_(od_rows=args.od_rows)
    if args.seed is not None:
        spec = spec.with_(seed=args.seed)
    try:
        res = generate_national(args.out, spec, source_db=args.source_db, load_od=not args.no_od)
    except ValueError as exc:
        print(f"generate: {exc}")
        return 2
    origin = "real prefecture codes from the store" if res.from_store else "synthetic stand-in prefectures (no store found)"
    print(f"wrote {res.db_path} ({origin}); Parquet in {res.parquet_dir}")
    for name, value in res.counts.items():
        print(f"{name}: {value}")
    for name, value in res.seconds.items():
        print(f"seconds_{name}: {value:.2f} s")
    print("every generated value is flagged quality='synthetic', source_id='synthetic_national'")
    return 0
