"""`python -m indicators brief --metros 成都都市圈,上海大都市圈 --year 2022 --out brief.pptx [--framework F]
[--charts a,b] [--lang zh|en] [--db PATH]`: write a briefing pack (.pptx, .docx or .pdf; repeat --out for
several formats from one computation)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from indicators.paths import default_db_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--metros", required=True,
                        help="comma-separated metros: ids (chengdu), Chinese (成都都市圈, 成都) or English names")
    parser.add_argument("--year", type=int, required=True, help="reference year, e.g. 2022")
    parser.add_argument("--out", type=Path, action="append", required=True,
                        help="output file; the suffix chooses the format: .pptx, .docx or .pdf (repeatable)")
    parser.add_argument("--framework", default=None, help="index framework id (needs the engine); default: none")
    parser.add_argument("--charts", default=None,
                        help="comma-separated chart ids (default: all available): "
                             "index_ranking,index_dimensions,metro_gdp,core_share,per_capita_spread,gdp_growth")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the pack (default zh)")
    parser.add_argument("--scope", choices=["plan", "extended"], default="plan",
                        help="metro boundaries of the index and the GDP charts: plan = the plan's own scope at county level, partial members apportioned (default); extended = whole cities")
    parser.add_argument("--db", type=Path, default=None,
                        help="database file (default: $TONGCHENG_DB or build/tongcheng.duckdb)")


def run(args: argparse.Namespace) -> int:
    from indicators.brief import CHART_IDS, build_pack, write_brief
    from indicators.brief.resolve import UnknownMetro
    from indicators.brief.write import FORMATS

    for out in args.out:
        if out.suffix.lower() not in FORMATS:
            print(f"--out {out}: use one of {', '.join(FORMATS)}", file=sys.stderr)
            return 2
    charts = None
    if args.charts:
        charts = [c.strip() for c in args.charts.split(",") if c.strip()]
        unknown = [c for c in charts if c not in CHART_IDS]
        if unknown:
            print(f"unknown chart ids {unknown}; choose from {', '.join(CHART_IDS)}", file=sys.stderr)
            return 2
    db = Path(args.db) if args.db else default_db_path()
    started = time.perf_counter()
    try:
        pack = build_pack(db, args.metros, args.year, framework=args.framework, chart_ids=charts, lang=args.lang,
                          scope=args.scope)
    except (UnknownMetro, FileNotFoundError, ValueError) as exc:
        print(f"brief: {exc}", file=sys.stderr)
        return 2
    if not pack.charts:
        print("brief: no chart has data for this selection", file=sys.stderr)
        return 1
    for out in args.out:
        path = write_brief(pack, out)
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    print(f"{len(pack.charts)} charts, {len(pack.summary)} summary sentences, "
          f"{time.perf_counter() - started:.1f} s")
    for line in pack.caveats:
        print(f"  note: {line}")
    return 0
