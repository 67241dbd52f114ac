"""数据 Data: browse every table, trace a value to its source, import with a dry run, download."""
import streamlit as st

from indicators.i18n import pick, t
from indicators.ui import citations_view, data_import, data_status, loaders, page, url_state
from indicators.ui.catalog_view import label
from indicators.ui.tables import CODE_COLUMNS, show_table
from indicators.ui.widget_keys import lang_key
from indicators.ui.table_files import filter_frame

sel = page.start("data", "data.title")
lang = sel.lang
st.title(t("data.title", lang))
data_status.render_status(lang)
tab_browse, tab_prov, tab_import, tab_dl = st.tabs([t("data.browse", lang), t("data.provenance", lang),
                                                    t("data.import", lang), t("data.downloads", lang)])

with tab_browse:
    counts = loaders.table_counts()
    c1, c2 = st.columns([1, 2])
    table = url_state.keep(c1.selectbox, t("data.table", lang), list(counts), key="data_table",
                         format_func=lambda n: f"{n} ({counts[n]:,})")
    text = url_state.keep(c2.text_input, t("data.filter", lang), key="data_filter")
    loaded = loaders.table(table)
    frame = filter_frame(loaded, text)
    st.caption(data_import.browse_caption(counts[table], len(loaded), len(frame), bool(text and text.strip()), lang))
    show_table(frame.head(5000), "data_grid", lang, keep=tuple(CODE_COLUMNS), file_stem=table)

with tab_prov:
    ids = list(loaders.observed_indicators()["indicator"])
    regions = loaders.regions()
    members = loaders.members()
    first = [c for c in members.loc[members["metro_id"].isin(sel.metros), "code"]]
    codes = list(dict.fromkeys(first + list(regions["code"])))
    names = {c: pick(z, e, lang) for c, z, e in zip(regions["code"], regions["name_zh"], regions["name_en"])}
    p1, p2, p3 = st.columns(3)
    ind = url_state.keep(p1.selectbox, t("indicators.indicator", lang), ids, key=lang_key("prov_indicator", lang),
                       format_func=lambda i: label(i).name(lang))
    code = url_state.keep(p2.selectbox, t("data.city", lang), codes, key=lang_key("prov_code", lang), format_func=lambda c: f"{names.get(c, c)} {c}")
    years = sorted(loaders.observations(ind).query("code == @code")["year"].unique().tolist(), reverse=True)
    if not years:
        st.info(t("state.no_data", lang))
    else:
        year = url_state.keep(p3.selectbox, t("sidebar.year", lang), years, key="prov_year")
        prov = loaders.provenance(code, int(year), ind)
        show_table(prov, "prov_table", lang, keep=("source_id",), file_stem=f"provenance_{code}_{year}")
        for line in citations_view.trace_lines(prov, names.get(code, code), int(year), lang):
            st.caption(t("data.original_source", lang, source=line))

with tab_import:
    data_import.render_import(lang)

with tab_dl:
    data_import.render_downloads(sel, lang)
