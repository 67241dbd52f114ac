"""Each import form: long/wide CSV in UTF-8, UTF-8 with BOM, GBK/GB18030; yearbook XLSX with merged
headers; Parquet. Values land in the canonical unit with the right codes."""
from __future__ import annotations

import pytest

from .helpers import FIXTURES
from indicators.ingest import apply_import, plan_import


def _values(con, source_like: str = "import_%") -> dict[tuple, float]:
    rows = con.execute("SELECT code, year, indicator, value FROM observation WHERE source_id LIKE ?",
                       [source_like]).fetchall()
    return {(c, y, i): v for c, y, i, v in rows}


@pytest.mark.parametrize("name", ["long_utf8.csv", "long_utf8_bom.csv"])
def test_long_csv_resolves_names_aliases_and_units(tiny_con, name):
    plan = plan_import(FIXTURES / name, name, tiny_con)
    assert plan.ok, plan.report.format()
    assert len(plan.inserts) == 6
    apply_import(plan, tiny_con)
    got = _values(tiny_con)
    assert got[("510100", 2021, "gdp")] == pytest.approx(19916.98)
    assert got[("510100", 2021, "resident_population")] == pytest.approx(2119.2)
    assert got[("510600", 2021, "gdp")] == pytest.approx(2656.56)              # 'Deyang', alias 地区生产总值
    assert got[("511400", 2021, "gdp")] == pytest.approx(1547.6)               # 15,476,000 万元 -> 亿元
    assert got[("512000", 2021, "urbanization_rate")] == pytest.approx(0.452)  # 4.52 ‰ -> %
    assert got[("510100", 2021, "gdp_per_capita")] == pytest.approx(94622)
    source = tiny_con.execute("SELECT title FROM source WHERE source_id LIKE 'import_%'").fetchall()
    assert source == [("测试年鉴2022",)]


def test_wide_years_gbk_with_fullwidth_digits_and_missing_markers(tiny_con):
    plan = plan_import(FIXTURES / "wide_years_gbk.csv", "wide_years_gbk.csv", tiny_con,
                       {"indicator": "年末常住人口", "source": "测试年鉴"})
    assert plan.ok, plan.report.format()
    assert plan.file_format == "csv (gb18030)"
    assert plan.missing == 3          # '—', '…', '..'
    assert any("total row" in w.reason for w in plan.report.warnings)   # 合计 skipped
    apply_import(plan, tiny_con)
    got = _values(tiny_con)
    assert got[("510100", 2019, "resident_population")] == pytest.approx(1658.1)   # "1,658.1"
    assert got[("510100", 2021, "resident_population")] == pytest.approx(2119.2)   # full-width
    assert got[("512000", 2020, "resident_population")] if ("512000", 2020, "resident_population") in got else True
    assert ("512000", 2020, "resident_population") not in got                     # '..' is missing
    assert len(got) == 9


def test_wide_indicators_gb18030_with_units_in_headers(tiny_con):
    plan = plan_import(FIXTURES / "wide_indicators_gb18030.csv", "w.csv", tiny_con, {"source": "测试年鉴"})
    assert plan.ok, plan.report.format()
    apply_import(plan, tiny_con)
    got = _values(tiny_con)
    assert got[("510100", 2020, "gdp")] == pytest.approx(17716.7)
    assert got[("510600", 2020, "resident_population")] == pytest.approx(345.6)
    assert got[("511400", 2020, "urbanization_rate")] == pytest.approx(47.5)
    note = tiny_con.execute("SELECT note FROM observation WHERE code = '511400' AND indicator = 'gdp'").fetchone()
    assert note == ("初步数",)


def test_wide_indicators_without_source_is_one_clear_error(tiny_con):
    plan = plan_import(FIXTURES / "wide_indicators_gb18030.csv", "w.csv", tiny_con)
    assert not plan.ok
    assert plan.report.errors_total == 1
    assert "no source" in plan.report.errors[0].reason


def test_yearbook_xlsx_title_unit_row_merged_header_and_source_line(tiny_con):
    plan = plan_import(FIXTURES / "yearbook_merged.xlsx", "yearbook_merged.xlsx", tiny_con)
    assert plan.ok, plan.report.format()
    assert plan.layout.title.startswith("3-1")
    assert plan.layout.file_unit == "亿元"
    assert plan.layout.source_hint == "测试统计年鉴2021"
    apply_import(plan, tiny_con)
    got = _values(tiny_con)
    assert got[("510100", 2019, "gdp")] == pytest.approx(17012.65)
    assert got[("511400", 2019, "gdp")] == pytest.approx(1380.2)          # text "1,380.2"
    assert got[("512000", 2020, "gdp_tertiary")] == pytest.approx(344.6)
    assert ("512000", 2019, "gdp_tertiary") not in got                     # '—'
    assert len(got) == 14


def test_parquet_long_form_with_quality_column(tiny_con):
    plan = plan_import(FIXTURES / "long.parquet", "long.parquet", tiny_con)
    assert plan.ok, plan.report.format()
    apply_import(plan, tiny_con)
    rows = tiny_con.execute("SELECT code, value, quality FROM observation WHERE year = 2022 ORDER BY code").fetchall()
    assert rows[2] == ("511400", 1638.4, "estimate")
    assert len(rows) == 4


def test_bytes_and_file_objects_are_accepted(tiny_con):
    import io

    data = (FIXTURES / "long_utf8.csv").read_bytes()
    assert plan_import(data, "upload.csv", tiny_con).ok
    assert plan_import(io.BytesIO(data), "upload.csv", tiny_con).ok


@pytest.mark.parametrize("text, expected_code", [
    ("成都", "510100"), ("成都市", "510100"), ("Chengdu", "510100"), ("510100", "510100"), ("ＣＨＥＮＧＤＵ", "510100"),
    ("蓉城", "510100"), ("上海", "310100"), ("上海市", "310100"), ("宿州", "341300"),
])
def test_region_variants(tiny_con, text, expected_code):
    csv = f"地区,2020年\n{text},1\n".encode()
    plan = plan_import(csv, "r.csv", tiny_con, {"indicator": "gdp", "source": "s"})
    assert plan.ok, plan.report.format()
    assert plan.records["code"].tolist() == [expected_code]


@pytest.mark.parametrize("alias, expected", [
    ("gdp", "gdp"), ("地区生产总值", "gdp"), ("GDP", "gdp"), ("常住人口", "resident_population"),
    ("年末常住人口", "resident_population"), ("Resident population", "resident_population"),
    ("人均地区生产总值", "gdp_per_capita"), ("城镇化率", "urbanization_rate"), ("第二产业增加值", "gdp_secondary"),
])
def test_indicator_option_accepts_id_names_and_aliases(tiny_con, alias, expected):
    plan = plan_import("地区,2020年\n成都,50\n".encode(), "i.csv", tiny_con, {"indicator": alias, "source": "s"})
    assert plan.ok, plan.report.format()
    assert plan.records["indicator"].tolist() == [expected]


def test_unit_option_converts(tiny_con):
    plan = plan_import("地区,2020年\n成都,177167000\n".encode(), "u.csv", tiny_con,
                       {"indicator": "gdp", "unit": "万元", "source": "s"})
    assert plan.ok
    assert plan.records["value"].tolist() == [pytest.approx(17716.7)]


def test_year_option_for_a_wide_indicator_table(tiny_con):
    csv = "城市,地区生产总值(亿元),常住人口(万人)\n成都,17716.7,2093.8\n".encode()
    plan = plan_import(csv, "y.csv", tiny_con, {"year": 2020, "source": "s"})
    assert plan.ok, plan.report.format()
    assert sorted(plan.records["year"].unique().tolist()) == [2020]
    assert len(plan.records) == 2


def test_nbs_style_export_with_indicator_line_and_source_footer(tiny_con):
    plan = plan_import(FIXTURES / "nbs_export.csv", "nbs_export.csv", tiny_con)
    assert plan.ok, plan.report.format()
    assert plan.layout.indicator_hint == "地区生产总值" and plan.layout.file_unit == "亿元"
    assert plan.layout.source_hint == "测试国家统计数据库"
    assert len(plan.records) == 9 and set(plan.records["indicator"]) == {"gdp"}
    assert any("single text cell" in w.reason for w in plan.report.warnings)     # the 注： line


def test_long_form_with_units_in_the_indicator_column(tiny_con):
    plan = plan_import(FIXTURES / "long_indicator_units.csv", "l.csv", tiny_con, {"source": "s"})
    assert plan.ok, plan.report.format()
    got = {(r.code, r.indicator): r.value for r in plan.records.itertuples()}
    assert got[("510100", "gdp")] == pytest.approx(17716.7)
    assert got[("510100", "resident_population")] == pytest.approx(2093.8)
    assert got[("510600", "gdp")] == pytest.approx(2404.1)        # 万元 -> 亿元


def test_formula_with_cached_value_uses_the_cached_value(tiny_con, tmp_path):
    import zipfile

    from .helpers import BAD_INPUTS

    src = zipfile.ZipFile(BAD_INPUTS / "formulas_no_cache.xlsx")
    out = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>B2*2</f><v></v>", b"<f>B2*2</f><v>200</v>")   # as Excel saves it
            dst.writestr(item, data)
    plan = plan_import(out, "cached.xlsx", tiny_con, {"indicator": "gdp", "source": "s"})
    assert plan.ok, plan.report.format()
    assert sorted(plan.records["value"].tolist()) == [100.0, 200.0]
    assert any("formula cell" in w.reason for w in plan.report.warnings)


def test_xlsx_percent_formatted_cells_and_date_year_headers(tiny_con, tmp_path):
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", dt.datetime(2020, 1, 1), dt.datetime(2021, 1, 1)])
    ws.append(["成都", 0.7877, 0.7948])
    for cell in ws[2][1:]:
        cell.number_format = "0.00%"
    path = tmp_path / "pct.xlsx"
    wb.save(path)
    plan = plan_import(path, "pct.xlsx", tiny_con, {"indicator": "城镇化率", "source": "s"})
    assert plan.ok, plan.report.format()
    got = dict(zip(plan.records["year"], plan.records["value"]))
    assert got == {2020: pytest.approx(78.77), 2021: pytest.approx(79.48)}
    wrong = plan_import(path, "pct.xlsx", tiny_con, {"indicator": "gdp", "source": "s"})
    assert not wrong.ok and "a percentage for an indicator not measured in %" in wrong.report.format()
