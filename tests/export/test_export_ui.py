"""AppTest of the download popover and the briefing-mode switch."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _downloads_app():
    import plotly.graph_objects as go
    import streamlit as st

    from indicators.ui.downloads import chart_downloads

    fig = go.Figure(go.Bar(x=["成都", "德阳"], y=[2.1, 0.3]))
    fig.update_layout(title="地区生产总值")
    st.plotly_chart(fig, key="gdp")
    chart_downloads(fig, "gdp", {"subtitle": "2022年 · 单位：万亿元", "source": "来源：统计年鉴"})


def _briefing_app():
    import streamlit as st

    from indicators.ui.briefing_mode import briefing_mode_toggle

    on = briefing_mode_toggle()
    st.sidebar.write("sidebar")
    st.write("on" if on else "off")


def test_download_renders_only_on_demand(kaleido_server):
    at = AppTest.from_function(_downloads_app, default_timeout=60).run()
    assert not at.exception
    assert at.get("download_button") == []          # nothing rendered eagerly
    at.radio(key="gdp__exp_fmt").set_value("svg")
    at.button(key="gdp__exp_go").click().run()
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 1
    # Changing the format hides the stale button until "prepare" is pressed again.
    at.radio(key="gdp__exp_fmt").set_value("png2x").run()
    assert at.get("download_button") == []


def test_briefing_mode_injects_css_and_survives_reruns():
    at = AppTest.from_function(_briefing_app).run()
    assert not at.exception
    assert at.main.markdown[-1].value == "off"
    assert not [h for h in at.get("html") if "stSidebar" in h.proto.body]
    at.toggle(key="briefing_mode").set_value(True).run()
    assert at.session_state["_briefing_mode"] is True
    assert at.main.markdown[-1].value == "on"
    css = [h for h in at.get("html") if "stSidebar" in h.proto.body]
    assert css and "aspect-ratio: 16 / 9" in css[0].proto.body
    at.run()  # a plain rerun keeps it on
    assert at.toggle(key="briefing_mode").value is True
    at.toggle(key="briefing_mode").set_value(False).run()
    assert not [h for h in at.get("html") if "stSidebar" in h.proto.body]


def test_briefing_mode_from_query_param():
    at = AppTest.from_function(_briefing_app)
    at.query_params["briefing"] = "1"
    at.run()
    assert at.toggle(key="briefing_mode").value is True
