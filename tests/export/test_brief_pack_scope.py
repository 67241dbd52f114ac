"""Issue 11: the briefing pack's observed-data charts follow the chosen metro scope, like its index. In the plan
scope a member only partly inside the metro counts with its apportioned values (census population share), said in
the chart subtitles with the evidence class and cited with the county census; no caveat says the GDP charts are
whole-city sums."""
from __future__ import annotations

import re

import pytest

from indicators.brief import build_pack
from indicators.brief.pack import pack_tables

YEAR = 2022
METROS = "成都都市圈,上海大都市圈,chongqing"
OBSERVED = ("metro_gdp", "core_share", "gdp_growth")


def _engine_gdp(db, scope: str) -> dict:
    from indicators.engine.panel import metro_indicator_panel
    from indicators.store.db import shared_connection

    panel = metro_indicator_panel(shared_connection(db), ["gdp"], YEAR, YEAR, scope=scope)
    panel = panel[(panel["indicator"] == "gdp") & (panel["year"] == YEAR)]
    return panel.set_index("metro_id")["value"].to_dict()


@pytest.mark.parametrize("scope", ["plan", "extended"])
def test_pack_metro_gdp_equals_the_index_panel_in_that_scope(default_db, scope):
    table, _ = pack_tables(default_db, METROS, YEAR, scope=scope)
    engine = _engine_gdp(default_db, scope)
    for row in table.itertuples():
        assert row.gdp == pytest.approx(engine[row.metro_id], rel=1e-9), (scope, row.metro_id)
    assert not table["has_partial"].any()                       # no member counted with its whole-city value


def test_plan_scope_is_smaller_where_the_plan_lists_counties(default_db):
    plan = pack_tables(default_db, METROS, YEAR, scope="plan")[0].set_index("metro_id")
    ext = pack_tables(default_db, METROS, YEAR, scope="extended")[0].set_index("metro_id")
    for m in ("chengdu", "chongqing"):                          # 德阳/眉山/资阳 and 重庆 itself are partial in the plan
        assert plan.loc[m, "gdp"] < ext.loc[m, "gdp"] and bool(plan.loc[m, "apportioned"])
        assert plan.loc[m, "core_share"] != pytest.approx(ext.loc[m, "core_share"])
    assert plan.loc["shanghai", "gdp"] == pytest.approx(ext.loc["shanghai", "gdp"])   # whole cities in both
    assert not plan.loc["shanghai", "apportioned"] and not ext["apportioned"].any()


@pytest.mark.parametrize("lang, scope_word, evidence, census, whole_city",
                         [("zh", "规划范围", "分摊值", "第七次全国人口普查分县资料", "全市数据"),
                          ("en", "plan scope", "apportioned values", "7th national census", "whole-city")])
def test_plan_scope_charts_say_apportioned_and_cite_the_county_census(default_db, lang, scope_word, evidence, census,
                                                                      whole_city):
    pack = build_pack(default_db, METROS, YEAR, lang=lang, scope="plan")
    charts = {c.chart_id: c for c in pack.charts}
    deyang = "德阳" if lang == "zh" else "Deyang"
    for cid in OBSERVED:
        meta = charts[cid].meta
        assert scope_word in meta.subtitle and evidence in meta.subtitle and deyang in meta.subtitle, meta.subtitle
        assert census in meta.source, meta.source
        assert not meta.note or whole_city not in meta.note
    assert scope_word in charts["per_capita_spread"].meta.subtitle
    assert not any(whole_city in c for c in pack.caveats), pack.caveats
    assert any(scope_word in c and ("GDP" in c or "地区生产总值" in c) for c in pack.caveats), pack.caveats


def test_extended_scope_charts_are_whole_cities_and_say_so(default_db):
    pack = build_pack(default_db, METROS, YEAR, scope="extended")
    for c in pack.charts:
        if c.chart_id in OBSERVED:
            assert "扩展范围" in c.meta.subtitle and "分摊" not in c.meta.subtitle
            assert "普查分县资料" not in c.meta.source
    assert any("扩展范围" in c and "地区生产总值" in c for c in pack.caveats)


@pytest.mark.parametrize("scope, word", [("plan", "规划范围"), ("extended", "扩展范围")])
def test_brief_page_follows_the_sidebar_scope(default_db, kaleido_server, monkeypatch, scope, word):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TONGCHENG_DB", str(default_db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=120)
    at.query_params["scope"] = scope
    at.run()
    at.switch_page("pages/9_brief.py").run()
    at.multiselect(key="brief_metros").set_value(["chengdu", "shanghai"])
    at.selectbox(key="brief_year").set_value(2022)
    at.selectbox(key="brief_framework").set_value(None)
    at.pills(key="brief_charts").set_value(["metro_gdp"])
    at.pills(key="brief_formats").set_value([".docx"])
    at.button(key="brief_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.main.markdown) + " ".join(c.value for c in at.main.caption)
    assert re.search(f"地区生产总值图均?按{word}（", text), text[-600:]
