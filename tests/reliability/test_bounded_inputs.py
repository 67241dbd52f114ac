"""Bounded by construction (issue 15, failures 3 and 5) and errors people can act on (failure 6).

Before: a 2.1 MB XLSX whose sharedStrings expands 186:1 to 392 MB passed both zip-bomb checks and parsed for
minutes at 2.1 GB; a 2.3 MB CSV with 200,000 columns took 155 s and 1 GB before it was rejected; a sheet
claiming the dimension A1:XFD1048576 was padded to 16,384 cells per row; UTF-16 files were "binary"; a nested
Parquet column ended in a raw error.
"""
from __future__ import annotations

import io
import time

import duckdb
import pandas as pd
import pytest

from .hostile_files import wide_csv, xlsx_dimension_bomb, xlsx_merged_bomb, xlsx_shared_strings_bomb
from indicators.ingest import plan_import

FAST_S = 5.0


@pytest.fixture(scope="module")
def con(default_db, tmp_path_factory):
    # a private copy: other tests in the process may hold the session database open read-write
    import shutil

    path = tmp_path_factory.mktemp("bounded") / "bounded.duckdb"
    shutil.copy(default_db, path)
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


def _refused_fast(con, data: bytes, name: str, *needles: str) -> str:
    started = time.perf_counter()
    plan = plan_import(data, name, con)
    seconds = time.perf_counter() - started
    assert not plan.ok
    text = " ".join(i.reason for i in plan.report.errors)
    for needle in needles:
        assert needle in text, text
    assert seconds < FAST_S, f"{name} refused after {seconds:.1f} s"
    return text


def test_shared_strings_bomb_is_refused_in_seconds_naming_the_limit(con):
    data = xlsx_shared_strings_bomb()
    assert len(data) < 3 * 1024 * 1024                           # ≈2.1 MB on the wire
    _refused_fast(con, data, "bomb.xlsx", "limit", "MB")


def test_shared_strings_budget_holds_when_the_total_is_under_the_bound(con, monkeypatch):
    """The shared-strings part alone is budgeted, also when the whole workbook is under the total bound."""
    import indicators.ingest.read_xlsx as read_xlsx

    monkeypatch.setattr(read_xlsx, "MAX_XLSX_UNCOMPRESSED_BYTES", 1 << 40)
    _refused_fast(con, xlsx_shared_strings_bomb(expanded_mb=120), "strings.xlsx", "shared strings", "limit")


def test_merged_range_over_the_whole_sheet_is_refused(con):
    _refused_fast(con, xlsx_merged_bomb(), "merged.xlsx", "merged", "limit of merged cells")


def test_a_claimed_sheet_dimension_does_not_pad_rows(con):
    started = time.perf_counter()
    plan = plan_import(xlsx_dimension_bomb(), "dimension.xlsx", con)
    assert time.perf_counter() - started < 15
    assert not any("columns, above the limit" in i.reason for i in plan.report.errors)   # never 16,384 wide


def test_two_hundred_thousand_columns_are_refused_in_seconds(con):
    data = wide_csv(200_000)
    assert len(data) > 1_900_000
    text = _refused_fast(con, data, "wide.csv", "200,000 columns", "limit of 1,000 columns",
                         "TONGCHENG_MAX_IMPORT_COLUMNS")
    assert "row 1" in text


def test_column_cap_applies_to_xlsx_and_parquet(con, monkeypatch):
    monkeypatch.setenv("TONGCHENG_MAX_IMPORT_COLUMNS", "20")
    frame = pd.DataFrame([[f"v{i}" for i in range(30)]], columns=[f"c{i}" for i in range(30)])
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    _refused_fast(con, buf.getvalue(), "wide.xlsx", "30 columns", "limit of 20 columns")
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    _refused_fast(con, buf.getvalue(), "wide.parquet", "30 columns", "limit of 20 columns")


def test_parse_time_budget_names_the_limit(con, monkeypatch):
    monkeypatch.setenv("TONGCHENG_MAX_PARSE_SECONDS", "0.000001")
    csv = "地区,年份,指标,数值\n成都,2020,地区生产总值,17716.7\n".encode()
    plan = plan_import(csv, "slow.csv", con)
    assert not plan.ok
    assert any("TONGCHENG_MAX_PARSE_SECONDS" in i.reason for i in plan.report.errors)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_read(con, encoding):
    text = "地区,年份,指标,数值,来源\n成都,2020,地区生产总值,17716.7,utf16 test (synthetic)\n"
    plan = plan_import(text.encode(encoding), "unicode.txt", con)
    assert plan.report.ok, plan.report.format()
    assert len(plan.records) == 1 and plan.file_format.startswith("csv (utf-16")


def test_nested_parquet_column_is_named(con):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"地区": ["成都"], "年份": [2020], "数值": pa.array([[1.0, 2.0]], type=pa.list_(pa.float64()))})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    plan = plan_import(buf.getvalue(), "nested.parquet", con)
    assert not plan.ok
    assert any(i.column == "数值" and "nested values" in i.reason for i in plan.report.errors)


def test_damaged_parquet_says_what_to_do(con):
    buf = io.BytesIO()
    pd.DataFrame({"a": range(100)}).to_parquet(buf)
    data = buf.getvalue()
    plan = plan_import(data[:20] + b"\x00" * 30 + data[50:], "bad.parquet", con)
    assert not plan.ok
    assert any("export it again" in i.reason or "damaged" in i.reason for i in plan.report.errors), plan.report.format()


def test_sheet_names_are_offered_before_parsing():
    from indicators.ingest.read_xlsx import sheet_names

    buf = io.BytesIO()
    with pd.ExcelWriter(buf) as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="说明", index=False)
        pd.DataFrame({"地区": ["成都"], "2020年": [1]}).to_excel(writer, sheet_name="数据&表", index=False)
    assert sheet_names(buf.getvalue()) == ["说明", "数据&表"]
    assert sheet_names(b"not a zip") == []
