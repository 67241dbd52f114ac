"""Regenerate the small committed fixture files (run by hand: python tests/ingest/make_fixtures.py).

Fixtures imitate yearbook extracts; the values are made-up test numbers, never used as statistics.
Large files (200 MB CSV, zip bomb, 2M-row imports) are generated at test time instead.
"""
from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
FIX = HERE / "fixtures"
BAD = HERE / "bad_inputs"


def fixtures() -> None:
    FIX.mkdir(exist_ok=True)
    long_rows = ("region,year,indicator,value,unit,source\n"
                 "成都,2021,gdp,19916.98,亿元,测试年鉴2022\n"
                 "成都市,2021,常住人口,2119.2,万人,测试年鉴2022\n"
                 "Deyang,2021,地区生产总值,2656.56,亿元,测试年鉴2022\n"
                 "511400,2021,GDP,15476000,万元,测试年鉴2022\n"
                 "资阳市,2021,城镇化率,4.52,‰,测试年鉴2022\n"
                 "成都,2021,人均地区生产总值,94622,元,测试年鉴2022\n")
    (FIX / "long_utf8.csv").write_text(long_rows, encoding="utf-8")
    (FIX / "long_utf8_bom.csv").write_text(long_rows, encoding="utf-8-sig")
    (FIX / "wide_years_gbk.csv").write_bytes(
        ("地区,2019年,2020,２０２１年\n"
         "成都市,\"1,658.1\",2093.8,２１１９．２\n"
         "德阳,353.9,345.6,—\n"
         "眉山,295.3,…,296.0\n"
         "资阳,250.5,..,230.9\n"
         "合计,2557.8,,\n").encode("gbk"))
    (FIX / "wide_indicators_gb18030.csv").write_bytes(
        ("城市,年份,地区生产总值（亿元）,常住人口（万人）,城镇化率（%）,备注\n"
         "成都,2020,17716.7,2093.8,78.77,\n"
         "德阳,2020,2404.1,345.6,53.2,\n"
         "眉山,2020,1423.7,295.3,47.5,初步数\n").encode("gb18030"))
    pd.DataFrame({
        "code": ["510100", "510600", "511400", "512000"],
        "year": [2022, 2022, 2022, 2022],
        "indicator": ["gdp"] * 4,
        "value": [20817.5, 2816.9, 1638.4, 1018.2],
        "source": ["测试年鉴2023"] * 4,
        "quality": ["official", "official", "estimate", "official"],
    }).to_parquet(FIX / "long.parquet", index=False)
    yearbook_xlsx(FIX / "yearbook_merged.xlsx")


def yearbook_xlsx(path: Path) -> None:
    """Title row, a '单位：' row, a two-row header with indicator cells merged over their years, a source line."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表3-1"
    ws["A1"] = "3-1 各市主要经济指标（2019—2020年）"
    ws.merge_cells("A1:E1")
    ws["A2"] = "单位：亿元"
    ws["A3"] = "地区"
    ws.merge_cells("A3:A4")
    ws["B3"] = "地区生产总值"
    ws.merge_cells("B3:C3")
    ws["D3"] = "第三产业增加值"
    ws.merge_cells("D3:E3")
    for col, year in zip("BCDE", ["2019年", "2020年", "2019年", "2020年"]):
        ws[f"{col}4"] = year
    data = [("成都市", 17012.65, 17716.7, 11116.2, 11643.0),
            ("德阳市", 2335.9, 2404.1, 869.5, 901.2),
            ("眉山市", "1,380.2", 1423.7, None, 611.9),
            ("资阳市", 777.8, 807.5, "—", 344.6)]
    for r, row in enumerate(data, start=5):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    ws["A10"] = "资料来源：测试统计年鉴2021"
    for cell in ws[3]:
        cell.alignment = Alignment(horizontal="center")
    wb.save(path)


def bad_inputs() -> None:
    BAD.mkdir(exist_ok=True)
    head = "地区,2020年\n"
    (BAD / "gbk_declared_utf8.csv").write_bytes((head + "成都,17716.7\n德阳,2404.1\n").encode("gbk"))
    (BAD / "mixed_encodings.csv").write_bytes(head.encode("utf-8") + "成都,17716.7\n".encode("utf-8")
                                              + "德阳,2404.1\n".encode("gbk") + "眉山,1423.7\n".encode("utf-8"))
    rng = random.Random(20261122)
    (BAD / "binary_junk.csv").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    (BAD / "duplicate_conflict.csv").write_text("region,year,indicator,value\n成都,2020,gdp,17716.7\n"
                                                "德阳,2020,gdp,2404.1\n成都市,2020,gdp,17000\n", encoding="utf-8")
    (BAD / "duplicate_same.csv").write_text("region,year,indicator,value\n成都,2020,gdp,17716.7\n"
                                            "成都市,2020,gdp,17716.7\n", encoding="utf-8")
    (BAD / "impossible_values.csv").write_text(
        "region,year,indicator,value\n成都,2020,urbanization_rate,178.8\n德阳,2020,resident_population,0\n"
        "眉山,2020,gdp,-5\n资阳,2020,good_air_day_rate,100.5\n", encoding="utf-8")
    (BAD / "unknown_ambiguous_names.csv").write_text(
        "地区,2020年\n程都,1\nSuzhou,2\n吉林,3\nAtlantis,4\n", encoding="utf-8")
    (BAD / "years_out_of_range.csv").write_text(
        "region,year,indicator,value\n成都,1900,gdp,1\n成都,2150,gdp,2\n成都,二〇二〇,gdp,3\n", encoding="utf-8")
    (BAD / "formula_text.csv").write_text("地区,2020年\n成都,=1+2\n德阳,@SUM(A1)\n", encoding="utf-8")
    (BAD / "not_numbers.csv").write_text("地区,2020年\n成都,about 5\n德阳,12abc\n", encoding="utf-8")
    (BAD / "unknown_unit.csv").write_text("region,year,indicator,value,unit\n成都,2020,gdp,1,桶\n"
                                          "德阳,2020,gdp,1,万人\n", encoding="utf-8")
    (BAD / "ragged_row.csv").write_text("region,year,indicator,value\n成都,2020,gdp,17716.7\n"
                                        "德阳,2020,gdp,2,404.1,x,y,z\n", encoding="utf-8")
    (BAD / "no_header.csv").write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    (BAD / "empty.csv").write_bytes(b"")
    (BAD / "no_source.csv").write_text("region,year,indicator,value\n成都,2020,gdp,17716.7\n", encoding="utf-8")
    (BAD / "bad_quality.csv").write_text("region,year,indicator,value,quality\n成都,2020,gdp,1,guess\n", encoding="utf-8")
    (BAD / "legacy.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    formulas_xlsx(BAD / "formulas_no_cache.xlsx")
    truncated_xlsx(BAD / "truncated.xlsx")


def formulas_xlsx(path: Path) -> None:
    """openpyxl writes formulas without cached values, like a sheet generated by a script and never opened."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "2020年"])
    ws.append(["成都", 100])
    ws.append(["德阳", "=B2*2"])
    wb.save(path)


def truncated_xlsx(path: Path) -> None:
    full = path.with_suffix(".full.xlsx")
    yearbook_xlsx(full)
    data = full.read_bytes()
    full.unlink()
    path.write_bytes(data[: len(data) // 2])


if __name__ == "__main__":
    fixtures()
    bad_inputs()
