"""`python -m indicators reconcile --reference FILE.csv [--framework F] [--year Y] [--scope plan|extended]
[--edition E] [--format table|csv] [--lang zh|en]`

对标: our ranking against a published one. Prints one row per matched metro (metro_id, our_rank, reference_rank,
reference_tier, our_score, explanation), then `kendall_tau: X`, `matched: N`, `tier_agreement: X` (when the
reference has tiers) and the unmatched names. The reference format is in the README (对标 section).
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import sys
from pathlib import Path

COLUMNS = ["metro_id", "our_rank", "reference_rank", "reference_tier", "our_score", "explanation"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reference", required=True, help="reference CSV: a metro name or id column and rank, tier and/or score")
    parser.add_argument("--framework", default="qigeyi", help="framework id (default qigeyi)")
    parser.add_argument("--year", type=int, default=None, help="year of our index (default: the latest with scores)")
    parser.add_argument("--scope", choices=["plan", "extended"], default=None, help="metro scope (plan = the plans' own areas)")
    parser.add_argument("--edition", default=None, help="edition to use when the file holds several (default: the latest)")
    parser.add_argument("--format", choices=["table", "csv"], default="table", dest="fmt")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the explanations")
    parser.add_argument("--db", default=None, help="database file (default: $TONGCHENG_DB or build/tongcheng.duckdb)")


def _num(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:g}" if float(x) == int(x) else f"{x:.1f}"


def format_rows(rows, fmt: str) -> str:
    data = [[r["metro_id"], _num(r["our_rank"]), _num(r["reference_rank"]), r["reference_tier"] or "",
             f"{r['our_score']:.1f}", r["explanation"]] for r in rows]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(data)
        return buf.getvalue().rstrip("\n")
    widths = [max(len(str(x)) for x in [c] + [d[i] for d in data]) for i, c in enumerate(COLUMNS[:-1])]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(COLUMNS[:-1], widths)) + "  " + COLUMNS[-1]]
    lines += ["  ".join(str(x).ljust(w) for x, w in zip(d[:-1], widths)) + "  " + d[-1] for d in data]
    return "\n".join(lines)


def summary_lines(res) -> list[str]:
    out = [f"kendall_tau: {res.kendall_tau:.4f}" if not math.isnan(res.kendall_tau) else "kendall_tau: nan",
           f"matched: {res.matched}"]
    if res.tier_agreement is not None:
        out.append(f"tier_agreement: {res.tier_agreement:.4f}")
    out.append("unmatched: " + ("; ".join(res.unmatched + res.unscored) if (res.unmatched or res.unscored) else "none"))
    return out


def run(args: argparse.Namespace) -> int:
    import duckdb

    from indicators.catalog import CatalogError
    from indicators.engine.reconcile import ReferenceError, read_reference
    from indicators.engine.reconcile_inputs import reconcile_with
    from indicators.paths import default_db_path
    from indicators.store.db import connect

    try:
        ref = read_reference(Path(args.reference), edition=args.edition)
    except ReferenceError as exc:
        print(f"reconcile: {exc}", file=sys.stderr)
        return 2
    db = Path(args.db) if args.db else default_db_path()
    try:
        con = connect(db, read_only=True)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"reconcile: cannot open {db} ({exc})", file=sys.stderr)
        return 2
    try:
        res, year, scope_note = reconcile_with(con, ref, args.framework, args.year, args.scope, args.lang)
    except (KeyError, ValueError, CatalogError) as exc:
        print(f"reconcile: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print(format_rows(res.rows.to_dict("records"), args.fmt))
    print()
    for line in summary_lines(res):
        print(line)
    notes = [f"framework: {args.framework}", f"year: {year}"]
    if scope_note:
        notes.append(f"scope: {scope_note}")
    print("# " + " · ".join(notes))
    if getattr(res, "reference_note", ""):
        print("# " + res.reference_note)
    return 0
