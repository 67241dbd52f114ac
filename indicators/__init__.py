"""tongcheng: the 同城化 (metropolitan integration) index library.

Public API (imported lazily on first use, PEP 562, so ``python -m indicators up`` works before
pandas is installed). ``frame`` is a pandas DataFrame with units as rows and indicators as columns;
``directions`` maps column → +1 (higher is better) / −1 (lower is better).

Methods
    normalize(frame, method="minmax", directions=None, **params)  → frame of scores
        methods: minmax (0–100), zscore, distance_to_target (targets=..., plan target = 100), rank, borda
    entropy_weights(frame, directions=None)       → Series summing to 1 (熵权法 on min-max normalised data)
    compute_weights(frame, method, directions)    → equal | entropy | entropy_sum (textbook) | critic | std | pca
    aggregate(frame, weights=None, method="amean") → Series (amean | gmean | hmean; missing values re-weighted)
    topsis(frame, weights=None, directions=None)  → closeness Series in [0, 1]
    coupling_coordination(frame, weights=None, scale=1) → frame with C, T, D, grade_zh, grade_en
    treat(frame, winmax=5, skew_thresh=2, kurt_thresh=3.5) → (treated frame, reports)
Index
    prepare_panel(con, framework, years)          → PreparedPanel (the cacheable, expensive step)
    score_panel(prepared, weights=None, dimension_weights=None, aggregation=None, weighting="expert") → IndexResult
    compute_index(con, framework="qigeyi", years=(2010, 2023), ...) → IndexResult (.scores, .contributions, .log)
    prepare_frame(frame, dimensions=None, directions=None) → PreparedPanel for any units × indicators table
    score_only(prepared, weights=None)            → numpy index scores (fastest path)
    replay(con, log)                              → the same result rebuilt from a build log
    dimension_coupling(result, dimensions=None)   → 耦合协调度 C, T, D between dimensions per metro-year
    indicator_inputs(con, metro_id, year, indicator) → the member-city observations / flows behind one metro value
    target_progress(con)                          → value, target, gap, share_of_way, on_track, status
    sensitivity(prepared_or_frame, n_draws=1000, seed=0) → SensitivityResult (median rank, p05, p95, rank probabilities)
    indicator_influence(prepared_or_frame)        → drop-one rank changes
Catalog
    load_catalog(), load_frameworks(), load_framework(path), framework_from_yaml(text), save_framework(fw),
    CatalogError (message starts with file:line)
COIN layout
    build_coin(data, meta, steps), regen_coin(coin), coin_results(coin): COINr-style data + indicator-tree tables
"""
from __future__ import annotations

import importlib

_EXPORTS: dict[str, tuple[str, str]] = {
    "normalize": ("indicators.methods.normalise", "normalize"),
    "NORMALISERS": ("indicators.methods.normalise", "NORMALISERS"),
    "entropy_weights": ("indicators.methods.weights", "entropy_weights"),
    "compute_weights": ("indicators.methods.weights", "compute_weights"),
    "WEIGHTERS": ("indicators.methods.weights", "WEIGHTERS"),
    "aggregate": ("indicators.methods.aggregate", "aggregate"),
    "AGGREGATORS": ("indicators.methods.aggregate", "AGGREGATORS"),
    "topsis": ("indicators.methods.aggregate", "topsis"),
    "coupling_coordination": ("indicators.methods.coupling", "coupling_coordination"),
    "treat": ("indicators.methods.treat", "treat"),
    "denominate": ("indicators.methods.denominate", "denominate"),
    "screen_units": ("indicators.methods.denominate", "screen_units"),
    "prepare_panel": ("indicators.engine.prepare", "prepare_panel"),
    "prepare_frame": ("indicators.engine.prepare", "prepare_frame"),
    "score_panel": ("indicators.engine.score", "score_panel"),
    "score_only": ("indicators.engine.score", "score_only"),
    "compute_index": ("indicators.engine.index", "compute_index"),
    "replay": ("indicators.engine.index", "replay"),
    "dimension_coupling": ("indicators.engine.index", "dimension_coupling"),
    "PreparedPanel": ("indicators.engine.types", "PreparedPanel"),
    "IndexResult": ("indicators.engine.result", "IndexResult"),
    "metro_indicator_panel": ("indicators.engine.panel", "metro_indicator_panel"),
    "indicator_inputs": ("indicators.engine.panel", "indicator_inputs"),
    "target_progress": ("indicators.engine.targets", "target_progress"),
    "sensitivity": ("indicators.engine.robustness", "sensitivity"),
    "indicator_influence": ("indicators.engine.robustness", "indicator_influence"),
    "load_catalog": ("indicators.catalog", "load_catalog"),
    "load_frameworks": ("indicators.catalog", "load_frameworks"),
    "load_framework": ("indicators.catalog", "load_framework"),
    "framework_from_yaml": ("indicators.catalog", "framework_from_yaml"),
    "framework_to_yaml": ("indicators.catalog", "framework_to_yaml"),
    "save_framework": ("indicators.catalog", "save_framework"),
    "CatalogError": ("indicators.catalog", "CatalogError"),
    "Framework": ("indicators.catalog", "Framework"),
    "build_coin": ("indicators.engine.coin", "build"),
    "regen_coin": ("indicators.engine.coin", "regen"),
    "coin_results": ("indicators.engine.coin", "results_table"),
    "BuildLog": ("indicators.engine.log", "BuildLog"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'indicators' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
