"""The 同城化 index: prepare once (expensive), score many times (fast).

``prepare_panel(con, framework, years)`` loads the store, aggregates cities to metros, applies the
framework's missing-data rule and normalises over the whole panel (all metros × all years, so years
stay comparable) → :class:`PreparedPanel`. ``score_panel(prepared, ...)`` re-weights and aggregates
with vectorised numpy (well under 100 ms at national scale), so a dashboard caches the first and
calls the second on every slider move. ``prepare_frame(frame, ...)`` does the same for any
units × indicators DataFrame (cities at national scale, a benchmark). ``compute_index`` = both.

Results (:class:`IndexResult`): ``scores`` (metro_id, year, dimension — 'index' for the overall
score — score 0–100, rank, coverage) and ``contributions`` (metro_id, year, dimension, indicator,
raw_value, normalised, weight, contribution, quality, source_ids, imputed) so every score can be
traced to its raw observations and sources. ``log`` replays: ``replay(con, log)`` gives the same result.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from indicators.build_log import BuildLog
from indicators.catalog import Catalog, Framework, load_catalog, load_frameworks
from indicators.methods.impute import impute_own_trend
from indicators.methods.normalise import normalize
from indicators.methods.treat import treat
from indicators.methods.weights import compute_weights

INDEX = "index"
SCORE_COLUMNS = ["metro_id", "year", "dimension", "score", "rank", "coverage"]
CONTRIB_COLUMNS = ["metro_id", "year", "dimension", "indicator", "raw_value", "normalised", "weight",
                   "contribution", "quality", "source_ids", "imputed"]
OWN_TREND_MAX_YEARS = 3


@dataclass(frozen=True)
class PreparedPanel:
    """Everything scoring needs, as aligned numpy arrays (rows = units, columns = indicators)."""

    units: pd.MultiIndex                 # (metro_id, year) — or (unit, year) / (unit,) for frames
    indicators: list[str]
    dimensions: list[str]
    dimension_names: dict[str, tuple[str, str]]
    raw: np.ndarray                      # raw metro values after the missing-data rule
    normalised: np.ndarray               # 0–100, higher is better, NaN = missing
    imputed: np.ndarray                  # bool, value imputed by the missing-data rule
    membership: np.ndarray               # indicators × dimensions, within-dimension expert weights (0 = not in)
    dimension_weights: np.ndarray
    min_coverage: float
    provenance: pd.DataFrame             # metro_id, year, indicator → quality, source_ids, members_used/total
    log: BuildLog
    framework_id: str = ""
    year_level: str | None = "year"
    meta: dict = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        """The normalised panel as a DataFrame (units × indicators)."""
        return pd.DataFrame(self.normalised, index=self.units, columns=self.indicators)

    @property
    def raw_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.raw, index=self.units, columns=self.indicators)


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


# ---------------------------------------------------------------- preparation

_FRAMEWORKS_SEEN: list[tuple[Catalog, tuple, dict[str, Framework]]] = []   # newest first


def _framework_files() -> tuple:
    """(path, mtime, size) of every framework file load_frameworks reads: the key of the parsed set."""
    from indicators.catalog.loader import FRAMEWORKS_DIR, user_frameworks_dir

    files = []
    for d in (FRAMEWORKS_DIR, user_frameworks_dir()):
        try:
            for p in sorted(Path(d).glob("*.yaml")):
                st = p.stat()
                files.append((str(p), st.st_mtime_ns, st.st_size))
        except OSError:
            files.append((str(d), None, None))
    return tuple(files)


def _frameworks(catalog: Catalog) -> dict[str, Framework]:
    """load_frameworks(catalog), parsed again only when a framework file changes (YAML parsing is slow)."""
    files = _framework_files()
    for cat, key, fws in list(_FRAMEWORKS_SEEN):
        if cat is catalog and key == files:
            return fws
    fws = load_frameworks(catalog)
    _FRAMEWORKS_SEEN.insert(0, (catalog, files, fws))
    del _FRAMEWORKS_SEEN[4:]
    return fws


def _resolve_framework(framework: str | Framework, catalog: Catalog) -> Framework:
    if isinstance(framework, Framework):
        return framework
    fws = _frameworks(catalog)
    if framework not in fws:
        raise KeyError(f"unknown framework {framework!r}; known: {', '.join(sorted(fws))}")
    return fws[framework].model_copy(deep=True)


def _membership(framework: Framework, indicators: list[str]) -> tuple[np.ndarray, np.ndarray]:
    m = np.zeros((len(indicators), len(framework.dimensions)))
    for j, dim in enumerate(framework.dimensions):
        for ref in dim.indicators:
            m[indicators.index(ref.id), j] = ref.weight
    return m, np.array([d.weight for d in framework.dimensions], dtype=float)


def _targets_for(catalog: Catalog, indicators: list[str]) -> dict[str, float]:
    return {i: catalog.indicators[i].target.value for i in indicators
            if i in catalog.indicators and catalog.indicators[i].target is not None}


def prepare_panel(con, framework: str | Framework = "qigeyi", years: tuple[int, int] | range | list[int] = (2010, 2023),
                  normalisation: str | None = None, missing_rule: str | None = None,
                  catalog: Catalog | None = None, metros: list[str] | None = None,
                  panel: pd.DataFrame | None = None, base_year: int | None = None,
                  outliers: str | None = None) -> PreparedPanel:
    """Load + aggregate + impute + normalise for a framework (the cacheable, expensive step).

    ``years``: (first, last) inclusive. ``normalisation`` / ``missing_rule`` override the framework's.
    ``panel`` (optional): a precomputed metro_indicator_panel long frame (skips the store).
    ``base_year``: for normalisation 'fixed_base' (each metro's base-year value = 100; default first year).
    ``outliers``: 'none' or 'winsorise' (skewness/kurtosis winsorisation with log fallback, applied to the
    metro panel before normalisation; every treated indicator is listed in the log's 'outliers' step).
    """
    catalog = catalog or load_catalog()
    fw = _resolve_framework(framework, catalog)
    y0, y1 = (min(years), max(years)) if not isinstance(years, tuple) else years
    indicators = fw.indicator_ids()
    if panel is None:
        from indicators.metro_panel import metro_indicator_panel
        panel = metro_indicator_panel(con, indicators, y0, y1, catalog)
    if metros is None:
        from indicators.store import queries
        metros = sorted(queries.metros(con)["metro_id"].astype(str)) if con is not None else sorted(panel["metro_id"].unique())
    log = BuildLog()
    log.add("load", framework=fw.id, years=[int(y0), int(y1)], metros=list(metros))
    units = pd.MultiIndex.from_product([list(metros), list(range(int(y0), int(y1) + 1))], names=["metro_id", "year"])
    wide = panel.pivot_table(index=["metro_id", "year"], columns="indicator", values="value", aggfunc="first")
    raw = wide.reindex(index=units, columns=indicators)
    prov = panel.set_index(["metro_id", "year", "indicator"])[["quality", "source_ids", "members_used", "members_total"]]
    return _prepare(raw, fw, catalog, normalisation, missing_rule, prov, log, year_level="year", base_year=base_year,
                    outliers=outliers)


def _prepare(raw: pd.DataFrame, fw: Framework, catalog: Catalog | None, normalisation: str | None,
             missing_rule: str | None, provenance: pd.DataFrame, log: BuildLog, year_level: str | None,
             directions: Mapping[str, int] | None = None, targets: Mapping[str, float] | None = None,
             base_year: int | None = None, outliers: str | None = None) -> PreparedPanel:
    indicators = list(raw.columns)
    rule = missing_rule or fw.missing_rule
    imputed = np.zeros(raw.shape, dtype=bool)
    if rule == "own_trend":
        if year_level is None:
            raise ValueError("the own-trend rule needs a (unit, year) panel")
        filled, mask = impute_own_trend(raw, 0, 1, max_extrapolate=OWN_TREND_MAX_YEARS)
        nonneg = (raw.min(axis=0) >= 0).to_numpy()
        filled = filled.where(~(mask & (filled < 0)) | ~nonneg[None, :].repeat(len(filled), 0), 0.0)
        raw, imputed = filled, mask.to_numpy()
    elif rule != "reweight":
        raise ValueError(f"unknown missing-data rule {rule!r}; use 'reweight' or 'own_trend'")
    log.add("missing", rule=rule, max_extrapolate=OWN_TREND_MAX_YEARS if rule == "own_trend" else None,
            imputed_cells=int(imputed.sum()))
    outlier_rule = outliers or fw.outliers
    treated_report: list[dict] = []
    if outlier_rule == "winsorise":
        treated, reports = treat(raw)
        raw = treated
        treated_report = [{"indicator": r.column, "action": r.action, "winsorised": r.winsorised,
                           "log": r.log_applied, "skew_before": round(r.skew_before, 4), "kurt_before": round(r.kurt_before, 4)}
                          for r in reports if r.action != "none"]
    elif outlier_rule != "none":
        raise ValueError(f"unknown outlier rule {outlier_rule!r}; use 'none' or 'winsorise'")
    log.add("outliers", rule=outlier_rule, treated=treated_report)
    method = normalisation or fw.normalisation
    if directions is None:
        directions = {i: catalog.indicators[i].sign for i in indicators}
    if targets is None:
        targets = _targets_for(catalog, indicators) if catalog else {}
    params = {}
    if method == "distance_to_target" or any(d == 0 for d in directions.values()):
        params["targets"] = dict(targets)
    if method == "fixed_base":
        params["base_year"] = base_year
    norm = normalize(raw, method, directions, **params)
    log.add("normalise", method=method, over="whole panel (all units and years)",
            directions={k: int(v) for k, v in directions.items()},
            targets={k: float(v) for k, v in (params.get("targets") or {}).items()}, base_year=params.get("base_year"))
    membership, dim_w = _membership(fw, indicators)
    return PreparedPanel(
        units=raw.index if isinstance(raw.index, pd.MultiIndex) else pd.MultiIndex.from_arrays([raw.index], names=[raw.index.name or "unit"]),
        indicators=indicators,
        dimensions=[d.id for d in fw.dimensions],
        dimension_names={d.id: (d.name_zh, d.name_en) for d in fw.dimensions},
        raw=raw.to_numpy(dtype=float),
        normalised=norm.to_numpy(dtype=float),
        imputed=imputed,
        membership=membership,
        dimension_weights=dim_w,
        min_coverage=fw.min_coverage,
        provenance=provenance,
        log=log,
        framework_id=fw.id,
        year_level=year_level,
        meta={"aggregation": fw.aggregation, "normalisation": method, "missing_rule": rule},
    )


def prepare_frame(frame: pd.DataFrame, dimensions: Mapping[str, list[str]] | None = None,
                  directions: Mapping[str, int] | None = None, normalisation: str = "minmax",
                  dimension_weights: Mapping[str, float] | None = None,
                  indicator_weights: Mapping[str, float] | None = None, min_coverage: float = 0.0,
                  missing_rule: str = "reweight", targets: Mapping[str, float] | None = None,
                  base_year: int | None = None, outliers: str = "none") -> PreparedPanel:
    """Prepare any units × indicators DataFrame (any unit level; a (unit, year) MultiIndex for panels).

    ``dimensions``: dimension → indicator columns (default: one dimension 'all' holding every column).
    """
    from indicators.catalog.models import Dimension, IndicatorRef

    dims = dict(dimensions or {"all": list(frame.columns)})
    iw = dict(indicator_weights or {})
    dw = dict(dimension_weights or {})
    fw = Framework(id="custom_frame", name_zh="自定义", name_en="custom", missing_rule=missing_rule,
                   min_coverage=min_coverage, normalisation=normalisation,
                   dimensions=[Dimension(id=d, name_zh=d, name_en=d, weight=float(dw.get(d, 1.0)),
                                         indicators=[IndicatorRef(id=c, weight=float(iw.get(c, 1.0))) for c in cols])
                               for d, cols in dims.items()])
    cols = fw.indicator_ids()
    raw = frame[cols].astype(float)
    year_level = "year" if isinstance(frame.index, pd.MultiIndex) and "year" in (frame.index.names or []) else None
    log = BuildLog()
    log.add("frame", units=int(len(frame)), indicators=cols, dimensions={k: list(v) for k, v in dims.items()})
    return _prepare(raw, fw, None, normalisation, missing_rule, pd.DataFrame(), log, year_level,
                    directions=dict(directions or {c: 1 for c in cols}), targets=targets or {},
                    base_year=base_year, outliers=outliers)


# ---------------------------------------------------------------- scoring (fast path)

def _objective_weights(prepared: PreparedPanel, method: str) -> np.ndarray:
    """Within-dimension weights from the data (entropy, critic, ...) on the normalised panel."""
    m = np.zeros_like(prepared.membership)
    frame = prepared.frame
    for j in range(len(prepared.dimensions)):
        cols = [prepared.indicators[i] for i in np.flatnonzero(prepared.membership[:, j] > 0)]
        usable = [c for c in cols if frame[c].notna().sum() >= 3 and frame[c].nunique() > 1]
        if not usable:
            for c in cols:
                m[prepared.indicators.index(c), j] = 1.0
            continue
        try:
            w = compute_weights(frame[usable], method) if len(usable) > 1 else pd.Series({usable[0]: 1.0})
        except ValueError:   # e.g. PCA without three complete rows: equal weights in this dimension
            w = pd.Series(1.0 / len(usable), index=usable)
        for c in cols:
            m[prepared.indicators.index(c), j] = float(w.get(c, 0.0)) if c in usable else 1.0 / len(cols) * 1e-9
    return m


def _weighted(x: np.ndarray, avail: np.ndarray, w: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Weighted aggregation of columns (rows × k) with weight matrix w (k × g); returns (scores, weight sums)."""
    wa = avail.astype(float) @ w
    x0 = np.where(avail, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "amean":
            s = (x0 @ w) / wa
        elif method == "gmean":
            s = np.exp((np.where(avail, np.log(np.maximum(x0, 1e-300)), 0.0) @ w) / wa)
        elif method == "hmean":
            s = wa / (np.where(avail, 1.0 / np.maximum(x0, 1e-300), 0.0) @ w)
        else:
            raise ValueError(f"unknown aggregation {method!r}; use amean, gmean or hmean")
    return np.where(wa > 0, s, np.nan), wa


def score_arrays(prepared: PreparedPanel, membership: np.ndarray, dimension_weights: np.ndarray,
                 aggregation: str = "amean") -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The vectorised core: (dimension scores, dimension coverage, index score, index coverage)."""
    x = prepared.normalised
    if aggregation in ("gmean", "hmean"):
        x = 1.0 + 0.99 * x          # 0–100 → 1–100 so that the worst value does not zero a mean
    avail = ~np.isnan(x)
    dim_scores, wa = _weighted(x, avail, membership, aggregation)
    total = membership.sum(axis=0)
    dim_cov = np.where(total > 0, wa / np.where(total > 0, total, 1.0), 0.0)
    davail = ~np.isnan(dim_scores)
    dw = dimension_weights[:, None]
    idx, dwa = _weighted(dim_scores, davail, dw, aggregation)
    idx = idx[:, 0]
    cov = (dim_cov @ dimension_weights) / dimension_weights.sum()
    idx = np.where(cov >= prepared.min_coverage - 1e-12, idx, np.nan)
    if aggregation in ("gmean", "hmean"):
        dim_scores = (dim_scores - 1.0) / 0.99
        idx = (idx - 1.0) / 0.99
    return dim_scores, dim_cov, idx, cov


def _ranks(scores: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Rank 1 = highest within each group (year); ties share the lowest rank; NaN stays NaN. Vectorised."""
    n = len(scores)
    if n == 0:
        return np.array([], dtype=float)
    g = np.zeros(n, dtype=np.int64) if groups is None else pd.factorize(groups)[0]
    key = np.where(np.isnan(scores), np.inf, -scores)
    order = np.lexsort((key, g))
    gs, ks = g[order], key[order]
    pos = np.arange(n)
    new_group = np.r_[True, gs[1:] != gs[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
    new_run = new_group | np.r_[True, ks[1:] != ks[:-1]]
    run_start = np.maximum.accumulate(np.where(new_run, pos, 0))
    ranks = np.empty(n, dtype=float)
    ranks[order] = run_start - group_start + 1
    return np.where(np.isnan(scores), np.nan, ranks)


def _weights_matrix(prepared: PreparedPanel, weights, weighting: str) -> np.ndarray:
    if weighting in ("expert", "framework"):
        m = prepared.membership.copy()
    elif weighting == "equal":
        m = (prepared.membership > 0).astype(float)
    else:
        m = _objective_weights(prepared, weighting)
    if weights:
        for k, v in dict(weights).items():
            if k in prepared.indicators:
                i = prepared.indicators.index(k)
                m[i, :] = np.where(prepared.membership[i, :] > 0, float(v), 0.0)
    return m


_SCORERS: "OrderedDict[int, tuple]" = OrderedDict()   # id(prepared) → (prepared, fingerprint, FastScorer)
SCORER_CACHE_SIZE = 4


def _fingerprint(prepared: PreparedPanel) -> tuple:
    """What a FastScorer depends on, cheaply: the arrays (identity and shape), membership, coverage rule."""
    x = prepared.normalised
    return (id(x), x.shape, x.__array_interface__["data"][0], id(prepared.units), prepared.membership.tobytes(),
            prepared.min_coverage, tuple(prepared.indicators), tuple(prepared.dimensions))


def fast_scorer(prepared: PreparedPanel):
    """The :class:`indicators.score_fast.FastScorer` of ``prepared`` (its weight-independent work done once
    and kept for the last few panels scored)."""
    from indicators.score_fast import FastScorer

    key = id(prepared)
    fp = _fingerprint(prepared)
    hit = _SCORERS.get(key)
    if hit is not None and hit[0] is prepared and hit[1] == fp:
        _SCORERS.move_to_end(key)
        return hit[2]
    scorer = FastScorer(prepared)
    _SCORERS[key] = (prepared, fp, scorer)
    while len(_SCORERS) > SCORER_CACHE_SIZE:
        _SCORERS.popitem(last=False)
    return scorer


def score_panel(prepared: PreparedPanel, weights: Mapping[str, float] | None = None,
                dimension_weights: Mapping[str, float] | None = None, aggregation: str | None = None,
                weighting: str = "expert") -> IndexResult:
    """Weight and aggregate a prepared panel (fast; call on every weight change).

    ``weights``: indicator → weight overrides (within its dimension); ``dimension_weights``: dimension →
    weight overrides; ``weighting``: 'expert' (framework), 'equal', or an objective method ('entropy',
    'critic', 'std', 'pca') applied within each dimension; ``aggregation``: 'amean' | 'gmean' | 'hmean'.
    Missing values drop out with their weights (re-weighted within the dimension); a dimension without
    data has score NaN and coverage 0; the index is NaN when its coverage < the framework's minimum.

    Computed by the panel's cached :class:`~indicators.score_fast.FastScorer` (masks, level-1 matrices,
    year groups and label columns prepared once; ranks per (year, dimension) row): the same result as
    :func:`score_panel_reference`, the direct formulation the tests compare against.
    """
    return fast_scorer(prepared).score(weights=weights, dimension_weights=dimension_weights,
                                       aggregation=aggregation, weighting=weighting)


def score_panel_reference(prepared: PreparedPanel, weights: Mapping[str, float] | None = None,
                          dimension_weights: Mapping[str, float] | None = None, aggregation: str | None = None,
                          weighting: str = "expert") -> IndexResult:
    """:func:`score_panel` written directly (masks and ranks the whole panel on every call); same parameters."""
    aggregation = aggregation or prepared.meta.get("aggregation", "amean")
    m = _weights_matrix(prepared, weights, weighting)
    dw = prepared.dimension_weights.copy()
    for k, v in dict(dimension_weights or {}).items():
        if k in prepared.dimensions:
            dw[prepared.dimensions.index(k)] = float(v)
    dim_scores, dim_cov, idx, cov = score_arrays(prepared, m, dw, aggregation)
    units = prepared.units
    n = len(units)
    unit_ids = units.get_level_values(0).to_numpy()
    has_years = prepared.year_level is not None and prepared.year_level in (units.names or [])
    years = units.get_level_values(prepared.year_level).to_numpy() if has_years else np.zeros(n, dtype=int)
    all_scores = np.column_stack([idx, dim_scores])
    all_cov = np.column_stack([cov, dim_cov])
    names = [INDEX] + prepared.dimensions
    k = len(names)
    score_flat = all_scores.ravel()
    # rank every (year, dimension) group in one vectorised pass
    year_codes = pd.factorize(years)[0] if n else np.zeros(0, dtype=np.int64)
    groups = (np.repeat(year_codes, k) * k + np.tile(np.arange(k), n)) if n else None
    ranks = _ranks(score_flat, groups)
    scores = pd.DataFrame({
        "metro_id": pd.Index(unit_ids).repeat(k) if n else pd.Index([], dtype=str),
        "year": np.repeat(years, k) if has_years else pd.array([pd.NA] * (n * k), dtype="Int64"),
        "dimension": pd.Index(names).take(np.tile(np.arange(k), n)) if n else pd.Index([], dtype=str),
        "score": score_flat,
        "rank": pd.array(ranks, dtype="Int64") if n else pd.array([], dtype="Int64"),
        "coverage": all_cov.ravel(),
    })
    return _index_result(prepared, scores, m, dw, weights, dimension_weights, weighting, aggregation)


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
    return IndexResult(scores=scores, prepared=prepared, weights=wseries, dimension_weights=dws,
                       aggregation=aggregation, log=log)


def score_only(prepared: PreparedPanel, weights: Mapping[str, float] | None = None,
               dimension_weights: Mapping[str, float] | None = None, aggregation: str = "amean") -> np.ndarray:
    """The index score per unit only (no tidy frame): the cheapest call for sliders and benchmarks."""
    m = _weights_matrix(prepared, weights, "expert")
    dw = prepared.dimension_weights.copy()
    for k, v in dict(dimension_weights or {}).items():
        if k in prepared.dimensions:
            dw[prepared.dimensions.index(k)] = float(v)
    return score_arrays(prepared, m, dw, aggregation)[2]


# ---------------------------------------------------------------- tracing

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
        imp = out["imputed"].astype(bool).to_numpy()
        if imp.any():
            srcs = prov.groupby(["metro_id", "indicator"])["source_ids"].agg(lambda s: ",".join(sorted({x for v in s.dropna() for x in str(v).split(",") if x})))
            key = pd.MultiIndex.from_arrays([out.loc[imp, "metro_id"], out.loc[imp, "indicator"]])
            out.loc[imp, "source_ids"] = srcs.reindex(key).to_numpy()
            out.loc[imp, "quality"] = "estimate"
    else:
        out["quality"] = None
        out["source_ids"] = None
    return out.reindex(columns=CONTRIB_COLUMNS)


# ---------------------------------------------------------------- one call

def compute_index(con, framework: str | Framework = "qigeyi", years: tuple[int, int] = (2010, 2023),
                  weights: Mapping[str, float] | None = None, dimension_weights: Mapping[str, float] | None = None,
                  aggregation: str | None = None, normalisation: str | None = None, missing_rule: str | None = None,
                  weighting: str = "expert", catalog: Catalog | None = None, base_year: int | None = None,
                  outliers: str | None = None) -> IndexResult:
    """prepare_panel + score_panel: the tidy 同城化 index for every metro and year of the store."""
    prepared = prepare_panel(con, framework, years, normalisation=normalisation, missing_rule=missing_rule,
                             catalog=catalog, base_year=base_year, outliers=outliers)
    return score_panel(prepared, weights, dimension_weights, aggregation, weighting)


def replay(con, log: BuildLog, catalog: Catalog | None = None) -> IndexResult:
    """Rebuild a result from its log (load → missing → normalise → score)."""
    steps = {s.name: s.params for s in log}
    load, miss, norm, score = steps["load"], steps["missing"], steps["normalise"], steps["score"]
    prepared = prepare_panel(con, load["framework"], tuple(load["years"]), normalisation=norm["method"],
                             missing_rule=miss["rule"], catalog=catalog, metros=load["metros"],
                             base_year=norm.get("base_year"), outliers=steps["outliers"]["rule"])
    return score_panel(prepared, score["weights"] or None, score["dimension_weights"] or None,
                       score["aggregation"], score["weighting"])


def dimension_coupling(result: IndexResult, dimensions: list[str] | None = None) -> pd.DataFrame:
    """耦合协调度 between dimensions of a result, per metro and year (rows with a missing dimension → NaN).

    ``dimensions``: which (default: every dimension that has a score somewhere). Scores are 0–100.
    """
    from indicators.methods.coupling import coupling_coordination

    s = result.scores[result.scores["dimension"] != INDEX]
    wide = s.pivot_table(index=["metro_id", "year"], columns="dimension", values="score", aggfunc="first", dropna=False)
    dims = dimensions or [d for d in result.prepared.dimensions if d in wide.columns and wide[d].notna().any()]
    out = coupling_coordination(wide[dims].clip(lower=0.0, upper=100.0), scale=100.0)
    out.attrs["dimensions"] = dims
    return out.reset_index()
