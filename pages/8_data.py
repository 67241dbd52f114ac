"""数据 Data: browse every table, trace a value to its source, import with a dry run, download."""
import streamlit as st

from indicators.i18n import pick, t
from indicators.ui import data_import, data_status, loaders, page
from indicators.ui.catalog_view import label
from indicators.ui.widget_keys import lang_key
from indicators.ui.table_files import FORMATS, filter_frame, frame_bytes

sel = page.start("data", "data.title")
lang = sel.lang
st.title(t("data.title", lang))
data_status.render_status(lang)
tab_browse, tab_prov, tab_import, tab_dl = st.tabs([t("data.browse", lang), t("data.provenance", lang),
                                                    t("data.import", lang), t("data.downloads", lang)])

with tab_browse:
    counts = loaders.table_counts()
    c1, c2 = st.columns([1, 2])
    table = c1.selectbox(t("data.table", lang), list(counts), key="data_table",
                         format_func=lambda n: f"{n} ({counts[n]:,})")
    text = c2.text_input(t("data.filter", lang), key="data_filter")
    frame = filter_frame(loaders.table(table), text)
    st.caption(t("data.rows", lang, n=len(frame), shown=min(len(frame), 5000)))
    st.dataframe(frame.head(5000), key="data_grid", hide_index=True)

with tab_prov:
    ids = list(loaders.observed_indicators()["indicator"])
    regions = loaders.regions()
    members = loaders.members()
    first = [c for c in members.loc[members["metro_id"].isin(sel.metros), "code"]]
    codes = list(dict.fromkeys(first + list(regions["code"])))
    names = {c: pick(z, e, lang) for c, z, e in zip(regions["code"], regions["name_zh"], regions["name_en"])}
    p1, p2, p3 = st.columns(3)
    ind = p1.selectbox(t("indicators.indicator", lang), ids, key=lang_key("prov_indicator", lang),
                       format_func=lambda i: label(i).name(lang))
    code = p2.selectbox(t("data.city", lang), codes, key=lang_key("prov_code", lang), format_func=lambda c: f"{names.get(c, c)} {c}")
    years = sorted(loaders.observations(ind).query("code == @code")["year"].unique().tolist(), reverse=True)
    if not years:
        st.info(t("state.no_data", lang))
    else:
        year = p3.selectbox(t("sidebar.year", lang), years, key="prov_year")
        prov = loaders.provenance(code, int(year), ind)
        st.dataframe(prov, key="prov_table", hide_index=True)

with tab_import:
    data_import.render_import(lang)

with tab_dl:
    fmt = st.segmented_control(t("data.format", lang), list(FORMATS), key="dl_format", default="csv", required=True,
                               format_func=str.upper)
    fmt = fmt or "csv"
    dl_table = st.selectbox(t("data.table", lang), list(loaders.table_counts()), key="dl_table")
    st.download_button(t("data.download_table", lang, fmt=fmt.upper()), data=loaders.table_file(dl_table, fmt),
                       file_name=f"{dl_table}.{fmt}", mime=FORMATS[fmt], key="dl_table_btn", on_click="ignore")
    index_frame = data_import.index_download_frame(sel)
    if index_frame is not None and not index_frame.empty:
        st.download_button(t("data.download_index", lang, fmt=fmt.upper()), data=frame_bytes(index_frame, fmt),
                           file_name=f"tongcheng_index_{sel.framework}.{fmt}", mime=FORMATS[fmt],
                           key="dl_index_btn", on_click="ignore")
    else:
        st.caption(t("state.no_engine", lang))
