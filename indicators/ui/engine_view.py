"""The dashboard's calls into the engine (``indicators`` public API), cached, in the shapes pages draw.

The engine is built in parallel; every entry point here degrades to an honest empty result (and the page
says so) when a piece of it is not importable yet.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from indicators.i18n import pick, t
from indicators.ui import loaders


def engine():
    """The engine's public API module, or None while it is not available."""
    try:
        import indicators as api
    except Exception:  # pragma: no cover - defensive
        return None
    return api if hasattr(api, "compute_index") else None


@st.cache_data(max_entries=2, show_spinner=False)
def _frameworks() -> dict:
    try:
        from indicators.catalog import load_frameworks

        frameworks = dict(load_frameworks())
    except Exception:  # the catalog is being edited or missing: no framework choice
        return {}
    out = {}
    for fid, fw in frameworks.items():
        out[str(fid)] = {"zh": getattr(fw, "name_zh", None) or str(fid), "en": getattr(fw, "name_en", None) or str(fid)}
    return out


def framework_options(lang: str) -> dict[str, str]:
    return {fid: pick(names["zh"], names["en"], lang) for fid, names in _frameworks().items()}


@st.cache_data(max_entries=4, show_spinner=False)
def _years(path: str) -> list[int]:
    obs = loaders._observed_indicators(path)
    if obs.empty:
        return []
    row = obs[obs["indicator"] == "gdp"]
    row = row if not row.empty else obs
    return list(range(int(row["first_year"].min()), int(row["last_year"].max()) + 1))


def available_years() -> list[int]:
    if not loaders.database_available():
        return []
    return _years(loaders.db_path())


# ---- index results in the shapes the pages draw ------------------------------------------------------------

SCORE_COLUMNS = ["metro_id", "name", "year", "score", "rank", "coverage", "data_coverage", "estimate_share", "ranked",
                 "missing", "extra"]
DIM_COLUMNS = ["metro_id", "name", "dimension_id", "dimension", "score", "coverage"]
INDEX_ID = "index"


@dataclass(frozen=True)
class Method:
    """The methodological choices an analyst can vary (None = the framework's own)."""

    normalisation: str | None = None
    missing_rule: str | None = None
    aggregation: str | None = None
    weighting: str = "expert"
    dimension_weights: tuple[tuple[str, float], ...] = ()


DEFAULT_METHOD = Method()


def _pipeline():
    try:
        from indicators.engine import index
    except Exception:
        return None
    return index if hasattr(index, "prepare_panel") and hasattr(index, "score_panel") else None


def engine_available() -> bool:
    return _pipeline() is not None and bool(_frameworks())


def _year_span(path: str) -> tuple[int, int]:
    years = _years(path)
    return (min(years), max(years)) if years else (2010, 2023)


@st.cache_resource(max_entries=12, show_spinner=False)
def _prepared(path: str, framework: str, normalisation: str | None, missing_rule: str | None, version: int = 0,
              scope: str = "plan"):
    """The expensive step (load, aggregate, impute, normalise), once per framework, method, scope and data
    version (an import bumps the version, so the index never shows data from before it)."""
    pipe = _pipeline()
    return pipe.prepare_panel(loaders._connection(path), framework, _year_span(path),
                              normalisation=normalisation, missing_rule=missing_rule, scope=scope)


def current_scope() -> str:
    """The analyst's metro boundaries (sidebar, URL ``scope=``): 'plan' (default) or 'extended'."""
    scope = st.session_state.get("_sel_scope")
    return scope if scope in ("plan", "extended") else "plan"


def prepared(framework: str, method: Method = DEFAULT_METHOD):
    return _prepared(loaders.db_path(), framework, method.normalisation, method.missing_rule,
                     loaders.run_data_version(), current_scope())


@st.cache_data(max_entries=48, show_spinner=False)
def _scores(path: str, framework: str, method: Method, version: int = 0, scope: str = "plan") -> pd.DataFrame:
    pipe = _pipeline()
    prep = _prepared(path, framework, method.normalisation, method.missing_rule, version, scope)
    result = pipe.score_panel(prep, None, dict(method.dimension_weights) or None, method.aggregation, method.weighting)
    return result.scores


def _named_scores(scores: pd.DataFrame, lang: str) -> pd.DataFrame:
    names = _metro_names(lang)
    return scores.assign(name=scores["metro_id"].map(names).fillna(scores["metro_id"]))


def _metro_names(lang: str) -> dict:
    """Metro names for rankings and comparisons; a metro whose member list is unverified or from memory says so."""
    metros = loaders.metros()
    mark = t("scope.unverified_mark", lang)
    return {r.metro_id: pick(r.name_zh, r.name_en, lang)
            + (mark if getattr(r, "membership_basis", None) in ("unverified", "from_memory") else "")
            for r in metros.itertuples()}


def scope_rank_movement(framework: str | None, lang: str) -> pd.DataFrame:
    """Boundary sensitivity for the Methodology page: metro, rank in the plan scope, in the extended scope, change."""
    if not framework or _pipeline() is None:
        return pd.DataFrame(columns=["metro_id", "name", "year", "rank_plan", "rank_extended", "rank_change"])
    path, version = loaders.db_path(), loaders.run_data_version()
    frames = {sc: _scores(path, framework, DEFAULT_METHOD, version, sc) for sc in ("plan", "extended")}
    idx = {sc: f[(f["dimension"] == INDEX_ID) & f["score"].notna()] for sc, f in frames.items()}
    years = set(idx["plan"]["year"]) & set(idx["extended"]["year"])
    if not years:
        return pd.DataFrame(columns=["metro_id", "name", "year", "rank_plan", "rank_extended", "rank_change"])
    y = max(years)
    out = None
    for sc, f in idx.items():
        part = f[f["year"] == y][["metro_id", "rank"]].rename(columns={"rank": f"rank_{sc}"})
        out = part if out is None else out.merge(part, on="metro_id", how="outer")
    out["rank_change"] = out["rank_extended"] - out["rank_plan"]
    out.insert(1, "name", out["metro_id"].map(_metro_names(lang)).fillna(out["metro_id"]))
    out.insert(2, "year", y)
    return out.sort_values(["rank_plan", "metro_id"], na_position="last").reset_index(drop=True)


def index_scores(framework: str | None, lang: str, method: Method = DEFAULT_METHOD) -> pd.DataFrame:
    """Index score, rank and coverage of every metro in every year (empty while the engine is missing)."""
    if not framework or _pipeline() is None:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    s = _scores(loaders.db_path(), framework, method, loaders.run_data_version(), current_scope())
    s = s[s["dimension"] == INDEX_ID]
    return _named_scores(s, lang).reindex(columns=SCORE_COLUMNS).reset_index(drop=True)


def unranked(framework: str | None, year: int | None, lang: str, method: Method = DEFAULT_METHOD) -> list[str]:
    """"成都都市圈 — 未排名：缺少 …" for every metro with a score but no rank in ``year`` (what to import)."""
    if not framework or year is None or _pipeline() is None:
        return []
    from indicators.engine.evidence import unranked_reason

    s = index_scores(framework, lang, method)
    s = s[(s["year"] == year) & ~s["ranked"].fillna(False).astype(bool)]
    names = _indicator_names(lang)
    floor = framework_defaults(framework).get("coverage_floor")
    return [f"{r['name']} — {unranked_reason(r, names, lang, floor)}" for _, r in s.iterrows()]


def _indicator_names(lang: str) -> dict[str, str]:
    try:
        from indicators.catalog import load_catalog

        return {i: pick(d.name_zh, d.name_en, lang) for i, d in load_catalog().indicators.items()}
    except Exception:
        return {}


def dimension_notes(framework: str | None, year: int | None, lang: str) -> pd.DataFrame:
    """The methodology note per dimension for ``year``: which indicators had data and of what vintage
    (evidence class, year described, carried), over how many metros, and the warnings (fewer than the
    framework's min_metros ranked metros, or a single indicator)."""
    cols = ["dimension", "indicators", "metros", "warning"]
    if not framework or year is None or _pipeline() is None:
        return pd.DataFrame(columns=cols)
    from indicators.engine.evidence import vintage_label

    prep = prepared(framework)
    rows_y = [k for k, u in enumerate(prep.units) if u[1] == year]
    if not rows_y or prep.evidence is None:
        return pd.DataFrame(columns=cols)
    names = _indicator_names(lang)
    periods = prep.meta.get("periods", {})
    s = _scores(loaders.db_path(), framework, DEFAULT_METHOD, loaders.run_data_version(), current_scope())
    s = s[s["year"] == year]
    min_metros = int(prep.meta.get("min_metros", 5))
    sep = "；" if lang != "en" else "; "
    out = []
    for j, dim in enumerate(prep.dimensions):
        parts, n_with = [], 0
        for i in [i for i in range(len(prep.indicators)) if prep.membership[i, j] > 0]:
            have = [k for k in rows_y if not np.isnan(prep.normalised[k, i])]
            if not have:
                continue
            n_with += 1
            labels = {}
            for k in have:
                v = prep.vintage[k, i]
                lab = vintage_label(v, prep.evidence[k, i], periods.get(prep.indicators[i], {}).get(int(v)) if v == v else None,
                                    bool(prep.carried[k, i]), lang, year)
                labels[lab] = labels.get(lab, 0) + 1
            lab_text = ", ".join(f"{lab} ×{n}" if len(labels) > 1 else lab for lab, n in labels.items())
            parts.append(f"{names.get(prep.indicators[i], prep.indicators[i])}（{lab_text}）" if lang != "en"
                         else f"{names.get(prep.indicators[i], prep.indicators[i])} ({lab_text})")
        d = s[s["dimension"] == dim]
        ranked_n = int(d["ranked"].sum()) if "ranked" in d else int(d["score"].notna().sum())
        warn = []
        if n_with == 1:
            warn.append(t("method.warn_one_indicator", lang))
        if 0 < ranked_n < min_metros:
            warn.append(t("method.warn_few_metros", lang, n=ranked_n, min=min_metros))
        out.append({"dimension": pick(*prep.dimension_names[dim], lang),
                    "indicators": sep.join(parts) if parts else t("state.no_data", lang),
                    "metros": ranked_n, "warning": sep.join(warn)})
    return pd.DataFrame(out, columns=cols)


def vintage_note(framework: str | None, year: int | None, lang: str) -> str:
    """One line for a chart of ``year``: the indicators whose values are not observed that year, with their vintage
    ("设施互通：成员城市流向中心城市的人口流动占比 2020年1月快照（沿用至2023年）"); '' when every value is."""
    if not framework or year is None or _pipeline() is None:
        return ""
    from indicators.engine.evidence import vintage_items

    parts = vintage_items(prepared(framework), int(year), _indicator_names(lang), lang)
    if not parts:
        return ""
    return t("chart.vintage_note", lang, items=("；" if lang != "en" else "; ").join(parts))


def vintage_warning(framework: str | None, year: int | None, lang: str) -> str:
    """The population-vintage warning for ``year`` ('' when the year's inputs share one vintage)."""
    if not framework or year is None or _pipeline() is None:
        return ""
    from indicators.engine.evidence import population_vintage_warning

    try:
        return population_vintage_warning(loaders._connection(loaders.db_path()), prepared(framework), int(year), lang=lang)
    except Exception:   # an older store without flags: no warning rather than a broken page
        return ""


def reference_text(framework: str | None, lang: str) -> str:
    """The normalisation reference the index used (from the build log)."""
    if not framework or _pipeline() is None:
        return ""
    prep = prepared(framework)
    step = next((st_ for st_ in prep.log if st_.name == "normalise"), None)
    ref = (step.params.get("reference") or {}) if step else {}
    years = ref.get("years") or ["?", "?"]
    method = step.params.get("method", "") if step else ""
    name = t(f"method.norm.{method}", lang) if method else "—"     # the method in words, never its id
    return t("method.reference", lang, method=name if not name.startswith("method.norm.") else method,
             y0=years[0], y1=years[1])


def dimension_scores(framework: str | None, year: int | None, lang: str, method: Method = DEFAULT_METHOD) -> pd.DataFrame:
    """Dimension scores of every metro in ``year`` with translated dimension names (framework order)."""
    if not framework or _pipeline() is None or year is None:
        return pd.DataFrame(columns=DIM_COLUMNS)
    prep = prepared(framework, method)
    s = _scores(loaders.db_path(), framework, method, loaders.run_data_version(), current_scope())
    s = s[(s["dimension"] != INDEX_ID) & (s["year"] == year)]
    dim_names = {d: pick(zh, en, lang) for d, (zh, en) in prep.dimension_names.items()}
    order = {d: i for i, d in enumerate(prep.dimensions)}
    s = s.assign(dimension_id=s["dimension"], dimension=s["dimension"].map(dim_names),
                 _o=s["dimension"].map(order)).sort_values(["metro_id", "_o"])
    return _named_scores(s, lang)[DIM_COLUMNS].reset_index(drop=True)


def _catalog_signature() -> tuple:
    """(file, mtime, size) of the catalog and every framework file: changes when any of them is edited."""
    from indicators.catalog.loader import CATALOG_DIR, user_frameworks_dir

    files = sorted(CATALOG_DIR.rglob("*.yaml"))
    udir = user_frameworks_dir()
    if udir.is_dir():
        files += sorted(udir.glob("*.yaml"))
    out = []
    for f in files:
        try:
            st_ = f.stat()
            out.append((str(f), st_.st_mtime_ns, st_.st_size))
        except OSError:
            continue
    return tuple(out)


@st.cache_resource(max_entries=4, show_spinner=False)
def _loaded_frameworks(signature: tuple) -> dict:
    """The parsed frameworks for one state of the catalog files (YAML parsing costs ≈ 0.1 s a run)."""
    from indicators.catalog import load_frameworks

    return dict(load_frameworks())


def _framework(framework: str):
    return _loaded_frameworks(_catalog_signature())[framework]


def framework_dimensions(framework: str, lang: str) -> list[tuple[str, str, float]]:
    """(id, name, default weight) per dimension of a framework."""
    try:
        fw = _framework(framework)
    except Exception:
        return []
    return [(d.id, pick(d.name_zh, d.name_en, lang), float(d.weight)) for d in fw.dimensions]


def framework_defaults(framework: str) -> dict:
    try:
        fw = _framework(framework)
    except Exception:
        return {}
    return {"normalisation": fw.normalisation, "aggregation": fw.aggregation, "missing_rule": fw.missing_rule,
            "min_coverage": fw.min_coverage, "description": fw.description, "source": fw.source,
            "coverage_floor": fw.coverage_floor if fw.coverage_floor is not None else fw.min_coverage}


def indicator_values(framework: str, year: int, metros: tuple[str, ...]) -> pd.DataFrame:
    """Raw metro values of the framework's indicators in ``year``: metro_id, indicator, dimension_id, value,
    normalised, imputed, quality, source_ids."""
    prep = prepared(framework)
    units = prep.units
    mask = units.get_level_values("year") == year
    rows = []
    dim_of = {}
    for j, d in enumerate(prep.dimensions):
        for i in range(len(prep.indicators)):
            if prep.membership[i, j] > 0 and prep.indicators[i] not in dim_of:
                dim_of[prep.indicators[i]] = d
    idx = [k for k, ok in enumerate(mask) if ok]
    for k in idx:
        metro = units[k][0]
        if metro not in metros:
            continue
        for i, ind in enumerate(prep.indicators):
            rows.append({"metro_id": metro, "indicator": ind, "dimension_id": dim_of.get(ind),
                         "value": prep.raw[k, i], "normalised": prep.normalised[k, i], "imputed": bool(prep.imputed[k, i])})
    out = pd.DataFrame(rows, columns=["metro_id", "indicator", "dimension_id", "value", "normalised", "imputed"])
    prov = prep.provenance
    if len(prov):
        p = prov.reset_index()
        p = p[p["year"] == year][["metro_id", "indicator", "quality", "source_ids"]]
        out = out.merge(p, on=["metro_id", "indicator"], how="left")
    else:
        out["quality"], out["source_ids"] = None, None
    out.loc[out["imputed"], "quality"] = "estimate"   # filled by the missing-data rule: an estimate
    return out


@st.cache_data(max_entries=32, show_spinner=False)
def _metro_panel(path: str, indicator: str, version: int = 0, scope: str = "plan") -> pd.DataFrame:
    from indicators.engine.panel import metro_indicator_panel

    y0, y1 = _year_span(path)
    return metro_indicator_panel(loaders._connection(path), [indicator], y0, y1, scope=scope, keep_gaps=True)


def metro_panel(indicator: str) -> pd.DataFrame:
    """Metro × year values of one catalog indicator: metro_id, year, value, quality, source_ids, members_used/total.
    A metro-year short of a member's data is kept with value NaN (a gap to label "3/4 成员有数据")."""
    try:
        return _metro_panel(loaders.db_path(), indicator, loaders.run_data_version(), current_scope())
    except Exception:  # not a catalog indicator, or the engine is missing
        return pd.DataFrame(columns=["metro_id", "year", "indicator", "value", "quality", "source_ids",
                                     "members_used", "members_total"])


def target_current(metro_id: str, indicator: str, year: int | None) -> dict | None:
    """The metro's latest value (<= year) of a target's indicator: {value, year, quality}, or None."""
    panel = metro_panel(indicator)
    if panel.empty:
        return None
    own = panel[(panel["metro_id"] == metro_id) & panel["value"].notna()]
    if year is not None:
        own = own[own["year"] <= year]
    if own.empty:
        return None
    row = own.sort_values("year").iloc[-1]
    quality = str(row["quality"]).split(",")[-1] if pd.notna(row["quality"]) else None
    return {"value": float(row["value"]), "year": int(row["year"]), "quality": quality}


def index_table_for_download(framework: str | None) -> pd.DataFrame | None:
    """Every metro, year and dimension (index included) with score, rank and coverage."""
    if not framework or _pipeline() is None:
        return None
    return _scores(loaders.db_path(), framework, DEFAULT_METHOD, loaders.run_data_version(),
                   current_scope()).assign(framework=framework, scope=current_scope())


def index_sources(lang: str) -> str:
    return "各市统计公报/统计年鉴、人口普查等（见“数据”页）" if lang != "en" else "city bulletins, yearbooks, censuses (see the Data page)"


@st.cache_resource(show_spinner=False)
def _warm_up(path: str, version: int = 0):
    """Prepare every framework once, in one background thread per process (started after a page has drawn,
    so it does not compete with a first render); later framework switches then hit the cache."""
    import threading

    def work() -> None:
        for framework in list(_frameworks()):
            try:
                _prepared(path, framework, None, None, version)
            except Exception:  # noqa: BLE001 - a framework the data cannot support shows its error on use
                continue

    thread = threading.Thread(target=work, name="tongcheng-warm-up", daemon=True)
    try:
        from streamlit.runtime.scriptrunner import add_script_run_ctx

        add_script_run_ctx(thread)
    except Exception:  # noqa: BLE001 - outside a streamlit run: a plain thread
        pass
    thread.start()
    return thread


def warm_up_in_background() -> None:
    """Call at the end of a page that uses the index. ``TONGCHENG_WARM_UP=0`` turns it off (headless tests)."""
    import os

    if os.environ.get("TONGCHENG_WARM_UP", "1") == "0":
        return
    if _pipeline() is not None and loaders.database_available():
        _warm_up(loaders.db_path(), loaders.run_data_version())
