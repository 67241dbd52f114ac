"""Briefing-grade tables: reader columns, translated headers with units, no None, widths that fit the numbers."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from indicators.ui.tables import display_frame, number_formats, table_bytes

FRAME = pd.DataFrame({
    "code": ["320500", "320200"], "name": ["苏州市", "无锡市"], "year": [2022, 2022],
    "value": [23958.34, 14850.82], "quality": ["cross_checked", "single_source"],
    "source_id": ["src_a", "src_b"], "source_title": ["苏州统计公报", None], "note": [None, np.nan],
})


def test_reader_view_has_no_codes_none_or_flags_and_chinese_headers_with_units():
    shown = display_frame(FRAME, "zh", {"value": "亿元"})
    assert list(shown.columns) == ["名称", "年份", "数值（亿元）", "质量标记", "来源", "备注"]
    assert shown["质量标记"].tolist() == ["官方（已交叉核对）", "单一来源"]
    assert shown["来源"].tolist() == ["苏州统计公报", ""] and shown["备注"].tolist() == ["", ""]
    text = shown.astype(str).to_string()
    assert "None" not in text and "nan" not in text and "cross_checked" not in text


def test_english_only_notes_stay_in_the_raw_view_in_chinese_mode():
    frame = FRAME.assign(note=["computed here = gdp / population", None])
    assert "备注" not in display_frame(frame, "zh").columns
    assert "Note" in display_frame(frame, "en").columns and "备注" in display_frame(frame, "zh", raw=True).columns
    assert "备注" in display_frame(FRAME.assign(note=["按2020年边界重算", None]), "zh").columns


def test_english_headers_and_raw_view():
    assert "Value (元)" in display_frame(FRAME, "en", {"value": "元"}).columns
    raw = display_frame(FRAME, "zh", raw=True)
    assert {"代码", "来源编号"} <= set(raw.columns) and raw["质量标记"].tolist() == ["cross_checked", "single_source"]


@pytest.mark.parametrize("values,fmt", [([23958.34, 14850.82], "%,.2f"), ([1200, 35], "%,d"), ([0.125, 0.5], "%,.3f")])
def test_numbers_get_thousands_separators_and_a_width_that_fits(values, fmt):
    shown = pd.DataFrame({"数值（元）": values})
    got, width = number_formats(shown)["数值（元）"]
    assert got == fmt
    widest = max(len(f"{v:,.2f}") for v in values)
    assert width >= widest * 8 + 20        # "23,958.34" needs ≥ 9 digit widths: never clipped


def test_years_have_no_thousands_separator():
    shown = display_frame(FRAME, "zh")
    fmts = number_formats(shown, dict(zip(shown.columns, ["name", "year", "value", "quality", "source_title", "note"])))
    assert fmts["年份"][0] == "%d" and fmts["数值"][0] == "%,.2f"


def test_download_is_the_table_as_shown_with_formulas_neutralised():
    shown = display_frame(FRAME.assign(name=["=HYPERLINK(1)", "无锡市"]), "zh", {"value": "亿元"})
    csv = table_bytes(shown, "csv").decode("utf-8-sig")
    assert csv.splitlines()[0] == "名称,年份,数值（亿元）,质量标记,来源,备注"
    assert "'=HYPERLINK(1)" in csv and "23958.34" in csv
    back = pd.read_excel(io.BytesIO(table_bytes(shown, "xlsx")))
    assert list(back.columns) == list(shown.columns) and back["数值（亿元）"].tolist() == [23958.34, 14850.82]


@pytest.mark.parametrize("note,zh", [
    ("CSMAR agrees", "与 CSMAR 数据一致"),
    ("re-aggregated to 2020 boundaries; computed = urban/total", "按2020年行政区划重新汇总；计算值 = 城镇人口 / 常住人口"),
    ("computed here = gdp (cross_checked) / year-end resident_population (G-P); not an official figure "
     "(official uses annual average population)",
     "本工具计算 = 地区生产总值（官方（已交叉核对））/ 年末常住人口（G-P 汇编）；非官方数据（官方口径使用年平均人口）"),
    ("NB level shifts +6% from 2010 (=6th census) to 2011: 2011-2019 on a different basis (户籍, estimate, or "
     "post-census back-revision)", "注意：2010年（第六次人口普查）至2011年水平跳变 +6%，2011–2019年口径不同（户籍、估计或普查后回溯修订）"),
    ("CSMAR agrees (148.4, +0.00%); some unknown developer remark here", "与 CSMAR 数据一致（148.4, +0.00%）"),
    ("按2020年边界重算", "按2020年边界重算"),
    ("an unknown developer remark", ""),
    (None, ""),
])
def test_processing_notes_read_in_chinese(note, zh):
    from indicators.ui.note_words import note_in

    assert note_in(note, "zh") == zh
    assert note_in(note, "en") == ("" if note is None else note)      # English mode: as stored


def test_notes_and_evidence_in_words_in_the_reader_view():
    frame = FRAME.assign(note=["CSMAR agrees", "an unknown developer remark"], evidence=["observed", "proxy"])
    shown = display_frame(frame, "zh")
    assert shown["备注"].tolist() == ["与 CSMAR 数据一致", ""]
    assert shown["证据类型"].tolist() == ["实测", "代理指标"]
    raw = display_frame(frame, "zh", raw=True)
    assert raw["备注"].tolist()[1] == "an unknown developer remark" and raw["证据类型"].tolist() == ["observed", "proxy"]
