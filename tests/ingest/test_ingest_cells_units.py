"""Table-driven checks of the small parsers: numbers in yearbook cells, years, units, indicators, regions
against the real default database."""
from __future__ import annotations

import duckdb
import pytest

from indicators.ingest import apply_import, plan_import
from indicators.ingest.cell_text import NumberParseError, parse_number, parse_year
from indicators.ingest.indicator_lookup import UnknownIndicator, resolve_indicator
from indicators.ingest.region_resolve import RegionIndex, resolve_region
from indicators.ingest.units import UnitError, split_bracketed_unit, unit_factor, unit_row_value
from indicators.store.db import connect as store_connect


@pytest.mark.parametrize("cell, expected", [
    ("1,234.5", 1234.5), ("１２３４．５", 1234.5), ("１，２３４", 1234.0), ("12 345", 12345.0), (" 7 ", 7.0),
    ("65.2%", 65.2), ("-3", -3.0), ("+3", 3.0), ("1.2e3", 1200.0), ("(12)", -12.0), (42, 42.0), (4.5, 4.5),
    ("—", None), ("-", None), ("…", None), ("..", None), ("", None), ("  ", None), (None, None), ("——", None),
    (float("nan"), None), ("无", None), ("－", None),
])
def test_parse_number(cell, expected):
    assert parse_number(cell)[0] == expected


@pytest.mark.parametrize("cell", ["=SUM(A1:A3)", "@A1", "abc", "12abc", "1,23,4", "1e999", True, float("inf"), "1..2"])
def test_parse_number_rejects(cell):
    with pytest.raises(NumberParseError):
        parse_number(cell)


@pytest.mark.parametrize("cell, expected", [("2019", 2019), ("2019年", 2019), ("２０２０年", 2020), (2021, 2021),
                                            (2021.0, 2021), ("2020年末", 2020), ("20", None), ("二〇二〇", None), (2020.5, None)])
def test_parse_year(cell, expected):
    assert parse_year(cell) == expected


@pytest.mark.parametrize("source, canonical, factor", [
    ("万元", "亿元", 1e-4), ("元", "亿元", 1e-8), ("亿元", "亿元", 1.0), ("亿", "亿元", 1.0), ("万人", "人", 1e4),
    ("人", "万人", 1e-4), ("‰", "%", 0.1), ("%", "%", 1.0), ("公里", "km", 1.0), ("米", "km", 1e-3),
    ("平方公里", "km²", 1.0), ("km2", "km²", 1.0), ("万平方公里", "km²", 1e4), (None, "亿元", 1.0), ("", "%", 1.0),
    ("元/人", "元", 1.0), ("ug/m3", "µg/m³", 1.0), ("小时", "min", 60.0),
])
def test_unit_factor(source, canonical, factor):
    assert unit_factor(source, canonical) == pytest.approx(factor)


@pytest.mark.parametrize("source, canonical", [("桶", "亿元"), ("万人", "亿元"), ("%", "万人"), ("km", "%")])
def test_unit_factor_rejects(source, canonical):
    with pytest.raises(UnitError):
        unit_factor(source, canonical)


def test_unit_in_headers_and_unit_rows():
    assert split_bracketed_unit("地区生产总值（亿元）") == ("地区生产总值", "亿元")
    assert split_bracketed_unit("城镇化率(%)") == ("城镇化率", "%")
    assert split_bracketed_unit("地区生产总值(GDP)") == ("地区生产总值(GDP)", None)
    assert unit_row_value("单位：亿元") == "亿元"
    assert unit_row_value("计量单位: 万人") == "万人"
    assert unit_row_value("地区") is None


def test_indicator_lookup_suggests_and_refuses_engine_outputs():
    with pytest.raises(UnknownIndicator, match="did you mean"):
        resolve_indicator("地区生产总")
    with pytest.raises(UnknownIndicator, match="computed by the engine"):
        resolve_indicator("metro_gdp")


@pytest.fixture(scope="module")
def real_index(default_db):
    con = store_connect(default_db, read_only=True)
    try:
        yield RegionIndex.from_db(con)
    finally:
        con.close()


@pytest.mark.parametrize("name, code", [("成都", "510100"), ("成都市", "510100"), ("Chengdu", "510100"), ("510100", "510100"),
                                        ("北京", "110100"), ("上海市", "310100"), ("重庆", "500100"), ("Xi'an", "610100"),
                                        ("苏州", "320500"), ("宿州", "341300"), ("襄樊", "420600")])
def test_real_region_names_resolve(real_index, name, code):
    assert resolve_region(name, real_index).code == code


@pytest.mark.parametrize("name, fragment", [("Suzhou", "苏州市 320500"), ("Taizhou", "台州市 331000"),
                                            ("吉林", "吉林省 220000"), ("程都", "成都市 (510100)")])
def test_real_region_names_ambiguous_or_unknown(real_index, name, fragment):
    result = resolve_region(name, real_index)
    assert result.code is None and fragment in result.error


def test_yearbook_import_into_the_default_database(db_copy):
    from .helpers import FIXTURES

    con = duckdb.connect(str(db_copy))
    try:
        plan = plan_import(FIXTURES / "yearbook_merged.xlsx", "yearbook_merged.xlsx", con)
        assert plan.ok, plan.report.format()
        result = apply_import(plan, con)
        assert result.inserted == 14
        again = plan_import(FIXTURES / "yearbook_merged.xlsx", "yearbook_merged.xlsx", con)
        assert len(again.inserts) == 0 and again.unchanged == 14
    finally:
        con.close()


@pytest.mark.parametrize("text, encoding", [("地区,单位\n成都,元\n", "gbk"), ("a,元\n", "gbk"), ("a,元\n", "utf-8"),
                                            ("x,km²,µg/m³,‰\n", "utf-8"), ("地区,2020年\n德阳,1\n", "gb18030")])
def test_decoding_picks_the_plausible_reading(text, encoding):
    """GBK bytes can be valid UTF-8 (元 = D4 AA reads as the Armenian 'Ԫ'): the Chinese reading wins."""
    from indicators.ingest.decode_text import decode_text
    from indicators.ingest.errors import ImportReport

    assert decode_text(text.encode(encoding), ImportReport())[0] == text
