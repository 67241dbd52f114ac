"""Sources cited by original publisher and document (derive/citations.py → data/source_citation.csv →
store.citations → brief.citations): reproducible, complete, never claiming more than the shared data records."""
from __future__ import annotations

import pandas as pd
import pytest

from indicators.brief import citations as cite
from indicators.brief.text_rules import problems
from indicators.paths import DATA_DIR
from indicators.store.derive import citations as derive
from indicators.store.derive.common import DEFAULT_SHARED

needs_shared = pytest.mark.skipif(not (DEFAULT_SHARED / "facts").exists(), reason="../shared/data not present")
COMMITTED = DATA_DIR / "source_citation.csv"


@needs_shared
def test_citations_rederive_identically():
    fresh = derive.derive(DEFAULT_SHARED).fillna("")
    committed = pd.read_csv(COMMITTED, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(fresh.astype(str).reset_index(drop=True), committed.reset_index(drop=True))


def test_every_shipped_source_has_a_citation():
    files = derive.source_files()
    assert files[0].name == "source.csv" and len(files) >= 1
    sources = pd.concat([pd.read_csv(f, dtype=str) for f in files])
    committed = pd.read_csv(COMMITTED, dtype=str)
    assert set(sources["source_id"]) == set(committed["source_id"])
    assert set(committed["kind"]) <= set(derive.KINDS)


@pytest.mark.parametrize("date, expected", [
    ("2021-11 (国家发展改革委复函; 四川省人民政府印发 2021-11-29)", ("2021年11月", "国家发展改革委复函；四川省人民政府印发 2021-11-29")),
    ("福建省人民政府 2024-06-14 (闽政〔2024〕7号 or 闽政办〔2024〕7号: pages disagree); 经国家发展改革委衔接函复",
     ("", "福建省人民政府 2024-06-14；经国家发展改革委衔接函复")),
    ("2016-05", ("2016年5月", "")),
])
def test_auto_citations_keep_only_what_the_source_states_in_chinese(date, expected):
    assert derive._date_zh(date) == expected


@needs_shared
def test_a_citation_the_data_does_not_support_is_refused(monkeypatch):
    bad = dict(derive.CITATIONS["bulletins_via_gp"],
               document_zh="《2022年德阳市国民经济和社会发展统计公报》",
               basis=[("facts/city_observations.csv", "2022年德阳市国民经济和社会发展统计公报")])
    monkeypatch.setitem(derive.CITATIONS, "bulletins_via_gp", bad)
    with pytest.raises(ValueError, match="bulletins_via_gp.*not found in facts/city_observations.csv"):
        derive.derive(DEFAULT_SHARED)


def test_chinese_fields_have_no_file_names_paths_or_english_notes():
    committed = pd.read_csv(COMMITTED, dtype=str, keep_default_na=False)
    for col in ("publisher_zh", "document_zh", "compilation_zh", "original_note_zh"):
        bad = {r["source_id"]: problems(r[col], "zh") for _, r in committed.iterrows() if problems(r[col], "zh")}
        assert not bad, (col, bad)


ROW = {"source_id": "bulletins_via_gp", "kind": "class", "publisher_zh": "{city}统计局",
       "publisher_en": "{city} Bureau of Statistics", "document_zh": "国民经济和社会发展统计公报或统计年鉴",
       "document_en": "statistical bulletin or statistical yearbook",
       "compilation_zh": "第三方数据汇编 G-P（地级市产业结构 2000—2023 年）",
       "compilation_en": "third-party compilation G-P (prefecture industry structure 2000–2023)",
       "original_note_zh": "汇编未注明取自哪一期公报或年鉴",
       "original_note_en": "the compilation does not record which bulletin or yearbook edition"}


@pytest.mark.parametrize("cities, years, lang, main", [
    (["德阳市"], [2022], "zh", "德阳市统计局：国民经济和社会发展统计公报或统计年鉴（2022年数据）"),
    (["成都市", "德阳市"], [2021, 2022], "zh", "成都市、德阳市统计局：国民经济和社会发展统计公报或统计年鉴（2021—2022年数据）"),
    (["成都市", "德阳市", "眉山市", "资阳市", "重庆市"], [2010, 2020], "zh",
     "成都市、德阳市等5个城市统计局：国民经济和社会发展统计公报或统计年鉴（2010、2020年数据）"),
    ([], [], "zh", "各市统计局：国民经济和社会发展统计公报或统计年鉴"),
    (["Deyang"], [2022], "en", "Deyang Bureau of Statistics, statistical bulletin or statistical yearbook (2022 data)"),
    (["Chengdu", "Deyang", "Meishan"], [2022], "en",
     "Bureaus of Statistics of Chengdu, Deyang and Meishan, statistical bulletin or statistical yearbook (2022 data)"),
])
def test_reference_names_the_publisher_of_the_values(cities, years, lang, main):
    ref = cite.reference(ROW, lang, cities, years)
    assert ref.main == main
    assert ref.small.startswith("经第三方数据汇编 G-P" if lang == "zh" else "via third-party compilation G-P")
    assert ("未注明" in ref.small) if lang == "zh" else ("does not record" in ref.small)


def test_source_line_short_form_and_limit():
    refs = [cite.reference(ROW, "zh", ["德阳市"], [2022]),
            cite.reference({"source_id": "x", "title": "自行导入的年鉴摘录", "publisher": "某市统计局"}, "zh"),
            cite.reference({**ROW, "source_id": "y", "publisher_zh": "国家统计局", "document_zh": "甲"}, "zh"),
            cite.reference({**ROW, "source_id": "z", "publisher_zh": "乙统计局", "document_zh": "乙"}, "zh")]
    line = cite.source_line(refs, "zh", computed_by="tongcheng 计算")
    assert line.startswith("来源：德阳市统计局：国民经济和社会发展统计公报或统计年鉴（2022年数据；经第三方数据汇编 G-P 整理）；")
    assert "国家统计局：甲" in line and "乙统计局：乙" in line    # official statistics first
    assert "某市统计局" not in line and "等；tongcheng 计算" in line  # the 4th source: 等
    own = cite.source_line(refs[1:2], "zh")
    assert own == "来源：某市统计局：自行导入的年鉴摘录"          # a source without a citation row: its stored title
    numbered = cite.numbered(refs + refs[:1], "zh")
    assert [m.split(" ")[0] for m, _ in numbered] == ["[1]", "[2]", "[3]", "[4]"]   # duplicates merged


def test_store_serves_citations(default_db):
    from indicators.store.citations import citations
    from indicators.store.db import shared_connection

    df = citations(shared_connection(default_db), ["bulletins_via_gp", "seed_001"])
    assert list(df["source_id"]) == ["bulletins_via_gp", "seed_001"]
    assert df.set_index("source_id").loc["seed_001", "publisher_zh"] == "国家发展改革委"


def test_a_traced_value_ends_at_the_original_publisher(default_db, monkeypatch):
    """The Data page's trace: 德阳 GDP 2022 → 德阳市统计局's bulletin or yearbook, the compilation in the same line."""
    from indicators.store.citations import citations
    from indicators.store.db import shared_connection
    from indicators.ui import citations_view

    table = citations(shared_connection(default_db))
    monkeypatch.setattr(citations_view, "citations", lambda: table)
    prov = pd.DataFrame({"source_id": ["bulletins_via_gp"], "value": [3011.0]})
    (zh,) = citations_view.trace_lines(prov, "德阳市", 2022, "zh")
    assert zh.startswith("德阳市统计局：国民经济和社会发展统计公报或统计年鉴（2022年数据）——经第三方数据汇编 G-P")
    assert zh.endswith("汇编未注明取自哪一期公报或年鉴")
    (en,) = citations_view.trace_lines(prov, "Deyang", 2022, "en")
    assert en.startswith("Deyang Bureau of Statistics, statistical bulletin or statistical yearbook (2022 data) — via")
