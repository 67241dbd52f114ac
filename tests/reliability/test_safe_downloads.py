"""One safe writer for every CSV/XLSX the product hands out (issue 15, failure 2).

Before: the Data page's downloads wrote live formulas (XLSX cells ``=HYPERLINK(...)``, ``=1+1``,
``=cmd|' /C calc'!A0``; raw ``= + - @`` text in CSV) — only the CLI export neutralised them.

This file (1) enumerates every place in ``indicators/`` and ``pages/`` that writes CSV/XLSX or offers a
download button, so a new one that bypasses ``indicators.export.tables`` fails here until it is routed
through it (or registered with a reason), and (2) checks the bytes the Data page hands out. The browser-level
check of the Data page download is in ``test_browser_reliability.py``.
"""
from __future__ import annotations

import ast
import io
from collections import Counter
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITER = "indicators/export/tables.py"
WRITE_CALLS = {"to_csv", "to_excel", "ExcelWriter", "Workbook"}
# Files allowed to write CSV/XLSX themselves, and why.
ALLOWED_WRITERS = {
    "indicators/store/derive/common.py": "writes the project's own data/ tables in the derive step; not a download",
    "indicators/bench/import_part.py": "benchmark input files in a temporary folder; never handed out",
    "indicators/ingest/tasks.py": "task-ledger template (styled workbook): every cell through export.tables.neutralise_cell",
}
# Every download button: file -> (count, what it hands out, the producer its data must come from or None).
DOWNLOAD_POINTS = {
    "indicators/ui/downloads.py": (1, "chart images (PNG/SVG)", None),
    "pages/9_brief.py": (1, "briefing pack (PPTX/DOCX/PDF), no CSV/XLSX annex", None),
    "indicators/ui/tables.py": (1, "a shown table as CSV/XLSX", "_cached_bytes"),
    "indicators/ui/data_import.py": (2, "whole tables and the computed index", ("table_file", "frame_bytes")),
    "pages/10_progress.py": (1, "task-ledger template XLSX", "template_bytes"),
}
# Producers and the safe writer each must reach.
PRODUCERS = {
    "indicators/ui/tables.py": "from indicators.export.tables import write_frame",
    "indicators/ui/table_files.py": "from indicators.export.tables import frame_bytes",
    "indicators/ui/progress_view.py": "export_tasks",
    "indicators/ingest/tasks.py": "neutralise_cell",
}


def _python_files():
    for base in ("indicators", "pages"):
        yield from sorted((ROOT / base).rglob("*.py"))
    if (ROOT / "app.py").exists():
        yield ROOT / "app.py"


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if name:
                yield name, node


def test_no_csv_or_xlsx_writer_bypasses_the_safe_writer():
    offenders = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel == WRITER or rel in ALLOWED_WRITERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{rel}:{node.lineno} {name}()" for name, node in _calls(tree) if name in WRITE_CALLS]
    assert not offenders, ("CSV/XLSX written outside indicators/export/tables.py (use frame_bytes/write_frame/"
                           f"write_workbook/csv_text there): {offenders}")


def test_every_download_button_is_registered_and_fed_by_the_safe_writer():
    found: Counter = Counter()
    unsafe = []
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        for name, node in _calls(ast.parse(text)):
            if name != "download_button":
                continue
            found[rel] += 1
            producer = DOWNLOAD_POINTS.get(rel, (0, "", None))[2]
            if producer is None:
                continue
            data = next((k.value for k in node.keywords if k.arg == "data"), node.args[1] if len(node.args) > 1 else None)
            source = ast.unparse(data) if data is not None else ""
            wanted = producer if isinstance(producer, tuple) else (producer,)
            if not any(p in source for p in wanted):
                unsafe.append(f"{rel}:{node.lineno} data={source}")
    expected = {rel: n for rel, (n, _, _) in DOWNLOAD_POINTS.items() if (ROOT / rel).exists()}
    assert dict(found) == expected, ("download buttons changed: register each new one in DOWNLOAD_POINTS with the "
                                     f"safe producer of its bytes. found {dict(found)}, registered {expected}")
    assert not unsafe, unsafe


def test_producers_reach_the_safe_writer():
    for rel, needle in PRODUCERS.items():
        path = ROOT / rel
        if path.exists():
            assert needle in path.read_text(encoding="utf-8"), f"{rel} no longer goes through {needle}"
    assert "neutralise_cell" in (ROOT / "indicators/ingest/tasks.py").read_text(encoding="utf-8")


HOSTILE = ["=HYPERLINK(\"http://example.invalid\",\"click\")", "=1+1", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
           "\t=1", "\r=1", "  =1+1"]


@pytest.fixture
def hostile_db(db_copy):
    con = duckdb.connect(str(db_copy))
    for i, text in enumerate(HOSTILE):
        con.execute("INSERT INTO source (source_id, title, notes) VALUES (?, ?, ?)", [f"hostile_{i}", text, text])
    con.close()
    return db_copy


def _check_xlsx(data: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data))
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"live formula in {cell.coordinate}: {cell.value!r}"
    values = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in HOSTILE:
        clean = text.replace("\t", "").replace("\r", "") if text[0] in "\t\r" else text
        assert ("'" + text) in values or ("'" + clean) in values, text


def _check_csv(data: bytes) -> None:
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    cells = [v for col in frame.columns for v in frame[col]]
    assert not [v for v in cells if v[:1] in ("=", "+", "@", "\t", "\r") or v.lstrip(" ")[:1] == "="]
    for text in HOSTILE:
        assert "'" + text in cells, text


def test_data_page_table_download_neutralises_formulas(hostile_db):
    from indicators.store.dashboard_reads import table_rows
    from indicators.ui.table_files import frame_bytes

    con = duckdb.connect(str(hostile_db), read_only=True)
    try:
        frame = table_rows(con, "source", limit=None)
    finally:
        con.close()
    _check_csv(frame_bytes(frame, "csv"))
    _check_xlsx(frame_bytes(frame, "xlsx"))


def test_cli_export_and_compute_workbook_neutralise(hostile_db, tmp_path):
    from indicators.cli import main

    out = tmp_path / "source.xlsx"
    assert main(["export", "--table", "source", "--out", str(out), "--db", str(hostile_db)]) == 0
    _check_xlsx(out.read_bytes())
    out = tmp_path / "source.csv"
    assert main(["export", "--table", "source", "--out", str(out), "--db", str(hostile_db)]) == 0
    _check_csv(out.read_bytes())


def test_downloads_are_never_cut_silently(db_copy):
    """Downloads hold every row (the old page cut them at 200,000 without a word); Browse's total is real."""
    from indicators.store.dashboard_reads import table_counts, table_rows
    from indicators.ui.data_import import browse_caption

    con = duckdb.connect(str(db_copy))
    con.execute("CREATE TEMP TABLE many AS SELECT range AS i FROM range(210000)")
    con.execute("INSERT INTO observation (code, year, indicator, value, source_id, quality) "
                "SELECT '510100', 1000 + (i % 900), 'bulk_' || (i // 900), 1.0, (SELECT min(source_id) FROM source), "
                "'official' FROM many")
    total = table_counts(con)["observation"]
    assert total > 210_000
    assert len(table_rows(con, "observation", limit=None)) == total
    assert len(table_rows(con, "observation")) == 200_000
    con.close()
    caption = browse_caption(total, 200_000, 200_000, False, "zh")
    assert f"共 {total} 行" in caption and "前 200000 行" in caption
