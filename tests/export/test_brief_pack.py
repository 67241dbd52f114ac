"""Briefing pack end to end on the default dataset: PPTX/DOCX/PDF opened and checked; CLI."""
from __future__ import annotations

import dataclasses
import io
import re

import pytest
from docx import Document
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from indicators.brief import build_pack, prose, write_brief
from indicators.brief.pack import pack_tables
from indicators.cli import main as cli_main

YEAR = 2022
METROS = "成都都市圈,上海大都市圈,nanjing"


@pytest.fixture(scope="module")
def pack(default_db):
    return build_pack(default_db, METROS, YEAR)


def test_pack_content(pack):
    assert pack.metro_ids == ["chengdu", "shanghai", "nanjing"]
    assert [c.chart_id for c in pack.charts if c.chart_id != "plan_progress"] == [
        "index_ranking", "index_dimensions", "metro_gdp", "core_share", "per_capita_spread", "gdp_growth"]
    for chart in pack.charts:
        assert chart.meta.title and chart.meta.source.startswith("来源：")
        assert str(YEAR) in chart.meta.subtitle or chart.chart_id == "plan_progress"   # the ledger as it is now
    assert pack.summary and pack.methodology and pack.sources


def test_summary_states_the_computed_numbers(pack, default_db):
    table, _ = pack_tables(default_db, METROS, YEAR)
    full = table.dropna(subset=["gdp"]).sort_values("gdp", ascending=False)
    top, bottom = full.iloc[0], full.iloc[-1]
    first = next(s for s in pack.summary if "地区生产总值最高" in s)
    assert top["name"] in first and bottom["name"] in first
    assert prose.magnitude(top["gdp"], "亿元") in first and f"{top['gdp'] / bottom['gdp']:.1f}倍" in first
    gaps = table.dropna(subset=["pc_ratio"]).sort_values("pc_ratio", ascending=False)
    gap_sentence = next(s for s in pack.summary if "人均" in s)
    assert gaps.iloc[0]["name"] in gap_sentence and f"{gaps.iloc[0]['pc_ratio']:.1f}倍" in gap_sentence


def test_index_sentence_matches_the_engine(pack, default_db):
    from indicators.engine.index import compute_index
    from indicators.store.db import shared_connection

    scores = compute_index(shared_connection(default_db), "qigeyi", (2010, 2023)).scores
    engine = scores[(scores["year"] == YEAR) & (scores["dimension"] == "index")].set_index("metro_id")
    sentence = pack.summary[0]
    assert sentence.startswith("同城化指数（")
    ranked = pack.index_scores["rank"].notna().all()
    for row in pack.index_scores.itertuples():
        assert abs(row.score - engine.loc[row.metro_id, "score"]) < 1e-9
        if ranked:
            assert f"{row.name}（{row.score:.1f}分，第{int(engine.loc[row.metro_id, 'rank'])}名）" in sentence
        else:   # a metro not comparably ranked this year: its score, never an invented rank
            assert f"{row.name}（{row.score:.1f}分" in sentence and "第nan名" not in sentence


def test_pptx_has_cover_chart_slides_methodology(pack, tmp_path, kaleido_server):
    path = write_brief(pack, tmp_path / "brief.pptx")
    prs = Presentation(str(path))
    slides = list(prs.slides)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01

    def texts(slide):
        return {s.name: s.text_frame.text for s in slide.shapes if s.has_text_frame}

    assert texts(slides[0])["Title"] == "都市圈同城化简报"
    assert "成都都市圈" in texts(slides[0])["Subtitle"] and "2022年" in texts(slides[0])["Subtitle"]
    chart_slides = [s for s in slides if any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in s.shapes)]
    assert len(chart_slides) == len(pack.charts)
    for slide, chart in zip(chart_slides, pack.charts):
        t = texts(slide)
        assert t["Title"] == chart.meta.title
        assert t["Source"].splitlines()[-1] == chart.meta.source
        pic = next(sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE)
        img = Image.open(io.BytesIO(pic.image.blob))
        assert img.format == "PNG" and img.size[0] >= 2000
    all_titles = [texts(s).get("Title", "") for s in slides]
    assert "要点" in all_titles and "方法说明" in all_titles and "数据来源" in all_titles
    method = next(s for s in slides if texts(s).get("Title") == "方法说明")
    assert "本指数采用" in texts(method)["Methodology"] and f"{YEAR}年有数据的指标为" in texts(method)["Methodology"]


@pytest.fixture(scope="module")
def small_pack(pack):
    """The same pack with two charts (one index, one observed): keeps the DOCX/PDF tests short."""
    return dataclasses.replace(pack, charts=[pack.charts[0], pack.charts[-1]])


def test_docx_has_summary_and_same_charts(small_pack, tmp_path, kaleido_server):
    pack = small_pack
    path = write_brief(pack, tmp_path / "brief.docx")
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "都市圈同城化简报"
    for section in ("摘要", "图表", "方法说明", "数据来源"):
        assert section in headings
    for i, chart in enumerate(pack.charts, start=1):
        assert f"图 {i}  {chart.meta.title}" in headings
    assert len(doc.inline_shapes) == len(pack.charts)
    body = "\n".join(p.text for p in doc.paragraphs)
    for sentence in pack.summary:
        assert sentence in body
    blobs = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(blobs) == len(pack.charts)
    assert all(Image.open(io.BytesIO(b)).info.get("dpi", (0,))[0] > 299 for b in blobs)


def test_pdf_has_pages_and_images(small_pack, tmp_path, kaleido_server):
    pack = small_pack
    data = write_brief(pack, tmp_path / "brief.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    images = len(re.findall(rb"/Subtype\s*/Image", data))
    assert pages >= 2
    assert images >= len(pack.charts)


def test_cli_brief_writes_pptx_and_docx(default_db, tmp_path, kaleido_server, capsys):
    out1, out2 = tmp_path / "b.pptx", tmp_path / "b.docx"
    code = cli_main(["brief", "--metros", "chengdu,Hangzhou metropolitan area", "--year", str(YEAR),
                     "--charts", "metro_gdp,core_share", "--out", str(out1), "--out", str(out2),
                     "--db", str(default_db)])
    assert code == 0, capsys.readouterr().err
    assert len([s for s in Presentation(str(out1)).slides]) >= 5
    assert len(Document(str(out2)).inline_shapes) >= 2     # the two charts asked for (+ the progress chart)


def test_cli_brief_rejects_unknown_metro(default_db, tmp_path, capsys):
    code = cli_main(["brief", "--metros", "atlantis", "--year", str(YEAR), "--out", str(tmp_path / "x.pptx"),
                     "--db", str(default_db)])
    assert code == 2
    assert "unknown metro" in capsys.readouterr().err
