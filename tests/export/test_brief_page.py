"""AppTest of pages/9_brief.py: one screen of choices, files rendered only on demand."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def brief_db(default_db):
    old = os.environ.get("TONGCHENG_DB")
    os.environ["TONGCHENG_DB"] = str(default_db)
    yield default_db
    if old is None:
        os.environ.pop("TONGCHENG_DB", None)
    else:
        os.environ["TONGCHENG_DB"] = old


def test_brief_page_generates_pptx_and_docx(brief_db, kaleido_server):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/9_brief.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("download_button") == []          # nothing rendered before the button
    at.multiselect(key="brief_metros").set_value(["chengdu", "shanghai"])
    at.selectbox(key="brief_year").set_value(2022)
    at.selectbox(key="brief_framework").set_value(None)     # no index: keeps this test short (covered elsewhere)
    at.pills(key="brief_charts").set_value(["metro_gdp", "per_capita_spread"])
    at.button(key="brief_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    buttons = at.get("download_button")
    assert len(buttons) == 2
    assert sorted(b.proto.label for b in buttons) == ["下载 DOCX", "下载 PPTX"]
    summary = [m.value for m in at.main.markdown if m.value.startswith("- ")]
    assert any("成都都市圈" in s and "上海大都市圈" in s for s in summary)
