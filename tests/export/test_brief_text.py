"""The briefing pack reads as a government document: method and sources in prose, sources cited by original
publisher and document, no file names / paths / engine log syntax / English developer notes in Chinese mode,
and a year-on-year change only where the index's make-up is the same in both years."""
from __future__ import annotations

import re
import shutil
import subprocess

import pandas as pd
import pytest
from docx import Document
from pptx import Presentation

from indicators.brief import build_pack, summary, write_brief
from indicators.brief.pdf_writer import render_html
from indicators.brief.text_rules import problems

YEAR = 2022
METROS = "成都都市圈,上海大都市圈,杭州都市圈,南京都市圈"


@pytest.fixture(scope="module")
def packs(default_db):
    return {lang: build_pack(default_db, METROS, YEAR, lang=lang) for lang in ("zh", "en")}


def _pptx_text(path) -> str:
    return "\n".join(sh.text_frame.text for slide in Presentation(str(path)).slides for sh in slide.shapes
                     if sh.has_text_frame)


def _docx_text(path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for row in t.rows for c in row.cells])


def _html_text(html: str) -> str:
    body = re.sub(r"<img[^>]*>", " ", html)
    body = re.sub(r"<style>.*?</style>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", "\n", body)


@pytest.mark.parametrize("text, found", [
    ("方法：weights={}; targets={}; imputed_cells=516", True),
    ("见 data/flow_gravity.meta.yaml", True),
    ("indicators/store/derive/flows.py", True),
    ("来源：MODELLED gravity linkage between metro members", True),
    ("source_id bulletins_via_gp", True),
    ("值为 None", True),
    ("经第三方数据汇编 G-P 整理；经 leiii/census 开放数据集 v1 整理；CSMAR；PM2.5", False),
    ("Ma 与 Tang（2024），Journal of International Economics", False),
    ("成都都市圈（69.2分，第2名）", False),
])
def test_text_rules_catch_developer_text(text, found):
    assert bool(problems(text, "zh")) is found, problems(text, "zh")


def test_pack_text_fields_are_clean_in_chinese(packs):
    pack = packs["zh"]
    fields = [pack.title, pack.subtitle, *pack.summary, *pack.caveats, *pack.sources, *pack.source_notes,
              *[h for h, _ in pack.methodology], *[x for _, lines in pack.methodology for x in lines],
              *[x for c in pack.charts for x in (c.meta.title, c.meta.subtitle, c.meta.source, c.meta.note) if x]]
    bad = {f: problems(f, "zh") for f in fields if problems(f, "zh")}
    assert not bad, bad


def test_method_slide_is_prose_from_the_build_log(packs):
    heading, lines = packs["zh"].methodology[0]
    assert heading == "同城化指数"
    zh = "\n".join(lines)
    for part in ("本指数采用", "个维度", "项指标", "标准化", "赋权", "汇总", f"{YEAR}年有数据的指标为", "（2022年）"):
        assert part in zh, part
    assert "=" not in zh.replace("＝", "") and "{" not in zh and "imputed" not in zh
    every = "\n".join(x for _, ls in packs["zh"].methodology for x in ls)
    assert not problems(every, "zh")
    assert re.search(r"(\d+)个维度(\d+)项指标", zh)
    en = "\n".join(packs["en"].methodology[0][1])
    assert "The index uses the" in en and f"Indicators with data in {YEAR}:" in en
    assert not re.search(r"[\u4e00-\u9fff]", en)          # English mode reads English


def test_sources_are_a_numbered_reference_list_citing_the_original(packs):
    zh = packs["zh"]
    assert [s.split(" ", 1)[0] for s in zh.sources] == [f"[{i}]" for i in range(1, len(zh.sources) + 1)]
    gdp = next(s for s in zh.sources if "国民经济和社会发展统计公报" in s)
    assert "成都市" in gdp and "统计局" in gdp and "年数据" in gdp
    note = zh.source_notes[zh.sources.index(gdp)]
    assert "汇编" in note and "未注明" in note           # the compilation in small print, honestly
    assert not any("《" in s and "统计公报》" in s for s in zh.sources)   # no bulletin title the data does not record
    en = packs["en"]
    assert any("Bureau" in s and "statistical bulletin" in s for s in en.sources)


def test_chart_source_lines_cite_the_publisher(packs):
    gdp_chart = next(c for c in packs["zh"].charts if c.chart_id == "metro_gdp")
    assert gdp_chart.meta.source.startswith("来源：成都市") and "统计局" in gdp_chart.meta.source
    assert "经第三方数据汇编 G-P 整理" in gdp_chart.meta.source


def test_written_pack_has_no_developer_text_in_chinese(packs, tmp_path, kaleido_server):
    pack = packs["zh"]
    small = pack.__class__(**{**pack.__dict__, "charts": pack.charts[:1]})
    texts = {"pptx": _pptx_text(write_brief(small, tmp_path / "b.pptx")),
             "docx": _docx_text(write_brief(small, tmp_path / "b.docx")),
             "pdf-html": _html_text(render_html(small))}
    if shutil.which("pdftotext"):
        pdf = write_brief(small, tmp_path / "b.pdf")
        texts["pdf"] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for kind, text in texts.items():
        assert "本指数采用" in text.replace("\n", ""), kind
        assert "[1] " in text, kind
        bad = problems(text, "zh")
        assert not bad, (kind, bad)


@pytest.mark.parametrize("comparable, expect_change, expect_note", [
    ({"a": True, "b": True}, "与2021年相比（指标构成相同），同城化指数甲提高1.5分，乙下降0.5分。", None),
    ({"a": True, "b": False}, "与2021年相比（指标构成相同），同城化指数甲提高1.5分。",
     "乙2021年与2022年的指数由不同的指标构成（口径变化、不可比），不计算较上年变化。"),
    ({"a": False, "b": False}, None,
     "甲和乙2021年与2022年的指数由不同的指标构成（口径变化、不可比），不计算较上年变化。"),
])
def test_year_on_year_only_when_make_up_is_the_same(comparable, expect_change, expect_note):
    now = pd.DataFrame({"metro_id": ["b", "a"], "name": ["乙", "甲"], "year": [2022, 2022], "score": [60.0, 50.0],
                        "rank": [1.0, 2.0], "coverage": [0.5, 0.5]})
    prev = pd.DataFrame({"metro_id": ["a", "b"], "score": [48.5, 60.5], "coverage": [0.5, 0.5]})
    out = summary.index_sentences(now, "框架", "zh", prev, 2021, comparable=comparable, order=["a", "b"])
    changes = [s for s in out if s.startswith("与2021年相比")]
    assert changes == ([expect_change] if expect_change else [])
    assert (expect_note in out) if expect_note else not any("不可比" in s for s in out)
    assert not any("+" in s for s in out)
    # without knowing the make-up, no change is claimed
    assert not any("2021" in s for s in summary.index_sentences(now, "框架", "zh", prev, 2021))


def test_pack_says_not_comparable_when_the_make_up_changed(default_db):
    """2020 adds the migration snapshot and the census urbanisation rate: the make-up differs from 2019."""
    pack = build_pack(default_db, "chengdu,shanghai", 2020, chart_ids=["index_ranking"])
    assert not any(s.startswith("与2019年相比") for s in pack.summary)
    assert any("口径变化、不可比" in s for s in pack.summary)
