"""Preparation, the cacheable expensive step of the index: load the metro panel from the store (or take
any units × indicators frame), apply the framework's missing-data and outlier rules, and normalise over
the whole panel → :class:`~indicators.engine.types.PreparedPanel`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from indicators.catalog import Catalog, Framework, load_catalog, load_frameworks
from indicators.engine.log import BuildLog
from indicators.engine.types import OWN_TREND_MAX_YEARS, PreparedPanel
from indicators.methods.impute import impute_own_trend
from indicators.methods.normalise import normalize
from indicators.methods.treat import treat

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
        from indicators.engine.panel import metro_indicator_panel
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
