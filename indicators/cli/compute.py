"""`python -m indicators compute --framework F --years 2015-2023 --out FILE.(csv|xlsx)`

Writes the tidy scores (metro_id, year, dimension, score, rank, coverage). An .xlsx gets three more
sheets: contributions (raw value → normalised → weight → contribution, quality, sources), the build
log, and progress to plan targets.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _years(text: str) -> tuple[int, int]:
    try:
        if "-" in text:
            a, b = text.split("-", 1)
            y0, y1 = int(a), int(b)
        else:
            y0 = y1 = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"years must look like 2015-2023 or 2020, not {text!r}") from None
    if y0 > y1:
        raise argparse.ArgumentTypeError("the first year must not be after the last")
    return y0, y1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--framework", default="qigeyi", help="framework id (qigeyi, chengdu_eight, ndrc_six, or your own)")
    parser.add_argument("--years", type=_years, default=(2010, 2023), help="year range, e.g. 2015-2023")
    parser.add_argument("--out", required=True, help="output file: .csv or .xlsx")
    parser.add_argument("--db", default=None, help="database file (default: $TONGCHENG_DB or build/tongcheng.duckdb)")
    parser.add_argument("--weighting", default="expert", help="expert | equal | entropy | entropy_sum | critic | std | pca")
    parser.add_argument("--aggregation", default=None, help="amean | gmean | hmean (default: the framework's)")
    parser.add_argument("--normalisation", default=None, help="minmax | zscore | distance_to_target | rank | fixed_base (default: the framework's)")
    parser.add_argument("--missing-rule", default=None, dest="missing_rule", help="reweight | own_trend (default: the framework's)")
    parser.add_argument("--outliers", default=None, help="none | winsorise (default: the framework's)")
    parser.add_argument("--base-year", type=int, default=None, dest="base_year", help="base year for --normalisation fixed_base")
    parser.add_argument("--include-implausible", action="store_true", dest="include_implausible",
                        help="keep inputs the data flag as implausible (left out by default)")
    parser.add_argument("--scope", choices=("plan", "extended"), default="plan",
                        help="metro boundaries: plan = the plan's own 主要范围 at county level (default); extended = whole prefectures")
    parser.add_argument("--boundary-sensitivity", action="store_true", dest="boundary_sensitivity",
                        help="also compute the other scope and print how each metro's rank moves between the two")


def run(args: argparse.Namespace) -> int:
    from indicators.catalog import CatalogError
    from indicators.paths import default_db_path
    from indicators.engine.index import compute_index
    from indicators.store.db import connect
    from indicators.engine.targets import target_progress

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        print("--out must end in .csv or .xlsx", file=sys.stderr)
        return 2
    db = Path(args.db) if args.db else default_db_path()
    import duckdb

    try:
        con = connect(db, read_only=True)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except duckdb.Error as exc:   # e.g. another process holds the file read-write
        print(f"compute: cannot open {db} ({exc}); close the process that holds it or copy the file", file=sys.stderr)
        return 2
    try:
        result = compute_index(con, args.framework, args.years, aggregation=args.aggregation,
                               normalisation=args.normalisation, missing_rule=args.missing_rule,
                               weighting=args.weighting, outliers=args.outliers, base_year=args.base_year,
                               include_implausible=args.include_implausible, scope=args.scope)
        progress = target_progress(con) if out.suffix.lower() == ".xlsx" else None
        movement = None
        if args.boundary_sensitivity:
            from indicators.engine.boundary import scope_rank_movement

            movement = scope_rank_movement(con, args.framework, args.years, aggregation=args.aggregation,
                                           normalisation=args.normalisation, missing_rule=args.missing_rule,
                                           weighting=args.weighting, outliers=args.outliers, base_year=args.base_year,
                                           include_implausible=args.include_implausible)
    except (KeyError, ValueError, CatalogError) as exc:
        print(f"compute: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    scores = result.scores.assign(scope=args.scope)
    from indicators.export.tables import write_frame, write_workbook   # the one neutralising writer

    if out.suffix.lower() == ".csv":
        write_frame(scores, out, "csv")
    else:
        import pandas as pd

        write_workbook({"scores": scores, "contributions": result.contributions,
                        "build_log": pd.DataFrame([s.to_dict() for s in result.log]).astype(str),
                        "targets": progress,
                        **({"boundary_sensitivity": movement} if movement is not None else {})}, out)
    idx = scores[scores["dimension"] == "index"]
    norm = next((s for s in result.log if s.name == "normalise"), None)
    if norm is not None:
        ref = norm.params.get("reference") or {}
        print(f"normalisation: {norm.params.get('method')} over {ref.get('kind', 'panel')} years "
              f"{'-'.join(str(y) for y in (ref.get('years') or []))} (the same reference as the dashboard)")
    if "ranked" in idx:
        print(f"ranked: {int(idx['ranked'].sum())} of {int(idx['score'].notna().sum())} scores "
              "(unranked: different indicator composition or observed coverage below the floor)")
    print(f"{out}: {idx['metro_id'].nunique()} metros × {idx['year'].nunique()} years, "
          f"{int(idx['score'].notna().sum())} index scores ({args.framework}, {args.weighting}, {result.aggregation}, "
          f"scope {args.scope})")
    if movement is not None and len(movement):
        print(f"boundary sensitivity {int(movement['year'].iloc[0])} (rank plan → extended, + = lower when drawn as whole prefectures):")
        from pandas import isna as missing

        for r in movement.itertuples():
            fmt = lambda v: "—" if missing(v) else str(int(v))   # noqa: E731
            change = "—" if missing(r.rank_change) else f"{int(r.rank_change):+d}"
            print(f"  {r.metro_id:<14} {fmt(r.rank_plan):>3} → {fmt(r.rank_extended):>3}  ({change})")
    return 0
