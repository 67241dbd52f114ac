"""The one sidebar every page renders first: language, framework, year, metros, metro boundaries (scope).

Its state survives page switches (kept in ``session_state`` under ``_sel_*``) and lives in the URL query
string (``?lang=en&fw=...&year=2022&metros=chengdu,shanghai``) so a view can be bookmarked and shared.
Widget keys: ``sb_lang``, ``sb_framework``, ``sb_year``, ``sb_metros`` (``sb_framework_en`` and
``sb_metros_en`` in English: see ``widget_keys``).
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from indicators.i18n import LANGS, normalise_lang, pick, t
from indicators.paths import PROJECT_ROOT
from indicators.ui import loaders
from indicators.ui.widget_keys import LABELLED, all_variants, lang_key

DEFAULT_METROS = ("chengdu", "shanghai")
WIDGETS = {"lang": "sb_lang", "framework": "sb_framework", "year": "sb_year", "metros": "sb_metros", "scope": "sb_scope"}
QUERY_NAMES = {"lang": "lang", "framework": "fw", "year": "year", "metros": "metros", "scope": "scope"}
SCOPES = ("plan", "extended")
UNVERIFIED = ("unverified", "from_memory")

# (page id, script path relative to app.py, i18n key, icon). The default navigation is hidden
# (.streamlit/config.toml) so that page names follow the language switch.
PAGES = (
    ("overview", "app.py", "nav.overview", ":material/leaderboard:"),
    ("profile", "pages/2_profile.py", "nav.profile", ":material/location_city:"),
    ("compare", "pages/3_compare.py", "nav.compare", ":material/compare_arrows:"),
    ("indicators", "pages/4_indicators.py", "nav.indicators", ":material/map:"),
    ("flows", "pages/5_flows.py", "nav.flows", ":material/share:"),
    ("targets", "pages/6_targets.py", "nav.targets", ":material/flag:"),
    ("progress", "pages/10_progress.py", "nav.progress", ":material/checklist:"),
    ("methodology", "pages/7_methodology.py", "nav.methodology", ":material/tune:"),
    ("data", "pages/8_data.py", "nav.data", ":material/table_view:"),
    ("brief", "pages/9_brief.py", "nav.brief", ":material/slideshow:"),
)


@dataclass(frozen=True)
class Selection:
    lang: str
    framework: str | None
    year: int | None
    metros: tuple[str, ...]
    metro_names: dict
    scope: str = "plan"           # metro boundaries: 'plan' (the plan's own scope, county level) or 'extended'

    @property
    def metro(self) -> str | None:
        """The selected (first) metro."""
        return self.metros[0] if self.metros else None

    def name(self, metro_id: str) -> str:
        return self.metro_names.get(metro_id, metro_id)


def _init_from_url() -> None:
    if st.session_state.get("_sel_loaded"):
        return
    qp = st.query_params
    st.session_state["_sel_lang"] = normalise_lang(qp.get(QUERY_NAMES["lang"]))
    st.session_state["_sel_framework"] = qp.get(QUERY_NAMES["framework"]) or None
    year = qp.get(QUERY_NAMES["year"])
    st.session_state["_sel_year"] = int(year) if year and year.isdigit() else None
    scope = qp.get(QUERY_NAMES["scope"])
    st.session_state["_sel_scope"] = scope if scope in SCOPES else "plan"
    metros = qp.get(QUERY_NAMES["metros"])
    st.session_state["_sel_metros"] = [m for m in metros.split(",") if m] if metros else list(DEFAULT_METROS)
    st.session_state["_sel_loaded"] = True


def _key(name: str, lang: str) -> str:
    """The widget key; widgets with translated option labels have one key per language."""
    return lang_key(WIDGETS[name], lang) if name in LABELLED else WIDGETS[name]


def _prepare_widget(name: str, options: list, multi: bool = False, lang: str = "zh") -> None:
    """Seed a widget's value from the persisted selection (validated against today's options)."""
    key = _key(name, lang)
    if key in st.session_state:
        return
    saved = st.session_state.get(f"_sel_{name}")
    if multi:
        value = [v for v in (saved or []) if v in options] or [v for v in DEFAULT_METROS if v in options][:2]
    else:
        value = saved if saved in options else (options[-1] if name == "year" and options else
                                                 (options[0] if options else None))
    st.session_state[key] = value


def _navigation(box, lang: str) -> None:
    """Translated page links, placed above the selection widgets."""
    with box:
        st.markdown(f"**{t('app.title', lang)}**")
        for _pid, path, key, icon in PAGES:
            if not (PROJECT_ROOT / path).exists():
                continue
            st.page_link(path, label=t(key, lang), icon=icon)


def render(page: str) -> Selection:
    """Draw the sidebar and return the selection. Call it first on every page."""
    _init_from_url()
    if st.session_state.get("_sel_page") != page:  # a page switch: widgets are new, seed them again
        for key in WIDGETS.values():
            for variant in all_variants(key):
                st.session_state.pop(variant, None)
        st.session_state["_sel_page"] = page

    _prepare_widget("lang", list(LANGS))
    side = st.sidebar
    nav_box = side.container()
    side.divider()
    lang = side.segmented_control("语言 / Language", list(LANGS), key=WIDGETS["lang"], required=True,
                                  format_func=lambda v: {"zh": "中文", "en": "English"}[v]) or "zh"
    if st.session_state.get("_sel_lang") not in (None, lang):  # language switched: reseed labelled widgets
        for name in LABELLED:
            st.session_state.pop(lang_key(WIDGETS[name], lang), None)

    metro_df = loaders.metros() if loaders.database_available() else None
    metro_ids = list(metro_df["metro_id"]) if metro_df is not None else []
    names = ({r.metro_id: pick(r.name_zh, r.name_en, lang)
              + (t("scope.unverified_mark", lang) if getattr(r, "membership_basis", None) in UNVERIFIED else "")
              for r in metro_df.itertuples()} if metro_df is not None else {})

    from indicators.ui import engine_view  # late import: the engine may still be arriving

    frameworks = engine_view.framework_options(lang)
    fw_ids = list(frameworks)
    _prepare_widget("framework", fw_ids, lang=lang)
    framework = side.selectbox(t("sidebar.framework", lang), fw_ids, key=_key("framework", lang),
                               format_func=lambda f: frameworks.get(f, f)) if fw_ids else None

    years = engine_view.available_years()
    _prepare_widget("year", years)
    year = side.selectbox(t("sidebar.year", lang), years, key=WIDGETS["year"]) if years else None

    _prepare_widget("metros", metro_ids, multi=True, lang=lang)
    metros = side.multiselect(t("sidebar.metros", lang), metro_ids, key=_key("metros", lang),
                              format_func=lambda m: names.get(m, m),
                              help=t("sidebar.metros_help", lang), select_all=False,   # "Select all" is English only
                              placeholder=t("widget.choose", lang))

    _prepare_widget("scope", list(SCOPES))
    scope = side.segmented_control(t("sidebar.boundary", lang), list(SCOPES), key=WIDGETS["scope"], required=True,
                                   format_func=lambda v: t(f"scope.{v}", lang), help=t("sidebar.boundary_help", lang)) or "plan"
    if metro_df is not None and "membership_basis" in metro_df:
        weak = [names.get(m, m) for m in metros
                if m in set(metro_df.loc[metro_df["membership_basis"].isin(UNVERIFIED), "metro_id"])]
        if weak:
            side.caption(t("scope.status_note", lang, names="、".join(weak) if lang == "zh" else ", ".join(weak)))
    side.caption(t("sidebar.share_hint", lang))
    _navigation(nav_box, lang)

    st.session_state["_sel_lang"] = lang
    st.session_state["_sel_framework"] = framework
    st.session_state["_sel_year"] = year
    st.session_state["_sel_metros"] = list(metros)
    st.session_state["_sel_scope"] = scope
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in QUERY_NAMES.values()}
    params.update({QUERY_NAMES["lang"]: lang, QUERY_NAMES["metros"]: ",".join(metros), QUERY_NAMES["scope"]: scope})
    if framework:
        params[QUERY_NAMES["framework"]] = framework
    if year is not None:
        params[QUERY_NAMES["year"]] = str(year)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return Selection(lang=lang, framework=framework, year=int(year) if year is not None else None,
                     metros=tuple(metros), metro_names=names, scope=scope)
