"""The briefing pack carries the progress section: key points per plan (with the score's parts, never an
invented status), the tasks-by-area chart with its source, and how the score is formed; in PPTX too."""
from __future__ import annotations

import pytest

from indicators.brief.progress_section import CHART_ID, build_section


@pytest.fixture(scope="module")
def con(default_db):
    from indicators.store.db import shared_connection

    return shared_connection(default_db)      # the connection build_pack uses too


def test_section_reports_the_ledger_as_it_is(con):
    s = build_section(con, ["shanghai", "chengdu"], {"shanghai": "上海大都市圈", "chengdu": "成都都市圈"}, 2022, "zh")
    text = "\n".join(s.sentences)
    assert "文件所述 165 项" in text and "未知 57" in text           # the YRD 2024–2026 plan: 57 seed tasks, all 未知
    assert "暂无建设进程得分" in text                                 # no known status, no target: no score, not 0
    assert "状态已知 0/" in text                                      # a score's parts are always stated
    fig, meta = s.chart
    assert meta.title.endswith("各领域任务进展") and meta.source.startswith("来源")
    assert fig.layout.title.text and any(a.text.startswith("来源") for a in fig.layout.annotations)
    assert any("任务得分" in line for line in s.method)
    from indicators.brief.text_rules import problems                  # issue 14: no step-log dump for readers
    assert not [p for line in s.method for p in problems(line, "zh")]
    en = build_section(con, ["shanghai"], {"shanghai": "Shanghai"}, 2022, "en")
    assert all("台账" not in x for x in en.sentences) and en.chart[1].source.startswith("Source")


def test_metro_without_plan_tasks_adds_nothing(con):
    s = build_section(con, ["wuhan"], {"wuhan": "武汉都市圈"}, 2022, "zh")
    assert s.sentences == [] and s.chart is None


def test_briefing_pack_carries_the_progress_section(default_db, tmp_path):
    from indicators.brief.pack import build_pack
    from indicators.brief.pptx_writer import write_pptx

    pack = build_pack(default_db, ["shanghai", "chengdu"], 2022, chart_ids=["metro_gdp"], lang="zh")
    assert CHART_ID in [c.chart_id for c in pack.charts]
    assert any(p.startswith("建设进程：") for p in pack.summary)
    assert any(h == "建设进程得分的计算" for h, _ in pack.methodology)
    out = tmp_path / "brief.pptx"
    write_pptx(pack, out)
    from pptx import Presentation

    texts = [sh.text_frame.text for slide in Presentation(str(out)).slides for sh in slide.shapes if sh.has_text_frame]
    joined = "\n".join(texts)
    assert "各领域任务进展" in joined and "建设进程" in joined
