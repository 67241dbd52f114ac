"""Bilingual to the last line (issue 12 point 7): every description, note, hover and source text a reader sees is
Chinese in Chinese mode and English in English mode. Walks the catalog, the frameworks, the source citations and
the interface strings for both languages.

"Chinese text" may name things in Latin letters (PM2.5, SpTe2M, 12306, a repository, a formula) but holds no English
prose: no run of three or more English words. "English text" may quote a Chinese proper name of at most two
characters (迁徙, 成都) but no Chinese phrase."""
from __future__ import annotations

import csv
import re

import pytest
import yaml

from indicators.catalog import load_catalog, load_frameworks
from indicators.paths import DATA_DIR, PROJECT_ROOT

CATALOG = load_catalog()
FRAMEWORKS = load_frameworks(CATALOG, include_user=False)

_WORD = r"[A-Za-z][A-Za-z'’]+"
ENGLISH_RUN = re.compile(rf"\b{_WORD}(?:[ ,;:()\-–]+{_WORD}){{2,}}")
CJK_RUN = re.compile(r"[\u3400-\u9fff]{3,}")
PLACEHOLDER = re.compile(r"\{[^}]*\}")
# Latin names a Chinese sentence may carry (products, data sets, code names): not English prose
ALLOWED_LATIN = re.compile(r"Baidu Migration|Tencent|leiii/census|G-P|CSMAR|SpTe2M|gordonjgz|eeid_mobility|"
                           r"a1317934217/Baidu_migrationData|OCR|CHECK|Monte Carlo|Kendall|TOPSIS|COINr|PNG|SVG|"
                           r"PPTX|DOCX|PDF|CSV|XLSX|Parquet|URL|DuckDB|Journal of International Economics", re.I)
# Chinese names an English sentence may keep as published (document titles in a citation, 七个一 …)
ALLOWED_CJK = re.compile(r"七个一|一张网|一个群|一条链|一站享|一盘棋|一把尺|一张卡|同城化|对标|都市圈|简报包|迁徙")


NAMES = re.compile(r"`[^`]*`|\S*/\S*")     # commands in backticks, repositories and paths: names, not prose


def chinese_problem(text: str) -> str | None:
    t = ALLOWED_LATIN.sub(" ", NAMES.sub(" ", PLACEHOLDER.sub(" ", str(text or ""))))
    m = ENGLISH_RUN.search(t)
    return m.group(0) if m else None


def english_problem(text: str) -> str | None:
    t = ALLOWED_CJK.sub(" ", PLACEHOLDER.sub(" ", str(text or "")))
    m = CJK_RUN.search(t)
    return m.group(0) if m else None


def _check(pairs):
    bad = []
    for where, zh, en in pairs:
        if not str(zh or "").strip() or not str(en or "").strip():
            bad.append(f"{where}: empty {'zh' if not str(zh or '').strip() else 'en'}")
            continue
        if (p := chinese_problem(zh)):
            bad.append(f"{where} (zh): English {p!r} in {zh!r}")
        if (p := english_problem(en)):
            bad.append(f"{where} (en): Chinese {p!r} in {en!r}")
    return bad


@pytest.mark.parametrize("iid", sorted(CATALOG.indicators))
def test_catalog_entry_is_bilingual(iid):
    ind = CATALOG.get(iid)
    bad = _check([(f"{iid}.name", ind.name_zh, ind.name_en),
                  (f"{iid}.description", ind.description, ind.description_en),
                  (f"{iid}.source", ind.source, ind.source_en),
                  (f"{iid}.measures", ind.measures_zh, ind.measures_en),
                  (f"{iid}.dimension_reason", ind.dimension_reason_zh, ind.dimension_reason_en)])
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("fid", sorted(FRAMEWORKS))
def test_framework_is_bilingual(fid):
    fw = FRAMEWORKS[fid]
    pairs = [(f"{fid}.name", fw.name_zh, fw.name_en), (f"{fid}.description", fw.description, fw.description_en)]
    for d in fw.dimensions:
        pairs.append((f"{fid}.{d.id}.name", d.name_zh, d.name_en))
        pairs.append((f"{fid}.{d.id}.description", d.description, d.description_en))
    for s in fw.shared_concepts:
        pairs.append((f"{fid}.shared_concepts.{s.concept}", s.reason_zh, s.reason_en))
    bad = _check(pairs)
    assert not bad, "\n".join(bad)


def _citations():
    path = DATA_DIR / "source_citation.csv"
    return list(csv.DictReader(path.open(encoding="utf-8"))) if path.exists() else []


def _quoted_title(en: str, zh: str) -> bool:
    """An English citation may give a Chinese document by its original title (bibliographic practice) when the
    Chinese citation carries the same title: every Chinese character of the English field occurs in the Chinese one."""
    cjk = set(re.findall(r"[\u3400-\u9fff]", en or ""))
    return bool(cjk) and cjk <= set(zh or "")


@pytest.mark.parametrize("row", _citations(), ids=lambda r: r["source_id"])
def test_source_citation_is_bilingual(row):
    pairs = []
    if row["publisher_zh"] or row["publisher_en"]:      # both empty = the source does not record its publisher
        pairs.append((f"{row['source_id']}.publisher", row["publisher_zh"], row["publisher_en"]))
    doc_en = row["document_en"]
    if _quoted_title(doc_en, row["document_zh"]):
        doc_en = re.sub(r"[\u3400-\u9fff]+", " ", doc_en) or "title"   # the quoted original title is not prose
    pairs.append((f"{row['source_id']}.document", row["document_zh"], doc_en if doc_en.strip() else "title"))
    for k in ("compilation", "original_note"):
        if row.get(f"{k}_zh") or row.get(f"{k}_en"):
            pairs.append((f"{row['source_id']}.{k}", row[f"{k}_zh"], row[f"{k}_en"]))
    bad = _check(pairs)
    assert not bad, "\n".join(bad)


def test_every_source_of_the_catalog_in_source_csv_has_a_bilingual_citation():
    """(Sources shipped in other tables loading into ``source`` — source_census_county.csv, the metro plans — are
    cited by the catalog's own source/source_en texts, checked above.)"""
    cited = {r["source_id"] for r in _citations()}
    listed = {r["source_id"] for r in csv.DictReader((DATA_DIR / "source.csv").open(encoding="utf-8"))}
    missing = sorted({s for ind in CATALOG.indicators.values() for s in ind.source_ids} & listed - cited)
    assert not missing, f"sources without a zh/en citation: {missing}"


def _strings():
    data = yaml.safe_load((PROJECT_ROOT / "indicators" / "i18n_strings.yaml").read_text(encoding="utf-8"))
    return sorted(data.items())


@pytest.mark.parametrize("key, value", _strings(), ids=[k for k, _ in _strings()])
def test_interface_string_is_bilingual(key, value):
    bad = _check([(key, value.get("zh"), value.get("en"))])
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("text, zh_ok", [
    ("12306 时刻表最短铁路时间 (约 2017 年; 经 gordonjgz 整理)", True),
    ("Baidu 迁徙 share of the origin's outflow going to the destination", False),
    ("站点日均 PM2.5 的年均值 (SpTe2M, 2014–2016)", True),
    ("No shipped data; import from yearbooks.", False),
])
def test_the_chinese_rule_itself(text, zh_ok):
    assert (chinese_problem(text) is None) == zh_ok


@pytest.mark.parametrize("text, en_ok", [
    ("Tencent 迁徙, one day (Thursday 19 October 2017)", True),
    ("boundary changes (简阳 to 成都 in 2016)", True),
    ("源数据: 百度迁徙", False),
])
def test_the_english_rule_itself(text, en_ok):
    assert (english_problem(text) is None) == en_ok
