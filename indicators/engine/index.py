"""The index in one call: ``compute_index`` (prepare + score), ``replay`` (rebuild a result from its build
log) and ``dimension_coupling`` (耦合协调度 between dimensions of a result).
"""
from __future__ import annotations

from typing import Mapping

from indicators.catalog import Catalog, Framework
from indicators.engine.log import BuildLog
from indicators.engine.prepare import prepare_panel
from indicators.engine.result import IndexResult
from indicators.engine.score import score_panel
from indicators.engine.types import INDEX
from indicators.methods.coupling import coupling_coordination


def compute_index(con, framework: str | Framework = "qigeyi", years: tuple[int, int] = (2010, 2023),
                  weights: Mapping[str, float] | None = None, dimension_weights: Mapping[str, float] | None = None,
                  aggregation: str | None = None, normalisation: str | None = None, missing_rule: str | None = None,
                  weighting: str = "expert", catalog: Catalog | None = None, base_year: int | None = None,
                  outliers: str | None = None, include_implausible: bool = False,
                  scope: str | None = "plan") -> IndexResult:
    """prepare_panel + score_panel: the tidy 同城化 index for every metro and year of the store (``scope``: 'plan'
    or 'extended', see engine/scope.py)."""
    prepared = prepare_panel(con, framework, years, normalisation=normalisation, missing_rule=missing_rule,
                             catalog=catalog, base_year=base_year, outliers=outliers,
                             include_implausible=include_implausible, scope=scope)
    return score_panel(prepared, weights, dimension_weights, aggregation, weighting)


def replay(con, log: BuildLog, catalog: Catalog | None = None) -> IndexResult:
    """Rebuild a result from its log (load → missing → normalise → score)."""
    steps = {s.name: s.params for s in log}
    load, miss, norm, score = steps["load"], steps["missing"], steps["normalise"], steps["score"]
    prepared = prepare_panel(con, load["framework"], tuple(load["years"]), normalisation=norm["method"],
                             missing_rule=miss["rule"], catalog=catalog, metros=load["metros"],
                             base_year=norm.get("base_year"), outliers=steps["outliers"]["rule"],
                             include_implausible=bool(load.get("include_implausible", False)),
                             scope=load.get("scope", "plan"))
    return score_panel(prepared, score["weights"] or None, score["dimension_weights"] or None,
                       score["aggregation"], score["weighting"])


def dimension_coupling(result: IndexResult, dimensions: list[str] | None = None) -> pd.DataFrame:
    """耦合协调度 between dimensions of a result, per metro and year (rows with a missing dimension → NaN).

    ``dimensions``: which (default: every dimension that has a score somewhere). Scores are 0–100.
    """
    s = result.scores[result.scores["dimension"] != INDEX]
    wide = s.pivot_table(index=["metro_id", "year"], columns="dimension", values="score", aggfunc="first", dropna=False)
    dims = dimensions or [d for d in result.prepared.dimensions if d in wide.columns and wide[d].notna().any()]
    out = coupling_coordination(wide[dims].clip(lower=0.0, upper=100.0), scale=100.0)
    out.attrs["dimensions"] = dims
    return out.reset_index()
