"""Index results: the tidy scores of a scoring run, its effective weights and log, and contributions.

``IndexResult.scores``: metro_id, year, dimension ('index' for the overall score), score 0–100, rank,
coverage. ``contributions(result)`` traces every score to its raw observations and sources.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.engine.log import BuildLog
from indicators.engine.types import CONTRIB_COLUMNS, INDEX, PreparedPanel
from indicators.engine.weighting import _weights_matrix


@dataclass(frozen=True)
class IndexResult:
    scores: pd.DataFrame
    prepared: PreparedPanel
    weights: pd.Series                   # indicator weights used (within dimension, normalised per dimension)
    dimension_weights: pd.Series
    aggregation: str
    log: BuildLog

    @property
    def contributions(self) -> pd.DataFrame:
        return contributions(self)

    def wide(self, dimension: str = INDEX) -> pd.DataFrame:
        """Scores of one dimension as year × metro."""
        s = self.scores[self.scores["dimension"] == dimension]
        return s.pivot(index="year", columns="metro_id", values="score")


def _index_result(prepared: PreparedPanel, scores: pd.DataFrame, m: np.ndarray, dw: np.ndarray,
                  weights, dimension_weights, weighting: str, aggregation: str) -> IndexResult:
    """The tidy result of a scoring run: effective weights, the build log with its ``score`` step, scores."""
    col_w = m / np.where(m.sum(axis=0) > 0, m.sum(axis=0), 1.0)
    wseries = pd.Series(col_w.sum(axis=1), index=prepared.indicators, name="weight")
    dws = pd.Series(dw / dw.sum(), index=prepared.dimensions, name="dimension_weight")
    log = BuildLog(list(prepared.log.steps))
    log.add("score", weighting=weighting, weights={k2: float(v) for k2, v in dict(weights or {}).items()},
            dimension_weights={k2: float(v) for k2, v in dict(dimension_weights or {}).items()},
            aggregation=aggregation)
    if prepared.year_level is not None and prepared.evidence is not None:
        from indicators.engine.evidence import evidence_columns   # coverage = observed only; comparable ranks

        scores = evidence_columns(prepared, m, dw, scores)
    return IndexResult(scores=scores, prepared=prepared, weights=wseries, dimension_weights=dws,
                       aggregation=aggregation, log=log)


def contributions(result: IndexResult) -> pd.DataFrame:
    """One row per unit × dimension × indicator: raw value, normalised score, effective weight in the
    index, contribution (Σ contributions of a unit = its index score under amean), quality, sources."""
    p = result.prepared
    m = _weights_matrix(p, dict(result.log.steps[-1].params.get("weights") or {}), result.log.steps[-1].params.get("weighting", "expert"))
    dw = result.dimension_weights.reindex(p.dimensions).to_numpy()
    x = p.normalised
    avail = ~np.isnan(x)
    wa = avail.astype(float) @ m                                   # units × dims
    dim_has = wa > 0
    dshare = np.where(dim_has, dw[None, :], 0.0)
    dshare = dshare / np.where(dshare.sum(axis=1, keepdims=True) > 0, dshare.sum(axis=1, keepdims=True), 1.0)
    idx = result.scores[result.scores["dimension"] == INDEX]["score"].to_numpy()
    rows = []
    unit_ids = p.units.get_level_values(0).to_numpy()
    years = p.units.get_level_values(p.year_level).to_numpy() if p.year_level in (p.units.names or []) else np.zeros(len(p.units), dtype=int)
    for j, dim in enumerate(p.dimensions):
        for i in np.flatnonzero(p.membership[:, j] > 0):
            with np.errstate(invalid="ignore", divide="ignore"):
                w_eff = np.where(avail[:, i] & dim_has[:, j], m[i, j] / wa[:, j] * dshare[:, j], 0.0)
            rows.append(pd.DataFrame({
                "metro_id": unit_ids, "year": years, "dimension": dim, "indicator": p.indicators[i],
                "raw_value": p.raw[:, i], "normalised": x[:, i], "weight": w_eff,
                "contribution": np.where(avail[:, i], x[:, i] * w_eff, np.nan), "imputed": p.imputed[:, i],
                "evidence": p.evidence[:, i] if p.evidence is not None else np.where(avail[:, i], "observed", None),
                "vintage": p.vintage[:, i] if p.vintage is not None else np.where(avail[:, i], years, np.nan),
                "carried": p.carried[:, i] if p.carried is not None else False,
            }))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=CONTRIB_COLUMNS)
    if result.aggregation != "amean":
        out["contribution"] = np.nan      # additive contributions exist only for the arithmetic mean
    no_index = np.repeat(np.isnan(idx), 1)
    unit_no_index = pd.Series(no_index, index=pd.MultiIndex.from_arrays([unit_ids, years]))
    mask = unit_no_index.reindex(pd.MultiIndex.from_arrays([out["metro_id"], out["year"]])).to_numpy()
    out.loc[mask.astype(bool), "contribution"] = np.nan   # no index (too little data): nothing to contribute to
    if len(p.provenance):
        prov = p.provenance.reset_index()
        out = out.merge(prov[["metro_id", "year", "indicator", "quality", "source_ids"]],
                        on=["metro_id", "year", "indicator"], how="left")
        car = out["carried"].astype(bool).to_numpy() & out["vintage"].notna().to_numpy()
        if car.any():   # a carried value cites the year it was observed in
            src = prov[["metro_id", "year", "indicator", "quality", "source_ids"]].set_index(["metro_id", "year", "indicator"])
            key = pd.MultiIndex.from_arrays([out.loc[car, "metro_id"], out.loc[car, "vintage"].astype(int),
                                             out.loc[car, "indicator"]])
            hit = src.reindex(key)
            out.loc[car, "source_ids"] = hit["source_ids"].to_numpy()
            out.loc[car, "quality"] = hit["quality"].to_numpy()
        imp = out["imputed"].astype(bool).to_numpy()
        if imp.any():
            srcs = prov.groupby(["metro_id", "indicator"])["source_ids"].agg(lambda s: ",".join(sorted({x for v in s.dropna() for x in str(v).split(",") if x})))
            key = pd.MultiIndex.from_arrays([out.loc[imp, "metro_id"], out.loc[imp, "indicator"]])
            out.loc[imp, "source_ids"] = srcs.reindex(key).to_numpy()
            out.loc[imp, "quality"] = "estimate"
    else:
        out["quality"] = None
        out["source_ids"] = None
    return out.reindex(columns=CONTRIB_COLUMNS + ["evidence", "vintage", "carried"])
