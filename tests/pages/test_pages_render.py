"""AppTest: every page renders on the default data, and its main widgets change what is shown."""
from __future__ import annotations

import pytest

from tests.pages.conftest import assert_clean, chart_titles, charts, decode, open_page

PAGES = ["pages/2_profile.py", "pages/3_compare.py", "pages/4_indicators.py", "pages/5_flows.py",
         "pages/6_targets.py", "pages/7_methodology.py", "pages/8_data.py"]


def test_overview_renders_ranking_trends_cards(app_db):
    at = open_page()
    assert_clean(at)
    assert at.title[0].value.startswith("总览")
    titles = chart_titles(at)
    assert any("排名" in t for t in titles) and any("走势" in t for t in titles)
    labels = [m.label for m in at.metric]
    assert any("成都都市圈" in label for label in labels)
    ranking = charts(at)["ov_ranking"]["data"][0]
    # issue 12: the bar ranks the comparable metros only; every other metro with a score is listed as 未排名 with
    # what it lacks (was: every metro ranked, whatever its indicator composition)
    unranked = [line for m in at.markdown for line in m.value.splitlines() if " — 未排名" in line]
    from indicators.store import queries
    from indicators.store.db import connect
    con = connect(app_db, read_only=True)
    try:
        n_metros = len(queries.metros(con))
    finally:
        con.close()
    assert len(decode(ranking["x"])) + len(unranked) <= n_metros and len(decode(ranking["x"])) >= 2
    assert all("缺少" in u or "覆盖率" in u or "组成" in u for u in unranked)


@pytest.mark.parametrize("lang,words", [("zh", "最小–最大值法"), ("en", "min–max")])
def test_methodology_names_the_normalisation_in_words(app_db, lang, words):
    at = open_page("pages/7_methodology.py", {"lang": lang})
    text = " ".join(m.value for m in at.markdown)
    assert words in text and "minmax" not in text


def test_overview_coverage_table_is_drawn_when_opened_or_linked(app_db):
    at = open_page()
    assert "各都市圈数据覆盖" in [e.label for e in at.expander] and not at.dataframe
    at.session_state["ov_coverage_box"] = True
    at.run()
    assert_clean(at)
    assert len(at.dataframe) == 1 and "name" in at.dataframe[0].value.columns
    linked = open_page(query={"ov_coverage_box": "true"})          # a shared link opens it too
    assert len(linked.dataframe) == 1


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_error(app_db, page):
    at = open_page(page)
    assert_clean(at)
    assert at.title, "page has a title"
    if page != "pages/8_data.py":
        assert at.get("plotly_chart"), "page draws at least one chart"
    for spec in charts(at).values():
        ann = [a.get("text", "") for a in spec["layout"].get("annotations", [])]
        assert spec["layout"]["title"]["text"], "every chart has a title"
        assert spec["layout"]["title"].get("subtitle", {}).get("text"), "every chart has a subtitle"
        assert any(a.startswith(("来源", "Source")) for a in ann), "every chart has a source line"


def test_year_and_metro_change_what_the_overview_shows(app_db):
    at = open_page()
    before = charts(at)["ov_ranking"]
    at.selectbox(key="sb_year").set_value(2015).run()
    assert_clean(at)
    after = charts(at)["ov_ranking"]
    assert "2015" in after["layout"]["title"]["subtitle"]["text"]
    assert decode(before["data"][0]["x"]) != decode(after["data"][0]["x"])
    at.multiselect(key="sb_metros").set_value(["nanjing", "chengdu"]).run()
    assert any("南京都市圈" in m.label for m in at.metric)


def test_language_switch_translates_the_page(app_db):
    at = open_page()
    at.multiselect(key="sb_metros").set_value(["wuhan", "chengdu"]).run()
    at.segmented_control(key="sb_lang").set_value("en").run()
    assert_clean(at)
    # widgets whose option labels are translated are new widgets in English, seeded with the same values
    assert at.multiselect(key="sb_metros_en").value == ["wuhan", "chengdu"]
    assert "Wuhan" in at.multiselect(key="sb_metros_en").format_func("wuhan")
    at.segmented_control(key="sb_lang").set_value("zh").run()
    assert at.multiselect(key="sb_metros").value == ["wuhan", "chengdu"]
    at.multiselect(key="sb_metros").set_value(["chengdu", "shanghai"]).run()
    at.segmented_control(key="sb_lang").set_value("en").run()
    assert at.title[0].value.startswith("Overview")
    assert any("Chengdu" in m.label for m in at.metric)
    assert all("排名" not in t for t in chart_titles(at))


def test_view_state_comes_from_and_goes_to_the_url(app_db):
    at = open_page(query={"lang": "en", "metros": "hangzhou,chengdu", "year": "2018"})
    assert_clean(at)
    assert at.multiselect(key="sb_metros_en").value == ["hangzhou", "chengdu"]   # English labels: own key
    assert at.selectbox(key="sb_year").value == 2018
    assert at.title[0].value.startswith("Overview")
    at.selectbox(key="sb_year").set_value(2019).run()
    assert at.query_params["year"] == ["2019"] or at.query_params["year"] == "2019"


def test_selection_survives_a_page_switch(app_db):
    at = open_page()
    at.multiselect(key="sb_metros").set_value(["hefei", "shanghai"]).run()
    at.segmented_control(key="sb_lang").set_value("en").run()
    assert at.multiselect(key="sb_metros_en").value == ["hefei", "shanghai"]     # kept across the switch
    at.switch_page("pages/2_profile.py").run()
    assert_clean(at)
    assert at.multiselect(key="sb_metros_en").value == ["hefei", "shanghai"]
    assert "Hefei" in at.title[0].value


def test_profile_map_indicator_and_metro_change_the_view(app_db):
    at = open_page("pages/2_profile.py")
    assert "成都都市圈" in at.title[0].value
    assert any("人均地区生产总值" in t for t in chart_titles(at))
    at.selectbox(key="prof_map_indicator").set_value("resident_population").run()
    assert any("常住人口" in t for t in chart_titles(at))
    at.selectbox(key="prof_metro").set_value("shanghai").run()
    assert "上海大都市圈" in at.title[0].value
    facts = [d.value for d in at.dataframe if "表述" in d.value.columns]
    at.toggle(key="prof_members_raw").set_value(True).run()
    members = [d.value for d in at.dataframe if "代码" in d.value.columns]
    assert members and "310100" in set(members[0]["代码"])
    assert facts == [] or len(facts[0]) >= 0


def test_profile_shows_the_seed_figures_with_document(app_db):
    at = open_page("pages/2_profile.py")
    facts = [d.value for d in at.dataframe if "表述" in d.value.columns][0]
    assert len(facts) >= 5
    assert (facts["文件"] != "").all() and facts["时点"].notna().all()


def test_compare_summary_is_generated_from_the_numbers(app_db):
    at = open_page("pages/3_compare.py")
    assert_clean(at)
    sentences = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert sentences and "上海大都市圈" in sentences[0] and "成都都市圈" in sentences[0]
    gaps = [d.value for d in at.dataframe if any("差距 %" in c for c in d.value.columns)][0]
    assert len(gaps) >= 5
    at.multiselect(key="sb_metros").set_value(["chengdu", "shanghai", "hangzhou"]).run()
    gaps = [d.value for d in at.dataframe if any("差距 %" in c for c in d.value.columns)][0]
    assert any("杭州都市圈" in c for c in gaps.columns)
    at.multiselect(key="sb_metros").set_value(["chengdu"]).run()
    assert at.info and not at.get("plotly_chart")


def test_indicator_explorer_widgets_change_charts(app_db):
    at = open_page("pages/4_indicators.py")
    before = chart_titles(at)
    at.selectbox(key="ind_indicator").set_value("resident_population").run()
    assert_clean(at)
    after = chart_titles(at)
    assert before != after and any("常住人口" in t for t in after)
    n_members = len(charts(at)["ind_map"]["data"][0]["locations"])
    at.segmented_control(key="ind_scope").set_value("all").run()
    n_all = len(charts(at)["ind_map"]["data"][0]["locations"])
    assert n_all > n_members > 0
    table = [d.value for d in at.dataframe][0]           # the reader's view: no codes, quality in words
    assert "质量标记" in table.columns and not {"代码", "来源编号"} & set(table.columns)
    assert table["质量标记"].isin(["官方", "官方（已交叉核对）", "单一来源", "来源有冲突", "普查", "估算", ""]).all()
    at.toggle(key="ind_table_raw").set_value(True).run()   # the raw view keeps the stored columns
    table = [d.value for d in at.dataframe][0]
    assert "来源编号" in table.columns


def test_indicator_series_marks_series_breaks(app_db):
    at = open_page("pages/4_indicators.py")
    at.selectbox(key="ind_indicator").set_value("gdp").run()
    series = charts(at)["ind_series"]
    names = [tr.get("name") for tr in series["data"]]
    assert "序列断点" in names      # 简阳 moved from 资阳 to 成都 in 2016


def test_flows_kind_change_and_modelled_label(app_db):
    at = open_page("pages/5_flows.py")
    assert_clean(at)
    assert any("迁徙" in t for t in chart_titles(at))
    at.segmented_control(key="flow_kind").set_value("gravity_linkage").run()
    assert_clean(at)
    assert any("引力" in t for t in chart_titles(at))
    assert at.warning and "模型估算" in at.warning[0].value
    legend = [tr.get("name") for tr in charts(at)["flow_map"]["data"]]
    assert any(n and "模型估算" in n for n in legend)


def test_targets_show_target_lines_and_missing_data_honestly(app_db):
    at = open_page("pages/6_targets.py")
    assert_clean(at)
    # issue 12: 成都都市圈 has its own plan targets (2025: GDP > 3.3万亿元, urbanisation 75 %): shown first, no
    # benchmark note; the YRD set stays available as a benchmark
    assert not at.info
    own = [d.value for d in at.dataframe][0]
    assert {33000.0, 75.0} <= set(own.iloc[:, 3].astype(float))
    at.selectbox(key="tgt_scope_chengdu").set_value("YRD").run()
    assert_clean(at)
    assert at.info and "长三角" in at.info[0].value and "YRD" not in at.info[0].value   # a benchmark, named not coded
    assert at.warning                                      # series with no data are listed
    spec = charts(at)["tgt_bullets"]
    ann = " ".join(a.get("text", "") for a in spec["layout"]["annotations"])
    assert "507" in ann and "暂无数据" in ann
    at.selectbox(key="tgt_metro").set_value("shanghai").run()
    assert_clean(at)
    assert not at.info                                     # Shanghai is in the YRD: its own targets


def test_methodology_weights_update_the_ranking(app_db):
    at = open_page("pages/7_methodology.py")
    assert_clean(at)
    fw = at.selectbox(key="sb_framework").value
    before = decode(charts(at)["meth_ranking"]["data"][0]["x"])
    dims = [s for s in at.slider if s.key.startswith(f"meth_w_{fw}_")]
    assert len(dims) >= 3
    dims[0].set_value(5.0).run()
    after = decode(charts(at)["meth_ranking"]["data"][0]["x"])
    assert before != after
    at.selectbox(key="meth_weighting").set_value("equal").run()
    assert_clean(at)
    assert "meth_robust" in charts(at)
    words = [m.value for m in at.markdown if m.value[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert len(words) == 5 and "等权" in words[2]


def test_data_page_browses_filters_and_traces(app_db):
    at = open_page("pages/8_data.py")
    assert_clean(at)
    at.selectbox(key="data_table").set_value("metro").run()
    grid = [d.value for d in at.dataframe if "都市圈代码" in d.value.columns and "核心城市代码" in d.value.columns][0]
    assert len(grid) == 21                                      # every metro of metro_plans.csv (issue 11)
    at.text_input(key="data_filter").set_value("成都").run()
    grid = [d.value for d in at.dataframe if "核心城市代码" in d.value.columns][0]
    assert len(grid) == 1
    at.selectbox(key="prov_indicator").set_value("gdp").run()
    prov = [d.value for d in at.dataframe if "来源编号" in d.value.columns and "质量标记" in d.value.columns][0]
    assert len(prov) >= 1 and prov["来源编号"].notna().all() and (prov["质量标记"] != "").all()
    assert at.get("download_button")


def test_read_only_mode_hides_import(app_db, monkeypatch):
    monkeypatch.setenv("TONGCHENG_READ_ONLY", "1")
    at = open_page("pages/8_data.py")
    assert any("只读" in i.value for i in at.info)


def test_indicator_explorer_metro_level(app_db):
    at = open_page("pages/4_indicators.py")
    at.segmented_control(key="ind_level").set_value("metro").run()
    assert_clean(at)
    rank = charts(at)["ind_rank"]
    assert "都市圈排名" in rank["layout"]["title"]["text"]
    # one bar per metro with a value: 21 metros less those whose latest value is a gap (a member without data,
    # issue 11: 武汉's 仙桃/潜江/天门 and 郑州's 济源 have no yearly statistics; 西安 lacks 渭南's 2023 GDP …)
    ranked = rank["data"][0]["y"]
    assert 15 <= len(ranked) <= 21 and not any("武汉" in str(n) or "郑州" in str(n) for n in ranked)
    at.selectbox(key="ind_indicator_metro").set_value("core_bound_outflow_share").run()
    assert_clean(at)
    table = [d.value for d in at.dataframe][0]
    assert {"有数据成员数", "成员数"} <= set(table.columns) and "来源编号" not in table.columns
    assert (table["年份"] == 2020).all()                         # the Baidu sample's year, said in a caption
    assert any("2020" in c.value for c in at.caption)


def _report_script():
    import os

    from indicators.ingest import plan_import
    from indicators.store.db import shared_connection
    from indicators.ui.data_import import show_report

    bad = "城市,年份,地区生产总值\n成都,2021,abc\n不存在市,2021,100\n".encode("utf-8")
    plan = plan_import(bad, "bad.csv", shared_connection(os.environ["TONGCHENG_DB"]), {"source": "test"})
    show_report(plan, "zh")


def test_a_rejected_import_shows_its_report_not_a_stack_trace(app_db):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_report_script, default_timeout=60).run()
    assert not at.exception
    assert at.error and "预检未通过" in at.error[0].value          # the designed rejection message
    report = [d.value for d in at.dataframe if "原因" in d.value.columns][0]    # headers in the page language
    assert len(report) >= 1 and report["原因"].notna().all() and "行号" in report.columns
    assert [m.value for m in at.metric][3] != "0"                   # rejected count shown


def test_methodology_saves_a_framework(app_db, tmp_path, monkeypatch):
    monkeypatch.setenv("TONGCHENG_USER_FRAMEWORKS", str(tmp_path))
    at = open_page("pages/7_methodology.py")
    fw = at.selectbox(key="sb_framework").value
    [s for s in at.slider if s.key.startswith(f"meth_w_{fw}_")][0].set_value(3.0).run()
    assert not [w for w in at.text_input if w.key == "meth_save_id"]      # the save section is drawn when opened
    at.session_state["meth_save_box"] = True
    at.run()
    at.text_input(key="meth_save_id").set_value("my_test_fw")
    [b for b in at.button if "保存" in b.label][0].click().run()
    assert_clean(at)
    assert at.success and "my_test_fw" in at.success[0].value
    saved = (tmp_path / "my_test_fw.yaml").read_text(encoding="utf-8")
    assert "weight: 3.0" in saved
    from indicators.ui import engine_view
    engine_view._frameworks.clear()
