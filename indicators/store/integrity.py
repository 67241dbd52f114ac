"""Integrity report of a store: sources, orphan codes, metros, quality flags, series breaks.

``integrity_report(con)`` returns a plain dict; ``format_report(report)`` renders it for the terminal.
Hard problems (anything in ``HARD``) make ``python -m indicators check`` exit 1.
"""
from __future__ import annotations

import duckdb

QUALITY = ("official", "cross_checked", "single_source", "conflict", "census", "estimate", "modelled", "synthetic")
HARD = ("observations_without_source", "flows_without_source", "facts_or_targets_without_source", "orphan_codes",
        "members_of_missing_metros", "metros_without_core_member", "invalid_quality", "observations_outside_validity")

_ORPHANS = """
    SELECT 'observation' AS table_name, code FROM observation WHERE code NOT IN (SELECT code FROM region)
    UNION ALL SELECT 'flow.origin_code', origin_code FROM flow WHERE origin_code NOT IN (SELECT code FROM region)
    UNION ALL SELECT 'flow.dest_code', dest_code FROM flow WHERE dest_code NOT IN (SELECT code FROM region)
    UNION ALL SELECT 'metro_member', code FROM metro_member WHERE code NOT IN (SELECT code FROM region)
    UNION ALL SELECT 'metro.core_code', core_code FROM metro WHERE core_code NOT IN (SELECT code FROM region)
    UNION ALL SELECT 'series_break', code FROM series_break WHERE code NOT IN (SELECT code FROM region)
    UNION ALL SELECT 'region_alias', code FROM region_alias WHERE code NOT IN (SELECT code FROM region)"""


def _rows(con, sql: str, params: list | None = None) -> list[tuple]:
    cur = con.cursor()
    try:
        return cur.execute(sql, params or []).fetchall()
    finally:
        cur.close()


def _scalar(con, sql: str, params: list | None = None):
    return _rows(con, sql, params)[0][0]


def integrity_report(con: duckdb.DuckDBPyConnection) -> dict:
    """Counts of hard problems, row counts, modelled rows, and the list of known series breaks."""
    orphan_list = sorted({(t, c) for t, c in _rows(con, _ORPHANS)})
    report = {
        "observations_without_source": _scalar(con, """
            SELECT count(*) FROM observation
            WHERE source_id IS NULL OR source_id NOT IN (SELECT source_id FROM source)"""),
        "flows_without_source": _scalar(con, """
            SELECT count(*) FROM flow WHERE source_id IS NULL OR source_id NOT IN (SELECT source_id FROM source)"""),
        "facts_or_targets_without_source": _scalar(con, """
            SELECT (SELECT count(*) FROM fact WHERE source_id NOT IN (SELECT source_id FROM source))
                 + (SELECT count(*) FROM target WHERE source_id NOT IN (SELECT source_id FROM source))"""),
        "orphan_codes": len({c for _, c in orphan_list}),
        "orphan_code_list": orphan_list,
        "members_of_missing_metros": _scalar(con, """
            SELECT count(*) FROM metro_member WHERE metro_id NOT IN (SELECT metro_id FROM metro)"""),
        "metros_without_core_member": [r[0] for r in _rows(con, """
            SELECT metro_id FROM metro m WHERE NOT EXISTS (
                SELECT 1 FROM metro_member mm WHERE mm.metro_id = m.metro_id AND mm.role = 'core')
            ORDER BY metro_id""")],
        "invalid_quality": _scalar(con, """
            SELECT (SELECT count(*) FROM observation WHERE NOT list_contains(?::VARCHAR[], quality))
                 + (SELECT count(*) FROM flow WHERE NOT list_contains(?::VARCHAR[], quality))
                 + (SELECT count(*) FROM fact WHERE NOT list_contains(?::VARCHAR[], quality))""",
                                  [list(QUALITY)] * 3),
        "rows": dict(_rows(con, """
            SELECT 'region', count(*) FROM region UNION ALL SELECT 'metro', count(*) FROM metro
            UNION ALL SELECT 'metro_member', count(*) FROM metro_member UNION ALL SELECT 'source', count(*) FROM source
            UNION ALL SELECT 'observation', count(*) FROM observation UNION ALL SELECT 'flow', count(*) FROM flow
            UNION ALL SELECT 'series_break', count(*) FROM series_break UNION ALL SELECT 'target', count(*) FROM target
            UNION ALL SELECT 'fact', count(*) FROM fact""")),
        "quality_counts": {q: n for q, n in _rows(con, """
            SELECT quality, count(*) FROM (SELECT quality FROM observation UNION ALL SELECT quality FROM flow)
            GROUP BY quality ORDER BY quality""")},
        "meta": dict(_rows(con, "SELECT key, value FROM meta WHERE key IN ('built_at', 'data_digest')")),
        "series_breaks": [
            {"code": c, "name_zh": n, "year": y, "indicator": i, "kind": k, "description": d}
            for c, n, y, i, k, d in _rows(con, """
                SELECT b.code, r.name_zh, b.year, b.indicator, b.kind, b.description
                FROM series_break b LEFT JOIN region r ON r.code = b.code
                ORDER BY b.kind, b.code, b.year, b.indicator NULLS FIRST""")
        ],
    }
    from indicators.store.validity import outside_validity_rows

    outside, flagged = outside_validity_rows(con)
    report["observations_outside_validity"] = outside          # unflagged: a hard problem
    report["observations_outside_validity_flagged"] = flagged  # stored on purpose, flagged outside_validity
    report["hard_problems"] = sum(
        (len(report[k]) if isinstance(report[k], list) else int(report[k])) for k in HARD)
    return report


def format_report(report: dict, all_breaks: bool = False) -> str:
    """A readable terminal report; boundary changes always listed, other breaks counted (all with ``all_breaks``)."""
    lines = ["tongcheng store integrity report"]
    if report["meta"]:
        lines.append(f"  built_at {report['meta'].get('built_at')}  data_digest {str(report['meta'].get('data_digest'))[:12]}")
    lines.append("rows: " + ", ".join(f"{t} {n:,}" for t, n in report["rows"].items()))
    lines.append("quality flags (observations + flows): " + ", ".join(f"{q} {n:,}" for q, n in report["quality_counts"].items()))
    lines.append("checks:")
    for key in HARD:
        val = report[key]
        n = len(val) if isinstance(val, list) else int(val)
        shown = val[:10] if key == "observations_outside_validity" else val
        if key == "observations_outside_validity":
            shown = [f"{r['code']} {r['name_zh']} {r['year']} {r['indicator']} (valid {r['valid']})" for r in shown]
        lines.append(f"  [{'OK ' if n == 0 else 'BAD'}] {key.replace('_', ' ')}: {n}" + (f" {shown}" if isinstance(val, list) and val else "")
                     + (" …" if isinstance(val, list) and len(val) > len(shown) else ""))
    flagged = report.get("observations_outside_validity_flagged", 0)
    if flagged:
        lines.append(f"  [note] observations outside their region's validity years, stored on purpose and flagged "
                     f"outside_validity: {flagged}")
    if report["orphan_code_list"]:
        lines.append("  orphan codes: " + ", ".join(f"{t}:{c}" for t, c in report["orphan_code_list"][:30]))
    breaks = report["series_breaks"]
    kinds: dict[str, int] = {}
    for b in breaks:
        kinds[b["kind"]] = kinds.get(b["kind"], 0) + 1
    lines.append(f"known series breaks: {len(breaks)} (" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")")
    shown = breaks if all_breaks else [b for b in breaks if b["kind"] == "boundary_change"]
    for b in shown:
        ind = b["indicator"] or "all indicators"
        lines.append(f"  {b['code']} {b['name_zh'] or '?'} {b['year']} [{b['kind']}, {ind}] {b['description']}")
    if not all_breaks and len(shown) < len(breaks):
        lines.append(f"  ... {len(breaks) - len(shown)} other breaks (revisions, census rebasing, unexplained): --all-breaks lists them")
    lines.append("result: " + ("OK" if report["hard_problems"] == 0 else f"{report['hard_problems']} hard problem(s)"))
    return "\n".join(lines)
