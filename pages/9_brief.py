"""简报包 Briefing pack: choose metros, year, framework and charts on one screen, download PPTX / DOCX / PDF."""
import streamlit as st

from indicators.ui import brief_view, engine_view, loaders, page, url_state

L = {
    "title": {"zh": "简报包", "en": "Briefing pack"},
    "intro": {"zh": "选择都市圈、年份、框架和图表，生成带封面、逐页图表（含标题与来源）、数字摘要和方法说明的 PPTX / Word / PDF。",
              "en": "Choose metros, year, framework and charts; get a PPTX / Word / PDF with a cover, one chart per page "
                    "with title and source, a generated summary of the numbers and the methodology."},
    "metros": {"zh": "都市圈", "en": "Metros"},
    "year": {"zh": "年份", "en": "Year"},
    "framework": {"zh": "指标框架", "en": "Framework"},
    "no_framework": {"zh": "（不计算指数）", "en": "(no index)"},
    "charts": {"zh": "图表", "en": "Charts"},
    "formats": {"zh": "格式", "en": "Formats"},
    "go": {"zh": "生成简报", "en": "Generate brief"},
    "working": {"zh": "正在生成图表和文件…", "en": "Rendering charts and files…"},
    "summary": {"zh": "摘要预览", "en": "Summary preview"},
    "download": {"zh": "下载 {label}", "en": "Download {label}"},
    "need": {"zh": "请至少选择一个都市圈和一张图表。", "en": "Choose at least one metro and one chart."},
    "failed": {"zh": "生成失败：{error}", "en": "Generation failed: {error}"},
    "no_engine": {"zh": "同城化指数引擎尚不可用：简报只含统计数据图表。", "en": "The index engine is not available: the brief "
                  "carries the statistics charts only."},
}

sel = page.start("brief", "nav.brief")
lang = "en" if sel.lang == "en" else "zh"


def s(key: str, **values) -> str:
    text = L[key][lang]
    return text.format(**values) if values else text


st.title(s("title"))
st.caption(s("intro"))

metro_table = loaders.metros()
metro_names = dict(zip(metro_table["metro_id"], metro_table["name_en" if lang == "en" else "name_zh"]))
years = engine_view.available_years()
frameworks = engine_view.framework_options(lang)
engine_ready = engine_view.engine() is not None

c1, c2, c3 = st.columns([3, 1, 2])
with c1:
    metros = url_state.keep(st.multiselect, s("metros"), list(metro_names), default=[m for m in sel.metros if m in metro_names],
                            format_func=lambda m: metro_names.get(m, m), key="brief_metros",
                            select_all=False, placeholder="请选择" if lang == "zh" else "Choose")
with c2:
    default_year = sel.year if sel.year in years else (years[-1] if years else None)
    year = url_state.keep(st.selectbox, s("year"), years, index=years.index(default_year) if default_year in years else 0,
                        key="brief_year") if years else None
with c3:
    fw_ids = [None, *frameworks]
    fw_default = sel.framework if sel.framework in frameworks else None
    framework = url_state.keep(st.selectbox, s("framework"), fw_ids, index=fw_ids.index(fw_default), key="brief_framework",
                             format_func=lambda f: s("no_framework") if f is None else frameworks.get(f, f))

options = brief_view.chart_options(lang, engine_ready and framework is not None)
charts = url_state.keep(st.pills, s("charts"), list(options), selection_mode="multi", default=list(options),
                  format_func=lambda c: options[c], key="brief_charts")
formats = url_state.keep(st.pills, s("formats"), list(brief_view.FORMATS), selection_mode="multi", default=[".pptx", ".docx"],
                   format_func=lambda f: f.lstrip(".").upper(), key="brief_formats")
if not engine_ready:
    st.caption(s("no_engine"))

request = (tuple(metros), year, framework, tuple(charts or ()), lang, tuple(formats or ()))
if st.button(s("go"), type="primary", key="brief_go", disabled=not (metros and charts and formats and year)):
    st.session_state["_brief_request"] = request
if not (metros and charts and year):
    st.info(s("need"))
elif st.session_state.get("_brief_request") == request:
    try:
        with st.spinner(s("working")):
            summary, caveats, files = brief_view.cached_generate(loaders.db_path(), *request)
    except Exception as exc:  # noqa: BLE001 - show the reason, keep the page
        st.error(s("failed", error=exc))
    else:
        cols = st.columns(max(len(files), 1))
        for col, f in zip(cols, files):
            col.download_button(s("download", label=f.label), data=f.data, file_name=f.filename, mime=f.mime,
                                key=f"brief_dl_{f.label}", on_click="ignore", type="primary")
        st.subheader(s("summary"))
        for sentence in summary:
            st.markdown(f"- {sentence}")
        for sentence in caveats:
            st.caption(sentence)
