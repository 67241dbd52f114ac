"""The Methodology page's computations: live re-scoring with the analyst's choices, robustness, words."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from indicators.i18n import t
from indicators.ui import engine_view, loaders
from indicators.ui.engine_view import Method

WEIGHTINGS = ("expert", "equal", "entropy", "critic", "std", "pca")
AGGREGATIONS = ("amean", "gmean", "hmean")
MISSING_RULES = ("reweight", "own_trend")


def normalisations() -> list[str]:
    try:
        from indicators.methods.normalise import NORMALISERS

        names = list(NORMALISERS.names())
    except Exception:
        names = ["minmax"]
    # distance_to_target needs a target for every indicator; offer it only where the engine handles it
    return names


@dataclass
class MethodView:
    ranking: pd.DataFrame          # metro_id, name, score, rank, coverage, default_rank, rank_change
    words: list[str]


def method_view(framework: str, year: int, method: Method, lang: str) -> MethodView:
    now = engine_view.index_scores(framework, lang, method)
    base = engine_view.index_scores(framework, lang)
    now = now[(now["year"] == year) & now["ranked"].fillna(False).astype(bool)]   # ranked only among comparable metros
    base = base[base["year"] == year][["metro_id", "rank"]].rename(columns={"rank": "default_rank"})
    ranking = now.merge(base, on="metro_id", how="left")
    ranking["rank_change"] = ranking["default_rank"].astype("Float64") - ranking["rank"].astype("Float64")
    return MethodView(ranking=ranking.sort_values("rank"), words=explain(framework, method, lang))


def explain(framework: str, method: Method, lang: str) -> list[str]:
    """The method in words, from the actual settings (framework defaults filled in)."""
    d = engine_view.framework_defaults(framework)
    norm = method.normalisation or d.get("normalisation", "minmax")
    agg = method.aggregation or d.get("aggregation", "amean")
    miss = method.missing_rule or d.get("missing_rule", "reweight")
    dims = engine_view.framework_dimensions(framework, lang)
    weights = dict(method.dimension_weights) or {i: w for i, _n, w in dims}
    total = sum(weights.values()) or 1.0
    dim_text = ("、" if lang != "en" else ", ").join(
        f"{name} {100 * weights.get(i, w) / total:.0f}%" for i, name, w in dims)
    return [
        t("method.w_step1", lang, norm=t(f"method.norm.{norm}", lang)),
        t("method.w_step2", lang, missing=t(f"method.missing.{miss}", lang)),
        t("method.w_step3", lang, weighting=t(f"method.weighting.{method.weighting}", lang)),
        t("method.w_step4", lang, dims=dim_text, agg=t(f"method.agg.{agg}", lang)),
        t("method.w_step5", lang, cov=f"{100 * float(d.get('min_coverage', 0.3)):.0f}%"),
    ]


@st.cache_data(max_entries=16, show_spinner=False)
def _robustness(path: str, framework: str, method: Method, year: int, n_draws: int, version: int = 0,
                scope: str = "plan", scope_draw: bool = False) -> pd.DataFrame:
    from indicators.engine.robustness import sensitivity

    from indicators.engine.evidence import only_units

    prep = engine_view._prepared(path, framework, method.normalisation, method.missing_rule, version, scope)
    scores = engine_view._scores(path, framework, method, version, scope)
    ranked = scores[(scores["dimension"] == "index") & (scores["year"] == year) & scores["ranked"].astype(bool)]
    units = set(ranked["metro_id"])
    alt = None
    if scope_draw:   # issue 11: each draw also picks the metro boundaries (the other scope, same comparable metros)
        other = "extended" if scope == "plan" else "plan"
        alt = only_units(engine_view._prepared(path, framework, method.normalisation, method.missing_rule, version,
                                               other), units)
    # rank intervals among the comparable metros only (issue 12): the others have no rank to vary
    res = sensitivity(only_units(prep, units), n_draws=n_draws, seed=0, year=year, alt_panel=alt)
    out = res.summary.copy()
    out.attrs["settings"] = dict(res.settings)
    return out


def robustness(framework: str, method: Method, year: int, n_draws: int, lang: str,
               scope_draw: bool = False) -> pd.DataFrame:
    """Monte Carlo rank intervals: metro_id, name, rank (nominal), rank_lo (p05), rank_hi (p95), median.

    ``scope_draw``: the metro boundaries are one more uncertain input (each draw: plan or extended scope, equally
    likely); the nominal rank stays the one in the sidebar's scope. The run's settings are in ``.attrs``."""
    s = _robustness(loaders.db_path(), framework, method, int(year), int(n_draws), loaders.run_data_version(),
                    engine_view.current_scope(), bool(scope_draw))
    names = engine_view._metro_names(lang)
    out = pd.DataFrame({"metro_id": s["unit"], "name": s["unit"].map(names).fillna(s["unit"]),
                        "rank": s["nominal_rank"], "rank_lo": s["p05"], "rank_hi": s["p95"],
                        "median": s["median_rank"]})
    out = out.dropna(subset=["rank"])
    out.attrs["settings"] = dict(s.attrs.get("settings", {}))
    return out


def robustness_subtitle(year: int, framework_name: str, scope_draw: bool, lang: str) -> str:
    """The rank-interval chart's subtitle; says when the draws include the metro boundaries."""
    sub = t("chart.subtitle", lang, year=year, unit=t("chart.rank", lang), framework=framework_name)
    return sub + (f" · {t('method.robust_scope_sub', lang)}" if scope_draw else "")


def robustness_note(scope_draw: bool, lang: str) -> str:
    """What each draw varies, in words (with the boundary draw when ticked)."""
    note = t("method.robust_caption", lang)
    if not scope_draw:
        return note
    extra = t("method.robust_scope_note", lang, scope=t(f"scope.{engine_view.current_scope()}", lang))
    return note + (" " if lang == "en" else "") + extra


def can_save() -> bool:
    """False in a read-only deployment: the page then shows a note instead of the save form."""
    from indicators.store.db import read_only_mode

    return not read_only_mode()


def save_as(framework: str, new_id: str, method: Method, lang: str) -> str:
    """Save the current choices as a new framework (YAML in the user frameworks folder); returns the path.
    Refused in a read-only deployment (nothing is written; ``save_framework`` refuses too)."""
    from indicators.catalog import load_frameworks, save_framework
    from indicators.store.db import read_only_mode
    from indicators.store.writer import ReadOnlyError

    if read_only_mode():
        raise ReadOnlyError(t("method.save_readonly", lang))

    base = load_frameworks()[framework]
    weights = dict(method.dimension_weights)
    dims = [d.model_copy(update={"weight": float(weights.get(d.id, d.weight))}) for d in base.dimensions]
    update = {"id": new_id, "name_zh": f"{base.name_zh}（{new_id}）", "name_en": f"{base.name_en} ({new_id})",
              "dimensions": dims, "origin": None,
              "description": (base.description + "\n" + " ".join(explain(framework, method, "zh"))).strip()}
    for field, value in (("normalisation", method.normalisation), ("aggregation", method.aggregation),
                         ("missing_rule", method.missing_rule)):
        if value:
            update[field] = value
    fw = base.model_copy(update=update)
    path = save_framework(fw)
    engine_view._frameworks.clear()
    return str(path)
