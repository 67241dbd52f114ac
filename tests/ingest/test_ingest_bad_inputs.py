"""The bad-input corpus: every file gets a clear error (or a clean import), and after every rejection the
database content is unchanged (canonical dump of every table compared before and after)."""
from __future__ import annotations

import io
import time
import zipfile

import pytest

from .helpers import BAD_INPUTS, FIXTURES, digest
from indicators.ingest import IngestError, apply_import, plan_import

BASE = {"indicator": "gdp", "source": "测试年鉴"}

# file -> (options, expected error substrings (all must appear) or None for a clean import, error count or None)
REJECTED = {
    "binary_junk.csv": (BASE, ["binary content"], 1),
    "duplicate_conflict.csv": (BASE, ["duplicate 510100 2020 gdp with different values", "row 2: 17716.7, row 4: 17000"], 2),
    "impossible_values.csv": (BASE, ["urbanization_rate: above the plausible maximum 100", "resident_population: must be greater than 0",
                                     "gdp: must be greater than 0", "good_air_day_rate: above the plausible maximum 100"], 4),
    "unknown_ambiguous_names.csv": (BASE, ["unknown region '程都'; closest known: 成都市 (510100)",
                                           "ambiguous region name 'Suzhou'", "苏州市 320500", "宿州市 341300",
                                           "ambiguous region name '吉林'", "unknown region 'Atlantis'"], 4),
    "years_out_of_range.csv": (BASE, ["year outside 1949..", "not a year"], 3),
    "formula_text.csv": (BASE, ["formula text, not a value"], 2),
    "formulas_no_cache.xlsx": (BASE, ["formula without cached value"], 1),
    "not_numbers.csv": (BASE, ["not a number"], 2),
    "unknown_unit.csv": (BASE, ["unknown unit '桶'", "unit '万人' cannot be converted to '亿元'"], 2),
    "ragged_row.csv": (BASE, ["more fields than the header has columns"], None),
    "no_header.csv": (BASE, ["cannot find the header row"], 1),
    "empty.csv": (BASE, ["the file is empty"], 1),
    "no_source.csv": ({}, ["no source"], 1),
    "bad_quality.csv": (BASE, ["quality must be one of"], 1),
    "legacy.xls": (BASE, [".xls) files are not supported"], 1),
    "truncated.xlsx": (BASE, ["truncated or corrupt XLSX"], 1),
}
CLEAN = {
    "gbk_declared_utf8.csv": ({**BASE, "encoding": "utf-8"}, 2, "not valid utf-8"),
    "mixed_encodings.csv": (BASE, 3, "mixed encodings"),
    "duplicate_same.csv": (BASE, 1, "repeat another row with the same value"),
}


def _assert_rejected_and_unchanged(con, source, name, options, expected, count):
    before = digest(con)
    plan = plan_import(source, name, con, options)
    assert not plan.ok
    text = plan.report.format(limit=1000)
    for fragment in expected:
        assert fragment in text, text
    if count is not None:
        assert plan.report.errors_total == count, text
    for issue in plan.report.errors:
        assert issue.file == name and issue.reason
    with pytest.raises(IngestError):
        apply_import(plan, con)
    assert digest(con) == before
    return plan


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_bad_input_rejected_and_database_unchanged(tiny_con, name):
    options, expected, count = REJECTED[name]
    _assert_rejected_and_unchanged(tiny_con, BAD_INPUTS / name, name, options, expected, count)


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_bad_looking_input_imports_cleanly_with_a_warning(tiny_con, name):
    options, rows, warning = CLEAN[name]
    plan = plan_import(BAD_INPUTS / name, name, tiny_con, options)
    assert plan.ok, plan.report.format()
    assert any(warning in w.reason for w in plan.report.warnings), plan.report.warnings
    result = apply_import(plan, tiny_con)
    assert result.inserted == rows
    names = {r[0] for r in tiny_con.execute("SELECT code FROM observation WHERE source_id LIKE 'import_%'").fetchall()}
    assert names <= {"510100", "510600", "511400"}


def test_every_corpus_file_is_covered():
    on_disk = {p.name for p in BAD_INPUTS.iterdir() if p.is_file() and p.name != "README.md"}
    assert on_disk == set(REJECTED) | set(CLEAN)


def test_errors_report_names_file_row_column_reason_for_all_rows(tiny_con):
    plan = plan_import(BAD_INPUTS / "impossible_values.csv", "impossible_values.csv", tiny_con, BASE)
    frame = plan.report.to_frame()
    assert list(frame.columns) == ["file", "row", "column", "reason", "value"]
    assert frame["row"].tolist() == [2, 3, 4, 5]
    assert set(frame["file"]) == {"impossible_values.csv"}


def test_200mb_csv_trips_the_size_limit_before_reading(tiny_con, tmp_path):
    big = tmp_path / "huge.csv"
    with open(big, "wb") as handle:
        handle.write("region,year,indicator,value\n".encode())
        handle.truncate(200 * 1024 * 1024)           # 200 MB on disk, sparse: cheap to make
    started = time.perf_counter()
    plan = _assert_rejected_and_unchanged(tiny_con, big, "huge.csv", BASE, ["above the upload limit of 50 MB"], 1)
    assert time.perf_counter() - started < 5
    assert "200.0 MB" in plan.report.errors[0].reason


def test_size_limit_from_environment(tiny_con, monkeypatch):
    monkeypatch.setenv("TONGCHENG_MAX_UPLOAD_MB", "0.00001")
    _assert_rejected_and_unchanged(tiny_con, FIXTURES / "long_utf8.csv", "long_utf8.csv", {}, ["upload limit"], 1)


def test_row_limit_clear_message(tiny_con):
    csv = ("地区,2020年\n" + "成都,1\n" * 50).encode()
    _assert_rejected_and_unchanged(tiny_con, csv, "rows.csv", {**BASE, "max_rows": 10}, ["50 rows, above the limit of 10 rows"], 1)


def test_zip_bomb_disguised_as_xlsx(tiny_con):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):           # 64 MB of zeros -> ~64 KB compressed (1000:1)
                member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 2 * 1024 * 1024
    started = time.perf_counter()
    _assert_rejected_and_unchanged(tiny_con, data, "bomb.xlsx", BASE, ["possible zip bomb"], 1)
    assert time.perf_counter() - started < 5


def test_xlsx_expanding_beyond_the_total_bound_is_refused(tiny_con, monkeypatch):
    import indicators.ingest.read_xlsx as read_xlsx

    monkeypatch.setattr(read_xlsx, "MAX_XLSX_UNCOMPRESSED_BYTES", 1000)
    data = (FIXTURES / "yearbook_merged.xlsx").read_bytes()
    _assert_rejected_and_unchanged(tiny_con, data, "big.xlsx", BASE, ["would expand to", "possible zip bomb"], 1)


def test_zip_that_is_not_a_workbook(tiny_con):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    _assert_rejected_and_unchanged(tiny_con, buffer.getvalue(), "x.xlsx", BASE, ["not an Excel workbook"], 1)


def test_conflict_with_stored_value_of_same_source_is_reported_not_overwritten(tiny_con):
    csv = "region,year,indicator,value,source\n成都,2019,gdp,17000,seed_src\n".encode()
    before = digest(tiny_con)
    plan = plan_import(csv, "c.csv", tiny_con)
    assert plan.ok and len(plan.conflicts) == 1
    assert plan.conflicts.iloc[0]["old_value"] == pytest.approx(17012.65)
    with pytest.raises(IngestError, match="differ from stored values"):
        apply_import(plan, tiny_con)
    assert digest(tiny_con) == before
