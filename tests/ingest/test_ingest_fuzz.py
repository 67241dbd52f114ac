"""Fuzzing the importers (hypothesis, bounded): random bytes, CSV-like text and mutated fixture files.
plan_import must return a plan (bad input lands in its report) and never raise anything else; a rejected
apply must leave the database content unchanged."""
from __future__ import annotations

import os

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import FIXTURES
from indicators.ingest.content_digest import table_dump

WRITTEN_BY_IMPORTS = ["observation", "observation_history", "source", "import_log", "region", "region_alias"]


def digest(con) -> list[bytes]:
    """Content of the tables an import could touch (a cheaper stand-in for the full digest)."""
    return [table_dump(con, t, WRITTEN_BY_IMPORTS) for t in WRITTEN_BY_IMPORTS]
from indicators.ingest import IngestError, apply_import, plan_import

# TONGCHENG_FUZZ_EXAMPLES raises the bound for a longer local run; CI keeps it small (< 60 s).
FUZZ = settings(max_examples=int(os.environ.get("TONGCHENG_FUZZ_EXAMPLES", "40")), deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

CELLS = st.sampled_from(["成都", "成都市", "Chengdu", "510100", "德阳", "Suzhou", "吉林", "合计", "程都", "", " ", "—", "-", "…",
                         "..", "1,234.5", "１２３", "12%", "=1+2", "@x", "-5", "0", "1e308", "1e999", "nan", "inf", "2019年",
                         "2020", "地区", "region", "year", "indicator", "value", "unit", "source", "quality", "万元", "亿元",
                         "‰", "地区生产总值（亿元）", "常住人口", "单位：亿元", "资料来源：测试", "official", "guess", '"', "\"a,b\"",
                         "\t", "\r", "\x00", "注：x"])
ROWS = st.lists(st.lists(CELLS | st.text(max_size=6), min_size=1, max_size=6), min_size=1, max_size=12)


def _check(con, data: bytes, name: str, options: dict) -> None:
    before = digest(con)
    plan = plan_import(data, name, con, options)          # must not raise
    if not plan.ok:
        assert plan.report.errors_total > 0 and plan.report.errors
        with pytest.raises(IngestError):
            apply_import(plan, con)
        assert digest(con) == before
        return
    try:
        apply_import(plan, con)
    except IngestError:
        assert digest(con) == before


@pytest.fixture
def fuzz_con(tiny_db):
    con = duckdb.connect(str(tiny_db))
    yield con
    con.close()


@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes(fuzz_con, data):
    _check(fuzz_con, data, "random.csv", {"source": "fuzz"})


@FUZZ
@given(rows=ROWS, delimiter=st.sampled_from([",", "\t", ";", "，"]), encoding=st.sampled_from(["utf-8", "gbk", "utf-8-sig"]),
       options=st.fixed_dictionaries({}, optional={"indicator": st.sampled_from(["gdp", "常住人口", "nonsense"]),
                                                   "year": st.integers(1949, 2026), "source": st.just("fuzz"),
                                                   "unit": st.sampled_from(["万元", "桶", "%"])}))
def test_csv_like_text(fuzz_con, rows, delimiter, encoding, options):
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"
    _check(fuzz_con, text.encode(encoding, errors="ignore"), "fuzz.csv", options)


FIXTURE_FILES = ["long_utf8.csv", "wide_years_gbk.csv", "yearbook_merged.xlsx", "long.parquet"]


@FUZZ
@given(name=st.sampled_from(FIXTURE_FILES), cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6),
       truncate=st.none() | st.floats(0, 1))
def test_mutated_fixture_files(fuzz_con, name, cuts, truncate):
    data = bytearray((FIXTURES / name).read_bytes())
    for position, byte in cuts:
        data[min(int(position * len(data)), len(data) - 1)] = byte
    if truncate is not None:
        data = data[: int(truncate * len(data))]
    _check(fuzz_con, bytes(data), name, {"source": "fuzz", "indicator": "gdp"})


UNITS = {"gdp": [("亿元", 1.0), ("万元", 1e-4), ("元", 1e-8)], "resident_population": [("万人", 1.0), ("人", 1e-4)],
         "urbanization_rate": [("%", 1.0), ("‰", 0.1)], "rail_length_km": [("公里", 1.0), ("米", 1e-3)]}
NAMES = {"510100": ["成都", "成都市", "Chengdu", "510100"], "510600": ["德阳", "Deyang"], "320500": ["苏州市", "苏州"],
         "341300": ["宿州"]}


@FUZZ
@given(records=st.lists(st.tuples(st.sampled_from(sorted(NAMES)), st.integers(1949, 2026), st.sampled_from(sorted(UNITS)),
                                  st.floats(0.01, 99.0), st.integers(0, 3), st.integers(0, 2)),
                        min_size=1, max_size=25, unique_by=lambda r: (r[0], r[1], r[2])),
       wide=st.booleans())
def test_valid_records_round_trip_in_canonical_units(fuzz_con, records, wide):
    """Any valid long table (names in any variant, units convertible) lands as the same numbers."""
    lines = ["地区,年份,指标,数值,单位"]
    expected = {}
    for code, year, indicator, canonical_value, name_pick, unit_pick in records:
        names, units = NAMES[code], UNITS[indicator]
        unit, factor = units[unit_pick % len(units)]
        lines.append(f"{names[name_pick % len(names)]},{year},{indicator},{canonical_value / factor!r},{unit}")
        expected[(code, year, indicator)] = canonical_value
    plan = plan_import(("\n".join(lines) + "\n").encode("gbk" if wide else "utf-8"), "ok.csv", fuzz_con,
                       {"source": "round trip"})
    assert plan.ok, plan.report.format()
    apply_import(plan, fuzz_con, replace=True)
    rows = fuzz_con.execute("SELECT code, year, indicator, value FROM observation WHERE source_id = ?",
                            [plan.records["source_id"].iat[0]]).fetchall()
    got = {(c, y, i): v for c, y, i, v in rows}
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-9)
